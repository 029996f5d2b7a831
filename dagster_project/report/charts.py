"""Static chart images of the report: matplotlib (Agg, no display), PNG, Indonesian labels.

Each function returns the PNG bytes; the renderer embeds them in the HTML as ``data:`` URIs, so
the HTML opens from disk (or from a copy elsewhere) with every image, and WeasyPrint uses the
same images for the PDF. Fonts: DejaVu Sans (bundled with matplotlib; the report's CSS uses the
same family from the Debian package ``fonts-dejavu-core``).
"""

from __future__ import annotations

import io

import matplotlib
from matplotlib.figure import Figure  # a bare Figure renders with Agg on savefig: no pyplot, no display
from matplotlib.ticker import FuncFormatter

from ..lib.wording import format_int, format_number, format_pct

BLUE = "#0b3d91"
GOLD = "#f2a900"
GREY = "#9aa5b1"
PALETTE = [BLUE, GOLD, "#2e86de", "#27ae60", "#c0392b", "#8e44ad", "#16a085", GREY]
DPI = 110

matplotlib.rcParams.update(
    {
        "font.family": "DejaVu Sans",
        "font.size": 9,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "djpk",
    }
)

_THOUSANDS = FuncFormatter(lambda value, _position: format_int(value))


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight", metadata={"Software": None})
    return buffer.getvalue()


def _figure(width: float = 6.4, height: float = 3.2) -> tuple[Figure, object]:
    figure = Figure(figsize=(width, height))
    axes = figure.add_subplot()
    return figure, axes


def _label_bars(axes, bars, values, fmt=format_number):
    for bar, value in zip(bars, values):
        axes.annotate(
            fmt(value),
            (bar.get_x() + bar.get_width() / 2, bar.get_height()),
            xytext=(0, 2),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
        )


def bars(
    labels: list[str], values: list[float], title: str, ylabel: str = "", colors: list[str] | None = None
) -> bytes:
    """Vertical bars with their values (e.g. previous year / previous month / this month)."""
    figure, axes = _figure(4.4, 2.6)
    drawn = axes.bar(labels, values, color=colors or [GREY] * (len(values) - 1) + [BLUE], width=0.6)
    _label_bars(axes, drawn, values)
    axes.set_title(title, fontsize=10, loc="left")
    axes.set_ylabel(ylabel)
    axes.yaxis.set_major_formatter(_THOUSANDS)
    axes.set_ylim(0, max(values + [1]) * 1.18)
    return _png(figure)


def trend(labels: list[str], values: list[float | None], title: str, ylabel: str = "") -> bytes:
    """A monthly series (the 13-month trend): one slot per month, a bar with its value for each
    month that has one; a month without a figure stays empty (never drawn as zero)."""
    figure, axes = _figure(7.0, 3.0)
    shown = [(position, value) for position, value in enumerate(values) if value is not None]
    drawn = axes.bar([position for position, _ in shown], [value for _, value in shown], color=BLUE, width=0.6)
    _label_bars(axes, drawn, [value for _, value in shown], fmt=format_int)
    axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right")
    axes.set_xlim(-0.6, len(labels) - 0.4)
    axes.set_title(title, fontsize=10, loc="left")
    axes.set_ylabel(ylabel)
    axes.yaxis.set_major_formatter(_THOUSANDS)
    axes.set_ylim(0, max([value for _, value in shown] + [1]) * 1.18)
    return _png(figure)


def horizontal_bars(labels: list[str], values: list[float], title: str, xlabel: str = "") -> bytes:
    """Largest first, top to bottom (topics, chatbot menu, pemda)."""
    height = max(1.8, 0.32 * len(labels) + 0.8)
    figure, axes = _figure(6.4, height)
    positions = list(range(len(values)))[::-1]
    drawn = axes.barh(positions, values, color=BLUE, height=0.65)
    axes.set_yticks(positions, labels)
    for bar, value in zip(drawn, values):
        axes.annotate(
            format_number(value),
            (bar.get_width(), bar.get_y() + bar.get_height() / 2),
            xytext=(3, 0),
            textcoords="offset points",
            va="center",
            fontsize=8,
        )
    axes.set_title(title, fontsize=10, loc="left")
    axes.set_xlabel(xlabel)
    axes.xaxis.set_major_formatter(_THOUSANDS)
    axes.set_xlim(0, max(values + [1]) * 1.15)
    return _png(figure)


def grouped_bars(categories: list[str], series: list[tuple[str, list[float | None]]], title: str) -> bytes:
    """Several series side by side per category (e.g. purpose of contact, January 2019 vs 2020); a
    value that is ``None`` (a month not published) leaves its slot empty, never drawn as zero."""
    figure, axes = _figure(6.4, 3.0)
    width = 0.8 / max(len(series), 1)
    for index, (name, values) in enumerate(series):
        shown = [(i, value) for i, value in enumerate(values) if value is not None]
        positions = [i + (index - (len(series) - 1) / 2) * width for i, _ in shown]
        drawn = axes.bar(
            positions, [value for _, value in shown], width=width, label=name, color=PALETTE[index % len(PALETTE)]
        )
        _label_bars(axes, drawn, [value for _, value in shown])
    axes.set_xticks(range(len(categories)), categories)
    axes.legend(frameon=False, fontsize=8)
    axes.set_title(title, fontsize=10, loc="left")
    axes.yaxis.set_major_formatter(_THOUSANDS)
    top = max([value for _, values in series for value in values if value is not None] + [1])
    axes.set_ylim(0, top * 1.2)
    return _png(figure)


def pie(labels: list[str], values: list[float], title: str) -> bytes:
    """Shares of a whole; the legend names each part with its count and percentage (no labels on
    the wedges, so small parts never overlap)."""
    figure, axes = _figure(5.6, 2.8)
    total = sum(values) or 1
    wedges, _ = axes.pie(
        values,
        colors=PALETTE[: len(values)],
        startangle=90,
        counterclock=False,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
    )
    axes.legend(
        wedges,
        [f"{label}: {format_int(value)} ({format_pct(100 * value / total)})" for label, value in zip(labels, values)],
        loc="center left",
        bbox_to_anchor=(1.0, 0.5),
        frameon=False,
        fontsize=8,
    )
    axes.set_aspect("equal")
    axes.set_title(title, fontsize=10, loc="left")
    return _png(figure)
