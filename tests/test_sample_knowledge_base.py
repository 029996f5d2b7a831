"""The sample knowledge-base review lists ``faq_review.csv``: deterministic month-end snapshots of
one review history, with the calibrated number of entries needing review per unit.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from djpk_runner import assert_generated_twice_alike

from dagster_project.lib.contracts import FAQ_REVIEW
from dagster_project.lib.months import month_bounds
from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

MONTHS = ["2023-02", "2024-01", "2024-02"]
COLUMNS = FAQ_REVIEW.column_names  # the upstream format, as the contract holds it


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("kb1"), tmp_path_factory.mktemp("kb2")
    return (
        first,
        second,
        generate_samples(first, sources=["knowledge_base"]),
        generate_samples(second, sources=["knowledge_base"]),
    )


def rows(landing: Path, month: str) -> list[dict]:
    with open(landing / "knowledge_base" / month / "faq_review.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_files_and_determinism(landing):
    first, second, paths, again = landing
    assert_generated_twice_alike(first, second, paths, MONTHS, COLUMNS)  # from 2023-01 on only


@pytest.mark.parametrize("month", MONTHS)
def test_needing_review_by_unit(landing, month):
    expected = {
        u: n for u, n in load_calibration("knowledge_base.yaml")["snapshots"][month]["perlu_review"].items() if n
    }
    snapshot = rows(landing[0], month)
    assert Counter(r["unit"] for r in snapshot if r["status"] == "perlu_review") == expected
    _, end = month_bounds(month)
    assert len({r["faq_id"] for r in snapshot}) == len(snapshot)
    for r in snapshot:
        flagged = date.fromisoformat(r["flagged_at"])
        assert flagged < end
        assert r["status"] in {"perlu_review", "sudah_review"}
        assert (r["status"] == "sudah_review") == bool(r["reviewed_at"])
        if r["reviewed_at"]:
            assert flagged < date.fromisoformat(r["reviewed_at"]) < end


def test_some_unit_has_everything_reviewed_in_february_2024(landing):
    units = {r["unit"] for r in rows(landing[0], "2024-02")}
    pending = {r["unit"] for r in rows(landing[0], "2024-02") if r["status"] == "perlu_review"}
    assert units - pending  # "Status 0": reviewed completely


def test_snapshots_agree(landing):
    earlier = {r["faq_id"]: r for r in rows(landing[0], "2024-01")}
    for r in rows(landing[0], "2024-02"):
        if r["faq_id"] in earlier:
            before = earlier[r["faq_id"]]
            assert (before["unit"], before["question"], before["flagged_at"]) == (
                r["unit"],
                r["question"],
                r["flagged_at"],
            )
            if before["status"] == "sudah_review":
                assert r["reviewed_at"] == before["reviewed_at"]
