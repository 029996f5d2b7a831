"""Committed reference seeds still equal what their maintained packages give."""

from __future__ import annotations

import csv
from pathlib import Path

from dagster_project.reference.holiday_calendar import SEED_PATH, holiday_rows


def test_holiday_seed_equals_the_holidays_package():
    with open(SEED_PATH, encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == holiday_rows()


def test_february_2024_days_off_include_cuti_bersama():
    days = {
        row["holiday_date"]: row["holiday_kind"] for row in holiday_rows() if row["holiday_date"].startswith("2024-02")
    }
    assert days == {
        "2024-02-08": "libur_nasional",
        "2024-02-09": "cuti_bersama",
        "2024-02-10": "libur_nasional",
        "2024-02-14": "libur_nasional",
    }


def test_the_calendar_refuses_a_year_whose_cuti_bersama_are_unknown():
    import pytest

    from dagster_project.reference.holiday_calendar import (
        CalendarNotCovered,
        holidays_of_year,
        last_covered_year,
        nth_working_day,
    )

    last = last_covered_year()
    assert holidays_of_year(last)  # covered: known holidays
    with open(SEED_PATH, encoding="utf-8") as handle:
        assert max(int(row["holiday_date"][:4]) for row in csv.DictReader(handle)) == last  # the seed ends there too
    with pytest.raises(CalendarNotCovered, match=rf"covers 2019–{last}.*{last + 1} is not covered.*holiday_calendar"):
        nth_working_day(last + 1, 1, 3)  # the schedule never guesses a publication day


def test_a_dbt_run_for_an_uncovered_month_fails_before_dbt_starts():
    from types import SimpleNamespace

    import dagster as dg
    import pytest

    from dagster_project.defs.dbt.run_months import run_month_range
    from dagster_project.reference.holiday_calendar import last_covered_year

    last = last_covered_year()
    covered = SimpleNamespace(partition_key_range=dg.PartitionKeyRange(f"{last}-11", f"{last}-12"))
    assert run_month_range(covered) == (f"{last}-11", f"{last}-12")
    beyond = SimpleNamespace(partition_key_range=dg.PartitionKeyRange(f"{last}-12", f"{last + 1}-01"))
    with pytest.raises(dg.Failure, match=rf"{last + 1}-01: the holiday calendar covers"):
        run_month_range(beyond)


def test_the_generator_reads_service_rules_from_their_seed():
    """``reference.seeds.service_rule``: the rule in force on a day, as dbt's ``rule_in_force`` reads it; the
    sample generator takes the PPID deadlines and the calls' service-level threshold from it."""
    from datetime import date

    import pytest

    from dagster_project.reference.seeds import service_rule

    assert service_rule("ppid_response_working_days", date(2024, 2, 1)) == 10
    assert service_rule("ppid_extension_working_days", date(2020, 1, 1)) == 7
    assert service_rule("calls_service_level_seconds", date(2019, 1, 1)) == 10
    assert service_rule("face_to_face_max_guests", date(2024, 2, 1)) == 4
    with pytest.raises(LookupError, match="0 rows of 'face_to_face_max_guests' are in force on 2023-03-17"):
        service_rule("face_to_face_max_guests", date(2023, 3, 17))  # the limit began on 18 March 2023
    sample = Path(__file__).parents[1] / "dagster_project" / "sample"
    for name in ("ppid.py", "calls.py"):
        assert "service_rule(" in (sample / name).read_text(encoding="utf-8")
