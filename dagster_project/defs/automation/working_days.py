"""Working days of the DJPK office: Monday–Friday minus national holidays and cuti bersama.

The holidays are the service calendar's (``dagster_project.reference.holiday_calendar``, the one home
of the holiday rules); a year it does not cover is refused there, never counted as all working days.
"""

from __future__ import annotations

from datetime import date, timedelta

from ...reference.holiday_calendar import is_working_day


def working_days_of_month(year: int, month: int) -> list[date]:
    day, days = date(year, month, 1), []
    while day.month == month:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def nth_working_day(year: int, month: int, n: int) -> date:
    """The ``n``-th (1-based) working day of a month."""
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    days = working_days_of_month(year, month)
    if n > len(days):
        raise ValueError(f"{year}-{month:02d} has only {len(days)} working days, asked for the {n}th")
    return days[n - 1]


def is_nth_working_day(day: date, n: int) -> bool:
    """True when ``day`` is the ``n``-th working day of its month."""
    return is_working_day(day) and nth_working_day(day.year, day.month, n) == day
