"""The one month arithmetic (dagster_project/lib/months.py) equals the partitions definition's windows."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, timezone

import pytest

from dagster_project.lib.months import (
    add_months,
    month_bounds,
    month_end,
    month_key,
    month_window_utc,
    next_month_start,
    wib_month,
)


@pytest.mark.parametrize("month", ["2019-01", "2019-12", "2020-02", "2023-12", "2024-02", "2027-12"])
def test_month_windows_are_the_partitions_own(month):
    from dagster_project.partitions import monthly_partitions

    window = monthly_partitions.time_window_for_partition_key(month)
    assert month_window_utc(month) == (window.start.astimezone(timezone.utc), window.end.astimezone(timezone.utc))
    assert month_bounds(month) == (window.start.date(), window.end.date())


def test_month_arithmetic():
    assert next_month_start("2023-12") == date(2024, 1, 1)
    assert add_months(date(2024, 1, 31), -13) == date(2022, 12, 1)
    assert month_end(date(2024, 2, 10)) == date(2024, 2, 29)
    assert month_key(date(2024, 2, 29)) == "2024-02"


def test_a_moment_belongs_to_its_wib_month():
    assert wib_month(datetime(2024, 2, 29, 17, 30)) == "2024-03"  # naive = UTC: 00:30 WIB on 1 March
    assert wib_month(datetime(2024, 1, 31, 17, 0, tzinfo=timezone.utc)) == "2024-02"
    assert wib_month(datetime(2024, 2, 29, 16, 59, 59, tzinfo=timezone.utc)) == "2024-02"


def test_importing_the_month_module_loads_no_framework():
    code = "import sys, dagster_project.lib.months; print(sorted(m for m in ('dagster', 'dbt', 'duckdb', 'matplotlib') if m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )


def test_importing_the_wording_loads_no_framework():
    code = "import sys, dagster_project.lib.wording; print(sorted(m for m in ('dagster', 'dbt', 'duckdb', 'matplotlib') if m in sys.modules))"
    assert (
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip() == "[]"
    )


def test_month_ranges_of_the_partitions():
    from dagster_project.partitions import contiguous_ranges, months_between

    assert months_between("2019-11", "2020-02") == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert months_between("2018-12", "2019-02") == []  # before the first report month
    assert contiguous_ranges(["2024-02", "2019-12", "2020-01", "2019-01", "2024-01"]) == [
        ("2019-01", "2019-01"),
        ("2019-12", "2020-01"),
        ("2024-01", "2024-02"),
    ]


def test_dbt_s_wib_offset_is_the_report_clock_s():
    """dbt shifts UTC to WIB with the var ``wib_utc_offset_hours``; it is the offset of the one report clock
    (``lib.months.WIB``, Asia/Jakarta), for every month the project handles."""
    import yaml

    from dagster_project.lib.months import WIB, WIB_OFFSET
    from dagster_project.settings import DBT_PROJECT_DIR

    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    hours = project["vars"]["wib_utc_offset_hours"]
    assert WIB_OFFSET.total_seconds() == hours * 3600
    for year in range(2019, 2031):
        for month in (1, 7):
            assert WIB.utcoffset(datetime(year, month, 1)).total_seconds() == hours * 3600
