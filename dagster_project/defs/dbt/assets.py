"""All dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys are ``<schema>/<model>`` (``staging/stg_deskpro__tickets``, ``marts/fct_tickets``);
dbt sources map onto the Python assets that write them (``raw/deskpro_tickets``). The partition
range of the run becomes the dbt vars ``djpk_month_from`` / ``djpk_month_to``. Every partitioned asset
uses ``MONTHS_IN_ONE_RUN``: a backfill of many months builds dbt once.
"""


import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...dbt_project import DBT_TARGET_PATH, djpk_dbt_project
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


def _unique_id_of(event) -> str | None:
    value = (getattr(event, "metadata", None) or {}).get("unique_id")
    return getattr(value, "text", value)


def _row_counts(events, warehouse: WarehouseResource) -> dict[dg.AssetKey, int]:
    """Row counts of every materialized model in ONE query, read after dbt has exited (its write lock released)."""
    keys = [key for key in (_asset_key_of(event) for event in events) if key is not None]
    if not keys:
        return {}
    with warehouse.read_only_connection() as conn:
        tables = {(schema, name) for schema, name in conn.execute(
            "select schema_name, table_name from duckdb_tables() union all select schema_name, view_name from duckdb_views()"
        ).fetchall()}
        present = [key for key in keys if (key.path[0], key.path[-1]) in tables]
        if not present:
            return {}
        sql = " union all ".join(
            f"select {index} as key_index, count(*) as row_count from \"{key.path[0]}\".\"{key.path[-1]}\""
            for index, key in enumerate(present))
        return {present[index]: count for index, count in conn.execute(sql).fetchall()}


def dbt_test_results(run_results: dict, manifest: dict) -> dict[str, dict[str, list[str]]]:
    """The run's dbt data and unit tests by the model they test: ``{model unique_id: {status: [test names]}}``."""
    nodes = manifest.get("nodes", {}) | manifest.get("unit_tests", {})
    by_model: dict[str, dict[str, list[str]]] = {}
    for result in run_results.get("results", []):
        node = nodes.get(result["unique_id"], {})
        if node.get("resource_type") not in ("test", "unit_test"):
            continue
        model = node.get("attached_node") or next(iter(node.get("depends_on", {}).get("nodes", [])), None)
        if model is None:
            continue
        by_model.setdefault(model, {}).setdefault(result["status"], []).append(node.get("name", result["unique_id"]))
    return by_model


def _with_metadata(event, counts: dict[dg.AssetKey, int], tests: dict[str, dict[str, list[str]]]):
    """Add ``dagster/row_count`` and the model's dbt test outcomes to its materialization."""
    key = _asset_key_of(event)
    if key is None:
        return event
    extra: dict = {}
    if key in counts:
        extra["dagster/row_count"] = counts[key]
    outcomes = tests.get(_unique_id_of(event) or "", {})
    if outcomes:
        extra["dbt_tests"] = ", ".join(f"{len(names)} {status}" for status, names in sorted(outcomes.items()))
        failing = sorted(name for status, names in outcomes.items() if status not in ("pass", "success") for name in names)
        if failing:
            extra["dbt_tests_not_passed"] = ", ".join(failing)
    if not extra:
        return event
    if isinstance(event, dg.Output):
        return event.with_metadata({**event.metadata, **extra})
    if isinstance(event, dg.MaterializeResult):
        return dg.MaterializeResult(asset_key=event.asset_key, metadata={**(event.metadata or {}), **extra},
                                    check_results=event.check_results, data_version=event.data_version, tags=event.tags)
    return event




class DbtBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild every incremental model from all raw months (`dbt build --full-refresh`) instead of the
    run's months and the months whose raw rows changed since they were built."""


@dbt_assets(
    manifest=djpk_dbt_project.manifest_path,
    project=djpk_dbt_project,
    partitions_def=monthly_partitions,
    # dbt tests run inside `dbt build` (a failing test fails this step, so nothing downstream publishes) and are
    # reported on each model's materialization and by the gate's `dbt_tests_passed`, not as ~190 separate
    # asset checks: each check costs three events in every run.
    dagster_dbt_translator=DjpkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False)),
    backfill_policy=MONTHS_IN_ONE_RUN,
)
def djpk_dbt_models(context: dg.AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource,
                    warehouse: WarehouseResource):
    """Build (run + test) every selected dbt model for the run's months."""
    os.environ["DJPK_WAREHOUSE_PATH"] = str(warehouse.database)
    arguments = ["build", "--vars", json.dumps(month_vars(context))] + (["--full-refresh"] if config.full_refresh else [])
    invocation = dbt.cli(arguments, context=context, raise_on_error=False, target_path=DBT_TARGET_PATH)
    events = list(invocation.stream())
    counts = _row_counts(events, warehouse)
    tests = dbt_test_results(invocation.get_artifact("run_results.json"), invocation.manifest)
    for event in events:
        if isinstance(event, dg.AssetObservation):
            continue  # dbt-dagster's per-test observations: the outcomes are on each model's materialization
        yield _with_metadata(event, counts, tests)
    if not invocation.is_successful():
        failed = [
            f"{result['unique_id']}: {result.get('message') or result['status']}"
            for result in invocation.get_artifact("run_results.json")["results"]
            if result["status"] in ("error", "fail")
        ]
        raise dg.Failure(description="dbt build failed: " + "; ".join(failed), allow_retries=False)
