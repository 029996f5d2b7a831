"""``djpk`` against a deployment: runs go through the instance's queue instead of executing in-process.

When the Dagster instance ``djpk`` would use (``$DAGSTER_HOME``, else ``<data dir>/dagster_home``) has the
``QueuedRunCoordinator`` (``deploy/dagster.yaml``), ``djpk materialize`` and ``djpk ingest`` launch their run
through the deployment's ``dagster-webserver`` (GraphQL ``launchRun``, the request the UI's launch button
sends; :func:`webserver_url`). The run goes to the instance's queue like the schedule's,
the sensor's and a backfill's, and the daemon starts it when no other run is in progress: one writer of the
warehouse at a time. The command then waits for the
run and reports it as the in-process command does (``--no-wait``: submit and return). The local instance
(no ``dagster.yaml`` of a deployment) keeps running in-process.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import yaml

from .settings import REPO_ROOT, DataPaths

CODE_LOCATION = yaml.safe_load((REPO_ROOT / "workspace.yaml").read_text())["load_from"][0]["python_module"][
    "location_name"
]
"""The code location the webserver and the daemon load (``workspace.yaml``'s one entry)."""
POLL_SECONDS = 2.0
NO_DAEMON_WARNING_AFTER_SECONDS = 30


def instance_config(dagster_home: Path) -> dict:
    path = dagster_home / "dagster.yaml"
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text()) or {}


def uses_run_queue(dagster_home: Path) -> bool:
    """The instance's ``dagster.yaml`` has the queued run coordinator (a deployment's instance)."""
    coordinator = instance_config(dagster_home).get("run_coordinator") or {}
    return coordinator.get("class") == "QueuedRunCoordinator"


def use_local_cluster_if_unset(paths: DataPaths) -> None:
    """No ``DAGSTER_PG_HOST`` set but ``./dev serve`` keeps a local cluster for this data dir: its variables."""
    from .pg_cluster import PG_ENV, configured_server, local_cluster

    if configured_server():
        return
    cluster = local_cluster(paths.root)
    if cluster.exists():
        for key, value in cluster.env().items():
            os.environ.setdefault(key, value)
    missing = [key for key in PG_ENV if key not in os.environ]
    if missing:
        raise SystemExit(
            f"djpk: the instance in {os.environ.get('DAGSTER_HOME')} is on PostgreSQL; set {', '.join(missing)} "
            "(or start the stack with ./dev serve)"
        )


def run_in_progress(instance):
    """The run that holds the queue now (started, starting or cancelling), or None."""
    from dagster import DagsterRunStatus, RunsFilter

    runs = instance.get_runs(
        RunsFilter(statuses=[DagsterRunStatus.STARTED, DagsterRunStatus.STARTING, DagsterRunStatus.CANCELING]), limit=1
    )
    return runs[0] if runs else None


def describe_run(run) -> str:
    """``run <id> (month 2024-02, schedule)``: how messages name a run (no personal data in tags)."""
    from .partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG

    tags = run.tags
    if PARTITION_TAG in tags:
        month = f"month {tags[PARTITION_TAG]}"
    elif RANGE_START_TAG in tags:
        month = f"months {tags[RANGE_START_TAG]} … {tags.get(RANGE_END_TAG, '?')}"
    else:
        month = None
    trigger = tags.get("djpk/trigger") or tags.get("dagster/schedule_name") or tags.get("dagster/sensor_name")
    parts = [part for part in (month, run.job_name, trigger) if part]
    return f"run {run.run_id} ({', '.join(parts)})"


GRAPHQL_TIMEOUT_SECONDS = 120

REPOSITORIES = """
query {
  repositoriesOrError {
    __typename
    ... on RepositoryConnection { nodes { name location { name } } }
    ... on PythonError { message }
  }
}
"""

LAUNCH_RUN = """
mutation ($executionParams: ExecutionParams!) {
  launchRun(executionParams: $executionParams) {
    __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message }
  }
}
"""


def webserver_url() -> str:
    """The deployment's ``dagster-webserver`` on this machine: ``http://127.0.0.1:$DJPK_UI_PORT`` when set, else
    the address ``./dev serve`` wrote into the instance's folder, else port 3000 (the systemd unit's)."""
    from .serve import DEFAULT_UI_PORT, WEBSERVER_URL_FILE

    if os.environ.get("DJPK_UI_PORT"):
        return f"http://127.0.0.1:{os.environ['DJPK_UI_PORT']}"
    written = Path(os.environ.get("DAGSTER_HOME", ".")) / WEBSERVER_URL_FILE
    if written.exists() and written.read_text().strip():
        return written.read_text().strip()
    return f"http://127.0.0.1:{DEFAULT_UI_PORT}"


def graphql(query: str, variables: dict | None = None, url: str | None = None) -> dict:
    """One request to the webserver's GraphQL API (the API the UI's launch button uses)."""
    import requests

    url = url or webserver_url()
    try:
        response = requests.post(
            f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=GRAPHQL_TIMEOUT_SECONDS
        )
    except requests.ConnectionError as error:
        raise RuntimeError(
            f"the deployment's dagster-webserver does not answer at {url} ({type(error).__name__}): start the stack "
            "(./dev serve, or the djpk-webserver service), or set DJPK_UI_PORT to its port"
        ) from None
    response.raise_for_status()
    body = response.json()
    if body.get("errors"):
        raise RuntimeError(f"the webserver refused the request: {body['errors'][0].get('message')}")
    return body["data"]


def _repository_name(url: str) -> str:
    result = graphql(REPOSITORIES, url=url)["repositoriesOrError"]
    if result["__typename"] != "RepositoryConnection":
        raise RuntimeError(f"the webserver cannot load the code location: {result.get('message', '')}".strip())
    names = [node["name"] for node in result["nodes"] if node["location"]["name"] == CODE_LOCATION]
    if not names:
        raise RuntimeError(f"the webserver at {url} has no code location {CODE_LOCATION!r} (workspace.yaml)")
    return names[0]


def submit_run(job_name: str, tags: dict[str, str], run_config: dict | None = None, asset_selection=None):
    """Launch the run through the deployment's webserver, as the UI's launch button does (GraphQL
    ``launchRun``): the instance's run coordinator queues it and the daemon starts it. Returns the run."""
    from dagster import DagsterInstance

    url = webserver_url()
    selector = {"repositoryLocationName": CODE_LOCATION, "repositoryName": _repository_name(url), "jobName": job_name}
    if asset_selection:
        selector["assetSelection"] = [{"path": list(key.path)} for key in asset_selection]
    params = {
        "selector": selector,
        "runConfigData": run_config or {},
        "executionMetadata": {"tags": [{"key": key, "value": value} for key, value in tags.items()]},
    }
    result = graphql(LAUNCH_RUN, {"executionParams": params}, url=url)["launchRun"]
    if result["__typename"] != "LaunchRunSuccess":
        messages = [error["message"] for error in result.get("errors", [])] or [result.get("message", "")]
        raise RuntimeError(f"{result['__typename']}: {'; '.join(messages)}")
    with DagsterInstance.get() as instance:
        return instance.get_run_by_id(result["run"]["runId"])


class _RunEvents:
    """What :func:`dagster_project.cli.describe_failures` reads from an in-process result, for a stored run."""

    def __init__(self, instance, run_id: str):
        self.all_events = [entry.dagster_event for entry in instance.all_logs(run_id) if entry.dagster_event]


DAEMON_HEARTBEAT_FRESH_SECONDS = 75
"""A daemon heartbeats every 30 s: one seen within this is a running daemon."""


def daemon_alive(instance) -> bool:
    """A ``dagster-daemon`` has heartbeated for this instance within the last ~2 heartbeats."""
    try:
        heartbeats = instance.get_daemon_heartbeats()
    except Exception:  # noqa: BLE001  (a status check must not stop the command)
        return False
    if not heartbeats:
        return False
    return time.time() - max(beat.timestamp for beat in heartbeats.values()) < DAEMON_HEARTBEAT_FRESH_SECONDS


def wait_for_run(run_id: str, label: str) -> tuple[bool, object, object]:
    """Poll the run until it has ended, saying once what it waits for; returns (success, events, status)."""
    from dagster import DagsterInstance, DagsterRunStatus

    said: set[str] = set()
    started = time.monotonic()
    with DagsterInstance.get() as instance:
        while True:
            run = instance.get_run_by_id(run_id)
            if run.status == DagsterRunStatus.QUEUED:
                holder = run_in_progress(instance)
                if holder is not None and holder.run_id not in said:
                    said.add(holder.run_id)
                    print(
                        f"djpk: {label} is queued behind {describe_run(holder)}, which holds the warehouse", flush=True
                    )
                if (
                    "daemon" not in said
                    and time.monotonic() - started > NO_DAEMON_WARNING_AFTER_SECONDS
                    and not daemon_alive(instance)
                ):
                    said.add("daemon")
                    print(
                        "djpk: no dagster-daemon is running for this instance: the run waits in the queue until one "
                        "is (./dev serve, or the djpk-daemon service)",
                        file=sys.stderr,
                        flush=True,
                    )
            elif run.status in (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED) and "started" not in said:
                said.add("started")
                print(f"djpk: run {run_id} started", flush=True)
            elif run.is_finished:
                return run.status == DagsterRunStatus.SUCCESS, _RunEvents(instance, run_id), run.status
            time.sleep(POLL_SECONDS)


def submit_and_report(
    paths: DataPaths,
    job_name: str,
    months: list[str],
    label: str,
    *,
    run_config: dict | None = None,
    asset_selection=None,
    wait: bool = True,
    published: bool = True,
) -> int:
    """Submit a run of ``job_name`` for ``months`` to the deployment's queue and report it like in-process."""
    from .cli import describe_failures, partition_tags, quarantine_summary

    tags = {**partition_tags(months), "djpk/trigger": "cli"}
    try:
        run = submit_run(job_name, tags, run_config, asset_selection)
    except KeyboardInterrupt:
        raise
    except Exception as error:  # noqa: BLE001
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        print(f"djpk: {label} was NOT submitted to the run queue: {first}", file=sys.stderr)
        return 1
    print(
        f"djpk: {label} submitted to the run queue as run {run.run_id} (one run at a time; see the UI, Runs)",
        flush=True,
    )
    if not wait:
        return 0
    try:
        success, events, status = wait_for_run(run.run_id, label)
    except KeyboardInterrupt:
        print(f"\ndjpk: stopped waiting; run {run.run_id} stays in the queue (cancel it in the UI)", file=sys.stderr)
        return 130
    if success:
        if published:
            for each in months:
                print(f"djpk: published {each} → {paths.published / each}")
            quarantined = quarantine_summary(paths, months)
            if quarantined:
                print(f"djpk: {quarantined}")
        else:
            print(f"djpk: run {run.run_id} succeeded")
        return 0
    print(
        f"djpk: {label} was NOT {'published' if published else 'loaded'} (run {run.run_id}; the previous "
        "publication, if any, is unchanged):",
        file=sys.stderr,
    )
    lines = describe_failures(events) or [
        f"the run ended as {status.value.lower()} (its log: the UI, Runs → {run.run_id})"
    ]
    for line in lines:
        print(f"  - {line}", file=sys.stderr)
    return 1
