"""No personal data outside the raw layer: every name, e-mail and phone number of the sample raw
exports is searched for in every other table of the demo warehouse and in every published file."""

from __future__ import annotations

import re

import pytest

from dagster_project.defs.ingest.contracts import CONTRACTS

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
                value.strip() for (value,) in warehouse.execute(f'select distinct "{column}" from raw.{table}').fetchall()
                if value and len(value.strip()) >= 6
            }
    assert len(values) > 100, "the sample raw data should hold personal data to search for"
    return values


def _text_columns(warehouse):
    return warehouse.execute(
        "select table_schema, table_name, column_name from information_schema.columns "
        "where data_type = 'VARCHAR' and table_schema in (" + ", ".join(f"'{s}'" for s in ANALYST_SCHEMAS) + ")"
    ).fetchall()


def test_every_source_with_personal_data_is_searched():
    assert {"deskpro_tickets", "chatbot_sessions", "avaya_calls", "lapor_emails", "ppid_requests"} <= set(RAW_PII_COLUMNS)


def test_no_raw_personal_value_in_any_analyst_table(warehouse, pii_values):
    warehouse.execute("create or replace temp table _pii as select unnest(?::varchar[]) as value", [sorted(pii_values)])
    hits = []
    for schema, table, column in _text_columns(warehouse):
        found = warehouse.execute(
            f'select distinct t."{column}" from "{schema}"."{table}" t join _pii on t."{column}" = _pii.value limit 3'
        ).fetchall()
        hits += [(schema, table, column, value) for (value,) in found]
    assert hits == []


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
