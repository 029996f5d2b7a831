"""The warehouse side of a publication: the ``published`` tables, the staged rows of a version that
is not current yet, and the record of which version of each month is current.

``publishing.pending_report_metrics`` / ``pending_report_lists`` hold a new version's rows (by run)
until the switch; ``publishing.current_versions`` says which version of a month is current. The
switch replaces the month's ``published`` rows and its ``current_versions`` row in one transaction:
that commit is the moment the new version becomes current (the files follow it, see ``versions.py``).
The ``publishing`` schema is internal: it is not exported to analysts.
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, timezone

import duckdb

METRIC_COLUMNS = "month, metric, dimension, value, value_prev_month, value_prev_year"
LIST_COLUMNS = "month, list, position, item_date, label, detail, value"
REPORT_METRICS_DDL = (
    "create table if not exists published.report_metrics (month DATE, metric VARCHAR, dimension VARCHAR, "
    "value DOUBLE, value_prev_month DOUBLE, value_prev_year DOUBLE, primary key (month, metric, dimension))"
)
PUBLISHED_TABLES_DDL = (
    "create schema if not exists published",
    REPORT_METRICS_DDL,
    "create table if not exists published.report_lists (month DATE, list VARCHAR, position INTEGER, "
    "item_date DATE, label VARCHAR, detail VARCHAR, value DOUBLE, primary key (month, list, position))",
    "create schema if not exists publishing",
    "create table if not exists publishing.pending_report_metrics (run_id VARCHAR, version INTEGER, "
    "month DATE, metric VARCHAR, dimension VARCHAR, value DOUBLE, value_prev_month DOUBLE, value_prev_year DOUBLE)",
    "create table if not exists publishing.pending_report_lists (run_id VARCHAR, version INTEGER, month DATE, "
    "list VARCHAR, position INTEGER, item_date DATE, label VARCHAR, detail VARCHAR, value DOUBLE)",
    "create table if not exists publishing.current_versions (month DATE primary key, version INTEGER, "
    "run_id VARCHAR, switched_at TIMESTAMP)",
)


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for statement in PUBLISHED_TABLES_DDL:
        conn.execute(statement)


def stage_rows(conn: duckdb.DuckDBPyConnection, month: date, version: int, run_id: str) -> None:
    """The month's candidate rows (``reporting``) as the pending rows of ``version``, in one transaction."""
    ensure_tables(conn)
    conn.execute("begin transaction")
    try:
        for table, columns, source in (
            ("pending_report_metrics", METRIC_COLUMNS, "rpt_report_metrics"),
            ("pending_report_lists", LIST_COLUMNS, "rpt_report_lists"),
        ):
            conn.execute(f"delete from publishing.{table} where month = ?", [month])
            conn.execute(
                f"insert into publishing.{table} select ?, ?, {columns} from reporting.{source} where month = ?",
                [run_id, version, month],
            )
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise


def current_version(conn: duckdb.DuckDBPyConnection, month: date) -> int | None:
    """The version the warehouse records as current for ``month`` (None: never switched by this code)."""
    ensure_tables(conn)
    row = conn.execute("select version from publishing.current_versions where month = ?", [month]).fetchone()
    return None if row is None else row[0]


def switch_rows(conn: duckdb.DuckDBPyConnection, month: date, version: int, run_id: str) -> None:
    """Inside the caller's transaction: make ``version`` the month's current rows and record it.

    Without pending rows of this run (a report re-rendered alone), the published rows stay as they are.
    """
    staged = conn.execute(
        "select count(*) from publishing.pending_report_metrics where month = ? and run_id = ?", [month, run_id]
    ).fetchone()[0]
    if staged:
        for table, pending, columns in (
            ("report_metrics", "pending_report_metrics", METRIC_COLUMNS),
            ("report_lists", "pending_report_lists", LIST_COLUMNS),
        ):
            conn.execute(f"delete from published.{table} where month = ?", [month])
            conn.execute(
                f"insert into published.{table} select {columns} from publishing.{pending} where month = ? and run_id = ?",
                [month, run_id],
            )
    for pending in ("pending_report_metrics", "pending_report_lists"):
        conn.execute(f"delete from publishing.{pending} where month = ?", [month])
    conn.execute("delete from publishing.current_versions where month = ?", [month])
    conn.execute(
        "insert into publishing.current_versions values (?, ?, ?, ?)",
        [month, version, run_id, datetime.now(timezone.utc).replace(tzinfo=None)],
    )


@contextmanager
def staged_publication(database: str, run_id: str, config: dict | None = None):
    """A read-only view of the ``published`` tables as they will be once this run's pending versions
    are current: an in-memory database whose ``published.report_metrics`` / ``report_lists`` are the
    warehouse's, with the months this run staged replaced by their staged rows. The rendered report
    reads this, so that it shows the version it belongs to before that version is switched in."""
    conn = duckdb.connect(":memory:", config=dict(config or {}))
    try:
        conn.execute("attach ? as wh (read_only)", [database])
        present = {
            (schema, table)
            for schema, table in conn.execute(
                "select table_schema, table_name from information_schema.tables where table_catalog = 'wh'"
            ).fetchall()
        }
        conn.execute("create schema published")
        for table, pending, columns in (
            ("report_metrics", "pending_report_metrics", METRIC_COLUMNS),
            ("report_lists", "pending_report_lists", LIST_COLUMNS),
        ):
            if ("published", table) not in present:
                continue
            if ("publishing", pending) in present:
                conn.execute(
                    f"create table published.{table} as select {columns} from wh.published.{table} where month not in "
                    "(select month from wh.publishing.pending_report_metrics where run_id = $1) "
                    f"union all select {columns} from wh.publishing.{pending} where run_id = $1",
                    [run_id],
                )
            else:
                conn.execute(f"create table published.{table} as select {columns} from wh.published.{table}")
        conn.execute("detach wh")
        yield conn
    finally:
        conn.close()
