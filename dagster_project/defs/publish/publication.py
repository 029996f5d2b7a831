"""A month's publication as one unit: staged aside, switched in whole, recovered after a crash.

``tables.py`` holds the warehouse side, ``versions.py`` the files; this module orders them. The
switch's commit point is the warehouse transaction; the files follow it (see ``versions.py``).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ...lib.months import month_start
from .crash_points import crash_point
from .tables import current_version, ensure_tables, switch_rows
from .versions import PendingVersion, move_into_versions, point_current_at, recover


def recover_month(
    conn: duckdb.DuckDBPyConnection, month_folder: Path, month: str, keep_run_id: str | None = None
) -> list[str]:
    """Before a run touches a month's publication: finish a switch a dead run committed, and remove
    versions that never became current (except ``keep_run_id``'s, still being written)."""
    return recover(month_folder, current_version(conn, month_start(month)), keep_run_id)


def switch_in(conn: duckdb.DuckDBPyConnection, pending: PendingVersion, month: str) -> None:
    """Make the complete pending version the month's current publication."""
    ensure_tables(conn)
    conn.execute("begin transaction")
    try:
        switch_rows(conn, month_start(month), pending.number, pending.run_id)
        conn.execute("commit")
    except BaseException:
        conn.execute("rollback")
        raise
    crash_point("switch.committed")
    move_into_versions(pending)
    crash_point("switch.version_folder")
    point_current_at(pending.month_folder, pending.number)
