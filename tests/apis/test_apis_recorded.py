"""Recorded-responses mode: an adapter mounted on the session, the client code unchanged."""

from __future__ import annotations

import json

import pytest
import requests

from dagster_project.apis import Ga4Client, InstagramClient, RecordedResponsesAdapter, RecordingNotFound
from dagster_project.apis.recorded import recording_filename, recording_key

TOKEN = "SECRET-TOKEN-123"
GRAPH = "https://graph.facebook.com/v25.0"
IG_USER = "17841400000000001"


def recorded_session(directory) -> requests.Session:
    session = requests.Session()
    adapter = RecordedResponsesAdapter(directory)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


def test_recorded_files_serve_an_unchanged_instagram_client_across_pages(tmp_path, http_options):
    first_url = (
        f"{GRAPH}/{IG_USER}/media?fields=id,media_type,media_product_type,timestamp,permalink"
        "&since=2024-02-01&until=2024-03-01&limit=100"
    )
    # stored raw JSON carries the scrubbed token in paging.next; following it must still work
    next_url = f"{GRAPH}/{IG_USER}/media?access_token=***&limit=100&after=c1"
    page_1 = {
        "data": [{"id": "1", "media_product_type": "FEED"}],
        "paging": {"cursors": {"after": "c1"}, "next": next_url},
    }
    page_2 = {"data": [{"id": "2", "media_product_type": "REELS"}], "paging": {"cursors": {"before": "c1"}}}
    (tmp_path / recording_filename("GET", first_url)).write_text(json.dumps(page_1))
    (tmp_path / recording_filename("GET", next_url)).write_text(json.dumps(page_2))

    client = InstagramClient(GRAPH, IG_USER, TOKEN, "ditjenpk", session=recorded_session(tmp_path), **http_options)

    assert [m["id"] for m in client.media("2024-02-01", "2024-03-01")] == ["1", "2"]
    assert [r.json for r in client.raw_responses] == [page_1, page_2]
    assert recording_filename("GET", next_url) == f"GET_v25.0_{IG_USER}_media__after=c1_limit=100.json"


def test_recorded_post_is_keyed_by_its_json_body(tmp_path, http_options):
    url = "https://analyticsdata.googleapis.com/v1beta/properties/123:runReport"
    report = {
        "metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}],
        "rows": [{"metricValues": [{"value": "55012"}]}],
        "rowCount": 1,
    }
    body = {
        "dateRanges": [{"startDate": "2024-02-01", "endDate": "2024-02-29"}],
        "metrics": [{"name": "activeUsers"}],
        "limit": 10000,
        "offset": 0,
    }
    name = recording_filename("POST", url, json.dumps(body))
    assert name.startswith("POST_v1beta_properties_123_runReport__body-") and name.endswith(".json")
    # key order in the body does not matter
    assert name == recording_filename("POST", url, json.dumps(dict(reversed(list(body.items())))))
    (tmp_path / name).write_text(json.dumps(report))

    client = Ga4Client(
        "https://analyticsdata.googleapis.com", "123", TOKEN, session=recorded_session(tmp_path), **http_options
    )
    assert client.month_active_users("2024-02-01", "2024-02-29") == 55012


def test_missing_recording_fails_clearly_naming_the_file(tmp_path, http_options, fake_time):
    client = InstagramClient(GRAPH, IG_USER, TOKEN, "ditjenpk", session=recorded_session(tmp_path), **http_options)

    with pytest.raises(RecordingNotFound) as info:
        client.profile()
    expected = tmp_path / f"GET_v25.0_{IG_USER}__fields=followers_count,media_count.json"
    assert f"expected file {expected}" in str(info.value)
    assert f"GET /v25.0/{IG_USER}?fields=followers_count,media_count" in str(info.value)
    assert TOKEN not in str(info.value)
    assert fake_time.sleeps == []  # not retried


def test_recording_key_ignores_the_token_and_sorts_parameters():
    a = recording_key("get", f"{GRAPH}/1/insights?metric=reach,views&access_token={TOKEN}&b=2&a=1")
    assert a == "GET /v25.0/1/insights?a=1&b=2&metric=reach,views"
    long_url = f"{GRAPH}/1/media?fields=" + ",".join(f"field_{i}" for i in range(40))
    assert len(recording_filename("GET", long_url)) <= 180
    assert "__q-" in recording_filename("GET", long_url)
