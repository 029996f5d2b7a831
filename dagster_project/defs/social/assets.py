"""Raw API assets: website (GA4) and social media (Instagram, Facebook Page, X).

Monthly pulls (one partition per report month): one factory, :func:`build_monthly_pull_asset`,
parameterised by :class:`MonthlyPull` (raw table, provider, resource, pull function). Each pulls
its month through the real client (``dagster_project.apis``), keeps every response as received
(``raw.api_*``: JSON text, token-free URL, request time) and replaces the month in one
transaction. A failed pull (retries exhausted, refused token, missing recording) fails the asset
before anything is written, so the month's earlier rows stay.

Followers and Instagram stories are only available "as of now": they are pulled by the daily
snapshot asset (:mod:`.snapshots`, daily partitions) and read by the monthly facts from there.
"""

from dataclasses import dataclass
from typing import Callable

import dagster as dg

from ...apis import ApiError
from ...lib.months import month_start
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions, range_result
from . import pulls
from .raw_store import now_utc, replace_month, response_rows
from .resources import ApiResource
from .snapshots import raw_api_daily_snapshots

GROUP = "raw_social"
KINDS = {"duckdb", "python"}


@dataclass(frozen=True)
class MonthlyPull:
    """One provider's monthly pull: where it is stored, which resource it uses, what it asks."""

    table: str
    provider: str
    resource_key: str
    description: str
    pull: Callable[[ApiResource, str], pulls.Pull]


MONTHLY_PULLS = (
    MonthlyPull(
        "api_ga4_reports",
        "GA4",
        "ga4_api",
        "GA4 runReport responses of the month as received: month active users (no dimensions) and the "
        "top pages by views (pagePath, pageTitle; offset paging).",
        lambda api, month: pulls.pull_ga4_month(api.client(), month, api.top_pages),
    ),
    MonthlyPull(
        "api_instagram_media",
        "Instagram",
        "instagram_api",
        "Instagram media list pages of the month (cursor paging) and the insights (reach, views) of "
        "each feed post, as received.",
        lambda api, month: pulls.pull_instagram_month(api.client(), month, api.media_metrics),
    ),
    MonthlyPull(
        "api_facebook_posts",
        "Facebook",
        "facebook_api",
        "Facebook Page posts of the month (cursor paging) and each post's configured insight metric "
        "(post_total_media_view_unique), as received.",
        lambda api, month: pulls.pull_facebook_month(api.client(), month),
    ),
    MonthlyPull(
        "api_x_tweets",
        "X",
        "x_api",
        "X posts of the month with public_metrics (pagination_token paging), as received.",
        lambda api, month: pulls.pull_x_month(api.client(), api.user_id, month),
    ),
)


def build_monthly_pull_asset(spec: MonthlyPull) -> dg.AssetsDefinition:
    """The monthly raw asset ``raw/<table>`` pulling ``spec.provider`` through ``spec.resource_key``."""

    @dg.asset(
        key=["raw", spec.table],
        description=f"{spec.description} One partition per report month (WIB); a re-run replaces the month.",
        partitions_def=monthly_partitions,
        backfill_policy=MONTHS_IN_ONE_RUN,
        group_name=GROUP,
        owners=["team:data-engineering"],
        kinds=KINDS,
        required_resource_keys={spec.resource_key, "warehouse"},
    )
    def _monthly_pull(context: dg.AssetExecutionContext) -> dg.MaterializeResult:
        return range_result({month: _pull_month(context, spec, month) for month in context.partition_keys})

    return _monthly_pull


def _pull_month(context: dg.AssetExecutionContext, spec: MonthlyPull, month: str) -> dict:
    """Pull one month and replace its rows; the metadata of its materialization."""
    api = getattr(context.resources, spec.resource_key)
    try:
        pull = spec.pull(api, month)
    except ApiError as error:
        raise dg.Failure(
            description=f"API pull failed, nothing written for {month}: {error}", allow_retries=False
        ) from error
    start = month_start(month)
    rows = response_rows(start, spec.provider, pull.responses, now_utc())
    with context.resources.warehouse.get_connection() as conn:
        stored = replace_month(conn, spec.table, start, rows, api.mode)
    return {
        "dagster/row_count": stored,
        "responses": len(rows),
        "pages_fetched": pull.pages_fetched,
        "items": pull.items,
        "api_mode": api.mode,
        **pull.extra,
    }


raw_api_ga4_reports, raw_api_instagram_media, raw_api_facebook_posts, raw_api_x_tweets = (
    build_monthly_pull_asset(spec) for spec in MONTHLY_PULLS
)
social_monthly_assets = [raw_api_ga4_reports, raw_api_instagram_media, raw_api_facebook_posts, raw_api_x_tweets]
social_daily_assets = [raw_api_daily_snapshots]
social_raw_assets = [*social_monthly_assets, *social_daily_assets]
