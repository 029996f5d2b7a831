"""Named points of the publication where the fault tests stop a run, as a crash would.

``DJPK_CRASH_AT=<point>`` raises :class:`SimulatedCrash` at that point (the run's own error handling
runs, as for any failure); ``DJPK_CRASH_AT=<point>:kill`` sends the process ``SIGKILL`` there (nothing
runs after it: the next run must recover). Unset — always, outside the tests — they do nothing.
The points are listed in ``CRASH_POINTS`` and in ``docs/faults.md``.
"""

from __future__ import annotations

import os
import signal

CRASH_ENV = "DJPK_CRASH_AT"
CRASH_POINTS = (
    "publish.files_staged",  # the new version's CSV, Parquet and manifest written aside
    "publish.rows_staged",  # its rows staged in the warehouse (end of published/report_metrics)
    "report.rendered",  # HTML and PDF written into the new version (before the switch)
    "switch.committed",  # the warehouse switched (published tables, current version): the commit point
    "switch.version_folder",  # the version folder moved into versions/ (before `current` points at it)
)


class SimulatedCrash(RuntimeError):
    """Raised at a crash point named by ``$DJPK_CRASH_AT``."""


def crash_point(name: str) -> None:
    assert name in CRASH_POINTS, name
    wanted = os.environ.get(CRASH_ENV)
    if not wanted:
        return
    point, _, mode = wanted.partition(":")
    if point != name:
        return
    if mode == "kill":
        os.kill(os.getpid(), signal.SIGKILL)
    raise SimulatedCrash(f"simulated crash at {name} (${CRASH_ENV})")
