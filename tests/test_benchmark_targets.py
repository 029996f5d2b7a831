"""The benchmark's verdict on issue 12's targets (benchmarks/targets.py), on made-up rows."""

from __future__ import annotations

from benchmarks.targets import evaluate, format_targets


def _rows(month_s=26.0, demo_s=100.0, ratio=7.0, peak_mib=1300.0, events=398, many_s=27.0):
    return [
        {"kind": "scale", "scale": 1, "case": "×1", "month_s": month_s, "events": events},
        {
            "kind": "scale",
            "scale": 10_000,
            "case": "×10,000",
            "month_s": 181.0,
            "month_mb": peak_mib,
            "floor_s": 181.0 / ratio,
            "ratio": ratio,
            "events": events,
        },
        {"kind": "demo", "case": "demo", "month_s": demo_s},
        {"kind": "history", "loaded_months": 14, "case": "14", "month_s": 26.0, "events": 389},
        {"kind": "history", "loaded_months": 62, "case": "62", "month_s": many_s, "events": 389},
    ]


def _verdicts(rows) -> dict[str, bool | None]:
    return {result.target: result.met for result in evaluate(rows)}


def test_every_target_met_when_every_figure_is_within_it():
    verdicts = _verdicts(_rows())
    assert [met for target, met in verdicts.items() if not target.startswith("CI")] == [True] * 6
    assert verdicts["CI from a fresh clone ≤ 12 min"] is None  # the benchmark does not measure CI


def test_each_target_fails_on_its_own_figure():
    assert not _verdicts(_rows(month_s=30.5))["one real-volume month ≤ 30 s"]
    assert not _verdicts(_rows(many_s=29.0))["62 months loaded vs 14: within 10%"]  # +11.5 %
    assert not _verdicts(_rows(demo_s=121.0))["djpk demo ≤ 120 s"]
    assert not _verdicts(_rows(ratio=8.1))["10 M tickets ≤ 8× the DuckDB floor"]
    # 1.5 GB read as decimal gigabytes: 1,431 MiB is over it
    assert not _verdicts(_rows(peak_mib=1431.0))["10 M tickets, peak memory ≤ 1.5 GB"]
    assert _verdicts(_rows(peak_mib=1430.0))["10 M tickets, peak memory ≤ 1.5 GB"]
    assert not _verdicts(_rows(events=401))["events of a single-month run ≤ 400"]


def test_a_case_not_run_is_never_reported_as_met():
    rows = [row for row in _rows() if row["kind"] == "scale" and row["scale"] == 1]
    verdicts = _verdicts(rows)
    assert verdicts["djpk demo ≤ 120 s"] is None
    assert verdicts["10 M tickets, peak memory ≤ 1.5 GB"] is None
    assert "not run" in format_targets(evaluate(rows))
