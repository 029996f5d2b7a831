"""Where the pipeline keeps its files: one data directory, resolved at run time.

The data directory defaults to ``$DJPK_DATA_DIR`` and else ``./data`` (the embedded default).
Inside it::

    landing/<source>/<YYYY-MM>/<file>   raw exports, never modified or deleted by the pipeline
    warehouse.duckdb                    the DuckDB warehouse (one writer at a time)
    published/<YYYY-MM>/                the published dataset and report of a month
    analyst/                            analysts' read-only copy (Parquet + views-only analyst.duckdb)
    dagster_home/                       Dagster instance storage (SQLite) unless DAGSTER_HOME is set
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def published(self) -> Path:
        return self.root / "published"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster_home"

    def relative(self, path: Path) -> str:
        """A path as written in manifests and messages: relative to the data dir when inside it."""
        try:
            return str(Path(path).resolve().relative_to(self.root))
        except ValueError:
            return str(path)


def data_paths(data_dir: str | os.PathLike | None = None) -> DataPaths:
    """The data directory: the argument, else ``$DJPK_DATA_DIR``, else ``./data``."""
    chosen = data_dir or os.environ.get("DJPK_DATA_DIR") or "data"
    return DataPaths(Path(chosen).expanduser().resolve())


DUCKDB_MEMORY_LIMIT = os.environ.get("DJPK_DUCKDB_MEMORY_LIMIT", "1GB")
"""DuckDB's memory limit in every process that opens the warehouse (Dagster's and dbt's): larger
months spill to ``warehouse.duckdb.tmp/`` instead of growing. ``$DJPK_DUCKDB_MEMORY_LIMIT`` overrides it
(read by ``dbt/profiles.yml`` too)."""


def duckdb_config() -> dict[str, str]:
    return {"memory_limit": DUCKDB_MEMORY_LIMIT}
