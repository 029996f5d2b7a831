"""GA4 Data API client: offset paging, month active users, top pages."""

from __future__ import annotations

import json
from datetime import date, datetime

from werkzeug import Request, Response

from dagster_project.apis import Ga4Client

TOKEN = "SECRET-TOKEN-123"
REPORT_PATH = "/v1beta/properties/123:runReport"
PAGES = [(f"/page-{i}", f"Page {i}", str(100 - i), str(1000 - i)) for i in range(5)]


def page_report(body: dict) -> dict:
    """A runReport response in the provider's shape for the requested offset/limit."""
    offset, limit = body["offset"], body["limit"]
    rows = PAGES[offset : offset + limit]
    return {
        "dimensionHeaders": [{"name": "pagePath"}, {"name": "pageTitle"}],
        "metricHeaders": [
            {"name": "activeUsers", "type": "TYPE_INTEGER"},
            {"name": "screenPageViews", "type": "TYPE_INTEGER"},
        ],
        "rows": [
            {"dimensionValues": [{"value": p}, {"value": t}], "metricValues": [{"value": u}, {"value": v}]}
            for p, t, u, v in rows
        ],
        "totals": [
            {
                "dimensionValues": [{"value": "RESERVED_TOTAL"}, {"value": "RESERVED_TOTAL"}],
                "metricValues": [{"value": "490"}, {"value": "4990"}],
            }
        ],
        "rowCount": len(PAGES),
        "metadata": {"currencyCode": "IDR", "timeZone": "Asia/Jakarta"},
        "kind": "analyticsData#runReport",
    }


def serve_pages(httpserver, bodies: list[dict]) -> None:
    def handler(request: Request) -> Response:
        body = request.get_json()
        bodies.append(body)
        assert request.headers["Authorization"] == f"Bearer {TOKEN}"
        return Response(json.dumps(page_report(body)), content_type="application/json")

    httpserver.expect_request(REPORT_PATH, method="POST").respond_with_handler(handler)


def test_run_report_pages_with_offset_until_row_count(httpserver, http_options):
    bodies: list[dict] = []
    serve_pages(httpserver, bodies)
    client = Ga4Client(httpserver.url_for("/"), "123", TOKEN, page_size=2, **http_options)

    rows = client.run_report(
        {
            "dateRanges": [{"startDate": "2024-02-01", "endDate": "2024-02-29"}],
            "dimensions": [{"name": "pagePath"}, {"name": "pageTitle"}],
            "metrics": [{"name": "activeUsers"}, {"name": "screenPageViews"}],
        }
    )

    assert [(b["offset"], b["limit"]) for b in bodies] == [(0, 2), (2, 2), (4, 2)]
    assert [r["pagePath"] for r in rows] == [p[0] for p in PAGES]
    assert rows[0] == {"pagePath": "/page-0", "pageTitle": "Page 0", "activeUsers": "100", "screenPageViews": "1000"}
    raw = client.raw_responses
    assert [len(r.json["rows"]) for r in raw] == [2, 2, 1]
    assert all(r.status == 200 and isinstance(r.requested_at, datetime) for r in raw)
    assert raw[0].url.endswith(REPORT_PATH)


def test_top_pages_converts_metrics_and_stops_at_limit(httpserver, http_options):
    bodies: list[dict] = []
    serve_pages(httpserver, bodies)
    client = Ga4Client(httpserver.url_for(""), "123", TOKEN, page_size=2, **http_options)

    top = client.top_pages(date(2024, 2, 1), date(2024, 2, 29), 3)

    assert top == [
        {"pagePath": "/page-0", "pageTitle": "Page 0", "activeUsers": 100, "screenPageViews": 1000},
        {"pagePath": "/page-1", "pageTitle": "Page 1", "activeUsers": 99, "screenPageViews": 999},
        {"pagePath": "/page-2", "pageTitle": "Page 2", "activeUsers": 98, "screenPageViews": 998},
    ]
    assert len(bodies) == 2  # no third page once limit_n rows are in
    assert bodies[0]["dateRanges"] == [{"startDate": "2024-02-01", "endDate": "2024-02-29"}]
    assert bodies[0]["orderBys"] == [{"metric": {"metricName": "screenPageViews"}, "desc": True}]


def test_month_active_users_is_a_request_without_dimensions(httpserver, http_options):
    response = {
        "metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}],
        "rows": [{"metricValues": [{"value": "55012"}]}],
        "rowCount": 1,
        "metadata": {"currencyCode": "IDR", "timeZone": "Asia/Jakarta"},
    }
    httpserver.expect_request(REPORT_PATH, method="POST").respond_with_json(response)
    client = Ga4Client(httpserver.url_for(""), "123", TOKEN, **http_options)

    assert client.month_active_users(date(2024, 2, 1), date(2024, 2, 29)) == 55012
    sent = httpserver.log[0][0].get_json()
    assert "dimensions" not in sent
    assert sent["metrics"] == [{"name": "activeUsers"}]
    assert sent["offset"] == 0 and sent["limit"] == 10000
    assert client.raw_responses[0].json == response


def test_month_active_users_without_rows_is_zero(httpserver, http_options):
    httpserver.expect_request(REPORT_PATH, method="POST").respond_with_json(
        {"metricHeaders": [{"name": "activeUsers", "type": "TYPE_INTEGER"}], "metadata": {"timeZone": "Asia/Jakarta"}}
    )
    client = Ga4Client(httpserver.url_for(""), "123", TOKEN, **http_options)
    assert client.month_active_users("2024-02-01", "2024-02-29") == 0
