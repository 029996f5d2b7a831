"""Report months and the WIB clock: the one definition everything else imports.

A report month is a ``YYYY-MM`` key (the monthly partition key) for the calendar month on the WIB
clock (Asia/Jakarta, UTC+7 all year: Indonesia has no daylight saving). Its window is
``[month_start, next_month_start)``: a bound is compared with ``>=`` start and ``<`` next start, never
``between``. ``tests/test_months.py`` checks these windows equal the monthly partitions definition's own
time windows (``dagster_project.partitions``), which Dagster computes in Asia/Jakarta.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from .dbt_vars import project_var

MONTH_KEY_PATTERN = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
"""A report month key as the partitions, the CLI and the landing folders write it: ``YYYY-MM``."""
REPORT_TIMEZONE: str = project_var("report_timezone")
"""``Asia/Jakarta``: written once, as the dbt var ``report_timezone`` (``dbt/dbt_project.yml``), which dbt's
macro ``to_wib`` reads too."""
WIB = ZoneInfo(REPORT_TIMEZONE)
"""The report's clock. Fixed UTC+7 (``WIB_OFFSET``) for every date this project handles."""
FIRST_REPORT_DAY: date = date.fromisoformat(project_var("calendar_start"))
"""1 January 2019: the first report month's first day, written once as the dbt var ``calendar_start`` (where
dbt's service calendar starts); the partitions and the holiday calendar start here too."""
WIB_OFFSET: timedelta = WIB.utcoffset(datetime(FIRST_REPORT_DAY.year, 1, 1))  # type: ignore[assignment]
"""UTC+7, read from the zone (Asia/Jakarta has had no other offset since 1964), as dbt's macro
``report_clock_utc_offset_hours`` reads it."""


def month_start(month: str) -> date:
    """First day of a ``YYYY-MM`` month."""
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def add_months(day: date, months: int) -> date:
    """First day of the month ``months`` after (or before, when negative) ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_month_start(month: str) -> date:
    """First day of the month after a ``YYYY-MM`` month (the window's exclusive end)."""
    return add_months(month_start(month), 1)


def month_bounds(month: str) -> tuple[date, date]:
    """``(month_start, next_month_start)``: the month's window as dates, end exclusive."""
    return month_start(month), next_month_start(month)


def month_end(day: date) -> date:
    """Last day of ``day``'s month."""
    return add_months(day, 1) - timedelta(days=1)


def month_key(day: date) -> str:
    """``YYYY-MM`` of a date (or of a datetime's date)."""
    return f"{day.year:04d}-{day.month:02d}"


FIRST_REPORT_MONTH = month_key(FIRST_REPORT_DAY)
"""``2019-01``: the first monthly partition."""


def month_window_utc(month: str) -> tuple[datetime, datetime]:
    """The WIB report month as aware UTC datetimes ``[start, end)``."""
    start, end = month_bounds(month)
    return (
        datetime.combine(start, time(0), WIB).astimezone(timezone.utc),
        datetime.combine(end, time(0), WIB).astimezone(timezone.utc),
    )


def to_wib(moment: datetime) -> datetime:
    """An aware datetime on the WIB clock; a naive one is taken as UTC (how the exports write UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(WIB)


def wib_month(moment: datetime) -> str:
    """The report month a moment belongs to on the WIB clock (naive = UTC)."""
    return month_key(to_wib(moment))
