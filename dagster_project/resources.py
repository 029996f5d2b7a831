"""Resources shared by every asset: where the data lives and the DuckDB warehouse.

Both are bound when the definitions load, from ``$DJPK_DATA_DIR`` (else ``./data``); the ``djpk``
CLI sets that variable from ``--data-dir`` before loading them.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource
from pydantic import PrivateAttr

from .partitions import run_months
from .settings import DataPaths, data_paths, duckdb_config, secure_data_dir
from .writer_lock import WRITER_LOCK_FILE, WarehouseBusy, WriterLock


class DataDirResource(dg.ConfigurableResource):
    """The data directory: landing folder, warehouse file, published folder."""

    data_dir: str

    @property
    def paths(self) -> DataPaths:
        return data_paths(self.data_dir)


class WarehouseResource(DuckDBResource):
    """The DuckDB warehouse. Like ``DuckDBResource``, but the connection is closed even when the
    code using it raises (dagster-duckdb 0.29 leaves it open, which then blocks every other open of
    the file in the same process), and read-only connections are available for checks."""

    @contextmanager
    def get_connection(self):
        connection = duckdb.connect(self.database, read_only=False, config=dict(self.connection_config))
        try:
            yield connection
        finally:
            connection.close()

    wait_seconds: float = 0.0
    """How long a run waits for another run that holds the warehouse before it stops (0: at once)."""

    _writer_lock: WriterLock | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Take the warehouse's writer lock for the whole run, before any step writes (``writer_lock``)."""
        run = context.run
        tags = run.tags if run is not None else {}
        months = run_months(tags)
        lock = WriterLock(Path(self.database).with_name(WRITER_LOCK_FILE))
        try:
            lock.acquire(
                {"run_id": run.run_id if run is not None else None, "months": months}, wait_seconds=self.wait_seconds
            )
        except WarehouseBusy as busy:
            raise dg.Failure(description=str(busy), allow_retries=False) from None
        self._writer_lock = lock

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._writer_lock is not None:
            self._writer_lock.release()
            self._writer_lock = None

    @contextmanager
    def read_only_connection(self):
        connection = duckdb.connect(self.database, read_only=True, config=dict(self.connection_config))
        try:
            yield connection
        finally:
            connection.close()


def default_resources(paths: DataPaths | None = None) -> dict[str, object]:
    paths = paths or data_paths()
    secure_data_dir(paths)
    return {
        "data_dir": DataDirResource(data_dir=str(paths.root)),
        "warehouse": WarehouseResource(
            database=str(paths.warehouse),
            connection_config=duckdb_config(),
            wait_seconds=float(os.environ.get("DJPK_WRITER_WAIT_SECONDS", "0")),
        ),
    }
