"""The sample PPID registers ``ppid_register.csv``: deterministic, consistent request records, and -
recounted from the files with the working-day calendar (holidays + cuti bersama) - the February
2024 report's request counts and the calibrated statuses, extensions and on-time answers.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import holidays
import pytest
from djpk_runner import assert_generated_twice_alike

from dagster_project.lib.contracts import PPID
from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
COLUMNS = PPID.column_names  # the upstream format, as the contract holds it


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("ppid1"), tmp_path_factory.mktemp("ppid2")
    return first, second, generate_samples(first, sources=["ppid"]), generate_samples(second, sources=["ppid"])


def rows(landing: Path, month: str) -> list[dict]:
    with open(landing / "ppid" / month / "ppid_register.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def working_days_after(start: date, end: date) -> int:
    """Working days in (start, end]: Mon-Fri without national holidays and cuti bersama."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        off = holidays.country_holidays("ID", years=[day.year], categories=("public", "government"))
        count += day.weekday() < 5 and day not in off
    return count


def test_files_and_determinism(landing):
    first, second, paths, again = landing
    assert_generated_twice_alike(first, second, paths, MONTHS, COLUMNS)


def test_request_counts_against_the_report(landing):
    first = landing[0]
    assert len(rows(first, "2024-02")) == 12  # [R2402] 12 permohonan
    assert len(rows(first, "2024-01")) == 17  # [R2402] bulan sebelumnya (17 permohonan)
    assert len(rows(first, "2023-02")) == 12  # [R2402] Februari 2023 (12 permohonan)
    numbers = [r["nomor_registrasi"] for r in rows(first, "2024-01") + rows(first, "2024-02")]
    assert [int(n.split("/")[0]) for n in numbers] == list(range(1, 30))  # the year's numbering runs on


@pytest.mark.parametrize("month", MONTHS)
def test_statuses_extensions_and_on_time(landing, month):
    cal = load_calibration("ppid.yaml")["months"][month]
    requests = rows(landing[0], month)
    statuses = {
        s: sum(r["status"] == s for r in requests) for s in ("diproses", "dikabulkan", "dikabulkan_sebagian", "ditolak")
    }
    assert {s: n for s, n in statuses.items() if n} == cal["status"]
    assert sum(r["perpanjangan"] == "1" for r in requests) == cal["extended"]
    assert sum(r["keberatan"] == "1" for r in requests) == cal["objections"]
    late = 0
    for r in requests:
        asked = date.fromisoformat(r["tanggal_permohonan"])
        assert asked.strftime("%Y-%m") == month
        assert r["kategori_pemohon"] in {"perorangan", "badan_hukum", "kelompok_orang"}
        assert r["saluran"] in {"website", "email", "surat", "datang_langsung"}
        assert (r["status"] == "diproses") == (r["tanggal_tanggapan"] == "")
        assert bool(r["alasan_penolakan"]) == (r["status"] == "ditolak")
        if r["tanggal_tanggapan"]:
            answered = date.fromisoformat(r["tanggal_tanggapan"])
            assert answered > asked
            deadline = 17 if r["perpanjangan"] == "1" else 10
            late += working_days_after(asked, answered) > deadline
    assert late == cal["late"]
