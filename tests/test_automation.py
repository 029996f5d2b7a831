"""The monthly schedule (N-th working day) and the landing-folder sensor, evaluated directly."""

from __future__ import annotations

import json
import os
import time
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import dagster as dg
import pytest

from dagster_project.defs.automation.schedules import (
    build_daily_snapshot_schedule,
    build_monthly_report_schedule,
)
from dagster_project.defs.automation.sensors import build_landing_folder_sensor, month_status
from dagster_project.jobs import MONTHLY_JOB_NAME
from dagster_project.reference.holiday_calendar import is_nth_working_day, is_working_day, nth_working_day
from dagster_project.resources import DataDirResource

JAKARTA = ZoneInfo("Asia/Jakarta")


@pytest.fixture(scope="module")
def repository():
    """The project's definitions merged with the automation and analyst defs, as definitions.py will."""
    from dagster_project.dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    from dagster_project.definitions import defs as project_defs
    from dagster_project.defs import analysts, automation

    return dg.Definitions.merge(project_defs, automation.defs, analysts.defs).get_repository_def()


def test_working_days_follow_the_holiday_calendar():
    assert nth_working_day(2024, 2, 1) == date(2024, 2, 1)  # Thursday
    assert not is_working_day(date(2024, 2, 8)) and not is_working_day(date(2024, 2, 9))  # Isra Mikraj, cuti bersama
    assert not is_working_day(date(2024, 2, 14))  # Pemilu
    assert [nth_working_day(2024, 2, n) for n in (2, 3, 4)] == [date(2024, 2, 2), date(2024, 2, 5), date(2024, 2, 6)]
    assert nth_working_day(2024, 1, 1) == date(2024, 1, 2)  # 1 Jan is New Year
    assert is_nth_working_day(date(2024, 1, 4), 3)
    assert not is_nth_working_day(date(2024, 1, 1), 1)
    assert not is_nth_working_day(date(2024, 2, 3), 2)  # a Saturday is no working day
    with pytest.raises(ValueError, match="2024-02 has only 18 working days, asked for the 19th"):
        nth_working_day(2024, 2, 19)


def test_working_days_are_counted_over_holidays_and_years():
    """``numpy.busday_count`` / ``busday_offset`` with the calendar's holidays, checked day by day."""
    from dagster_project.reference.holiday_calendar import working_day_after, working_days_between

    assert working_days_between(date(2024, 2, 7), date(2024, 2, 15)) == 3  # 8, 9, 14 off; 10, 11 weekend
    assert working_day_after(date(2024, 2, 7), 1) == date(2024, 2, 12)
    assert working_day_after(date(2023, 12, 22), 1) == date(2023, 12, 27)  # 25, 26 Dec off
    assert working_days_between(date(2023, 12, 29), date(2024, 1, 2)) == 1  # across the year: 1 Jan off
    start = date(2023, 11, 1)
    for offset in range(0, 120, 7):
        after = start + timedelta(days=offset)
        for n in (1, 10, 17):
            day = working_day_after(after, n)
            assert is_working_day(day) and working_days_between(after, day) == n
            assert working_days_between(after, day - timedelta(days=1)) == n - 1


def _evaluate(schedule: dg.ScheduleDefinition, when: datetime, repository):
    with dg.build_schedule_context(scheduled_execution_time=when, repository_def=repository) as context:
        return schedule.evaluate_tick(context)


def test_schedule_runs_previous_month_on_the_nth_working_day_only(repository):
    schedule = build_monthly_report_schedule(working_day=3)
    assert schedule.cron_schedule == "0 7 * * *" and schedule.execution_timezone == "Asia/Jakarta"
    assert schedule.job_name == MONTHLY_JOB_NAME
    # February 2024: 1, 2, 5 are working days 1–3.
    result = _evaluate(schedule, datetime(2024, 2, 5, 7, tzinfo=JAKARTA), repository)
    assert [request.partition_key for request in result.run_requests] == ["2024-01"]
    for day in (1, 2, 6, 8):
        result = _evaluate(schedule, datetime(2024, 2, day, 7, tzinfo=JAKARTA), repository)
        assert not result.run_requests and "not working day 3" in result.skip_message
    # January 2024: 1 Jan is a holiday, so working day 1 is 2 Jan and the partition is December.
    result = _evaluate(
        build_monthly_report_schedule(working_day=1), datetime(2024, 1, 2, 7, tzinfo=JAKARTA), repository
    )
    assert [request.partition_key for request in result.run_requests] == ["2023-12"]


def test_automation_resolves_with_the_project_definitions(repository):
    assert repository.get_schedule_def("monthly_report_schedule").job_name == MONTHLY_JOB_NAME
    assert repository.get_sensor_def("landing_folder_sensor").job_name == MONTHLY_JOB_NAME
    assert repository.asset_graph.has(dg.AssetKey(["analysts", "warehouse_snapshot"]))


def test_daily_snapshot_schedule_pulls_today_at_23_wib(repository):
    from dagster_project.defs.social.snapshots import DAILY_SNAPSHOT_JOB_NAME

    schedule = build_daily_snapshot_schedule()
    assert schedule.cron_schedule == "0 23 * * *" and schedule.execution_timezone == "Asia/Jakarta"
    assert schedule.job_name == DAILY_SNAPSHOT_JOB_NAME
    for when, day in (
        (datetime(2024, 2, 29, 23, tzinfo=JAKARTA), "2024-02-29"),
        (datetime(2024, 3, 1, 23, tzinfo=JAKARTA), "2024-03-01"),
    ):
        requests = _evaluate(schedule, when, repository).run_requests
        assert [(request.partition_key, request.run_key) for request in requests] == [(day, day)]
    job = repository.get_job(DAILY_SNAPSHOT_JOB_NAME)
    assert job.partitions_def.get_partition_keys()[0] == "2019-01-01"
    assert {key.to_user_string() for key in job.asset_layer.executable_asset_keys} == {
        "raw/api_follower_snapshots",
        "raw/api_instagram_stories",
    }
    assert repository.get_schedule_def("daily_snapshot_schedule").job_name == DAILY_SNAPSHOT_JOB_NAME
    monthly = {key.to_user_string() for key in repository.get_job(MONTHLY_JOB_NAME).asset_layer.executable_asset_keys}
    assert "raw/api_follower_snapshots" not in monthly and "raw/api_x_tweets" in monthly


def test_month_status():
    now = datetime(2024, 3, 10, tzinfo=JAKARTA)
    assert month_status("2019-01", now) == "reportable"
    assert month_status("2024-02", now) == "reportable"
    assert month_status("2024-03", now) == "not_complete"
    assert month_status("2018-12", now) == "invalid"
    assert month_status("misc", now) == "invalid"


@pytest.fixture
def landing(tmp_path):
    return tmp_path / "landing"


def _drop(landing, month: str, name: str, content: bytes, age_seconds: float = 120):
    path = landing / "tickets" / month / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    old = time.time() - age_seconds
    os.utime(path, (old, old))
    return path


def _tick(sensor, data_dir, repository, cursor=None):
    resources = {"data_dir": DataDirResource(data_dir=str(data_dir))}
    with dg.build_sensor_context(cursor=cursor, resources=resources, repository_def=repository) as context:
        return sensor.evaluate_tick(context)


def test_sensor_requests_a_month_once_per_file_version(tmp_path, landing, repository):
    sensor = build_landing_folder_sensor()
    assert sensor.minimum_interval_seconds == 60
    empty = _tick(sensor, tmp_path, repository)
    assert not empty.run_requests

    path = _drop(landing, "2024-02", "tickets.csv", b"id,ref\n1,A\n")
    first = _tick(sensor, tmp_path, repository, empty.cursor)
    assert [request.partition_key for request in first.run_requests] == ["2024-02"]
    assert first.run_requests[0].run_key.startswith("2024-02/tickets/tickets.csv/")

    again = _tick(sensor, tmp_path, repository, first.cursor)
    assert not again.run_requests

    path.write_bytes(b"id,ref\n1,A\n2,B\n")
    old = time.time() - 120
    os.utime(path, (old, old + 1))
    changed = _tick(sensor, tmp_path, repository, again.cursor)
    assert [request.partition_key for request in changed.run_requests] == ["2024-02"]
    assert changed.run_requests[0].run_key != first.run_requests[0].run_key
    assert not _tick(sensor, tmp_path, repository, changed.cursor).run_requests


def test_sensor_skips_invalid_months_settling_files_and_foreign_files(tmp_path, landing, repository):
    sensor = build_landing_folder_sensor()
    _drop(landing, "2018-12", "tickets.csv", b"x")
    _drop(landing, "2024-02", "notes.txt", b"not an export")
    future = datetime.now(JAKARTA).strftime("%Y-%m")  # the current month is not complete yet
    _drop(landing, future, "tickets.csv", b"x")
    fresh = _drop(landing, "2024-03", "tickets.csv", b"x", age_seconds=0)
    result = _tick(sensor, tmp_path, repository)
    assert not result.run_requests
    cursor = json.loads(result.cursor)
    assert "tickets/2018-12/tickets.csv" in cursor  # remembered, logged once
    assert f"tickets/{future}/tickets.csv" not in cursor  # retried once the month is over
    old = time.time() - 120
    os.utime(fresh, (old, old))
    settled = _tick(sensor, tmp_path, repository, result.cursor)
    assert [request.partition_key for request in settled.run_requests] == ["2024-03"]


def test_sensor_loads_the_newest_reexport(tmp_path, landing, repository):
    sensor = build_landing_folder_sensor()
    _drop(landing, "2024-01", "tickets.csv", b"a", age_seconds=300)
    first = _tick(sensor, tmp_path, repository)
    _drop(landing, "2024-01", "tickets (1).csv", b"b", age_seconds=100)
    second = _tick(sensor, tmp_path, repository, first.cursor)
    assert [request.run_key.split("/")[2] for request in second.run_requests] == ["tickets (1).csv"]


def test_deploy_instance_config_runs_one_run_at_a_time(tmp_path):
    """deploy/dagster.yaml validates as a Dagster instance config: the queue of one, PostgreSQL storage with
    every credential from the environment. (Instantiated against a real PostgreSQL in test_production_stack.)"""
    import shutil
    from pathlib import Path

    from dagster._core.instance.config import dagster_instance_config

    shutil.copy(Path(__file__).resolve().parent.parent / "deploy" / "dagster.yaml", tmp_path / "dagster.yaml")
    config, _ = dagster_instance_config(str(tmp_path))
    assert config["run_coordinator"]["class"] == "QueuedRunCoordinator"
    assert config["run_coordinator"]["config"]["max_concurrent_runs"] == 1
    assert config["run_monitoring"]["enabled"] is True
    for storage in ("run_storage", "event_log_storage", "schedule_storage"):
        database = config[storage]["config"]["postgres_db"]
        assert database["scheme"] == "postgresql+psycopg2"
        for key in ("hostname", "port", "db_name", "username", "password"):
            assert set(database[key]) == {"env"}, (storage, key)  # from the environment, never a literal


def test_schedule_rejects_a_working_day_that_may_not_exist():
    from dagster_project.defs.automation.schedules import MAX_WORKING_DAY
    from dagster_project.lib.months import month_end
    from dagster_project.reference.holiday_calendar import working_days_between

    with pytest.raises(ValueError):
        build_monthly_report_schedule(working_day=MAX_WORKING_DAY + 1)
    firsts = [date(year, month, 1) for year in range(2019, 2028) for month in range(1, 13)]
    fewest = min(working_days_between(first - timedelta(days=1), month_end(first)) for first in firsts)
    assert fewest > MAX_WORKING_DAY


def test_working_days_at_the_end_of_the_calendar():
    """The last covered year's December is counted; a day that falls past the calendar is refused."""
    from dagster_project.reference.holiday_calendar import CalendarNotCovered, last_covered_year, working_day_after

    last = last_covered_year()
    assert nth_working_day(last, 12, 3).year == last
    assert nth_working_day(2019, 1, 1) == date(2019, 1, 2)  # counting starts on 31 Dec 2018, outside the calendar
    with pytest.raises(CalendarNotCovered):
        working_day_after(date(last, 12, 20), 15)
