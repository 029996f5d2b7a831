"""Indonesian national holidays and collective leave (cuti bersama) as a dbt seed.

The ``holidays`` package is the source (``categories=('public', 'government')``: the government
category holds cuti bersama). The seed ``dbt/seeds/id_holidays.csv`` is written from it so that
the service calendar (``dim_service_calendar``) is plain SQL; a test checks the committed seed still
equals the package's list, so the two cannot drift apart.

``python -m dagster_project.reference.holiday_calendar`` rewrites the seed.

This module is the one home of the holiday rules: the categories, the years covered and the holidays
of a year and the working days counted from them (``numpy.busday_count`` / ``numpy.busday_offset`` with
those holidays), for the service calendar (through the seed), the schedule's publication day and the
sample generator. A year is covered while the installed
``holidays`` package knows its cuti bersama (they are decreed year by year): past the last such year a
month is refused (:class:`CalendarNotCovered`) instead of counting its days off as working days.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays
import numpy as np

from ..lib.months import FIRST_REPORT_DAY, month_end
from ..settings import DBT_SEEDS_DIR

HOLIDAY_CATEGORIES = ("public", "government")
"""``public``: national holidays; ``government``: cuti bersama (collective leave)."""
FIRST_YEAR = FIRST_REPORT_DAY.year
"""The first report year (``lib.months.FIRST_REPORT_DAY``: dbt var ``calendar_start``)."""
SEED_PATH = DBT_SEEDS_DIR / "id_holidays.csv"


class CalendarNotCovered(ValueError):
    """A day outside the years whose holidays and cuti bersama are known."""


@lru_cache(maxsize=1)
def last_covered_year() -> int:
    """The last year for which the installed ``holidays`` package lists cuti bersama (decreed year by year)."""
    year = FIRST_YEAR
    while holidays.country_holidays("ID", years=[year + 1], categories=("government",)):
        year += 1
    return year


def require_covered(year: int) -> None:
    """Raise :class:`CalendarNotCovered`, saying what to do, for a year outside the holiday calendar."""
    if not FIRST_YEAR <= year <= last_covered_year():
        raise CalendarNotCovered(
            f"the holiday calendar covers {FIRST_YEAR}–{last_covered_year()} (holidays {holidays.__version__} "
            f"knows cuti bersama until {last_covered_year()}); {year} is not covered, so its working days and "
            "service hours cannot be counted. Upgrade the `holidays` package once the year's cuti bersama are "
            "decreed, then rewrite the seed: python -m dagster_project.reference.holiday_calendar"
        )


@lru_cache(maxsize=32)
def holidays_of_year(year: int) -> frozenset[date]:
    """National holidays and cuti bersama of ``year``; refuses a year the calendar does not cover."""
    require_covered(year)
    return frozenset(holidays.country_holidays("ID", years=[year], categories=HOLIDAY_CATEGORIES))


def is_working_day(day: date) -> bool:
    """Monday–Friday and neither a national holiday nor cuti bersama."""
    return day.weekday() < 5 and day not in holidays_of_year(day.year)


def _holidays_between(first: date, last: date) -> list[date]:
    """Holidays of every year from ``first``'s to ``last``'s (each year must be covered)."""
    return sorted(day for year in range(first.year, last.year + 1) for day in holidays_of_year(year))


def working_days_between(after: date, until: date) -> int:
    """Working days in ``(after, until]``: after the day ``after``, up to and including ``until``."""
    if until <= after:
        return 0
    first, end = after + timedelta(days=1), until + timedelta(days=1)
    return int(np.busday_count(first, end, holidays=_holidays_between(first, until)))


def working_day_after(day: date, n: int) -> date:
    """The ``n``-th working day after ``day`` (``n`` ≥ 1); refuses one that falls in a year not covered."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    start, through = day + timedelta(days=1), day + timedelta(days=1)
    while True:  # the holidays of start's year, then of each later year the count reaches
        holidays_known = _holidays_between(start, through)
        found = np.busday_offset(start, n - 1, roll="forward", holidays=holidays_known).astype(date)
        if found.year <= through.year:
            return found
        through = found  # more holidays can only push the day later: count again with its year's too


def nth_working_day(year: int, month: int, n: int) -> date:
    """The ``n``-th (1-based) working day of a month; refuses a month that has fewer."""
    first = date(year, month, 1)
    day = working_day_after(first - timedelta(days=1), n)
    if (day.year, day.month) != (year, month):
        count = working_days_between(first - timedelta(days=1), month_end(first))
        raise ValueError(f"{year}-{month:02d} has only {count} working days, asked for the {n}th")
    return day


def is_nth_working_day(day: date, n: int) -> bool:
    """True when ``day`` is the ``n``-th working day of its month."""
    return is_working_day(day) and nth_working_day(day.year, day.month, n) == day


def holiday_rows(first_year: int = FIRST_YEAR, last_year: int | None = None) -> list[dict[str, str]]:
    last_year = last_covered_year() if last_year is None else last_year
    public = holidays.country_holidays("ID", years=range(first_year, last_year + 1), language="id")
    both = holidays.country_holidays(
        "ID", years=range(first_year, last_year + 1), categories=HOLIDAY_CATEGORIES, language="id"
    )
    return [
        {
            "holiday_date": day.isoformat(),
            "holiday_name": name,
            "holiday_kind": "libur_nasional" if day in public else "cuti_bersama",
        }
        for day, name in sorted(both.items())
    ]


def write_seed(path: Path = SEED_PATH) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["holiday_date", "holiday_name", "holiday_kind"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(holiday_rows())
    return path


if __name__ == "__main__":
    print(write_seed())
