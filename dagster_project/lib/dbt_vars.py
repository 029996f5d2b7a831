"""Facts that dbt and the Python side share, read from their one home: ``vars`` of ``dbt/dbt_project.yml``.

dbt reads them with ``var('…')``; Python (the report clock in :mod:`dagster_project.lib.months`, the sample
generator's service hours) reads them here, so neither side writes them again.
"""

from __future__ import annotations

from datetime import time
from functools import lru_cache

import yaml

from ..settings import DBT_PROJECT_DIR

DBT_PROJECT_FILE = DBT_PROJECT_DIR / "dbt_project.yml"


@lru_cache(maxsize=1)
def _project_vars() -> dict:
    return yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["vars"]


def project_var(name: str):
    """A var of the dbt project, as its default is written in ``dbt_project.yml``."""
    try:
        return _project_vars()[name]
    except KeyError:
        raise KeyError(f"dbt var {name!r} is not in {DBT_PROJECT_FILE}") from None


def project_time_var(name: str) -> time:
    """A ``HH:MM:SS`` var (the service hours) as a :class:`datetime.time`."""
    return time.fromisoformat(str(project_var(name)))
