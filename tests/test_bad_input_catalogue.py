"""Bad input never becomes a wrong figure: a catalogue of broken ticket exports and their outcome.

Each case drops a corrected-looking re-export of the sample 2024-02 `tickets.csv` beside the
landed file (the newest file is the one loaded), runs the real monthly job in-process and asserts
its outcome: an error naming file, row/column and rule with the previous publication unchanged,
or a quarantined row with its reason (the month still publishes under the threshold and every
earlier published version stays as it was). The re-export is removed afterwards.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pytest
from dagster import DagsterInstance
from djpk_runner import copy_of_demo

from dagster_project.cli import describe_failures
from dagster_project.definitions import build_defs
from dagster_project.jobs import MONTHLY_JOB_NAME

MONTH = "2024-02"
BAD_NAME = "tickets_reexport.csv"


@dataclass
class Case:
    name: str
    mutate: Callable[[list[str], list[list[str]]], bytes]
    published: bool
    expect: list[str] = field(default_factory=list)


def _csv(header, rows, encoding="utf-8") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _set(column, value, row=9):
    def mutate(header, rows):
        rows = [list(r) for r in rows]
        rows[row][header.index(column)] = value
        return _csv(header, rows)

    return mutate


def _drop_column(column):
    def mutate(header, rows):
        keep = [i for i, name in enumerate(header) if name != column]
        return _csv([header[i] for i in keep], [[r[i] for i in keep] for r in rows])

    return mutate


def _rename_column(old, new):
    return lambda header, rows: _csv([new if h == old else h for h in header], rows)


def _add_column(header, rows):
    return _csv([*header, "sla_policy"], [[*r, "standard"] for r in rows])


def _with_bom(header, rows):
    return b"\xef\xbb\xbf" + _csv(header, rows)


def _latin1(header, rows):
    rows = [list(r) for r in rows]
    rows[4][header.index("subject")] = "Penjelasan Dana Desa – “Siltap” Müller"
    return (
        _csv(header, rows)
        .replace("–".encode(), b"\x96")
        .replace("“".encode(), b"\x93")
        .replace("”".encode(), b"\x94")
        .replace("ü".encode(), b"\xfc")
    )


def _truncated(header, rows):
    data = _csv(header, rows)
    return data[: len(data) // 2].rsplit(b",", 3)[0] + b',"unterminated'


def _duplicate_id(header, rows):
    rows = [list(r) for r in rows]
    rows[20][0] = rows[10][0]
    return _csv(header, rows)


CASES = [
    Case("empty file", lambda h, r: b"", False, [BAD_NAME, "empty"]),
    Case("header only", lambda h, r: _csv(h, []), False, [BAD_NAME, "header only"]),
    Case("truncated file", _truncated, False, [BAD_NAME, "cannot be read", "unterminated quote"]),
    Case(
        "wrong encoding (Windows-1252)", _latin1, False, [BAD_NAME, "row 6", "not utf-8 encoded", "rule: a well-formed"]
    ),
    Case("missing column", _drop_column("channel"), False, [BAD_NAME, "missing column 'channel'"]),
    Case(
        "renamed column",
        _rename_column("person_category", "kategori"),
        False,
        [BAD_NAME, "missing column 'person_category'"],
    ),
    Case("duplicate id in one file", _duplicate_id, False, [BAD_NAME, "column 'id'", "unique key in file"]),
    Case(
        "unknown department",
        _set("department", "Dana Otsus Baru"),
        False,
        [BAD_NAME, "row 11", "'department' = 'Dana Otsus Baru'", "allowed values"],
    ),
    # The row rules (a row set aside, the month published without it) are one run, with the other sources'
    # row rules: test_bad_input_catalogue_sources.py, ROW_RULE_CASES.
    Case("BOM", _with_bom, True),
    Case("extra column", _add_column, True),
    Case("re-export repeating every id", lambda h, r: _csv(h, r), True),
    Case("a pemda that matches nothing", _set("region", "Kabupaten Antah Berantah"), True),
]


TICKET_ROW_RULES = [  # (case, column, value, the rule that sets the row aside)
    ("unknown channel", "channel", "telegram", "allowed values"),
    ("feedback 7", "feedback_service", "7", "maximum 5"),
    ("timestamp in another month", "date_created", "2024-03-05T03:00:00Z", "inside report month 2024-02 (WIB)"),
    ("malformed timestamp", "date_created", "29/02/2024 10:00", "type %Y-%m-%dT%H:%M:%SZ"),
]
"""Each on its own data row: the n-th rule on data row 10 + n, which is line (row number) 11 + n of the file."""


def tickets_with_bad_rows(header: list[str], rows: list[list[str]]) -> bytes:
    rows = [list(r) for r in rows]
    for index, (_, column, value, _) in enumerate(TICKET_ROW_RULES):
        rows[9 + index][header.index(column)] = value
    return _csv(header, rows)


def _snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()
    }


def _metrics(data_dir: Path) -> dict[tuple[str, str], float]:
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        return {
            (m, d): v
            for m, d, v in conn.execute(
                "select metric, dimension, value from published.report_metrics where month = date '2024-02-01'"
            ).fetchall()
        }


@pytest.fixture(scope="module")
def pipeline(demo_data_dir, tmp_path_factory):
    """A copy of the demo's data dir (2024-02 published) and the monthly job bound to it."""
    data_dir = copy_of_demo(demo_data_dir, tmp_path_factory.mktemp("catalogue"))
    job = build_defs(str(data_dir)).resolve_job_def(MONTHLY_JOB_NAME)
    instance = DagsterInstance.ephemeral()

    # ingest → lookups → dbt → gate → publish (the report step completes and switches in the new version);
    # the API pulls (their raw tables are in the copy) and the analysts' copy do not change what these cases check
    selection = [
        key
        for key in job.asset_layer.executable_asset_keys
        if key.path[0] != "analysts" and not key.path[-1].startswith("api_")
    ]

    def run():
        return job.execute_in_process(
            partition_key=MONTH, instance=instance, raise_on_error=False, asset_selection=selection
        )

    return data_dir, run, _metrics(data_dir)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_bad_input_outcome(pipeline, case):
    data_dir, run, baseline = pipeline
    folder = data_dir / "landing" / "tickets" / MONTH
    original = folder / "tickets.csv"
    with open(original, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    before_files = _snapshot(data_dir / "published" / MONTH)
    before_metrics = _metrics(data_dir)
    original_bytes = original.read_bytes()
    bad = folder / BAD_NAME
    bad.write_bytes(case.mutate(header, rows))
    os.utime(bad, (original.stat().st_mtime + 3600,) * 2)
    try:
        result = run()
        messages = "\n".join(describe_failures(result))
        assert result.success is case.published, messages
        assert original.read_bytes() == original_bytes, "a landed file was modified"
        if not case.published:
            for fragment in case.expect:
                assert fragment in messages
            assert _snapshot(data_dir / "published" / MONTH) == before_files
            assert _metrics(data_dir) == before_metrics
            return
        after_files = _snapshot(data_dir / "published" / MONTH)
        assert {k: v for k, v in after_files.items() if k in before_files and k.startswith("versions/")} == {
            k: v for k, v in before_files.items() if k.startswith("versions/")
        }, "an earlier version was rewritten"
        after = _metrics(data_dir)
        with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
            quarantined = conn.execute(
                "select rule, source_file, row_number from raw.quarantine "
                "where report_month = date '2024-02-01' and source = 'tickets'"
            ).fetchall()
        if case.name == "a pemda that matches nothing":
            assert quarantined == []
            assert after[("tickets_tz_unidentified", "")] == baseline[("tickets_tz_unidentified", "")] + 1
            assert after[("tickets_total", "")] == baseline[("tickets_total", "")]
        else:
            assert quarantined == []
            assert after == baseline
    finally:
        bad.unlink()
