"""The gate's breakdown rule covers the figures added for the deck: escalated tickets by topic, tickets per
pemda and topic, queue calls by date, the FAQ trend by unit (each must add up to its total), and topics
per channel (a breakdown of tickets_total). A small warehouse made here; no demo needed."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project.defs.gate.checks import breakdowns_sum_to_total, source_breakdowns_sum_to_totals

MONTH = "2024-02"
GOOD = [
    ("tickets_total", "", 10),
    ("tickets_tz_identified", "", 8),
    ("tickets_tz_unidentified", "", 2),
    ("tickets_in_service_hours", "", 8),
    ("tickets_out_of_service_hours", "", 0),
    ("tickets_by_channel", "whatsapp", 7),
    ("tickets_by_channel", "phone", 3),
    ("tickets_by_category", "Pemda", 10),
    ("tickets_by_topic", "DAU", 6),
    ("tickets_by_topic", "DBH", 4),
    ("tickets_by_subtopic", "DAU | a", 6),
    ("tickets_by_subtopic", "DBH | b", 4),
    ("tickets_by_purpose", "konsultasi", 10),
    ("tickets_by_channel_topic", "whatsapp | DAU", 4),
    ("tickets_by_channel_topic", "whatsapp | DBH", 3),
    ("tickets_by_channel_topic", "phone | DAU", 2),
    ("tickets_by_channel_topic", "phone | DBH", 1),
    ("tickets_escalated", "", 3),
    ("tickets_escalated_by_topic", "DAU", 2),
    ("tickets_escalated_by_topic", "DBH", 1),
    ("tickets_by_pemda_topic", "Kota Kendari | DAU", 5),
    ("tickets_by_pemda_topic", "Prov. Riau | DBH", 3),
    ("calls_queued", "", 4),
    ("calls_queued_by_date", "2024-02-01", 1),
    ("calls_queued_by_date", "2024-02-20", 3),
    ("calls_answered", "", 9),
    ("calls_answered_by_agent", "anas.cc", 5),
    ("calls_answered_by_agent", "dian.cc", 4),
    ("faq_needing_review_2_months_before", "", 5),
    ("faq_needing_review_2_months_before", "Sekretariat DJPK", 5),
]


def warehouse(rows):
    conn = duckdb.connect()
    conn.execute("create schema reporting")
    conn.execute("create schema raw")
    conn.execute(
        "create table reporting.rpt_report_metrics (month DATE, metric VARCHAR, dimension VARCHAR, value DOUBLE)"
    )
    conn.execute("create table raw.quarantine (source VARCHAR, row_number BIGINT, report_month DATE)")
    for metric, dimension, value in rows:
        conn.execute(
            "insert into reporting.rpt_report_metrics values (date '2024-02-01', ?, ?, ?)", [metric, dimension, value]
        )
    return conn


def test_the_new_breakdowns_pass_when_they_add_up():
    conn = warehouse(GOOD)
    assert source_breakdowns_sum_to_totals(conn, MONTH).passed
    assert breakdowns_sum_to_total(conn, MONTH).passed


@pytest.mark.parametrize(
    "metric, dimension",
    [
        ("tickets_escalated_by_topic", "DAU"),
        ("tickets_by_pemda_topic", "Prov. Riau | DBH"),
        ("calls_queued_by_date", "2024-02-20"),
        ("calls_answered_by_agent", "dian.cc"),
        ("faq_needing_review_2_months_before", "Sekretariat DJPK"),
    ],
)
def test_a_breakdown_that_does_not_add_up_stops_the_month(metric, dimension):
    rows = [(m, d, v + 1 if (m, d) == (metric, dimension) else v) for m, d, v in GOOD]
    outcome = source_breakdowns_sum_to_totals(warehouse(rows), MONTH)
    assert not outcome.passed and metric in outcome.description


def test_topics_per_channel_must_add_up_to_the_tickets():
    rows = [(m, d, v + 1 if (m, d) == ("tickets_by_channel_topic", "phone | DBH") else v) for m, d, v in GOOD]
    outcome = breakdowns_sum_to_total(warehouse(rows), MONTH)
    assert not outcome.passed and "tickets_by_channel_topic" in outcome.description
