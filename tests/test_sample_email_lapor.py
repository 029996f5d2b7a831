"""The sample exports of the mailbox lapor.djpk ``email_lapor.csv``: deterministic, offsets and
forwarded duplicates as received, and - recounted from the files - the February 2024 report's
e-mail figures (distinct Message-IDs). Expected report numbers are written here literally.
"""

from __future__ import annotations

import csv
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from djpk_runner import assert_generated_twice_alike

from dagster_project.lib.contracts import EMAIL_LAPOR
from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
COLUMNS = EMAIL_LAPOR.column_names  # the upstream format, as the contract holds it
CATEGORIES = {
    "Insentif Fiskal",
    "Pinjaman Daerah",
    "Dana Desa",
    "Hibah Daerah",
    "APBD",
    "DNKD",
    "DAU",
    "DAK",
    "DBH",
    "Lainnya",
}
WIB = timezone(timedelta(hours=7))


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("lapor1"), tmp_path_factory.mktemp("lapor2")
    return (
        first,
        second,
        generate_samples(first, sources=["email_lapor"]),
        generate_samples(second, sources=["email_lapor"]),
    )


def rows(landing: Path, month: str) -> list[dict]:
    with open(landing / "email_lapor" / month / "email_lapor.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def distinct(copies: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for row in copies:
        out.setdefault(row["message_id"], row)
    return out


def test_files_and_determinism(landing):
    first, second, paths, again = landing
    assert_generated_twice_alike(first, second, paths, MONTHS, COLUMNS)


def test_distinct_mails_against_the_report(landing):
    first = landing[0]
    assert len(distinct(rows(first, "2024-02"))) == 432  # [R2402] Total Email: 432
    assert len(distinct(rows(first, "2024-01"))) == 198  # [R2402] bulan sebelumnya (198 email)
    assert len(distinct(rows(first, "2023-02"))) == 673  # [R2402] Februari 2023 (673 email)
    by_category = Counter(r["category"] for r in distinct(rows(first, "2024-02")).values())
    assert set(by_category) == {
        "Insentif Fiskal",
        "Pinjaman Daerah",
        "Dana Desa",
        "Hibah Daerah",
        "APBD",
        "DNKD",
        "DAU",
    }  # [R2402] chart


@pytest.mark.parametrize("month", MONTHS)
def test_duplicates_offsets_and_month_window(landing, month):
    cal = load_calibration("email_lapor.yaml")["months"][month]
    copies = rows(landing[0], month)
    messages = distinct(copies)
    assert len(messages) == cal["distinct"]
    assert Counter(r["category"] for r in messages.values()) == cal["categories"]
    extra = len(copies) - len(messages)
    assert extra == cal["duplicates"] and 0.03 <= extra / len(messages) <= 0.06
    for row in copies:  # a forwarded copy repeats the whole message
        original = messages[row["message_id"]]
        assert (row["category"], row["subject"], row["from_address"]) == (
            original["category"],
            original["subject"],
            original["from_address"],
        )
        assert row["category"] in CATEGORIES and int(row["attachment_count"]) >= 0
    offsets = Counter()
    for row in copies:
        text = row["received_at"]
        offsets[text[19:]] += 1
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
        assert stamp.utcoffset() is not None
        assert stamp.astimezone(WIB).strftime("%Y-%m") == month  # inside the month on the WIB clock
    assert offsets["+07:00"] > 0.8 * len(copies)
    assert offsets["Z"] > 0 and offsets["+08:00"] + offsets["+09:00"] > 0
    # one mail of the 1st (WIB) was stamped in UTC on the previous day
    assert any(r["received_at"].endswith("Z") and not r["received_at"].startswith(month) for r in copies)
