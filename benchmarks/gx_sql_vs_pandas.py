"""Time and peak memory of the GX contract suite on a month: as SQL inside DuckDB (the pipeline's
``validate_raw_month``) against the former pandas path (the month pulled into pandas in chunks of
200,000 rows by key hash, the same suite run on each chunk).

    python benchmarks/gx_sql_vs_pandas.py --warehouse DEMO/warehouse.duckdb [--rows 1000000 5000000]

Measures (a) the warehouse's 2024-02 tickets month, (b) synthetic months of ``--rows`` rows made of
that month's rows under new ids, (c) failing synthetic months of ``--broken-rows`` rows, each in a
scratch DuckDB file under ``--scratch``. Every measurement runs in a fresh process opening its file
read-only (as the Dagster check does); GX is imported and set up before the clock starts (a run pays
that once per process). Prints a Markdown table, then what the SQL path reported on failing months.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from dagster_project.defs.gate.expectations import BOOKKEEPING_COLUMNS, _gx, build_suite, validate_raw_month
from dagster_project.lib.contracts import TICKETS
from dagster_project.lib.months import month_start

MONTH = "2024-02"
PANDAS_CHUNK_ROWS = 200_000


def validate_in_pandas(conn: duckdb.DuckDBPyConnection, month: str, chunk_rows: int = PANDAS_CHUNK_ROWS) -> bool:
    """The former path, kept here only to compare: every chunk pulled into pandas and validated there
    (pass/fail first, a failing chunk again for counts, as it was)."""
    gx, context = _gx()
    table, first_day = f"raw.{TICKETS.raw_table}", month_start(month)
    rows = conn.execute(f"select count(*) from {table} where _report_month = ?", [first_day]).fetchone()[0]
    chunks = max(1, -(-rows // chunk_rows))
    batch_definition = (
        context.data_sources.add_pandas(f"pandas_{time.monotonic_ns()}")
        .add_dataframe_asset(TICKETS.raw_table)
        .add_batch_definition_whole_dataframe("month")
    )
    suite, passed = build_suite(gx, TICKETS, month), True
    for chunk in range(chunks):
        frame = conn.execute(
            f"select * exclude ({', '.join(BOOKKEEPING_COLUMNS)}) from {table} "
            f'where _report_month = ? and hash("{TICKETS.key}") % {chunks} = ?',
            [first_day, chunk],
        ).df()
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format="BOOLEAN_ONLY")
        if not result.success:
            batch.validate(suite, result_format="SUMMARY")
            passed = False
        del frame
    return passed


def _status_mb(field: str) -> int:
    """A memory figure of this process from ``/proc/self/status`` (Linux), in MB."""
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(f"{field}:"))
    return round(int(line.split()[1]) / 1024)


def _reset_peak_rss() -> None:
    """Start the high-water mark (VmHWM) afresh from the present resident set (``clear_refs`` 5)."""
    Path("/proc/self/clear_refs").write_text("5")


def measure(path: str, warehouse: Path, repeat: int) -> dict:
    """One measurement, in this process: GX set up first, then the clock and the memory high-water mark.
    With ``repeat`` > 1 the month is validated again: what every later source of a run pays (the first
    validation in a process also sets up SQLAlchemy and GX's metric machinery)."""
    _gx()
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        rss_before = _status_mb("VmRSS")
        _reset_peak_rss()
        seconds = []
        for _ in range(repeat):
            started = time.perf_counter()
            if path == "sql":
                outcome = validate_raw_month(conn, TICKETS, MONTH)
                passed, description = outcome.passed, outcome.description
            else:
                passed, description = validate_in_pandas(conn, MONTH), ""
            seconds.append(round(time.perf_counter() - started, 2))
        rows = conn.execute(
            f"select count(*) from raw.{TICKETS.raw_table} where _report_month = ?", [month_start(MONTH)]
        ).fetchone()[0]
    return {
        "path": path,
        "rows": rows,
        "passed": passed,
        "seconds": seconds,
        "description": description,
        "peak_rss_mb": _status_mb("VmHWM"),
        "rss_before_mb": rss_before,
    }


BREAKAGES = (  # a failing month: counts and examples are computed, for these expectations only
    "update raw.deskpro_tickets set id = (select min(id) from raw.deskpro_tickets) where id = (select max(id) from raw.deskpro_tickets)",
    "update raw.deskpro_tickets set channel = 'telegram' where id in (select id from raw.deskpro_tickets order by id limit 2 offset 10)",
    "update raw.deskpro_tickets set feedback_service = 7 where id = (select id from raw.deskpro_tickets order by id limit 1 offset 20)",
)


def synthetic_month(source: Path, rows: int, scratch: Path, broken: bool = False) -> Path:
    """A scratch warehouse whose 2024-02 tickets month is ``rows`` rows: the source month's rows
    repeated under new ids (still unique), everything else unchanged; ``broken``: with BREAKAGES."""
    target = scratch / f"tickets_{rows}{'_broken' if broken else ''}.duckdb"
    if target.exists():
        return target
    with duckdb.connect(str(target)) as conn:
        conn.execute(f"attach '{source}' as source (read_only)")
        conn.execute("create schema raw")
        table, first_day = TICKETS.raw_table, month_start(MONTH)
        base = conn.execute(
            f"select count(*), max(id) from source.raw.{table} where _report_month = ?", [first_day]
        ).fetchone()
        copies = -(-rows // base[0])
        conn.execute(
            f"create table raw.{table} as select * replace (id + copy * {base[1]} as id) "
            f"from source.raw.{table}, range({copies}) copies(copy) where _report_month = ? limit {rows}",
            [first_day],
        )
        conn.execute("detach source")
        for breakage in BREAKAGES if broken else ():
            conn.execute(breakage)
    return target


def run_measurement(path: str, warehouse: Path, repeat: int) -> dict:
    completed = subprocess.run(
        [sys.executable, __file__, "--measure", path, "--warehouse", str(warehouse), "--repeat", str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--warehouse", type=Path, required=True, help="a demo warehouse (opened read-only)")
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 5_000_000])
    parser.add_argument(
        "--broken-rows",
        type=int,
        nargs="*",
        default=[1_000_000, 5_000_000],
        help="synthetic months that fail the suite (a duplicate id, 2 unknown channels, a feedback of 7)",
    )
    parser.add_argument("--scratch", type=Path, default=None, help="folder for the synthetic warehouses")
    parser.add_argument("--measure", choices=["sql", "pandas"], help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.warehouse, args.repeat)))
        return
    scratch = args.scratch or Path(tempfile.mkdtemp(prefix="gx_sql_vs_pandas_"))
    scratch.mkdir(parents=True, exist_ok=True)
    months = (
        [("demo 2024-02", args.warehouse, 3)]
        + [  # a small month: also the warm time of later sources
            (f"synthetic {rows:,}", synthetic_month(args.warehouse, rows, scratch), 1) for rows in args.rows
        ]
        + [
            (f"synthetic {rows:,}, failing", synthetic_month(args.warehouse, rows, scratch, broken=True), 1)
            for rows in args.broken_rows
        ]
    )
    print("| month | rows | path | passed | seconds (first call, then warm) | peak RSS MB (before validating) |")
    print("|---|---:|---|---|---:|---:|")
    reported = []
    for label, warehouse, repeat in months:
        for path in ("pandas", "sql"):
            m = run_measurement(path, warehouse, repeat)
            if not m["passed"] and m["description"]:
                reported.append(f"- {label}: {m['description']}")
            print(
                f"| {label} | {m['rows']:,} | {path} | {m['passed']} | {' / '.join(map(str, m['seconds']))} | "
                f"{m['peak_rss_mb']} ({m['rss_before_mb']}) |",
                flush=True,
            )
    print("\n".join(["", *reported]) if reported else "")


if __name__ == "__main__":
    main()
