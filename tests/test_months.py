"""The one month arithmetic (dagster_project/lib/months.py) equals the partitions definition's windows."""

from __future__ import annotations

import re
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


def test_the_report_clock_is_written_once_for_python_and_dbt():
    """The zone is the dbt var ``report_timezone`` (its one home); Python's clock is that zone, and no dbt
    model or macro writes an offset or a zone of its own: they shift UTC to WIB through ``to_wib``."""
    from dagster_project.lib.dbt_vars import project_var
    from dagster_project.lib.months import REPORT_TIMEZONE, WIB, WIB_OFFSET
    from dagster_project.partitions import monthly_partitions
    from dagster_project.settings import DBT_PROJECT_DIR

    assert REPORT_TIMEZONE == project_var("report_timezone") == monthly_partitions.timezone == "Asia/Jakarta"
    assert WIB_OFFSET.total_seconds() == 7 * 3600
    for year in range(2019, 2031):
        for month in (1, 7):
            assert WIB.utcoffset(datetime(year, month, 1)) == WIB_OFFSET
    written = re.compile(
        r"interval\s*\(?\s*'?\d+\s*\)?\s*'?\s*hour|Asia/Jakarta'|[+-]0?7:?00|wib_utc_offset", re.IGNORECASE
    )
    for path in [*(DBT_PROJECT_DIR / "models").rglob("*.sql"), *(DBT_PROJECT_DIR / "macros").rglob("*.sql")]:
        code = "\n".join(
            line for line in path.read_text(encoding="utf-8").splitlines() if not line.strip().startswith("--")
        )
        assert not written.search(code), f"{path.name} writes the report clock itself: use to_wib()"


def test_dbt_s_compiled_wib_shift_is_python_s(demo_data_dir):
    """What dbt compiled ``to_wib`` to in the demo's build (``report_clock_utc_offset_hours`` reads the zone's
    rules with pytz) is Python's ``WIB_OFFSET``."""
    from dagster_project.lib.months import WIB_OFFSET

    compiled = (demo_data_dir / "dbt_target" / "compiled" / "djpk" / "models" / "intermediate").glob(
        "int_tickets__classified.sql"
    )
    code = next(compiled).read_text(encoding="utf-8")
    shifts = set(re.findall(r"created_at_utc \+ interval \((-?\d+)\) hour", code))
    assert shifts == {str(int(WIB_OFFSET.total_seconds() // 3600))}


def test_the_first_report_month_is_written_once():
    """dbt's ``calendar_start`` is where the partitions, the holiday calendar and a command-line dbt run's
    default range start; nothing else writes the first report month."""
    from dagster_project.lib.dbt_vars import project_var
    from dagster_project.lib.months import FIRST_REPORT_DAY, FIRST_REPORT_MONTH
    from dagster_project.partitions import daily_partitions, monthly_partitions
    from dagster_project.reference.holiday_calendar import FIRST_YEAR

    assert FIRST_REPORT_DAY == date.fromisoformat(project_var("calendar_start")) == date(2019, 1, 1)
    assert monthly_partitions.get_first_partition_key() == FIRST_REPORT_MONTH == "2019-01"
    assert daily_partitions.get_first_partition_key() == "2019-01-01"
    assert FIRST_YEAR == 2019
    import yaml

    from dagster_project.lib.dbt_vars import DBT_PROJECT_FILE

    assert "djpk_month_from" not in yaml.safe_load(DBT_PROJECT_FILE.read_text(encoding="utf-8"))["vars"]
