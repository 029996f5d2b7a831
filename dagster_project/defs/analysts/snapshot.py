"""The analysts' copy of the warehouse: Parquet files plus a DuckDB file of views over them.

Analysts never open ``warehouse.duckdb`` (one writer at a time: a reader would block a run, and a
run would break the reader). Instead, after each publication the analyst-facing schemas are
exported as a snapshot::

    analyst/
      analyst.duckdb                 only VIEWs, one per table, over the Parquet files of one snapshot
      current -> snapshots/<id>      the latest snapshot (a symlink, swapped atomically)
      marts -> current/marts         so `analyst/<schema>/<table>.parquet` is always the latest
      reporting, published, reference  (same)
      snapshots/<id>/<schema>/<table>.parquet
      snapshots/<id>/snapshot.json   tables, row counts, time of export

A refresh writes ``snapshots/.tmp-<id>/`` completely, renames it to ``snapshots/<id>``, writes a
new ``analyst.duckdb`` beside the old one and renames it over it, then swaps ``current``: every
step visible to readers is one atomic rename. A reader that opened ``analyst.duckdb`` earlier keeps
its (old) views, which point at the old snapshot's files; old snapshots are therefore deleted only
when they are neither among the ``KEEP_SNAPSHOTS`` newest nor younger than ``SNAPSHOT_GRACE``.
The ``raw`` schema (personal data) is never exported.

Who can reach what: the copy is readable by the service user's group (0750 folders, 0640 files; the
data dir is 0710, every other file in it 0600). A session opened the documented way —
:func:`open_analyst_database`, or the DuckDB CLI with ``-init analyst/lockdown.sql`` — reads only the
snapshot files: DuckDB's ``allowed_directories`` is the snapshots folder, ``enable_external_access``
is off and the configuration is locked, so ``attach '<data>/warehouse.duckdb'`` and
``read_csv('<data>/landing/…')`` are refused. (A DuckDB file cannot carry such settings itself: a
session opened otherwise is held back by the file modes alone.)
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from ...lib.loader import RAW_SCHEMA, WORK_SCHEMA
from ...settings import ANALYST_DIR_MODE, ANALYST_FILE_MODE
from ..publish.versions import replace_symlink

ANALYST_SCHEMAS = ("marts", "reporting", "published", "reference")
"""Exported schemas. Never ``raw`` (personal data); ``staging``/``intermediate`` are internal."""
FORBIDDEN_SCHEMAS = frozenset({RAW_SCHEMA, WORK_SCHEMA})
KEEP_SNAPSHOTS = 3
SNAPSHOT_GRACE = timedelta(hours=1)
ANALYST_DB_NAME = "analyst.duckdb"
LOCKDOWN_SQL_NAME = "lockdown.sql"
SNAPSHOT_ID_FORMAT = "%Y%m%dT%H%M%S%fZ"

assert not FORBIDDEN_SCHEMAS & set(ANALYST_SCHEMAS), "the raw schema must never reach analysts"


@dataclass
class AnalystSnapshot:
    """What one refresh exported."""

    snapshot_id: str
    folder: Path
    database: Path
    row_counts: dict[str, int] = field(default_factory=dict)
    """``schema.table`` → rows."""
    removed_snapshots: list[str] = field(default_factory=list)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def analyst_tables(conn: duckdb.DuckDBPyConnection, schemas=ANALYST_SCHEMAS) -> list[tuple[str, str]]:
    """(schema, table) of every table and view of the exported schemas in the warehouse."""
    if FORBIDDEN_SCHEMAS & set(schemas):
        raise ValueError(f"refusing to export {sorted(FORBIDDEN_SCHEMAS & set(schemas))} to analysts")
    placeholders = ", ".join("?" for _ in schemas)
    return [
        (schema, table)
        for schema, table in conn.execute(
            "select table_schema, table_name from information_schema.tables "
            f"where table_catalog = current_database() and table_schema in ({placeholders}) order by 1, 2",
            list(schemas),
        ).fetchall()
    ]


def _export_parquet(conn: duckdb.DuckDBPyConnection, tables, folder: Path) -> dict[str, int]:
    counts = {}
    for schema, table in tables:
        (folder / schema).mkdir(parents=True, exist_ok=True)
        target = folder / schema / f"{table}.parquet"
        conn.execute(f"copy (select * from {_ident(schema)}.{_ident(table)}) to {_quote(str(target))} (format parquet)")
        counts[f"{schema}.{table}"] = conn.execute(f"select count(*) from {_ident(schema)}.{_ident(table)}").fetchone()[
            0
        ]
    return counts


def _write_views_database(path: Path, snapshot: AnalystSnapshot, exported_at: str) -> None:
    """A fresh DuckDB file holding only views over the snapshot's Parquet files (absolute paths)."""
    if path.exists():
        path.unlink()
    with duckdb.connect(str(path)) as views:
        for schema in sorted({key.split(".", 1)[0] for key in snapshot.row_counts}):
            views.execute(f"create schema {_ident(schema)}")
        for key in snapshot.row_counts:
            schema, table = key.split(".", 1)
            parquet = snapshot.folder / schema / f"{table}.parquet"
            views.execute(
                f"create view {_ident(schema)}.{_ident(table)} as select * from read_parquet({_quote(str(parquet))})"
            )
        rows = (
            " union all ".join(
                f"select {_quote(key.split('.', 1)[0])} as table_schema, {_quote(key.split('.', 1)[1])} as table_name, "
                f"{count}::bigint as row_count"
                for key, count in snapshot.row_counts.items()
            )
            or "select null::varchar as table_schema, null::varchar as table_name, null::bigint as row_count limit 0"
        )
        views.execute(
            "create view main.snapshot_tables as select *, "
            f"{_quote(snapshot.snapshot_id)} as snapshot_id, {_quote(exported_at)}::timestamptz as exported_at from ({rows})"
        )
        views.execute("checkpoint")


def lockdown_sql(analyst_root: Path) -> str:
    """SQL that limits a session on ``analyst.duckdb`` to the snapshot files (run it first, then nothing
    can undo it): no attach, no other file read or written, no extension loaded."""
    snapshots = str(Path(analyst_root).resolve() / "snapshots") + "/"
    return (
        f"SET allowed_directories = [{_quote(snapshots)}];\n"
        "SET enable_external_access = false;\n"
        "SET lock_configuration = true;\n"
    )


def open_analyst_database(analyst_root: Path) -> duckdb.DuckDBPyConnection:
    """``analyst/analyst.duckdb`` read-only, limited to its own views (see :func:`lockdown_sql`)."""
    conn = duckdb.connect(str(Path(analyst_root) / ANALYST_DB_NAME), read_only=True)
    try:
        for statement in lockdown_sql(analyst_root).strip().splitlines():
            conn.execute(statement)
    except BaseException:
        conn.close()
        raise
    return conn


def _share_with_group(path: Path) -> None:
    """Folders 0750 and files 0640 under ``path`` (the umask made them the service user's only).
    Links are not followed; a snapshot removed meanwhile by another refresh is skipped."""
    for each in (path, *(path.rglob("*") if path.is_dir() else ())):
        try:
            if not each.is_symlink():
                each.chmod(ANALYST_DIR_MODE if each.is_dir() else ANALYST_FILE_MODE)
        except FileNotFoundError:
            continue


def _remove_old_snapshots(snapshots: Path, keep: str, now: datetime) -> list[str]:
    finished = sorted((path for path in snapshots.iterdir() if not path.name.startswith(".")), reverse=True)
    removed = []
    for path in finished[KEEP_SNAPSHOTS:]:
        try:
            created = datetime.strptime(path.name, SNAPSHOT_ID_FORMAT).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        if path.name != keep and now - created > SNAPSHOT_GRACE:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path.name)
    for leftover in snapshots.glob(".tmp-*"):  # a refresh that died half-way
        if now.timestamp() - leftover.stat().st_mtime > SNAPSHOT_GRACE.total_seconds():
            shutil.rmtree(leftover, ignore_errors=True)
    return removed


def refresh_analyst_snapshot(conn: duckdb.DuckDBPyConnection, analyst_root: Path) -> AnalystSnapshot:
    """Export the analyst schemas of the warehouse behind ``conn`` and swap them in for readers.

    ``conn`` may be the run's read-write connection or a read-only one; it is only read.
    """
    now = datetime.now(timezone.utc)
    snapshot_id = now.strftime(SNAPSHOT_ID_FORMAT)
    analyst_root = Path(analyst_root).resolve()
    snapshots = analyst_root / "snapshots"
    snapshots.mkdir(parents=True, exist_ok=True)
    analyst_root.chmod(ANALYST_DIR_MODE)
    snapshots.chmod(ANALYST_DIR_MODE)
    temporary = snapshots / f".tmp-{snapshot_id}"
    final = snapshots / snapshot_id
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()

    tables = analyst_tables(conn)
    row_counts = _export_parquet(conn, tables, temporary)
    exported_at = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    (temporary / "snapshot.json").write_text(
        json.dumps(
            {"snapshot_id": snapshot_id, "exported_at": exported_at, "row_counts": row_counts}, indent=2, sort_keys=True
        )
        + "\n"
    )
    _share_with_group(temporary)
    os.replace(temporary, final)

    snapshot = AnalystSnapshot(
        snapshot_id=snapshot_id, folder=final, database=analyst_root / ANALYST_DB_NAME, row_counts=row_counts
    )
    new_database = analyst_root / f".{ANALYST_DB_NAME}.tmp-{snapshot_id}"
    try:
        _write_views_database(new_database, snapshot, exported_at)
        _share_with_group(new_database)
        os.replace(new_database, snapshot.database)
    finally:
        for leftover in (new_database, new_database.with_name(new_database.name + ".wal")):
            leftover.unlink(missing_ok=True)

    replace_symlink(analyst_root / "current", f"snapshots/{snapshot_id}")
    for schema in ANALYST_SCHEMAS:
        link = analyst_root / schema
        if not link.is_symlink():
            if link.exists():
                shutil.rmtree(link)
            link.symlink_to(f"current/{schema}")
    lockdown = analyst_root / LOCKDOWN_SQL_NAME
    lockdown.write_text(lockdown_sql(analyst_root), encoding="utf-8")
    _share_with_group(analyst_root)  # also what a refresh before these modes left
    snapshot.removed_snapshots = _remove_old_snapshots(snapshots, keep=snapshot_id, now=now)
    return snapshot
