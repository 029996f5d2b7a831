"""A month that cannot be published fails loudly and leaves the earlier publication untouched;
publishing the same month twice gives the same figures byte for byte."""

from __future__ import annotations

import csv
import hashlib

import duckdb
import pytest

from djpk_runner import run_djpk
from dagster_project.sample.generate import generate_samples


def _snapshot(folder):
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in folder.iterdir() if path.is_file()}


def _published_rows(data_dir):
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        return conn.execute("select * from published.report_metrics order by all").fetchall()


@pytest.fixture(scope="module")
def published_once(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("gate")
    generate_samples(data_dir / "landing", months=["2024-02"])
    run_djpk("materialize", "--month", "2024-02", data_dir=data_dir)
    return data_dir


def test_republishing_is_byte_identical_and_keeps_versions(published_once):
    folder = published_once / "published" / "2024-02"
    first = (folder / "report_metrics.csv").read_bytes()
    run_djpk("materialize", "--month", "2024-02", data_dir=published_once)
    assert (folder / "report_metrics.csv").read_bytes() == first
    assert sorted(path.name for path in (folder / "versions").iterdir()) == ["0001", "0002"]


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
