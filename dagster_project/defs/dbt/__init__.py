"""dbt models, seeds and tests (needs the prepared manifest: see dagster_project.dbt_project)."""

from functools import cached_property
from importlib.metadata import version as package_version

import dagster as dg
from dagster_dbt import DbtCliResource
from packaging import version

from ...dbt_project import djpk_dbt_project
from .assets import djpk_dbt_models, djpk_dbt_seeds


class InstalledDbtCliResource(DbtCliResource):
    """dbt from this venv: its version is the installed dbt-core's, read from the package metadata
    instead of a ``dbt --version`` subprocess at every run (seconds each, on every month)."""

    @cached_property
    def _cli_version(self) -> version.Version:
        return version.parse(package_version("dbt-core"))


defs = dg.Definitions(
    assets=[djpk_dbt_models, djpk_dbt_seeds], resources={"dbt": InstalledDbtCliResource(project_dir=djpk_dbt_project)}
)
