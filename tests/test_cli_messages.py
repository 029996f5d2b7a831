"""What the CLI prints: no framework class names, and the quarantined rows of a published month."""

from __future__ import annotations

import duckdb

from dagster_project.cli import quarantine_summary, without_class_name
from dagster_project.settings import data_paths


def test_messages_lose_the_framework_class_name():
    assert without_class_name("dagster._core.definitions.events.Failure: missing export for source 'tickets'") == \
        "missing export for source 'tickets'"
    assert without_class_name("Failure: tickets.csv row 3: bad") == "tickets.csv row 3: bad"
    assert without_class_name("landing/tickets/2024-02/tickets.csv row 3: bad") == "landing/tickets/2024-02/tickets.csv row 3: bad"


def test_the_final_line_counts_quarantined_rows_per_source(tmp_path):
    paths = data_paths(tmp_path)
    with duckdb.connect(str(paths.warehouse)) as conn:
        conn.execute("create schema raw")
        conn.execute("create table raw.quarantine (source varchar, report_month date, source_file varchar, "
                     "row_number bigint, column_name varchar, rule varchar)")
        conn.execute("insert into raw.quarantine values "
                     "('tickets', date '2024-02-01', 'a.csv', 11, 'channel', 'allowed values'), "
                     "('tickets', date '2024-02-01', 'a.csv', 11, 'feedback_service', 'maximum 5'), "
                     "('tickets', date '2024-02-01', 'a.csv', 12, 'channel', 'allowed values'), "
                     "('calls', date '2024-02-01', 'c.csv', 3, 'Queue Time', 'minimum 0'), "
                     "('calls', date '2024-01-01', 'c.csv', 4, 'Queue Time', 'minimum 0')")
    assert quarantine_summary(paths, ["2024-02"]) == "quarantined rows: calls 1, tickets 2 (see raw.quarantine)"
    assert quarantine_summary(paths, ["2023-12"]) is None
