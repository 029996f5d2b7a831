"""Helpers shared by the tests (a module of its own: ``conftest`` names clash between folders)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def run_djpk(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"}
    env["DJPK_DATA_DIR"] = str(data_dir)
    completed = subprocess.run(
        [sys.executable, "-m", "dagster_project.cli", *args, "--data-dir", str(data_dir)],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    if check and completed.returncode != 0:
        raise AssertionError(f"djpk {' '.join(args)} failed ({completed.returncode}):\n{completed.stderr[-6000:]}")
    return completed


DBT = Path(sys.executable).parent / "dbt"


def dbt_process(warehouse: Path, target: Path, *args: str) -> subprocess.CompletedProcess:
    """Run dbt against ``warehouse`` with its own target and log folders (never the project's), whatever it ends in."""
    env = {**os.environ, "DJPK_WAREHOUSE_PATH": str(warehouse)}
    return subprocess.run(
        [str(DBT), *args, "--profiles-dir", ".", "--target-path", str(target), "--log-path", str(target / "logs")],
        cwd=REPO_ROOT / "dbt",
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def run_dbt(warehouse: Path, target: Path, *args: str) -> str:
    """Run dbt as ``dbt_process`` does and require it to succeed; its output."""
    completed = dbt_process(warehouse, target, *args)
    assert completed.returncode == 0, f"dbt {' '.join(args)} failed:\n{completed.stdout[-6000:]}"
    return completed.stdout


def copy_of_demo(demo_data_dir: Path, target: Path) -> Path:
    """A private copy of the demo's data dir (landing, warehouse, published; a fresh Dagster home).

    Tests that change or re-run a published month start from this instead of publishing it again.
    """
    shutil.copytree(
        demo_data_dir, target, symlinks=True, ignore=shutil.ignore_patterns("dagster_home"), dirs_exist_ok=True
    )
    return target


def assert_generated_twice_alike(first: Path, second: Path, paths: list[Path], months: list[str], columns) -> None:
    """Sample CSVs landed for exactly ``months``, byte-identical on a second generation, with the
    contract's header (``columns``) in the contract's order."""
    assert sorted(path.parent.name for path in paths) == months
    for path in paths:
        assert path.read_bytes() == (second / path.relative_to(first)).read_bytes()
        assert path.read_text(encoding="utf-8").split("\n", 1)[0].split(",") == list(columns)
