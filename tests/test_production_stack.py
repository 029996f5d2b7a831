"""The deployment against the real thing: a throw-away PostgreSQL cluster (Debian's binaries, 127.0.0.1, a
free port, removed afterwards) holding the instance of ``deploy/dagster.yaml``, ``dagster-daemon`` and
``dagster-webserver`` on it, an SMTP server on 127.0.0.1 for the notification sensors, and a copy of the
shared demo data dir.

One cluster, one daemon and one webserver for the module; the tests run in order on the same stack and
publish two months in full (each run is ~45 s on an idle 2-core machine, more when it is shared):
1. a run killed in the middle leaves the earlier publication of its month as it was, and the failure mail
   names the month;
2. the daemon fires the monthly schedule's tick itself, while ``djpk materialize --month 2024-01`` is
   launched against the deployment: the daemon runs the two one after the other, both publish (the tick's
   month is 2024-02, the killed month again), the runs and their events are in PostgreSQL, the CLI reports
   its run as the in-process command does, and the publication mail carries the report;
3. the webserver answers GraphQL for the run's asset checks;
4. a run launched with an asset selection (``djpk ingest`` of one export) materializes only that asset.

``djpk`` and these tests launch runs through the webserver (GraphQL ``launchRun``), as the UI does.

The daemon's clock. The sample months are of 2024 and the schedule requests the latest complete month at
its firing, so the daemon's scheduler runs on a clock set back to March 2024 (``tests/dagster_on_clock.py``;
the rest of the daemon, the code server and the runs keep the real clock). The offset is in a file the
scheduler re-reads: the module starts the daemon an hour before the schedule's firing on 5 March 2024
(working day 3) at 07:00 WIB, turns the schedule on with ``dagster schedule start`` on that clock, and
test 2 moves the clock to 15 s before the firing.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from dagster_on_clock import ShiftedClock
from djpk_runner import REPO_ROOT, copy_of_demo
from smtp_sink import smtp_sink, wait_for_messages

pytestmark = pytest.mark.skipif(
    not any(Path("/usr/lib/postgresql").glob("*/bin/initdb")) and shutil.which("initdb") is None,
    reason="PostgreSQL server binaries not installed (./dev test installs the Debian package)",
)

RUN_TIMEOUT_SECONDS = 900
STARTUP_TIMEOUT_SECONDS = 180
TEST_INSTANCE_TWEAKS = {  # the deployment's file, with the daemon looking more often
    "dequeue_interval_seconds: 5": "dequeue_interval_seconds: 1",
    "poll_interval_seconds: 30": "poll_interval_seconds: 5",
}


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdout=open(log, "w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )


def _stop_groups(processes: list[subprocess.Popen]) -> None:
    """SIGINT every process group at once, then SIGTERM, then SIGKILL, until none is left."""
    alive = list(processes)
    for sig, grace in ((signal.SIGINT, 20), (signal.SIGTERM, 10), (signal.SIGKILL, 10)):
        for process in alive:
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + grace
        while alive and time.monotonic() < deadline:
            for process in list(alive):
                process.poll()
                try:
                    os.killpg(process.pid, 0)
                except ProcessLookupError:
                    alive.remove(process)
            time.sleep(0.2)
        if not alive:
            return


SCHEDULE_NAME = "monthly_report_schedule"
SCHEDULE_MONTH_AFTER = (2024, 3)  # its firing in March 2024 requests 2024-02
DAEMON_CLOCK_LEAD = timedelta(hours=1)  # the daemon's scheduler starts this long before the firing


class Stack:
    def __init__(
        self,
        data_dir: Path,
        home: Path,
        cluster,
        ui_url: str,
        mails: list,
        logs: Path,
        clock: ShiftedClock,
        webserver: subprocess.Popen,
    ):
        self.data_dir, self.home, self.cluster, self.ui_url, self.mails, self.logs = (
            data_dir,
            home,
            cluster,
            ui_url,
            mails,
            logs,
        )
        self.clock, self.webserver = clock, webserver  # the daemon scheduler's clock; the webserver process

    def instance(self):
        from dagster import DagsterInstance

        return DagsterInstance.from_config(str(self.home))

    def wait_finished(self, run_ids: list[str], timeout: float = RUN_TIMEOUT_SECONDS) -> dict:
        deadline = time.monotonic() + timeout
        with self.instance() as instance:
            while True:
                records = {run_id: instance.get_run_record_by_id(run_id) for run_id in run_ids}
                if all(record.dagster_run.is_finished for record in records.values()):
                    return records
                if time.monotonic() > deadline:
                    raise AssertionError(
                        f"runs not finished after {timeout:.0f} s: "
                        f"{ {k: v.dagster_run.status for k, v in records.items()} }\n{self.daemon_log()}"
                    )
                time.sleep(1)

    def daemon_log(self) -> str:
        return (self.logs / "daemon.log").read_text(errors="replace")[-4000:]

    def sql(self, query: str, **params):
        import sqlalchemy

        engine = sqlalchemy.create_engine(self.cluster.url(), poolclass=sqlalchemy.pool.NullPool)
        try:
            with engine.connect() as conn:
                return conn.execute(sqlalchemy.text(query), params).fetchall()
        finally:
            engine.dispose()


@pytest.fixture(scope="module")
def stack(demo_data_dir, tmp_path_factory):
    from dagster_project.dbt_project import ensure_dbt_manifest
    from dagster_project.pg_cluster import LocalCluster, free_port

    ensure_dbt_manifest()
    work = tmp_path_factory.mktemp("production_stack")
    data_dir = copy_of_demo(demo_data_dir, work / "data")
    home = data_dir / "dagster_home"  # where `djpk` (and `./dev serve`) find the instance of a data dir
    home.mkdir()
    instance_yaml = (REPO_ROOT / "deploy" / "dagster.yaml").read_text()
    for old, new in TEST_INSTANCE_TWEAKS.items():
        assert old in instance_yaml, old
        instance_yaml = instance_yaml.replace(old, new)
    (home / "dagster.yaml").write_text(instance_yaml)
    logs = work / "logs"
    logs.mkdir()
    # As root the server runs as the `postgres` user, which must reach the cluster's folder: not under pytest's 0700 tmp.
    pg_root = Path(tempfile.mkdtemp(prefix="djpk-test-pg-"))
    os.chmod(pg_root, 0o711)
    cluster = LocalCluster(pg_root / "cluster", free_port())
    saved = dict(os.environ)
    processes: list[subprocess.Popen] = []
    with smtp_sink() as (smtp_port, mails):
        try:
            cluster.init()
            cluster.start()
            ui_port = free_port()
            ui_url = f"http://127.0.0.1:{ui_port}"
            os.environ.update(cluster.env())
            os.environ.update(
                {
                    "DAGSTER_HOME": str(home),
                    "DJPK_DATA_DIR": str(data_dir),
                    "DJPK_SMTP_HOST": "127.0.0.1",
                    "DJPK_SMTP_PORT": str(smtp_port),
                    "DJPK_MAIL_FROM": "djpk-pipeline@example.invalid",
                    "DJPK_MAIL_TO": "tim-data@example.invalid",
                    "DJPK_UI_URL": ui_url,
                    "DJPK_UI_PORT": str(ui_port),  # where djpk launches runs (GraphQL launchRun)
                    "DJPK_NOTIFY_INTERVAL_SECONDS": "3",
                }
            )
            env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))
            bin_dir = Path(sys.executable).parent
            clock = ShiftedClock(work / "daemon-clock")
            clock.set(_schedule_firing(SCHEDULE_MONTH_AFTER) - DAEMON_CLOCK_LEAD)
            started = subprocess.run(  # as the operator turns it on (docs/operations.md), on the scheduler's clock
                clock.command("process", "dagster", "schedule", "start", SCHEDULE_NAME, "-w", "workspace.yaml"),
                cwd=REPO_ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=STARTUP_TIMEOUT_SECONDS,
            )
            assert started.returncode == 0, started.stdout + started.stderr
            processes.append(
                _start(
                    clock.command("scheduler", "dagster-daemon", "run", "-w", "workspace.yaml"),
                    env,
                    logs / "daemon.log",
                )
            )
            webserver = _start(
                [str(bin_dir / "dagster-webserver"), "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(ui_port)],
                env,
                logs / "webserver.log",
            )
            processes.append(webserver)
            yield Stack(data_dir, home, cluster, ui_url, mails, logs, clock, webserver)
        finally:
            _stop_groups(processes)
            os.environ.clear()
            os.environ.update(saved)
            cluster.remove()
            shutil.rmtree(pg_root, ignore_errors=True)
    assert not pg_root.exists()


def _version(data_dir: Path, month: str) -> str:
    return os.readlink(data_dir / "published" / month / "current")


def _schedule_firing(month_after: tuple[int, int]) -> datetime:
    """When the monthly schedule requests a run in the month after the report month."""
    from dagster_project.defs.automation.schedules import DEFAULT_HOUR, DEFAULT_MINUTE, configured_working_day
    from dagster_project.lib.months import REPORT_TIMEZONE
    from dagster_project.reference.holiday_calendar import nth_working_day

    day = nth_working_day(*month_after, configured_working_day())
    return datetime(day.year, day.month, day.day, DEFAULT_HOUR, DEFAULT_MINUTE, tzinfo=ZoneInfo(REPORT_TIMEZONE))


def _schedule_request(month_after: tuple[int, int]):
    """The monthly schedule evaluated in this process at its firing in the month after the report month."""
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.defs.automation.schedules import monthly_report_schedule

    when = _schedule_firing(month_after)
    with dg.build_schedule_context(scheduled_execution_time=when, repository_def=defs.get_repository_def()) as context:
        [request] = monthly_report_schedule.evaluate_tick(context).run_requests
    return request


def _wait_scheduled_run(stack: Stack, timeout: float = STARTUP_TIMEOUT_SECONDS):
    """The run the daemon started from a tick of the monthly schedule."""
    from dagster import RunsFilter

    deadline = time.monotonic() + timeout
    with stack.instance() as instance:
        while True:
            runs = instance.get_runs(RunsFilter(tags={"dagster/schedule_name": SCHEDULE_NAME}))
            if runs:
                [run] = runs
                return run
            assert time.monotonic() < deadline, (
                f"no run from a tick of {SCHEDULE_NAME} after {timeout:.0f} s "
                f"(daemon clock {stack.clock.utc():%Y-%m-%d %H:%M:%S} UTC)\n{stack.daemon_log()}"
            )
            time.sleep(1)


def _wait_webserver_ready(stack: Stack) -> None:
    from dagster_project.serve import wait_for_webserver

    wait_for_webserver(stack.ui_url, stack.webserver, stack.logs / "webserver.log", timeout=STARTUP_TIMEOUT_SECONDS)


def _wait_daemon_ready(stack: Stack) -> None:
    """The webserver answers (``djpk`` launches runs through it), the daemon's heartbeats are in PostgreSQL and the notification sensors have ticked once (a run-status
    sensor starts from the events after its first tick)."""
    from dagster._core.definitions.run_request import InstigatorType

    _wait_webserver_ready(stack)
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    with stack.instance() as instance:
        while time.monotonic() < deadline:
            states = [
                state
                for state in instance.all_instigator_state(instigator_type=InstigatorType.SENSOR)
                if state.name in ("notify_run_failure", "notify_publication")
            ]
            ticked = [
                state for state in states if instance.get_ticks(state.instigator_origin_id, state.selector_id, limit=1)
            ]
            if instance.get_daemon_heartbeats() and len(ticked) == 2:
                return
            time.sleep(1)
    raise AssertionError(f"daemon not ready after {STARTUP_TIMEOUT_SECONDS} s:\n{stack.daemon_log()}")


def _descendants(pid: int) -> list[int]:
    children = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    children.append(int(proc.name))
            except (OSError, IndexError, ValueError):
                continue
    return [grandchild for child in children for grandchild in (child, *_descendants(child))]


def test_killed_run_keeps_the_publication(stack):
    from dagster_project.deployment import submit_run
    from dagster_project.jobs import MONTHLY_JOB_NAME
    from dagster_project.partitions import PARTITION_TAG
    from dagster_project.writer_lock import WRITER_LOCK_FILE

    _wait_daemon_ready(stack)
    month = "2024-02"
    before_version = _version(stack.data_dir, month)
    before_manifest = (stack.data_dir / "published" / month / "manifest.json").read_bytes()
    run = submit_run(MONTHLY_JOB_NAME, {PARTITION_TAG: month, "djpk/trigger": "ui"})

    # wait until it is in the middle (it holds the writer lock, the month's raw rows are replaced, dbt is building),
    # then kill its process tree (the run process and dbt's)
    lock = stack.data_dir / WRITER_LOCK_FILE
    deadline = time.monotonic() + RUN_TIMEOUT_SECONDS
    with stack.instance() as instance:
        while True:
            holder = json.loads(lock.read_text() or "{}") if lock.exists() else {}
            started = {
                entry.step_key
                for entry in instance.all_logs(run.run_id)
                if entry.dagster_event and entry.dagster_event.event_type_value == "STEP_START"
            }
            if holder.get("run_id") == run.run_id and "djpk_dbt_models" in started:
                break
            assert time.monotonic() < deadline, f"run {run.run_id} never started writing\n{stack.daemon_log()}"
            time.sleep(0.2)
    worker = holder["pid"]
    for pid in [worker, *_descendants(worker)]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    record = stack.wait_finished([run.run_id], timeout=120)[run.run_id]
    assert record.dagster_run.status.value == "FAILURE"
    assert _version(stack.data_dir, month) == before_version
    assert (stack.data_dir / "published" / month / "manifest.json").read_bytes() == before_manifest

    [(_, _, mail)] = wait_for_messages(stack.mails, lambda m: "GAGAL" in m["Subject"] and month in m["Subject"])
    body = mail.get_body(("plain",)).get_content()
    assert "Februari 2024" in mail["Subject"] and run.run_id in body and "publikasi sebelumnya" in body


def test_schedule_tick_and_cli_launch_queue_one_after_the_other(stack):
    from dagster_project.jobs import MONTHLY_JOB_NAME
    from dagster_project.partitions import PARTITION_TAG

    before = {month: _version(stack.data_dir, month) for month in ("2024-01", "2024-02")}
    request = _schedule_request(SCHEDULE_MONTH_AFTER)
    assert request.partition_key == "2024-02"
    stack.clock.advance_to(_schedule_firing(SCHEDULE_MONTH_AFTER) - timedelta(seconds=15))
    env = {
        key: value for key, value in os.environ.items() if key != "DAGSTER_HOME"
    }  # as run_djpk: the data dir's instance
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dagster_project.cli",
            "materialize",
            "--month",
            "2024-01",
            "--data-dir",
            str(stack.data_dir),
        ],
        cwd=REPO_ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    scheduled = _wait_scheduled_run(stack)  # the daemon's own tick: it evaluated the schedule and queued the run
    assert scheduled.job_name == MONTHLY_JOB_NAME
    assert "dagster/tick" in scheduled.tags
    assert {key: scheduled.tags.get(key) for key in (PARTITION_TAG, "dagster/run_key", *request.tags)} == {
        PARTITION_TAG: request.partition_key,
        "dagster/run_key": request.run_key,
        **request.tags,
    }
    stdout, stderr = cli.communicate(timeout=2 * RUN_TIMEOUT_SECONDS)
    assert cli.returncode == 0, stdout + stderr
    assert "submitted to the run queue as run" in stdout and "published 2024-01" in stdout, stdout
    manual_id = stdout.split("submitted to the run queue as run ", 1)[1].split()[0]
    records = stack.wait_finished([scheduled.run_id, manual_id])
    for record in records.values():
        assert record.dagster_run.status.value == "SUCCESS", stack.daemon_log()
    first, second = sorted(records.values(), key=lambda record: record.start_time)
    assert first.end_time <= second.start_time, "the queue let two runs write the warehouse at once"
    for month in ("2024-01", "2024-02"):
        assert _version(stack.data_dir, month) != before[month], f"{month} was not published again"

    # the runs and their events are in PostgreSQL
    rows = dict(stack.sql("select run_id, status from runs where run_id in (:a, :b)", a=scheduled.run_id, b=manual_id))
    assert rows == {scheduled.run_id: "SUCCESS", manual_id: "SUCCESS"}
    [(events,)] = stack.sql("select count(*) from event_logs where run_id = :run_id", run_id=scheduled.run_id)
    assert events > 100
    [(tag,)] = stack.sql(
        "select value from run_tags where run_id = :run_id and key = 'dagster/schedule_name'", run_id=scheduled.run_id
    )
    assert tag == SCHEDULE_NAME

    # someone hears about it: the publication mail with the report
    [(_, recipients, mail)] = wait_for_messages(
        stack.mails, lambda m: "Terbit" in m["Subject"] and "2024-02" in m["Subject"]
    )
    assert recipients == ["tim-data@example.invalid"]
    assert "Februari 2024" in mail["Subject"]
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_filename() == "laporan-layanan-informasi-2024-02.pdf"
    assert attachment.get_content()[:5] == b"%PDF-"
    assert f"{stack.ui_url}/runs/{scheduled.run_id}" in mail.get_body(("plain",)).get_content()


CHECK_EXECUTIONS = """
query ($path: [String!]!, $check: String!) {
  assetCheckExecutions(assetKey: {path: $path}, checkName: $check, limit: 5) {
    runId status partition evaluation { success }
  }
}
"""


def test_webserver_answers_graphql_for_the_run_checks(stack):
    _wait_webserver_ready(stack)
    with stack.instance() as instance:
        from dagster import DagsterRunStatus, RunsFilter

        [latest] = instance.get_runs(RunsFilter(statuses=[DagsterRunStatus.SUCCESS]), limit=1)
    body = requests.post(
        f"{stack.ui_url}/graphql",
        timeout=60,
        json={
            "query": CHECK_EXECUTIONS,
            "variables": {"path": ["reporting", "rpt_report_metrics"], "check": "ticket_breakdowns_sum_to_total"},
        },
    ).json()
    assert "errors" not in body, body
    executions = body["data"]["assetCheckExecutions"]
    mine = [execution for execution in executions if execution["runId"] == latest.run_id]
    assert mine and mine[0]["status"] == "SUCCEEDED" and mine[0]["evaluation"]["success"] is True, executions


def test_an_ingest_launched_with_an_asset_selection_runs_only_those_assets(stack):
    """``djpk ingest`` against a deployment: ``launchRun`` with an asset selection (one export) and a month."""
    from dagster_project.cli import partition_tags
    from dagster_project.defs.ingest.assets import raw_asset_key
    from dagster_project.deployment import submit_run
    from dagster_project.jobs import INGEST_JOB_NAME
    from dagster_project.lib.contracts import PPID

    key = raw_asset_key(PPID)
    tags = {**partition_tags(["2024-01"]), "djpk/trigger": "cli"}
    run = submit_run(INGEST_JOB_NAME, tags, asset_selection=[key])
    record = stack.wait_finished([run.run_id])[run.run_id]
    assert record.dagster_run.status.value == "SUCCESS", stack.daemon_log()
    assert record.dagster_run.asset_selection == {key}
    with stack.instance() as instance:
        materialized = {
            entry.dagster_event.asset_key
            for entry in instance.all_logs(run.run_id)
            if entry.dagster_event and entry.dagster_event.event_type_value == "ASSET_MATERIALIZATION"
        }
    assert materialized == {key}
