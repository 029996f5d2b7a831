"""Resources shared by every asset: where the data lives and the DuckDB warehouse.

Both are bound when the definitions load, from ``$DJPK_DATA_DIR`` (else ``./data``); the ``djpk``
CLI sets that variable from ``--data-dir`` before loading them.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import duckdb
from dagster_duckdb import DuckDBResource

from .settings import DataPaths, data_paths, duckdb_config, secure_data_dir


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
        "warehouse": WarehouseResource(database=str(paths.warehouse), connection_config=duckdb_config()),
    }

