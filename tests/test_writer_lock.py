"""One writer: a second run waits its turn or stops before writing, naming the run that holds the warehouse."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from dagster_project.writer_lock import WarehouseBusy, WriterLock

HOLD = """
import sys, time
from pathlib import Path
from dagster_project.writer_lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
lock.acquire({"run_id": "run-a", "months": "2024-01"})
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


def _holder(path, seconds):
    process = subprocess.Popen([sys.executable, "-c", HOLD, str(path), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert process.stdout.readline().strip() == "held"
    return process


def test_a_second_writer_is_refused_naming_the_holder(tmp_path):
    path = tmp_path / "warehouse.lock"
    holder = _holder(path, 30)
    try:
        with pytest.raises(WarehouseBusy) as refused:
            WriterLock(path).acquire({"run_id": "run-b", "months": "2024-02"})
        message = str(refused.value)
        assert "run run-a" in message and "month 2024-01" in message and f"pid {holder.pid}" in message
        assert "started at" in message and "before writing anything" in message
    finally:
        holder.kill()
        holder.wait()


def test_a_waiting_writer_gets_its_turn_and_a_killed_holder_leaves_no_lock(tmp_path):
    path = tmp_path / "warehouse.lock"
    holder = _holder(path, 1.0)
    started = time.monotonic()
    lock = WriterLock(path)
    lock.acquire({"run_id": "run-b"}, wait_seconds=20, poll_seconds=0.1)
    assert time.monotonic() - started < 15
    lock.release()
    holder.wait()
    killed = _holder(path, 60)
    killed.kill()
    killed.wait()
    again = WriterLock(path)
    again.acquire({"run_id": "run-c"})  # a killed holder's lock went with its process
    again.release()


def test_a_run_that_finds_the_warehouse_held_stops_before_its_first_step(tmp_path):
    """The guard for runs that bypass the CLI (UI, daemon): the warehouse resource takes the lock at the
    start of the run, so no step runs and nothing is written; the failure names the holder."""
    import dagster as dg
    import duckdb

    from dagster_project.resources import default_resources
    from dagster_project.settings import data_paths

    paths = data_paths(tmp_path / "data")
    resources = default_resources(paths)
    ran: list[str] = []

    @dg.asset(required_resource_keys={"warehouse"})
    def writes(context) -> None:
        warehouse = context.resources.warehouse
        ran.append("step")
        with warehouse.get_connection() as conn:
            conn.execute("create table written as select 1 as x")

    holder = _holder(paths.root / "warehouse.lock", 30)
    try:
        result = dg.materialize([writes], resources={"warehouse": resources["warehouse"]}, raise_on_error=False)
    finally:
        holder.kill()
        holder.wait()
    assert not result.success and ran == []
    failure = next(event for event in result.all_events if event.is_failure)
    assert "run run-a" in str(failure.event_specific_data.error.to_string())
    assert (
        not paths.warehouse.exists()
        or duckdb.connect(str(paths.warehouse))
        .execute("select count(*) from duckdb_tables() where table_name = 'written'")
        .fetchone()[0]
        == 0
    )
    assert dg.materialize(
        [writes], resources={"warehouse": resources["warehouse"]}
    ).success  # the holder gone, the next run writes
