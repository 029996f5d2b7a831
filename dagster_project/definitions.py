"""The Dagster definitions: the same ones the UI (``dagster dev``) and the ``djpk`` CLI run.

Each folder under ``defs/`` exports its own ``defs``; this module merges them and adds the monthly
job, the shared resources and the in-process executor (DuckDB allows one writing process).
"""

import dagster as dg

from .dbt_project import djpk_dbt_project
from .resources import default_resources
from .settings import data_paths

djpk_dbt_project.prepare_if_dev()

from .defs import analysts, automation, dbt, gate, ingest, lookups, notifications, publish, report, social  # noqa: E402  (dbt needs the manifest)

MONTHLY_JOB_NAME = "monthly_report"
INGEST_JOB_NAME = "ingest_landed_exports"
WRITER_TAGS = {"djpk/writer": "warehouse"}
"""Runs of jobs that write the warehouse: the deployment's queue admits one at a time (deploy/dagster.yaml)."""

monthly_report_job = dg.define_asset_job(
    MONTHLY_JOB_NAME,
    tags=WRITER_TAGS,
    selection=dg.AssetSelection.all().materializable() & dg.AssetSelection.assets(
        *ingest.defs.assets, *lookups.defs.assets, *social.social_monthly_assets, *dbt.defs.assets, *publish.defs.assets,
        *analysts.defs.assets, *report.defs.assets,
    ),
    executor_def=dg.in_process_executor,
    description="Every asset of one report month: ingest → lookups → dbt build → gate → publish → analyst copy, report.",
)

ingest_job = dg.define_asset_job(
    INGEST_JOB_NAME,
    selection=dg.AssetSelection.assets(*ingest.defs.assets, *lookups.defs.assets),
    executor_def=dg.in_process_executor,
    tags=WRITER_TAGS,
    description="Load a month's landed exports into the raw layer and its lookups, nothing downstream "
    "(history months that cumulative figures need; `djpk ingest --month`).",
)



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
