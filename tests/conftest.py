"""Shared fixtures. The expensive one, ``demo_data_dir``, runs ``djpk demo`` once per session in a
temporary data dir — the same command a newcomer runs — and every reproduction test reads what
it published."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest
from djpk_runner import run_djpk
from filelock import FileLock

# Recorded API responses are for the demo and the tests only: the tests ask for them explicitly (outside
# a demo data dir the resources pull live). Set before any test imports the definitions.
os.environ.setdefault("DJPK_API_MODE", "recorded")
# Person keys outside the demo's data dir need a secret salt; the tests' own data dirs use the sample's.
os.environ.setdefault("DJPK_PII_SALT", "djpk-sample-salt")
# No test touches an address but 127.0.0.1: Dagster's usage-statistics upload (webserver, daemon) stays off
# in every process a test starts, whatever instance file its DAGSTER_HOME has.
os.environ["DAGSTER_DISABLE_TELEMETRY"] = "1"


LONGEST_FIRST = ("test_production_stack.py",)
"""Files that run longest on their own (a PostgreSQL cluster, the daemon and its month runs, on a copy of the
demo): the first of the files that read the demo."""


DEMO_BUILDER_FILE = "test_reference_figures.py"
"""A short file that reads the demo, handed out first: its worker builds the shared demo while the other
runs the files that need no demo. (Handed out after them, the demo was built while the other worker
waited for it: about 3 minutes of an idle core.)"""


LONG_DEMO_FILES = (
    "test_fault_catalogue.py",
    "test_publication_gate.py",
    "test_dbt_incremental.py",
    "test_bad_input_catalogue.py",
    "test_bad_input_catalogue_sources.py",
    "test_analyst_access.py",
)
"""Among the files that read the demo, the ones with several month runs (longest first, as measured in CI):
handed out before the short ones, so that the two workers end together instead of one waiting on a long
file picked up last."""


def pytest_collection_modifyitems(config, items):
    """Order the files for the two xdist workers (``--dist loadfile --no-loadscope-reorder`` hands out whole
    files in this order: one to each worker, the next to a worker when it has two tests left): first the
    file that builds the shared demo, while the other worker runs the files that need no demo; then the
    files that read the demo, the longest and those with several month runs first. Stable: the order inside
    each group is the collection order."""
    needs_demo: dict[str, bool] = {}
    for item in items:
        needs_demo[item.path.name] = needs_demo.get(item.path.name, False) or "demo_data_dir" in item.fixturenames

    def rank(item) -> tuple[int, int]:
        name = item.path.name
        if name == DEMO_BUILDER_FILE:
            return (0, 0)
        if not needs_demo[name]:
            return (1, 0)
        if name in LONGEST_FIRST:
            return (2, 0)
        return (3, LONG_DEMO_FILES.index(name)) if name in LONG_DEMO_FILES else (4, 0)

    items.sort(key=rank)


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory, worker_id) -> Path:
    """One demo for the whole session, also when pytest-xdist runs the tests in several workers: the
    first worker to get here builds it under a file lock in the session's shared temp folder, the
    others wait for it and read the same folder (tests that change data work on a copy)."""
    reuse = os.environ.get("DJPK_TEST_DEMO_DIR")
    if reuse:  # while iterating: the data dir of an earlier `djpk demo --data-dir DIR` (never in CI)
        return Path(reuse)
    shared = tmp_path_factory.getbasetemp() if worker_id == "master" else tmp_path_factory.getbasetemp().parent
    data_dir, done = shared / "demo", shared / "demo.done"
    with FileLock(str(shared / "demo.lock")):
        if not done.exists():
            run_djpk("demo", data_dir=data_dir)
            done.touch()
    return data_dir


@pytest.fixture(scope="session")
def warehouse(demo_data_dir):
    with duckdb.connect(str(demo_data_dir / "warehouse.duckdb"), read_only=True) as conn:
        yield conn
