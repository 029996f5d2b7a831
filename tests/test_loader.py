"""The contract-driven loader on small hand-made files: clear errors and quarantine reasons."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.contracts import TICKETS
from dagster_project.lib.landing import ExportError, find_export
from dagster_project.lib.loader import load_export

GOOD = {
    "id": "1",
    "ref": "DJPK-2402-0001",
    "date_created": "2024-02-05T03:00:00Z",
    "date_first_agent_reply": "",
    "date_resolved": "",
    "status": "resolved",
    "channel": "whatsapp",
    "department": "DAU",
    "subject": "Syarat salur",
    "labels": "",
    "agent": "Anas",
    "person_name": "Budi Santoso",
    "person_email": "budi@example.org",
    "person_phone": "0812-3456-7890",
    "person_category": "Pemda",
    "organization": "BPKAD",
    "region": "Kota Kendari",
    "escalated_to": "",
    "feedback_service": "5",
    "feedback_substance": "5",
}


def write_export(landing: Path, rows: list[dict], month: str = "2024-02", columns=None, name="tickets.csv") -> Path:
    folder = landing / "tickets" / month
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    columns = columns or list(GOOD)
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def rows(n: int, **changes) -> list[dict]:
    return [{**GOOD, "id": str(i + 1), **changes} for i in range(n)]


def load(landing: Path, conn, month: str = "2024-02"):
    landed = find_export(landing, TICKETS, month)
    return load_export(conn, TICKETS, month, landed, str(landed.path.relative_to(landing.parent)))


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        yield connection


def test_good_file_loads_every_row_with_lineage(tmp_path, conn):
    write_export(tmp_path / "landing", rows(3))
    result = load(tmp_path / "landing", conn)
    assert (result.rows_in_file, result.rows_loaded, result.rows_quarantined) == (3, 3, 0)
    lineage = conn.execute(
        "select distinct _source_file, _source_sha256, _report_month::varchar from raw.deskpro_tickets"
    ).fetchall()
    assert lineage == [("landing/tickets/2024-02/tickets.csv", result.sha256, "2024-02-01")]


def test_missing_column_names_file_and_column(tmp_path, conn):
    write_export(tmp_path / "landing", rows(2), columns=[c for c in GOOD if c != "channel"])
    with pytest.raises(ExportError, match=r"tickets\.csv.*missing column 'channel'"):
        load(tmp_path / "landing", conn)


def test_unknown_department_is_an_error_naming_the_row(tmp_path, conn):
    data = rows(3)
    data[1]["department"] = "Dana Otsus Baru"
    write_export(tmp_path / "landing", data)
    with pytest.raises(
        ExportError, match=r"row 3: column 'department' = 'Dana Otsus Baru' breaks rule 'allowed values'"
    ):
        load(tmp_path / "landing", conn)


def test_duplicate_id_in_one_file_is_an_error(tmp_path, conn):
    data = rows(3)
    data[2]["id"] = "1"
    write_export(tmp_path / "landing", data)
    with pytest.raises(ExportError, match=r"unique key in file"):
        load(tmp_path / "landing", conn)


@pytest.mark.parametrize(
    "column, value, rule",
    [
        ("feedback_service", "7", "maximum 5"),
        ("date_created", "2024-03-02T03:00:00Z", "inside report month 2024-02 (WIB)"),
        ("date_created", "05/02/2024 10:00", "type %Y-%m-%dT%H:%M:%SZ"),
        ("channel", "telegram", "allowed values"),
    ],
)
def test_row_rule_breaks_go_to_quarantine_with_reason(tmp_path, conn, column, value, rule):
    data = rows(4)
    data[1][column] = value
    write_export(tmp_path / "landing", data)
    result = load(tmp_path / "landing", conn)
    assert (result.rows_loaded, result.rows_quarantined) == (3, 1)
    quarantined = conn.execute("select row_number, column_name, rule, value from raw.quarantine").fetchall()
    assert quarantined == [(3, column, rule, value)]


def test_row_numbers_follow_the_file_when_duckdb_reads_it_in_parallel(tmp_path):
    """A row's number is its place in the file (the header is row 1), also in a file DuckDB splits between
    threads: the numbers come from the scan's insertion order, so a quarantine reason names the right row. The
    scrub's rewrite of some subjects (an UPDATE of the scanned rows) keeps every row's number."""
    broken = {1_000: "telegram", 120_000: "fax", 199_998: "pos"}
    scrubbed = (500, 150_000)
    data = rows(200_000)  # ~50 MB: more than one of DuckDB's CSV buffers
    for index, channel in broken.items():
        data[index]["channel"] = channel
    for index in scrubbed:
        data[index]["subject"] = f"Syarat salur - {GOOD['person_name']}"
    write_export(tmp_path / "landing", data)
    with duckdb.connect(":memory:", config={"threads": 2}) as connection:
        result = load(tmp_path / "landing", connection)
        quarantined = connection.execute("select row_number, value from raw.quarantine order by 1").fetchall()
        misnumbered = connection.execute("select count(*) from raw.deskpro_tickets where _row_number <> id").fetchone()[
            0
        ]
        subjects = connection.execute(
            "select id, subject from raw.deskpro_tickets where id in (?, ?) order by id", [i + 1 for i in scrubbed]
        ).fetchall()
    assert result.rows_loaded == 200_000 - len(broken)
    assert quarantined == [(index + 2, channel) for index, channel in broken.items()]
    assert misnumbered == 0
    assert subjects == [(index + 1, "Syarat salur") for index in scrubbed]


def test_a_duplicate_key_far_apart_in_a_parallel_read_names_both_rows(tmp_path):
    """The unique-key rule needs the whole file, so its flag is set after the scan (an UPDATE of the scanned
    rows): the error still names each copy's own row."""
    data = rows(200_000)
    data[150_000]["id"] = "7"  # the same id as the 7th data row (file row 8)
    write_export(tmp_path / "landing", data)
    with duckdb.connect(":memory:", config={"threads": 2}) as connection:
        with pytest.raises(
            ExportError,
            match=r"row 8: column 'id' = '7' breaks rule 'unique key in file'; "
            r"row 150002: column 'id' = '7'",
        ):
            load(tmp_path / "landing", connection)


def test_utc_evening_of_last_day_belongs_to_next_month(tmp_path, conn):
    data = rows(1, date_created="2024-01-31T17:30:00Z")  # 00:30 WIB on 1 February
    write_export(tmp_path / "landing", data)
    assert load(tmp_path / "landing", conn).rows_loaded == 1


def test_empty_and_header_only_files_are_errors(tmp_path, conn):
    path = write_export(tmp_path / "landing", [])
    with pytest.raises(ExportError, match="header only"):
        load(tmp_path / "landing", conn)
    path.write_bytes(b"")
    with pytest.raises(ExportError, match="empty"):
        load(tmp_path / "landing", conn)


def test_bom_and_extra_column_are_accepted(tmp_path, conn):
    path = write_export(tmp_path / "landing", rows(2), columns=[*GOOD, "custom_field"])
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = load(tmp_path / "landing", conn)
    assert result.rows_loaded == 2 and result.extra_columns == ("custom_field",)


def test_truncated_file_is_an_error_naming_the_file(tmp_path, conn):
    path = write_export(tmp_path / "landing", rows(3))
    path.write_bytes(path.read_bytes()[:-60])
    with pytest.raises(ExportError, match=r"tickets\.csv: cannot be read"):
        load(tmp_path / "landing", conn)


def test_reexport_replaces_the_month_and_keeps_the_old_file(tmp_path, conn):
    landing = tmp_path / "landing"
    old = write_export(landing, rows(3))
    load(landing, conn)
    old_bytes = old.read_bytes()
    new = write_export(landing, rows(2), name="tickets (1).csv")
    import os

    os.utime(new, (old.stat().st_mtime + 60, old.stat().st_mtime + 60))
    result = load(landing, conn)
    assert result.rows_loaded == 2 and result.superseded_files == ("tickets.csv",)
    assert conn.execute("select count(*) from raw.deskpro_tickets").fetchone()[0] == 2
    assert old.read_bytes() == old_bytes


def test_reloading_a_month_is_idempotent(tmp_path, conn):
    write_export(tmp_path / "landing", rows(3))
    load(tmp_path / "landing", conn)
    load(tmp_path / "landing", conn)
    assert conn.execute("select count(*), count(distinct id) from raw.deskpro_tickets").fetchone() == (3, 3)
    assert conn.execute("select count(*) from raw.load_log").fetchone()[0] == 1


def test_missing_export_names_what_was_looked_for(tmp_path):
    with pytest.raises(
        ExportError, match=r"missing export for source 'tickets' month 2024-02: no file matching 'tickets\*\.csv'"
    ):
        find_export(tmp_path / "landing", TICKETS, "2024-02")


@pytest.mark.parametrize(
    "subject, stored",
    [
        ("Syarat salur - Budi Santoso", "Syarat salur"),
        ("Syarat salur (budi@example.org)", "Syarat salur"),
        ("0812-3456-7890: Syarat salur", "Syarat salur"),
        ("Laporan (Budi Santoso) bulan Maret", "Laporan bulan Maret"),
        ("Budi Santosoan dan Syarat salur", "Budi Santosoan dan Syarat salur"),  # not the whole name: kept
        ("Syarat salur - ", "Syarat salur - "),  # nothing personal: kept exactly as written
    ],
)
def test_a_rows_own_personal_values_are_removed_from_its_subject(tmp_path, conn, subject, stored):
    write_export(tmp_path / "landing", rows(1, subject=subject))
    load(tmp_path / "landing", conn)
    assert conn.execute("select subject from raw.deskpro_tickets").fetchone()[0] == stored


def test_a_large_file_is_scrubbed_chunk_by_chunk_every_row_its_own(tmp_path, conn, monkeypatch):
    """Python rewrites the texts a few file rows at a time (a month of 10 M tickets would not fit at once): every
    chunk is scrubbed, each row with its own values, and rows between chunks keep their text."""
    import dagster_project.lib.loader as loader

    monkeypatch.setattr(loader, "SCRUB_CHUNK_ROWS", 3)
    names = [f"Pemohon Nomor{i:02d}" for i in range(10)]
    subjects = [f"Syarat DAU - {name}" if i % 4 else "Syarat DAU" for i, name in enumerate(names)]
    export = [{**row, "person_name": name, "subject": subject} for row, name, subject in zip(rows(10), names, subjects)]
    export[5]["subject"] = f"Salur - {names[6]}"  # another row's name: not this row's own value, kept
    write_export(tmp_path / "landing", export)
    load(tmp_path / "landing", conn)
    stored = [subject for (subject,) in conn.execute("select subject from raw.deskpro_tickets order by id").fetchall()]
    assert stored == ["Syarat DAU"] * 5 + [f"Salur - {names[6]}"] + ["Syarat DAU"] * 4
    assert not conn.execute(
        "select count(*) from duckdb_tables() where table_name in ('_to_scrub', '_scrubbed')"
    ).fetchone()[0]


@pytest.mark.parametrize(
    "text, values, expected",
    [
        ("Budi Santoso / Budi Santoso: DAU", ["Budi Santoso"], "DAU"),  # every occurrence
        ("Tanya DAU (a.b+c@example.org)", ["a.b+c@example.org"], "Tanya DAU"),  # regex specials are literal
        ("Tanya DAU axb+c@example.org", ["a.b+c@example.org"], "Tanya DAU axb+c@example.org"),
        ("Ibu Śri Wahyuni, DAU", ["Śri Wahyuni"], "Ibu , DAU"),  # letters of any script
        ("Ibu Śri Wahyunię DAU", ["Śri Wahyuni"], "Ibu Śri Wahyunię DAU"),  # a longer word: not whole
        ("Salur DAU Desa", ["Dana", None, ""], "Salur DAU Desa"),  # short or missing values: nothing searched
    ],
)
def test_scrub_text_removes_whole_values_only(text, values, expected):
    from dagster_project.lib.loader import scrub_text

    assert scrub_text(text, values) == expected


def test_a_rollback_after_the_transaction_ended_keeps_the_first_error():
    """A failed commit (no space for the WAL) ends the transaction: the rollback must not raise a second error."""
    import duckdb

    from dagster_project.lib.loader import _rollback_if_open

    conn = duckdb.connect()
    _rollback_if_open(conn)  # no transaction open: nothing raised
    conn.execute("begin transaction")
    conn.execute("create table t (x int)")
    _rollback_if_open(conn)
    assert conn.execute("select count(*) from duckdb_tables() where table_name = 't'").fetchone()[0] == 0


@pytest.mark.parametrize("department", ["DAU", "Tidak Ada"], ids=["loaded", "refused"])
def test_the_loads_working_tables_are_gone_when_it_ends(tmp_path, conn, department):
    """The scanned and flagged copies of the file (its personal values included) live in the warehouse file only
    while the load runs, whether it loads or is refused."""
    from dagster_project.lib.loader import WORK_SCHEMA

    write_export(tmp_path / "landing", rows(3, department=department))
    if department == "DAU":
        load(tmp_path / "landing", conn)
    else:
        with pytest.raises(ExportError):
            load(tmp_path / "landing", conn)
    left = conn.execute("select table_name from duckdb_tables() where schema_name = ?", [WORK_SCHEMA]).fetchall()
    assert left == []
