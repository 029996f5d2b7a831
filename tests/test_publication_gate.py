"""A month that cannot be published fails loudly and leaves the earlier publication untouched;
publishing the same month twice gives the same figures byte for byte."""

from __future__ import annotations

import csv
import hashlib
import os

import duckdb
import pytest
from djpk_runner import copy_of_demo, run_djpk


def _snapshot(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir() if path.is_file()}


def _published_rows(data_dir):
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute("select * from published.report_metrics order by all").fetchall()


@pytest.fixture(scope="module")
def published_once(demo_data_dir, tmp_path_factory):
    """The demo's data dir, copied: 2024-02 published once (version 0001)."""
    return copy_of_demo(demo_data_dir, tmp_path_factory.mktemp("gate"))


def test_republishing_is_byte_identical_and_keeps_versions(published_once):
    folder = published_once / "published" / "2024-02"
    first = (folder / "report_metrics.csv").read_bytes()
    run_djpk("materialize", "--month", "2024-02", data_dir=published_once)
    assert (folder / "report_metrics.csv").read_bytes() == first
    assert sorted(path.name for path in (folder / "versions").iterdir()) == ["0001", "0002"]


def _published_values(data_dir):
    return {
        (metric, dimension): value
        for month, metric, dimension, value, *_prev in _published_rows(data_dir)
        if month.isoformat() == "2024-02-01"
    }


def test_reexport_with_one_corrected_row_changes_exactly_that_figure(published_once):
    """The agent escalated one more ticket: a corrected export moves tickets_escalated by one (and
    the percentage computed from it, and the escalated tickets of its topic), nothing else; the first
    export stays on disk untouched."""
    folder = published_once / "landing" / "tickets" / "2024-02"
    original = folder / "tickets.csv"
    original_bytes = original.read_bytes()
    before = _published_values(published_once)
    with open(original, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns, rows = reader.fieldnames, list(reader)
    target = next(row for row in rows if not row["escalated_to"] and row["department"] == "DAU")
    target["escalated_to"] = "Direktorat Dana Transfer Umum"
    corrected = folder / "tickets (1).csv"
    with open(corrected, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    os.utime(corrected, (original.stat().st_mtime + 60,) * 2)
    try:
        run_djpk("materialize", "--month", "2024-02", data_dir=published_once)
        after = _published_values(published_once)
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        assert changed == {
            ("tickets_escalated", ""),
            ("tickets_escalated_pct", ""),
            ("tickets_escalated_by_topic", "DAU"),
        }
        assert after[("tickets_escalated", "")] == before[("tickets_escalated", "")] + 1
        assert after[("tickets_escalated_by_topic", "DAU")] == before[("tickets_escalated_by_topic", "DAU")] + 1
        assert original.read_bytes() == original_bytes
    finally:
        corrected.unlink()
        run_djpk("materialize", "--month", "2024-02", data_dir=published_once)
    assert _published_values(published_once) == before


def test_missing_channel_column_stops_publication(published_once):
    folder = published_once / "published" / "2024-02"
    before_files, before_rows = _snapshot(folder), _published_rows(published_once)
    export = published_once / "landing" / "tickets" / "2024-02" / "tickets.csv"
    with open(export, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = [name for name in rows[0] if name != "channel"]
    with open(export, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)

    completed = run_djpk("materialize", "--month", "2024-02", data_dir=published_once, check=False)

    assert completed.returncode != 0
    assert "landing/tickets/2024-02/tickets.csv" in completed.stderr
    assert "missing column 'channel'" in completed.stderr
    assert _snapshot(folder) == before_files
    assert _published_rows(published_once) == before_rows
