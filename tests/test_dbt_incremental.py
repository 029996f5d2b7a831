"""dbt builds the run's months only: monthly models are incremental by report month.

A month run replaces that month's rows in every incremental model and leaves every other month's
rows as they were; a month whose raw rows changed after a build (a history month ingested with
`djpk ingest`, a re-export) reaches the models in the next build, whatever the run's months, and
then the models hold exactly what a full rebuild gives.
"""

from __future__ import annotations

import shutil

import duckdb
import pytest
from djpk_runner import copy_of_demo, run_djpk
from djpk_runner import run_dbt as dbt


@pytest.fixture
def data_dir(demo_data_dir, tmp_path):
    return copy_of_demo(demo_data_dir, tmp_path / "data")


def month_vars(month: str) -> list[str]:
    return ["--vars", f'{{"djpk_month_from": "{month}-01", "djpk_month_to": "{month}-01"}}']


def incremental_models(conn) -> dict[str, str]:
    """Every incremental model (as recorded by its builds) → its month column."""
    models = [
        row[0]
        for row in conn.execute("select distinct model_name from dbt_state.incremental_months order by 1").fetchall()
    ]
    columns = {}
    for model in models:
        schema, table = model.split(".")
        names = {
            row[0]
            for row in conn.execute(
                "select column_name from information_schema.columns where table_schema = ? and table_name = ?",
                [schema, table],
            ).fetchall()
        }
        columns[model] = "report_month" if "report_month" in names else "month"
    return columns


def fingerprints(conn, models: dict[str, str]) -> dict[tuple[str, str], tuple[int, int]]:
    """(model, month) → (rows, sum of the rows' hashes): equal exactly when that month's rows are."""
    prints = {}
    for model, column in models.items():
        for month, rows, hashed in conn.execute(
            f"select strftime({column}, '%Y-%m'), count(*), sum(hash(t::varchar))::hugeint from {model} as t group by 1"
        ).fetchall():
            prints[(model, month)] = (rows, int(hashed))
    return prints


def test_a_month_run_replaces_that_month_only_in_every_incremental_model(data_dir, tmp_path):
    warehouse = data_dir / "warehouse.duckdb"
    run_month, later_months = "2023-02", ("2024-01", "2024-02")  # 2023-02's rows read no later month
    dbt(warehouse, tmp_path / "target", "run", *month_vars(run_month))  # records the state of a demo built without it
    with duckdb.connect(str(warehouse)) as conn:
        models = incremental_models(conn)
        assert len(models) >= 40
        assert {
            "staging.stg_deskpro__tickets",
            "marts.fct_tickets",
            "marts.fct_whatsapp_users_monthly",
            "marts.fct_visits_monthly",
            "reporting.rpt_report_metrics",
            "reporting.rpt_report_lists",
        } <= set(models)
        before = fingerprints(conn, models)
        for model, column in models.items():  # one row less in the run month and in two later months
            for month in (run_month, *later_months):
                conn.execute(
                    f"delete from {model} where rowid = (select min(rowid) from {model} "
                    f"where strftime({column}, '%Y-%m') = ?)",
                    [month],
                )
        tampered = fingerprints(conn, models)
    assert tampered[("marts.fct_tickets", "2024-01")] != before[("marts.fct_tickets", "2024-01")]

    dbt(warehouse, tmp_path / "target", "run", *month_vars(run_month))

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        after = fingerprints(conn, models)
    assert {key for key in after if key[1] == run_month} == {key for key in before if key[1] == run_month}
    for key in sorted(set(after) | set(tampered)):
        if key[1] == run_month:
            assert after[key] == before[key], f"{key[0]}: the run month {run_month} was not rebuilt"
        else:
            assert after.get(key) == tampered.get(key), f"{key[0]}: month {key[1]} was touched by a {run_month} run"


def forget_month(conn, month: str) -> None:
    """Remove a month from the raw layer, as if it had never been ingested."""
    for (table,) in conn.execute(
        "select table_name from information_schema.columns where table_schema = 'raw' and column_name = '_report_month'"
    ).fetchall():
        conn.execute(f"delete from raw.{table} where _report_month = ?", [f"{month}-01"])
    conn.execute("delete from raw.load_log where report_month = ?", [f"{month}-01"])


def cumulative(conn, table: str, month: str, metric: str):
    return conn.execute(f"select value from {table} where month = ? and metric = ?", [f"{month}-01", metric]).fetchall()


def test_history_months_ingested_after_a_build_reach_the_marts_in_the_next_build(data_dir, tmp_path):
    """History months (tickets 2019-06 for the WhatsApp users since April 2019, registers 2023-06 for
    the face-to-face visits since 2023) land after the warehouse was built; the next build is for
    2024-02 only, and still brings them into staging, the marts and every cumulative figure."""
    warehouse = data_dir / "warehouse.duckdb"
    history = {"2019-06": ("2020-01", "whatsapp_users_cumulative"), "2023-06": ("2024-02", "face_to_face_cumulative")}
    with duckdb.connect(str(warehouse)) as conn:
        published = {month: cumulative(conn, "published.report_metrics", *figure) for month, figure in history.items()}
        assert all(len(rows) == 1 for rows in published.values())
        for month in history:
            forget_month(conn, month)
    dbt(warehouse, tmp_path / "target", "run", "--full-refresh")  # a warehouse built without them
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert (
            conn.execute("select count(*) from marts.fct_tickets where report_month = date '2019-06-01'").fetchone()[0]
            == 0
        )
        for month, figure in history.items():
            assert cumulative(conn, "reporting.rpt_report_metrics", *figure) == [], (
                "a gap leaves the cumulative figure out"
            )

    for month in history:
        run_djpk("ingest", "--month", month, data_dir=data_dir)  # raw layer only, no dbt
    dbt(warehouse, tmp_path / "target", "run", *month_vars("2024-02"))

    with duckdb.connect(str(warehouse), read_only=True) as conn:
        for raw_table, model in (
            ("deskpro_tickets", "marts.fct_tickets"),
            ("register_face_to_face", "staging.stg_register__face_to_face"),
        ):
            for month in history:
                raw_rows = conn.execute(
                    f"select count(*) from raw.{raw_table} where _report_month = ?", [f"{month}-01"]
                ).fetchone()[0]
                assert (
                    conn.execute(f"select count(*) from {model} where report_month = ?", [f"{month}-01"]).fetchone()[0]
                    == raw_rows
                )
        assert (
            conn.execute("select count(*) from marts.fct_tickets where report_month = date '2019-06-01'").fetchone()[0]
            > 0
        )
        for month, figure in history.items():
            assert cumulative(conn, "reporting.rpt_report_metrics", *figure) == published[month]
        models = incremental_models(conn)

    rebuilt = tmp_path / "rebuilt.duckdb"  # the same raw layer, every model built from scratch
    shutil.copyfile(warehouse, rebuilt)
    dbt(rebuilt, tmp_path / "target", "run", "--full-refresh")
    with duckdb.connect() as conn:
        conn.execute(f"attach '{warehouse}' as incremental (read_only)")
        conn.execute(f"attach '{rebuilt}' as rebuilt (read_only)")
        for model in models:
            for left, right in (("incremental", "rebuilt"), ("rebuilt", "incremental")):
                only = conn.execute(
                    f"select count(*) from (select * from {left}.{model} except all select * from {right}.{model})"
                ).fetchone()[0]
                assert only == 0, f"{model}: {only} rows only in the {left} build"


def test_a_model_built_while_its_upstream_lagged_catches_up_in_the_next_build(data_dir, tmp_path):
    """A re-export of an old month lands; a run builds only a reporting model (a Dagster subset), from
    marts that still hold the old export; the next full run brings the new export all the way down."""
    warehouse = data_dir / "warehouse.duckdb"
    dbt(warehouse, tmp_path / "target", "run", *month_vars("2024-02"))  # records the state of a demo built without it
    with duckdb.connect(str(warehouse)) as conn:  # the re-export of 2023-02 has five tickets less
        conn.execute("delete from raw.deskpro_tickets where _report_month = date '2023-02-01' and _row_number <= 5")
        conn.execute(
            "update raw.load_log set loaded_at = now() where source = 'tickets' and report_month = date '2023-02-01'"
        )
        raw_rows = conn.execute(
            "select count(*) from raw.deskpro_tickets where _report_month = date '2023-02-01'"
        ).fetchone()[0]

    def tickets_total(conn):
        return conn.execute(
            "select value from reporting.rpt_metrics__tickets where report_month = date '2023-02-01' "
            "and metric = 'tickets_total'"
        ).fetchone()[0]

    dbt(warehouse, tmp_path / "target", "run", "--select", "rpt_metrics__tickets", *month_vars("2024-02"))
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert tickets_total(conn) == raw_rows + 5, "the marts still hold the old export"
    dbt(warehouse, tmp_path / "target", "run", *month_vars("2024-02"))
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        assert (
            conn.execute("select count(*) from marts.fct_tickets where report_month = date '2023-02-01'").fetchone()[0]
            == raw_rows
        )
        assert tickets_total(conn) == raw_rows
