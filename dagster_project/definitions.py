"""The Dagster definitions: the same ones the UI (``dagster dev``) and the ``djpk`` CLI run.

Each folder under ``defs/`` exports its own ``defs``; this module merges them and adds the monthly
job, the shared resources and the in-process executor (DuckDB allows one writing process).
"""

import dagster as dg

from .defs import analysts, automation, dbt, gate, ingest, lookups, notifications, publish, report, social
from .jobs import INGEST_JOB_NAME, MONTHLY_JOB_NAME, ingest_job, monthly_report_job  # noqa: F401 (the CLI's names)
from .resources import default_resources
from .settings import data_paths


def build_defs(data_dir: str | None = None) -> dg.Definitions:
    """The definitions bound to a data dir (default: ``$DJPK_DATA_DIR``, else ``./data``)."""
    return dg.Definitions.merge(
        ingest.defs,
        lookups.defs,
        social.defs,
        dbt.defs,
        gate.defs,
        publish.defs,
        analysts.defs,
        report.defs,
        automation.defs,
        notifications.defs,
        dg.Definitions(
            jobs=[monthly_report_job, ingest_job],
            resources=default_resources(data_paths(data_dir)),
            executor=dg.in_process_executor,
        ),
    )


defs = build_defs()
