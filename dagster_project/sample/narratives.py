"""The sample months' narratives: what the contact-center team writes by hand for a report.

The files of ``narratives/`` carry the names the report reads (``lib/narratives.py``: ``<YYYY-MM>.md`` the
evaluation, ``<YYYY-MM>-<part>.md`` another written slide, e.g. ``pengumuman``) and are landed under them.
The texts are the reference reports' own wording, with no figure in them: every number the report
shows comes from the published dataset, never from a narrative.
"""

from __future__ import annotations

from pathlib import Path

from ..lib.narratives import narrative_folder
from .common import land_bytes

SOURCE = "narrative"  # the name generate_samples(sources=…) knows them by
TEXTS = Path(__file__).with_name("narratives")


def files() -> list[Path]:
    """Every sample narrative, by name."""
    return sorted(TEXTS.glob("*.md"))


def month_of(path: Path) -> str:
    return path.stem[:7]


def land(landing_dir: Path, months: list[str] | None = None) -> list[tuple[Path, str]]:
    """Land the narratives of ``months`` (``None``: all) in the narrative folder, never replacing a
    landed file; (path, status) per file as ``common.land_bytes`` returns it."""
    return [
        (target, land_bytes(target, path.read_bytes()))
        for path in files()
        if months is None or month_of(path) in months
        for target in [narrative_folder(landing_dir) / path.name]
    ]
