"""Which data dirs may use recorded API responses: the demo's (and the tests' copies of it), no other.

``djpk demo`` marks its data dir with ``SAMPLE-DATA.txt``. In a marked data dir the API resources replay
the bundled recordings unless ``DJPK_API_MODE=live``; everywhere else they pull live (a missing token
fails naming its variable) unless ``DJPK_API_MODE=recorded`` is set on purpose (the tests), and a month
whose pulls were replayed is never published into an unmarked data dir.
"""

from __future__ import annotations

import os
from pathlib import Path

from .settings import data_paths

DEMO_MARKER = "SAMPLE-DATA.txt"
MARKER_TEXT = (
    "This data dir holds the bundled sample months (generated exports, recorded API responses),\n"
    "written by `djpk demo`. Nothing in it is DJPK's data.\n"
)


def mark_demo_data_dir(root: Path) -> None:
    (root / DEMO_MARKER).write_text(MARKER_TEXT)


def is_demo_data_dir(root: Path | None = None) -> bool:
    return ((root or data_paths().root) / DEMO_MARKER).is_file()


def api_mode(root: Path | None = None) -> str:
    """``live`` or ``recorded``: ``$DJPK_API_MODE`` when set, else ``recorded`` in a demo data dir only."""
    chosen = os.environ.get("DJPK_API_MODE", "").strip().lower()
    if chosen in ("live", "recorded"):
        return chosen
    return "recorded" if is_demo_data_dir(root) else "live"
