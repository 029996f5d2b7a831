"""Wall time and peak memory of a command and every process it starts (dbt runs as a child of Dagster).

Linux only: the resident set sizes of the process tree are read from ``/proc`` every
``interval`` seconds in a background thread. ``peak_between`` gives the peak of a time window (a stage
of a run, from the run's step timings).
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def _children_by_parent() -> dict[int, list[int]]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])  # the command name may hold spaces
        children.setdefault(parent, []).append(int(entry.name))
    return children


def tree_rss_bytes(pid: int) -> int:
    """Resident memory of ``pid`` and all its descendants, in bytes."""
    children, total, todo = _children_by_parent(), 0, [pid]
    while todo:
        current = todo.pop()
        try:
            total += int(Path(f"/proc/{current}/statm").read_text().split()[1]) * PAGE_SIZE
        except (OSError, IndexError, ValueError):
            continue
        todo.extend(children.get(current, ()))
    return total


@dataclass
class Measured:
    command: list[str]
    returncode: int
    started: float
    seconds: float
    samples: list[tuple[float, int]] = field(repr=False)

    @property
    def peak_bytes(self) -> int:
        return max((rss for _, rss in self.samples), default=0)

    def peak_between(self, start: float, end: float) -> int:
        inside = [rss for at, rss in self.samples if start <= at <= end]
        return max(inside, default=0)


def run_measured(
    command: list[str], *, log: Path, env: dict[str, str] | None = None, cwd: Path | None = None, interval: float = 0.05
) -> Measured:
    """Run ``command`` (output to ``log``), sampling the memory of its process tree until it exits."""
    samples: list[tuple[float, int]] = []
    with open(log, "w") as out:
        started = time.time()
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=cwd)
        stop = threading.Event()

        def sample() -> None:
            while not stop.is_set():
                samples.append((time.time(), tree_rss_bytes(process.pid)))
                stop.wait(interval)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        returncode = process.wait()
        seconds = time.time() - started
        stop.set()
        sampler.join()
    return Measured(command, returncode, started, seconds, samples)
