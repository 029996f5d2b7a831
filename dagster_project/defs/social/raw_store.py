"""The raw API tables: JSON responses as received, a month (or snapshot days) replaced atomically.

Every table keeps the response body as JSON text (``response_json``, tokens already redacted by
the HTTP layer), the token-free URL (``endpoint``), the provider, the request time (UTC) and the
report month. :func:`replace_rows` is the one write path: for each table it deletes the rows of
the given keys (report months, or snapshot days) and inserts the new rows, all tables in one
transaction. A pull that fails never reaches this module, so the earlier rows stay. With the rows,
``raw.api_pull_modes`` records how each replaced key was pulled: ``live`` or ``recorded`` (replayed
from the bundled recordings, the demo's and the tests' mode; ``dagster_project.demo_mode``).

:func:`api_pulls_of_month` summarises what a month's figures were built from (for the publish
manifest): per table, provider and endpoint, the number of responses, request times and the
SHA-256 of the stored payloads, and the API mode of each.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Iterable, Sequence
from urllib.parse import urlsplit

import duckdb

from ...apis import RawResponse
from ...apis.http import strip_token_params
from ...lib.months import add_months, month_key, month_window_utc

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
MONTHLY_TABLES = ("api_ga4_reports", "api_instagram_media", "api_facebook_posts", "api_x_tweets")
FOLLOWER_SNAPSHOTS = "api_follower_snapshots"
INSTAGRAM_STORIES = "api_instagram_stories"
TABLE_COLUMNS = {
    **{table: RESPONSE_COLUMNS for table in MONTHLY_TABLES},
    FOLLOWER_SNAPSHOTS: SNAPSHOT_COLUMNS,
    INSTAGRAM_STORIES: STORIES_COLUMNS,
}
"""Column lists of every raw API table: the one definition (the dbt step creates any still missing before dbt
reads them: ``ensure_all_tables``)."""
API_PULL_MODES = "api_pull_modes"
API_PULL_MODES_COLUMNS = "table_name VARCHAR, pull_key DATE, api_mode VARCHAR, loaded_at TIMESTAMP"
"""How each key (report month, snapshot day) of each raw API table was last pulled: ``live`` or ``recorded``."""
API_MODES = ("live", "recorded")


@dataclass(frozen=True)
class Replacement:
    """Replace the rows of ``raw.<table>`` whose ``key_column`` is in ``keys`` by ``rows``."""

    table: str
    key_column: str
    keys: Sequence[date]
    rows: Sequence[tuple]


def _utc_naive(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def now_utc() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


def response_rows(month_start: date, provider: str, responses: list[RawResponse], loaded_at: datetime) -> list[tuple]:
    """Rows of a monthly response table (``RESPONSE_COLUMNS``)."""
    return [
        (
            month_start,
            provider,
            strip_token_params(r.url),
            index,
            _utc_naive(r.requested_at),
            r.status,
            json.dumps(r.json, ensure_ascii=False, sort_keys=True),
            loaded_at,
        )
        for index, r in enumerate(responses)
    ]


def snapshot_row(
    platform: str, provider: str, day: date, followers: int, response: RawResponse, loaded_at: datetime
) -> tuple:
    """A row of ``raw.api_follower_snapshots`` (``SNAPSHOT_COLUMNS``)."""
    return (
        platform,
        _utc_naive(response.requested_at),
        day,
        day.replace(day=1),
        followers,
        provider,
        strip_token_params(response.url),
        json.dumps(response.json, ensure_ascii=False, sort_keys=True),
        loaded_at,
    )


def story_rows(day: date, responses: list[RawResponse], loaded_at: datetime) -> list[tuple]:
    """Rows of ``raw.api_instagram_stories`` (``STORIES_COLUMNS``): one per stories page."""
    return [
        (
            _utc_naive(r.requested_at),
            day,
            day.replace(day=1),
            "Instagram",
            strip_token_params(r.url),
            index,
            json.dumps(r.json, ensure_ascii=False, sort_keys=True),
            loaded_at,
        )
        for index, r in enumerate(responses)
    ]


def ensure_table(conn: duckdb.DuckDBPyConnection, table: str) -> None:
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"create table if not exists {RAW_SCHEMA}.{table} ({TABLE_COLUMNS[table]})")


def ensure_modes_table(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"create table if not exists {RAW_SCHEMA}.{API_PULL_MODES} ({API_PULL_MODES_COLUMNS})")


def ensure_all_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Every raw API table and the pull-mode table, empty where no pull wrote one yet (dbt reads them all)."""
    for table in TABLE_COLUMNS:
        ensure_table(conn, table)
    ensure_modes_table(conn)


def replace_rows(conn: duckdb.DuckDBPyConnection, replacements: Iterable[Replacement], api_mode: str) -> None:
    """Apply every replacement in one transaction (all or nothing), recording ``api_mode`` (``live`` or
    ``recorded``) for each replaced key in ``raw.api_pull_modes``."""
    if api_mode not in API_MODES:
        raise ValueError(f"api_mode must be one of {API_MODES}, not {api_mode!r}")
    replacements = list(replacements)
    for replacement in replacements:
        ensure_table(conn, replacement.table)
    ensure_modes_table(conn)
    modes = f"{RAW_SCHEMA}.{API_PULL_MODES}"
    loaded_at = now_utc()
    conn.execute("begin transaction")
    try:
        for r in replacements:
            table = f"{RAW_SCHEMA}.{r.table}"
            for key in r.keys:
                conn.execute(f"delete from {table} where {r.key_column} = ?", [key])
                conn.execute(f"delete from {modes} where table_name = ? and pull_key = ?", [r.table, key])
            if r.rows:
                placeholders = ", ".join("?" * len(r.rows[0]))
                conn.executemany(f"insert into {table} values ({placeholders})", list(r.rows))
            if r.keys:
                conn.executemany(
                    f"insert into {modes} values (?, ?, ?, ?)", [(r.table, key, api_mode, loaded_at) for key in r.keys]
                )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def replace_month(
    conn: duckdb.DuckDBPyConnection, table: str, month_start: date, rows: list[tuple], api_mode: str
) -> int:
    """Replace the month's rows of ``raw.<table>`` (response columns); returns the month's row count."""
    replace_rows(conn, [Replacement(table, "report_month", [month_start], rows)], api_mode)
    return conn.execute(f"select count(*) from {RAW_SCHEMA}.{table} where report_month = ?", [month_start]).fetchone()[
        0
    ]


def replace_snapshot_days(
    conn: duckdb.DuckDBPyConnection, snapshot_rows: list[tuple], stories: list[tuple], days: list[date], api_mode: str
) -> None:
    """Replace the follower snapshots and story pulls of ``days`` (one transaction for both tables)."""
    replace_rows(
        conn,
        [
            Replacement(FOLLOWER_SNAPSHOTS, "snapshot_date", days, snapshot_rows),
            Replacement(INSTAGRAM_STORIES, "snapshot_date", days, stories),
        ],
        api_mode,
    )


def column_names(table: str) -> list[str]:
    """The column names of a raw API table, in order (``TABLE_COLUMNS``)."""
    return [column.split()[0] for column in TABLE_COLUMNS[table].split(", ")]


def holds_snapshot_days(
    conn: duckdb.DuckDBPyConnection, days: list[date], snapshot_rows: list[tuple], stories: list[tuple], api_mode: str
) -> bool:
    """Whether ``raw`` holds exactly ``snapshot_rows`` and ``stories`` for ``days`` (``loaded_at`` aside, the
    last column of both), every day of both tables last pulled in ``api_mode``."""
    tables = (FOLLOWER_SNAPSHOTS, INSTAGRAM_STORIES)
    if not {*tables, API_PULL_MODES} <= _existing_tables(conn):
        return False
    modes = conn.execute(
        f"select table_name, pull_key, api_mode from {RAW_SCHEMA}.{API_PULL_MODES} "
        "where table_name in (?, ?) and pull_key in (select unnest(?::date[]))",
        [*tables, list(days)],
    ).fetchall()
    if sorted(modes) != sorted((table, day, api_mode) for table in tables for day in days):
        return False
    for table, rows in zip(tables, (snapshot_rows, stories)):
        columns = [
            f"{name}::varchar" if name == "response_json" else name
            for name in column_names(table)
            if name != "loaded_at"
        ]
        stored = conn.execute(
            f"select {', '.join(columns)} from {RAW_SCHEMA}.{table} where snapshot_date in (select unnest(?::date[]))",
            [list(days)],
        ).fetchall()
        if Counter(stored) != Counter(tuple(row[:-1]) for row in rows):
            return False
    return True


# --- what a month was built from (publish manifest) ---------------------------------------------

PAYLOAD_HASH_RECIPE = (
    "sha256 over the stored response_json texts of the listed responses, ordered by requested_at, "
    "endpoint, response_index, each followed by a newline (UTF-8)"
)
_INSIGHTS_OBJECT = re.compile(r"/[^/]+/insights$")


def resource_of(method: str, endpoint: str) -> str:
    """The endpoint as a resource: method and path, insights of any object as ``/{id}/insights``."""
    path = _INSIGHTS_OBJECT.sub("/{id}/insights", urlsplit(endpoint).path)
    return f"{method} {path}"


def _existing_tables(conn: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = ?", [RAW_SCHEMA]
        ).fetchall()
    }


def _month_rows(conn: duckdb.DuckDBPyConnection, table: str, month_start: date) -> list[tuple]:
    """(provider, endpoint, response_index, requested_at, response_json, pull key) the month's figures use.

    Monthly pulls: the rows of the report month. Follower snapshots: those taken in the WIB month
    (the figure is the last of them). Story pulls: those of the month's snapshot days and of the
    first day of the next month (a story posted on the last evening is listed by that pull).
    The pull key (report month, snapshot day) is what ``raw.api_pull_modes`` records the mode of.
    """
    next_month = add_months(month_start, 1)
    if table in MONTHLY_TABLES:
        return conn.execute(
            f"select provider, endpoint, response_index, requested_at, response_json::varchar, report_month "
            f"from {RAW_SCHEMA}.{table} where report_month = ?",
            [month_start],
        ).fetchall()
    if table == FOLLOWER_SNAPSHOTS:
        # taken_at is stored as naive UTC: the WIB month's bounds in UTC, naive
        start, end = (_utc_naive(moment) for moment in month_window_utc(month_key(month_start)))
        return conn.execute(
            f"select provider, endpoint, 0, taken_at, response_json::varchar, snapshot_date from {RAW_SCHEMA}.{table} "
            "where taken_at >= ? and taken_at < ?",
            [start, end],
        ).fetchall()
    return conn.execute(
        f"select provider, endpoint, response_index, taken_at, response_json::varchar, snapshot_date "
        f"from {RAW_SCHEMA}.{table} where snapshot_date >= ? and snapshot_date <= ?",
        [month_start, next_month],
    ).fetchall()


def _pull_modes(conn: duckdb.DuckDBPyConnection, existing: set[str]) -> dict[tuple[str, date], str]:
    """(table, pull key) → ``live`` / ``recorded``; empty before the first pull that recorded its mode."""
    if API_PULL_MODES not in existing:
        return {}
    return {
        (table, key): mode
        for table, key, mode in conn.execute(
            f"select table_name, pull_key, api_mode from {RAW_SCHEMA}.{API_PULL_MODES}"
        ).fetchall()
    }


def combined_mode(modes: set[str]) -> str | None:
    """One mode for several pulls: the mode they share; ``mixed`` when some were recorded and some not;
    ``unknown`` when live ones sit with ones stored before modes were recorded; None for no pulls."""
    if len(modes) <= 1:
        return next(iter(modes), None)
    return "mixed" if modes & {"recorded", "mixed"} else "unknown"


def month_api_mode(pulls: list[dict]) -> str | None:
    """The API mode a month was built with, from its ``api_pulls_of_month`` entries (see ``combined_mode``)."""
    return combined_mode({pull["api_mode"] for pull in pulls})


def _method(table: str) -> str:
    """GA4 runReport is a POST; every Graph and X request a GET."""
    return "POST" if table == "api_ga4_reports" else "GET"


def _items(payload: str) -> int:
    body = json.loads(payload)
    for field in ("data", "rows"):
        if isinstance(body.get(field), list):
            return len(body[field])
    return 1 if isinstance(body.get("data"), dict) or "followers_count" in body else 0


def api_pulls_of_month(conn: duckdb.DuckDBPyConnection, month_start: date) -> list[dict]:
    """One entry per raw table, provider and resource holding what ``month_start``'s figures use.

    ``responses``: stored responses (pages; one per day for snapshots); ``items``: list items in them
    (posts, media, report rows, stories; 1 per profile response); ``sha256``: see
    ``PAYLOAD_HASH_RECIPE``; ``api_mode``: ``live`` or ``recorded`` as ``raw.api_pull_modes`` records
    for the pulls (``mixed`` when its responses came both ways, ``unknown`` for pulls stored before
    modes were recorded). Tables not created yet are left out.
    """
    existing = _existing_tables(conn)
    modes = _pull_modes(conn, existing)
    groups: dict[tuple[str, str, str], list[tuple]] = {}
    group_modes: dict[tuple[str, str, str], set[str]] = {}
    for table in TABLE_COLUMNS:
        if table not in existing:
            continue
        for provider, endpoint, index, requested_at, payload, pull_key in _month_rows(conn, table, month_start):
            key = (table, provider, resource_of(_method(table), endpoint))
            groups.setdefault(key, []).append((requested_at, endpoint, index, payload))
            group_modes.setdefault(key, set()).add(modes.get((table, pull_key), "unknown"))
    pulls = []
    order = list(TABLE_COLUMNS)
    for (table, provider, resource), rows in sorted(
        groups.items(), key=lambda item: (order.index(item[0][0]), item[0][1:])
    ):
        pull_modes = group_modes[(table, provider, resource)]
        rows.sort(key=lambda row: (row[0], row[1], row[2]))
        digest = hashlib.sha256()
        for *_, payload in rows:
            digest.update(payload.encode("utf-8") + b"\n")
        pulls.append(
            {
                "provider": provider,
                "resource": resource,
                "table": f"{RAW_SCHEMA}.{table}",
                "responses": len(rows),
                "items": sum(_items(payload) for *_, payload in rows),
                "first_requested_at": rows[0][0].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "last_requested_at": rows[-1][0].strftime("%Y-%m-%dT%H:%M:%SZ"),
                "sha256": digest.hexdigest(),
                "api_mode": combined_mode(pull_modes),
            }
        )
    return pulls
