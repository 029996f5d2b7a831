"""Recorded API responses only in the demo's data dir (or when asked for): everywhere else the pulls are live."""

from __future__ import annotations

import dagster as dg
import pytest

from dagster_project.demo_mode import api_mode, is_demo_data_dir, mark_demo_data_dir


@pytest.fixture
def unmarked(tmp_path, monkeypatch):
    monkeypatch.delenv("DJPK_API_MODE", raising=False)
    monkeypatch.delenv("DJPK_API_RECORDINGS_DIR", raising=False)
    monkeypatch.setenv("DJPK_DATA_DIR", str(tmp_path))
    return tmp_path


def test_a_data_dir_that_is_not_the_demos_pulls_live(unmarked, monkeypatch):
    from dagster_project.defs.social.resources import social_resources

    assert api_mode() == "live" and not is_demo_data_dir()
    resources = social_resources()
    assert not any(resource.recorded for resource in resources.values())
    monkeypatch.delenv("IG_ACCESS_TOKEN", raising=False)
    with pytest.raises(dg.Failure, match="IG_ACCESS_TOKEN is not set"):
        resources["instagram_api"].token()


def test_live_tokens_reach_the_resources_as_env_vars(unmarked, monkeypatch):
    """Each live resource gets its token as ``dg.EnvVar`` (the UI shows the variable's name, not its value);
    the demo's recorded resources get none."""
    from dagster_project.defs.social.resources import social_resources

    names = {"ga4_api": "GA4_ACCESS_TOKEN", "instagram_api": "IG_ACCESS_TOKEN"}
    names |= {"facebook_api": "FB_PAGE_ACCESS_TOKEN", "x_api": "X_BEARER_TOKEN"}
    for name in names.values():
        monkeypatch.setenv(name, "secret-value-of-" + name)
    resources = social_resources()
    for key, name in names.items():
        token = resources[key].access_token
        assert isinstance(token, dg.EnvVar) and token.env_var_name == name
        assert resources[key].token() == "secret-value-of-" + name
    mark_demo_data_dir(unmarked)
    assert all(resource.access_token is None for resource in social_resources().values())


def test_the_demo_data_dir_replays_the_recordings_unless_told_live(unmarked, monkeypatch):
    from dagster_project.defs.social.resources import social_resources

    mark_demo_data_dir(unmarked)
    assert api_mode() == "recorded"
    assert all(resource.recorded for resource in social_resources().values())
    monkeypatch.setenv("DJPK_API_MODE", "live")
    assert api_mode() == "live"
    assert not any(resource.recorded for resource in social_resources().values())


def _pull(conn, table: str, provider: str, url: str, mode: str) -> None:
    from datetime import date, datetime

    from dagster_project.apis import RawResponse
    from dagster_project.defs.social.raw_store import replace_month, response_rows

    response = RawResponse(url=url, status=200, json={"data": []}, requested_at=datetime(2024, 3, 1, 1, 0))
    replace_month(
        conn, table, date(2024, 2, 1), response_rows(date(2024, 2, 1), provider, [response], datetime(2024, 3, 1)), mode
    )


def test_the_manifests_api_mode_is_what_the_pulls_were():
    """Each pull records how it was made; a month is ``live``, ``recorded``, ``mixed`` or ``unknown``
    (pulled before modes were recorded)."""
    from datetime import date

    import duckdb

    from dagster_project.defs.social.raw_store import api_pulls_of_month, month_api_mode

    with duckdb.connect(":memory:") as conn:
        assert month_api_mode(api_pulls_of_month(conn, date(2024, 2, 1))) is None
        _pull(conn, "api_x_tweets", "X", "https://api.x.com/2/users/1/tweets", "live")
        pulls = api_pulls_of_month(conn, date(2024, 2, 1))
        assert [pull["api_mode"] for pull in pulls] == ["live"] and month_api_mode(pulls) == "live"
        _pull(conn, "api_facebook_posts", "Facebook", "https://graph.facebook.com/v25.0/1/posts", "recorded")
        assert month_api_mode(api_pulls_of_month(conn, date(2024, 2, 1))) == "mixed"
        _pull(conn, "api_facebook_posts", "Facebook", "https://graph.facebook.com/v25.0/1/posts", "live")
        assert month_api_mode(api_pulls_of_month(conn, date(2024, 2, 1))) == "live"
        conn.execute("delete from raw.api_pull_modes where table_name = 'api_x_tweets'")
        assert month_api_mode(api_pulls_of_month(conn, date(2024, 2, 1))) == "unknown"


def test_the_demos_manifest_says_its_months_were_built_from_recordings(demo_data_dir):
    import json

    manifest = json.loads((demo_data_dir / "published" / "2024-02" / "manifest.json").read_text())
    assert manifest["api_mode"] == "recorded"
    assert {pull["api_mode"] for pull in manifest["api_pulls"]} == {"recorded"}


def test_a_month_built_from_recordings_is_not_published_outside_the_demos_data_dir(demo_data_dir, tmp_path):
    """The demo's data, copied to a data dir without ``SAMPLE-DATA.txt`` (as if ``DJPK_API_MODE=recorded``
    had been left set for a production data dir): the publish step refuses, naming the month and the mode,
    before it writes anything; the earlier publication stays as it was."""
    import hashlib

    from djpk_runner import copy_of_demo

    from dagster_project.defs.publish.assets import published_report_metrics
    from dagster_project.demo_mode import DEMO_MARKER
    from dagster_project.resources import default_resources
    from dagster_project.settings import data_paths

    data_dir = copy_of_demo(demo_data_dir, tmp_path / "data")
    (data_dir / DEMO_MARKER).unlink()
    folder = data_dir / "published" / "2024-02"

    def files():
        return {
            str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in folder.rglob("*")
            if p.is_file()
        }

    before = files()
    result = dg.materialize(
        [published_report_metrics],
        partition_key="2024-02",
        raise_on_error=False,
        resources=default_resources(data_paths(data_dir)),
    )
    assert not result.success
    [failure] = [event.step_failure_data.error.message for event in result.all_events if event.is_step_failure]
    assert "2024-02 is not published" in failure and "API mode recorded" in failure and DEMO_MARKER in failure
    assert files() == before and not list(folder.glob(".pending-*"))


def test_the_demo_ingests_its_history_in_as_few_runs_as_the_landed_files_allow(demo_data_dir):
    """Consecutive history months with the same exports are one run, and a run spans a report month that has
    those exports too (2023-02 between the register history months); months with other exports are apart."""
    from dagster_project.cli import history_ingest_runs, landed_contracts
    from dagster_project.partitions import months_between
    from dagster_project.sample.generate import HISTORY_MONTHS

    landing = demo_data_dir / "landing"
    runs = history_ingest_runs(landing, list(HISTORY_MONTHS))
    covered = [month for first, last, _ in runs for month in months_between(first, last)]
    assert set(HISTORY_MONTHS) <= set(covered) and len(covered) == len(set(covered))
    for first, last, sources in runs:
        for month in months_between(first, last):
            assert set(sources) <= {contract.source for contract in landed_contracts(landing, month)}, month
    assert [(first, last) for first, last, _ in runs] == [("2019-04", "2019-11"), ("2023-01", "2023-12")]
