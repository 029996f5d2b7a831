"""How the ``djpk`` and ``djpk-dbt`` commands end: Python's exit handlers, then no interpreter teardown.

After a month run the process holds about 5,700 modules (Dagster, dbt, GX, WeasyPrint, matplotlib, pandas).
When Python exits normally it frees them one by one, which takes 2.2–2.6 s here once a month has run
(docs/benchmarks.md, session 20). Nothing of the run depends on that: when a command returns, its DuckDB
connections and the Dagster instance are already closed (each is opened in a ``with`` block).

So a command's status goes to :func:`exit_without_teardown`. The exit handlers run as they always do:
logging is flushed, temporary directories are removed, child processes are reaped, and dbt-duckdb drops its
environment. Only after them does :func:`_leave` end the process with ``os._exit``. :func:`_leave` is
registered when the ``dagster_project`` package is first imported, before any other module can register a
handler. Python runs exit handlers last-registered first, so ``_leave`` runs after all the others.

It does nothing unless a command set its status: an exception (Python prints its traceback), or a test
process that only imports the package, gets the usual teardown.
"""

from __future__ import annotations

import atexit
import os
import sys
from typing import NoReturn

_status: int | None = None


def exit_without_teardown(status: int | None) -> NoReturn:
    """End the command with ``status`` (``None``: 0): exit handlers run, then the process leaves at once.

    Only a command's entry function calls this (``cli.command``, ``dbt_cli.command``): in any other process, a
    test's say, the status would replace the process's own when it exits.
    """
    global _status
    _status = int(status or 0)
    sys.exit(_status)


def register_last_exit_handler() -> None:
    """Register :func:`_leave`; called once, when the package is first imported (``dagster_project/__init__.py``)."""
    atexit.register(_leave)


def _leave() -> None:
    """The last exit handler: ``os._exit`` with the command's status, if one was set."""
    if _status is None:
        return
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be written to it
            pass
    os._exit(_status)
