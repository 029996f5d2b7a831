"""X API v2 client: the user lookup and the timeline paged with pagination_token."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dagster_project.apis import XClient

TOKEN = "SECRET-TOKEN-123"


def tweet(i: int) -> dict:
    return {
        "id": str(1000 + i),
        "created_at": f"2024-02-0{i + 1}T02:00:00.000Z",
        "text": f"post {i}",
        "public_metrics": {
            "retweet_count": 3,
            "reply_count": 0,
            "like_count": 12,
            "quote_count": 0,
            "bookmark_count": 1,
            "impression_count": 400 + i,
        },
    }


def test_user_lookup(httpserver, http_options):
    httpserver.expect_request(
        "/2/users/by/username/DitjenPK", query_string={"user.fields": "public_metrics"}
    ).respond_with_json(
        {
            "data": {
                "id": "42",
                "username": "DitjenPK",
                "name": "DJPK",
                "public_metrics": {
                    "followers_count": 16743,
                    "following_count": 120,
                    "tweet_count": 9000,
                    "listed_count": 50,
                },
            }
        }
    )
    client = XClient(httpserver.url_for("/2"), TOKEN, "DitjenPK", **http_options)

    user = client.user()
    assert user["id"] == "42" and user["public_metrics"]["followers_count"] == 16743
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert client.raw_responses[0].json["data"]["username"] == "DitjenPK"


def test_tweets_page_with_pagination_token_until_no_next_token(httpserver, http_options):
    path = "/2/users/42/tweets"
    wib = timezone(timedelta(hours=7))
    common = {
        "start_time": "2024-01-31T17:00:00Z",
        "end_time": "2024-02-29T17:00:00Z",
        "max_results": "100",
        "tweet.fields": "created_at,public_metrics",
    }
    meta = {"result_count": 2, "newest_id": "x", "oldest_id": "y"}
    httpserver.expect_ordered_request(path, query_string=common).respond_with_json(
        {"data": [tweet(0), tweet(1)], "meta": {**meta, "next_token": "t1"}}
    )
    httpserver.expect_ordered_request(path, query_string={**common, "pagination_token": "t1"}).respond_with_json(
        {"data": [tweet(2), tweet(3)], "meta": {**meta, "next_token": "t2"}}
    )
    httpserver.expect_ordered_request(path, query_string={**common, "pagination_token": "t2"}).respond_with_json(
        {"data": [tweet(4)], "meta": {**meta, "result_count": 1}}
    )
    client = XClient(httpserver.url_for("/2"), TOKEN, "DitjenPK", **http_options)

    tweets = client.tweets("42", datetime(2024, 2, 1, tzinfo=wib), datetime(2024, 3, 1, tzinfo=wib))

    assert [t["id"] for t in tweets] == [str(1000 + i) for i in range(5)]
    assert sum(t["public_metrics"]["impression_count"] for t in tweets) == 2010
    httpserver.check_assertions()
    assert len(client.raw_responses) == 3


def test_tweets_of_an_empty_month(httpserver, http_options):
    httpserver.expect_request("/2/users/42/tweets").respond_with_json({"meta": {"result_count": 0}})
    client = XClient(httpserver.url_for("/2"), TOKEN, "DitjenPK", **http_options)
    assert client.tweets("42", "2024-02-01T00:00:00Z", "2024-03-01T00:00:00Z") == []
