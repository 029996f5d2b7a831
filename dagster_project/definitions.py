"""The Dagster definitions: the same ones the UI (``dagster dev``) and the ``djpk`` CLI run.

Every folder under ``defs/`` exports its own ``defs``; this module loads each folder found there, merges
them, and adds the jobs (``jobs.py``), the shared resources bound to a data dir (``resources.py``) and the
in-process executor (DuckDB allows one writing process).
"""

import importlib
import pkgutil

import dagster as dg

from . import defs as defs_package
from .jobs import ingest_job, monthly_report_job
from .resources import default_resources
from .settings import data_paths


def folder_defs() -> list[dg.Definitions]:
    """The ``defs`` of every folder under ``defs/``, in name order."""
    folders = sorted(module.name for module in pkgutil.iter_modules(defs_package.__path__) if module.ispkg)
    return [importlib.import_module(f"{defs_package.__name__}.{folder}").defs for folder in folders]


def build_defs(data_dir: str | None = None) -> dg.Definitions:
    """The definitions bound to a data dir (default: ``$DJPK_DATA_DIR``, else ``./data``)."""
    return dg.Definitions.merge(
        *folder_defs(),
        dg.Definitions(
            jobs=[monthly_report_job, ingest_job],
            resources=default_resources(data_paths(data_dir)),
            executor=dg.in_process_executor,
        ),
    )


defs = build_defs()
