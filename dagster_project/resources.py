"""Resources shared by every asset: where the data lives and the DuckDB warehouse.

Both are bound when the definitions load, from ``$DJPK_DATA_DIR`` (else ``./data``); the ``djpk``
CLI sets that variable from ``--data-dir`` before loading them.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
from dagster_duckdb import DuckDBResource

from .settings import DataPaths, data_paths


class DataDirResource(dg.ConfigurableResource):
    """The data directory: landing folder, warehouse file, published folder."""

    data_dir: str

    @property
    def paths(self) -> DataPaths:
        return data_paths(self.data_dir)


def default_resources() -> dict[str, object]:
    paths = data_paths()
    paths.root.mkdir(parents=True, exist_ok=True)
    return {
        "data_dir": DataDirResource(data_dir=str(paths.root)),
        "warehouse": DuckDBResource(database=str(paths.warehouse)),
    }


def warehouse_path(resource: DuckDBResource) -> Path:
    return Path(resource.database)
