"""The sample generator as a whole: one registry of sources, report months vs history months, the
never-overwrite rule for binary files too, and the cumulative figure that needs the history
months (WhatsApp users since April 2019, recounted from the landed ticket exports).
"""

from __future__ import annotations

import csv
import re

import pytest

from dagster_project.sample import generate
from dagster_project.sample.common import land_bytes, land_file

REPORT_MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
WHATSAPP_MONTHS = [
    "2019-04",
    "2019-05",
    "2019-06",
    "2019-07",
    "2019-08",
    "2019-09",
    "2019-10",
    "2019-11",
    "2019-12",
    "2020-01",
]


def test_registry_months_and_history_months():
    months = generate.all_months()
    history = generate.history_months()
    assert (
        set(months)
        == set(history)
        == {"tickets", "chatbot", "calls", "email_lapor", "registers", "ppid", "advocacy", "knowledge_base"}
    )
    for source, hist in history.items():
        assert set(hist) <= set(months[source]), source
    assert history["tickets"] == WHATSAPP_MONTHS[:8]
    assert history["registers"] == ["2023-01"] + [f"2023-{m:02d}" for m in range(3, 13)]
    assert generate.report_months() == REPORT_MONTHS
    assert list(generate.HISTORY_MONTHS) == sorted(set(history["tickets"]) | set(history["registers"]))
    assert months["chatbot"] == ["2024-02", "2024-01"]  # the chatbot runs since 2023-09
    for source in ("advocacy", "knowledge_base"):
        assert sorted(months[source]) == ["2023-02", "2024-01", "2024-02"]


def test_unknown_source_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown sample sources"):
        generate.generate_samples(tmp_path, sources=["nope"])


def test_binary_and_encoded_landing_never_overwrites(tmp_path):
    target = tmp_path / "registers" / "2024-02" / "registers.xlsx"
    assert land_bytes(target, b"PK\x03\x04one") == "written"
    assert land_bytes(target, b"PK\x03\x04one") == "identical"
    assert land_bytes(target, lambda handle: handle.write(b"PK\x03\x04two")) == "conflict"
    assert target.read_bytes() == b"PK\x03\x04one"
    text = tmp_path / "calls" / "2020-01" / "calls.csv"
    assert (
        land_file(text, lambda handle: handle.write("VDN;x\r\nCall Center – 1500420;1\r\n"), encoding="cp1252")
        == "written"
    )
    assert text.read_bytes() == b"VDN;x\r\nCall Center \x96 1500420;1\r\n"
    assert sorted(p.name for p in text.parent.iterdir()) == ["calls.csv"]  # no temp files left


def test_a_landed_workbook_with_other_bytes_is_kept(tmp_path):
    target = tmp_path / "registers" / "2024-02" / "registers.xlsx"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"hand-edited")
    paths = generate.generate_samples(tmp_path, months=["2024-02"], sources=["registers"])
    assert paths == [] and target.read_bytes() == b"hand-edited"


def test_the_sample_narratives_land_where_the_report_reads_them(tmp_path):
    """The team's texts of the sample months (evaluation; February 2024's circular letter) land under
    landing/narrative/ as the report expects them, never replacing a landed one, and hold no figure the
    published dataset has (the reference's "300 pengguna" WhatsApp users is left out: the report computes 301)."""
    from dagster_project.lib.narratives import narrative_files

    paths = generate.generate_samples(tmp_path, sources=["narrative"])
    assert sorted(p.name for p in paths) == ["2020-01.md", "2024-02-pengumuman.md", "2024-02.md"]
    assert narrative_files(tmp_path, "2024-02") == {
        "evaluasi": tmp_path / "narrative" / "2024-02.md",
        "pengumuman": tmp_path / "narrative" / "2024-02-pengumuman.md",
    }
    assert generate.generate_samples(tmp_path, months=["2020-01"], sources=["narrative"]) == [
        tmp_path / "narrative" / "2020-01.md"
    ]
    assert "300 pengguna" not in (tmp_path / "narrative" / "2020-01.md").read_text(encoding="utf-8")
    # beyond that one: no number but years, dates, document numbers and list markers in any sample text
    months = "Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember"
    for path in paths:
        text = path.read_text(encoding="utf-8")
        for allowed in (
            r"\S*/\S*",  # letter numbers: ND-111/PK.15/2020, SE-2/PK.1/2024
            r"\bNomor \d+",
            rf"\b\d{{1,2}} (?:{months})\b",
            r"\b(?:19|20)\d\d\b",
            r"(?m)^\s*\d+\. ",
            r"\bLayer 2 \(L2\)",
        ):
            text = re.sub(allowed, "", text)
        assert not re.search(r"\d", text), (path.name, re.findall(r".{0,20}\d.{0,20}", text))


@pytest.fixture(scope="module")
def whatsapp_tickets(tmp_path_factory):
    landing = tmp_path_factory.mktemp("wa")
    generate.generate_samples(landing, months=WHATSAPP_MONTHS, sources=["tickets"])
    out = {}
    for month in WHATSAPP_MONTHS:
        with open(landing / "tickets" / month / "tickets.csv", encoding="utf-8", newline="") as handle:
            out[month] = [r for r in csv.DictReader(handle) if r["channel"] == "whatsapp"]
    return out


def e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "+62" + digits[1:] if digits.startswith("0") else "+" + digits


def test_whatsapp_users_since_april_2019(whatsapp_tickets):
    users = {month: {e164(t["person_phone"]) for t in rows} for month, rows in whatsapp_tickets.items()}
    assert all(users[m] for m in WHATSAPP_MONTHS)  # a ticket export for every month since the launch
    assert len(users["2020-01"]) == 301  # [R2001] 301 pengguna
    assert len(set().union(*users.values())) == 1001  # [R2001] sejak April 2019 hingga Januari 2020: 1.001
    total = sum(len(u) for u in users.values())
    assert total == 1001  # no number is shared by two months (common.fit_phone_bucket)
