"""The Dagster UI serves the project's asset graph and monthly partitions (webserver on 127.0.0.1)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parent.parent
STARTUP_TIMEOUT_SECONDS = 90

ASSET_NODES = """
query { assetNodes { assetKey { path } groupName } }
"""
PARTITIONS = """
query ($path: [String!]!) {
  assetNodes(assetKeys: [{path: $path}]) {
    assetKey { path }
    partitionDefinition { type description }
    partitionKeysByDimension { name partitionKeys }
  }
}
"""
JOB_PARTITIONS = """
query {
  partitionSetsOrError(repositorySelector: {repositoryName: "__repository__", repositoryLocationName: "djpk"},
                       pipelineName: "monthly_report") {
    __typename
    ... on PartitionSets { results { name partitionsOrError { ... on Partitions { results { name } } } } }
  }
}
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_sigint():
    signal.signal(signal.SIGINT, signal.SIG_DFL)  # a background shell may have started us ignoring it


def _stop_group(process: subprocess.Popen) -> None:
    """SIGINT the server's process group, then SIGTERM, then SIGKILL, until nothing of it is left."""
    from dagster_project.serve import stop_group

    stop_group(process, grace=20)


@pytest.fixture(scope="module")
def webserver(tmp_path_factory):
    from dagster_project.dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    from dagster_project.instance import ensure_local_instance

    home = tmp_path_factory.mktemp("dagster_home")
    ensure_local_instance(home)  # the instance `./dev ui` serves (telemetry off)
    data_dir = tmp_path_factory.mktemp("ui_data")
    port = _free_port()
    env = dict(os.environ, DAGSTER_HOME=str(home), DJPK_DATA_DIR=str(data_dir))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    log = open(home / "webserver.log", "w")
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "dagster-webserver"),
            "-w",
            "workspace.yaml",
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
        ],
        cwd=REPO_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=_default_sigint,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if process.poll() is not None:
                raise AssertionError(
                    f"webserver exited {process.returncode}:\n{(home / 'webserver.log').read_text()[-4000:]}"
                )
            try:
                if requests.get(f"{url}/server_info", timeout=2).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(
                    f"webserver not up after {STARTUP_TIMEOUT_SECONDS}s:\n{(home / 'webserver.log').read_text()[-4000:]}"
                )
            time.sleep(0.5)
        yield url
    finally:
        _stop_group(process)
        log.close()
        with pytest.raises(ProcessLookupError):
            os.killpg(process.pid, 0)


def graphql(url: str, query: str, variables: dict | None = None, attempts: int = 60) -> dict:
    """POST a GraphQL query; retried while the code location is still loading."""
    for _ in range(attempts):
        response = requests.post(f"{url}/graphql", json={"query": query, "variables": variables or {}}, timeout=30)
        response.raise_for_status()
        body = response.json()
        assert "errors" not in body, body["errors"]
        data = body["data"]
        if data and any(value not in (None, [], {}) for value in data.values()):
            return data
        time.sleep(0.5)
    raise AssertionError(f"no data from {query!r}: {body}")


def test_ui_serves_the_asset_graph(webserver):
    nodes = graphql(webserver, ASSET_NODES)["assetNodes"]
    keys = {"/".join(node["assetKey"]["path"]) for node in nodes}
    assert {"raw/deskpro_tickets", "marts/fct_tickets", "published/report_metrics"} <= keys


def test_ui_serves_the_monthly_partitions(webserver):
    node = graphql(webserver, PARTITIONS, {"path": ["published", "report_metrics"]})["assetNodes"][0]
    assert node["partitionDefinition"]["type"] == "TIME_WINDOW"
    keys = node["partitionKeysByDimension"][0]["partitionKeys"]
    assert keys[0] == "2019-01" and "2024-02" in keys

    partition_sets = graphql(webserver, JOB_PARTITIONS)["partitionSetsOrError"]
    assert partition_sets["__typename"] == "PartitionSets", partition_sets
    names = {
        partition["name"]
        for partition_set in partition_sets["results"]
        for partition in partition_set["partitionsOrError"]["results"]
    }
    assert "2024-02" in names
