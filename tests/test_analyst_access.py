"""Analysts read their own copy (analyst.duckdb + Parquet) while runs write the warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_duckdb import DuckDBResource

from dagster_project.defs.analysts.assets import analyst_warehouse
from dagster_project.resources import DataDirResource

REPO_ROOT = Path(__file__).resolve().parent.parent
TICKETS_TOTAL = (
    "select value from published.report_metrics where metric = 'tickets_total' and month = date '2024-02-01'"
)


@pytest.fixture(scope="module")
def published_data_dir(demo_data_dir, tmp_path_factory) -> Path:
    """A copy of the demo's data dir (2024-02 published by the CLI), the analyst copy refreshed by the asset."""
    from djpk_runner import copy_of_demo

    data_dir = copy_of_demo(demo_data_dir, tmp_path_factory.mktemp("analyst"))
    resources = {
        "data_dir": DataDirResource(data_dir=str(data_dir)),
        "warehouse": DuckDBResource(database=str(data_dir / "warehouse.duckdb")),
    }
    result = dg.materialize([analyst_warehouse], partition_key="2024-02", resources=resources)
    assert result.success
    return data_dir


def _cli_env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    env["DJPK_DATA_DIR"] = str(data_dir)
    return env


def _djpk_command(data_dir: Path) -> list[str]:
    """``djpk materialize --month 2024-02`` (as tests/conftest.py ``run_djpk`` runs it)."""
    return [
        sys.executable,
        "-m",
        "dagster_project.cli",
        "materialize",
        "--month",
        "2024-02",
        "--data-dir",
        str(data_dir),
    ]


def _analyst_query(data_dir: Path, sql: str = TICKETS_TOTAL):
    with duckdb.connect(str(data_dir / "analyst" / "analyst.duckdb"), read_only=True) as conn:
        return conn.execute(sql).fetchall()


def test_analyst_file_has_published_figures_and_no_raw_data(published_data_dir):
    assert _analyst_query(published_data_dir) == [(967.0,)]
    schemas = {
        row[0]
        for row in _analyst_query(published_data_dir, "select distinct table_schema from information_schema.tables")
    }
    assert schemas == {"main", "marts", "reporting", "published", "reference"}
    table_types = {
        row[0]
        for row in _analyst_query(published_data_dir, "select distinct table_type from information_schema.tables")
    }
    assert table_types == {"VIEW"}
    pemda = _analyst_query(published_data_dir, "select sum(tickets) from marts.fct_pemda_monthly")[0][0]
    assert pemda > 0
    parquet = published_data_dir / "analyst" / "published" / "report_metrics.parquet"
    assert duckdb.sql(
        f"select value from '{parquet}' where metric = 'tickets_total' and month = date '2024-02-01'"
    ).fetchall() == [(967.0,)]
    assert not (published_data_dir / "analyst" / "raw").exists()
    assert not list((published_data_dir / "analyst" / "snapshots").glob("*/raw"))


def test_analyst_queries_while_a_run_writes_the_warehouse(published_data_dir, tmp_path):
    log_path = tmp_path / "materialize.log"  # a file, not a pipe: a full pipe would stall the run
    with open(log_path, "w") as log:
        run = subprocess.Popen(
            _djpk_command(published_data_dir),
            cwd=REPO_ROOT,
            env=_cli_env(published_data_dir),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            results, during_run = [], 0
            while len(results) < 20 or run.poll() is None:
                results.append(_analyst_query(published_data_dir))
                during_run += run.poll() is None
                time.sleep(0.25)
            run.wait(timeout=300)
        finally:
            if run.poll() is None:
                run.kill()
                run.wait()
    assert run.returncode == 0, log_path.read_text()[-4000:]
    assert during_run >= 20, f"only {during_run} queries while the run was in progress"
    assert all(result == [(967.0,)] for result in results)


def test_analyst_queries_survive_snapshot_swaps(published_data_dir):
    """A reader holding analyst.duckdb open keeps working while refreshes swap new snapshots in."""
    refresher = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb
            from pathlib import Path
            from dagster_project.defs.analysts.snapshot import refresh_analyst_snapshot
            with duckdb.connect({str(published_data_dir / "warehouse.duckdb")!r}, read_only=True) as conn:
                for _ in range(15):
                    refresh_analyst_snapshot(conn, Path({str(published_data_dir / "analyst")!r}))
        """),
        ],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        held = duckdb.connect(str(published_data_dir / "analyst" / "analyst.duckdb"), read_only=True)
        queries = 0
        while refresher.poll() is None or queries < 20:
            assert held.execute(TICKETS_TOTAL).fetchall() == [(967.0,)]
            assert _analyst_query(published_data_dir) == [(967.0,)]
            queries += 1
        held.close()
        output, _ = refresher.communicate(timeout=60)
    finally:
        if refresher.poll() is None:
            refresher.kill()
            refresher.wait()
    assert refresher.returncode == 0, output[-4000:]
    assert len(list((published_data_dir / "analyst" / "snapshots").iterdir())) >= 3
