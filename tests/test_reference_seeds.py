"""Committed reference seeds still equal what their maintained packages give."""

from __future__ import annotations

import csv

from dagster_project.reference.holiday_calendar import SEED_PATH, holiday_rows


def test_holiday_seed_equals_the_holidays_package():
    with open(SEED_PATH, encoding="utf-8") as handle:
        assert list(csv.DictReader(handle)) == holiday_rows()


def test_february_2024_days_off_include_cuti_bersama():
    days = {row["holiday_date"]: row["holiday_kind"] for row in holiday_rows() if row["holiday_date"].startswith("2024-02")}
    assert days == {"2024-02-08": "libur_nasional", "2024-02-09": "cuti_bersama",
                    "2024-02-10": "libur_nasional", "2024-02-14": "libur_nasional"}
