"""The Dagster definitions: the same ones the UI (``dagster dev``) and the ``djpk`` CLI run."""

from __future__ import annotations

import dagster as dg
from dagster_dbt import DbtCliResource

from .dbt_project import djpk_dbt_project
from .partitions import monthly_partitions
from .resources import default_resources

djpk_dbt_project.prepare_if_dev()

from .defs.dbt.assets import djpk_dbt_models  # noqa: E402  (needs the manifest)
from .defs.gate.checks import gate_checks  # noqa: E402
from .defs.ingest.assets import raw_export_assets  # noqa: E402
from .defs.lookups.assets import person_keys, region_pemda_matches  # noqa: E402
from .defs.publish.assets import published_report_metrics  # noqa: E402

MONTHLY_JOB_NAME = "monthly_report"

monthly_report_job = dg.define_asset_job(
    MONTHLY_JOB_NAME,
    selection=dg.AssetSelection.all(),
    partitions_def=monthly_partitions,
    executor_def=dg.in_process_executor,
    description="Every asset of one report month: ingest → lookups → dbt build → gate → publish.",
)

defs = dg.Definitions(
    assets=[*raw_export_assets, region_pemda_matches, person_keys, djpk_dbt_models, published_report_metrics],
    asset_checks=gate_checks,
    jobs=[monthly_report_job],
    resources={**default_resources(), "dbt": DbtCliResource(project_dir=djpk_dbt_project)},
    executor=dg.in_process_executor,
)
