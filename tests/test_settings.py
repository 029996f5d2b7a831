"""Settings that the Dagster process and dbt must share."""

from __future__ import annotations

import re

from dagster_project.settings import DBT_PROJECT_DIR, DEFAULT_DUCKDB_MEMORY_LIMIT


def test_dbt_s_duckdb_memory_limit_defaults_to_the_dagster_process_s():
    """dbt's profile reads the same environment variable and falls back on the same limit: a month's dbt build
    may not take more memory than its ingest (the 10 M-ticket peak is measured with both)."""
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    defaults = re.findall(r"env_var\('DJPK_DUCKDB_MEMORY_LIMIT', '([^']+)'\)", profile)
    assert defaults == [DEFAULT_DUCKDB_MEMORY_LIMIT]
