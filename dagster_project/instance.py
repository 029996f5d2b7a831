"""The Dagster instance the CLI and ``./dev ui`` share: SQLite under ``<data dir>/dagster_home``, with the
event log's connections kept open.

Dagster's stock SQLite event log opens (and disposes) a new SQLAlchemy engine for every event it stores,
mirrors asset and check events into a second database the same way, and reads back materializations per
check: ~11 ms per event here, most of a month run's fixed cost (``../shared/notes/performance.md``).
:class:`PooledSqliteEventLogStorage` keeps one engine per database for the life of the process (≈4 ms per
event); the files, tables and what the UI reads are the stock ones. A ``dagster.yaml`` already in
``DAGSTER_HOME`` (a deployment's PostgreSQL instance, ``deploy/dagster.yaml``) is never replaced.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from dagster._core.storage.event_log import SqliteEventLogStorage  # no public name; pinned dagster, see tests
from sqlalchemy import create_engine
from sqlalchemy.engine import Connection, Engine

SQLITE_BUSY_TIMEOUT_SECONDS = 30


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """``SqliteEventLogStorage`` with one engine (and its connection pool) per shard instead of one per event."""

    def __init__(self, base_dir: str, inst_data=None):
        self._engines: dict[str, Engine] = {}
        self._engines_lock = threading.Lock()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(cls, inst_data, config_value):  # the parent's builds its own class, not ``cls``
        return cls(inst_data=inst_data, **config_value)

    def _engine(self, shard: str) -> Engine:
        with self._engines_lock:
            engine = self._engines.get(shard)
            if engine is None:
                engine = create_engine(
                    self.conn_string_for_shard(shard), connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS}
                )
                self._engines[shard] = engine
            return engine

    @contextmanager
    def _connect(self, shard: str) -> Iterator[Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as conn, conn.begin():
                yield conn

    def dispose(self) -> None:
        with self._engines_lock:
            for engine in self._engines.values():
                engine.dispose()
            self._engines.clear()
        super().dispose()


LOCAL_INSTANCE_MARKER = "# djpk: local instance"
INSTANCE_YAML = (
    LOCAL_INSTANCE_MARKER
    + """ (SQLite under this folder, pooled event log). Rewritten by djpk when the
# data dir moves; a deployment's own dagster.yaml (deploy/dagster.yaml) is never touched.
event_log_storage:
  module: dagster_project.instance
  class: PooledSqliteEventLogStorage
  config:
    base_dir: {base_dir}
# Nothing leaves this machine: Dagster's usage statistics (on by default, uploaded to
# telemetry.dagster.io by the webserver and the daemon) are off, as in deploy/dagster.yaml.
telemetry:
  enabled: false
"""
)


def ensure_local_instance(dagster_home: Path) -> Path:
    """``dagster_home/dagster.yaml`` for a local SQLite instance with the pooled event log.

    Written when missing, and rewritten when it is djpk's own but names another folder (a copied data
    dir must not write into the original's event log); any other ``dagster.yaml`` is left as it is."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    wanted = INSTANCE_YAML.format(base_dir=dagster_home.resolve() / "history" / "runs")
    if not config.exists() or (config.read_text().startswith(LOCAL_INSTANCE_MARKER) and config.read_text() != wanted):
        config.write_text(wanted)
    return config
