"""The fault catalogue (issue 15): each fault an operator can meet, with what they see.

Cheap cases run on hand-made files; the publication cases kill a run at each publish step on a copy
of the demo's data dir. ``docs/faults.md`` lists the same faults with the messages shown here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

import duckdb
import pytest

from dagster_project.defs.ingest.contracts import REGISTER_VICON, REGISTER_WA_BLASTS, TICKETS
from dagster_project.defs.ingest.landing import ExportError, find_export, is_landed
from dagster_project.defs.ingest.loader import load_export

TICKETS_HEADER = (
    "id,ref,date_created,date_first_agent_reply,date_resolved,status,channel,department,subject,labels,agent,"
    "person_name,person_email,person_phone,person_category,organization,region,escalated_to,feedback_service,"
    "feedback_substance"
)
TICKET_ROW = "1,DJPK-2402-0001,2024-02-05T03:00:00Z,,,resolved,whatsapp,DAU,Syarat,,Anas,Budi,b@x.org,0812,Pemda,BPKAD,Kota Kendari,,5,5"


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        yield connection


def _tickets_folder(data_dir: Path) -> Path:
    folder = data_dir / "landing" / "tickets" / "2024-02"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- landing stays inside the data dir -------------------------------------------------------------

def test_symlink_in_landing_is_refused_naming_it_and_never_followed(tmp_path):
    data_dir = tmp_path / "data"
    folder = _tickets_folder(data_dir)
    (folder / "tickets.csv").write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    outside = tmp_path / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    link = folder / "tickets (1).csv"
    link.symlink_to(outside)
    os.utime(link, follow_symlinks=False)  # the newest entry: it would win if followed
    with pytest.raises(ExportError) as raised:
        find_export(data_dir / "landing", TICKETS, "2024-02")
    message = str(raised.value)
    assert "landing/tickets/2024-02/tickets (1).csv is a symbolic link" in message
    assert "regular files only" in message
    assert str(tmp_path) not in message  # relative to the data dir, and never the link's target


def test_folder_and_fifo_named_like_an_export_are_refused(tmp_path):
    data_dir = tmp_path / "data"
    folder = _tickets_folder(data_dir)
    (folder / "tickets_old.csv").mkdir()
    os.mkfifo(folder / "tickets_pipe.csv")
    assert is_landed(data_dir / "landing", TICKETS, "2024-02")  # seen, so that the load says why it refuses
    with pytest.raises(ExportError, match=r"tickets_old\.csv is a folder.*tickets_pipe\.csv is a named pipe"):
        find_export(data_dir / "landing", TICKETS, "2024-02")


def test_month_folder_linked_outside_the_data_dir_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    outside = tmp_path / "elsewhere" / "2024-02"
    outside.mkdir(parents=True)
    (outside / "tickets.csv").write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    (data_dir / "landing" / "tickets").mkdir(parents=True)
    (data_dir / "landing" / "tickets" / "2024-02").symlink_to(outside)
    with pytest.raises(ExportError, match=r"landing/tickets/2024-02 leads outside the data dir"):
        find_export(data_dir / "landing", TICKETS, "2024-02")


# --- a file that is not what its name says -------------------------------------------------------

def _land_registers(data_dir: Path, content: bytes) -> None:
    folder = data_dir / "landing" / "registers" / "2024-02"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "registers.xlsx").write_bytes(content)


@pytest.mark.parametrize("content, found", [
    (b"Tanggal,Daerah,Topik\n2024-02-01,Kota Kendari,DAU\n", "plain text with ','-separated lines (a CSV file)"),
    (b"Tanggal;Daerah;Topik\r\n", "plain text with ';'-separated lines (a CSV file)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old-style Excel .xls (or other OLE2) file"),
    (b"", "an empty file"),
    (b"PK\x03\x04broken zip", "a ZIP archive that is damaged or is not a workbook"),
])
def test_file_renamed_xlsx_gives_one_line_with_found_and_expected(tmp_path, conn, content, found):
    data_dir = tmp_path / "data"
    _land_registers(data_dir, content)
    messages = set()
    for contract in (REGISTER_VICON, REGISTER_WA_BLASTS):
        landed = find_export(data_dir / "landing", contract, "2024-02")
        with pytest.raises(ExportError) as raised:
            load_export(conn, contract, "2024-02", landed, "landing/registers/2024-02/registers.xlsx")
        messages.add(str(raised.value))
    assert len(messages) == 1, "one bad workbook is one message, the same for every sheet"
    (message,) = messages
    assert message.startswith("landing/registers/2024-02/registers.xlsx: ")
    assert found in message and "expected an .xlsx workbook" in message
    assert "\n" not in message and "BadZipFile" not in message and "Tanggal" not in message
    assert str(tmp_path) not in message


def test_unreadable_header_names_the_file_relative_to_the_data_dir(tmp_path, conn):
    folder = _tickets_folder(tmp_path / "data")
    (folder / "tickets.csv").write_bytes(b"")
    landed = find_export(tmp_path / "data" / "landing", TICKETS, "2024-02")
    with pytest.raises(ExportError) as raised:
        load_export(conn, TICKETS, "2024-02", landed, "landing/tickets/2024-02/tickets.csv")
    assert str(raised.value).startswith("landing/tickets/2024-02/tickets.csv: the file is empty")
