"""Reference seeds are loaded when their CSV changes (or the warehouse lacks them), not by every month's run."""

from __future__ import annotations

import duckdb

from dagster_project.defs.dbt.assets import record_seeds, stale_seeds
from dagster_project.resources import WarehouseResource


def manifest(**checksums: str) -> dict:
    return {
        "nodes": {
            f"seed.djpk.{name}": {"resource_type": "seed", "name": name, "checksum": {"checksum": checksum}}
            for name, checksum in checksums.items()
        }
    }


def test_a_seed_is_stale_until_loaded_and_again_when_its_csv_changes(tmp_path):
    warehouse = WarehouseResource(database=str(tmp_path / "warehouse.duckdb"))
    assert stale_seeds(warehouse, manifest(id_holidays="a", pemda_register="b")) == ["id_holidays", "pemda_register"]

    with duckdb.connect(warehouse.database) as conn:  # dbt loaded both seeds
        conn.execute("create schema reference")
        conn.execute("create table reference.id_holidays (d date)")
        conn.execute("create table reference.pemda_register (p varchar)")
    results = {
        "results": [
            {"unique_id": "seed.djpk.id_holidays", "status": "success"},
            {"unique_id": "seed.djpk.pemda_register", "status": "success"},
        ]
    }
    record_seeds(warehouse, manifest(id_holidays="a", pemda_register="b"), results)
    assert stale_seeds(warehouse, manifest(id_holidays="a", pemda_register="b")) == []

    assert stale_seeds(warehouse, manifest(id_holidays="a", pemda_register="c")) == ["pemda_register"]  # CSV edited
    with duckdb.connect(warehouse.database) as conn:
        conn.execute("drop table reference.id_holidays")  # someone dropped it
    assert stale_seeds(warehouse, manifest(id_holidays="a", pemda_register="b")) == ["id_holidays"]


def test_a_failed_seed_is_not_recorded(tmp_path):
    warehouse = WarehouseResource(database=str(tmp_path / "warehouse.duckdb"))
    record_seeds(
        warehouse, manifest(id_holidays="a"), {"results": [{"unique_id": "seed.djpk.id_holidays", "status": "error"}]}
    )
    assert stale_seeds(warehouse, manifest(id_holidays="a")) == ["id_holidays"]


def test_the_seeds_asset_loads_every_seed_and_records_it(tmp_path):
    """`djpk_dbt_seeds` (the reference data, outside the monthly job): one dbt build of every seed into a new
    warehouse, each seed's table in `reference`, each checksum recorded, so the next month run loads none."""
    import dagster as dg

    from dagster_project.defs.dbt import defs as dbt_defs
    from dagster_project.defs.dbt.assets import djpk_dbt_project_manifest, djpk_dbt_seeds, seed_checksums
    from dagster_project.resources import default_resources
    from dagster_project.settings import data_paths

    resources = {**default_resources(data_paths(tmp_path / "data")), "dbt": dbt_defs.resources["dbt"]}
    assert dg.materialize([djpk_dbt_seeds], resources=resources).success
    warehouse = resources["warehouse"]
    manifest = djpk_dbt_project_manifest()
    assert stale_seeds(warehouse, manifest) == []
    with duckdb.connect(warehouse.database, read_only=True) as conn:
        tables = {
            name
            for (name,) in conn.execute(
                "select table_name from duckdb_tables() where schema_name = 'reference'"
            ).fetchall()
        }
    assert tables >= set(seed_checksums(manifest))


def test_a_month_run_builds_the_changed_seeds_with_every_model(tmp_path):
    """A month run whose warehouse misses seeds (or holds an older CSV of them) builds those seeds and every model
    in one `dbt build`; what that selection picks, as dbt lists it."""
    from djpk_runner import run_dbt

    from dagster_project.defs.dbt.assets import djpk_dbt_project_manifest, seed_checksums, seeds_and_models_selection

    every_seed = sorted(seed_checksums(djpk_dbt_project_manifest()))
    changed = ["pemda_register", "service_rules"]

    def listed(selection: list[str], resource_type: str) -> set[str]:
        output = run_dbt(
            tmp_path / "warehouse.duckdb",
            tmp_path / "target",
            "ls",
            *selection,
            "--resource-type",
            resource_type,
            "--output",
            "name",
            "--quiet",
        )
        return set(output.split())

    assert listed(seeds_and_models_selection(changed, every_seed), "seed") == set(changed)
    assert listed(seeds_and_models_selection(every_seed, every_seed), "seed") == set(every_seed)
    assert listed(seeds_and_models_selection([], every_seed), "seed") == set()  # a month run with no changed seed
    models = listed(seeds_and_models_selection(changed, every_seed), "model")
    assert models == listed(["--select", "fqn:*"], "model") and len(models) > 50
