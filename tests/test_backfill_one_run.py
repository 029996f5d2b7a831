"""A backfill of several months is one run: dbt builds once for the range, every month is gated and
published; one bad month blocks the whole range and leaves every earlier publication as it was."""

from __future__ import annotations

import hashlib
import json
import os

import dagster as dg
import pytest
from djpk_runner import copy_of_demo, run_djpk

from dagster_project.partitions import MONTHS_IN_ONE_RUN, RANGE_END_TAG, RANGE_START_TAG

MONTHS = ("2024-01", "2024-02")


def _published_files(data_dir, month):
    folder = data_dir / "published" / month
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir() if path.is_file()}


def _versions(data_dir, month):
    return sorted(path.name for path in (data_dir / "published" / month / "versions").iterdir())


def _runs(data_dir):
    """(run, number of times the dbt step started) for every monthly_report run of the data dir's instance."""
    with dg.DagsterInstance.from_config(str(data_dir / "dagster_home")) as instance:
        runs = instance.get_runs(filters=dg.RunsFilter(job_name="monthly_report"))
        return [
            (
                run,
                sum(
                    1
                    for record in instance.all_logs(run.run_id, of_type=dg.DagsterEventType.STEP_START)
                    if record.step_key == "djpk_dbt_models"
                ),
            )
            for run in runs
        ]


@pytest.fixture
def data_dir(demo_data_dir, tmp_path):
    copied = copy_of_demo(demo_data_dir, tmp_path / "data")
    (copied / "dagster_home").mkdir()
    (copied / "dagster_home" / "dagster.yaml").write_text("")
    return copied


def test_every_monthly_asset_backfills_many_months_in_one_run():
    from dagster_project.definitions import defs
    from dagster_project.partitions import monthly_partitions

    policies = {
        node.key: node.backfill_policy
        for node in defs.resolve_asset_graph().asset_nodes
        if node.partitions_def == monthly_partitions
    }
    assert len(policies) > 20 and set(policies.values()) == {MONTHS_IN_ONE_RUN}


def test_two_months_in_one_run_build_dbt_once_and_publish_both(demo_data_dir):
    """`djpk demo` publishes 2024-01 and 2024-02 as one range run (as few runs as the dependencies allow): its
    run in the demo's own instance built dbt once, and each month's first publication names that run."""
    ranged = [
        (run, dbt_steps)
        for run, dbt_steps in _runs(demo_data_dir)
        if (run.tags.get(RANGE_START_TAG), run.tags.get(RANGE_END_TAG)) == MONTHS
    ]
    assert ranged, "the demo published 2024-01 … 2024-02 in no range run"
    run, dbt_steps = ranged[-1]  # the oldest (newest first): the demo's own, when a reused demo dir holds later ones
    assert run.status == dg.DagsterRunStatus.SUCCESS
    assert dbt_steps == 1
    for month in MONTHS:
        first = json.loads((demo_data_dir / "published" / month / "versions" / "0001" / "manifest.json").read_text())
        assert first["dagster_run_id"] == run.run_id


def test_one_bad_month_blocks_the_whole_range(data_dir):
    folder = data_dir / "landing" / "tickets" / MONTHS[0]
    original = folder / "tickets.csv"
    lines = original.read_text(encoding="utf-8").splitlines(keepends=True)
    row = next(index for index, line in enumerate(lines) if ",DAU," in line)
    lines[row] = lines[row].replace(",DAU,", ",Departemen Baru,", 1)  # an unknown department fails the file
    bad = folder / "tickets (1).csv"
    bad.write_text("".join(lines), encoding="utf-8")
    os.utime(bad, (original.stat().st_mtime + 3600,) * 2)
    before = {month: _published_files(data_dir, month) for month in MONTHS}
    completed = run_djpk("materialize", "--month", MONTHS[0], "--to", MONTHS[1], data_dir=data_dir, check=False)
    assert completed.returncode == 1
    assert "was NOT published" in completed.stderr and "tickets (1).csv" in completed.stderr
    assert {month: _published_files(data_dir, month) for month in MONTHS} == before


def test_a_gate_check_over_a_range_fails_naming_each_failing_month():
    import dagster as dg

    from dagster_project.defs.gate.checks import CheckOutcome, _evaluate

    outcome = {"2024-01": CheckOutcome(True, "fine"), "2024-02": CheckOutcome(False, "3 of 10 rows quarantined")}
    check = lambda conn, month: outcome[month]  # noqa: E731
    key = dg.AssetCheckKey(dg.AssetKey(["raw", "deskpro_tickets"]), "quarantine_within_threshold")

    both = _evaluate(["2024-01", "2024-02"], None, key, check, (), dg.AssetCheckSeverity.ERROR)
    assert not both.passed and both.description == "2024-02: 3 of 10 rows quarantined"
    assert both.metadata["failing_months"].value == "2024-02"
    alone = _evaluate(["2024-01"], None, key, check, (), dg.AssetCheckSeverity.ERROR)
    assert alone.passed and alone.description == "fine"
