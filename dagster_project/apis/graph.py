"""Meta Graph API clients: the Instagram account and the Facebook Page of DJPK.

Both put the token in the ``access_token`` query parameter and page with cursors: a list
response carries ``paging.next`` (a full URL) until the last page. Tokens are stripped from
``paging.next`` before it is followed and passed again as a parameter (only to the host of
``base_url``), so the URL recorded or logged never holds one. Errors with Graph bodies (throttling codes 4/17/32/613, token error
190) are handled by ``HttpClient`` (``graph_errors=True``).
"""

from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Any, Iterable
from urllib.parse import urlsplit

import requests

from .http import ApiResponseError, HttpClient, RawResponse, strip_token_params

GraphTime = date | datetime | int | str


class GraphApi:
    """Shared Graph plumbing: one account, GET with ``access_token``, cursor paging."""

    provider = "Graph"

    def __init__(
        self,
        base_url: str,
        token: str,
        account_name: str,
        *,
        token_env: str,
        session: requests.Session | None = None,
        **http_options: Any,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_name = account_name
        self._token = token
        self.http = HttpClient(
            self.provider,
            account=account_name,
            token_env=token_env,
            secrets=[token],
            session=session,
            graph_errors=True,
            **http_options,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, account_name={self.account_name!r})"

    @property
    def raw_responses(self) -> list[RawResponse]:
        return self.http.raw_responses

    def get(self, path_or_url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """GET a node or edge (a path under ``base_url`` or a full URL) and return its JSON."""
        url = path_or_url if "://" in path_or_url else f"{self.base_url}/{path_or_url.lstrip('/')}"
        return self.http.request_json(
            "GET", strip_token_params(url), params={**(params or {}), "access_token": self._token}
        )

    def get_all(self, path: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        """GET an edge and follow ``paging.next`` until absent; return all ``data`` items."""
        items: list[dict[str, Any]] = []
        page = self.get(path, params)
        seen: set[str] = set()
        while True:
            items.extend(page.get("data", []))
            next_url = (page.get("paging") or {}).get("next")
            if not next_url:
                return items
            next_url = strip_token_params(next_url)
            if urlsplit(next_url).netloc != urlsplit(self.base_url).netloc:
                raise ApiResponseError(
                    f"{self.provider} GET {path}: paging.next points to another host "
                    f"({urlsplit(next_url).netloc!r}); not sending the token there",
                    provider=self.provider,
                    path=path,
                )
            if next_url in seen:
                raise ApiResponseError(
                    f"{self.provider} GET {path}: paging.next repeats a page already read",
                    provider=self.provider,
                    path=path,
                )
            seen.add(next_url)
            page = self.get(next_url)

    def insights(self, object_id: str, metrics: Iterable[str]) -> dict[str, Any]:
        """``/{object_id}/insights``: the latest value of each metric, as ``{name: value}``."""
        page = self.get(f"{object_id}/insights", {"metric": ",".join(metrics)})
        return {item["name"]: (item.get("values") or [{}])[-1].get("value") for item in page.get("data", [])}


class InstagramClient(GraphApi):
    """The Instagram professional account ``ig_user_id`` (for the report: @ditjenpk)."""

    provider = "Instagram"

    def __init__(
        self,
        base_url: str,
        ig_user_id: str,
        token: str,
        account_name: str,
        *,
        token_env: str = "IG_ACCESS_TOKEN",
        session: requests.Session | None = None,
        **http_options: Any,
    ) -> None:
        super().__init__(base_url, token, account_name, token_env=token_env, session=session, **http_options)
        self.ig_user_id = str(ig_user_id)

    def profile(self) -> dict[str, Any]:
        """``followers_count``, ``media_count`` and ``id`` of the account (a snapshot of today)."""
        return self.get(self.ig_user_id, {"fields": "followers_count,media_count"})

    def media(self, since: GraphTime, until: GraphTime) -> list[dict[str, Any]]:
        """All media published in [since, until): id, media_type, media_product_type, timestamp, permalink."""
        return self.get_all(
            f"{self.ig_user_id}/media",
            {
                "fields": "id,media_type,media_product_type,timestamp,permalink",
                "since": graph_time(since),
                "until": graph_time(until),
                "limit": 100,
            },
        )

    def media_insights(self, media_id: str, metrics: Iterable[str] = ("reach", "views")) -> dict[str, Any]:
        """Lifetime insights of one media item, e.g. ``{"reach": 51234, "views": 80211}``."""
        return self.insights(media_id, metrics)

    def stories(self) -> list[dict[str, Any]]:
        """Stories live now (last 24 h): id and timestamp. Pull daily to count a month's stories."""
        return self.get_all(f"{self.ig_user_id}/stories", {"fields": "id,timestamp"})


class FacebookPageClient(GraphApi):
    """The Facebook Page ``page_id`` (for the report: Direktorat Jenderal Perimbangan Keuangan)."""

    provider = "Facebook"

    def __init__(
        self,
        base_url: str,
        page_id: str,
        token: str,
        account_name: str,
        post_metric: str = "post_total_media_view_unique",
        *,
        token_env: str = "FB_PAGE_ACCESS_TOKEN",
        session: requests.Session | None = None,
        **http_options: Any,
    ) -> None:
        super().__init__(base_url, token, account_name, token_env=token_env, session=session, **http_options)
        self.page_id = str(page_id)
        self.post_metric = post_metric

    def page(self) -> dict[str, Any]:
        """``followers_count``, ``fan_count`` and ``id`` of the Page (a snapshot of today)."""
        return self.get(self.page_id, {"fields": "followers_count,fan_count"})

    def posts(self, since: GraphTime, until: GraphTime) -> list[dict[str, Any]]:
        """All posts created in [since, until): id and created_time."""
        return self.get_all(
            f"{self.page_id}/posts",
            {"fields": "id,created_time", "since": graph_time(since), "until": graph_time(until), "limit": 100},
        )

    def post_insights(self, post_id: str) -> dict[str, Any]:
        """The configured post metric of one post, e.g. ``{"post_total_media_view_unique": 2460}``."""
        return self.insights(post_id, [self.post_metric])


def graph_time(value: GraphTime) -> str:
    """A Graph ``since``/``until`` value: datetimes as Unix seconds (naive = UTC), dates as ISO dates."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return str(int(value.timestamp()))
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
