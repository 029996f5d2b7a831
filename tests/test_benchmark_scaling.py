"""The benchmark's scaled exports are valid exports: every row loads, keys stay unique, links hold."""

from __future__ import annotations

import duckdb
import pytest

from benchmarks.run_benchmarks import format_table
from benchmarks.scale_samples import SCALED_CONTRACTS, scale_month
from dagster_project.lib.contracts import CHATBOT, TICKETS
from dagster_project.lib.landing import find_export
from dagster_project.lib.loader import load_export
from dagster_project.sample.generate import generate_samples

MONTH = "2024-02"
FACTOR = 3


@pytest.fixture(scope="module")
def landings(tmp_path_factory):
    folders = [contract.landing_folder for contract in SCALED_CONTRACTS]
    original, scaled = tmp_path_factory.mktemp("original") / "landing", tmp_path_factory.mktemp("scaled") / "landing"
    generate_samples(original, [MONTH], sources=folders)
    generate_samples(scaled, [MONTH], sources=folders)
    return original, scaled, scale_month(scaled, MONTH, FACTOR)


def _load(landing, contract, conn):
    landed = find_export(landing, contract, MONTH)
    return load_export(conn, contract, MONTH, landed, str(landed.path.relative_to(landing.parent)))


@pytest.mark.parametrize("contract", SCALED_CONTRACTS, ids=lambda c: c.source)
def test_scaled_export_loads_factor_times_the_rows_with_nothing_quarantined(landings, contract):
    original, scaled, rows = landings
    with duckdb.connect() as conn:
        before = _load(original, contract, conn)
    with duckdb.connect() as conn:
        after = _load(scaled, contract, conn)
    assert after.rows_in_file == rows[contract.source] == FACTOR * before.rows_in_file
    assert (after.rows_quarantined, before.rows_quarantined) == (0, 0)


def test_scaled_chatbot_hand_overs_find_their_tickets_in_the_same_copy(landings):
    original, scaled, _ = landings
    counts = []
    for landing in (original, scaled):
        with duckdb.connect() as conn:
            _load(landing, TICKETS, conn)
            _load(landing, CHATBOT, conn)
            counts.append(
                conn.execute(
                    "select count(*), count(t.ref) from raw.chatbot_sessions c left join raw.deskpro_tickets t on t.ref = c.ticket_ref "
                    "where c.ticket_ref is not null"
                ).fetchone()
            )
    (handed, linked), (scaled_handed, scaled_linked) = counts
    assert handed > 0 and (scaled_handed, scaled_linked) == (FACTOR * handed, FACTOR * linked)


def test_scale_one_leaves_the_generated_files_byte_for_byte(tmp_path):
    landing = tmp_path / "landing"
    generate_samples(landing, [MONTH], sources=["tickets"])
    path = find_export(landing, TICKETS, MONTH).path
    before = path.read_bytes()
    from benchmarks.scale_samples import scale_file

    assert scale_file(TICKETS, path, 1) == before.count(b"\n") - 1
    assert path.read_bytes() == before


def test_table_formats_missing_figures_as_blank():
    table = format_table([{"case": "a", "tickets": 1234, "ratio": 2.5}, {"case": "demo", "month_s": 90.0}])
    lines = table.splitlines()
    assert "1,234" in lines[2] and "2.5×" in lines[2] and "90.0" in lines[3]
    assert len({len(line) for line in lines}) == 1


def test_row_table_floor_writes_every_contact_row_once_per_layer(landings, tmp_path):
    from benchmarks.row_table_floor import LAYERS, write_row_tables

    _, scaled, rows = landings
    with duckdb.connect(str(tmp_path / "floor.duckdb")) as conn:
        seconds = write_row_tables(conn, scaled, MONTH)
        for contract in SCALED_CONTRACTS:
            counts = [conn.execute(f"select count(*) from {layer}_{contract.source}").fetchone()[0] for layer in LAYERS]
            assert counts == [rows[contract.source]] * len(LAYERS), contract.source
    assert set(seconds) == {"read_s", "copies_s"}


def test_duckdb_floor_computes_the_same_groups_from_scaled_exports(landings):
    """Copies of rows add no group: the floor reads every scaled export (the Windows-1252 call export
    included) and finds the original month's groups, each non-empty."""
    from benchmarks.duckdb_floor import HEADLINE_AGGREGATES, headline_aggregates

    original, scaled, _ = landings
    with duckdb.connect() as conn:
        before = headline_aggregates(conn, original, MONTH)
    with duckdb.connect() as conn:
        after = headline_aggregates(conn, scaled, MONTH)
    assert set(before) == set(HEADLINE_AGGREGATES)
    assert after == before and min(before.values()) > 0
