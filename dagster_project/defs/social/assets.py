"""Raw API assets: website (GA4) and social media (Instagram, Facebook Page, X), per report month.

Each monthly asset pulls its month through the real client (``dagster_project.apis``), keeps every
response as received (``raw.api_*``: JSON text, token-free URL, request time) and replaces the
month in one transaction. A failed pull (retries exhausted, refused token, missing recording)
fails the asset before anything is written, so the month's earlier rows stay.

Followers and Instagram stories are only available "as of now": ``raw/api_follower_snapshots``
and ``raw/api_instagram_stories`` store dated daily pulls. They are monthly-partitioned here: a
run of month M replays every recorded daily pull of M (recorded mode), or, live, pulls once now
when today (WIB) lies in M and keeps the earlier days' rows.
"""


import json
from datetime import date, datetime, timezone
from pathlib import Path

import dagster as dg

from ...apis import ApiError
from ...apis.http import strip_token_params
from ...partitions import ONE_MONTH_PER_RUN, month_start, monthly_partitions
from ...resources import WarehouseResource
from . import pulls
from .raw_store import now_utc, replace_month, replace_snapshot_days, response_rows
from .resources import WIB, FacebookResource, Ga4Resource, InstagramResource, XResource

GROUP = "raw_social"
COMMON = dict(
    partitions_def=monthly_partitions,
    backfill_policy=ONE_MONTH_PER_RUN,
    group_name=GROUP,
    owners=["team:data-engineering"],
)
KINDS = {"duckdb", "python"}


def _failure(error: ApiError) -> dg.Failure:
    return dg.Failure(description=f"API pull failed, nothing written for this month: {error}", allow_retries=False)


def _store(context, warehouse: WarehouseResource, table: str, provider: str, pull: pulls.Pull) -> dg.MaterializeResult:
    start = month_start(context.partition_key)
    rows = response_rows(start, provider, pull.responses, now_utc())
    with warehouse.get_connection() as conn:
        stored = replace_month(conn, table, start, rows)
    context.log.info(f"{provider} {context.partition_key}: {len(rows)} responses, {pull.pages_fetched} list pages, {pull.items} items")
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": stored,
            "responses": len(rows),
            "pages_fetched": pull.pages_fetched,
            "items": pull.items,
            **{key: value for key, value in pull.extra.items()},
        }
    )


@dg.asset(key=["raw", "api_ga4_reports"], kinds=KINDS, description=(
    "GA4 runReport responses of the month as received: month active users (no dimensions) and the "
    "top pages by views (pagePath, pageTitle; offset paging)."), **COMMON)
def raw_api_ga4_reports(context: dg.AssetExecutionContext, ga4_api: Ga4Resource, warehouse: WarehouseResource):
    try:
        pull = pulls.pull_ga4_month(ga4_api.client(), context.partition_key, ga4_api.top_pages)
    except ApiError as error:
        raise _failure(error) from error
    return _store(context, warehouse, "api_ga4_reports", "GA4", pull)


@dg.asset(key=["raw", "api_instagram_media"], kinds=KINDS, description=(
    "Instagram media list pages of the month (cursor paging) and the insights (reach, views) of "
    "each feed post, as received."), **COMMON)
def raw_api_instagram_media(context: dg.AssetExecutionContext, instagram_api: InstagramResource, warehouse: WarehouseResource):
    try:
        pull = pulls.pull_instagram_month(instagram_api.client(), context.partition_key, instagram_api.media_metrics)
    except ApiError as error:
        raise _failure(error) from error
    return _store(context, warehouse, "api_instagram_media", "Instagram", pull)


@dg.asset(key=["raw", "api_facebook_posts"], kinds=KINDS, description=(
    "Facebook Page posts of the month (cursor paging) and each post's configured insight metric "
    "(post_total_media_view_unique), as received."), **COMMON)
def raw_api_facebook_posts(context: dg.AssetExecutionContext, facebook_api: FacebookResource, warehouse: WarehouseResource):
    try:
        pull = pulls.pull_facebook_month(facebook_api.client(), context.partition_key)
    except ApiError as error:
        raise _failure(error) from error
    return _store(context, warehouse, "api_facebook_posts", "Facebook", pull)


@dg.asset(key=["raw", "api_x_tweets"], kinds=KINDS, description=(
    "X posts of the month with public_metrics (pagination_token paging), as received."), **COMMON)
def raw_api_x_tweets(context: dg.AssetExecutionContext, x_api: XResource, warehouse: WarehouseResource):
    try:
        pull = pulls.pull_x_month(x_api.client(), x_api.user_id, context.partition_key)
    except ApiError as error:
        raise _failure(error) from error
    return _store(context, warehouse, "api_x_tweets", "X", pull)


def snapshot_days(instagram_api: InstagramResource, month: str, today: date | None = None) -> list[date]:
    """Days whose daily pull this run stores: recorded pulls of the month, or today (live)."""
    start, end = month_start(month), pulls.month_last_day(month)
    if instagram_api.recorded:
        folder = Path(instagram_api.recordings_dir) / "daily"
        days = []
        for child in sorted(folder.glob("????-??-??")) if folder.is_dir() else []:
            day = date.fromisoformat(child.name)
            if start <= day <= end:
                days.append(day)
        return days
    today = today or datetime.now(WIB).date()
    return [today] if start <= today <= end else []


@dg.multi_asset(
    specs=[
        dg.AssetSpec(["raw", "api_follower_snapshots"], kinds=KINDS, group_name=GROUP, owners=["team:data-engineering"],
                     description="Dated follower snapshots (platform, taken_at, followers, raw JSON): the APIs give today's "
                                 "count only, so every daily pull is kept; a month's figure is its last snapshot."),
        dg.AssetSpec(["raw", "api_instagram_stories"], kinds=KINDS, group_name=GROUP, owners=["team:data-engineering"],
                     description="Daily pulls of the Instagram stories live at pull time (24 h): the month's stories "
                                 "are the distinct story ids over its daily pulls."),
    ],
    partitions_def=monthly_partitions,
    backfill_policy=ONE_MONTH_PER_RUN,
)
def raw_api_daily_snapshots(
    context: dg.AssetExecutionContext,
    instagram_api: InstagramResource,
    facebook_api: FacebookResource,
    x_api: XResource,
    warehouse: WarehouseResource,
):
    month = context.partition_key
    start = month_start(month)
    days = snapshot_days(instagram_api, month)
    if not days:
        context.log.warning(
            f"no daily pull for {month}: follower counts and stories can only be pulled for today "
            "(live) or replayed from recordings; the month's stored snapshots are kept"
        )
    loaded_at = now_utc()
    snapshot_rows, story_rows, stories_seen = [], [], set()
    try:
        for day in days:
            live_day = None if not instagram_api.recorded else day
            ig, fb, x = instagram_api.client(live_day), facebook_api.client(live_day), x_api.client(live_day)
            for platform, (followers, response) in pulls.pull_follower_snapshot(ig, fb, x).items():
                taken = response.requested_at.astimezone(timezone.utc).replace(tzinfo=None)
                snapshot_rows.append((platform, taken, day, start, followers, platform, strip_token_params(response.url),
                                      json.dumps(response.json, sort_keys=True), loaded_at))
            story_pull = pulls.pull_instagram_stories(ig)
            for index, response in enumerate(story_pull.responses):
                taken = response.requested_at.astimezone(timezone.utc).replace(tzinfo=None)
                story_rows.append((taken, day, start, "Instagram", strip_token_params(response.url), index,
                                   json.dumps(response.json, sort_keys=True), loaded_at))
                stories_seen.update(item["id"] for item in response.json.get("data", []))
    except ApiError as error:
        raise _failure(error) from error
    with warehouse.get_connection() as conn:
        replace_snapshot_days(conn, snapshot_rows, story_rows, days)
        snapshots = conn.execute(
            "select count(*) from raw.api_follower_snapshots where report_month = ?", [start]).fetchone()[0]
        story_pulls = conn.execute(
            "select count(*) from raw.api_instagram_stories where report_month = ?", [start]).fetchone()[0]
    last = {row[0]: row[4] for row in sorted(snapshot_rows, key=lambda row: row[1])}
    yield dg.MaterializeResult(asset_key=["raw", "api_follower_snapshots"], metadata={
        "dagster/row_count": snapshots, "days_pulled": len(days), "last_followers": dg.MetadataValue.json(last)})
    yield dg.MaterializeResult(asset_key=["raw", "api_instagram_stories"], metadata={
        "dagster/row_count": story_pulls, "days_pulled": len(days), "distinct_stories_pulled": len(stories_seen)})


social_raw_assets = [raw_api_ga4_reports, raw_api_instagram_media, raw_api_facebook_posts, raw_api_x_tweets,
                     raw_api_daily_snapshots]
