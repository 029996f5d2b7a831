"""The sample WhatsApp chatbot exports ``chatbot_sessions.csv``: deterministic, only from
September 2023, and - recounted from the files - the February 2024 report's chatbot figures, with
every hand-over to an agent tied to a WhatsApp ticket of the tickets sample.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import datetime
from pathlib import Path

import pytest

from dagster_project.sample.common import load_calibration
from dagster_project.sample.generate import generate_samples

COLUMNS = [
    "session_id",
    "wa_id",
    "started_at",
    "name",
    "region",
    "agency",
    "email",
    "question",
    "menu",
    "submenu",
    "handed_to_agent",
    "ticket_ref",
]
MENUS = {
    "Informasi Anggaran Transfer ke Daerah",
    "Informasi Pembiayaan Daerah",
    "Informasi Fungsional AKPD",
    "Informasi Standar Harga Satuan Regional (SHSR)",
    "Informasi Pajak dan Retribusi Daerah",
    "Informasi Aplikasi SIKD-Core",
    "Informasi Permohonan Data",
    "Informasi Kunjungan ke DJPK",
    "Chat Agent",
}
MENU_2024_02 = {  # [R2402] Selected Menu table
    "Informasi Anggaran Transfer ke Daerah": 363,
    "Informasi Kunjungan ke DJPK": 22,
    "Informasi Permohonan Data": 28,
    "Informasi Fungsional AKPD": 29,
    "Informasi Pajak dan Retribusi Daerah": 16,
    "Informasi Pembiayaan Daerah": 26,
    "Informasi Aplikasi SIKD-Core": 8,
    "Informasi Standar Harga Satuan Regional (SHSR)": 5,
}


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("chatbot1"), tmp_path_factory.mktemp("chatbot2")
    paths = generate_samples(first, sources=["chatbot", "tickets"])
    again = generate_samples(second, sources=["chatbot"])
    return first, second, paths, again


def read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sessions(landing: Path, month: str) -> list[dict]:
    return read(landing / "chatbot" / month / "chatbot_sessions.csv")


def e164_digits(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return "62" + digits[1:] if digits.startswith("0") else digits


def without_agent(rows: list[dict]) -> list[dict]:
    return [r for r in rows if r["menu"] and r["menu"] != "Chat Agent" and r["handed_to_agent"] == "false"]


def test_only_from_september_2023_and_deterministic(landing):
    first, second, paths, again = landing
    chatbot = [p for p in paths if p.parts[-3] == "chatbot"]
    assert sorted(p.parent.name for p in chatbot) == ["2024-01", "2024-02"]  # none before 2023-09
    assert [p.relative_to(first) for p in chatbot] == [p.relative_to(second) for p in again]
    for path in again:
        assert path.read_bytes() == (first / path.relative_to(second)).read_bytes()


@pytest.mark.parametrize("month", ["2024-01", "2024-02"])
def test_format(landing, month):
    path = landing[0] / "chatbot" / month / "chatbot_sessions.csv"
    assert path.read_text(encoding="utf-8").split("\n", 1)[0].split(",") == COLUMNS
    rows = sessions(landing[0], month)
    assert len({r["session_id"] for r in rows}) == len(rows)
    for r in rows:
        assert datetime.strptime(r["started_at"], "%Y-%m-%d %H:%M:%S").strftime("%Y-%m") == month
        assert re.fullmatch(r"62\d{8,12}", r["wa_id"])
        assert r["menu"] in MENUS or r["menu"] == ""
        assert r["handed_to_agent"] in {"true", "false"}
        assert (r["handed_to_agent"] == "true") == (r["menu"] == "Chat Agent") == bool(r["ticket_ref"])
    assert sum(r["menu"] == "" for r in rows) > 0  # users who left before choosing


def test_february_2024_menus(landing):
    rows = sessions(landing[0], "2024-02")
    assert len(without_agent(rows)) == 497  # [R2402] pengguna layanan Chatbot (tanpa Chat Agent)
    assert Counter(r["menu"] for r in without_agent(rows)) == MENU_2024_02


@pytest.mark.parametrize("month", ["2024-01", "2024-02"])
def test_hand_overs_are_the_whatsapp_tickets(landing, month):
    cal = load_calibration("chatbot.yaml")["months"][month]
    rows = sessions(landing[0], month)
    assert Counter(r["menu"] for r in without_agent(rows)) == cal["without_agent"]
    assert sum(r["menu"] == "" for r in rows) == cal["left_before_menu"]
    tickets = [t for t in read(landing[0] / "tickets" / month / "tickets.csv") if t["channel"] == "whatsapp"]
    assert all("chatbot" in t["labels"].split(";") for t in tickets)
    by_ref = {t["ref"]: t for t in tickets}
    handed = [r for r in rows if r["handed_to_agent"] == "true"]
    assert sorted(r["ticket_ref"] for r in handed) == sorted(by_ref)  # one session per WhatsApp ticket
    for r in handed:
        ticket = by_ref[r["ticket_ref"]]
        assert r["wa_id"] == e164_digits(ticket["person_phone"])
        created = datetime.strptime(ticket["date_created"], "%Y-%m-%dT%H:%M:%SZ")
        started = datetime.strptime(r["started_at"], "%Y-%m-%d %H:%M:%S")
        assert 0 <= (created.timestamp() + 7 * 3600 - started.timestamp()) <= 600
    ticket_users = {e164_digits(t["person_phone"]) for t in tickets}
    others = [r for r in rows if r["handed_to_agent"] == "false"]
    assert sum(r["wa_id"] in ticket_users for r in others) == cal["returning_sessions"]
    assert len({r["wa_id"] for r in others} - ticket_users) == cal["new_users"]
    # WhatsApp users of the month: ticket phones and chatbot ids, one key space
    users = ticket_users | {r["wa_id"] for r in rows}
    assert len(users) == len(ticket_users) + cal["new_users"]
