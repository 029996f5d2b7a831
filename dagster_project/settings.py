"""Where the pipeline keeps its files: one data directory, resolved at run time.

The data directory defaults to ``$DJPK_DATA_DIR`` and else ``./data`` (the embedded default).
Inside it::

    landing/<source>/<YYYY-MM>/<file>   raw exports, never modified or deleted by the pipeline
    warehouse.duckdb                    the DuckDB warehouse (one writer at a time)
    dbt_target/                         dbt's artifacts and partial-parse state for this warehouse
    published/<YYYY-MM>/                the published dataset and report of a month
    analyst/                            analysts' read-only copy (Parquet + views-only analyst.duckdb)
    dagster_home/                       Dagster instance storage (SQLite) unless DAGSTER_HOME is set

Who can read what (docs/analyst-guide.md): landing, the warehouse and the Dagster storage hold
personal data, so everything the pipeline creates is its service user's only (umask 077: 0600
files, 0700 folders). Two exceptions, set explicitly: the data dir itself is 0710 (the group may
pass through it, not list it) and ``analyst/`` is readable by the group (0750 folders, 0640 files).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DBT_PROJECT_DIR = REPO_ROOT / "dbt"
DBT_SEEDS_DIR = DBT_PROJECT_DIR / "seeds"
"""Reference data as dbt seeds: each CSV is the one home of its facts (holidays, pemda, ticket vocabularies)."""
WAREHOUSE_FILE_NAME = "warehouse.duckdb"
"""The warehouse file inside a data dir; dbt's ``pipeline`` target names it relative to the data dir."""
DBT_TARGET_FOLDER_NAME = "dbt_target"


@dataclass(frozen=True)
class DataPaths:
    root: Path

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def warehouse(self) -> Path:
        return self.root / WAREHOUSE_FILE_NAME

    @property
    def dbt_target(self) -> Path:
        """dbt's target folder for this warehouse: every dbt run of the data dir uses it (runs never overlap:
        one writer), so dbt's partial parsing skips re-parsing an unchanged project, and data dirs used side
        by side (tests) never share run results."""
        return self.root / DBT_TARGET_FOLDER_NAME

    @classmethod
    def of_dbt_target(cls, target: str | os.PathLike) -> DataPaths | None:
        """The data dir whose dbt target folder ``target`` is, or None when it is not a data dir's (the dbt
        project's own ``target/`` that ``djpk prepare`` parses into)."""
        path = Path(target)
        if not path.is_absolute() or path.name != DBT_TARGET_FOLDER_NAME:
            return None
        return cls(path.parent)

    @classmethod
    def of_warehouse(cls, warehouse: str | os.PathLike) -> DataPaths:
        """The data dir holding a warehouse file."""
        return cls(Path(warehouse).resolve().parent)

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


PRIVATE_UMASK = 0o077
"""Every file and folder the pipeline creates is its service user's only (0600 / 0700)."""
DATA_DIR_MODE = 0o710
"""The data dir: the group may traverse it (to reach ``analyst/``), not list it."""
PRIVATE_DIR_MODE = 0o700
PRIVATE_FILE_MODE = 0o600
ANALYST_DIR_MODE = 0o750
ANALYST_FILE_MODE = 0o640


def keep_new_files_private() -> None:
    """Set the process umask so that nothing the pipeline writes (landing samples, warehouse, its
    spill and WAL files, dbt's and Dagster's files, published files) is readable by other users.
    Called wherever the data dir is resolved, so it holds before the first file is created; dbt and
    every other child process inherit it."""
    os.umask(PRIVATE_UMASK)


def data_paths(data_dir: str | os.PathLike | None = None) -> DataPaths:
    """The data directory: the argument, else ``$DJPK_DATA_DIR``, else ``./data``."""
    keep_new_files_private()
    chosen = data_dir or os.environ.get("DJPK_DATA_DIR") or "data"
    return DataPaths(Path(chosen).expanduser().resolve())


def secure_data_dir(paths: DataPaths) -> None:
    """Create the data dir if needed and tighten what a data dir made before these modes holds at its
    top: the dir 0710; landing, published and the Dagster home 0700; the warehouse files 0600.
    (Files deeper down keep their modes; new ones are private by the umask.)"""
    paths.root.mkdir(parents=True, exist_ok=True)
    paths.root.chmod(DATA_DIR_MODE)
    for folder in (paths.landing, paths.published, paths.dagster_home):
        if folder.is_dir() and not folder.is_symlink():
            folder.chmod(PRIVATE_DIR_MODE)
    for path in paths.root.glob(f"{paths.warehouse.name}*"):
        if path.is_file() and not path.is_symlink():
            path.chmod(PRIVATE_FILE_MODE)


DEFAULT_DUCKDB_MEMORY_LIMIT = "512MB"
"""DuckDB's memory limit in every process that opens the warehouse (Dagster's and dbt's, whose
``dbt/profiles.yml`` names the same default; a test holds them equal): larger months spill to
``warehouse.duckdb.tmp/`` instead of growing. 512MB keeps a month of 10 M tickets under 1.5 GB for the whole
process tree, Python's own ~450 MB of imports included (docs/benchmarks.md); a month of real size never
reaches it."""
DUCKDB_MEMORY_LIMIT = os.environ.get("DJPK_DUCKDB_MEMORY_LIMIT", DEFAULT_DUCKDB_MEMORY_LIMIT)
"""The limit in force: ``$DJPK_DUCKDB_MEMORY_LIMIT`` (read by ``dbt/profiles.yml`` too), else the default."""


def duckdb_config() -> dict[str, str]:
    return {"memory_limit": DUCKDB_MEMORY_LIMIT}
