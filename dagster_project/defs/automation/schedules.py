"""The monthly report schedule (last month's report on the N-th working day of the next month) and
the daily snapshot schedule (followers and Instagram stories, every day at 23:00 WIB).

Cron cannot say "third working day", so the schedule ticks every day at the configured time
(Asia/Jakarta) and requests a run only on the N-th working day (the holiday calendar's, :mod:`dagster_project.reference.holiday_calendar`); every other
tick is skipped with the reason. The requested partition is the latest complete month at the
scheduled time, as ``build_schedule_from_partitioned_job`` does for a monthly job.

The working day defaults to 3 and can be changed without code through ``$DJPK_REPORT_WORKING_DAY``.
"""

import os
from zoneinfo import ZoneInfo

import dagster as dg

from ...jobs import MONTHLY_JOB_NAME
from ...lib.months import REPORT_TIMEZONE
from ...partitions import daily_partitions, monthly_partitions
from ...reference.holiday_calendar import is_nth_working_day, nth_working_day
from ..social.resources import DAILY_PULL_TIME_WIB
from ..social.snapshots import DAILY_SNAPSHOT_JOB_NAME

DEFAULT_WORKING_DAY = 3
MAX_WORKING_DAY = 10
"""Every month has more working days than this (fewest 2019–2027: 14, April 2023), so day N exists."""
DEFAULT_HOUR, DEFAULT_MINUTE = 7, 0


def configured_working_day() -> int:
    return int(os.environ.get("DJPK_REPORT_WORKING_DAY", DEFAULT_WORKING_DAY))


def latest_complete_month(scheduled_time) -> str:
    """The latest partition of ``monthly_partitions`` ending at or before ``scheduled_time``."""
    keys = monthly_partitions.get_partition_keys(current_time=scheduled_time)
    if not keys:
        raise ValueError(f"no complete report month at {scheduled_time}")
    return keys[-1]


def build_monthly_report_schedule(
    working_day: int | None = None,
    hour: int = DEFAULT_HOUR,
    minute: int = DEFAULT_MINUTE,
    name: str = "monthly_report_schedule",
) -> dg.ScheduleDefinition:
    """A daily-ticking schedule that runs ``monthly_report`` for last month on the N-th working day."""
    n = working_day or configured_working_day()
    if not 1 <= n <= MAX_WORKING_DAY:
        raise ValueError(f"the report working day must be 1..{MAX_WORKING_DAY}, got {n}")

    @dg.schedule(
        name=name,
        cron_schedule=f"{minute} {hour} * * *",
        execution_timezone=REPORT_TIMEZONE,
        job_name=MONTHLY_JOB_NAME,
        description=(
            f"Materializes the previous month's partition of `{MONTHLY_JOB_NAME}` on working day {n} of "
            f"each month at {hour:02d}:{minute:02d} {REPORT_TIMEZONE} (working day = Mon–Fri minus national "
            "holidays and cuti bersama). Ticks daily; other days are skipped."
        ),
        metadata={"working_day": n},
    )
    def _monthly_report_schedule(context: dg.ScheduleEvaluationContext):
        scheduled = context.scheduled_execution_time
        today = scheduled.date()
        if not is_nth_working_day(today, n):
            target = nth_working_day(today.year, today.month, n)
            return dg.SkipReason(f"{today} is not working day {n} of its month (that is {target})")
        month = latest_complete_month(scheduled)
        return dg.RunRequest(run_key=month, partition_key=month, tags={"djpk/trigger": "schedule"})

    return _monthly_report_schedule


monthly_report_schedule = build_monthly_report_schedule()


def build_daily_snapshot_schedule(
    hour: int = DAILY_PULL_TIME_WIB.hour,
    minute: int = DAILY_PULL_TIME_WIB.minute,
    name: str = "daily_snapshot_schedule",
) -> dg.ScheduleDefinition:
    """Every day at ``hour:minute`` Asia/Jakarta: that day's partition of ``daily_social_snapshots``.

    Late in the day so that the last pull of a month is close to its end ("followers per 29 Feb") and
    consecutive pulls are 24 h apart (a story lives 24 h). Run key = the day: a tick evaluated twice
    starts one run; a run that queued past midnight may still pull yesterday's partition for a few
    hours (``LIVE_LATE_GRACE`` in ``defs/social/snapshots.py``).
    """

    @dg.schedule(
        name=name,
        cron_schedule=f"{minute} {hour} * * *",
        execution_timezone=REPORT_TIMEZONE,
        job_name=DAILY_SNAPSHOT_JOB_NAME,
        description=(
            f"Pulls today's snapshot (followers of Instagram, Facebook and X; Instagram stories live now) every day at "
            f"{hour:02d}:{minute:02d} {REPORT_TIMEZONE}: today's partition of `{DAILY_SNAPSHOT_JOB_NAME}`. Stories "
            "expire after 24 h and follower counts are only given for now, so a missed day cannot be pulled later."
        ),
    )
    def _daily_snapshot_schedule(context: dg.ScheduleEvaluationContext):
        key = context.scheduled_execution_time.astimezone(ZoneInfo(REPORT_TIMEZONE)).strftime(daily_partitions.fmt)
        return dg.RunRequest(run_key=key, partition_key=key, tags={"djpk/trigger": "schedule"})

    return _daily_snapshot_schedule


daily_snapshot_schedule = build_daily_snapshot_schedule()
