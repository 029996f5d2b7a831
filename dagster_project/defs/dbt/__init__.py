"""dbt models, seeds and tests (needs the prepared manifest: see dagster_project.dbt_project)."""

import dagster as dg
from dagster_dbt import DbtCliResource

from ...dbt_project import DBT_EXECUTABLE, djpk_dbt_project
from .assets import djpk_dbt_models, djpk_dbt_seeds

defs = dg.Definitions(
    assets=[djpk_dbt_models, djpk_dbt_seeds],
    resources={"dbt": DbtCliResource(project_dir=djpk_dbt_project, dbt_executable=DBT_EXECUTABLE)},
)
