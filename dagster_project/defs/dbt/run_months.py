"""The run's months as dbt reads them: one row in ``dbt_state.run_months`` (``dbt/macros/run_months.sql``).

The Dagster dbt asset writes the row before ``dbt build`` and passes constant vars, instead of the months
as ``--vars``: dbt re-parses the whole project whenever its command-line vars change (several seconds on
every month), while constant vars keep its partial parsing.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from ...lib.months import month_start
from ...reference.holiday_calendar import CalendarNotCovered, require_covered
from ...resources import WarehouseResource
from ...settings import WAREHOUSE_FILE_NAME, DataPaths
from ..social.raw_store import ensure_all_tables

RUN_MONTHS_TABLE = "dbt_state.run_months"
"""Named by the macro ``run_months_table()`` too: the hook creates it for a command-line run."""


def run_month_range(context: dg.AssetExecutionContext) -> tuple[str, str]:
    """The run's partition range as the first and last month key.

    Refuses months the holiday calendar does not cover (their service hours cannot be counted)."""
    keys = context.partition_key_range
    for key in (keys.start, keys.end):
        try:
            require_covered(int(key[:4]))
        except CalendarNotCovered as error:
            raise dg.Failure(description=f"{key}: {error}", allow_retries=False) from None
    return keys.start, keys.end


def prepare_dbt_run(warehouse: WarehouseResource, first: str, last: str) -> None:
    """Before dbt starts (one writer at a time): the run's months, and every raw API table dbt reads, empty
    where no pull has written one yet."""
    with warehouse.get_connection() as conn:
        ensure_all_tables(conn)
        conn.execute("create schema if not exists dbt_state")
        conn.execute(
            f"create or replace table {RUN_MONTHS_TABLE} as select ?::date as month_from, ?::date as month_to",
            [month_start(first), month_start(last)],
        )


def dbt_target_of(warehouse: WarehouseResource) -> Path:
    """dbt's target folder for the warehouse (``<data dir>/dbt_target``). dbt's ``pipeline`` target opens
    ``warehouse.duckdb`` inside the data dir of that folder (``dagster_project/dbt_cli.py``), so a warehouse file
    named otherwise is refused rather than another file of its folder built."""
    path = Path(warehouse.database)
    if path.name != WAREHOUSE_FILE_NAME:
        raise dg.Failure(
            description=f"dbt builds a data dir's {WAREHOUSE_FILE_NAME}; the warehouse resource names {path}",
            allow_retries=False,
        )
    return DataPaths.of_warehouse(path).dbt_target
