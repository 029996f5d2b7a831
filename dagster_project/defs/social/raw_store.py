"""The raw API tables: JSON responses as received, one month (or snapshot day) replaced atomically.

Every table keeps the response body as JSON text (``response_json``, tokens already redacted by
the HTTP layer), the token-free URL (``endpoint``), the provider, the request time (UTC) and the
report month. A month is replaced in one transaction (delete month + insert), like the export
loader: a pull that fails never reaches this module, so the month's earlier rows stay.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timezone

import duckdb

from ...apis import RawResponse
from ...apis.http import strip_token_params

RAW_SCHEMA = "raw"

RESPONSE_COLUMNS = (
    "report_month DATE, provider VARCHAR, endpoint VARCHAR, response_index INTEGER, "
    "requested_at TIMESTAMP, http_status INTEGER, response_json JSON, loaded_at TIMESTAMP"
)
SNAPSHOT_COLUMNS = (
    "platform VARCHAR, taken_at TIMESTAMP, snapshot_date DATE, report_month DATE, followers BIGINT, "
    "provider VARCHAR, endpoint VARCHAR, response_json JSON, loaded_at TIMESTAMP"
)
STORIES_COLUMNS = (
    "taken_at TIMESTAMP, snapshot_date DATE, report_month DATE, provider VARCHAR, endpoint VARCHAR, "
    "response_index INTEGER, response_json JSON, loaded_at TIMESTAMP"
)


def _utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def response_rows(month_start: date, provider: str, responses: list[RawResponse], loaded_at: datetime) -> list[tuple]:
    return [
        (month_start, provider, strip_token_params(r.url), index, _utc_naive(r.requested_at), r.status,
         json.dumps(r.json, ensure_ascii=False, sort_keys=True), loaded_at)
        for index, r in enumerate(responses)
    ]


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def replace_month(conn: duckdb.DuckDBPyConnection, table: str, month_start: date, rows: list[tuple]) -> int:
    """Replace the month's rows of ``raw.<table>`` (response columns) in one transaction."""
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"create table if not exists {RAW_SCHEMA}.{table} ({RESPONSE_COLUMNS})")
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {RAW_SCHEMA}.{table} where report_month = ?", [month_start])
        if rows:
            conn.executemany(f"insert into {RAW_SCHEMA}.{table} values (?, ?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
    return conn.execute(f"select count(*) from {RAW_SCHEMA}.{table} where report_month = ?", [month_start]).fetchone()[0]


def replace_snapshot_days(
    conn: duckdb.DuckDBPyConnection, snapshot_rows: list[tuple], story_rows: list[tuple], days: list[date]
) -> None:
    """Replace the snapshots and story pulls of ``days`` (one transaction for both tables)."""
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"create table if not exists {RAW_SCHEMA}.api_follower_snapshots ({SNAPSHOT_COLUMNS})")
    conn.execute(f"create table if not exists {RAW_SCHEMA}.api_instagram_stories ({STORIES_COLUMNS})")
    conn.execute("begin transaction")
    try:
        for day in days:
            conn.execute(f"delete from {RAW_SCHEMA}.api_follower_snapshots where snapshot_date = ?", [day])
            conn.execute(f"delete from {RAW_SCHEMA}.api_instagram_stories where snapshot_date = ?", [day])
        if snapshot_rows:
            conn.executemany(f"insert into {RAW_SCHEMA}.api_follower_snapshots values (?, ?, ?, ?, ?, ?, ?, ?, ?)", snapshot_rows)
        if story_rows:
            conn.executemany(f"insert into {RAW_SCHEMA}.api_instagram_stories values (?, ?, ?, ?, ?, ?, ?, ?)", story_rows)
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise
