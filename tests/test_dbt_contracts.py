"""Table models have enforced dbt contracts: every column typed in the model's yml, and "never NULL" as a
`not_null` constraint that DuckDB enforces at the insert (no dbt test node per column).

A NULL in such a column fails that model's build, naming the table and column, and leaves its rows as they
were; a table built before its constraint was declared gets it at its next build.
"""

from __future__ import annotations

import shutil

import duckdb
from djpk_runner import dbt_process, run_dbt

from dagster_project.defs.dbt.assets import djpk_dbt_project_manifest

MODEL = "stg_ga4__active_users"
COLUMN = "active_users"
MONTH_VARS = ["--vars", '{"djpk_month_from": "2024-02-01", "djpk_month_to": "2024-02-01"}']


def _table_models(manifest: dict) -> list[dict]:
    return [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] in ("table", "incremental")
    ]


def test_every_table_model_has_an_enforced_contract_with_every_column_typed():
    models = _table_models(djpk_dbt_project_manifest())
    assert len(models) > 50
    for node in models:
        assert node["config"]["contract"]["enforced"], node["name"]
        assert node["columns"], node["name"]
        untyped = [name for name, column in node["columns"].items() if not column.get("data_type")]
        assert not untyped, (node["name"], untyped)


def test_a_not_null_rule_has_one_home_a_constraint_on_tables_a_test_on_views_and_seeds():
    manifest = djpk_dbt_project_manifest()
    tables = {node["unique_id"] for node in _table_models(manifest)}
    not_null_tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "not_null"
    ]
    assert not [test["name"] for test in not_null_tests if test["attached_node"] in tables]
    constrained = {
        (node["name"], name)
        for node in _table_models(manifest)
        for name, column in node["columns"].items()
        if any(constraint["type"] == "not_null" for constraint in column.get("constraints", []))
    }
    assert (MODEL, COLUMN) in constrained and ("fct_tickets", "ticket_id") in constrained
    assert len(constrained) > 100


def _has_not_null(conn, table: str, column: str) -> bool:
    (found,) = conn.execute(
        "select count(*) from duckdb_constraints() where schema_name = 'staging' and table_name = ? "
        "and constraint_type = 'NOT NULL' and list_contains(constraint_column_names, ?)",
        [table, column],
    ).fetchone()
    return found > 0


def test_a_null_in_a_constrained_column_fails_the_models_build_and_writes_nothing(demo_data_dir, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copy(demo_data_dir / "warehouse.duckdb", warehouse)
    target = tmp_path / "target"
    with duckdb.connect(str(warehouse)) as conn:
        assert _has_not_null(conn, MODEL, COLUMN)
        # a table of a warehouse built before the constraint was declared
        conn.execute(f"alter table staging.{MODEL} alter column {COLUMN} drop not null")
        assert not _has_not_null(conn, MODEL, COLUMN)
    run_dbt(warehouse, target, "run", "--select", MODEL, *MONTH_VARS)
    with duckdb.connect(str(warehouse)) as conn:
        assert _has_not_null(conn, MODEL, COLUMN)  # its next build declared it
        before = conn.execute(f"select * from staging.{MODEL} order by all").fetchall()
        assert [row for row in before if str(row[0]) == "2024-02-01"]
        # February's totals report now answers without the users figure: the staging model reads NULL
        conn.execute(
            "update raw.api_ga4_reports set response_json = json_object('metricHeaders', "
            "json('[{\"name\": \"activeUsers\"}]'), 'rows', json('[{\"metricValues\": [{}]}]')) "
            "where report_month = date '2024-02-01' "
            "and json_array_length(coalesce(response_json -> '$.dimensionHeaders', '[]')) = 0"
        )
    completed = dbt_process(warehouse, target, "run", "--select", MODEL, *MONTH_VARS)
    assert completed.returncode != 0
    assert f"NOT NULL constraint failed: {MODEL}.{COLUMN}" in completed.stdout, completed.stdout[-3000:]
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert conn.execute(f"select * from staging.{MODEL} order by all").fetchall() == before
