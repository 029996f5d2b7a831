"""What one report month (or one daily snapshot) asks of each API, through the real clients.

Pure functions over the clients of ``dagster_project.apis``: no Dagster, no warehouse. The
assets call them, and so does the sample-recording generator (``dagster_project.sample.api_recordings``),
which therefore records exactly the requests the assets make. Every function returns a
:class:`Pull`: the responses as received (``RawResponse``: token-free URL, JSON, request time)
and counts for the run metadata.

Report months are WIB months: [first of M 00:00 WIB, first of M+1 00:00 WIB).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...apis import FacebookPageClient, Ga4Client, InstagramClient, RawResponse, XClient
from ...lib.months import month_end, month_start, month_window_utc


@dataclass
class Pull:
    responses: list[RawResponse]
    pages_fetched: int = 0  # list / report pages (cursor or offset paging)
    items: int = 0  # posts, media, report rows …
    extra: dict = field(default_factory=dict)


def _is_list_page(response: RawResponse) -> bool:
    return "/insights" not in response.url


def pull_ga4_month(client: Ga4Client, month: str, top_pages: int) -> Pull:
    """Month active users (request without dimensions) and the top pages (offset paging)."""
    start, end = month_start(month), month_end(month_start(month))
    users = client.month_active_users(start, end)
    pages = client.top_pages(start, end, top_pages)
    return Pull(
        list(client.raw_responses),
        pages_fetched=len(client.raw_responses),
        items=len(pages),
        extra={"active_users": users},
    )


def pull_instagram_month(client: InstagramClient, month: str, media_metrics: list[str]) -> Pull:
    """The month's media (cursor paging) and the lifetime insights of each feed post."""
    since, until = month_window_utc(month)
    media = client.media(since, until)
    feed = [item for item in media if item.get("media_product_type") == "FEED"]
    for item in feed:
        client.media_insights(item["id"], media_metrics)
    responses = list(client.raw_responses)
    return Pull(
        responses, pages_fetched=sum(map(_is_list_page, responses)), items=len(media), extra={"feed_posts": len(feed)}
    )


def pull_facebook_month(client: FacebookPageClient, month: str) -> Pull:
    """The month's Page posts (cursor paging) and the configured insight metric of each."""
    since, until = month_window_utc(month)
    posts = client.posts(since, until)
    for post in posts:
        client.post_insights(post["id"])
    responses = list(client.raw_responses)
    return Pull(responses, pages_fetched=sum(map(_is_list_page, responses)), items=len(posts))


def pull_x_month(client: XClient, user_id: str, month: str) -> Pull:
    """The month's posts of the account (``pagination_token`` paging) with their public metrics."""
    start, end = month_window_utc(month)
    tweets = client.tweets(user_id, start, end)
    responses = list(client.raw_responses)
    return Pull(responses, pages_fetched=len(responses), items=len(tweets))


def pull_follower_snapshot(
    ig: InstagramClient, fb: FacebookPageClient, x: XClient
) -> dict[str, tuple[int, RawResponse]]:
    """Today's follower count of each platform: ``{platform: (followers, response)}``."""
    result = {}
    result["instagram"] = (int(ig.profile()["followers_count"]), ig.raw_responses[-1])
    result["facebook"] = (int(fb.page()["followers_count"]), fb.raw_responses[-1])
    result["x"] = (int(x.user()["public_metrics"]["followers_count"]), x.raw_responses[-1])
    return result


def pull_instagram_stories(ig: InstagramClient) -> Pull:
    """The stories live now (last 24 h); a daily pull keeps every story of the month."""
    before = len(ig.raw_responses)
    stories = ig.stories()
    responses = list(ig.raw_responses[before:])
    return Pull(responses, pages_fetched=len(responses), items=len(stories))
