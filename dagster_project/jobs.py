"""The jobs: one report month end to end, and the raw layer only (history months).

Their names are imported by the schedule, the sensor and the CLI from here (one definition each).
"""

import dagster as dg

from .defs import analysts, dbt, ingest, lookups, publish, report, social
from .writer_lock import WRITER_TAGS

MONTHLY_JOB_NAME = "monthly_report"
INGEST_JOB_NAME = "ingest_landed_exports"

monthly_report_job = dg.define_asset_job(
    MONTHLY_JOB_NAME,
    tags=WRITER_TAGS,
    selection=dg.AssetSelection.all().materializable()
    & dg.AssetSelection.assets(
        *ingest.defs.assets,
        *lookups.defs.assets,
        *social.social_monthly_assets,
        dbt.djpk_dbt_models,
        *publish.defs.assets,
        *analysts.defs.assets,
        *report.defs.assets,
    ),
    executor_def=dg.in_process_executor,
    description="Every asset of one report month: ingest → lookups → dbt build → gate → publish → analyst copy, report. "
    "The reference seeds are not rebuilt every month: the dbt step loads one only when its CSV changed.",
)

ingest_job = dg.define_asset_job(
    INGEST_JOB_NAME,
    selection=dg.AssetSelection.assets(*ingest.defs.assets, *lookups.defs.assets),
    executor_def=dg.in_process_executor,
    tags=WRITER_TAGS,
    description="Load a month's landed exports into the raw layer and its lookups, nothing downstream "
    "(history months that cumulative figures need; `djpk ingest --month`).",
)
