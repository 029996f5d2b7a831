"""GA4 Data API client: monthly active users and top pages of the DJPK website.

``POST {base_url}/v1beta/properties/{property_id}:runReport`` with a Bearer token. Reports page
with ``offset`` until ``offset >= rowCount``; metric values arrive as strings. Every page as
received is kept in ``raw_responses`` (with its request time) for the raw layer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import requests

from .http import HttpClient, RawResponse


class Ga4Client:
    """Thin client over ``runReport``. ``http_options`` go to ``HttpClient`` (timeout, retry, sleep, clock)."""

    def __init__(
        self,
        base_url: str,
        property_id: str,
        token: str,
        *,
        page_size: int = 10000,
        users_metric: str = "activeUsers",
        views_metric: str = "screenPageViews",
        token_env: str = "GA4_ACCESS_TOKEN",
        session: requests.Session | None = None,
        **http_options: Any,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.property_id = str(property_id)
        self.page_size = page_size
        self.users_metric = users_metric
        self.views_metric = views_metric
        self._token = token
        self.http = HttpClient(
            "GA4", account=self.property_id, token_env=token_env, secrets=[token], session=session, **http_options
        )

    def __repr__(self) -> str:
        return f"Ga4Client(base_url={self.base_url!r}, property_id={self.property_id!r})"

    @property
    def raw_responses(self) -> list[RawResponse]:
        return self.http.raw_responses

    def run_report(self, body: dict[str, Any], *, max_rows: int | None = None) -> list[dict[str, str]]:
        """Run a report over all pages; return its rows as ``{header name: value string}``.

        The page size is ``body["limit"]`` if given, else ``page_size``. Stops at ``rowCount`` or
        after ``max_rows`` rows. The pages themselves are in ``raw_responses``.
        """
        url = f"{self.base_url}/v1beta/properties/{self.property_id}:runReport"
        headers = {"Authorization": f"Bearer {self._token}"}
        limit = int(body.get("limit", self.page_size))
        if max_rows is not None:
            limit = min(limit, max_rows)
        offset = int(body.get("offset", 0))
        rows: list[dict[str, str]] = []
        while True:
            page = self.http.request_json(
                "POST", url, json_body={**body, "limit": limit, "offset": offset}, headers=headers
            )
            page_rows = report_rows(page)
            rows.extend(page_rows)
            offset += len(page_rows)
            if not page_rows or offset >= int(page.get("rowCount", 0)):
                break
            if max_rows is not None and len(rows) >= max_rows:
                break
        return rows if max_rows is None else rows[:max_rows]

    def month_active_users(self, month_start: date | str, month_end: date | str) -> int:
        """Active users over the whole period (a request without dimensions: pages do not add up)."""
        rows = self.run_report(
            {"dateRanges": [_date_range(month_start, month_end)], "metrics": [{"name": self.users_metric}]}
        )
        return int(rows[0][self.users_metric]) if rows else 0

    def top_pages(self, start: date | str, end: date | str, limit_n: int) -> list[dict[str, Any]]:
        """The ``limit_n`` most viewed pages: pagePath, pageTitle and the two metrics as ints."""
        body = {
            "dateRanges": [_date_range(start, end)],
            "dimensions": [{"name": "pagePath"}, {"name": "pageTitle"}],
            "metrics": [{"name": self.users_metric}, {"name": self.views_metric}],
            "orderBys": [{"metric": {"metricName": self.views_metric}, "desc": True}],
            "metricAggregations": ["TOTAL"],
        }
        return [
            {
                "pagePath": row["pagePath"],
                "pageTitle": row["pageTitle"],
                self.users_metric: int(row[self.users_metric]),
                self.views_metric: int(row[self.views_metric]),
            }
            for row in self.run_report(body, max_rows=limit_n)
        ]


def report_rows(page: dict[str, Any]) -> list[dict[str, str]]:
    """Flatten one ``runReport`` response into ``{dimension or metric name: value}`` rows."""
    names = [h["name"] for h in page.get("dimensionHeaders", [])]
    metric_names = [h["name"] for h in page.get("metricHeaders", [])]
    rows = []
    for row in page.get("rows", []):
        record = {n: v.get("value") for n, v in zip(names, row.get("dimensionValues", []))}
        record.update({n: v.get("value") for n, v in zip(metric_names, row.get("metricValues", []))})
        rows.append(record)
    return rows


def _date_range(start: date | str, end: date | str) -> dict[str, str]:
    return {"startDate": str(start), "endDate": str(end)}
