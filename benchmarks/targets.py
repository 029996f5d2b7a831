"""Issue 12's targets, checked against the rows of one benchmark run (``run_benchmarks.py`` prints them last).

A row is a dict as ``run_benchmarks`` builds it; ``kind`` says which case it is (``scale`` with its ``scale``
factor, ``demo``, ``history`` with its ``loaded_months``). A target whose case was not run (``--scales`` without
10000, ``--no-demo``) is reported as not run, never as met.
"""

from __future__ import annotations

from dataclasses import dataclass

MONTH_SECONDS = 30.0
"""One real-volume month (×1), report included: a first run in a fresh data dir and the re-runs."""
HISTORY_GROWTH = 0.10
"""A month with 60 months loaded against the same month with 6 (the demo's history): within 10 %."""
DEMO_SECONDS = 120.0
FLOOR_RATIO = 8.0
"""10 M tickets (×10,000): the whole month against DuckDB's floor."""
TEN_MILLION_SCALE = 10_000
PEAK_BYTES = 1.5e9
"""10 M tickets: the process tree's peak memory, 1.5 GB (decimal: 1,430.5 MiB, the stricter reading)."""
EVENTS = 400
"""Events Dagster stores for a single-month run."""
MIB = 1024 * 1024


@dataclass(frozen=True)
class TargetResult:
    target: str
    measured: str
    met: bool | None
    """``None``: its case was not run."""


def _scale(rows: list[dict], factor: int) -> dict | None:
    return next((row for row in rows if row.get("kind") == "scale" and row.get("scale") == factor), None)


def evaluate(rows: list[dict]) -> list[TargetResult]:
    months = [row for row in rows if row.get("month_s") is not None]
    small = [
        row for row in months if (row.get("kind") == "scale" and row.get("scale") == 1) or row.get("kind") == "history"
    ]
    history = sorted((row for row in months if row.get("kind") == "history"), key=lambda row: row["loaded_months"])
    demo = next((row for row in months if row.get("kind") == "demo"), None)
    ten_million = _scale(months, TEN_MILLION_SCALE)
    monthly = [row for row in months if row.get("kind") in ("scale", "history") and row.get("events") is not None]
    results = []

    if small:
        slowest = max(small, key=lambda row: row["month_s"])
        measured = ", ".join(f"{row['month_s']:.1f} s ({row['case']})" for row in small)
        results.append(
            TargetResult(
                f"one real-volume month ≤ {MONTH_SECONDS:.0f} s", measured, slowest["month_s"] <= MONTH_SECONDS
            )
        )
    else:
        results.append(
            TargetResult(f"one real-volume month ≤ {MONTH_SECONDS:.0f} s", "not run (--scales without 1)", None)
        )

    if len(history) >= 2:
        few, many = history[0], history[-1]
        growth = many["month_s"] / few["month_s"] - 1
        results.append(
            TargetResult(
                f"{many['loaded_months']} months loaded vs {few['loaded_months']}: within {HISTORY_GROWTH:.0%}",
                f"{many['month_s']:.1f} s vs {few['month_s']:.1f} s ({growth:+.1%})",
                abs(growth) <= HISTORY_GROWTH,
            )
        )
    else:
        results.append(TargetResult(f"60 months loaded vs 6: within {HISTORY_GROWTH:.0%}", "not run (--no-demo)", None))

    if demo is not None:
        results.append(
            TargetResult(
                f"djpk demo ≤ {DEMO_SECONDS:.0f} s", f"{demo['month_s']:.1f} s", demo["month_s"] <= DEMO_SECONDS
            )
        )
    else:
        results.append(TargetResult(f"djpk demo ≤ {DEMO_SECONDS:.0f} s", "not run (--no-demo)", None))

    if ten_million is not None and ten_million.get("ratio") is not None:
        results.append(
            TargetResult(
                f"10 M tickets ≤ {FLOOR_RATIO:.0f}× the DuckDB floor",
                f"{ten_million['ratio']:.1f}× ({ten_million['month_s']:.1f} s, floor {ten_million['floor_s']:.1f} s)",
                ten_million["ratio"] <= FLOOR_RATIO,
            )
        )
        peak = ten_million["month_mb"] * MIB
        results.append(
            TargetResult(
                "10 M tickets, peak memory ≤ 1.5 GB",
                f"{peak / 1e9:.2f} GB ({ten_million['month_mb']:,.0f} MiB)",
                peak <= PEAK_BYTES,
            )
        )
    else:
        for target in (f"10 M tickets ≤ {FLOOR_RATIO:.0f}× the DuckDB floor", "10 M tickets, peak memory ≤ 1.5 GB"):
            results.append(TargetResult(target, f"not run (--scales without {TEN_MILLION_SCALE})", None))

    if monthly:
        most = max(row["events"] for row in monthly)
        results.append(
            TargetResult(f"events of a single-month run ≤ {EVENTS}", f"at most {int(most):,}", most <= EVENTS)
        )
    else:
        results.append(TargetResult(f"events of a single-month run ≤ {EVENTS}", "not run", None))

    results.append(
        TargetResult("CI from a fresh clone ≤ 12 min", "not measured here: `.ci/run` on a fresh clone", None)
    )
    return results


def format_targets(results: list[TargetResult]) -> str:
    mark = {True: "met", False: "NOT met", None: "-"}
    lines = ["Targets (issue 12):"]
    width = max(len(result.target) for result in results)
    for result in results:
        lines.append(f"  {mark[result.met]:7}  {result.target.ljust(width)}  {result.measured}")
    return "\n".join(lines)
