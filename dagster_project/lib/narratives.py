"""Where the team's written texts for a month's report land: ``landing/narrative/``.

``<YYYY-MM>.md`` is the evaluation and suggestions (part ``evaluasi``, every edition's closing text);
``<YYYY-MM>-<part>.md`` is another written slide of the edition (``kind: narrative`` with ``part:``,
e.g. ``pengumuman``: a circular letter issued in the month). The report reads them
(``report/render.py``); the sample generator lands the sample months' texts here.
"""

from __future__ import annotations

from pathlib import Path

EVALUATION = "evaluasi"
"""The part every edition ends with; the one written to ``<YYYY-MM>.md``."""


def narrative_folder(landing: Path) -> Path:
    return Path(landing) / "narrative"


def narrative_file(landing: Path, month: str, part: str = EVALUATION) -> Path:
    """Where the month's narrative ``part`` is landed: ``YYYY-MM.md`` (evaluation), ``YYYY-MM-<part>.md``."""
    return narrative_folder(landing) / (f"{month}.md" if part == EVALUATION else f"{month}-{part}.md")


def narrative_files(landing: Path, month: str) -> dict[str, Path]:
    """Every narrative part landed for the month, by part (file names as ``narrative_file`` makes them)."""
    folder = narrative_folder(landing)
    others = sorted(path.stem[len(month) + 1 :] for path in folder.glob(f"{month}-*.md")) if folder.is_dir() else []
    paths = {part: narrative_file(landing, month, part) for part in [EVALUATION, *others]}
    return {part: path for part, path in paths.items() if path.is_file()}
