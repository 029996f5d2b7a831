"""Shared fixtures. The expensive one, ``demo_data_dir``, runs ``djpk demo`` once per session in a
temporary data dir — the same command a newcomer runs — and every reproduction test reads what
it published."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from djpk_runner import run_djpk


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory) -> Path:
    reuse = os.environ.get("DJPK_TEST_DEMO_DIR")
    if reuse:  # while iterating: the data dir of an earlier `djpk demo --data-dir DIR` (never in CI)
        return Path(reuse)
    data_dir = tmp_path_factory.mktemp("demo")
    run_djpk("demo", data_dir=data_dir)
    return data_dir


@pytest.fixture(scope="session")
def warehouse(demo_data_dir):
    with duckdb.connect(str(demo_data_dir / "warehouse.duckdb"), read_only=True) as conn:
        yield conn
