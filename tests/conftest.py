"""Shared fixtures. The expensive one, ``demo_data_dir``, runs ``djpk demo`` once per session in a
temporary data dir — the same command a newcomer runs — and every reproduction test reads what
it published."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_djpk(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    env["DJPK_DATA_DIR"] = str(data_dir)
    completed = subprocess.run(
        [sys.executable, "-m", "dagster_project.cli", *args, "--data-dir", str(data_dir)],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1800,
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"djpk {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-6000:]}")
    return completed


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("demo")
    run_djpk("demo", data_dir=data_dir)
    return data_dir


@pytest.fixture(scope="session")
def warehouse(demo_data_dir):
    with duckdb.connect(str(demo_data_dir / "warehouse.duckdb"), read_only=True) as conn:
        yield conn
