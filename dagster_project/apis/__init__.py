"""HTTP clients for the website and social-media APIs (GA4, Instagram, Facebook Page, X).

See ``/work/shared/contracts/apis.md`` for the shapes. ``http`` holds the shared retrying,
token-scrubbing layer; ``recorded`` a transport adapter that replays recorded responses.
"""

from .ga4 import Ga4Client
from .graph import FacebookPageClient, InstagramClient
from .http import (
    ApiAuthError,
    ApiError,
    ApiResponseError,
    ApiRetriesExhausted,
    HttpClient,
    RawResponse,
    RetryPolicy,
    redact,
)
from .recorded import RecordedResponsesAdapter, RecordingNotFound
from .x import XClient

__all__ = [
    "ApiAuthError",
    "ApiError",
    "ApiResponseError",
    "ApiRetriesExhausted",
    "FacebookPageClient",
    "Ga4Client",
    "HttpClient",
    "InstagramClient",
    "RawResponse",
    "RecordedResponsesAdapter",
    "RecordingNotFound",
    "RetryPolicy",
    "XClient",
    "redact",
]
