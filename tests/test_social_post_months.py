"""A social post, story or tweet belongs to the WIB month of its own timestamp (issue 15, finding 7),
whatever window the API call that listed it asked for or returned.

The raw API tables are filled by hand (as the pull assets store them) with pulls whose windows were
UTC months, so each lists a post of the neighbouring WIB month; then the social dbt models are built.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from djpk_runner import REPO_ROOT

from dagster_project.apis import RawResponse
from dagster_project.defs.social.raw_store import replace_month, replace_snapshot_days, response_rows, story_rows

# Each month's pull asked for the UTC month (a window that is wrong by seven hours): January's pull
# lists a post of 1 February 00:00 WIB, February's one of 1 March 00:30 WIB.
POSTS = {
    date(2024, 1, 1): ["2024-01-15T03:00:00", "2024-01-31T17:00:00"],  # the 2nd: 2024-02-01 00:00 WIB
    date(2024, 2, 1): ["2024-02-10T03:00:00", "2024-02-29T17:30:00"],  # the 2nd: 2024-03-01 00:30 WIB
    date(2024, 3, 1): ["2024-03-05T03:00:00"],
}
EXPECTED_POSTS = {"2024-01": 1, "2024-02": 2, "2024-03": 2}
GRAPH = "https://graph.facebook.com/v25.0"


def dbt(warehouse: Path, target: Path, *args: str) -> None:
    """Run dbt against ``warehouse`` with its own target and log folders (never the project's)."""
    completed = subprocess.run(
        [
            str(Path(sys.executable).parent / "dbt"),
            *args,
            "--profiles-dir",
            ".",
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
        ],
        cwd=REPO_ROOT / "dbt",
        env={**os.environ, "DJPK_WAREHOUSE_PATH": str(warehouse)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert completed.returncode == 0, f"dbt {' '.join(args)} failed:\n{completed.stdout[-6000:]}"


def _response(url: str, body: dict, month: date) -> RawResponse:
    return RawResponse(url=url, status=200, json=body, requested_at=datetime(month.year, month.month, 2, 3, 0))


def _fill_raw(warehouse) -> None:
    loaded_at = datetime(2024, 4, 1)
    with duckdb.connect(str(warehouse)) as conn:
        for month, moments in POSTS.items():
            ids = [f"{month:%Y%m}{index}" for index in range(len(moments))]
            media = [
                {
                    "id": f"ig{i}",
                    "media_type": "IMAGE",
                    "media_product_type": "FEED",
                    "timestamp": f"{m}+0000",
                    "permalink": f"https://www.instagram.com/p/{i}/",
                }
                for i, m in zip(ids, moments)
            ]
            posts = [{"id": f"fb{i}", "created_time": f"{m}+0000"} for i, m in zip(ids, moments)]
            tweets = [
                {
                    "id": f"x{i}",
                    "created_at": f"{m}.000Z",
                    "text": "…",
                    "public_metrics": {"impression_count": 10, "like_count": 1, "retweet_count": 0, "reply_count": 0},
                }
                for i, m in zip(ids, moments)
            ]
            for table, provider, url, items in (
                ("api_instagram_media", "Instagram", f"{GRAPH}/17841400000000001/media?since=x&until=y", media),
                ("api_facebook_posts", "Facebook", f"{GRAPH}/100000000000001/posts?since=x&until=y", posts),
                ("api_x_tweets", "X", "https://api.x.com/2/users/1/tweets?start_time=x&end_time=y", tweets),
            ):
                rows = response_rows(month, provider, [_response(url, {"data": items}, month)], loaded_at)
                replace_month(conn, table, month, rows, "live")
        # a story posted 2024-02-29T17:30:00Z (1 March 00:30 WIB), listed by the pull of 29 February (23:00 WIB)
        story = RawResponse(
            url=f"{GRAPH}/17841400000000001/stories?fields=id,timestamp",
            status=200,
            json={"data": [{"id": "st1", "timestamp": "2024-02-29T17:30:00+0000"}]},
            requested_at=datetime(2024, 2, 29, 16, 0),
        )
        replace_snapshot_days(conn, [], story_rows(date(2024, 2, 29), [story], loaded_at), [date(2024, 2, 29)], "live")


def _months(first: str, last: str) -> list[str]:
    return ["--vars", f'{{"djpk_month_from": "{first}-01", "djpk_month_to": "{last}-01"}}']


@pytest.fixture(scope="module")
def built_warehouse(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("post-months")
    warehouse = folder / "warehouse.duckdb"
    _fill_raw(warehouse)
    dbt(warehouse, folder / "target", "run", "--select", "+fct_social_media_monthly", *_months("2024-01", "2024-03"))
    return warehouse


@pytest.fixture(scope="module")
def built(built_warehouse):
    with duckdb.connect(str(built_warehouse), read_only=True) as conn:
        yield conn


@pytest.mark.parametrize("platform", ["instagram", "facebook", "x"])
def test_a_post_counts_in_the_wib_month_of_its_own_timestamp(built, platform):
    posts = dict(
        built.execute(
            "select strftime(report_month, '%Y-%m'), posts from marts.fct_social_media_monthly "
            "where platform = ? order by 1",
            [platform],
        ).fetchall()
    )
    assert posts == EXPECTED_POSTS  # 2024-02-29T17:30Z is March's, 2024-01-31T17:00Z February's


def test_the_staging_models_date_each_post_by_its_own_timestamp(built):
    for model, column in (
        ("stg_instagram__media", "media_id"),
        ("stg_facebook__posts", "post_id"),
        ("stg_x__tweets", "tweet_id"),
    ):
        months = dict(
            built.execute(f"select {column}, strftime(report_month, '%Y-%m') from staging.{model}").fetchall()
        )
        prefix = {"stg_instagram__media": "ig", "stg_facebook__posts": "fb", "stg_x__tweets": "x"}[model]
        assert months[f"{prefix}2024021"] == "2024-03", model  # pulled for February, posted 1 March 00:30 WIB
        assert months[f"{prefix}2024011"] == "2024-02", model  # pulled for January, posted 1 February 00:00 WIB


def test_a_story_just_after_midnight_wib_counts_in_the_next_month(built):
    stories = dict(
        built.execute(
            "select strftime(report_month, '%Y-%m'), stories from marts.fct_social_media_monthly "
            "where platform = 'instagram' order by 1"
        ).fetchall()
    )
    assert stories == {"2024-01": 0, "2024-02": 0, "2024-03": 1}


def test_a_months_new_pull_rebuilds_the_next_month_too(built_warehouse, tmp_path):
    """February pulled again, now listing one more post of 1 March 01:00 WIB; the incremental build of
    February's run also rebuilds March (the month after a changed month), where the post counts."""
    import shutil

    warehouse = tmp_path / "warehouse.duckdb"
    shutil.copyfile(built_warehouse, warehouse)
    february = date(2024, 2, 1)
    media = [
        {
            "id": f"ig{february:%Y%m}{index}",
            "media_type": "IMAGE",
            "media_product_type": "FEED",
            "timestamp": f"{moment}+0000",
            "permalink": "https://www.instagram.com/p/x/",
        }
        for index, moment in enumerate([*POSTS[february], "2024-02-29T18:00:00"])
    ]
    url = f"{GRAPH}/17841400000000001/media?since=x&until=y"
    with duckdb.connect(str(warehouse)) as conn:
        rows = response_rows(february, "Instagram", [_response(url, {"data": media}, february)], datetime(2024, 4, 2))
        replace_month(conn, "api_instagram_media", february, rows, "live")
    dbt(warehouse, tmp_path / "target", "run", "--select", "+fct_social_media_monthly", *_months("2024-02", "2024-02"))
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        posts = dict(
            conn.execute(
                "select strftime(report_month, '%Y-%m'), posts from marts.fct_social_media_monthly "
                "where platform = 'instagram' order by 1"
            ).fetchall()
        )
    assert posts == {"2024-01": 1, "2024-02": 2, "2024-03": 3}
