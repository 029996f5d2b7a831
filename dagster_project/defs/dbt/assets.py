"""All dbt models, seeds and tests as Dagster assets and asset checks (dagster-dbt).

Asset keys are ``<schema>/<model>`` (``staging/stg_deskpro__tickets``, ``marts/fct_tickets``);
dbt sources name the Python assets that write them (``meta.dagster.asset_key`` in the sources' yml). The partition
range of the run becomes dbt's run months (``run_months.py``: a table, not vars). Every partitioned asset
uses ``MONTHS_IN_ONE_RUN``: a backfill of many months builds dbt once.
"""

import json
import os
from collections.abc import Mapping
from typing import Any

import dagster as dg
from dagster_dbt import DagsterDbtTranslator, DagsterDbtTranslatorSettings, DbtCliResource, dbt_assets

from ...dbt_project import PIPELINE_VARS, djpk_dbt_project
from ...lib.preload import importing_in_background
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions
from ...resources import WarehouseResource
from ..report.assets import RENDERING_MODULES
from .run_months import dbt_target_of, prepare_dbt_run, run_month_range

LAYER_BY_SCHEMA = {
    "staging": "staging",
    "intermediate": "intermediate",
    "marts": "marts",
    "reporting": "reporting",
    "reference": "reference",
}


class DjpkDbtTranslator(DagsterDbtTranslator):
    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return super().get_asset_key(
                dbt_resource_props
            )  # the Python asset named by the source's meta.dagster.asset_key
        schema = dbt_resource_props["config"].get("schema") or "main"
        return dg.AssetKey([schema, dbt_resource_props["name"]])

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        return LAYER_BY_SCHEMA.get(dbt_resource_props["config"].get("schema") or "", "dbt")

    def get_owners(self, dbt_resource_props: Mapping[str, Any]):
        return ["team:data-engineering"]


def _asset_key_of(event, keys_by_output_name: Mapping[str, dg.AssetKey]) -> dg.AssetKey | None:
    """The asset a dbt event materializes: dagster-dbt's ``Output``s name their output, not their asset."""
    if isinstance(event, dg.Output):
        return keys_by_output_name.get(event.output_name)
    if isinstance(event, (dg.AssetMaterialization, dg.MaterializeResult)):
        return event.asset_key
    return None


def _unique_id_of(event) -> str | None:
    value = (getattr(event, "metadata", None) or {}).get("unique_id")
    return getattr(value, "text", value)


def _row_counts(
    events, keys_by_output_name: Mapping[str, dg.AssetKey], warehouse: WarehouseResource
) -> dict[dg.AssetKey, int]:
    """Row counts of every materialized model in ONE query, read after dbt has exited (its write lock released)."""
    keys = [key for key in (_asset_key_of(event, keys_by_output_name) for event in events) if key is not None]
    if not keys:
        return {}
    with warehouse.read_only_connection() as conn:
        tables = {
            (schema, name)
            for schema, name in conn.execute(
                "select schema_name, table_name from duckdb_tables() union all select schema_name, view_name from duckdb_views()"
            ).fetchall()
        }
        present = [key for key in keys if (key.path[0], key.path[-1]) in tables]
        if not present:
            return {}
        sql = " union all ".join(
            f'select {index} as key_index, count(*) as row_count from "{key.path[0]}"."{key.path[-1]}"'
            for index, key in enumerate(present)
        )
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


def _with_metadata(
    event,
    keys_by_output_name: Mapping[str, dg.AssetKey],
    counts: dict[dg.AssetKey, int],
    tests: dict[str, dict[str, list[str]]],
):
    """Add ``dagster/row_count`` and the model's dbt test outcomes to its materialization."""
    key = _asset_key_of(event, keys_by_output_name)
    if key is None:
        return event
    extra: dict = {}
    if key in counts:
        extra["dagster/row_count"] = counts[key]
    outcomes = tests.get(_unique_id_of(event) or "", {})
    if outcomes:
        extra["dbt_tests"] = ", ".join(f"{len(names)} {status}" for status, names in sorted(outcomes.items()))
        failing = sorted(
            name for status, names in outcomes.items() if status not in ("pass", "success") for name in names
        )
        if failing:
            extra["dbt_tests_not_passed"] = ", ".join(failing)
    if not extra:
        return event
    if isinstance(event, dg.Output):
        return event.with_metadata({**event.metadata, **extra})
    if isinstance(event, dg.MaterializeResult):
        return dg.MaterializeResult(
            asset_key=event.asset_key,
            metadata={**(event.metadata or {}), **extra},
            check_results=event.check_results,
            data_version=event.data_version,
            tags=event.tags,
        )
    if isinstance(event, dg.AssetMaterialization):  # a seed loaded by the models' build
        return dg.AssetMaterialization(
            asset_key=event.asset_key,
            description=event.description,
            metadata={**event.metadata, **extra},
            partition=event.partition,
            tags=event.tags,
        )
    return event


SEED_STATE_TABLE = "dbt_state.seed_checksums"
"""Per seed: the checksum of its CSV when it was last loaded into the warehouse (and its tests passed)."""


def seed_checksums(manifest: Mapping[str, Any]) -> dict[str, str]:
    """``{seed name: checksum of its CSV}`` from the dbt manifest."""
    return {
        node["name"]: node["checksum"]["checksum"]
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "seed"
    }


def stale_seeds(warehouse: WarehouseResource, manifest: Mapping[str, Any]) -> list[str]:
    """Seeds whose CSV changed since the warehouse loaded them, or that it does not hold yet."""
    wanted = seed_checksums(manifest)
    if not os.path.exists(warehouse.database):
        return sorted(wanted)
    with warehouse.read_only_connection() as conn:
        has_state = conn.execute(
            "select count(*) from duckdb_tables() where schema_name = 'dbt_state' and table_name = 'seed_checksums'"
        ).fetchone()[0]
        loaded = dict(conn.execute(f"select seed, checksum from {SEED_STATE_TABLE}").fetchall()) if has_state else {}
        present = {
            name
            for (name,) in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'reference'"
            ).fetchall()
        }
    return sorted(name for name, checksum in wanted.items() if loaded.get(name) != checksum or name not in present)


def record_seeds(warehouse: WarehouseResource, manifest: Mapping[str, Any], run_results: Mapping[str, Any]) -> None:
    """Record the checksum of every seed this dbt invocation loaded successfully."""
    nodes = manifest.get("nodes", {})
    loaded = [
        nodes[result["unique_id"]]["name"]
        for result in run_results.get("results", [])
        if nodes.get(result["unique_id"], {}).get("resource_type") == "seed" and result["status"] == "success"
    ]
    if not loaded:
        return
    checksums = seed_checksums(manifest)
    with warehouse.get_connection() as conn:
        conn.execute("create schema if not exists dbt_state")
        conn.execute(
            f"create table if not exists {SEED_STATE_TABLE} (seed varchar primary key, checksum varchar, loaded_at timestamp)"
        )
        conn.executemany(
            f"insert or replace into {SEED_STATE_TABLE} values (?, ?, current_timestamp)",
            [(name, checksums[name]) for name in loaded],
        )


def _raise_if_failed(invocation, what: str) -> None:
    if not invocation.is_successful():
        failed = [
            f"{result['unique_id']}: {result.get('message') or result['status']}"
            for result in invocation.get_artifact("run_results.json")["results"]
            if result["status"] in ("error", "fail")
        ]
        raise dg.Failure(description=f"{what} failed: " + "; ".join(failed), allow_retries=False)


def _changed_seeds(warehouse: WarehouseResource, manifest: Mapping[str, Any], full_refresh: bool) -> list[str]:
    """Seeds are reference data (``reference/*``), not part of the monthly job: a run loads (and tests) a seed
    only when its CSV changed since the warehouse loaded it, or the warehouse does not hold it yet, or for a
    full refresh."""
    return sorted(seed_checksums(manifest) if full_refresh else stale_seeds(warehouse, manifest))


def _build_seeds(dbt: DbtCliResource, warehouse: WarehouseResource, select: list[str], keep, **cli_arguments):
    """`dbt build` of seeds (``select``; empty: the asset definition's own selection), their events that ``keep`` accepts, then each loaded
    seed's checksum recorded. Cautious indirect selection: a relationships test from a model to a seed waits
    for the model's own run."""
    invocation = dbt.cli(
        ["build", *select, "--indirect-selection", "cautious", "--vars", json.dumps(PIPELINE_VARS)],
        raise_on_error=False,
        target_path=dbt_target_of(warehouse),
        **cli_arguments,
    )
    yield from (event for event in invocation.stream() if keep(event))
    _raise_if_failed(invocation, "dbt build of the reference seeds")
    record_seeds(warehouse, invocation.manifest, invocation.get_artifact("run_results.json"))


def djpk_dbt_project_manifest() -> dict[str, Any]:
    return json.loads(djpk_dbt_project.manifest_path.read_text())


class DbtBuildConfig(dg.Config):
    full_refresh: bool = False
    """Rebuild every incremental model from all raw months (`dbt build --full-refresh`) instead of the
    run's months and the months whose raw rows changed since they were built."""


SEEDS = "resource_type:seed"


@dbt_assets(
    manifest=djpk_dbt_project.manifest_path,
    project=djpk_dbt_project,
    select=SEEDS,
    name="djpk_dbt_seeds",
    dagster_dbt_translator=DjpkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False)),
)
def djpk_dbt_seeds(context: dg.AssetExecutionContext, dbt: DbtCliResource, warehouse: WarehouseResource):
    """Load (and test) every reference seed (``reference/*``): reference data, not part of the monthly job, whose
    dbt step loads a seed by itself when its CSV changed. Materialize these to reload all of them."""
    yield from _build_seeds(
        dbt, warehouse, [], keep=lambda event: not isinstance(event, dg.AssetObservation), context=context
    )


MODELS_TRANSLATOR = DjpkDbtTranslator(settings=DagsterDbtTranslatorSettings(enable_asset_checks=False))


@dbt_assets(
    manifest=djpk_dbt_project.manifest_path,
    project=djpk_dbt_project,
    # Its own definition without the seeds: the monthly job selects all of it, and the step writes that selection
    # itself (`seeds_and_models_selection`) instead of dagster-dbt computing one model by model (seconds a run).
    exclude=SEEDS,
    partitions_def=monthly_partitions,
    # dbt tests run inside `dbt build` (a failing test fails this step, so nothing downstream publishes) and are
    # reported on each model's materialization and by the gate's `dbt_tests_passed`, not as ~190 separate
    # asset checks: each check costs three events in every run.
    dagster_dbt_translator=MODELS_TRANSLATOR,
    backfill_policy=MONTHS_IN_ONE_RUN,
)
def djpk_dbt_models(
    context: dg.AssetExecutionContext, config: DbtBuildConfig, dbt: DbtCliResource, warehouse: WarehouseResource
):
    """Build (run + test) every selected dbt model for the run's months, and first the reference seeds whose CSV
    changed (reported as the seeds' materializations)."""
    first, last = run_month_range(context)
    manifest = djpk_dbt_project_manifest()
    seeds = _changed_seeds(warehouse, manifest, config.full_refresh)
    target_path = dbt_target_of(warehouse)
    # Every model, or a subset picked in the UI (then the run's assets_def is that subset: compare with the whole)
    whole = context.selected_asset_keys == djpk_dbt_models.keys
    if seeds and (config.full_refresh or not whole):
        # A full refresh loads the seeds first in a build of their own, without the models' `--full-refresh`; a
        # subset is selected by dagster-dbt. The seeds' assets are not this step's outputs: their materializations.
        yield from _build_seeds(
            dbt,
            warehouse,
            ["--select", " ".join(seeds)],
            keep=lambda event: isinstance(event, dg.AssetMaterialization),
            manifest=manifest,
            dagster_dbt_translator=DjpkDbtTranslator(),
        )
        seeds = []
    prepare_dbt_run(warehouse, first, last)
    # Unit tests (a model's SQL on fixed rows) run in CI (tests/test_dbt_unit_tests.py), not on every month: dbt's
    # advice for production builds.
    arguments = ["build", "--exclude-resource-type", "unit_test", "--vars", json.dumps(PIPELINE_VARS)] + (
        ["--full-refresh"] if config.full_refresh else []
    )
    if whole:
        # Every model and the changed seeds in ONE dbt build (one dbt start, one parse): the selection is written
        # here, so dagster-dbt gets no context, and the models' materializations become this step's outputs.
        invocation = dbt.cli(
            [*arguments, *seeds_and_models_selection(seeds, seed_checksums(manifest))],
            manifest=manifest,
            dagster_dbt_translator=MODELS_TRANSLATOR,
            raise_on_error=False,
            target_path=target_path,
        )
    else:
        invocation = dbt.cli(arguments, context=context, raise_on_error=False, target_path=target_path)
    # dbt now runs in its own process, and this one mostly waits for its output: the report's modules meanwhile.
    with importing_in_background(RENDERING_MODULES):
        if whole:
            events = [_as_step_event(event, context.assets_def.keys) for event in invocation.stream()]
        else:
            events = list(invocation.stream())
    keys_by_output_name = context.assets_def.keys_by_output_name
    counts = _row_counts(events, keys_by_output_name, warehouse)
    tests = dbt_test_results(invocation.get_artifact("run_results.json"), invocation.manifest)
    for event in events:
        if isinstance(event, (dg.AssetObservation, dg.AssetCheckEvaluation)):
            continue  # dbt-dagster's per-test events: the outcomes are on each model's materialization
        yield _with_metadata(event, keys_by_output_name, counts, tests)
    _raise_if_failed(invocation, "dbt build")
    record_seeds(warehouse, invocation.manifest, invocation.get_artifact("run_results.json"))


def seeds_and_models_selection(changed_seeds: list[str], all_seeds) -> list[str]:
    """dbt's selection of every model, test and snapshot with the changed seeds (none: every seed excluded)."""
    unchanged = sorted(set(all_seeds) - set(changed_seeds))
    return ["--select", "fqn:*", *(["--exclude", " ".join(unchanged)] if unchanged else [])]


def _as_step_event(event, own_keys):
    """A materialization of one of the step's own models (dbt run without a context) as the step's output; a seed's
    stays a materialization of the seeds' asset."""
    if isinstance(event, dg.AssetMaterialization) and event.asset_key in own_keys:
        return dg.MaterializeResult(asset_key=event.asset_key, metadata=event.metadata, tags=event.tags)
    return event
