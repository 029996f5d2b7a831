"""The sample Avaya CMS exports ``calls.csv``: the CMS format (``;``, Windows-1252, CRLF,
``DD/MM/YYYY HH:MM:SS``), deterministic bytes, and - recounted from the files - the January 2020
report's phone-line figures. Expected report numbers are written here literally.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
COLUMNS = [
    "CallID",
    "Segment Start",
    "ANI",
    "VDN",
    "Split/Skill",
    "Disposition",
    "Queue Time",
    "Talk Time",
    "ACW Time",
    "Agent",
    "Queued",
]


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("calls1"), tmp_path_factory.mktemp("calls2")
    paths = generate_samples(first, sources=["calls", "tickets"])
    again = generate_samples(second, sources=["calls"])
    return first, second, paths, again


def raw(landing: Path, month: str) -> bytes:
    return (landing / "calls" / month / "calls.csv").read_bytes()


def rows(landing: Path, month: str) -> list[dict]:
    text = raw(landing, month).decode("cp1252")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def tickets(landing: Path, month: str) -> list[dict]:
    with open(landing / "tickets" / month / "tickets.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def figures(calls: list[dict]) -> dict:
    answered = [c for c in calls if c["Disposition"] == "ANSWERED"]
    abandoned = [c for c in calls if c["Disposition"] == "ABANDONED"]
    offered = len(answered) + len(abandoned)
    within = [c for c in answered if int(c["Queue Time"]) <= 10]
    queued = [c for c in calls if c["Queued"] == "Y"]
    return {
        "offered": offered,
        "answered": len(answered),
        "abandoned": len(abandoned),
        "busy": sum(c["Disposition"] == "BUSY" for c in calls),
        "service_level_pct": round(100 * len(within) / offered, 2),
        "abandoned_pct": round(100 * len(abandoned) / offered, 2),
        "queued": len(queued),
        "queued_answered": sum(c["Disposition"] == "ANSWERED" for c in queued),
        "queue_days": sorted({int(c["Segment Start"][:2]) for c in queued}),
        "asa": round(sum(int(c["Queue Time"]) for c in answered) / len(answered), 2),
    }


def test_files_months_and_determinism(landing):
    first, second, paths, again = landing
    calls_paths = [p for p in paths if p.parts[-3] == "calls"]
    assert sorted(p.parent.name for p in calls_paths) == MONTHS
    assert [p.relative_to(first) for p in calls_paths] == [p.relative_to(second) for p in again]
    for path in again:
        assert path.read_bytes() == (first / path.relative_to(second)).read_bytes()


@pytest.mark.parametrize("month", MONTHS)
def test_cms_format(landing, month):
    data = raw(landing[0], month)
    assert data.count(b"\r\n") == data.count(b"\n") and data.endswith(b"\r\n")  # CRLF only
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # the en dash of the VDN names is Windows-1252 0x96
    assert "–" in data.decode("cp1252")
    header = data.decode("cp1252").split("\r\n", 1)[0]
    assert header.split(";") == COLUMNS
    calls = rows(landing[0], month)
    assert len({c["CallID"] for c in calls}) == len(calls)
    for call in calls:
        assert re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", call["Segment Start"])
        start = datetime.strptime(call["Segment Start"], "%d/%m/%Y %H:%M:%S")
        assert start.strftime("%Y-%m") == month
        answered = call["Disposition"] == "ANSWERED"
        assert call["Disposition"] in {"ANSWERED", "ABANDONED", "BUSY"}
        assert (int(call["Talk Time"]) > 0) == answered
        assert bool(call["Agent"]) == answered
        assert call["Queued"] in {"Y", "N"}
        if call["Disposition"] == "BUSY":
            assert call["Queued"] == "N" and call["Queue Time"] == "0"


def test_january_2020_service_level_abandon_and_queue_calls(landing):
    got = figures(rows(landing[0], "2020-01"))
    assert got["service_level_pct"] == 97.00  # [R2001] SLA 97 %
    assert got["abandoned_pct"] == 3.00  # [R2001] 3 % abandon call
    assert got["queued"] == 17 and got["queued_answered"] == 5  # [R2001] terjawab 5 dari 17 queue call
    assert got["queue_days"] == [1, 20, 21, 31]  # [R2001] tanggal 1, 20, 21 dan 31 Januari
    assert got["busy"] > 0


def test_january_2019_queue_calls(landing):
    got = figures(rows(landing[0], "2019-01"))
    assert got["queued"] == 79 and got["queued_answered"] == 41  # [R2001] 41 dari 79 queue call


@pytest.mark.parametrize("month", MONTHS)
def test_calibrated_figures_and_phone_tickets(landing, month):
    cal = load_calibration("calls.yaml")["months"][month]
    got = figures(rows(landing[0], month))
    assert got["answered"] == cal["answered"] and got["abandoned"] == cal["abandoned"] and got["busy"] == cal["busy"]
    within = round(100 * cal["answered_within_10s"] / (cal["answered"] + cal["abandoned"]), 2)
    assert got["service_level_pct"] == within
    assert got["queued_answered"] == cal["queued_answered"]
    phone = [t for t in tickets(landing[0], month) if t["channel"] == "phone"]
    assert got["answered"] >= len(phone)
    # every phone ticket is an answered call from the ticket's number
    answered_anis = Counter(c["ANI"] for c in rows(landing[0], month) if c["Disposition"] == "ANSWERED")
    national = Counter(
        re.sub(r"\D", "", t["person_phone"]).replace("62", "0", 1)
        if re.sub(r"\D", "", t["person_phone"]).startswith("62")
        else re.sub(r"\D", "", t["person_phone"])
        for t in phone
    )
    for number, n in national.items():
        assert answered_anis[number] >= n
    assert 0 < got["asa"] < 30
