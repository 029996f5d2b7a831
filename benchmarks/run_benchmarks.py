"""How the pipeline's cost grows with the data: one report month at scale factors, against DuckDB's floor.

    .venv/bin/python benchmarks/run_benchmarks.py [--scales 1,100,1000,10000] [--month 2024-02]
                                                  [--work-dir benchmarks/work] [--no-demo] [--keep]

For each scale factor: the bundled sample exports are generated, the month's contact exports scaled
(``scale_samples``), then ``djpk materialize --month`` runs in a fresh data dir (the same command as
production: ingest → dbt build → checks → publish with the report) while the memory of its process tree is
sampled. The run's step timings split the wall time into stages; ``other`` is process start, loading
the definitions, replaying the recorded daily snapshots and Dagster's run bookkeeping. The floor
(``duckdb_floor``) is one DuckDB process computing the headline aggregates from the same raw files; the row
tables' floor (``row_table_floor``) one reading each contact export into a table and copying it twice, the least a
pipeline with raw, staging and mart tables of every row writes.
Then ``djpk demo`` (every sample month) in a fresh data dir, and the month re-run on the demo's warehouse
as it is and with its raw history padded to 60 months (``pad_history``): a month's cost should not grow
with the months already loaded.

Prints a table and writes it as CSV (``benchmarks/results.csv``), then issue 12's targets, each met or not
(``targets``). Work dirs are deleted after each scale unless ``--keep``; ×10,000 needs about 15 GB free disk.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

from benchmarks.process_memory import Measured, run_measured  # noqa: E402
from benchmarks.targets import evaluate, format_targets  # noqa: E402

STAGES = ("ingest", "dbt", "checks", "publish")
MB = 1024 * 1024


def _env(data_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("DAGSTER_HOME", "DJPK_DATA_DIR")}
    env["DJPK_DATA_DIR"] = str(data_dir)
    env["DJPK_API_MODE"] = (
        "recorded"  # replay the recordings on purpose (bench_scale marks its data dirs as sample data)
    )
    return env


def _djpk(*args: str) -> list[str]:
    return [sys.executable, "-m", "dagster_project.cli", *args]


def _require_success(measured: Measured, what: str, log: Path) -> None:
    if measured.returncode != 0:
        tail = log.read_text(errors="replace")[-4000:]
        raise SystemExit(f"benchmark: {what} failed (exit {measured.returncode}); log {log}:\n{tail}")


def stage_figures(measured: Measured, timings: list[dict]) -> dict[str, float]:
    """Seconds and peak MB per stage, from the run's steps (they run one after the other, in process)."""
    figures: dict[str, float] = {}
    for stage in STAGES:
        steps = [step for step in timings if step["kind"] == stage and step["end"] is not None]
        figures[f"{stage}_s"] = sum(step["end"] - step["start"] for step in steps)
        figures[f"{stage}_mb"] = (
            max((measured.peak_between(step["start"], step["end"]) for step in steps), default=0) / MB
        )
    figures["other_s"] = measured.seconds - sum(figures[f"{stage}_s"] for stage in STAGES)
    return figures


def _floor(module: str, what: str, data_dir: Path, month: str, scale: int) -> Measured:
    """One floor script of ``benchmarks/`` (``python -m benchmarks.<module>``) on the data dir's landed month."""
    log = data_dir / f"{module}.log"
    measured = run_measured(
        [sys.executable, "-m", f"benchmarks.{module}", "--landing", str(data_dir / "landing"), "--month", month],
        log=log,
        cwd=REPO_ROOT,
    )
    _require_success(measured, f"{what} at ×{scale}", log)
    return measured


def bench_scale(base_landing: Path, work: Path, month: str, scale: int) -> dict:
    from benchmarks.scale_samples import scale_month
    from dagster_project.demo_mode import mark_demo_data_dir

    data_dir = work / f"x{scale}"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(base_landing, data_dir / "landing")
    mark_demo_data_dir(data_dir)  # scaled sample exports and recorded API responses: the demo's kind of data dir
    started = time.time()
    rows = scale_month(data_dir / "landing", month, scale)
    scaled_s = time.time() - started
    print(f"benchmark: ×{scale:,}: exports scaled in {scaled_s:.1f} s; materializing {month}…", flush=True)

    log, timings_file = data_dir / "materialize.log", data_dir / "timings.json"
    run = run_measured(
        _djpk("materialize", "--month", month, "--data-dir", str(data_dir), "--timings", str(timings_file)),
        log=log,
        env=_env(data_dir),
        cwd=REPO_ROOT,
    )
    _require_success(run, f"djpk materialize --month {month} at ×{scale}", log)
    floor = _floor("duckdb_floor", "the DuckDB floor", data_dir, month, scale)
    row_tables = _floor("row_table_floor", "the row tables' floor", data_dir, month, scale)
    tickets = _published_tickets(data_dir, month)
    return {
        "kind": "scale",
        "scale": scale,
        "events": monthly_run_events(data_dir),
        "case": f"{month} ×{scale:,}",
        "tickets": tickets,
        "contact_rows": sum(rows.values()),
        **stage_figures(run, json.loads(timings_file.read_text())),
        "month_s": run.seconds,
        "month_mb": run.peak_bytes / MB,
        "floor_s": floor.seconds,
        "floor_mb": floor.peak_bytes / MB,
        "ratio": run.seconds / floor.seconds,
        "row_tables_s": row_tables.seconds,
        "row_tables_ratio": row_tables.seconds / floor.seconds,
    }


def monthly_run_events(data_dir: Path) -> int:
    """Events Dagster stored for the latest monthly run in the data dir's instance (each costs a write)."""
    from dagster import DagsterInstance, RunsFilter

    with DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        runs = instance.get_runs(filters=RunsFilter(job_name="monthly_report"), limit=1)
        return len(instance.all_logs(runs[0].run_id)) if runs else 0


def _published_tickets(data_dir: Path, month: str) -> int:
    import duckdb

    parquet = data_dir / "published" / month / "report_metrics.parquet"
    found = duckdb.sql(
        f"select value from '{parquet}' where metric = 'tickets_total' and coalesce(dimension, '') = ''"
    ).fetchall()
    return int(found[0][0]) if found else 0


def bench_demo(work: Path) -> dict:
    data_dir = work / "demo"
    shutil.rmtree(data_dir, ignore_errors=True)
    log = work / "demo.log"
    print("benchmark: djpk demo (every sample month)…", flush=True)
    run = run_measured(_djpk("demo", "--data-dir", str(data_dir)), log=log, env=_env(data_dir), cwd=REPO_ROOT)
    _require_success(run, "djpk demo", log)
    return {
        "kind": "demo",
        "case": "djpk demo (all sample months)",
        "month_s": run.seconds,
        "month_mb": run.peak_bytes / MB,
    }


def _loaded_months(data_dir: Path) -> int:
    import duckdb

    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute("select count(distinct _report_month) from raw.deskpro_tickets").fetchone()[0]


def bench_history(demo_dir: Path, work: Path, month: str) -> list[dict]:
    """The same month re-run on the demo's warehouse as it is, and with history padded to 60 months
    (``pad_history``). The first run builds whatever the padding changed; the second is measured."""
    from benchmarks.pad_history import pad_history

    rows = []
    for padded in (False, True):
        data_dir = work / ("history-60" if padded else "history-6")
        shutil.rmtree(data_dir, ignore_errors=True)
        shutil.copytree(demo_dir, data_dir, symlinks=True, ignore=shutil.ignore_patterns("dagster_home"))
        if padded:
            pad_history(data_dir / "warehouse.duckdb", month, "2019-01", "2023-12")
        log, timings_file = data_dir / "materialize.log", data_dir / "timings.json"
        for attempt in ("first", "measured"):
            print(f"benchmark: {month} with {_loaded_months(data_dir)} months loaded ({attempt} run)…", flush=True)
            run = run_measured(
                _djpk("materialize", "--month", month, "--data-dir", str(data_dir), "--timings", str(timings_file)),
                log=log,
                env=_env(data_dir),
                cwd=REPO_ROOT,
            )
            _require_success(run, f"djpk materialize --month {month} (history)", log)
        loaded = _loaded_months(data_dir)
        rows.append(
            {
                "kind": "history",
                "loaded_months": loaded,
                "case": f"{month} re-run, {loaded} months loaded",
                **stage_figures(run, json.loads(timings_file.read_text())),
                "month_s": run.seconds,
                "month_mb": run.peak_bytes / MB,
                "events": monthly_run_events(data_dir),
            }
        )
        shutil.rmtree(data_dir, ignore_errors=True)
    return rows


COLUMNS = [
    ("case", "case", "{}"),
    ("tickets", "tickets", "{:,}"),
    ("contact_rows", "contact rows", "{:,}"),
    ("ingest_s", "ingest s", "{:.1f}"),
    ("ingest_mb", "MB", "{:.0f}"),
    ("dbt_s", "dbt s", "{:.1f}"),
    ("dbt_mb", "MB", "{:.0f}"),
    ("checks_s", "checks s", "{:.1f}"),
    ("checks_mb", "MB", "{:.0f}"),
    ("publish_s", "publish s", "{:.1f}"),
    ("publish_mb", "MB", "{:.0f}"),
    ("other_s", "other s", "{:.1f}"),
    ("month_s", "month s", "{:.1f}"),
    ("month_mb", "peak MB", "{:.0f}"),
    ("floor_s", "floor s", "{:.1f}"),
    ("floor_mb", "MB", "{:.0f}"),
    ("ratio", "÷ floor", "{:.1f}×"),
    ("row_tables_s", "row tables s", "{:.1f}"),
    ("row_tables_ratio", "÷ floor", "{:.1f}×"),
    ("events", "events", "{:,}"),
]


def format_table(rows: list[dict]) -> str:
    cells = [[title for _, title, _ in COLUMNS]]
    for row in rows:
        cells.append([fmt.format(row[key]) if row.get(key) is not None else "" for key, _, fmt in COLUMNS])
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = [
        "| "
        + " | ".join(
            cell.ljust(width) if i == 0 else cell.rjust(width) for i, (cell, width) in enumerate(zip(line, widths))
        )
        + " |"
        for line in cells
    ]
    lines.insert(1, "|" + "|".join("-" * (width + 2) for width in widths) + "|")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100,1000,10000", help="comma-separated scale factors")
    parser.add_argument("--month", default="2024-02")
    parser.add_argument("--work-dir", type=Path, default=REPO_ROOT / "benchmarks" / "work")
    parser.add_argument("--csv", type=Path, default=REPO_ROOT / "benchmarks" / "results.csv")
    parser.add_argument("--no-demo", action="store_true", help="skip timing `djpk demo`")
    parser.add_argument("--keep", action="store_true", help="keep each scale's data dir")
    args = parser.parse_args(argv)
    scales = [int(part.replace("_", "")) for part in args.scales.split(",") if part]
    work = args.work_dir.resolve()
    work.mkdir(parents=True, exist_ok=True)

    # Set-up, not a month's cost: parse the dbt project when its manifest is missing or stale (a fresh clone), as a
    # deployment does once (`djpk prepare`); otherwise the first measured month would pay for it.
    print("benchmark: preparing the dbt project (djpk prepare)…", flush=True)
    prepared = run_measured(_djpk("prepare"), log=work / "prepare.log", cwd=REPO_ROOT)
    _require_success(prepared, "djpk prepare", work / "prepare.log")

    base = work / "base"
    shutil.rmtree(base, ignore_errors=True)
    print("benchmark: generating the sample exports…", flush=True)
    generated = run_measured(
        _djpk("generate-samples", "--data-dir", str(base)), log=work / "generate.log", env=_env(base), cwd=REPO_ROOT
    )
    _require_success(generated, "djpk generate-samples", work / "generate.log")

    rows = []
    for scale in scales:
        try:
            rows.append(bench_scale(base / "landing", work, args.month, scale))
        except SystemExit as failure:  # a scale that fails is reported in the table; the others still run
            print(failure, file=sys.stderr, flush=True)
            rows.append(
                {"kind": "scale", "scale": scale, "case": f"{args.month} ×{scale:,} FAILED (see {work / f'x{scale}'})"}
            )
            continue
        if not args.keep:
            shutil.rmtree(work / f"x{scale}", ignore_errors=True)
        print(format_table(rows[-1:]), flush=True)
    if not args.no_demo:
        rows.append(bench_demo(work))
        rows.extend(bench_history(work / "demo", work, args.month))
        if not args.keep:
            shutil.rmtree(work / "demo", ignore_errors=True)

    print()
    print(format_table(rows))
    args.csv.parent.mkdir(parents=True, exist_ok=True)
    with open(args.csv, "w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[key for key, _, _ in COLUMNS])
        writer.writeheader()
        writer.writerows(
            {key: round(row[key], 1) if isinstance(row.get(key), float) else row.get(key) for key, _, _ in COLUMNS}
            for row in rows
        )
    print(f"\nbenchmark: written {args.csv}")
    print()
    print(format_targets(evaluate(rows)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
