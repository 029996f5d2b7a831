"""Instagram and Facebook Page clients: cursor paging with paging.next, nodes and insights."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from dagster_project.apis import ApiResponseError, FacebookPageClient, InstagramClient

TOKEN = "SECRET-TOKEN-123"
IG_USER = "17841400000000001"
PAGE_ID = "104000000000001"


def cursor_page(httpserver, path: str, items: list[dict], after: str | None) -> dict:
    """A Graph list page; ``paging.next`` is a full URL repeating the token, as Graph sends it."""
    page: dict = {"data": items, "paging": {"cursors": {"before": "b", "after": after or "end"}}}
    if after:
        page["paging"]["next"] = (
            httpserver.url_for(path) + f"?access_token={TOKEN}&fields=id%2Ctimestamp&limit=2&after={after}"
        )
    return page


def next_query(after: str) -> dict:
    """The query string of a followed ``paging.next``: the token appears exactly once."""
    return {"access_token": TOKEN, "fields": "id,timestamp", "limit": "2", "after": after}


def test_instagram_media_follows_paging_next_until_absent(httpserver, http_options):
    path = f"/v25.0/{IG_USER}/media"
    media = [
        {
            "id": str(i),
            "media_type": "IMAGE",
            "media_product_type": "FEED",
            "timestamp": f"2024-02-0{i + 1}T03:00:00+0000",
            "permalink": f"https://www.instagram.com/p/{i}/",
        }
        for i in range(5)
    ]
    httpserver.expect_ordered_request(
        path,
        query_string={
            "fields": "id,media_type,media_product_type,timestamp,permalink",
            "since": "2024-02-01",
            "until": "2024-03-01",
            "limit": "100",
            "access_token": TOKEN,
        },
    ).respond_with_json(cursor_page(httpserver, path, media[0:2], "c1"))
    httpserver.expect_ordered_request(path, query_string=next_query("c1")).respond_with_json(
        cursor_page(httpserver, path, media[2:4], "c2")
    )
    httpserver.expect_ordered_request(path, query_string=next_query("c2")).respond_with_json(
        cursor_page(httpserver, path, media[4:], None)
    )
    client = InstagramClient(httpserver.url_for("/v25.0"), IG_USER, TOKEN, "ditjenpk", **http_options)

    assert client.media("2024-02-01", "2024-03-01") == media
    httpserver.check_assertions()
    assert len(httpserver.log) == 3
    for request, _ in httpserver.log:
        assert request.args.getlist("access_token") == [TOKEN]  # once, not repeated from paging.next
    assert len(client.raw_responses) == 3
    assert all(TOKEN not in r.url for r in client.raw_responses)


def test_instagram_profile_insights_and_stories(httpserver, http_options):
    base = "/v25.0"
    httpserver.expect_request(
        f"{base}/{IG_USER}",
        query_string={
            "fields": "followers_count,media_count",
            "access_token": TOKEN,
        },
    ).respond_with_json({"followers_count": 118069, "media_count": 4012, "id": IG_USER})
    httpserver.expect_request(
        f"{base}/m1/insights", query_string={"metric": "reach,views", "access_token": TOKEN}
    ).respond_with_json(
        {
            "data": [
                {
                    "name": "reach",
                    "period": "lifetime",
                    "values": [{"value": 51234}],
                    "title": "Accounts reached",
                    "id": "m1/insights/reach/lifetime",
                },
                {
                    "name": "views",
                    "period": "lifetime",
                    "values": [{"value": 80211}],
                    "title": "Views",
                    "id": "m1/insights/views/lifetime",
                },
            ]
        }
    )
    httpserver.expect_request(f"{base}/{IG_USER}/stories").respond_with_json(
        {"data": [{"id": "s1", "timestamp": "2024-02-10T01:00:00+0000"}]}
    )
    client = InstagramClient(httpserver.url_for(base), IG_USER, TOKEN, "ditjenpk", **http_options)

    assert client.profile() == {"followers_count": 118069, "media_count": 4012, "id": IG_USER}
    assert client.media_insights("m1") == {"reach": 51234, "views": 80211}
    assert client.stories() == [{"id": "s1", "timestamp": "2024-02-10T01:00:00+0000"}]


def test_facebook_posts_follow_paging_next(httpserver, http_options):
    path = f"/v25.0/{PAGE_ID}/posts"
    posts = [{"id": f"{PAGE_ID}_{i}", "created_time": f"2024-02-0{i + 1}T02:00:00+0000"} for i in range(3)]
    since = datetime(2024, 1, 31, 17, 0, tzinfo=timezone.utc)  # 1 Feb 00:00 WIB
    httpserver.expect_ordered_request(
        path,
        query_string={
            "fields": "id,created_time",
            "since": str(int(since.timestamp())),
            "until": "1709226000",
            "limit": "100",
            "access_token": TOKEN,
        },
    ).respond_with_json(cursor_page(httpserver, path, posts[:2], "p1"))
    httpserver.expect_ordered_request(path, query_string=next_query("p1")).respond_with_json(
        cursor_page(httpserver, path, posts[2:], None)
    )
    client = FacebookPageClient(
        httpserver.url_for("/v25.0"), PAGE_ID, TOKEN, "Direktorat Jenderal Perimbangan Keuangan", **http_options
    )

    assert client.posts(since, 1709226000) == posts
    httpserver.check_assertions()


def test_facebook_page_and_post_insights_use_the_configured_metric(httpserver, http_options):
    base = "/v25.0"
    httpserver.expect_request(
        f"{base}/{PAGE_ID}",
        query_string={
            "fields": "followers_count,fan_count",
            "access_token": TOKEN,
        },
    ).respond_with_json({"followers_count": 52000, "fan_count": 48000, "id": PAGE_ID})
    httpserver.expect_request(
        f"{base}/{PAGE_ID}_1/insights",
        query_string={
            "metric": "post_total_media_view_unique",
            "access_token": TOKEN,
        },
    ).respond_with_json(
        {"data": [{"name": "post_total_media_view_unique", "period": "lifetime", "values": [{"value": 2460}]}]}
    )
    httpserver.expect_request(
        f"{base}/{PAGE_ID}_1/insights",
        query_string={
            "metric": "post_impressions_unique",
            "access_token": TOKEN,
        },
    ).respond_with_json({"data": [{"name": "post_impressions_unique", "period": "lifetime", "values": [{"value": 7}]}]})
    client = FacebookPageClient(httpserver.url_for(base), PAGE_ID, TOKEN, "djpk", **http_options)
    legacy = FacebookPageClient(
        httpserver.url_for(base), PAGE_ID, TOKEN, "djpk", post_metric="post_impressions_unique", **http_options
    )

    assert client.page()["fan_count"] == 48000
    assert client.post_insights(f"{PAGE_ID}_1") == {"post_total_media_view_unique": 2460}
    assert legacy.post_insights(f"{PAGE_ID}_1") == {"post_impressions_unique": 7}


def test_paging_next_to_another_host_is_not_followed(httpserver, http_options):
    path = f"/v25.0/{IG_USER}/stories"
    httpserver.expect_request(path).respond_with_json(
        {"data": [{"id": "s1"}], "paging": {"next": f"https://evil.example/{path}?access_token={TOKEN}&after=x"}}
    )
    client = InstagramClient(httpserver.url_for("/v25.0"), IG_USER, TOKEN, "ditjenpk", **http_options)

    with pytest.raises(ApiResponseError, match="paging.next points to another host") as info:
        client.stories()
    assert TOKEN not in str(info.value)
    assert len(httpserver.log) == 1
