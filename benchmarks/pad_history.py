"""Fill a demo warehouse's raw layer with more months of history, to see whether a month's cost grows with it.

Every export table that places rows by ``_report_month`` gets, for each target month it holds nothing for,
a copy of the rows of ``source_month`` moved by the whole number of months between them (every DATE and
TIMESTAMP column but the load time, so each row stays inside its new month on the WIB clock), plus a
``raw.load_log`` row. API tables are left as they are (their timestamps live inside JSON payloads). Only for
benchmarks: the copies are not sample data and nothing publishes them.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from benchmarks.scale_samples import SCALED_KEYS
from dagster_project.lib.contracts import CONTRACTS
from dagster_project.lib.months import month_start
from dagster_project.partitions import months_between

SHIFTED_TYPES = ("DATE", "TIMESTAMP", "TIMESTAMP WITH TIME ZONE")


def _offset(source_month: str, target_month: str) -> int:
    """Whole months from ``source_month`` to ``target_month`` (keys ``YYYY-MM``)."""
    source, target = month_start(source_month), month_start(target_month)
    return (target.year - source.year) * 12 + (target.month - source.month)


def pad_history(warehouse: Path, source_month: str, first: str, last: str) -> int:
    """Copy ``source_month``'s raw export rows into every month ``first`` … ``last`` that has none; returns
    how many (table, month) pairs were added."""
    added = 0
    with duckdb.connect(str(warehouse)) as conn:
        for contract in CONTRACTS.values():
            table = f"raw.{contract.raw_table}"
            columns = conn.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = 'raw' and table_name = ?",
                [contract.raw_table],
            ).fetchall()
            shifted = [name for name, kind in columns if kind in SHIFTED_TYPES and name not in ("_loaded_at",)]
            present = {
                row[0].strftime("%Y-%m")
                for row in conn.execute(f"select distinct _report_month from {table}").fetchall()
            }
            for month in months_between(first, last):
                if month in present or not contract.expected_in(month):
                    continue
                months = _offset(source_month, month)
                copy = 1000 - months  # a distinct copy number per padded month: keys stay unique in the table
                kinds = dict(columns)
                keys = {
                    name: expr.replace("copy", str(copy)) for name, expr in SCALED_KEYS.get(contract.source, {}).items()
                }
                if contract.key and contract.key not in keys:
                    quoted = f'"{contract.key}"'
                    keys[contract.key] = (
                        f"{quoted} || '-h{copy}'"
                        if kinds.get(contract.key) == "VARCHAR"
                        else f"{quoted} + {copy} * 100000000000"
                    )
                replace = ", ".join(
                    [f'"{name}" + interval ({months}) month as "{name}"' for name in shifted]
                    + [f'{expr} as "{name}"' for name, expr in keys.items()]
                )
                conn.execute(
                    f"insert into {table} select * replace ({replace}) from {table} "
                    f"where _report_month = date '{source_month}-01'"
                )
                conn.execute(
                    "insert into raw.load_log by name select * replace (report_month + interval (?) month as report_month) "
                    "from raw.load_log where source = ? and report_month = ?",
                    [months, contract.source, f"{source_month}-01"],
                )
                added += 1
    return added
