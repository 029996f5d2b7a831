"""All dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys are ``<schema>/<model>`` (``staging/stg_deskpro__tickets``, ``marts/fct_tickets``);
dbt sources map onto the Python assets that write them (``raw/deskpro_tickets``). The partition
range of the run becomes the dbt vars ``djpk_month_from`` / ``djpk_month_to``. Every partitioned asset
uses ``MONTHS_IN_ONE_RUN``: a backfill of many months builds dbt once.
"""


import json
import os
from pathlib import Path
from collections.abc import Mapping
from typing import Any

import dagster as dg
import duckdb
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...dbt_project import djpk_dbt_project
from ...resources import WarehouseResource
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions

LAYER_BY_SCHEMA = {"staging": "staging", "intermediate": "intermediate", "marts": "marts", "reporting": "reporting", "reference": "reference"}


class DjpkDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey([dbt_resource_props["source_name"], dbt_resource_props["name"]])
        schema = dbt_resource_props["config"].get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return LAYER_BY_SCHEMA.get(dbt_resource_props["config"].get("schema") or "", "dbt")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]


def month_vars(context: dg.AssetExecutionContext) -> dict[str, str]:
    """The run's partition range as dbt vars (first day of the first and last month)."""
    keys = context.partition_key_range
    return {"djpk_month_from": f"{keys.start}-01", "djpk_month_to": f"{keys.end}-01"}


def _asset_key_of(event) -> dg.AssetKey | None:
    if isinstance(event, (dg.Output, dg.AssetMaterialization, dg.MaterializeResult)):
        return getattr(event, "asset_key", None)
    return None


def _row_counts(events, warehouse: WarehouseResource) -> dict[dg.AssetKey, int]:
    """Row counts of every materialized model, read once after dbt has exited (one connection)."""
    keys = [key for key in (_asset_key_of(event) for event in events) if key is not None]
    counts: dict[dg.AssetKey, int] = {}
    with warehouse.read_only_connection() as conn:
        for key in keys:
            try:
                counts[key] = conn.execute(f'select count(*) from "{key.path[0]}"."{key.path[-1]}"').fetchone()[0]
            except duckdb.Error:
                continue
    return counts


def _with_row_count(event, counts: dict[dg.AssetKey, int]):
    """Add ``dagster/row_count`` to a model's materialization."""
    key = _asset_key_of(event)
    if key is None or key not in counts:
        return event
    if isinstance(event, dg.Output):
        return event.with_metadata({**event.metadata, "dagster/row_count": counts[key]})
    if isinstance(event, dg.MaterializeResult):
        return event._replace(metadata={**(event.metadata or {}), "dagster/row_count": counts[key]})
    return event


DBT_TARGET_PATH = Path(djpk_dbt_project.project_dir) / "target" / "dagster"
"""One target folder for every run: runs never overlap (one writer), and dbt's partial parsing
then skips re-parsing an unchanged project (a fresh folder per run costs a full parse)."""


@dbt_assets(
    manifest=djpk_dbt_project.manifest_path,
    project=djpk_dbt_project,
    partitions_def=monthly_partitions,
    dagster_dbt_translator=DjpkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=True)),
    backfill_policy=MONTHS_IN_ONE_RUN,
)
def djpk_dbt_models(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Build (run + test) every selected dbt model for the run's months."""
    os.environ["DJPK_WAREHOUSE_PATH"] = str(warehouse.database)
    invocation = dbt.cli(["build", "--vars", json.dumps(month_vars(context))], context=context,
                         raise_on_error=False, target_path=DBT_TARGET_PATH)
    events = list(invocation.stream())
    counts = _row_counts(events, warehouse)
    for event in events:
        yield _with_row_count(event, counts)
    if not invocation.is_successful():
        failed = [
            f"{result['unique_id']}: {result.get('message') or result['status']}"
            for result in invocation.get_artifact("run_results.json")["results"]
            if result["status"] in ("error", "fail")
        ]
        raise dg.Failure(description="dbt build failed: " + "; ".join(failed), allow_retries=False)
