"""The sample employee-advocacy exports (activations and the month-end accounts snapshot):
deterministic, snapshots that agree with each other, and - recounted from the files, with the
target row of the registers workbook - the February 2024 report's Employee Advocacy figures.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

MONTHS = ["2023-02", "2024-01", "2024-02"]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("adv1"), tmp_path_factory.mktemp("adv2")
    paths = generate_samples(first, months=MONTHS, sources=["advocacy", "registers"])
    again = generate_samples(second, sources=["advocacy"])
    return first, second, paths, again


def read(landing: Path, month: str, name: str) -> list[dict]:
    with open(landing / "advocacy" / month / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def wib(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")


def test_files_and_determinism(landing):
    first, second, paths, again = landing
    advocacy = [p for p in paths if p.parts[-3] == "advocacy"]
    assert sorted((p.parent.name, p.name) for p in advocacy) == sorted(
        (m, f) for m in MONTHS for f in ("advocacy_activations.csv", "advocacy_accounts.csv")
    )
    assert [p.relative_to(first) for p in advocacy] == [p.relative_to(second) for p in again]
    for path in again:
        assert path.read_bytes() == (first / path.relative_to(second)).read_bytes()


def test_february_2024_against_the_report(landing):
    activations = read(landing[0], "2024-02", "advocacy_activations.csv")
    accounts = read(landing[0], "2024-02", "advocacy_accounts.csv")
    employees = len({a["employee_id"] for a in activations})
    assert employees == 13559  # [R2402] Jumlah Pegawai 13,559
    assert len(activations) == 14316  # [R2402] Jumlah Aktivasi 14,316
    assert Counter(a["activation_type"] for a in activations) == {
        "konten_tersedia": 2245,
        "like_comment_share": 11954,
        "kreasi_mandiri": 117,
    }
    assert len(accounts) == 14887  # [R2402] Jumlah Medsos 14,887
    assert Counter(a["platform"] for a in accounts) == {
        "instagram": 9721,
        "x": 1656,
        "facebook": 1677,
        "whatsapp": 1271,
        "linkedin": 491,
        "youtube": 37,
        "tiktok": 34,
    }
    wb = load_workbook(landing[0] / "registers" / "2024-02" / "registers.xlsx", read_only=True)
    ((period, target, staff),) = [row for row in wb["Target Advokasi"].iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert period == "2024-Q1"
    assert round(100 * employees / int(target), 2) == 137.84  # [R2402] Persentase Target
    assert round(100 * employees / int(staff), 2) == 17.91  # [R2402] Persentase Pegawai


@pytest.mark.parametrize("month", MONTHS)
def test_calibrated_months_and_consistency(landing, month):
    cal = load_calibration("advocacy.yaml")
    activations = read(landing[0], month, "advocacy_activations.csv")
    accounts = read(landing[0], month, "advocacy_accounts.csv")
    assert len({a["employee_id"] for a in activations}) == cal["months"][month]["employees"]
    assert Counter(a["activation_type"] for a in activations) == cal["months"][month]["activations"]
    assert Counter(a["platform"] for a in accounts) == cal["snapshots"][month]["platforms"]
    assert len({a["employee_id"] for a in accounts}) == cal["snapshots"][month]["holders"]
    assert len({(a["employee_id"], a["platform"]) for a in accounts}) == len(accounts)
    assert len({a["activation_id"] for a in activations}) == len(activations)
    first_registered = {}
    for a in accounts:
        when = wib(a["registered_at"])
        assert when.strftime("%Y-%m") <= month  # none after the month's end
        first_registered[a["employee_id"]] = min(when, first_registered.get(a["employee_id"], when))
    for a in activations:
        when = wib(a["activated_at"])
        assert when.strftime("%Y-%m") == month
        assert first_registered[a["employee_id"]] <= when  # only account holders, after registering


def test_snapshots_grow(landing):
    snapshots = [{tuple(r.values()) for r in read(landing[0], m, "advocacy_accounts.csv")} for m in MONTHS]
    assert snapshots[0] < snapshots[1] < snapshots[2]
