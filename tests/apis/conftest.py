"""Fixtures for the API client tests: a local HTTP server on 127.0.0.1, a fake clock, a network guard."""

from __future__ import annotations

import random
import socket
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

TOKEN = "SECRET-TOKEN-123"
LOCAL_HOST = "127.0.0.1"


@pytest.fixture(scope="session")
def make_httpserver():
    """pytest-httpserver on 127.0.0.1 only, threaded so a slow handler does not block a retry."""
    server = HTTPServer(host=LOCAL_HOST, port=0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


@pytest.fixture(autouse=True)
def only_localhost(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that resolves or connects to an address other than 127.0.0.1."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self: socket.socket, address: Any) -> Any:
        if isinstance(address, tuple) and address[0] != LOCAL_HOST:
            raise AssertionError(f"test tried to connect to {address!r}: only {LOCAL_HOST} is allowed")
        return real_connect(self, address)

    def guarded_getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in (LOCAL_HOST, LOCAL_HOST.encode()):
            raise AssertionError(f"test tried to resolve {host!r}: only {LOCAL_HOST} is allowed")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


class FakeTime:
    """An injectable clock and sleep: sleeping records the wait and advances the clock."""

    def __init__(self, start: float = 1_707_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def http_options(fake_time: FakeTime) -> dict[str, Any]:
    """Keyword options for any client: fake time, seeded jitter, short timeouts."""
    return {"sleep": fake_time.sleep, "clock": fake_time.clock, "rng": random.Random(0), "timeout": (2.0, 5.0)}


@pytest.fixture
def token() -> str:
    return TOKEN
