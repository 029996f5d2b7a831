"""The published dataset of the sample months reproduces the reference reports' ticket figures.

Expected values live in ``tests/reference/ticket_figures.csv``, transcribed from the reports with
the section each comes from; where a report's own arithmetic is wrong the file holds the true
figure and says so (escalation 15.51 %, not 3 %).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

FIGURES = Path(__file__).parent / "reference" / "ticket_figures.csv"


def _reference_rows():
    with open(FIGURES, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _published(demo_data_dir: Path, month: str) -> dict[tuple[str, str], dict[str, str]]:
    with open(demo_data_dir / "published" / month / "report_metrics.csv", encoding="utf-8") as handle:
        return {(row["metric"], row["dimension"]): row for row in csv.DictReader(handle)}


@pytest.mark.parametrize("expected", _reference_rows(), ids=lambda r: f"{r['month']}:{r['metric']}:{r['dimension']}")
def test_published_figure_equals_reference(demo_data_dir, expected):
    published = _published(demo_data_dir, expected["month"])
    key = (expected["metric"], expected["dimension"])
    assert key in published, f"{key} not published for {expected['month']} ({expected['source']})"
    row = published[key]
    for column in ("value", "value_prev_month", "value_prev_year"):
        if expected[column] != "":
            assert float(row[column]) == pytest.approx(float(expected[column]), abs=0.005), (
                f"{column} of {key}: published {row[column]}, reference {expected[column]} ({expected['source']})"
            )


@pytest.mark.parametrize("month, top_n", [("2024-02", 4), ("2020-01", 15)])
def test_top_pemda_are_the_reports_top(demo_data_dir, month, top_n):
    expected = {r["dimension"] for r in _reference_rows() if r["month"] == month and r["metric"] == "tickets_by_pemda"}
    by_pemda = {dim: float(row["value"]) for (metric, dim), row in _published(demo_data_dir, month).items() if metric == "tickets_by_pemda"}
    ranked = sorted(by_pemda.items(), key=lambda item: -item[1])
    assert {name for name, _ in ranked[:top_n]} == expected
    assert ranked[top_n][1] < ranked[top_n - 1][1], "the top list must not be cut inside a tie"


def test_escalation_percentage_is_computed_not_copied(demo_data_dir):
    published = _published(demo_data_dir, "2024-02")
    escalated = float(published[("tickets_escalated", "")]["value"])
    total = float(published[("tickets_total", "")]["value"])
    assert float(published[("tickets_escalated_pct", "")]["value"]) == pytest.approx(round(100 * escalated / total, 2))
