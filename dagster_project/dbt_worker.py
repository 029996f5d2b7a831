"""A dbt process started before a run needs it: dbt's ~1.7 s of imports happen while the run does other work.

A month run starts dbt once (``djpk-dbt build``, from dagster-dbt). dbt's command line imports ~1,600 modules
before it does anything, about 1.7 s here, during which the run only waits. ``djpk materialize`` therefore
starts one *dbt worker* when it starts (:func:`dbt_worker_for_the_run`): a child process that imports dbt, on
the machine's other core while the command loads the definitions and ingests, then waits on a Unix socket.
When dagster-dbt starts ``djpk-dbt`` during the run, ``djpk-dbt`` (:func:`run_in_worker`) hands the worker its
command line, environment, working directory and its standard streams (the file descriptors themselves, so
dbt writes straight into dagster-dbt's pipe), forwards SIGINT/SIGTERM to it, and exits with dbt's status once
the worker has exited (its DuckDB connection closed: the run opens the warehouse right after).

The worker runs exactly one command, the way ``djpk-dbt`` itself would (:func:`dagster_project.dbt_cli.status_of_main`),
and is gone after it. Any other ``djpk-dbt`` (a second dbt command of the run, a run without a worker: the UI,
the daemon, the tests' runs) runs dbt in its own process as before; so does one whose worker cannot be reached.
An unused worker ends with the command (terminated) or when the process that started it is gone. It never opens
the warehouse before its command: importing dbt opens no file of the data dir.

``DJPK_DBT_WORKER=off`` turns the worker off. Importing this module imports nothing of Dagster or dbt.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

WORKER_ENV = "DJPK_DBT_WORKER"
"""The worker's socket path, for the ``djpk-dbt`` processes of the run (``off``: no worker is started)."""
IDLE_SECONDS = 3600.0
"""An idle worker leaves after this long even if nobody stopped it."""
WORKER_OFF = "off"
MAX_MESSAGE = 1 << 20
"""The largest message on the socket (a command, with its environment)."""


def worker_socket() -> str | None:
    """The socket of the dbt worker started for this run, if any (``DJPK_DBT_WORKER``, unless ``off``)."""
    value = os.environ.get(WORKER_ENV)
    return value if value and value != WORKER_OFF else None


@contextmanager
def dbt_worker_for_the_run() -> Iterator[Path | None]:
    """Start a dbt worker for the dbt command of the run executed inside this block (see the module's text).

    Yields its socket path (``None`` when turned off or already set by an enclosing block); afterwards the
    worker is terminated if still waiting and its socket folder removed."""
    if os.environ.get(WORKER_ENV):  # turned off, or a worker started already
        yield None
        return
    folder = Path(tempfile.mkdtemp(prefix="djpk-dbt-"))
    path = folder / "worker.sock"
    process = subprocess.Popen(
        [sys.executable, "-m", "dagster_project.dbt_worker", str(path), str(os.getpid())],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
    )
    os.environ[WORKER_ENV] = str(path)
    try:
        yield path
    finally:
        os.environ.pop(WORKER_ENV, None)
        if process.poll() is None:
            process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def run_in_worker(path: str, argv: list[str]) -> int | None:
    """``djpk-dbt``'s side: run ``argv`` in the worker listening at ``path``; dbt's status, or ``None`` when no
    worker took the command (none listening, or already used): then the caller runs dbt itself."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    try:
        connection.connect(path)
        request = {"argv": argv, "cwd": os.getcwd(), "env": {k: v for k, v in os.environ.items() if k != WORKER_ENV}}
        socket.send_fds(connection, [json.dumps(request).encode()], [0, 1, 2])
        accepted = connection.recv(MAX_MESSAGE)
    except OSError:
        connection.close()
        return None
    if not accepted:  # the worker closed the connection without taking the command
        connection.close()
        return None
    pid = json.loads(accepted)["pid"]
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signal_number, lambda number, _frame: _forward(pid, number))
    status: int | None = None
    while message := connection.recv(MAX_MESSAGE):  # until the worker has exited (its end of the socket closed)
        status = json.loads(message)["status"]
    connection.close()
    if status is None:
        print(f"djpk-dbt: the dbt worker (pid {pid}) ended without finishing the command", file=sys.stderr)
        return 1
    return status


def _forward(pid: int, signal_number: int) -> None:
    try:
        os.kill(pid, signal_number)
    except ProcessLookupError:
        pass


def _serve(path: Path, parent: int) -> int:
    """The worker: listen at ``path`` first (a ``djpk-dbt`` may connect while dbt is still being imported), import
    dbt, take one command and run it. Leaves without one when ``parent`` is gone or after ``IDLE_SECONDS``."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    listener.bind(str(path))
    listener.listen(1)
    import dbt.adapters.duckdb  # noqa: F401  (dbt's adapter, registered by dbt's first command)
    import dbt.cli.main  # noqa: F401

    listener.settimeout(0.5)
    started = time.monotonic()
    while True:
        if os.getppid() != parent or time.monotonic() - started > IDLE_SECONDS:
            _remove(path)  # nobody will: the socket and its folder
            return 0
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            continue
        break
    listener.close()
    path.unlink(missing_ok=True)  # one command per worker: a later djpk-dbt runs dbt itself
    connection.settimeout(None)
    message, fds, _flags, _address = socket.recv_fds(connection, MAX_MESSAGE, 3)
    if len(fds) != 3:
        return 1
    request = json.loads(message)
    for number, fd in enumerate(fds):
        os.dup2(fd, number)
        os.close(fd)
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = ["djpk-dbt", *request["argv"]]
    connection.send(json.dumps({"pid": os.getpid()}).encode())
    # djpk-dbt passes interrupts on: take them even when this process was started with SIGINT ignored (a shell's
    # background job), where Python leaves it ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # The djpk-dbt that handed over the command is gone (killed): stop dbt as an interrupt would.
    threading.Thread(target=_stop_when_closed, args=(connection,), daemon=True).start()
    from .dbt_cli import status_of_main

    status = status_of_main()
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
    connection.send(json.dumps({"status": status}).encode())
    return status  # the exit handlers close dbt's DuckDB connection; the process's end closes the socket


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
    try:
        path.parent.rmdir()
    except OSError:
        pass


def _stop_when_closed(connection: socket.socket) -> None:
    try:
        closed = connection.recv(1) == b""
    except OSError:
        closed = True
    if closed:
        os.kill(os.getpid(), signal.SIGINT)


if __name__ == "__main__":
    from .process_exit import exit_without_teardown

    exit_without_teardown(_serve(Path(sys.argv[1]), int(sys.argv[2])))
