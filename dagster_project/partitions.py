"""Monthly reporting partitions: one partition per report month, keys ``YYYY-MM``, Asia/Jakarta."""

from __future__ import annotations

from datetime import date

import dagster as dg

REPORT_TIMEZONE = "Asia/Jakarta"

monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date="2019-01", fmt="%Y-%m", timezone=REPORT_TIMEZONE
)

daily_partitions = dg.DailyPartitionsDefinition(
    start_date="2019-01-01", timezone=REPORT_TIMEZONE, end_offset=1
)
"""Snapshot days (keys ``YYYY-MM-DD``, Asia/Jakarta) of the daily follower / stories pull; today is
a partition too (``end_offset=1``): the pull of a day happens on that day, not after it."""

ONE_MONTH_PER_RUN = dg.BackfillPolicy.multi_run(1)
"""The backfill policy of every partitioned asset: the same for all, so a job mixes them freely."""


def month_start(partition_key: str) -> date:
    """First day of the month of a ``YYYY-MM`` partition key."""
    year, month = (int(part) for part in partition_key.split("-"))
    return date(year, month, 1)


def next_month_start(partition_key: str) -> date:
    start = month_start(partition_key)
    return date(start.year + start.month // 12, start.month % 12 + 1, 1)
