"""Monthly reporting partitions: one partition per report month, keys ``YYYY-MM``, Asia/Jakarta."""

from __future__ import annotations

import dagster as dg

from .lib.months import FIRST_REPORT_DAY, FIRST_REPORT_MONTH, REPORT_TIMEZONE, add_months, month_key, month_start

monthly_partitions = dg.MonthlyPartitionsDefinition(
    start_date=FIRST_REPORT_MONTH, fmt="%Y-%m", timezone=REPORT_TIMEZONE
)

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=FIRST_REPORT_DAY.isoformat(), timezone=REPORT_TIMEZONE, end_offset=1
)
"""Snapshot days (keys ``YYYY-MM-DD``, Asia/Jakarta) of the daily follower / stories pull; today is
a partition too (``end_offset=1``): the pull of a day happens on that day, not after it."""

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
"""The run tags naming a run's month (one partition) or months (a range run, e.g. a single-run backfill).
Dagster has no public name for them; ``tests/test_definitions.py`` checks these equal Dagster's own."""


def run_months(tags: dict[str, str]) -> str:
    """The month or ``first … last`` months a run's tags name ("" when none)."""
    return tags.get(PARTITION_TAG) or " … ".join(filter(None, (tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG))))


MONTHS_IN_ONE_RUN = dg.BackfillPolicy.single_run()
"""The backfill policy of every monthly asset, the same for all: a backfill of many months is one run
(each asset handles every month of ``context.partition_keys``; dbt builds once for the range; every
gate check evaluates each month and blocks the whole range when any month fails)."""


def range_result(per_month: dict[str, dict], asset_key: dg.AssetKey | None = None) -> dg.MaterializeResult:
    """The materialization of a run's months: one month keeps its metadata as it is; a range sums
    ``dagster/row_count`` and lists each month's plain values. ``asset_key`` for a multi-asset."""
    if len(per_month) == 1:
        return dg.MaterializeResult(asset_key=asset_key, metadata=next(iter(per_month.values())))
    plain = {
        month: {key: value for key, value in metadata.items() if isinstance(value, (str, int, float, bool))}
        for month, metadata in per_month.items()
    }
    return dg.MaterializeResult(
        asset_key=asset_key,
        metadata={
            "dagster/row_count": sum(int(metadata.get("dagster/row_count", 0)) for metadata in per_month.values()),
            "months": f"{min(per_month)} … {max(per_month)} ({len(per_month)})",
            "per_month": dg.MetadataValue.json(plain),
        },
    )


def months_between(first: str, last: str) -> list[str]:
    """The partition keys ``first`` … ``last`` inclusive (``[]`` when either is not a partition)."""
    keys = monthly_partitions.get_partition_keys()
    return keys[keys.index(first) : keys.index(last) + 1] if first in keys and last in keys else []


def contiguous_ranges(months: list[str]) -> list[tuple[str, str]]:
    """``YYYY-MM`` keys grouped into runs of consecutive months: ``[(first, last), …]``, sorted."""
    ranges: list[list[str]] = []
    for month in sorted(months):
        if ranges and month_key(add_months(month_start(month), -1)) == ranges[-1][1]:
            ranges[-1][1] = month
        else:
            ranges.append([month, month])
    return [(first, last) for first, last in ranges]
