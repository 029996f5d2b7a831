"""The local Dagster instance: Dagster's stock SQLite storage, runs recorded where the UI reads them."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from dagster_project.instance import INSTANCE_YAML, LOCAL_INSTANCE_MARKER, ensure_local_instance


@dg.asset(check_specs=[dg.AssetCheckSpec("positive", asset="number")])
def number():
    yield dg.Output(1)
    yield dg.AssetCheckResult(check_name="positive", passed=True)


def test_runs_are_recorded_where_the_ui_reads_them(tmp_path):
    ensure_local_instance(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        result = dg.materialize([number], instance=instance)
        assert result.success
        run_id = result.run_id
    # a second instance on the same folder (the UI's) sees the run, its materialization and its check
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.get_run_by_id(run_id).is_success
        assert instance.get_latest_materialization_event(dg.AssetKey("number")).run_id == run_id
        kinds = {entry.dagster_event.event_type_value for entry in instance.all_logs(run_id) if entry.dagster_event}
        assert {"ASSET_MATERIALIZATION", "ASSET_CHECK_EVALUATION", "PIPELINE_SUCCESS"} <= kinds


def test_nothing_leaves_the_machine_from_the_local_instance_or_the_deployment(tmp_path):
    """Dagster's usage statistics are on by default (uploaded by the webserver and the daemon): off in the
    local instance (the CLI, `./dev ui`) and in deploy/dagster.yaml; the tests' own servers run with
    DAGSTER_DISABLE_TELEMETRY too (conftest)."""
    import yaml

    ensure_local_instance(tmp_path)
    with dg.DagsterInstance.from_config(str(tmp_path)) as instance:
        assert instance.telemetry_enabled is False
    deployment = yaml.safe_load((Path(__file__).parents[1] / "deploy" / "dagster.yaml").read_text(encoding="utf-8"))
    assert deployment["telemetry"] == {"enabled": False}


def test_a_copied_data_dir_writes_its_own_event_log(tmp_path):
    original, copy = tmp_path / "a" / "dagster_home", tmp_path / "b" / "dagster_home"
    ensure_local_instance(original)
    with dg.DagsterInstance.from_config(str(original)) as instance:
        first = dg.materialize([number], instance=instance).run_id
    copy.parent.mkdir(parents=True)
    import shutil

    shutil.copytree(original, copy)
    ensure_local_instance(copy)
    with dg.DagsterInstance.from_config(str(copy)) as instance:
        second = dg.materialize([number], instance=instance).run_id
    assert (copy / "history" / "runs" / f"{second}.db").exists()
    assert not (original / "history" / "runs" / f"{second}.db").exists()
    with dg.DagsterInstance.from_config(str(original)) as instance:
        assert instance.get_run_by_id(second) is None and instance.get_run_by_id(first) is not None


def test_an_older_djpk_instance_file_is_rewritten(tmp_path):
    """An older djpk wrote its own event-log class and folder into the file: rewritten."""
    older = LOCAL_INSTANCE_MARKER + "\nevent_log_storage:\n  module: dagster_project.instance\n"
    (tmp_path / "dagster.yaml").write_text(older)
    ensure_local_instance(tmp_path)
    assert (tmp_path / "dagster.yaml").read_text() == INSTANCE_YAML


def test_a_deployments_own_instance_file_is_never_replaced(tmp_path):
    own = "run_queue:\n  max_concurrent_runs: 1\n"
    (tmp_path / "dagster.yaml").write_text(own)
    ensure_local_instance(tmp_path)
    assert (tmp_path / "dagster.yaml").read_text() == own
    assert not own.startswith(LOCAL_INSTANCE_MARKER)


def test_djpk_submits_to_the_queue_only_on_a_deployments_instance(tmp_path):
    """`djpk materialize` keeps running in-process on the local instance (and on a dagster.yaml without the
    queue); with deploy/dagster.yaml (the queued run coordinator) it submits to the instance's queue."""
    import shutil

    from dagster_project.deployment import uses_run_queue
    from dagster_project.instance import ensure_local_instance

    local, deployment, empty = tmp_path / "local", tmp_path / "deployment", tmp_path / "empty"
    ensure_local_instance(local)
    deployment.mkdir()
    shutil.copy(Path(__file__).resolve().parent.parent / "deploy" / "dagster.yaml", deployment / "dagster.yaml")
    empty.mkdir()
    (empty / "dagster.yaml").write_text("")
    assert not uses_run_queue(local) and not uses_run_queue(empty) and not uses_run_queue(tmp_path / "missing")
    assert uses_run_queue(deployment)


def test_djpk_finds_the_webserver_that_dev_serve_started(tmp_path, monkeypatch):
    """``djpk`` against a deployment launches through the webserver: ``$DJPK_UI_PORT``, else the address
    ``./dev serve`` wrote into the instance's folder, else port 3000 (the systemd unit's)."""
    from dagster_project.deployment import webserver_url
    from dagster_project.serve import DEFAULT_UI_PORT, WEBSERVER_URL_FILE

    monkeypatch.delenv("DJPK_UI_PORT", raising=False)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    assert webserver_url() == f"http://127.0.0.1:{DEFAULT_UI_PORT}"
    (tmp_path / WEBSERVER_URL_FILE).write_text("http://127.0.0.1:3111\n")
    assert webserver_url() == "http://127.0.0.1:3111"
    monkeypatch.setenv("DJPK_UI_PORT", "3222")
    assert webserver_url() == "http://127.0.0.1:3222"
