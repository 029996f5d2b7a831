"""Great Expectations suites derived from the export contracts, run on each raw month.

The suite is code generated from :mod:`dagster_project.lib.contracts` (no hand-edited JSON
store): every contract column present, required columns not null, enumerations, numeric ranges,
the month column inside the report month (WIB), the key unique. It validates what the raw layer
holds for the month after loading — an independent second check that nothing which breaks the
contract reached the tables downstream models read (the loader quarantines such rows).

GX runs the suite as SQL inside DuckDB: a SQL data source over duckdb-engine whose only connection
is a cursor of the caller's DuckDB connection (the warehouse is never opened a second time), and a
query asset selecting the month's rows. No month is pulled into pandas; GX sends aggregate queries
and, only for a failing expectation, a few ``limit``-ed ones for examples.
"""

from __future__ import annotations

import functools
import itertools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import duckdb

from ...lib.contracts import ExportContract
from ...lib.months import WIB_OFFSET, month_start, next_month_start
from .checks import CheckOutcome

BOOKKEEPING_COLUMNS = ("_report_month", "_row_number", "_source_file", "_source_sha256", "_loaded_at")
"""Columns the loader adds to every raw table: not part of the export, so not part of the batch."""

DUCKDB_DIALECT = "duckdb"
EXAMPLES_PER_EXPECTATION = 3


class _DialectName(str):
    """A dialect name in the shape of GX's ``GXSqlDialect`` members (compares as a string, has ``.value``)."""

    @property
    def value(self) -> str:
        return str(self)


def keep_one_duckdb_connection() -> None:
    """Make GX hold one connection for the whole validation on DuckDB, as it does for SQLite.

    Otherwise GX closes its connection before reading a result, the rollback on close wipes the
    pending DuckDB result, and metrics come back empty (duckdb_engine#1087, GX #10738, #11579).
    ``_PERSISTED_CONNECTION_DIALECTS`` is private to GX: great-expectations is pinned exactly and
    ``tests/test_expectations.py`` fails loudly when an upgrade moves or reshapes it.
    """
    from great_expectations.execution_engine import sqlalchemy_execution_engine as engine_module

    dialects = engine_module._PERSISTED_CONNECTION_DIALECTS
    if not isinstance(dialects, tuple):
        raise TypeError(
            f"GX's _PERSISTED_CONNECTION_DIALECTS is a {type(dialects).__name__}, not a tuple: "
            "the DuckDB workaround needs revisiting for this GX version"
        )
    if DUCKDB_DIALECT not in dialects:
        engine_module._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DialectName(DUCKDB_DIALECT))


@functools.cache
def _gx():
    """Great Expectations and one ephemeral context, set up once per process: its import takes seconds."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    keep_one_duckdb_connection()
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


_datasource_numbers = itertools.count()
_context_lock = threading.RLock()  # the context (and its data sources) is shared by every validation in the process;
# re-entered when a data source of its own is removed inside a validation


@dataclass
class _SharedDataSource:
    """The GX data source of the suites validated through one DuckDB connection, made at the first of them."""

    conn: duckdb.DuckDBPyConnection
    datasource: Any = None
    cursors: list = field(default_factory=list)  # GX keeps engines alive after their data source is deleted
    assets: Iterator[int] = field(default_factory=itertools.count)


_shared: ContextVar[_SharedDataSource | None] = ContextVar("djpk_gx_data_source", default=None)


@contextmanager
def one_data_source(conn: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Every suite validated through ``conn`` in the block shares ONE GX data source: a cursor of ``conn`` (a
    connection of its own to the same database: GX's rollbacks never touch the caller's) and one query asset
    per export and month. A data source costs about 30 ms to add and remove, and a gate stage validates 14 exports
    a month (72 suites for a year of registers). Nothing of GX is imported unless a suite is validated."""
    shared = _SharedDataSource(conn)
    token = _shared.set(shared)
    try:
        yield
    finally:
        _shared.reset(token)
        if shared.datasource is not None:
            with _context_lock:
                _, context = _gx()
                shared.datasource.get_execution_engine().engine.dispose()  # closes GX's kept connection
                shared.datasource.get_engine().dispose()
                context.data_sources.delete(shared.datasource.name)
        for cursor in shared.cursors:
            cursor.close()
        shared.cursors.clear()


def _data_source_of(shared: _SharedDataSource, context):
    if shared.datasource is None:
        from duckdb_engine import ConnectionWrapper

        shared.cursors.append(shared.conn.cursor())
        cursors = shared.cursors
        shared.datasource = context.data_sources.add_sql(
            f"raw_exports_{next(_datasource_numbers)}",
            connection_string=f"{DUCKDB_DIALECT}:///:memory:",  # URL only names the dialect
            kwargs={"creator": lambda: ConnectionWrapper(cursors[0])},
        )
    return shared.datasource


def build_suite(gx, contract: ExportContract, month: str):
    """The expectation suite of one source for one report month."""
    expectations = gx.expectations
    suite = gx.ExpectationSuite(name=f"raw_{contract.raw_table}_{month}")
    suite.add_expectation(
        expectations.ExpectTableColumnsToMatchSet(column_set=list(contract.column_names), exact_match=False)
    )
    if not contract.allow_empty:
        suite.add_expectation(expectations.ExpectTableRowCountToBeBetween(min_value=1))
    if contract.key is not None and contract.key_unique_in_file:
        suite.add_expectation(expectations.ExpectColumnValuesToBeUnique(column=contract.key))
    for column in contract.columns:
        if column.required:
            suite.add_expectation(expectations.ExpectColumnValuesToNotBeNull(column=column.name))
        if column.allowed is not None:
            suite.add_expectation(
                expectations.ExpectColumnValuesToBeInSet(column=column.name, value_set=list(column.allowed))
            )
        if column.minimum is not None or column.maximum is not None:
            suite.add_expectation(
                expectations.ExpectColumnValuesToBeBetween(
                    column=column.name, min_value=column.minimum, max_value=column.maximum
                )
            )
    if contract.month_column is not None and contract.month_rule != "none":
        shift = WIB_OFFSET if contract.month_column_utc else timedelta(0)
        start = datetime.combine(month_start(month), datetime.min.time()) - shift
        end = datetime.combine(next_month_start(month), datetime.min.time()) - shift
        suite.add_expectation(
            expectations.ExpectColumnValuesToBeBetween(
                column=contract.month_column,
                min_value=start if contract.month_rule == "inside" else None,
                max_value=end,
                strict_max=True,
            )
        )
    return suite


def month_query(contract: ExportContract, month: str) -> str:
    """The batch: the month's rows of the raw table, without the loader's bookkeeping columns."""
    return (
        f"select * exclude ({', '.join(BOOKKEEPING_COLUMNS)}) from raw.{contract.raw_table} "
        f"where _report_month = date '{month_start(month).isoformat()}'"
    )


def _failures(results) -> dict[tuple[str, str], dict]:
    failed: dict[tuple[str, str], dict] = {}
    for r in results:
        if r.success:
            continue
        key = (r.expectation_config.type, r.expectation_config.kwargs.get("column", "") or "")
        failed[key] = {
            "unexpected": r.result.get("unexpected_count") or 0,
            "examples": r.result.get("partial_unexpected_list", [])[:EXAMPLES_PER_EXPECTATION],
        }
    return failed


def _validate(gx, context, conn: duckdb.DuckDBPyConnection, contract: ExportContract, month: str):
    """Results of the contract's suite on the month: pass/fail of every expectation, then counts and
    examples of the failing ones only (validated again with ``SUMMARY``). Through the block's shared data source
    (``one_data_source``), or one of its own."""
    shared = _shared.get()
    if shared is None or shared.conn is not conn:
        with one_data_source(conn):
            return _validate(gx, context, conn, contract, month)
    datasource = _data_source_of(shared, context)
    asset = datasource.add_query_asset(
        f"{contract.raw_table}_{month}_{next(shared.assets)}", query=month_query(contract, month)
    )
    try:
        batch = asset.add_batch_definition_whole_table("month").get_batch()
        suite = build_suite(gx, contract, month)
        results = batch.validate(suite, result_format="BOOLEAN_ONLY").results
        failing = [r.expectation_config.to_domain_obj() for r in results if not r.success]
        if failing:
            summaries = batch.validate(
                gx.ExpectationSuite(name=f"{suite.name}_failing", expectations=failing), result_format="SUMMARY"
            ).results
            by_config = {(r.expectation_config.type, repr(r.expectation_config.kwargs)): r for r in summaries}
            results = [
                by_config.get((r.expectation_config.type, repr(r.expectation_config.kwargs)), r) for r in results
            ]
        return results
    finally:
        # One asset at a time: GX saves the whole data source (every asset) whenever one is added.
        datasource.delete_asset(asset.name)


def validate_raw_month(conn: duckdb.DuckDBPyConnection, contract: ExportContract, month: str) -> CheckOutcome:
    """Run the contract's suite on the month's raw rows, as SQL inside DuckDB through ``conn``."""
    if not contract.expected_in(month):
        return CheckOutcome(True, f"no {contract.source} export expected for {month} (from {contract.available_from})")
    rows = conn.execute(
        f"select count(*) from raw.{contract.raw_table} where _report_month = ?", [month_start(month)]
    ).fetchone()[0]
    gx, context = _gx()
    with _context_lock:
        results = _validate(gx, context, conn, contract, month)
    failed = [
        f"{kind}({column}): {entry['unexpected'] or ''} unexpected, e.g. {entry['examples']}"
        for (kind, column), entry in _failures(results).items()
    ]
    description = (
        f"{len(results)} expectations met on {rows} rows of raw.{contract.raw_table} for {month}"
        if not failed
        else f"{len(failed)} of {len(results)} expectations failed: " + "; ".join(failed)
    )
    return CheckOutcome(not failed, description, {"expectations": len(results), "failed": len(failed), "rows": rows})
