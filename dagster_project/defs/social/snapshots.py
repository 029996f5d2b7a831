"""The daily snapshot pull: follower counts of the three accounts and the Instagram stories live now.

The APIs only answer "as of now": ``followers_count`` is today's number and
``/{ig_user_id}/stories`` lists the stories of the last 24 hours. A month's follower figure is its
last snapshot and its stories are the distinct stories seen by its daily pulls, so the pull must
happen every day; the monthly facts (``stg_social__follower_snapshots``,
``stg_instagram__stories``) read every stored snapshot and assign it to a month by its own time.

Why a **daily partition** (Asia/Jakarta, keys ``YYYY-MM-DD``, today included via
``end_offset=1``) rather than an unpartitioned asset run daily: every day is its own snapshot that
can never be re-pulled later, and the partition makes that visible — a missing day in the UI is a
day whose stories may be lost; re-running a day replaces exactly that day (``snapshot_date``); the
recorded demo replays a recorded day by its key, through the same code. The policy is
``BackfillPolicy.single_run()`` so that a range of days (a month of recordings) is one run and one
transaction, not thirty runs queueing behind each other.

Live, only today's partition can be pulled (and yesterday's until ``LIVE_LATE_GRACE`` past
midnight WIB, for a run that queued behind a long one): any other day fails before a request is
sent, because what the API returns now is not that day's snapshot. The rows keep the real request
time (``taken_at``), which is what the month assignment uses.

The schedule ``daily_snapshot_schedule`` (``defs/automation``) runs today's partition of the job
``daily_social_snapshots`` at 23:00 WIB, the time the bundled recordings were "pulled".
"""

import calendar
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

import dagster as dg

from ...apis import ApiError
from ...lib.months import WIB
from ...partitions import daily_partitions
from ...resources import WarehouseResource
from ...writer_lock import WRITER_TAGS
from . import pulls
from .raw_store import (
    FOLLOWER_SNAPSHOTS,
    INSTAGRAM_STORIES,
    RAW_SCHEMA,
    holds_snapshot_days,
    now_utc,
    replace_snapshot_days,
    snapshot_row,
    story_rows,
)
from .resources import ApiResource, FacebookResource, InstagramResource, XResource

DAILY_SNAPSHOT_JOB_NAME = "daily_social_snapshots"
GROUP = "raw_social"
KINDS = {"duckdb", "python"}
LIVE_LATE_GRACE = timedelta(hours=6)
PROVIDER_OF_PLATFORM = {"instagram": "Instagram", "facebook": "Facebook", "x": "X"}
FOLLOWERS_KEY = dg.AssetKey(["raw", FOLLOWER_SNAPSHOTS])
STORIES_KEY = dg.AssetKey(["raw", INSTAGRAM_STORIES])


def live_refusal(days: list[date], now: datetime) -> str | None:
    """Why ``days`` cannot be pulled live at ``now`` (None when they can)."""
    local = now.astimezone(WIB)
    today = local.date()
    allowed = {today}
    if local - datetime.combine(today, time(0), WIB) < LIVE_LATE_GRACE:
        allowed.add(today - timedelta(days=1))
    refused = [day for day in days if day not in allowed]
    if not refused:
        return None
    shown = ", ".join(day.isoformat() for day in refused[:3]) + (
        f" and {len(refused) - 3} more" if len(refused) > 3 else ""
    )
    return (
        f"cannot pull the snapshot of {shown} live: the APIs only give follower counts and stories "
        f"as of now ({local:%Y-%m-%d %H:%M} WIB), so only today's partition can be pulled "
        f"(yesterday's until {LIVE_LATE_GRACE.seconds // 3600:d}:00 WIB); nothing was requested or written"
    )


def recorded_snapshot_days(api: ApiResource, month: str) -> list[date]:
    """Days of ``month`` with a recorded daily pull (``<recordings_dir>/daily/<YYYY-MM-DD>/``); [] live."""
    if not api.recorded:
        return []
    folder = Path(api.recordings_dir) / "daily"
    year, number = (int(part) for part in month.split("-"))
    days = [date(year, number, day) for day in range(1, calendar.monthrange(year, number)[1] + 1)]
    return [day for day in days if (folder / day.isoformat()).is_dir()]


@dataclass
class SnapshotPull:
    """What the daily pull of some days gives: the rows of both raw tables and a summary for the log."""

    followers_rows: list[tuple] = field(default_factory=list)
    stories: list[tuple] = field(default_factory=list)
    story_ids: set[str] = field(default_factory=set)
    last: dict[str, int] = field(default_factory=dict)


def pull_snapshot_days(
    days: list[date], instagram_api: ApiResource, facebook_api: ApiResource, x_api: ApiResource, loaded_at
) -> SnapshotPull:
    """The follower snapshots and story pulls of ``days`` (raises ``ApiError``), the rows as the raw tables
    store them."""
    pulled = SnapshotPull()
    for day in days:
        ig, fb, x = instagram_api.client(day), facebook_api.client(day), x_api.client(day)
        for platform, (followers, response) in pulls.pull_follower_snapshot(ig, fb, x).items():
            pulled.followers_rows.append(
                snapshot_row(platform, PROVIDER_OF_PLATFORM[platform], day, followers, response, loaded_at)
            )
            pulled.last[platform] = followers
        story_pull = pulls.pull_instagram_stories(ig)
        pulled.stories.extend(story_rows(day, story_pull.responses, loaded_at))
        pulled.story_ids.update(
            item["id"] for response in story_pull.responses for item in response.json.get("data", [])
        )
    return pulled


def replay_is_current(resources: Mapping, days: list[date]) -> bool:
    """Whether the warehouse already holds exactly what replaying the recorded ``days`` would write: every
    follower snapshot and story pull of those days, recorded mode, the same rows (``loaded_at`` aside). The rows
    are built by the asset's own code from the recordings, so a changed recording or a changed way of storing
    it replays again. Then ``djpk materialize`` does not run the replay (a run of its own, ~2 s a month)."""
    warehouse = resources["warehouse"]
    if not Path(warehouse.database).exists():
        return False
    apis = (resources["instagram_api"], resources["facebook_api"], resources["x_api"])
    if not days or not all(api.recorded for api in apis):
        return False
    try:
        pulled = pull_snapshot_days(days, *apis, loaded_at=None)
    except ApiError:
        return False  # the replay run reports it
    with warehouse.read_only_connection() as conn:
        return holds_snapshot_days(conn, days, pulled.followers_rows, pulled.stories, "recorded")


@dg.multi_asset(
    name="raw_api_daily_snapshots",
    specs=[
        dg.AssetSpec(
            FOLLOWERS_KEY,
            kinds=KINDS,
            group_name=GROUP,
            owners=["team:data-engineering"],
            description=(
                "Daily follower snapshots of Instagram @ditjenpk, the Facebook Page and X @DitjenPK (platform, taken_at, "
                "followers, the profile response as received), one partition per day (Asia/Jakarta). The APIs give "
                "today's count only, so every day is pulled and kept; a month's figure is its last snapshot. Daily "
                "partitions rather than one unpartitioned daily asset: a day is a snapshot that cannot be re-pulled "
                "later, so each day is its own partition (gaps visible, a day re-run replaces only that day, recorded "
                "days replay by key); single-run backfill policy (a month of recorded days is one run). Live, only "
                "today's partition can be pulled. Schedule: daily_snapshot_schedule, 23:00 WIB."
            ),
        ),
        dg.AssetSpec(
            STORIES_KEY,
            kinds=KINDS,
            group_name=GROUP,
            owners=["team:data-engineering"],
            description=(
                "Daily pulls of the Instagram stories live at pull time (a story lives 24 h, so only a daily pull "
                "sees every story), one partition per day (Asia/Jakarta), pulled with the follower snapshots. The "
                "month's stories are the distinct story ids over the pulls, by the WIB month of their timestamp."
            ),
        ),
    ],
    partitions_def=daily_partitions,
    backfill_policy=dg.BackfillPolicy.single_run(),
    can_subset=False,
)
def raw_api_daily_snapshots(
    context: dg.AssetExecutionContext,
    instagram_api: InstagramResource,
    facebook_api: FacebookResource,
    x_api: XResource,
    warehouse: WarehouseResource,
):
    days = [date.fromisoformat(key) for key in context.partition_keys]
    if any(not api.recorded for api in (instagram_api, facebook_api, x_api)):
        refusal = live_refusal(days, datetime.now(WIB))
        if refusal:
            raise dg.Failure(description=refusal, allow_retries=False)
    loaded_at = now_utc()
    try:
        pulled = pull_snapshot_days(days, instagram_api, facebook_api, x_api, loaded_at)
    except ApiError as error:
        raise dg.Failure(
            description=f"snapshot pull failed, nothing written for {_span(days)}: {error}", allow_retries=False
        ) from error
    followers_rows, stories, story_ids, last = pulled.followers_rows, pulled.stories, pulled.story_ids, pulled.last
    with warehouse.get_connection() as conn:
        mode = "recorded" if any(api.recorded for api in (instagram_api, facebook_api, x_api)) else "live"
        replace_snapshot_days(conn, followers_rows, stories, days, mode)
        counts = {
            table: conn.execute(
                f"select count(*) from {RAW_SCHEMA}.{table} where snapshot_date >= ? and snapshot_date < ?",
                [days[0], days[-1] + timedelta(days=1)],
            ).fetchone()[0]
            for table in (FOLLOWER_SNAPSHOTS, INSTAGRAM_STORIES)
        }
    context.log.info(
        f"daily snapshots {_span(days)}: {len(followers_rows)} follower snapshots, "
        f"{len(stories)} story pages, {len(story_ids)} distinct stories; last followers {last}"
    )
    # A range run (replay, backfill) records the same metadata on every day of the range: it covers the range.
    taken = [row[1] for row in followers_rows]
    common = {
        "days_pulled": len(days),
        "first_day": days[0].isoformat(),
        "last_day": days[-1].isoformat(),
        "last_pull_utc": max(taken).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    yield dg.MaterializeResult(
        asset_key=FOLLOWERS_KEY,
        metadata={
            "dagster/row_count": counts[FOLLOWER_SNAPSHOTS],
            **common,
            "last_followers": dg.MetadataValue.json(last),
        },
    )
    yield dg.MaterializeResult(
        asset_key=STORIES_KEY,
        metadata={"dagster/row_count": counts[INSTAGRAM_STORIES], **common, "distinct_stories_pulled": len(story_ids)},
    )


def _span(days: list[date]) -> str:
    return days[0].isoformat() if len(days) == 1 else f"{days[0]} … {days[-1]}"


daily_snapshot_job = dg.define_asset_job(
    DAILY_SNAPSHOT_JOB_NAME,
    selection=dg.AssetSelection.assets(FOLLOWERS_KEY, STORIES_KEY),
    executor_def=dg.in_process_executor,
    tags=WRITER_TAGS,  # the deployment's queue: one warehouse writer (deploy/dagster.yaml)
    description="The daily snapshot pull (followers of each platform, Instagram stories live now) of one day.",
)
