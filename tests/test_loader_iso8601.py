"""Read what the contracts allow: a date or timestamp column whose contract gives no format takes
every ISO 8601 form (date only, ``T`` or space, fractional seconds, ``Z`` or an offset); columns
whose contract gives a format keep it."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timezone

import duckdb
import pytest

from dagster_project.lib.contracts import ADVOCACY_ACTIVATIONS, CONTRACTS, FAQ_REVIEW, TICKETS
from dagster_project.lib.landing import find_export
from dagster_project.lib.loader import _parsed, load_export
from dagster_project.lib.months import WIB

ISO_FORMS_WIB = [
    ("2024-02-05", datetime(2024, 2, 5, 0, 0)),
    ("2024-02-05T09:43", datetime(2024, 2, 5, 9, 43)),
    ("2024-02-05 09:43:10", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-05T09:43:10", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-05T09:43:10.250", datetime(2024, 2, 5, 9, 43, 10, 250000)),
    ("2024-02-05 09:43:10,5", datetime(2024, 2, 5, 9, 43, 10, 500000)),
    ("2024-02-05T02:43:10Z", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-05T02:43:10.5Z", datetime(2024, 2, 5, 9, 43, 10, 500000)),
    ("2024-02-05T09:43:10+07:00", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-05T10:43:10+0800", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-05 11:43:10+09", datetime(2024, 2, 5, 9, 43, 10)),
    ("2024-02-04T23:43:10-03:00", datetime(2024, 2, 5, 9, 43, 10)),
]
NOT_ISO = ["05/02/2024 09:43:10", "2024-2-5", "2024/02/05", "5 Februari 2024", "2024-02-05T25:00:00", "yesterday"]


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        yield connection


def parse(conn, column, text):
    return conn.execute(f"select {_parsed(column)} from (select ? as {column.name})", [text]).fetchone()[0]


def test_columns_without_a_format_read_iso8601():
    """Which contract columns take ISO 8601: those the contract gives no format (exports.md)."""
    iso = sorted(
        f"{c.source}.{column.name}" for c in CONTRACTS.values() for column in c.columns if column.reads_iso8601
    )
    assert iso == [
        "advocacy_accounts.registered_at",
        "advocacy_activations.activated_at",
        "knowledge_base.flagged_at",
        "knowledge_base.reviewed_at",
        "ppid.tanggal_tanggapan",
        "tickets.date_first_agent_reply",
        "tickets.date_resolved",
    ]


@pytest.mark.parametrize("text, expected", ISO_FORMS_WIB)
def test_wib_timestamp_takes_every_iso_form(conn, text, expected):
    assert parse(conn, ADVOCACY_ACTIVATIONS.column("activated_at"), text) == expected


@pytest.mark.parametrize("text, expected", ISO_FORMS_WIB)
def test_utc_timestamp_takes_every_iso_form_on_the_utc_clock(conn, text, expected):
    from datetime import timedelta

    naive = "Z" not in text and "+" not in text and text.count("-") == 2
    wanted = expected if naive else expected - timedelta(hours=7)
    assert parse(conn, TICKETS.column("date_resolved"), text) == wanted


@pytest.mark.parametrize(
    "text, expected",
    [(text, value.date()) for text, value in ISO_FORMS_WIB]
    + [
        ("2024-02-04T20:00:00Z", date(2024, 2, 5)),  # 03:00 WIB on the 5th
    ],
)
def test_date_takes_every_iso_form_and_its_wib_day(conn, text, expected):
    assert parse(conn, FAQ_REVIEW.column("flagged_at"), text) == expected


@pytest.mark.parametrize("text", NOT_ISO)
def test_other_forms_are_not_iso(conn, text):
    assert parse(conn, ADVOCACY_ACTIVATIONS.column("activated_at"), text) is None
    assert parse(conn, FAQ_REVIEW.column("flagged_at"), text) is None


ISO_GRID = [
    f"{day}{sep}{clock}{offset}"
    for day, sep, clock, offset in itertools.product(
        ["2024-02-29", "2024-01-01", "2023-12-31"],
        ["T", " "],
        ["00:00", "23:59", "09:43:10", "09:43:10.5", "09:43:10,25", "23:59:59.999999", "00:00:00.1234567"],
        ["", "Z", "+07:00", "+0700", "+07", "-03:30", "-0330", "+05:45", "+14:00", "-12:00", "+00:00"],
    )
]


@pytest.mark.parametrize("time_zone", ["UTC", "America/New_York"])
def test_every_form_of_a_grid_reads_as_python_reads_it_whatever_the_session_time_zone(conn, time_zone):
    """Python's own ISO 8601 reader is the reference: an offset converts to the column's clock, no offset is
    taken as written; the session's time zone plays no part."""
    conn.execute(f"set TimeZone = '{time_zone}'")
    clocks = {"utc": TICKETS.column("date_resolved"), "wib": ADVOCACY_ACTIVATIONS.column("activated_at")}
    for clock, column in clocks.items():
        zone = WIB if clock == "wib" else timezone.utc
        read = dict(
            conn.execute(
                f"select {column.name}, {_parsed(column)} from unnest(?) as t({column.name})", [ISO_GRID]
            ).fetchall()
        )
        for text in ISO_GRID:
            value = datetime.fromisoformat(text)
            expected = value.astimezone(zone).replace(tzinfo=None) if value.tzinfo else value
            assert read[text] == expected, (clock, text)


def test_columns_with_a_format_keep_it(conn):
    assert parse(conn, TICKETS.column("date_created"), "2024-02-05 09:43:10") is None
    assert parse(conn, TICKETS.column("date_created"), "2024-02-05T02:43:10Z") == datetime(2024, 2, 5, 2, 43, 10)


def test_activations_in_iso_forms_load_and_the_month_follows_the_wib_clock(tmp_path, conn):
    """Every form loads; 2024-02-29T17:30:00Z is 00:30 WIB on 1 March: not February's."""
    stamps = [text for text, _ in ISO_FORMS_WIB] + ["2024-02-29T17:30:00Z", "05/02/2024 09:43"]
    lines = ["activation_id,employee_id,unit,activated_at,activation_type"] + [
        f'a{index},e{index},DJPK,"{stamp}",konten_tersedia' for index, stamp in enumerate(stamps)
    ]
    folder = tmp_path / "landing" / "advocacy" / "2024-02"
    folder.mkdir(parents=True)
    (folder / "advocacy_activations.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    landed = find_export(tmp_path / "landing", ADVOCACY_ACTIVATIONS, "2024-02")
    result = load_export(
        conn, ADVOCACY_ACTIVATIONS, "2024-02", landed, "landing/advocacy/2024-02/advocacy_activations.csv"
    )
    assert (result.rows_loaded, result.rows_quarantined) == (len(ISO_FORMS_WIB), 2)
    assert sorted(conn.execute("select rule from raw.quarantine").fetchall()) == [
        ("inside report month 2024-02 (WIB)",),
        ("type ISO 8601 timestamp",),
    ]
    loaded = [
        row[0]
        for row in conn.execute("select activated_at from raw.advocacy_activations order by _row_number").fetchall()
    ]
    assert loaded == [value for _, value in ISO_FORMS_WIB]
