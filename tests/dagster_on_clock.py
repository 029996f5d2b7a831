"""Run a Dagster command on a shifted clock, for the production-stack test (tests/test_production_stack.py).

    python tests/dagster_on_clock.py CLOCK_FILE scheduler dagster-daemon run -w workspace.yaml
    python tests/dagster_on_clock.py CLOCK_FILE process dagster schedule start NAME -w workspace.yaml

``CLOCK_FILE`` holds an offset in seconds from the real clock; it is re-read at most once a second, so a
test can move the clock while the command runs. ``scheduler``: only the daemon's scheduler reads the
shifted clock (it decides which ticks are due and the time each tick is evaluated for), while the rest of
the daemon (heartbeats, the run queue, sensors, run monitoring) and the processes it starts (code server,
runs) keep the real one. ``process``: every clock reading of Dagster in this process is shifted (for
``dagster schedule start``, which records when the schedule was started).

Dagster reads the time through ``dagster._time`` (its own tests freeze it there); the scheduler imports
``get_current_datetime`` and ``get_current_timestamp`` from it by name. These are private names: this file
is test support, pinned with dagster, and a Dagster upgrade that moves them fails the test loudly (no tick).
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path


class ShiftedClock:
    def __init__(self, path: Path):
        self.path = path
        self._offset = 0.0
        self._read_at = float("-inf")

    def offset(self) -> float:
        now = time.monotonic()
        if now - self._read_at >= 1.0:
            self._offset = float(self.path.read_text())
            self._read_at = now
        return self._offset

    def timestamp(self) -> float:
        return time.time() + self.offset()

    def utc(self) -> datetime:
        return datetime.now(timezone.utc) + timedelta(seconds=self.offset())

    def set(self, when: datetime) -> None:
        """Make ``when`` the clock's now (the file is replaced whole; readers see it within a second)."""
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(f"{(when - datetime.now(timezone.utc)).total_seconds():.3f}\n")
        tmp.replace(self.path)
        self._read_at = float("-inf")

    def advance_to(self, when: datetime) -> None:
        """Forward only: the scheduler never sees time go back."""
        if self.utc() < when:
            self.set(when)

    def command(self, scope: str, *command: str) -> list[str]:
        """``command`` (``dagster`` or ``dagster-daemon`` and its arguments) run on this clock."""
        return [sys.executable, str(Path(__file__).resolve()), str(self.path), scope, *command]


def shift(clock: ShiftedClock, scope: str) -> None:
    import dagster._time as dagster_time

    if scope == "process":
        dagster_time._mockable_get_current_datetime = clock.utc
        dagster_time._mockable_get_current_timestamp = clock.timestamp
    elif scope == "scheduler":
        import dagster._scheduler.scheduler as scheduler

        def current_datetime(tz="UTC") -> datetime:
            now = clock.utc()
            return now if tz in ("UTC", "utc") else now.astimezone(dagster_time.get_timezone(tz))

        scheduler.get_current_datetime = current_datetime
        scheduler.get_current_timestamp = clock.timestamp
    else:
        raise SystemExit(f"scope must be 'scheduler' or 'process', not {scope!r}")


def main(argv: list[str]) -> int:
    clock_file, scope, command, *args = argv
    if command == "dagster-daemon":
        from dagster._daemon.cli import main as command_main
    elif command == "dagster":
        from dagster._cli import main as command_main
    else:
        raise SystemExit(f"command must be dagster-daemon or dagster, not {command!r}")
    shift(ShiftedClock(Path(clock_file)), scope)  # after the command's imports (they import the scheduler in order)
    sys.argv = [command, *args]
    return command_main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
