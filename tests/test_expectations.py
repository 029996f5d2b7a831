"""The contract's Great Expectations suite passes on good raw rows and names what breaks it."""

from __future__ import annotations

import duckdb
import pytest

from dagster_project.defs.gate.expectations import validate_raw_month
from dagster_project.defs.ingest.contracts import TICKETS
from dagster_project.defs.ingest.landing import find_export
from dagster_project.defs.ingest.loader import load_export
from test_loader import rows, write_export


@pytest.fixture
def loaded(tmp_path):
    write_export(tmp_path / "landing", rows(5))
    with duckdb.connect(":memory:") as conn:
        landed = find_export(tmp_path / "landing", TICKETS, "2024-02")
        load_export(conn, TICKETS, "2024-02", landed, "landing/tickets/2024-02/tickets.csv")
        yield conn


def test_suite_passes_on_loaded_rows(loaded):
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert outcome.passed, outcome.description
    assert outcome.metadata["expectations"] >= 10


@pytest.mark.parametrize("change, expected", [
    ("update raw.deskpro_tickets set feedback_service = 7 where id = 2", "expect_column_values_to_be_between(feedback_service)"),
    ("update raw.deskpro_tickets set id = 1 where id = 2", "expect_column_values_to_be_unique(id)"),
    ("update raw.deskpro_tickets set channel = 'telegram' where id = 3", "expect_column_values_to_be_in_set(channel)"),
    ("update raw.deskpro_tickets set date_created = timestamp '2024-03-01 00:00:00' where id = 4", "expect_column_values_to_be_between(date_created)"),
])
def test_suite_fails_naming_the_expectation(loaded, change, expected):
    loaded.execute(change)
    outcome = validate_raw_month(loaded, TICKETS, "2024-02")
    assert not outcome.passed
    assert expected in outcome.description


@pytest.mark.parametrize("change, expected", [
    ("update raw.deskpro_tickets set id = 1 where id = 2", "expect_column_values_to_be_unique(id)"),
    ("update raw.deskpro_tickets set channel = 'telegram' where id in (3, 4)", "expect_column_values_to_be_in_set(channel): 2 unexpected"),
])
def test_suite_in_chunks_finds_what_the_whole_month_finds(loaded, change, expected):
    """Chunked (a large month): duplicates of a key meet in one chunk, counts add up over chunks."""
    assert validate_raw_month(loaded, TICKETS, "2024-02", chunk_rows=2).passed
    loaded.execute(change)
    outcome = validate_raw_month(loaded, TICKETS, "2024-02", chunk_rows=2)
    assert not outcome.passed and outcome.metadata["chunks"] == 3
    assert expected in outcome.description


def test_volume_anomaly_names_a_source_five_times_larger(loaded):
    from dagster_project.defs.gate.checks import volume_anomaly

    loaded.execute("insert into raw.load_log (source, report_month, source_file, rows_in_file) values "
                   "('tickets', date '2024-01-01', 'a.csv', 1), ('tickets', date '2023-12-01', 'b.csv', 1), "
                   "('tickets', date '2022-12-01', 'c.csv', 500)")
    outcome = volume_anomaly(loaded, "2024-02", TICKETS)  # 5 rows vs median 1 of the last 12 months
    assert not outcome.passed and outcome.description.startswith("volume anomaly — tickets 2024-02: 5 rows vs median 1")
    loaded.execute("update raw.load_log set rows_in_file = 4 where report_month >= date '2023-12-01' and report_month < date '2024-02-01'")
    assert volume_anomaly(loaded, "2024-02", TICKETS).passed
