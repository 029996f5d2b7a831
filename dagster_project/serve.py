"""``./dev serve`` (``djpk serve``): a production-like stack on one machine, on 127.0.0.1.

1. PostgreSQL for the Dagster instance: the server in ``DAGSTER_PG_*`` when set, else a local cluster
   (``dagster_project/pg_cluster.py``; created on first start, kept between starts).
2. ``$DAGSTER_HOME`` (default ``<data dir>/dagster_home``) gets ``deploy/dagster.yaml`` when it has no
   ``dagster.yaml`` or only djpk's local SQLite one; a deployment's own file is never replaced.
3. Runs a stopped stack left "started" are marked failed (their process is gone; re-run them).
4. ``dagster-daemon run`` and ``dagster-webserver -h 127.0.0.1`` with the warehouse and landing paths from
   ``DJPK_DATA_DIR``; their logs go to ``$DAGSTER_HOME/service-logs/`` (not ``logs/``: Dagster's telemetry
   upload moves files out of that one).

Ctrl-C, SIGTERM or ``djpk serve --stop`` stops it: the daemon is frozen (SIGSTOP: it starts no further run)
and ended after a run in progress is cancelled through its code server (recorded as cancelled; the month's earlier
publication stays as it was), queued runs stay queued in PostgreSQL for the next start, then the
webserver, the daemon and a local cluster stop (fast shutdown: everything committed is kept).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from .settings import REPO_ROOT, data_paths, secure_data_dir

DEFAULT_UI_PORT = 3000
PID_FILE = "serve.pid"
WEBSERVER_URL_FILE = "webserver.url"
"""Where ``./dev serve`` wrote its webserver's address (``djpk`` against this instance launches runs there)."""
CANCEL_WAIT_SECONDS = 60
STARTUP_TIMEOUT_SECONDS = 180


def install_instance_yaml(dagster_home: Path) -> Path:
    from .instance import LOCAL_INSTANCE_MARKER

    dagster_home.mkdir(parents=True, exist_ok=True)
    target = dagster_home / "dagster.yaml"
    if not target.exists() or target.read_text().startswith(LOCAL_INSTANCE_MARKER):
        shutil.copyfile(REPO_ROOT / "deploy" / "dagster.yaml", target)
    return target


def fail_orphaned_runs(instance) -> list[str]:
    """Runs recorded as starting/started/cancelling when no daemon runs (a stopped or crashed stack)."""
    from dagster import DagsterRunStatus, RunsFilter

    orphaned = instance.get_runs(
        RunsFilter(statuses=[DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING])
    )
    for run in orphaned:
        instance.report_engine_event(
            "djpk serve: the stack was stopped while this run was in progress; "
            "marked failed at the next start (re-run the month)",
            run,
        )
        instance.report_run_failed(run)
    return [run.run_id for run in orphaned]


def cancel_runs_in_progress(instance, wait_seconds: float = CANCEL_WAIT_SECONDS) -> list[str]:
    from dagster import DagsterRunStatus, RunsFilter

    running = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.STARTING, DagsterRunStatus.STARTED]))
    for run in running:
        print(f"djpk serve: cancelling run {run.run_id} (in progress); re-run it after the next start", flush=True)
        try:
            instance.run_coordinator.cancel_run(run.run_id)
        except Exception as error:  # noqa: BLE001  (the next start marks it failed)
            print(
                f"djpk serve: could not cancel run {run.run_id}: {str(error).splitlines()[0] if str(error) else error}",
                file=sys.stderr,
            )
    deadline = time.monotonic() + wait_seconds
    while running and time.monotonic() < deadline:
        if all(instance.get_run_by_id(run.run_id).is_finished for run in running):
            break
        time.sleep(1)
    return [run.run_id for run in running]


def _start(command: list[str], log: Path, env: dict) -> subprocess.Popen:
    handle = open(log, "ab")
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _signal(pid: int, sig: int) -> bool:
    try:
        os.kill(pid, sig)
        return True
    except ProcessLookupError:
        return False


def stop_group(process: subprocess.Popen, grace: float = 30) -> None:
    """SIGINT the process group, then SIGTERM, then SIGKILL, until it is gone."""
    for sig, wait in ((signal.SIGINT, grace), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            process.poll()
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.2)


def wait_for_webserver(
    url: str, process: subprocess.Popen, log: Path, timeout: float = STARTUP_TIMEOUT_SECONDS
) -> None:
    import requests

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited {process.returncode}; see {log}")
        try:
            if requests.get(f"{url}/server_info", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"dagster-webserver not up after {timeout:.0f} s; see {log}")
        time.sleep(0.5)


def serve(data_dir: str | None = None, port: int | None = None) -> int:
    from .pg_cluster import configured_server, local_cluster

    paths = data_paths(data_dir)
    secure_data_dir(paths)
    os.environ["DJPK_DATA_DIR"] = str(paths.root)
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or paths.dagster_home).resolve()
    os.environ["DAGSTER_HOME"] = str(dagster_home)
    install_instance_yaml(dagster_home)
    (dagster_home / "service-logs").mkdir(exist_ok=True)
    port = port or int(os.environ.get("DJPK_UI_PORT", DEFAULT_UI_PORT))

    cluster = None
    if configured_server():
        print(f"djpk serve: PostgreSQL from the environment ({os.environ['DAGSTER_PG_HOST']})", flush=True)
    else:
        cluster = local_cluster(paths.root)
        if not cluster.exists():
            print(f"djpk serve: creating a local PostgreSQL cluster in {cluster.root}", flush=True)
            cluster.init()
        cluster.start()
        os.environ.update(cluster.env())
        print(f"djpk serve: PostgreSQL on 127.0.0.1:{cluster.port} (cluster {cluster.root})", flush=True)

    from .dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    from dagster import DagsterInstance

    from .deployment import daemon_alive

    with DagsterInstance.get() as instance:
        if daemon_alive(
            instance
        ):  # another stack serves this instance: its runs are not orphans, two daemons would race
            print("djpk serve: a dagster-daemon is already running for this instance; stop it first", file=sys.stderr)
            if cluster is not None:
                cluster.stop()
            return 1
        for run_id in fail_orphaned_runs(instance):
            print(f"djpk serve: run {run_id} was left in progress by a stopped stack: marked failed", flush=True)

    bin_dir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}")
    logs = dagster_home / "service-logs"
    workspace = str(REPO_ROOT / "workspace.yaml")
    daemon = _start([str(bin_dir / "dagster-daemon"), "run", "-w", workspace], logs / "daemon.log", env)
    webserver = _start(
        [str(bin_dir / "dagster-webserver"), "-w", workspace, "-h", "127.0.0.1", "-p", str(port)],
        logs / "webserver.log",
        env,
    )
    (dagster_home / PID_FILE).write_text(str(os.getpid()))
    (dagster_home / WEBSERVER_URL_FILE).write_text(f"http://127.0.0.1:{port}\n")
    stopping = {"signal": None}

    def _request_stop(signum, _frame):
        stopping["signal"] = signum

    signal.signal(signal.SIGINT, _request_stop)
    signal.signal(signal.SIGTERM, _request_stop)
    code = 0
    try:
        url = f"http://127.0.0.1:{port}"
        wait_for_webserver(url, webserver, logs / "webserver.log")
        print(
            f"djpk serve: UI {url}; daemon log {logs / 'daemon.log'}; Ctrl-C (or ./dev serve --stop) stops", flush=True
        )
        while stopping["signal"] is None:
            for name, process in (("dagster-daemon", daemon), ("dagster-webserver", webserver)):
                if process.poll() is not None:
                    print(f"djpk serve: {name} exited {process.returncode}; stopping (see {logs})", file=sys.stderr)
                    stopping["signal"], code = -1, 1
            time.sleep(1)
    except RuntimeError as error:
        print(f"djpk serve: {error}", file=sys.stderr)
        code = 1
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        print("djpk serve: stopping…", flush=True)
        # Freeze the daemon's own process (not its code server, which cancels the run) so that it cannot start
        # the next queued run while the current one is being cancelled, then end it where it stands (its
        # state is in PostgreSQL; Dagster's daemon resumes ticks after a crash): queued runs stay queued.
        _signal(daemon.pid, signal.SIGSTOP)
        try:
            with DagsterInstance.get() as instance:
                cancel_runs_in_progress(instance)
        finally:
            _signal(daemon.pid, signal.SIGKILL)
        stop_group(daemon)  # its code server
        stop_group(webserver)
        with DagsterInstance.get() as instance:  # a stopped daemon is not "running" for the next start
            instance.wipe_daemon_heartbeats()
        if cluster is not None:
            cluster.stop()
        (dagster_home / PID_FILE).unlink(missing_ok=True)
        (dagster_home / WEBSERVER_URL_FILE).unlink(missing_ok=True)
        print("djpk serve: stopped (run history, queue and schedules are kept in PostgreSQL)", flush=True)
    return code


def stop(data_dir: str | None = None, timeout: float = 180) -> int:
    """Ask a running ``djpk serve`` for this data dir / DAGSTER_HOME to stop, and wait until it has."""
    paths = data_paths(data_dir)
    dagster_home = Path(os.environ.get("DAGSTER_HOME") or paths.dagster_home).resolve()
    pid_file = dagster_home / PID_FILE
    if not pid_file.exists():
        print(f"djpk serve: not running for {dagster_home}", file=sys.stderr)
        return 1
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        pid_file.unlink(missing_ok=True)
        print("djpk serve: was not running (stale pid file removed)")
        return 0
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            print("djpk serve: stopped")
            return 0
        time.sleep(0.5)
    print(f"djpk serve: process {pid} still running after {timeout:.0f} s", file=sys.stderr)
    return 1
