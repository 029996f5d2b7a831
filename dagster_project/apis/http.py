"""One small HTTP layer for the website and social-media APIs (see the API contract).

``HttpClient`` wraps a ``requests.Session`` and adds what every provider needs:

* connect/read timeouts;
* retries (tenacity) with exponential backoff and jitter on HTTP 429, HTTP 5xx, connection errors and
  timeouts, honouring ``Retry-After`` (seconds or an HTTP date), X's ``x-rate-limit-reset``
  (Unix seconds) and Graph throttling bodies (``{"error": {"code": 4|17|32|613}}`` or
  ``"is_transient": true``, sent with HTTP 400/403), capped by a number of attempts and by a
  total wait budget;
* immediate, clear failures for what a retry cannot fix: HTTP 401/403 and Graph error 190
  (``ApiAuthError``), other 4xx (``ApiError``), a body that is not JSON (``ApiResponseError``);
* token hygiene: tokens are never logged and never appear in exception text; URLs are scrubbed
  (``access_token=***``, also in urllib3's debug log lines) and the JSON kept in ``raw_responses`` is redacted as well (Graph's
  ``paging.next`` repeats the token);
* a record of every successful response (``RawResponse``) so callers can store the JSON as
  received together with the request time.

``sleep`` and ``clock`` are injectable so tests need not wait. Any transport adapter may be
mounted on the session (see ``recorded.py``): the client code never branches on it.
"""

from __future__ import annotations

import email.utils
import logging
import random
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import partial
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests
import tenacity

logger = logging.getLogger("dagster_project.apis")

GRAPH_THROTTLING_CODES = frozenset({4, 17, 32, 613})
GRAPH_INVALID_TOKEN_CODE = 190
TOKEN_QUERY_PARAMS = frozenset({"access_token"})
MASK = "***"

_TOKEN_IN_QUERY = re.compile(r"(access_token=)[^&\s'\"#]+", re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[^\s'\"]+", re.IGNORECASE)


class ApiError(Exception):
    """An API call failed. ``provider``, ``path`` (never a query string) and ``status`` describe it."""

    def __init__(
        self,
        message: str,
        *,
        provider: str | None = None,
        path: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.provider = provider
        self.path = path
        self.status = status


class ApiAuthError(ApiError):
    """The token was refused (HTTP 401/403, Graph error 190): renew it; retrying will not help."""


class ApiRetriesExhausted(ApiError):
    """A retryable failure persisted past the attempt cap or the total wait budget."""


class ApiResponseError(ApiError):
    """The response could not be used (not JSON, or an unexpected shape)."""


class _ScrubQueryTokens(logging.Filter):
    """Mask ``access_token=…`` in urllib3's debug lines, which show each request's full URL."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "access_token=" in message.lower():
            record.msg, record.args = scrub_url(message), None
        return True


logging.getLogger("urllib3.connectionpool").addFilter(_ScrubQueryTokens())


def scrub_url(url: str) -> str:
    """Return ``url`` with the value of every ``access_token`` query parameter replaced by ``***``."""
    return _TOKEN_IN_QUERY.sub(r"\g<1>" + MASK, url)


def redact(text: str, secrets: Iterable[str | None] = ()) -> str:
    """Replace every secret in ``text`` by ``***``; also mask ``access_token=…`` and ``Bearer …``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, MASK)
    return _BEARER.sub(r"\g<1>" + MASK, scrub_url(text))


def redact_json(value: Any, secrets: Iterable[str | None] = ()) -> Any:
    """Return a copy of parsed JSON with every string passed through ``redact``."""
    secrets = tuple(secrets)
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_json(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: redact_json(item, secrets) for key, item in value.items()}
    return value


def strip_token_params(url: str) -> str:
    """Return ``url`` without its ``access_token`` query parameters (for following Graph cursors)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in TOKEN_QUERY_PARAMS]
    return urlunsplit(parts._replace(query=urlencode(query)))


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to retry. Waits demanded by the server are honoured but count against the budget."""

    max_attempts: int = 5
    max_total_wait: float = 960.0  # seconds; covers X's 15-minute rate-limit window
    backoff_base: float = 1.0  # first backoff delay in seconds, doubled per attempt
    backoff_max: float = 60.0
    jitter: float = 0.5  # up to this fraction of the backoff delay is added at random
    reset_margin: float = 1.0  # seconds added after an x-rate-limit-reset time (clock skew)


@dataclass(frozen=True)
class RawResponse:
    """A successful response as received (JSON redacted of tokens), with its scrubbed URL."""

    url: str
    status: int
    json: Any
    requested_at: datetime


@dataclass(frozen=True)
class _Failure:
    """One failed attempt: what to log and, if the server said so, how long to wait."""

    description: str
    status: int | None = None
    wait: float | None = None


class _RetryableFailure(Exception):
    """A failed attempt that a retry may fix (429, 5xx, Graph throttling, connection error, timeout)."""

    def __init__(self, failure: _Failure) -> None:
        super().__init__(failure.description)
        self.failure = failure


class HttpClient:
    """JSON over HTTP for one provider account, with retries, timeouts and token hygiene.

    ``provider`` ("GA4", "Instagram", …), ``account`` and ``token_env`` only shape messages:
    an auth failure says which token to renew and in which environment variable.
    ``secrets`` are masked wherever text leaves this class. Set ``graph_errors`` for Graph APIs
    so that their error bodies (throttling codes, code 190) are recognised.
    """

    def __init__(
        self,
        provider: str,
        *,
        account: str,
        token_env: str,
        secrets: Iterable[str] = (),
        session: requests.Session | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        retry: RetryPolicy = RetryPolicy(),
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        graph_errors: bool = False,
    ) -> None:
        self.provider = provider
        self.account = account
        self.token_env = token_env
        self._secrets = tuple(s for s in secrets if s)
        self.session = session if session is not None else requests.Session()
        self.timeout = timeout
        self.retry = retry
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self.graph_errors = graph_errors
        self.raw_responses: list[RawResponse] = []

    def __repr__(self) -> str:
        return f"HttpClient(provider={self.provider!r}, account={self.account!r}, token_env={self.token_env!r})"

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        json_body: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """Send a request, retrying as the policy allows, and return the parsed, redacted JSON.

        The retry loop is tenacity's: stop after ``max_attempts``; wait what the server asked for, else
        exponential backoff with jitter; a wait that would pass ``max_total_wait`` gives up at once."""
        path = urlsplit(url).path
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception_type(_RetryableFailure),
            stop=tenacity.stop_after_attempt(self.retry.max_attempts),
            wait=partial(self._next_wait, method, path),
            before_sleep=partial(self._log_retry, method, path),
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(self._attempt, method, url, path, params, json_body, headers)
        except _RetryableFailure as last:
            raise ApiRetriesExhausted(
                f"{self.provider} {method} {path}: giving up after {self.retry.max_attempts} attempt(s) "
                f"(waited {retrying.statistics.get('idle_for', 0.0):.1f} s); last result: {last.failure.description}",
                provider=self.provider,
                path=path,
                status=last.failure.status,
            ) from None

    def _attempt(self, method: str, url: str, path: str, params, json_body, headers) -> Any:
        """One request: the parsed JSON, an exception for what a retry cannot fix, else ``_RetryableFailure``."""
        requested_at = datetime.fromtimestamp(self._clock(), tz=timezone.utc)
        try:
            response = self.session.request(
                method, url, params=params, json=json_body, headers=headers, timeout=self.timeout
            )
        except (requests.ConnectionError, requests.Timeout) as exc:
            # The exception text can carry the URL with its token: keep the type name only.
            raise _RetryableFailure(_Failure(type(exc).__name__)) from None
        if 200 <= response.status_code < 300:
            return self._accept(response, method, path, requested_at)
        raise _RetryableFailure(self._failure_or_raise(response, method, path))

    def _next_wait(self, method: str, path: str, state: tenacity.RetryCallState) -> float:
        failure = state.outcome.exception().failure
        delay = failure.wait if failure.wait is not None else self._backoff(state.attempt_number)
        if state.idle_for + delay > self.retry.max_total_wait:
            raise ApiRetriesExhausted(
                f"{self.provider} {method} {path}: giving up after {state.attempt_number} attempt(s); "
                f"the next wait of {delay:.1f} s would exceed the total wait budget of "
                f"{self.retry.max_total_wait:.0f} s (waited {state.idle_for:.1f} s); last result: {failure.description}",
                provider=self.provider,
                path=path,
                status=failure.status,
            )
        return delay

    def _log_retry(self, method: str, path: str, state: tenacity.RetryCallState) -> None:
        logger.warning(
            "%s %s %s: %s; retry %d of %d in %.1f s",
            self.provider,
            method,
            path,
            state.outcome.exception().failure.description,
            state.attempt_number,
            self.retry.max_attempts - 1,
            state.upcoming_sleep,
        )

    # -- responses -------------------------------------------------------------------------

    def _accept(self, response: requests.Response, method: str, path: str, requested_at: datetime) -> Any:
        try:
            data = response.json()
        except ValueError:
            snippet = redact(response.text[:80], self._secrets)
            raise ApiResponseError(
                f"{self.provider} {method} {path}: HTTP {response.status_code} body is not valid JSON "
                f"(content-type {response.headers.get('Content-Type')!r}, starts with {snippet!r})",
                provider=self.provider,
                path=path,
                status=response.status_code,
            ) from None
        data = redact_json(data, self._secrets)
        self.raw_responses.append(
            RawResponse(
                url=redact(response.url or path, self._secrets),
                status=response.status_code,
                json=data,
                requested_at=requested_at,
            )
        )
        return data

    def _failure_or_raise(self, response: requests.Response, method: str, path: str) -> _Failure:
        """Classify a non-2xx response: raise for what a retry cannot fix, else describe it."""
        status = response.status_code
        error = _error_object(response)
        provider_message = redact(str(error.get("message") or error.get("detail") or ""), self._secrets)[:200]
        code = error.get("code")
        where = f"{self.provider} {method} {path}"

        if self.graph_errors and code == GRAPH_INVALID_TOKEN_CODE:
            raise ApiAuthError(
                f"{self.provider} token for account '{self.account}' is expired or invalid "
                f"(Graph error 190): renew the token in env var {self.token_env} "
                f"[{where}: HTTP {status}: {provider_message}]",
                provider=self.provider,
                path=path,
                status=status,
            )
        graph_throttled = self.graph_errors and (code in GRAPH_THROTTLING_CODES or error.get("is_transient") is True)
        if graph_throttled:
            return _Failure(f"HTTP {status} Graph throttling error {code}", status, self._server_wait(response))
        if status == 429 or status >= 500:
            return _Failure(f"HTTP {status}", status, self._server_wait(response))
        if status in (401, 403):
            raise ApiAuthError(
                f"{self.provider} token for account '{self.account}' was refused (HTTP {status}): "
                f"renew the token in env var {self.token_env} or check its permissions "
                f"[{where}: {provider_message}]",
                provider=self.provider,
                path=path,
                status=status,
            )
        raise ApiError(
            f"{where}: HTTP {status}" + (f" (error {code})" if code is not None else "") + f": {provider_message}",
            provider=self.provider,
            path=path,
            status=status,
        )

    # -- waiting ---------------------------------------------------------------------------

    def _server_wait(self, response: requests.Response) -> float | None:
        """Seconds the server asked us to wait (``Retry-After``, ``x-rate-limit-reset``), if any."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            wait = _parse_retry_after(retry_after, self._clock())
            if wait is not None:
                return wait
        reset = response.headers.get("x-rate-limit-reset")
        if reset and response.status_code == 429:
            try:
                wait = float(reset) - self._clock()
            except ValueError:
                return None
            if wait > 0:
                return wait + self.retry.reset_margin
        return None

    def _backoff(self, attempt: int) -> float:
        policy = self.retry
        delay = min(policy.backoff_max, policy.backoff_base * 2 ** (attempt - 1))
        return delay + self._rng.uniform(0, policy.jitter * delay)


def _error_object(response: requests.Response) -> dict[str, Any]:
    """The error details of a failed response: Graph/GA4 ``{"error": {...}}`` or X's problem body."""
    try:
        body = response.json()
    except ValueError:
        return {}
    if not isinstance(body, dict):
        return {}
    error = body.get("error")
    return error if isinstance(error, dict) else body


def _parse_retry_after(value: str, now: float) -> float | None:
    """``Retry-After`` as seconds to wait: delta-seconds or an HTTP date; ``None`` if unreadable."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, when.timestamp() - now)
