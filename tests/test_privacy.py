"""No personal data outside the raw layer: every name, e-mail and phone number of the sample raw
exports is searched for in every other table of the demo warehouse and in every published file —
as a whole value, and inside longer text (the sample generator types some users' contact details
into their ticket subjects, as agents do)."""

from __future__ import annotations

import csv
import re

import pytest

from dagster_project.lib.contracts import CONTRACTS, TICKETS

RAW_PII_COLUMNS = {
    contract.raw_table: tuple(column.name for column in contract.columns if column.pii)
    for contract in CONTRACTS.values()
    if any(column.pii for column in contract.columns)
}
ANALYST_SCHEMAS = ("reference", "staging", "intermediate", "marts", "reporting", "published")


@pytest.fixture(scope="module")
def pii_values(warehouse):
    values = set()
    for table, columns in RAW_PII_COLUMNS.items():
        for column in columns:
            values |= {
                value.strip()
                for (value,) in warehouse.execute(f'select distinct "{column}" from raw.{table}').fetchall()
                if value and len(value.strip()) >= 6
            }
    assert len(values) > 100, "the sample raw data should hold personal data to search for"
    return values


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _phones(values) -> set[str]:
    """Phone numbers as their digits (9 or more), whatever their spacing, dashes or ``+``."""
    return {_digits(value) for value in values if len(_digits(value)) >= 9 and not re.search(r"[A-Za-z@]", value)}


def personal_values_inside(text: str, values: set[str], phones: set[str]) -> set[str]:
    """The personal values found inside ``text``: names of two words or more and e-mail addresses as
    runs of whole words, phone numbers as runs of digits. (A one-word name such as ``Muhammad`` is too
    common to search inside text — it is in the holiday calendar; it is still searched as a whole value.)"""
    words = [word.strip(",;:()[]{}<>\"'") for word in text.split()]
    found = {
        " ".join(words[start : start + size])
        for size in range(1, 6)
        for start in range(len(words) - size + 1)
        if " ".join(words[start : start + size]) in values and (size > 1 or "@" in words[start])
    }
    for run in re.findall(r"\+?\d[\d\s().-]{7,}\d", text):
        if _digits(run) in phones:
            found.add(run)
    return found


def _text_columns(warehouse):
    return warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema in (" + ", ".join(f"'{s}'" for s in ANALYST_SCHEMAS) + ")"
    ).fetchall()


def test_every_source_with_personal_data_is_searched():
    assert {"deskpro_tickets", "chatbot_sessions", "avaya_calls", "lapor_emails", "ppid_requests"} <= set(
        RAW_PII_COLUMNS
    )


def test_no_raw_personal_value_in_any_analyst_table(warehouse, pii_values):
    warehouse.execute("create or replace temp table _pii as select unnest(?::varchar[]) as value", [sorted(pii_values)])
    hits = []
    for schema, table, column in _text_columns(warehouse):
        found = warehouse.execute(
            f'select distinct t."{column}" from "{schema}"."{table}" t join _pii on t."{column}" = _pii.value limit 3'
        ).fetchall()
        hits += [(schema, table, column, value) for (value,) in found]
    assert hits == []


def test_no_raw_personal_value_inside_text_of_any_analyst_table(warehouse, pii_values):
    """Inside longer text too: a name, e-mail or phone typed into a subject must not get through."""
    phones = _phones(pii_values)
    texts = {
        (schema, table, column, value)
        for schema, table, column in _text_columns(warehouse)
        for (value,) in warehouse.execute(
            f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
        ).fetchall()
    }
    hits = [(where, found) for *where, value in texts if (found := personal_values_inside(value, pii_values, phones))]
    assert hits == []


def test_the_sample_plants_personal_values_inside_subjects(demo_data_dir, warehouse, pii_values):
    """The search inside text has something to find: landed subjects hold users' own contact
    details (some dozens a month), which the loader removes before the raw rows are stored."""
    phones = _phones(pii_values)
    path = demo_data_dir / "landing" / "tickets" / "2024-02" / "tickets.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        planted = [row for row in csv.DictReader(handle) if personal_values_inside(row["subject"], pii_values, phones)]
    assert len(planted) >= 20
    found = {value for row in planted for value in personal_values_inside(row["subject"], pii_values, phones)}
    assert any("@" in value for value in found), "e-mail addresses are planted"
    assert any(" " in value and not any(ch.isdigit() for ch in value) for value in found), "names are planted"
    assert any(_digits(value) in phones for value in found), "phone numbers are planted"
    refs = [row["ref"] for row in planted]
    stored = dict(
        warehouse.execute(
            f"select ref, subject from raw.{TICKETS.raw_table} where ref in (select unnest(?::varchar[]))", [refs]
        ).fetchall()
    )
    assert len(stored) == len(planted)
    assert not [ref for ref, subject in stored.items() if personal_values_inside(subject or "", pii_values, phones)]


def test_every_personal_column_of_every_source_is_in_the_search(pii_values, warehouse):
    """Each contract column marked personal contributes values to the search (none is left out)."""
    for table, columns in RAW_PII_COLUMNS.items():
        for column in columns:
            sample = warehouse.execute(
                f'select "{column}" from raw.{table} where length(trim("{column}")) >= 6 limit 1'
            ).fetchone()
            if sample is not None:
                assert sample[0].strip() in pii_values, f"raw.{table}.{column}"


def test_no_pii_columns_outside_raw(warehouse):
    columns = {name for _, _, name in _text_columns(warehouse)}
    raw_pii = {name for columns in RAW_PII_COLUMNS.values() for name in columns}
    assert not columns & (raw_pii | {"organization", "from_address", "ani", "nama_pemohon"})


def test_no_raw_personal_value_in_published_files(demo_data_dir, pii_values):
    phones = {re.sub(r"\D", "", value) for value in pii_values if re.sub(r"\D", "", value).isdigit()}
    for path in (demo_data_dir / "published").rglob("*"):
        if path.is_file() and path.suffix in (".csv", ".json"):  # the rendered HTML: tests/test_report_demo.py
            text = path.read_text(encoding="utf-8")
            assert not [value for value in pii_values if value in text], path
            digits = re.sub(r"\D", "", text)  # once per file
            assert not [phone for phone in phones if len(phone) >= 9 and phone in digits], path
            assert not personal_values_inside(text, pii_values, _phones(pii_values)), path


def test_planted_subjects_load_as_the_subjects_they_were_so_no_figure_changes(tmp_path, monkeypatch):
    """Every sample month of tickets, generated with and without the planted contact details, loads
    into the same raw subjects (the only column planting touches): the published figures cannot move."""
    import duckdb

    from dagster_project.lib.landing import find_export
    from dagster_project.lib.loader import load_export
    from dagster_project.sample import tickets
    from dagster_project.sample.generate import generate_samples

    generate_samples(tmp_path / "planted", sources=["tickets"])
    monkeypatch.setattr(tickets, "subject_with_contact", lambda row: row["subject"])
    generate_samples(tmp_path / "plain", sources=["tickets"])
    months = sorted(path.name for path in (tmp_path / "plain" / "tickets").iterdir())
    assert len(months) >= 10
    planted_rows = 0
    for month in months:
        loaded = {}
        for variant in ("planted", "plain"):
            with duckdb.connect(":memory:") as conn:
                landed = find_export(tmp_path / variant, TICKETS, month)
                load_export(conn, TICKETS, month, landed, f"landing/tickets/{month}/tickets.csv")
                loaded[variant] = conn.execute(
                    f"select id, subject from raw.{TICKETS.raw_table} order by id"
                ).fetchall()
        assert loaded["planted"] == loaded["plain"], month
        planted_rows += sum(
            a != b
            for a, b in zip(
                (tmp_path / "planted" / "tickets" / month / "tickets.csv").read_text().splitlines(),
                (tmp_path / "plain" / "tickets" / month / "tickets.csv").read_text().splitlines(),
            )
        )
    assert planted_rows >= 100
