"""The shared HTTP layer: retries, server-requested waits, failures, token hygiene."""

from __future__ import annotations

import email.utils
import json
import logging
import socket
import time
import traceback

import pytest
from werkzeug import Request, Response

from dagster_project.apis import (
    ApiAuthError,
    ApiError,
    ApiResponseError,
    ApiRetriesExhausted,
    Ga4Client,
    HttpClient,
    InstagramClient,
    RetryPolicy,
    XClient,
    redact,
)

TOKEN = "SECRET-TOKEN-123"
IG_USER = "17841400000000001"
USER_PAYLOAD = {"data": {"id": "42", "username": "DitjenPK", "public_metrics": {"followers_count": 16743}}}
X_USER_PATH = "/2/users/by/username/DitjenPK"
X_429 = {"title": "Too Many Requests", "detail": "Too Many Requests", "type": "about:blank", "status": 429}


def graph_error(code: int, message: str = "(#4) Application request limit reached", transient: bool = True) -> dict:
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "is_transient": transient,
            "fbtrace_id": "AbCdEf",
        }
    }


def x_client(httpserver, http_options, **kwargs) -> XClient:
    return XClient(httpserver.url_for("/2"), TOKEN, "DitjenPK", **http_options, **kwargs)


def ig_client(httpserver, http_options, **kwargs) -> InstagramClient:
    return InstagramClient(httpserver.url_for("/v25.0"), IG_USER, TOKEN, "ditjenpk", **http_options, **kwargs)


# -- server-requested waits --------------------------------------------------------------------


def test_429_with_retry_after_seconds_then_success(httpserver, http_options, fake_time):
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(X_429, status=429, headers={"Retry-After": "7"})
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(USER_PAYLOAD)

    assert x_client(httpserver, http_options).user()["id"] == "42"
    assert fake_time.sleeps == [7.0]
    assert len(httpserver.log) == 2


def test_429_with_retry_after_http_date(httpserver, http_options, fake_time):
    when = email.utils.formatdate(fake_time.now + 30, usegmt=True)
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(X_429, status=429, headers={"Retry-After": when})
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(USER_PAYLOAD)

    x_client(httpserver, http_options).user()
    assert fake_time.sleeps == [pytest.approx(30.0, abs=1.0)]


def test_x_429_waits_until_rate_limit_reset(httpserver, http_options, fake_time):
    reset = int(fake_time.now) + 42
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(
        X_429,
        status=429,
        headers={"x-rate-limit-limit": "900", "x-rate-limit-remaining": "0", "x-rate-limit-reset": str(reset)},
    )
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(USER_PAYLOAD)
    client = x_client(httpserver, http_options, retry=RetryPolicy(reset_margin=0.0))
    now = fake_time.now

    client.user()
    assert fake_time.sleeps == [pytest.approx(reset - now)]


def test_x_429_reset_adds_the_configured_margin(httpserver, http_options, fake_time):
    reset = int(fake_time.now) + 10
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(
        X_429, status=429, headers={"x-rate-limit-reset": str(reset)}
    )
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(USER_PAYLOAD)
    now = fake_time.now

    x_client(httpserver, http_options, retry=RetryPolicy(reset_margin=1.0)).user()
    assert fake_time.sleeps == [pytest.approx(reset - now + 1.0)]


def test_x_429_reset_with_the_real_clock(httpserver):
    """Real time.sleep and time.time: the retry is sent no earlier than the reset second."""
    reset = int(time.time()) + 1
    arrivals: list[float] = []

    def handler(request: Request) -> Response:
        arrivals.append(time.time())
        if len(arrivals) == 1:
            return Response(
                json.dumps(X_429),
                status=429,
                content_type="application/json",
                headers={"x-rate-limit-reset": str(reset)},
            )
        return Response(json.dumps(USER_PAYLOAD), content_type="application/json")

    httpserver.expect_request(X_USER_PATH).respond_with_handler(handler)
    started = time.monotonic()
    user = XClient(httpserver.url_for("/2"), TOKEN, "DitjenPK", retry=RetryPolicy(reset_margin=0.0)).user()

    assert user["username"] == "DitjenPK"
    assert len(arrivals) == 2
    assert arrivals[1] >= reset - 0.05
    assert time.monotonic() - started < 1.8


# -- backoff on server errors and timeouts -----------------------------------------------------


def test_500_then_502_then_success(httpserver, http_options, fake_time):
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_data("oops", status=500)
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_data("<html>bad gateway</html>", status=502)
    httpserver.expect_ordered_request(X_USER_PATH).respond_with_json(USER_PAYLOAD)

    assert x_client(httpserver, http_options).user()["id"] == "42"
    assert len(fake_time.sleeps) == 2
    # exponential backoff with jitter: 1 s then 2 s, each plus up to 50 %
    assert 1.0 <= fake_time.sleeps[0] <= 1.5
    assert 2.0 <= fake_time.sleeps[1] <= 3.0


def test_read_timeout_then_success(httpserver, http_options, fake_time):
    calls: list[int] = []

    def handler(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            time.sleep(0.4)  # longer than the client's read timeout
        return Response(json.dumps(USER_PAYLOAD), content_type="application/json")

    httpserver.expect_request(X_USER_PATH).respond_with_handler(handler)
    client = x_client(httpserver, {**http_options, "timeout": (1.0, 0.15)})

    assert client.user()["id"] == "42"
    assert len(calls) == 2
    assert len(fake_time.sleeps) == 1
    # the timed-out first request is logged by the server only when its slow handler returns: wait for it
    # here, or it lands in a later test's httpserver.log
    deadline = time.monotonic() + 5
    while len(httpserver.log) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)


def test_connection_refused_exhausts_retries_without_leaking_the_token(http_options, fake_time):
    with socket.socket() as probe:  # find a free local port, then leave it closed
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = InstagramClient(
        f"http://127.0.0.1:{port}/v25.0", IG_USER, TOKEN, "ditjenpk", retry=RetryPolicy(max_attempts=3), **http_options
    )

    with pytest.raises(ApiRetriesExhausted) as info:
        client.profile()
    text = "".join(traceback.format_exception(info.value))
    assert "ConnectionError" in str(info.value)
    assert f"/v25.0/{IG_USER}" in str(info.value)
    assert TOKEN not in text and "access_token" not in text
    assert len(fake_time.sleeps) == 2


def test_retries_exhausted_names_provider_path_and_status(httpserver, http_options, fake_time, caplog):
    httpserver.expect_request("/v25.0/" + IG_USER).respond_with_data("unavailable", status=503)
    client = ig_client(httpserver, http_options, retry=RetryPolicy(max_attempts=3))

    with caplog.at_level(logging.WARNING, logger="dagster_project.apis"):
        with pytest.raises(ApiRetriesExhausted) as info:
            client.profile()
    message = str(info.value)
    assert message.startswith(f"Instagram GET /v25.0/{IG_USER}: giving up after 3 attempt(s)")
    assert "HTTP 503" in message and "?" not in message
    assert info.value.status == 503 and info.value.provider == "Instagram"
    assert isinstance(info.value, ApiError)
    assert len(httpserver.log) == 3
    retry_lines = [r.getMessage() for r in caplog.records if r.name == "dagster_project.apis"]
    assert len(retry_lines) == 2
    assert "HTTP 503" in retry_lines[0] and f"/v25.0/{IG_USER}" in retry_lines[0] and " in 1." in retry_lines[0]


def test_a_server_wait_beyond_the_total_budget_gives_up_at_once(httpserver, http_options, fake_time):
    httpserver.expect_request(X_USER_PATH).respond_with_json(X_429, status=429, headers={"Retry-After": "600"})
    client = x_client(httpserver, http_options, retry=RetryPolicy(max_total_wait=60))

    with pytest.raises(ApiRetriesExhausted, match="would exceed the total wait budget of 60 s"):
        client.user()
    assert fake_time.sleeps == []
    assert len(httpserver.log) == 1


# -- Graph error bodies ------------------------------------------------------------------------


@pytest.mark.parametrize(("code", "status"), [(4, 400), (17, 403), (32, 400), (613, 400)])
def test_graph_throttling_body_is_retried(httpserver, http_options, fake_time, code, status):
    path = f"/v25.0/{IG_USER}"
    httpserver.expect_ordered_request(path).respond_with_json(graph_error(code), status=status)
    httpserver.expect_ordered_request(path).respond_with_json(
        {"followers_count": 118069, "media_count": 4012, "id": IG_USER}
    )

    assert ig_client(httpserver, http_options).profile()["followers_count"] == 118069
    assert len(fake_time.sleeps) == 1
    assert len(httpserver.log) == 2


def test_graph_code_190_fails_at_once_naming_account_and_env_var(httpserver, http_options, fake_time):
    httpserver.expect_request(f"/v25.0/{IG_USER}").respond_with_json(
        graph_error(190, f"Error validating access token {TOKEN}: Session has expired", transient=False), status=400
    )

    with pytest.raises(ApiAuthError) as info:
        ig_client(httpserver, http_options).profile()
    message = str(info.value)
    assert message.startswith(
        "Instagram token for account 'ditjenpk' is expired or invalid (Graph error 190): "
        "renew the token in env var IG_ACCESS_TOKEN"
    )
    assert TOKEN not in message and TOKEN not in repr(info.value)
    assert len(httpserver.log) == 1
    assert fake_time.sleeps == []


@pytest.mark.parametrize("status", [401, 403])
def test_401_and_403_fail_at_once(httpserver, http_options, fake_time, status):
    httpserver.expect_request(X_USER_PATH).respond_with_json(
        {"title": "Unauthorized", "type": "about:blank", "status": status, "detail": "Unauthorized"}, status=status
    )

    with pytest.raises(ApiAuthError, match=f"X token for account 'DitjenPK' was refused \\(HTTP {status}\\)"):
        x_client(httpserver, http_options).user()
    assert len(httpserver.log) == 1
    assert fake_time.sleeps == []


def test_other_4xx_fails_at_once_with_api_error(httpserver, http_options, fake_time):
    httpserver.expect_request(f"/v25.0/{IG_USER}").respond_with_json(
        graph_error(100, "Unsupported get request", transient=False), status=400
    )

    with pytest.raises(ApiError) as info:
        ig_client(httpserver, http_options).profile()
    assert type(info.value) is ApiError
    assert "HTTP 400 (error 100): Unsupported get request" in str(info.value)
    assert len(httpserver.log) == 1


def test_malformed_json_raises_api_response_error(httpserver, http_options):
    httpserver.expect_request("/v1beta/properties/123:runReport", method="POST").respond_with_data(
        '{"rows": [', content_type="application/json"
    )
    client = Ga4Client(httpserver.url_for(""), "123", TOKEN, **http_options)

    with pytest.raises(
        ApiResponseError, match=r"GA4 POST /v1beta/properties/123:runReport: HTTP 200 body is not valid JSON"
    ):
        client.month_active_users("2024-02-01", "2024-02-29")
    assert len(httpserver.log) == 1


# -- tokens ------------------------------------------------------------------------------------


def test_token_never_in_logs_exceptions_reprs_or_raw_json(httpserver, http_options, caplog):
    """Graph: the token travels in the query string and comes back inside paging.next."""
    media_path = f"/v25.0/{IG_USER}/media"
    next_url = httpserver.url_for(media_path) + f"?access_token={TOKEN}&limit=100&after=c1"
    httpserver.expect_ordered_request(media_path).respond_with_data("busy", status=500)
    httpserver.expect_ordered_request(media_path).respond_with_json(
        {"data": [{"id": "1"}], "paging": {"cursors": {"after": "c1"}, "next": next_url}}
    )
    httpserver.expect_ordered_request(media_path).respond_with_json(graph_error(4), status=400)
    httpserver.expect_ordered_request(media_path).respond_with_json(
        graph_error(190, "Error validating access token", transient=False), status=400
    )
    client = ig_client(httpserver, http_options)

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(ApiAuthError) as info:
            client.media("2024-02-01", "2024-03-01")

    assert [request.args.getlist("access_token") for request, _ in httpserver.log] == [[TOKEN]] * 4
    ours = [r for r in caplog.records if r.name == "dagster_project.apis"]
    assert len(ours) == 2  # one line per retry
    # everything logged on the client side (the test server's own werkzeug log is the "provider")
    client_side = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    assert "access_token=***" in client_side  # urllib3's debug line, scrubbed
    exposed = [
        client_side,
        str(info.value),
        repr(info.value),
        "".join(traceback.format_exception(info.value)),
        repr(client),
        repr(client.http),
        repr(client.raw_responses),
        json.dumps([r.json for r in client.raw_responses]),
    ]
    for text in exposed:
        assert TOKEN not in text
    assert "access_token=***" in client.raw_responses[0].url
    assert "access_token=***" in client.raw_responses[0].json["paging"]["next"]


def test_bearer_token_never_in_logs_or_exceptions(httpserver, http_options, caplog):
    httpserver.expect_request(X_USER_PATH).respond_with_data("down", status=503)
    client = x_client(httpserver, http_options, retry=RetryPolicy(max_attempts=2))

    with caplog.at_level(logging.DEBUG):
        with pytest.raises(ApiRetriesExhausted) as info:
            client.user()
    assert httpserver.log[0][0].headers["Authorization"] == f"Bearer {TOKEN}"
    client_side = "\n".join(r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug"))
    for text in (client_side, str(info.value), repr(info.value), repr(client)):
        assert TOKEN not in text


def test_redact_masks_secrets_query_tokens_and_bearer_headers():
    text = f"GET https://graph/x?access_token={TOKEN}&after=c1 Authorization: Bearer abc.def {TOKEN}"
    assert redact(text, [TOKEN]) == "GET https://graph/x?access_token=***&after=c1 Authorization: Bearer *** ***"
    assert redact("https://h/p?a=1&access_token=zzz", []) == "https://h/p?a=1&access_token=***"
    assert redact("nothing to hide", [None, ""]) == "nothing to hide"


def test_http_client_repr_has_no_secret():
    client = HttpClient("X", account="DitjenPK", token_env="X_BEARER_TOKEN", secrets=[TOKEN])
    assert TOKEN not in repr(client)
