"""The published dataset of the sample months reproduces the reference reports' figures.

Expected values live in ``tests/reference/ticket_figures.csv`` (tickets) and
``tests/reference/export_figures.csv`` (every other file export), transcribed from the reports with
the section each comes from; where a report's own arithmetic is wrong the file holds the true
figure and says so (escalation 15.51 %, not 3 %; 97.78 % visits without SPPD, not 97.7 %).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

FIGURES = [Path(__file__).parent / "reference" / name for name in ("ticket_figures.csv", "export_figures.csv")]


def _reference_rows(files=FIGURES):
    rows = []
    for path in files:
        with open(path, encoding="utf-8") as handle:
            rows.extend(csv.DictReader(handle))
    return rows


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
    expected = {r["dimension"] for r in _reference_rows(FIGURES[:1]) if r["month"] == month and r["metric"] == "tickets_by_pemda"}
    by_pemda = {dim: float(row["value"]) for (metric, dim), row in _published(demo_data_dir, month).items() if metric == "tickets_by_pemda"}
    ranked = sorted(by_pemda.items(), key=lambda item: -item[1])
    assert {name for name, _ in ranked[:top_n]} == expected
    assert ranked[top_n][1] < ranked[top_n - 1][1], "the top list must not be cut inside a tie"


def test_escalation_percentage_is_computed_not_copied(demo_data_dir):
    published = _published(demo_data_dir, "2024-02")
    escalated = float(published[("tickets_escalated", "")]["value"])
    total = float(published[("tickets_total", "")]["value"])
    assert float(published[("tickets_escalated_pct", "")]["value"]) == pytest.approx(round(100 * escalated / total, 2))


def test_top_visiting_pemda_of_january_2020(demo_data_dir):
    """The report's top-10 table, each pemda once (the report lists Sulawesi Tengah twice)."""
    by_pemda = {dim: float(row["value"]) for (metric, dim), row in _published(demo_data_dir, "2020-01").items()
                if metric == "face_to_face_by_pemda"}
    ranked = sorted(by_pemda.items(), key=lambda item: (-item[1], item[0]))
    expected = [(r["dimension"], float(r["value"])) for r in _reference_rows(FIGURES[1:])
                if r["month"] == "2020-01" and r["metric"] == "face_to_face_by_pemda"]
    assert sorted(ranked[:10]) == sorted(expected)
    assert ranked[10][1] < ranked[9][1], "the top 10 must not be cut inside a tie"
    assert sum(by_pemda.values()) <= 225


def test_report_lists_are_published_in_report_order(demo_data_dir):
    import duckdb

    with duckdb.connect(str(demo_data_dir / "warehouse.duckdb"), read_only=True) as conn:
        lists = conn.execute(
            "select list, count(*), sum(value) from published.report_lists where month = date '2024-02-01' group by list"
        ).fetchall()
        publications = conn.execute(
            "select item_date, label, detail from published.report_lists "
            "where month = date '2024-02-01' and list = 'web_publications' order by position"
        ).fetchall()
    counts = {name: (n, total) for name, n, total in lists}
    assert counts["face_to_face"] == (22, 78)
    assert counts["events"][0] == 6 and counts["wa_blasts"][0] == 7 and counts["vicon"][0] == 1
    assert [row[2] for row in publications] == ["UND-27/PK.6/2024", "S-5/MK.7/2024", "S-25/PK/2024"]
