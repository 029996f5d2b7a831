"""Replay recorded API responses through an unchanged client: a ``requests`` transport adapter.

Mount it on the session handed to a client, and every request is answered from a directory
instead of the network (no branch in client code)::

    session = requests.Session()
    session.mount("https://", RecordedResponsesAdapter("tests/recordings/graph"))
    InstagramClient("https://graph.facebook.com/v25.0", "1784…", token, "ditjenpk", session=session)

Keying. A request is identified by its method, its URL path, its query parameters sorted by
name then value with ``access_token`` left out, and — when it has a body (GA4's POST
``runReport``) — the first 16 hex digits of the SHA-256 of the body's JSON in canonical form
(keys sorted, no spaces). The host is not part of the key, so a recording serves any base URL
with the same path. ``recording_key`` returns the key as text, e.g.
``GET /v25.0/1784/media?fields=id,timestamp&limit=100`` or
``POST /v1beta/properties/123:runReport#body=3f2a…``.

File name. ``recording_filename`` turns the key into ``<METHOD>_<path>[__<query>][__body-<hash>].json``
where path and query are "slugged": every run of characters other than ``A-Z a-z 0-9 . , = -``
becomes ``_`` (so ``/v25.0/1784/media`` → ``v25.0_1784_media`` and ``&`` between parameters → ``_``).
If the name would be longer than 180 characters, the query part becomes ``q-<first 16 hex digits
of the SHA-256 of the sorted query string>``. Slugging can map different keys to one name (``/a_b``
and ``/a/b``); that does not happen with the providers' paths.

File content: the response body exactly as received (JSON); it is served as HTTP 200 with
``Content-Type: application/json``. A missing file raises ``RecordingNotFound`` naming the file
expected and the key, so the recording to add is obvious.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from .http import TOKEN_QUERY_PARAMS, ApiError

MAX_NAME_LENGTH = 180
_UNSAFE = re.compile(r"[^A-Za-z0-9.,=-]+")


class RecordingNotFound(ApiError):
    """No recorded response for a request; the message names the file expected."""


def _sorted_query(url: str) -> str:
    pairs = [(k, v) for k, v in parse_qsl(urlsplit(url).query, keep_blank_values=True) if k not in TOKEN_QUERY_PARAMS]
    return urlencode(sorted(pairs), safe=",:")


def _body_hash(body: bytes | str | None) -> str | None:
    if not body:
        return None
    raw = body.encode() if isinstance(body, str) else body
    try:
        canonical = json.dumps(json.loads(raw), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    except ValueError:
        canonical = raw
    return hashlib.sha256(canonical).hexdigest()[:16]


def recording_key(method: str, url: str, body: bytes | str | None = None) -> str:
    """The identity of a request: ``METHOD path[?sorted query][#body=<hash>]`` (no token)."""
    query = _sorted_query(url)
    key = f"{method.upper()} {urlsplit(url).path}" + (f"?{query}" if query else "")
    body_hash = _body_hash(body)
    return key + (f"#body={body_hash}" if body_hash else "")


def recording_filename(method: str, url: str, body: bytes | str | None = None) -> str:
    """The file name that holds the recorded response of a request (see the module docstring)."""
    path_slug = _UNSAFE.sub("_", urlsplit(url).path).strip("_")
    query = _sorted_query(url)
    query_slug = _UNSAFE.sub("_", query).strip("_")
    body_hash = _body_hash(body)
    tail = f"__body-{body_hash}" if body_hash else ""
    name = f"{method.upper()}_{path_slug}" + (f"__{query_slug}" if query_slug else "") + tail + ".json"
    if len(name) > MAX_NAME_LENGTH:
        name = f"{method.upper()}_{path_slug}__q-{hashlib.sha256(query.encode()).hexdigest()[:16]}{tail}.json"
    return name


class RecordedResponsesAdapter(BaseAdapter):
    """A transport adapter answering every request from files in ``directory``."""

    def __init__(self, directory: str | Path) -> None:
        super().__init__()
        self.directory = Path(directory)

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        method = request.method or "GET"
        url = request.url or ""
        path = self.directory / recording_filename(method, url, request.body)
        if not path.is_file():
            raise RecordingNotFound(
                f"no recorded response for {recording_key(method, url, request.body)}: expected file {path}",
                provider="recorded",
                path=urlsplit(url).path,
            )
        response = requests.Response()
        response.status_code = 200
        response.reason = "OK"
        response._content = path.read_bytes()
        response.headers = CaseInsensitiveDict({"Content-Type": "application/json"})
        response.encoding = "utf-8"
        response.url = url
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release."""
