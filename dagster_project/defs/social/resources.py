"""Configuration of the website and social-media APIs, one Dagster resource per provider.

Base URL, account ids and metric names are configuration. The token reaches the resource as ``dg.EnvVar``
(``access_token``, bound by :func:`social_resources`): Dagster resolves it inside the run, and the UI and
the run's config show the variable's name, never its value (nor do metadata or logs).

``recordings_dir``: when set, the client's ``requests.Session`` gets a
``RecordedResponsesAdapter`` mounted, so every request is answered from recorded responses
(the client code is the same). The embedded default is the bundled folder
``dagster_project/sample/recordings`` written by ``python -m dagster_project.sample.api_recordings``,
so ``djpk demo`` runs offline. Layout::

    <recordings_dir>/<provider>/                  monthly pulls (keys hold the month's since/until)
    <recordings_dir>/daily/<YYYY-MM-DD>/<provider>/   the daily snapshot pull of that day
                                                  (followers, Instagram stories), pulled at 23:00 WIB

Live is the default: ``recordings_dir`` empty (``""``); a missing token then fails naming the variable.
Recordings are replayed only in the demo's data dir or with ``DJPK_API_MODE=recorded`` (the tests), see
:mod:`dagster_project.demo_mode`. In recorded mode a missing token is fine (a placeholder is sent; the
recordings ignore ``access_token``).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path
from typing import Callable, ClassVar, Optional

import dagster as dg
import requests

from ...apis import FacebookPageClient, Ga4Client, InstagramClient, RecordedResponsesAdapter, RetryPolicy, XClient
from ...demo_mode import api_mode
from ...lib.months import WIB
from ...settings import REPO_ROOT

BUNDLED_RECORDINGS_DIR = REPO_ROOT / "dagster_project" / "sample" / "recordings"
RECORDED_TOKEN_PLACEHOLDER = "recorded-responses-no-token"
DAILY_PULL_TIME_WIB = time(23, 0)


def default_recordings_dir() -> str:
    """Live (``""``) unless the API mode is ``recorded`` (:func:`dagster_project.demo_mode.api_mode`: the
    demo's data dir, or ``DJPK_API_MODE=recorded``); then ``$DJPK_API_RECORDINGS_DIR`` or the bundled folder."""
    if api_mode() != "recorded":
        return ""
    return os.environ.get("DJPK_API_RECORDINGS_DIR") or str(BUNDLED_RECORDINGS_DIR)


class ApiResource(dg.ConfigurableResource):
    """Settings shared by every provider: base URL, token variable, recordings, retry caps."""

    base_url: str
    token_env: str
    """The environment variable that holds the token: named in messages, bound as ``dg.EnvVar``."""
    access_token: Optional[str] = None
    """``dg.EnvVar(token_env)`` for live pulls (:func:`social_resources`); unset, a live pull fails naming
    ``token_env``."""
    recordings_dir: Optional[str] = None
    max_attempts: int = 5
    max_total_wait_seconds: float = 960.0
    backoff_base_seconds: float = 1.0
    timeout_seconds: float = 30.0

    provider_folder: str = "provider"
    retired_token_envs: ClassVar[tuple[str, ...]] = ()
    """Variable names earlier versions read; only named (never read) in the missing-token message."""

    @property
    def recorded(self) -> bool:
        return bool(self.recordings_dir)

    @property
    def mode(self) -> str:
        """``recorded`` or ``live``: what ``raw.api_pull_modes`` and the publish manifest record."""
        return "recorded" if self.recorded else "live"

    def token(self) -> str:
        value = self.access_token
        if isinstance(value, dg.EnvVar):  # the resource used outside a run, where Dagster has not resolved it
            value = value.get_value()
        if value:
            return value
        if self.recorded:
            return RECORDED_TOKEN_PLACEHOLDER
        retired = [name for name in self.retired_token_envs if os.environ.get(name)]
        hint = f" ({', '.join(retired)} is set but no longer read: rename it to {self.token_env})" if retired else ""
        raise dg.Failure(
            description=(
                f"{type(self).__name__}: environment variable {self.token_env} is not set; it must hold "
                f"the API token for live pulls from {self.base_url} (or set recordings_dir to replay recordings){hint}"
            ),
            allow_retries=False,
        )

    def session(self, day: date | None = None) -> requests.Session:
        """A plain session, or one answering from the recordings (of ``day``'s daily pull if given)."""
        session = requests.Session()
        if self.recorded:
            folder = Path(self.recordings_dir)
            folder = folder / "daily" / day.isoformat() / self.provider_folder if day else folder / self.provider_folder
            adapter = RecordedResponsesAdapter(folder)
            session.mount("https://", adapter)
            session.mount("http://", adapter)
        return session

    def http_options(self, clock: Callable[[], float] | None = None) -> dict:
        options = {
            "timeout": (min(5.0, self.timeout_seconds), self.timeout_seconds),
            "retry": RetryPolicy(
                max_attempts=self.max_attempts,
                max_total_wait=self.max_total_wait_seconds,
                backoff_base=self.backoff_base_seconds,
            ),
        }
        if clock is not None:
            options["clock"] = clock
        return options

    def _common(self, day: date | None) -> dict:
        """session + http options; a recorded daily pull gets the time it was recorded (23:00 WIB)."""
        clock = None
        if day is not None and self.recorded:
            pulled_at = datetime.combine(day, DAILY_PULL_TIME_WIB, WIB).timestamp()
            clock = lambda: pulled_at  # noqa: E731
        return {"session": self.session(day), **self.http_options(clock)}


class Ga4Resource(ApiResource):
    """GA4 Data API property of the DJPK website."""

    base_url: str = "https://analyticsdata.googleapis.com"
    token_env: str = "GA4_ACCESS_TOKEN"
    property_id: str = "312345678"
    users_metric: str = "activeUsers"
    views_metric: str = "screenPageViews"
    page_size: int = 10
    top_pages: int = 25
    provider_folder: str = "ga4"

    def client(self) -> Ga4Client:
        return Ga4Client(
            self.base_url,
            self.property_id,
            self.token(),
            page_size=self.page_size,
            users_metric=self.users_metric,
            views_metric=self.views_metric,
            token_env=self.token_env,
            **self._common(None),
        )


class InstagramResource(ApiResource):
    """Instagram professional account @ditjenpk (Graph API)."""

    base_url: str = "https://graph.facebook.com/v25.0"
    token_env: str = "IG_ACCESS_TOKEN"
    ig_user_id: str = "17841400000000001"
    account_name: str = "ditjenpk"
    media_metrics: list[str] = ["reach", "views"]
    provider_folder: str = "instagram"

    def client(self, day: date | None = None) -> InstagramClient:
        return InstagramClient(
            self.base_url,
            self.ig_user_id,
            self.token(),
            self.account_name,
            token_env=self.token_env,
            **self._common(day),
        )


class FacebookResource(ApiResource):
    """Facebook Page "Direktorat Jenderal Perimbangan Keuangan" (Graph API)."""

    base_url: str = "https://graph.facebook.com/v25.0"
    token_env: str = "FB_PAGE_ACCESS_TOKEN"
    retired_token_envs: ClassVar[tuple[str, ...]] = ("FB_ACCESS_TOKEN",)
    page_id: str = "100000000000001"
    account_name: str = "Direktorat Jenderal Perimbangan Keuangan"
    post_metric: str = "post_total_media_view_unique"
    provider_folder: str = "facebook"

    def client(self, day: date | None = None) -> FacebookPageClient:
        return FacebookPageClient(
            self.base_url,
            self.page_id,
            self.token(),
            self.account_name,
            self.post_metric,
            token_env=self.token_env,
            **self._common(day),
        )


class XResource(ApiResource):
    """X account @DitjenPK (API v2)."""

    base_url: str = "https://api.x.com/2"
    token_env: str = "X_BEARER_TOKEN"
    username: str = "DitjenPK"
    user_id: str = "1000000000000000001"
    provider_folder: str = "x"

    def client(self, day: date | None = None) -> XClient:
        return XClient(self.base_url, self.token(), self.username, token_env=self.token_env, **self._common(day))


def _token(resource_class: type[ApiResource], recorded: bool, overrides: dict) -> dict:
    """``access_token=dg.EnvVar(<token_env>)`` for live pulls when the variable is set.

    Left unbound when it is not (or in recorded mode, which sends no token), so that a month run without a
    token fails in its API step with a message naming the variable (and a retired name still set), instead
    of Dagster refusing the whole run at launch. The run's own process loads these definitions, so the
    check sees the run's environment."""
    name = overrides.get("token_env") or resource_class.model_fields["token_env"].default
    return {} if recorded or not os.environ.get(name) else {"access_token": dg.EnvVar(name)}


def social_resources(recordings_dir: str | None = None, **overrides) -> dict[str, ApiResource]:
    """The four resources, bound to ``recordings_dir`` (default: :func:`default_recordings_dir`) and, for
    live pulls, to their tokens as ``dg.EnvVar``."""
    folder = default_recordings_dir() if recordings_dir is None else recordings_dir
    classes = {
        "ga4_api": Ga4Resource,
        "instagram_api": InstagramResource,
        "facebook_api": FacebookResource,
        "x_api": XResource,
    }
    return {
        key: cls(
            recordings_dir=folder, **{**_token(cls, bool(folder), overrides.get(key, {})), **overrides.get(key, {})}
        )
        for key, cls in classes.items()
    }
