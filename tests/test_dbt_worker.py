"""The dbt worker: ``djpk-dbt`` hands its command to a dbt process started earlier (dagster_project/dbt_worker.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from djpk_runner import REPO_ROOT

from dagster_project.dbt_worker import WORKER_ENV, dbt_worker_for_the_run
from dagster_project.settings import DBT_PROJECT_DIR


def _djpk_dbt(*arguments: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``djpk-dbt <arguments>`` as dagster-dbt starts it: a process of its own, with the given environment."""
    return subprocess.run(
        [sys.executable, "-m", "dagster_project.dbt_cli", *arguments],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _listening(path: Path) -> Path:
    deadline = time.monotonic() + 30
    while not path.exists():
        assert time.monotonic() < deadline, "the worker never listened"
        time.sleep(0.02)
    return path


def test_the_worker_runs_the_command_with_the_callers_streams_environment_and_status(tmp_path):
    with dbt_worker_for_the_run() as path:
        _listening(path)
        # DBT_TARGET only in the caller's environment: the worker must run the command in it to refuse it
        env = {**os.environ, "DBT_TARGET": "pipeline", "DBT_TARGET_PATH": str(tmp_path / "elsewhere")}
        refused = _djpk_dbt("build", env=env)
        assert not path.exists()  # the worker took the command (it stops listening when it does)
        assert refused.returncode == 1
        assert "the 'pipeline' target opens the warehouse of a data dir" in refused.stderr  # the caller's stderr
        # the worker is used once: the next command runs in its own process, the same way
        again = _djpk_dbt("build", env=env)
        assert again.returncode == 1 and "opens the warehouse of a data dir" in again.stderr


def test_dbts_own_output_reaches_the_callers_stdout_through_the_worker():
    with dbt_worker_for_the_run() as path:
        _listening(path)
        shown = _djpk_dbt("list", "--help", env=dict(os.environ))
        assert not path.exists()
        assert shown.returncode == 0, shown.stderr
        assert "Usage: dbt list" in shown.stdout


def test_without_a_worker_listening_djpk_dbt_runs_dbt_itself(tmp_path):
    env = {**os.environ, WORKER_ENV: str(tmp_path / "no-worker.sock")}
    shown = _djpk_dbt("list", "--help", env=env)
    assert shown.returncode == 0 and "Usage: dbt list" in shown.stdout
    version = _djpk_dbt("--version", env={**os.environ, WORKER_ENV: "off"})
    assert version.returncode == 0 and "installed:" in version.stdout


def test_an_unused_worker_ends_with_its_block_and_leaves_nothing(monkeypatch):
    monkeypatch.delenv(WORKER_ENV, raising=False)
    with dbt_worker_for_the_run() as path:
        assert os.environ[WORKER_ENV] == str(path)
        _listening(path)
    assert WORKER_ENV not in os.environ
    assert not path.parent.exists()


def test_no_worker_when_turned_off_or_already_started(monkeypatch):
    monkeypatch.setenv(WORKER_ENV, "off")
    with dbt_worker_for_the_run() as path:
        assert path is None and os.environ[WORKER_ENV] == "off"
    monkeypatch.delenv(WORKER_ENV)
    with dbt_worker_for_the_run() as outer:
        with dbt_worker_for_the_run() as inner:  # a run's block inside another's: the outer worker serves
            assert inner is None and os.environ[WORKER_ENV] == str(outer)
        assert os.environ[WORKER_ENV] == str(outer)  # the inner block leaves the outer's worker alone


STARTER = textwrap.dedent("""
    import os, time
    from pathlib import Path
    from dagster_project.dbt_worker import dbt_worker_for_the_run

    block = dbt_worker_for_the_run()
    path = block.__enter__()
    while not path.exists():
        time.sleep(0.02)
    print(path, flush=True)
    os._exit(0)  # gone without leaving the block: nobody terminates the worker
""")


def test_a_waiting_worker_leaves_when_the_process_that_started_it_is_gone():
    started = subprocess.run(
        [sys.executable, "-c", STARTER], cwd=REPO_ROOT, capture_output=True, text=True, timeout=60, check=True
    )
    path = Path(started.stdout.strip())
    deadline = time.monotonic() + 20
    while path.exists():  # the orphaned worker removes its socket and folder when it leaves
        assert time.monotonic() < deadline, "the orphaned worker is still waiting"
        time.sleep(0.1)
    assert not path.parent.exists()


LONG_QUERY = "select sum(a.range * b.range) from range(200000) as a, range(200000) as b"
"""4·10^10 rows: minutes of DuckDB, unless the command is interrupted."""


def test_an_interrupt_of_djpk_dbt_stops_the_command_in_the_worker(tmp_path):
    with dbt_worker_for_the_run() as path:
        _listening(path)
        env = {
            **os.environ,
            "DJPK_WAREHOUSE_PATH": str(tmp_path / "warehouse.duckdb"),  # the `local` target, as by hand
            "DBT_TARGET_PATH": str(tmp_path / "target"),
            "DBT_LOG_PATH": str(tmp_path / "logs"),
        }
        client = subprocess.Popen(
            [sys.executable, "-m", "dagster_project.dbt_cli", "show", "--inline", LONG_QUERY],
            cwd=DBT_PROJECT_DIR,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # dbt's query is running once dbt has said how many threads it runs with (after its parse, which a
        # fresh clone does in full, and dbt does not act on an interrupt during a full parse, worker or not)
        lines = []
        while not any("Concurrency:" in line for line in lines):
            line = client.stdout.readline()
            assert line, "dbt ended before running the query: " + "".join(lines)
            lines.append(line)
        assert not path.exists()  # the worker took the command
        # as dagster-dbt does when a run is cancelled; again every 2 s, as dbt acts on it only once its query runs
        deadline = time.monotonic() + 90
        while client.poll() is None:
            assert time.monotonic() < deadline, "djpk-dbt still runs 90 s after the first interrupt"
            client.send_signal(signal.SIGINT)
            try:
                client.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
        # djpk-dbt returns only once the worker has exited: without the interrupt reaching it, not for minutes
        _, stderr = client.communicate(timeout=30)
        assert client.returncode != 0, stderr
        assert "Traceback" not in stderr  # djpk-dbt passed the interrupt on instead of being stopped by it
        still_running = subprocess.run(["pgrep", "-f", f"dagster_project.dbt_worker {path}"], capture_output=True)
        assert still_running.returncode == 1, "djpk-dbt returned while the worker was still running"
