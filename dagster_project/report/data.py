"""What the report reads: only the ``published`` schema of the warehouse.

- ``published.report_metrics``: the month's figures (with previous month / year) and, for the
  13-month trends, the same metrics of the earlier published months (only months that exist);
- ``published.report_lists`` (optional: the table may not exist yet): the month's lists
  (website publications, events, WhatsApp blasts, video conferences, face-to-face visits).

Nothing here reads ``raw``, ``staging`` or any other schema.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ..lib.months import add_months

TREND_MONTHS = 13


@dataclass(frozen=True)
class Figure:
    value: float
    prev_month: float | None
    prev_year: float | None


@dataclass(frozen=True)
class ListItem:
    position: int
    item_date: date | None
    label: str | None
    detail: str | None
    value: float | None


@dataclass
class ReportData:
    month: date
    figures: dict[tuple[str, str], Figure]
    history: dict[str, dict[date, float]] = field(default_factory=dict)
    """Plain totals (dimension ``''``) of the published months of the trend window, per metric."""
    lists: dict[str, list[ListItem]] | None = None
    """``None`` when ``published.report_lists`` does not exist; else per list (maybe empty)."""

    def has(self, metric: str) -> bool:
        return any(key[0] == metric for key in self.figures)

    def figure(self, metric: str, dimension: str = "") -> Figure | None:
        return self.figures.get((metric, dimension))

    def value(self, metric: str, dimension: str = "") -> float | None:
        figure = self.figures.get((metric, dimension))
        return None if figure is None else figure.value

    def breakdown(self, metric: str, include_total: bool = False) -> list[tuple[str, Figure]]:
        """The dimensions of ``metric`` (not the ``''`` total unless asked), largest value first."""
        rows = [
            (dim, fig) for (name, dim), fig in self.figures.items() if name == metric and (include_total or dim != "")
        ]
        return sorted(rows, key=lambda row: (-row[1].value, row[0]))

    def trend(self, metric: str) -> list[tuple[date, float]]:
        """``metric`` in the published months of the last 13 (this one included), oldest first."""
        return sorted(self.history.get(metric, {}).items())

    def items(self, list_name: str) -> list[ListItem] | None:
        """The month's items of a list; ``None`` when the lists table does not exist."""
        if self.lists is None:
            return None
        return self.lists.get(list_name, [])


def table_exists(conn, schema: str, table: str) -> bool:
    return bool(
        conn.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?", [schema, table]
        ).fetchone()[0]
    )


def load_report_data(conn, month: date) -> ReportData:
    """The month's published figures, the trend window and the lists, from ``conn`` (read-only is enough)."""
    if not table_exists(conn, "published", "report_metrics"):
        return ReportData(month=month, figures={})
    figures = {
        (metric, dimension): Figure(value, prev_month, prev_year)
        for metric, dimension, value, prev_month, prev_year in conn.execute(
            "select metric, dimension, value, value_prev_month, value_prev_year from published.report_metrics "
            "where month = ? and value is not null",
            [month],
        ).fetchall()
    }
    history: dict[str, dict[date, float]] = {}
    for metric, row_month, value in conn.execute(
        "select metric, month, value from published.report_metrics "
        "where dimension = '' and value is not null and month >= ? and month < ?",
        [add_months(month, -(TREND_MONTHS - 1)), add_months(month, 1)],
    ).fetchall():
        history.setdefault(metric, {})[row_month] = value
    lists = None
    if table_exists(conn, "published", "report_lists"):
        lists = {}
        for list_name, position, item_date, label, detail, value in conn.execute(
            "select list, position, item_date, label, detail, value from published.report_lists "
            "where month = ? order by list, position, item_date, label",
            [month],
        ).fetchall():
            lists.setdefault(list_name, []).append(ListItem(position, item_date, label, detail, value))
    return ReportData(month=month, figures=figures, history=history, lists=lists)
