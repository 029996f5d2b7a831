"""The sample months' narratives: what the contact-center team writes by hand for a report.

``narratives/<YYYY-MM>.md`` (the evaluation and suggestions) and ``narratives/<YYYY-MM>-<part>.md``
(another written slide of that month, e.g. ``pengumuman``: a circular letter issued that month) are
landed as ``landing/narrative/<file>``, where the report reads them (``defs/report/render.py``).
The texts are the reference reports' own wording, with no figure in them: every number the report
shows comes from the published dataset, never from a narrative.
"""

from __future__ import annotations

from pathlib import Path

from .common import land_bytes

SOURCE = "narrative"
TEXTS = Path(__file__).with_name("narratives")


def files() -> list[Path]:
    """Every sample narrative, by name."""
    return sorted(TEXTS.glob("*.md"))


def month_of(path: Path) -> str:
    return path.stem[:7]


def land(landing_dir: Path, months: list[str] | None = None) -> list[tuple[Path, str]]:
    """Land the narratives of ``months`` (``None``: all) under ``landing_dir/narrative/``, never replacing a
    landed file; (path, status) per file as ``common.land_bytes`` returns it."""
    return [
        (target, land_bytes(target, path.read_bytes()))
        for path in files()
        if months is None or month_of(path) in months
        for target in [Path(landing_dir) / SOURCE / path.name]
    ]
