"""dbt models, seeds and tests (needs the prepared manifest: see dagster_project.dbt_project)."""

import dagster as dg

from ...dbt_project import pipeline_dbt_resource
from .assets import djpk_dbt_models, djpk_dbt_seeds

defs = dg.Definitions(
    assets=[djpk_dbt_models, djpk_dbt_seeds],
    resources={"dbt": pipeline_dbt_resource()},
)
