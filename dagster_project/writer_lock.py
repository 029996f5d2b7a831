"""One writer at a time: an exclusive lock on ``<data dir>/warehouse.lock`` held for a whole run.

DuckDB lets one process write the warehouse; a second writer fails in the middle of a step with
"Could not set lock", after its earlier steps may already have committed raw loads. Every run that
writes the warehouse takes this lock before its first step (the warehouse resource's set-up) and keeps
it until the run ends, so a second run either waits its turn (``wait_seconds``) or stops before it
writes anything, naming the run that holds the warehouse. The lock is an OS file lock (``flock``):
it is released when the holding process ends, however it ends, so a killed run never leaves it behind.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

WRITER_LOCK_FILE = "warehouse.lock"
WRITER_TAGS = {"djpk/writer": "warehouse"}
"""Run tags of every job that writes the warehouse: a deployment's queue admits one such run at a time
(deploy/dagster.yaml, tag concurrency limit); this lock is the guard for runs that bypass the queue."""
"""Beside the warehouse file in the data dir."""


class WarehouseBusy(Exception):
    """Another run holds the warehouse; the message names it."""


@dataclass
class WriterLock:
    path: Path
    handle: object | None = None

    def acquire(self, holder: dict, wait_seconds: float = 0.0, poll_seconds: float = 0.5) -> None:
        """Take the lock, recording ``holder`` (run id, months, pid, start time) in the lock file; wait
        up to ``wait_seconds`` for a running holder, then raise :class:`WarehouseBusy` naming it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+")
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    other = describe_holder(self.path)
                    handle.close()
                    waited = f" after waiting {wait_seconds:g} s" if wait_seconds else ""
                    raise WarehouseBusy(
                        f"the warehouse is being written by {other}; this run stopped{waited} "
                        "before writing anything (run it again when that run has ended)"
                    ) from None
                time.sleep(poll_seconds)
        handle.seek(0)
        handle.truncate()
        handle.write(
            json.dumps(
                {**holder, "pid": os.getpid(), "started_at": datetime.now(timezone.utc).isoformat(timespec="seconds")}
            )
        )
        handle.flush()
        self.handle = handle

    def release(self) -> None:
        if self.handle is not None:
            fcntl.flock(self.handle.fileno(), fcntl.LOCK_UN)
            self.handle.close()
            self.handle = None


def current_holder(path: Path) -> str | None:
    """Who holds the lock now (see :func:`describe_holder`), or None when it is free."""
    if not path.exists():
        return None
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return describe_holder(path)
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return None


def describe_holder(path: Path) -> str:
    """'run <id> (month …, pid …, started at …)' from the lock file, as far as it can be read."""
    try:
        holder = json.loads(path.read_text() or "{}")
    except (OSError, ValueError):
        holder = {}
    if not holder:
        return "another process"
    parts = [
        f"month {holder['months']}" if holder.get("months") else None,
        f"pid {holder['pid']}" if holder.get("pid") else None,
        f"started at {holder['started_at']}" if holder.get("started_at") else None,
    ]
    return f"run {holder.get('run_id', '?')} ({', '.join(part for part in parts if part)})"
