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


def test_the_demo_data_dir_replays_the_recordings_unless_told_live(unmarked, monkeypatch):
    from dagster_project.defs.social.resources import social_resources

    mark_demo_data_dir(unmarked)
    assert api_mode() == "recorded"
    assert all(resource.recorded for resource in social_resources().values())
    monkeypatch.setenv("DJPK_API_MODE", "live")
    assert api_mode() == "live"
    assert not any(resource.recorded for resource in social_resources().values())
