"""The contract's Great Expectations suite passes on good raw rows and names what breaks it."""

from __future__ import annotations

import duckdb
import pytest
from test_loader import rows, write_export

from dagster_project.defs.gate.expectations import keep_one_duckdb_connection, month_query, validate_raw_month
from dagster_project.lib.contracts import TICKETS
from dagster_project.lib.landing import find_export
from dagster_project.lib.loader import load_export


@pytest.fixture
def loaded(tmp_path):
    write_export(tmp_path / "landing", rows(5))
    with duckdb.connect(":memory:") as conn:
        landed = find_export(tmp_path / "landing", TICKETS, "2024-02")
        load_export(conn, TICKETS, "2024-02", landed, "landing/tickets/2024-02/tickets.csv")
        yield conn


def test_suite_passes_on_loaded_rows(loaded):
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert outcome.passed, outcome.description
    assert outcome.metadata["expectations"] >= 10


@pytest.mark.parametrize(
    "change, expected",
    [
        (
            "update raw.deskpro_tickets set feedback_service = 7 where id = 2",
            "expect_column_values_to_be_between(feedback_service)",
        ),
        ("update raw.deskpro_tickets set id = 1 where id = 2", "expect_column_values_to_be_unique(id)"),
        (
            "update raw.deskpro_tickets set channel = 'telegram' where id = 3",
            "expect_column_values_to_be_in_set(channel)",
        ),
        (
            "update raw.deskpro_tickets set date_created = timestamp '2024-03-01 00:00:00' where id = 4",
            "expect_column_values_to_be_between(date_created)",
        ),
    ],
)
def test_suite_fails_naming_the_expectation(loaded, change, expected):
    loaded.execute(change)
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert not outcome.passed
    assert expected in outcome.description


@pytest.mark.parametrize(
    "change, expected",
    [
        ("update raw.deskpro_tickets set id = 1 where id = 2", "expect_column_values_to_be_unique(id): 2 unexpected"),
        (
            "update raw.deskpro_tickets set channel = 'telegram' where id in (3, 4)",
            "expect_column_values_to_be_in_set(channel): 2 unexpected",
        ),
    ],
)
def test_suite_in_chunks_finds_what_the_whole_month_finds(loaded, change, expected):
    """The whole month in one SQL pass: every duplicate of a key is found, counts are of the whole month."""
    assert validate_raw_month(loaded, TICKETS, "2024-02").passed
    loaded.execute(change)
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert not outcome.passed and outcome.metadata["failed"] == 1 and outcome.metadata["rows"] == 5
    assert expected in outcome.description


def test_suite_sees_only_the_month_and_not_the_bookkeeping_columns(loaded):
    """The batch is the month's rows: a row of another month breaking the contract is not this month's failure."""
    loaded.execute(
        "insert into raw.deskpro_tickets select * replace (date '2024-03-01' as _report_month, 'telegram' as channel) "
        "from raw.deskpro_tickets where id = 1"
    )
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert outcome.passed and outcome.metadata["rows"] == 5, outcome.description
    batch_columns = [column for column, *_ in loaded.execute(month_query(TICKETS, "2024-02") + " limit 0").description]
    assert batch_columns == list(TICKETS.column_names)


def test_validation_queries_through_the_callers_connection_and_leaves_it_usable(loaded):
    """GX reads through a cursor of the given connection (an in-memory database no second open could see)
    and leaves the caller's connection, and its open transaction, untouched."""
    loaded.execute("begin")
    loaded.execute("create temp table caller_state as select 1 as x")
    assert validate_raw_month(loaded, TICKETS, "2024-02").passed
    assert loaded.execute("select count(*) from caller_state").fetchone() == (1,)
    loaded.execute("commit")


def test_gx_duckdb_workaround_still_applies():
    """Fails loudly when a GX upgrade breaks the private-name workaround (``_PERSISTED_CONNECTION_DIALECTS``)
    that keeps one connection open on DuckDB: without it GX reads results after a rollback wiped them."""
    import great_expectations
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    assert great_expectations.__version__ == "1.24.1", "GX upgraded: re-check keep_one_duckdb_connection, then this pin"
    assert isinstance(getattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", None), tuple), (
        "GX no longer has the _PERSISTED_CONNECTION_DIALECTS tuple the DuckDB workaround extends"
    )
    keep_one_duckdb_connection()
    keep_one_duckdb_connection()  # idempotent
    dialects = engine_module._PERSISTED_CONNECTION_DIALECTS
    assert sum(d == "duckdb" for d in dialects) == 1
    assert engine_module._dialect_requires_persisted_connection(connection_string="duckdb:///:memory:")
    with duckdb.connect(":memory:") as conn:
        from duckdb_engine import ConnectionWrapper

        cursor = conn.cursor()
        engine = engine_module.SqlAlchemyExecutionEngine(
            connection_string="duckdb:///:memory:", creator=lambda: ConnectionWrapper(cursor)
        )
        assert engine.dialect_name in dialects
        assert type(engine.engine.pool).__name__ == "StaticPool"  # one connection, kept: as GX does for SQLite
        engine.engine.dispose()


def test_suites_in_one_block_share_one_data_source_and_each_sees_its_own_rows(loaded):
    """The raw gate validates every export through ONE GX data source (``one_data_source``): a failing suite and a
    passing one in the same block each keep their own outcome, and the data source is gone after the block."""
    from dagster_project.defs.gate import expectations

    _, context = expectations._gx()
    before = set(context.data_sources.all())
    added = []
    add_sql = context.data_sources.add_sql

    def counting_add_sql(*args, **kwargs):
        added.append(kwargs.get("name", args[0] if args else None))
        return add_sql(*args, **kwargs)

    context.data_sources.add_sql = counting_add_sql
    try:
        with expectations.one_data_source(loaded):
            assert validate_raw_month(loaded, TICKETS, "2024-02").passed
            loaded.execute("update raw.deskpro_tickets set channel = 'telegram' where id = 3")
            broken = validate_raw_month(loaded, TICKETS, "2024-02")
            loaded.execute("update raw.deskpro_tickets set channel = 'email' where id = 3")
            assert validate_raw_month(loaded, TICKETS, "2024-02").passed
    finally:
        del context.data_sources.add_sql
    assert not broken.passed and "expect_column_values_to_be_in_set(channel)" in broken.description
    assert len(added) == 1
    assert set(context.data_sources.all()) == before
    assert loaded.execute("select count(*) from raw.deskpro_tickets").fetchone()[0] == 5
