"""X API v2 client: the @DitjenPK account and its posts.

Bearer token in the ``Authorization`` header. Timelines page with ``pagination_token`` until
``meta.next_token`` is absent. HTTP 429 waits until ``x-rate-limit-reset`` (``HttpClient``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any

import requests

from .http import ApiResponseError, HttpClient, RawResponse

XTime = date | datetime | str


class XClient:
    """Thin client for one X account. ``http_options`` go to ``HttpClient`` (timeout, retry, sleep, clock)."""

    def __init__(
        self,
        base_url: str,
        token: str,
        username: str,
        *,
        token_env: str = "X_BEARER_TOKEN",
        session: requests.Session | None = None,
        **http_options: Any,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.username = username
        self._token = token
        self.http = HttpClient(
            "X", account=username, token_env=token_env, secrets=[token], session=session, **http_options
        )

    def __repr__(self) -> str:
        return f"XClient(base_url={self.base_url!r}, username={self.username!r})"

    @property
    def raw_responses(self) -> list[RawResponse]:
        return self.http.raw_responses

    def _get(self, path: str, params: dict[str, Any]) -> dict[str, Any]:
        return self.http.request_json(
            "GET", f"{self.base_url}/{path}", params=params, headers={"Authorization": f"Bearer {self._token}"}
        )

    def user(self) -> dict[str, Any]:
        """The account: ``id``, ``username`` and ``public_metrics`` (followers_count, …)."""
        return self._get(f"users/by/username/{self.username}", {"user.fields": "public_metrics"})["data"]

    def tweets(self, user_id: str, start_time: XTime, end_time: XTime) -> list[dict[str, Any]]:
        """All posts in [start_time, end_time) with ``created_at`` and ``public_metrics``."""
        params: dict[str, Any] = {
            "start_time": x_time(start_time),
            "end_time": x_time(end_time),
            "max_results": 100,
            "tweet.fields": "created_at,public_metrics",
        }
        path = f"users/{user_id}/tweets"
        tweets: list[dict[str, Any]] = []
        seen: set[str] = set()
        while True:
            page = self._get(path, params)
            tweets.extend(page.get("data", []))
            next_token = (page.get("meta") or {}).get("next_token")
            if not next_token:
                return tweets
            if next_token in seen:
                raise ApiResponseError(
                    f"X GET /{path}: meta.next_token repeats a page already read", provider="X", path=path
                )
            seen.add(next_token)
            params = {**params, "pagination_token": next_token}


def x_time(value: XTime) -> str:
    """An RFC 3339 UTC timestamp as X wants it (``2024-02-01T00:00:00Z``); naive datetimes are UTC."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return f"{value.isoformat()}T00:00:00Z"
    return value
