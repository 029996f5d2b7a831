"""What a slide is made of: a title and blocks (tiles, paragraphs, bullets, tables, charts).

The Jinja2 template only lays the blocks out: tiles across the top, words on the left, charts and
tables on the right (or across the slide when there are no words).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

from markupsafe import Markup

from ..lib.wording import MISSING

WORDS = {"paragraph", "bullets", "heading", "missing", "narrative", "terms"}
"""Block kinds laid out in the words column; the others (chart, table, columns) are visuals."""


@dataclass
class Block:
    kind: str
    id: str | None = None

    @property
    def is_words(self) -> bool:
        return self.kind in WORDS


@dataclass
class Paragraph(Block):
    text: str = ""
    kind: str = "paragraph"


@dataclass
class Heading(Block):
    text: str = ""
    kind: str = "heading"


@dataclass
class Bullets(Block):
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    kind: str = "bullets"


@dataclass
class Terms(Block):
    """Term and explanation pairs (e.g. the strategic roles, the non-technical topics)."""

    items: list[tuple[str, str]] = field(default_factory=list)
    kind: str = "terms"


@dataclass
class Table(Block):
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)
    """Indexes of right-aligned columns."""
    unbroken: set[int] = field(default_factory=set)
    """Indexes of columns whose cells are never broken across lines (letter numbers, dates)."""
    footer: list[str] | None = None
    caption: str = ""
    kind: str = "table"

    @property
    def compact(self) -> bool:
        """Long lists are set smaller so that up to ``slides.MAX_TABLE_ROWS`` rows fit on a slide."""
        return len(self.rows) > 12


@dataclass
class Chart(Block):
    png: bytes = b""
    alt: str = ""
    kind: str = "chart"

    @property
    def src(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Tile:
    label: str
    value: str
    note: str = ""
    id: str | None = None
    available: bool = True


@dataclass
class Tiles(Block):
    tiles: list[Tile] = field(default_factory=list)
    kind: str = "tiles"


@dataclass
class Column:
    heading: str
    blocks: list[Block]


@dataclass
class Columns(Block):
    """Side-by-side groups of blocks (e.g. the two e-mail addresses, three social media)."""

    columns: list[Column] = field(default_factory=list)
    kind: str = "columns"


@dataclass
class Missing(Block):
    what: str = ""
    kind: str = "missing"

    @property
    def text(self) -> str:
        return f"{self.what}: {MISSING}." if self.what else f"{MISSING}."


@dataclass
class Narrative(Block):
    html: Markup = Markup("")
    kind: str = "narrative"


@dataclass
class Slide:
    id: str
    title: str
    blocks: list[Block]
    available: bool = True
    kind: str = "content"
    """``cover``, ``closing`` or ``content`` (the template lays the first two out on their own)."""
    subtitle: str = ""
    stacked: bool = False
    """Words above the visuals even when both exist (a wide table)."""

    @property
    def tiles(self) -> list[Block]:
        return [block for block in self.blocks if block.kind == "tiles"]

    @property
    def words(self) -> list[Block]:
        return [block for block in self.blocks if block.is_words]

    @property
    def side_by_side(self) -> bool:
        """Words left and visuals right; else stacked (words above, e.g. above columns of lists)."""
        return (
            not self.stacked
            and bool(self.words)
            and bool(self.visuals)
            and not any(block.kind == "columns" for block in self.visuals)
        )

    @property
    def visuals_in_grid(self) -> bool:
        """Several tables side by side (two to a row); with a chart among them they are stacked."""
        visuals = self.visuals
        return len(visuals) > 1 and not any(block.kind == "chart" for block in visuals)

    @property
    def visuals(self) -> list[Block]:
        return [block for block in self.blocks if block.kind not in WORDS and block.kind != "tiles"]
