"""Rendering the report: the month's edition → slides → HTML (Jinja2) → PDF (WeasyPrint), written atomically.

Files of month ``YYYY-MM`` (``<data dir>/published/YYYY-MM/``)::

    laporan-layanan-informasi-YYYY-MM.html   self-contained slides (charts embedded as data: URIs);
                                             in a browser one slide per screen
    laporan-layanan-informasi-YYYY-MM.pdf    the same HTML printed by WeasyPrint, one landscape A4 page per slide

The narratives are optional Markdown files the team writes (where: ``lib/narratives.py``): the evaluation
and suggestions, and any other written slide of the edition. They are included as written (CommonMark; raw
HTML in them is shown as text, never interpreted).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

from ..lib.narratives import narrative_files
from ..lib.wording import month_label
from .blocks import Slide
from .data import ReportData
from .editions import edition_for
from .slides import SlideBuilder

TEMPLATES = Path(__file__).with_name("templates")
TREND_WORDS = re.compile(r"\b(meningkat|menurun|sama dengan)\b")


def report_file_name(month: str, suffix: str) -> str:
    return f"laporan-layanan-informasi-{month}.{suffix}"


@dataclass(frozen=True)
class Narrative:
    """One of the team's texts as the report used it: its file, its HTML, and the SHA-256 of the very bytes
    that HTML was made from (what the manifest records)."""

    path: Path
    html: Markup
    sha256: str


def read_narratives(landing: Path, month: str) -> dict[str, Narrative]:
    """The month's narratives by part, each file read once (missing or empty files left out)."""
    texts = {}
    for part, path in narrative_files(landing, month).items():
        if not path.is_file():
            continue
        raw = path.read_bytes()
        html = narrative_html(raw.decode("utf-8-sig"))
        if html is not None:
            texts[part] = Narrative(path, html, hashlib.sha256(raw).hexdigest())
    return texts


def narrative_html(text: str) -> Markup | None:
    """A narrative's Markdown as HTML, or ``None`` when it is empty."""
    if not text.strip():
        return None
    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text))


def trend_emphasis(text: str) -> Markup:
    """Escapes ``text`` and puts the trend words (meningkat, menurun, sama dengan) in bold."""
    return Markup(TREND_WORDS.sub(r'<strong class="trend">\1</strong>', str(escape(text))))


def _environment() -> Environment:
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["j2", "html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters["trend_emphasis"] = trend_emphasis
    return environment


@dataclass
class RenderedHtml:
    html: str
    sections: list[Slide]
    """The slides, in order (one PDF page each)."""
    charts: int
    edition: str = ""


def render_html(
    data: ReportData,
    narratives: Mapping[str, Narrative] | None = None,
    published_version: int | None = None,
    code_version: str = "",
) -> RenderedHtml:
    """The month's deck; ``narratives`` by part (``read_narratives``). No file name is shown to the reader."""
    edition = edition_for(data.month)
    html_by_part = {part: text.html for part, text in (narratives or {}).items()}
    builder = SlideBuilder(data, html_by_part, edition=edition, published_version=published_version)
    slides = builder.slides()
    html = (
        _environment()
        .get_template("laporan.html.j2")
        .render(
            slides=slides,
            month_name=month_label(data.month),
            css=Markup((TEMPLATES / "laporan.css").read_text(encoding="utf-8")),
            code_version=code_version,
            edition=edition,
        )
    )
    return RenderedHtml(html=html, sections=slides, charts=builder.chart_count, edition=edition.code)


def _replace(path: Path, write) -> None:
    temporary = path.with_name(f".{path.name}.tmp")
    write(temporary)
    os.replace(temporary, path)


def write_html(html: str, path: Path) -> None:
    _replace(path, lambda target: target.write_text(html, encoding="utf-8"))


def write_pdf(html: str, path: Path) -> int:
    """Prints ``html`` to ``path``; returns the number of pages."""
    from weasyprint import HTML  # imported here: pango is loaded only when a PDF is made

    document = HTML(string=html, base_url=str(path.parent)).render()
    _replace(path, lambda target: document.write_pdf(target))
    return len(document.pages)
