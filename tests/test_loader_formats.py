"""The one loading path on every export format: Windows-1252 ``;`` CSV with day-first timestamps,
timestamps with UTC offsets, booleans, XLSX sheets with Excel and Indonesian text dates."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from dagster_project.lib.contracts import (
    ADVOCACY_ACCOUNTS,
    CALLS,
    EMAIL_LAPOR,
    PPID,
    REGISTER_DATES,
    REGISTER_FACE_TO_FACE,
    REGISTER_VICON,
    ColumnContract,
)
from dagster_project.lib.landing import ExportError, find_export
from dagster_project.lib.loader import _parsed, load_export


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        yield connection


def land(landing: Path, contract, month: str, name: str, data: bytes) -> None:
    folder = landing / contract.landing_folder / month
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def load(landing: Path, conn, contract, month: str = "2024-02"):
    landed = find_export(landing, contract, month)
    return load_export(conn, contract, month, landed, str(landed.path.relative_to(landing.parent)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-02-01", date(2024, 2, 1)),
        ("01/02/2024", date(2024, 2, 1)),  # day first
        ("1 Februari 2024", date(2024, 2, 1)),
        ("29 februari 2024", date(2024, 2, 29)),
        (" 17 Agustus 2023 ", date(2023, 8, 17)),
        ("3 Mei 2023", date(2023, 5, 3)),
        ("25 Desember 2023", date(2023, 12, 25)),
        ("1 April 2024", date(2024, 4, 1)),
        ("Februari 2024", None),
        ("2024/02/01", None),
        ("31/02/2024", None),
        ("#REF!", None),
    ],
)
def test_register_dates(conn, text, expected):
    column = ColumnContract("Tanggal", "date", date_formats=REGISTER_DATES)
    assert conn.execute(f'select {_parsed(column)} from (select ? as "Tanggal")', [text]).fetchone()[0] == expected


def test_calls_cp1252_semicolon_day_first(tmp_path, conn):
    header = "CallID;Segment Start;ANI;VDN;Split/Skill;Disposition;Queue Time;Talk Time;ACW Time;Agent;Queued"
    lines = [
        header,
        "c1;05/02/2024 09:15:02;081234567890;Dering DJPK;Layanan;ANSWERED;4;120;30;Agén Satu;N",
        "c2;05/02/2024 09:20:00;081234567891;Dering DJPK;Layanan;ABANDONED;25;0;0;;Y",
        "c3;31/01/2024 23:59:59;081234567892;Dering DJPK;Layanan;BUSY;0;0;0;;N",
        "c4;06/02/2024 10:00:00;081234567893;Dering DJPK;Layanan;ANSWERED;-3;10;0;Agén Satu;X",
    ]
    land(tmp_path / "landing", CALLS, "2024-02", "calls.csv", "\r\n".join(lines).encode("cp1252") + b"\r\n")
    result = load(tmp_path / "landing", conn, CALLS)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    rows = conn.execute(
        'select "CallID", "Segment Start", "Agent", "Queued" from raw.avaya_calls order by 1'
    ).fetchall()
    assert rows == [
        ("c1", datetime(2024, 2, 5, 9, 15, 2), "Agén Satu", False),
        ("c2", datetime(2024, 2, 5, 9, 20), None, True),
    ]
    rules = dict(
        conn.execute(
            "select row_number, string_agg(rule, ' | ' order by rule) from raw.quarantine group by 1"
        ).fetchall()
    )
    assert rules[4] == "inside report month 2024-02 (WIB)"
    assert rules[5] == "allowed values Y/N | minimum 0"


def test_email_offsets_are_placed_in_the_wib_month_and_duplicates_kept(tmp_path, conn):
    header = "message_id,received_at,from_address,subject,category,region,attachment_count"
    lines = [
        header,
        "<a@x>,2024-02-12T10:03:55+07:00,a@pemda.go.id,Laporan,DAU,Kota Kendari,1",
        "<a@x>,2024-02-12T10:03:55+07:00,b@pemda.go.id,Fwd: Laporan,DAU,Kota Kendari,1",
        "<b@x>,2024-01-31T17:30:00Z,c@pemda.go.id,Laporan,APBD,,2",  # 00:30 WIB on 1 February
        "<c@x>,2024-02-29T23:30:00+08:00,d@pemda.go.id,Laporan,APBD,,0",  # 22:30 WIB
        "<d@x>,2024-01-31T23:30:00+07:00,e@pemda.go.id,Laporan,APBD,,0",  # January
    ]
    land(tmp_path / "landing", EMAIL_LAPOR, "2024-02", "email_lapor.csv", ("\n".join(lines) + "\n").encode())
    result = load(tmp_path / "landing", conn, EMAIL_LAPOR)
    assert (result.rows_loaded, result.rows_quarantined) == (4, 1)
    stored = conn.execute("select received_at from raw.lapor_emails where message_id = '<b@x>'").fetchone()[0]
    assert stored == datetime(2024, 1, 31, 17, 30)  # stored in UTC


def test_snapshot_rule_accepts_earlier_rows_and_quarantines_later_ones(tmp_path, conn):
    lines = [
        "employee_id,platform,registered_at",
        "e1,instagram,2022-05-01 10:00:00",
        "e2,x,2024-02-29 23:59:59",
        "e3,x,2024-03-01 00:00:00",
    ]
    land(
        tmp_path / "landing", ADVOCACY_ACCOUNTS, "2024-02", "advocacy_accounts.csv", ("\n".join(lines) + "\n").encode()
    )
    result = load(tmp_path / "landing", conn, ADVOCACY_ACCOUNTS)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert conn.execute("select rule from raw.quarantine").fetchone()[0] == "not after report month 2024-02 (WIB)"


def test_ppid_dates_and_flags(tmp_path, conn):
    header = (
        "nomor_registrasi,tanggal_permohonan,nama_pemohon,kategori_pemohon,pekerjaan,informasi_diminta,saluran,"
        "status,tanggal_tanggapan,perpanjangan,alasan_penolakan,keberatan"
    )
    lines = [
        header,
        "P-1,2024-02-05,Budi,perorangan,Mahasiswa,Data APBD,website,dikabulkan,2024-02-12,0,,0",
        "P-2,2024-02-06,Sari,perorangan,Peneliti,Data TKD,email,diproses,,1,,1",
    ]
    land(tmp_path / "landing", PPID, "2024-02", "ppid_register.csv", ("\n".join(lines) + "\n").encode())
    load(tmp_path / "landing", conn, PPID)
    rows = conn.execute(
        "select tanggal_tanggapan, perpanjangan, keberatan from raw.ppid_requests order by 1 nulls last"
    ).fetchall()
    assert rows == [(date(2024, 2, 12), False, False), (None, True, True)]


def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


FACE_TO_FACE_HEADER = ["Tanggal", "Daerah/Instansi", "Topik", "Jumlah Tamu", "SPPD", "Status"]


def test_register_sheet_with_excel_and_text_dates_and_numbers_as_text(tmp_path, conn):
    path = tmp_path / "landing" / "registers" / "2024-02" / "registers.xlsx"
    _workbook(
        path,
        {
            "Vicon": [
                ["Tanggal", "Daerah", "Topik", "Platform", "Jumlah Peserta"],
                [datetime(2024, 2, 2), "Kab. Samosir", "Pembiayaan", "Ms. Teams", 6],
            ],
            "Tatap Muka": [
                FACE_TO_FACE_HEADER,
                [datetime(2024, 2, 1), "Kota Bima", "DAU", 2, "Tidak", "Dilaksanakan"],
                ["01/02/2024", "Pertamina", "PDRD", "7", "Tidak", "Dilaksanakan"],
                ["2 Februari 2024", "Kota Palembang", "PDRD, DID", 4.0, "Ya", "Dilaksanakan"],
                ["5 Februari 2024", "Kab. Garut", "DAU", "#REF!", "Tidak", "Dilaksanakan"],
                [None, None, None, None, None, None],
            ],
        },
    )
    result = load(tmp_path / "landing", conn, REGISTER_FACE_TO_FACE)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (4, 3, 1)
    rows = conn.execute(
        'select "Tanggal", "Jumlah Tamu", "SPPD" from raw.register_face_to_face order by _row_number'
    ).fetchall()
    assert rows == [(date(2024, 2, 1), 2, False), (date(2024, 2, 1), 7, False), (date(2024, 2, 2), 4, True)]
    quarantined = conn.execute("select row_number, column_name, rule, value from raw.quarantine").fetchall()
    assert quarantined == [(5, "Jumlah Tamu", "type integer", "#REF!")]
    assert load(tmp_path / "landing", conn, REGISTER_VICON).rows_loaded == 1


def test_register_missing_sheet_and_moved_header_are_named(tmp_path, conn):
    path = tmp_path / "landing" / "registers" / "2024-02" / "registers.xlsx"
    _workbook(
        path,
        {
            "Tatap Muka": [
                ["Rekap Februari 2024"],
                [],
                FACE_TO_FACE_HEADER,
                [datetime(2024, 2, 1), "Kota Bima", "DAU", 2, "Tidak", "Dilaksanakan"],
            ]
        },
    )
    with pytest.raises(
        ExportError, match=r"registers.xlsx \[sheet 'Vicon'\].*sheet 'Vicon' is missing \(sheets: Tatap Muka\)"
    ):
        load(tmp_path / "landing", conn, REGISTER_VICON)
    with pytest.raises(ExportError, match=r"header is in row 3, not row 1"):
        load(tmp_path / "landing", conn, REGISTER_FACE_TO_FACE)


def test_register_total_row_is_set_aside_with_its_reason(tmp_path, conn):
    path = tmp_path / "landing" / "registers" / "2024-02" / "registers.xlsx"
    _workbook(
        path,
        {
            "Tatap Muka": [
                FACE_TO_FACE_HEADER,
                [datetime(2024, 2, 1), "Kota Bima", "DAU", 2, "Tidak", "Dilaksanakan"],
                [datetime(2024, 2, 1), "Pertamina", "PDRD", 7, "Tidak", "Dilaksanakan"],
                [None, "Total", None, 9, None, None],
            ]
        },
    )
    result = load(tmp_path / "landing", conn, REGISTER_FACE_TO_FACE)
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    rules = {rule for (rule,) in conn.execute("select rule from raw.quarantine where row_number = 4").fetchall()}
    assert "total row (a summary, not a record)" in rules
