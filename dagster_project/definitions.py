"""The Dagster definitions: the same ones the UI (``dagster dev``) and the ``djpk`` CLI run.

``dg.load_from_defs_folder`` loads the ``defs/`` folder as Dagster 1.13 projects do (``[tool.dg]`` in
``pyproject.toml`` names it): every asset, check, schedule, sensor and ``Definitions`` object found in its
modules, one folder per source or stage. This module adds the jobs (``jobs.py``), the shared resources
bound to a data dir (``resources.py``) and the in-process executor (DuckDB allows one writing process).
"""

from pathlib import Path

import dagster as dg

from .jobs import ingest_job, monthly_report_job
from .resources import default_resources
from .settings import data_paths

PROJECT_PACKAGE_DIR = Path(__file__).resolve().parent


def build_defs(data_dir: str | None = None) -> dg.Definitions:
    """The definitions bound to a data dir (default: ``$DJPK_DATA_DIR``, else ``./data``)."""
    return dg.Definitions.merge(
        dg.load_from_defs_folder(path_within_project=PROJECT_PACKAGE_DIR),
        dg.Definitions(
            jobs=[monthly_report_job, ingest_job],
            resources=default_resources(data_paths(data_dir)),
            executor=dg.in_process_executor,
        ),
    )


defs = build_defs()
