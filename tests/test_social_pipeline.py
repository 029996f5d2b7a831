"""Website and social-media figures end to end: recorded API responses → real clients → raw
tables → dbt → rpt_metrics__social_media / rpt_metrics__website, compared with the reports.

Runs the social raw assets and the social dbt models (the assembled selection, not the monthly
job) in a temporary data dir. Tokens are set to a distinctive value and looked for everywhere
the run leaves text. The only network address used is 127.0.0.1 (pytest-httpserver).
"""

from __future__ import annotations

import csv
import io
import logging
import os
import socket
import warnings
from contextlib import contextmanager, redirect_stderr, redirect_stdout
from pathlib import Path

import dagster as dg
import duckdb
import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE = REPO_ROOT / "tests" / "reference" / "social_figures.csv"
SECRET = "SECRET-TEST-TOKEN-42"
TOKEN_ENVS = ("GA4_ACCESS_TOKEN", "IG_ACCESS_TOKEN", "FB_PAGE_ACCESS_TOKEN", "X_BEARER_TOKEN")
SOCIAL_DBT_MODELS = {
    "stg_ga4__active_users",
    "stg_social__api_pulls",
    "stg_ga4__page_views",
    "stg_instagram__media",
    "stg_instagram__media_insights",
    "stg_instagram__stories",
    "stg_facebook__posts",
    "stg_x__tweets",
    "stg_social__follower_snapshots",
    "fct_social_media_monthly",
    "fct_website_monthly",
    "fct_website_top_pages",
    "rpt_metrics__social_media",
    "rpt_metrics__website",
}

warnings.filterwarnings("ignore", category=dg.BetaWarning)


LOCAL_HOST = "127.0.0.1"


@pytest.fixture(scope="session")
def httpserver_listen_address():
    return (LOCAL_HOST, 0)


def guard_network(patch: pytest.MonkeyPatch) -> None:
    """Fail on any resolve or connect other than 127.0.0.1 in this process; no dbt usage tracking."""
    real_connect, real_getaddrinfo = socket.socket.connect, socket.getaddrinfo

    def connect(self, address):
        if isinstance(address, tuple) and address[0] != LOCAL_HOST:
            raise AssertionError(f"test tried to connect to {address!r}: only {LOCAL_HOST} is allowed")
        return real_connect(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if host not in (LOCAL_HOST, LOCAL_HOST.encode()):
            raise AssertionError(f"test tried to resolve {host!r}: only {LOCAL_HOST} is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    patch.setattr(socket.socket, "connect", connect)
    patch.setattr(socket, "getaddrinfo", getaddrinfo)
    patch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "False")
    patch.setenv("DO_NOT_TRACK", "1")


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch):
    guard_network(monkeypatch)


class _Collect(logging.Handler):
    def __init__(self, sink: io.StringIO) -> None:
        super().__init__(logging.DEBUG)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        self.sink.write(f"{record.name} {record.levelname} {record.getMessage()}\n")
        if record.exc_text or record.exc_info:
            self.sink.write(
                logging.Formatter().formatException(record.exc_info) if record.exc_info else record.exc_text
            )


@contextmanager
def captured_output(path: Path):
    """Everything the run prints or logs: Python's stdout/stderr, every log record (Dagster's
    loggers propagate to the root logger) and fds 1 and 2 (subprocesses such as dbt)."""
    buffer = io.StringIO()
    handler = _Collect(buffer)
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    saved = os.dup(1), os.dup(2)
    with open(path, "wb") as sink:
        os.dup2(sink.fileno(), 1)
        os.dup2(sink.fileno(), 2)
        try:
            with redirect_stdout(buffer), redirect_stderr(buffer):
                yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            os.close(saved[0])
            os.close(saved[1])
            root.removeHandler(handler)
            root.setLevel(previous_level)
    with open(path, "a", encoding="utf-8") as sink:
        sink.write(buffer.getvalue())


def social_assets():
    from dagster_project.defs.social import defs as social_defs

    return list(social_defs.assets)


def day_range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags of a single run over the daily partitions first … last (single-run backfill policy)."""
    from dagster._core.storage.tags import ASSET_PARTITION_RANGE_END_TAG, ASSET_PARTITION_RANGE_START_TAG

    return {ASSET_PARTITION_RANGE_START_TAG: first, ASSET_PARTITION_RANGE_END_TAG: last}


def warehouse_resource(data_dir: Path):
    from dagster_project.resources import WarehouseResource

    return WarehouseResource(database=str(data_dir / "warehouse.duckdb"))


@pytest.fixture(scope="module")
def pipeline(tmp_path_factory):
    """Both reference months through the raw assets (recorded) and the social dbt models."""
    from dagster_project.dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    from dagster_project.defs.dbt import defs as dbt_defs
    from dagster_project.defs.dbt.assets import djpk_dbt_models
    from dagster_project.defs.social import social_daily_assets, social_monthly_assets
    from dagster_project.defs.social.resources import social_resources
    from dagster_project.defs.social.snapshots import recorded_snapshot_days

    data_dir = tmp_path_factory.mktemp("social")
    log_file = data_dir / "captured.log"
    instance = dg.DagsterInstance.ephemeral()
    raw = social_assets()
    monthly = list(social_monthly_assets)
    raw_keys = [key for asset in monthly for key in asset.keys]
    # the two report models and every dbt model upstream of them (down to the raw API assets)
    reports = [
        key for key in djpk_dbt_models.keys if key.path[-1] in ("rpt_metrics__social_media", "rpt_metrics__website")
    ]
    resources = {**social_resources(), **dbt_defs.resources, "warehouse": warehouse_resource(data_dir)}
    graph = dg.Definitions(assets=[*raw, djpk_dbt_models], resources=resources).resolve_asset_graph()
    all_raw_keys = [key for asset in raw for key in asset.keys]
    dbt_keys = sorted(
        (dg.AssetSelection.assets(*reports).upstream() - dg.AssetSelection.assets(*all_raw_keys)).resolve(graph)
    )
    assert {key.path[-1] for key in dbt_keys} == SOCIAL_DBT_MODELS
    results = {}
    with pytest.MonkeyPatch.context() as patch:
        guard_network(patch)
        for name in TOKEN_ENVS:
            patch.setenv(name, SECRET)
        with captured_output(log_file):
            # the daily snapshot asset over each month's recorded days (one run per month), as `djpk materialize` does
            for month in ("2020-01", "2024-02"):
                days = recorded_snapshot_days(resources["instagram_api"], month)
                results[f"{month} daily"] = dg.materialize(
                    social_daily_assets,
                    resources=resources,
                    instance=instance,
                    raise_on_error=False,
                    tags=day_range_tags(days[0].isoformat(), days[-1].isoformat()),
                )
            results["2020-01"] = dg.materialize(
                [*monthly, djpk_dbt_models],
                selection=dg.AssetSelection.assets(*raw_keys),
                partition_key="2020-01",
                resources=resources,
                instance=instance,
                raise_on_error=False,
            )
            results["2024-02"] = dg.materialize(
                [*monthly, djpk_dbt_models],
                selection=dg.AssetSelection.assets(*raw_keys, *dbt_keys),
                partition_key="2024-02",
                resources=resources,
                instance=instance,
                raise_on_error=False,
            )
    output = log_file.read_text(errors="replace")
    for month, result in results.items():
        failures = [str(event.step_failure_data.error) for event in result.all_events if event.is_step_failure]
        assert result.success, f"{month} failed: {failures}\n{output[-3000:]}"
    return {"data_dir": data_dir, "results": results, "instance": instance, "output": output}


def published_figures(data_dir: Path) -> dict[tuple[str, str, str], float]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        rows = conn.execute(
            "select strftime(report_month, '%Y-%m'), metric, dimension, value from reporting.rpt_metrics__social_media "
            "union all select strftime(report_month, '%Y-%m'), metric, dimension, value from reporting.rpt_metrics__website"
        ).fetchall()
    return {(month, metric, dimension): value for month, metric, dimension, value in rows}


def reference_rows() -> list[dict]:
    with open(REFERENCE, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("row", reference_rows(), ids=lambda r: f"{r['month']}-{r['metric']}-{r['dimension']}")
def test_figures_match_the_reports(pipeline, row):
    figures = published_figures(pipeline["data_dir"])
    key = (row["month"], row["metric"], row["dimension"])
    assert key in figures, f"{key} not published ({row['source']})"
    assert figures[key] == pytest.approx(float(row["value"])), row["source"]


def test_every_catalogue_key_is_published_for_both_months(pipeline):
    figures = published_figures(pipeline["data_dir"])
    catalogue = {
        "instagram_followers",
        "instagram_feed_posts",
        "instagram_stories",
        "instagram_reach_total",
        "instagram_reach_avg",
        "x_followers",
        "x_posts",
        "x_impressions",
        "facebook_followers",
        "facebook_posts",
        "facebook_reach_avg",
        "social_content_avg",
        "website_active_users",
    }
    for month in ("2020-01", "2024-02"):
        assert catalogue <= {metric for m, metric, _ in figures if m == month}, month
        top = sorted(
            (value, dim) for (m, metric, dim), value in figures.items() if m == month and metric == "website_top_pages"
        )
        assert [value for value, _ in top] == list(range(1, 11))


def materialization_metadata(result, key: str) -> dict:
    for event in result.get_asset_materialization_events():
        if event.asset_key.to_user_string() == key:
            return {name: value.value for name, value in event.materialization.metadata.items()}
    raise AssertionError(f"no materialization of {key}")


def test_paging_really_happens(pipeline):
    result = pipeline["results"]["2024-02"]
    assert materialization_metadata(result, "raw/api_instagram_media")["pages_fetched"] == 3  # 25 media, pages of 10
    assert materialization_metadata(result, "raw/api_facebook_posts")["pages_fetched"] == 4  # 33 posts
    assert materialization_metadata(result, "raw/api_x_tweets")["pages_fetched"] == 4  # 33 posts
    assert materialization_metadata(result, "raw/api_ga4_reports")["responses"] == 4  # users + 3 offset pages
    snapshots = materialization_metadata(pipeline["results"]["2024-02 daily"], "raw/api_follower_snapshots")
    assert snapshots["days_pulled"] == 29
    assert snapshots["last_followers"] == {"instagram": 118069, "facebook": 14038, "x": 16743}
    with duckdb.connect(str(pipeline["data_dir"] / "warehouse.duckdb"), read_only=True) as conn:
        offsets = conn.execute(
            "select list(response_json ->> '$.rowCount' order by response_index) from raw.api_ga4_reports "
            "where report_month = '2024-02-01'"
        ).fetchone()[0]
        assert offsets == ["1", "28", "28", "28"]


def test_token_never_leaves_the_run(pipeline):
    assert "raw__api_instagram_media - ASSET_MATERIALIZATION" in pipeline["output"]  # the capture saw the run's logs
    assert SECRET not in pipeline["output"]
    instance = pipeline["instance"]
    for result in pipeline["results"].values():
        for record in instance.all_logs(result.run_id):
            assert SECRET not in dg.serialize_value(record)
    with duckdb.connect(str(pipeline["data_dir"] / "warehouse.duckdb"), read_only=True) as conn:
        tables = conn.execute(
            "select table_schema, table_name from information_schema.tables where table_schema in "
            "('raw', 'staging', 'marts', 'reporting')"
        ).fetchall()
        assert ("raw", "api_instagram_media") in tables
        for schema, table in tables:
            text = conn.execute(
                f'select count(*) from "{schema}"."{table}" t where t::varchar like ?', [f"%{SECRET}%"]
            ).fetchone()[0]
            assert text == 0, f"{schema}.{table} holds the token"
            # Graph's paging.next repeats the token: the HTTP layer masks it (access_token=***)
            tokens = conn.execute(
                f'select count(*) from "{schema}"."{table}" t where regexp_matches(t::varchar, ?)',
                [r"access_token=[^*]"],
            ).fetchone()[0]
            assert tokens == 0, f"{schema}.{table} holds an unmasked access_token parameter"


def test_retries_exhausted_fail_clearly_and_keep_the_month(tmp_path, httpserver, monkeypatch):
    from dagster_project.defs.social.assets import raw_api_instagram_media
    from dagster_project.defs.social.resources import InstagramResource

    monkeypatch.setenv("IG_ACCESS_TOKEN", SECRET)
    warehouse = warehouse_resource(tmp_path)
    instance = dg.DagsterInstance.ephemeral()
    recorded = InstagramResource(recordings_dir=str(REPO_ROOT / "dagster_project" / "sample" / "recordings"))
    first = dg.materialize(
        [raw_api_instagram_media],
        partition_key="2024-02",
        instance=instance,
        resources={"instagram_api": recorded, "warehouse": warehouse},
    )
    assert first.success
    with duckdb.connect(warehouse.database, read_only=True) as conn:
        before = conn.execute(
            "select count(*), min(loaded_at) from raw.api_instagram_media where report_month = '2024-02-01'"
        ).fetchone()
    assert before[0] == 28  # 3 list pages + 25 insights

    httpserver.expect_request("/v25.0/17841400000000001/media").respond_with_json(
        {"error": {"message": "An unexpected error has occurred.", "code": 2, "type": "OAuthException"}}, status=500
    )
    live = InstagramResource(
        base_url=httpserver.url_for("/v25.0"),
        recordings_dir="",
        access_token=dg.EnvVar("IG_ACCESS_TOKEN"),  # as social_resources() binds it: resolved inside the run
        max_attempts=3,
        backoff_base_seconds=0.01,
        max_total_wait_seconds=1.0,
    )
    failed = dg.materialize(
        [raw_api_instagram_media],
        partition_key="2024-02",
        instance=instance,
        raise_on_error=False,
        resources={"instagram_api": live, "warehouse": warehouse},
    )
    assert not failed.success
    failure = next(event for event in failed.all_events if event.is_step_failure)
    message = failure.step_failure_data.error.message + str(failure.step_failure_data.user_failure_data)
    assert "giving up after 3 attempt(s)" in message and "HTTP 500" in message
    assert "nothing written" in message
    assert SECRET not in message
    assert len(httpserver.log) == 3
    assert all(request.args.get("access_token") == SECRET for request, _ in httpserver.log)  # sent, never logged
    for record in instance.all_logs(failed.run_id):
        assert SECRET not in dg.serialize_value(record)
    with duckdb.connect(warehouse.database, read_only=True) as conn:
        after = conn.execute(
            "select count(*), min(loaded_at) from raw.api_instagram_media where report_month = '2024-02-01'"
        ).fetchone()
    assert after == before


def test_live_mode_without_token_names_the_variable(tmp_path, monkeypatch):
    from dagster_project.defs.social.assets import raw_api_x_tweets
    from dagster_project.defs.social.resources import XResource

    monkeypatch.delenv("X_BEARER_TOKEN", raising=False)
    result = dg.materialize(
        [raw_api_x_tweets],
        partition_key="2024-02",
        raise_on_error=False,
        resources={
            "x_api": XResource(base_url="http://127.0.0.1:9/2", recordings_dir=""),
            "warehouse": warehouse_resource(tmp_path),
        },
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    assert "X_BEARER_TOKEN" in str(failure.step_failure_data.user_failure_data.description)


def test_facebook_token_variable_is_one_name_everywhere(tmp_path, monkeypatch):
    """FB_PAGE_ACCESS_TOKEN in the client, the resource and the message; the retired name is only named."""
    import inspect

    from dagster_project.apis import FacebookPageClient
    from dagster_project.defs.social.assets import raw_api_facebook_posts
    from dagster_project.defs.social.resources import FacebookResource

    assert FacebookResource.model_fields["token_env"].default == "FB_PAGE_ACCESS_TOKEN"
    assert inspect.signature(FacebookPageClient).parameters["token_env"].default == "FB_PAGE_ACCESS_TOKEN"
    monkeypatch.delenv("FB_PAGE_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("FB_ACCESS_TOKEN", SECRET)
    result = dg.materialize(
        [raw_api_facebook_posts],
        partition_key="2024-02",
        raise_on_error=False,
        resources={
            "facebook_api": FacebookResource(base_url="http://127.0.0.1:9/v25.0", recordings_dir=""),
            "warehouse": warehouse_resource(tmp_path),
        },
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    description = str(failure.step_failure_data.user_failure_data.description)
    assert "FB_PAGE_ACCESS_TOKEN is not set" in description
    assert "FB_ACCESS_TOKEN is set but no longer read" in description
    assert SECRET not in description


def test_a_replay_is_skipped_only_while_the_warehouse_holds_exactly_the_recorded_days(pipeline, tmp_path):
    """`djpk materialize` runs no replay when the month's recorded days are stored already, unchanged
    (``replay_is_current``): after the fixture's replay of February 2024 it is current; one changed follower count,
    one day missing its story pulls or one day pulled live makes the replay run again."""
    import shutil

    from dagster_project.defs.social.resources import social_resources
    from dagster_project.defs.social.snapshots import recorded_snapshot_days, replay_is_current

    shutil.copy(pipeline["data_dir"] / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
    resources = {**social_resources(), "warehouse": warehouse_resource(tmp_path)}
    days = recorded_snapshot_days(resources["instagram_api"], "2024-02")
    assert len(days) == 29 and replay_is_current(resources, days)
    assert not replay_is_current({**resources, "warehouse": warehouse_resource(tmp_path / "none")}, days)
    changes = [
        "update raw.api_follower_snapshots set followers = followers + 1 where snapshot_date = '2024-02-10' and platform = 'x'",
        "delete from raw.api_instagram_stories where snapshot_date = '2024-02-05'",
        "update raw.api_pull_modes set api_mode = 'live' where pull_key = '2024-02-03' and table_name = 'api_instagram_stories'",
    ]
    for change in changes:
        shutil.copy(pipeline["data_dir"] / "warehouse.duckdb", tmp_path / "warehouse.duckdb")
        with duckdb.connect(str(tmp_path / "warehouse.duckdb")) as conn:
            conn.execute(change)
        assert not replay_is_current(resources, days), change


def test_rerunning_a_month_replaces_it(tmp_path):
    from dagster_project.defs.social.assets import raw_api_facebook_posts
    from dagster_project.defs.social.resources import social_resources

    resources = {"facebook_api": social_resources()["facebook_api"], "warehouse": warehouse_resource(tmp_path)}
    for _ in range(2):
        assert dg.materialize([raw_api_facebook_posts], partition_key="2024-02", resources=resources).success
    with duckdb.connect(resources["warehouse"].database, read_only=True) as conn:
        assert conn.execute("select count(*) from raw.api_facebook_posts").fetchone()[0] == 4 + 33


def test_bundled_recordings_match_the_generator():
    from dagster_project.sample.api_recordings import main

    assert main(["--check"]) == 0, "run: python -m dagster_project.sample.api_recordings"


# --- the daily snapshot asset (daily partitions, live and recorded) ------------------------------


def _today_wib() -> str:
    from datetime import datetime

    from dagster_project.defs.social.resources import WIB

    return datetime.now(WIB).date().isoformat()


def _serve_snapshot_endpoints(httpserver, followers: dict[str, int], stories: list[dict]) -> None:
    httpserver.expect_request("/v25.0/17841400000000001/stories").respond_with_json({"data": stories})
    httpserver.expect_request("/v25.0/17841400000000001").respond_with_json(
        {"followers_count": followers["instagram"], "media_count": 4012, "id": "17841400000000001"}
    )
    httpserver.expect_request("/v25.0/100000000000001").respond_with_json(
        {"followers_count": followers["facebook"], "fan_count": 13500, "id": "100000000000001"}
    )
    httpserver.expect_request("/2/users/by/username/DitjenPK").respond_with_json(
        {
            "data": {
                "id": "1000000000000000001",
                "username": "DitjenPK",
                "public_metrics": {
                    "followers_count": followers["x"],
                    "following_count": 10,
                    "tweet_count": 9000,
                    "listed_count": 5,
                },
            }
        }
    )


def _live_snapshot_resources(httpserver, tmp_path) -> dict:
    from dagster_project.defs.social.resources import social_resources

    graph, x = httpserver.url_for("/v25.0"), httpserver.url_for("/2")
    fast = {"max_attempts": 2, "backoff_base_seconds": 0.01, "max_total_wait_seconds": 1.0}
    return {
        **social_resources(
            recordings_dir="",
            instagram_api={"base_url": graph, **fast},
            facebook_api={"base_url": graph, **fast},
            x_api={"base_url": x, **fast},
        ),
        "warehouse": warehouse_resource(tmp_path),
    }


def test_daily_snapshot_pulls_today_live(tmp_path, httpserver, monkeypatch):
    from dagster_project.defs.social import social_daily_assets

    for name in TOKEN_ENVS:
        monkeypatch.setenv(name, SECRET)
    _serve_snapshot_endpoints(
        httpserver,
        {"instagram": 118100, "facebook": 14050, "x": 16760},
        [{"id": "story-1", "timestamp": "2024-02-29T10:00:00+0000"}],
    )
    today = _today_wib()
    instance = dg.DagsterInstance.ephemeral()
    result = dg.materialize(
        social_daily_assets,
        partition_key=today,
        instance=instance,
        resources=_live_snapshot_resources(httpserver, tmp_path),
    )
    assert result.success
    assert len(httpserver.log) == 4  # three profiles + one stories page
    assert all(request.args.get("access_token") == SECRET for request, _ in httpserver.log if "/v25.0/" in request.path)
    metadata = materialization_metadata(result, "raw/api_follower_snapshots")
    assert metadata["last_followers"] == {"instagram": 118100, "facebook": 14050, "x": 16760}
    assert metadata["dagster/row_count"] == 3
    assert materialization_metadata(result, "raw/api_instagram_stories")["distinct_stories_pulled"] == 1
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        rows = conn.execute(
            "select platform, snapshot_date::varchar, followers, endpoint from raw.api_follower_snapshots "
            "order by platform"
        ).fetchall()
        stories = conn.execute(
            "select count(*) from raw.api_instagram_stories where snapshot_date = ?", [today]
        ).fetchone()[0]
    assert [(platform, day, followers) for platform, day, followers, _ in rows] == [
        ("facebook", today, 14050),
        ("instagram", today, 118100),
        ("x", today, 16760),
    ]
    assert all("access_token" not in endpoint for *_, endpoint in rows)
    assert stories == 1
    for record in instance.all_logs(result.run_id):
        assert SECRET not in dg.serialize_value(record)


def test_daily_snapshot_refuses_a_past_day_live_and_writes_nothing(tmp_path, httpserver, monkeypatch):
    from dagster_project.defs.social import social_daily_assets

    for name in TOKEN_ENVS:
        monkeypatch.setenv(name, SECRET)
    result = dg.materialize(
        social_daily_assets,
        partition_key="2024-02-10",
        raise_on_error=False,
        resources=_live_snapshot_resources(httpserver, tmp_path),
    )
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    description = str(failure.step_failure_data.user_failure_data.description)
    assert (
        "cannot pull the snapshot of 2024-02-10 live" in description
        and "nothing was requested or written" in description
    )
    assert len(httpserver.log) == 0
    assert not (tmp_path / "warehouse.duckdb").exists()


def test_live_refusal_allows_today_and_yesterday_shortly_after_midnight():
    from datetime import date, datetime

    from dagster_project.defs.social.resources import WIB
    from dagster_project.defs.social.snapshots import live_refusal

    evening = datetime(2024, 2, 29, 23, 0, tzinfo=WIB)
    assert live_refusal([date(2024, 2, 29)], evening) is None
    assert "2024-02-28" in live_refusal([date(2024, 2, 28)], evening)
    after_midnight = datetime(2024, 3, 1, 0, 40, tzinfo=WIB)  # a run that queued behind a long one
    assert live_refusal([date(2024, 2, 29), date(2024, 3, 1)], after_midnight) is None
    assert live_refusal([date(2024, 2, 29)], datetime(2024, 3, 1, 7, 0, tzinfo=WIB)) is not None
    assert "and 2 more" in live_refusal([date(2024, 1, d) for d in range(1, 6)], evening)


def test_rerunning_a_recorded_day_replaces_only_that_day(tmp_path):
    from dagster_project.defs.social import social_daily_assets
    from dagster_project.defs.social.resources import social_resources

    resources = {**social_resources(), "warehouse": warehouse_resource(tmp_path)}
    assert dg.materialize(
        social_daily_assets, resources=resources, tags=day_range_tags("2024-02-27", "2024-02-29")
    ).success
    assert dg.materialize(social_daily_assets, resources=resources, partition_key="2024-02-28").success
    with duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True) as conn:
        per_day = conn.execute(
            "select snapshot_date::varchar, count(*), count(distinct loaded_at) from raw.api_follower_snapshots "
            "group by all order by 1"
        ).fetchall()
        taken = conn.execute(
            "select distinct strftime(taken_at + interval 7 hour, '%H:%M') from raw.api_follower_snapshots"
        ).fetchall()
    assert per_day == [("2024-02-27", 3, 1), ("2024-02-28", 3, 1), ("2024-02-29", 3, 1)]
    assert taken == [("23:00",)]  # the recorded pull time (WIB)


def test_missing_recorded_day_fails_naming_the_file(tmp_path):
    from dagster_project.defs.social import social_daily_assets
    from dagster_project.defs.social.resources import social_resources

    resources = {**social_resources(), "warehouse": warehouse_resource(tmp_path)}
    result = dg.materialize(social_daily_assets, resources=resources, partition_key="2022-06-15", raise_on_error=False)
    assert not result.success
    failure = next(event for event in result.all_events if event.is_step_failure)
    description = str(failure.step_failure_data.user_failure_data.description)
    assert "nothing written for 2022-06-15" in description and "daily/2022-06-15" in description
