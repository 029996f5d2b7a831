"""Bad input never becomes a wrong figure: the catalogue's cases for the hand-kept workbook and the other
CSV exports (the ticket cases are in ``test_bad_input_catalogue.py``; a file of their own so the two run
side by side in the test workers)."""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import duckdb
import pytest
from test_bad_input_catalogue import MONTH, _metrics, _snapshot, pipeline  # noqa: F401  (pipeline: a fixture)

from dagster_project.cli import describe_failures

# The same outcome rules for the hand-kept workbook and the other CSV exports: each case lands a
# re-export beside the sample file and runs the monthly job.


@dataclass
class SourceCase:
    name: str
    folder: str
    landed: str
    reexport: str
    mutate: Callable[[Path, Path], None]
    published: bool
    expect: list[str] = field(default_factory=list)
    quarantined: tuple[str, str] | None = None  # (source, rule)


def _workbook_case(mutate_workbook):
    def mutate(original: Path, target: Path) -> None:
        from openpyxl import load_workbook

        workbook = load_workbook(original)
        mutate_workbook(workbook)
        workbook.save(target)

    return mutate


def _drop_sheet(name):
    return _workbook_case(lambda wb: wb.remove(wb[name]))


def _header_down_two_rows(name):
    def change(wb):
        wb[name].insert_rows(1, 2)
        wb[name]["A1"] = "Rekap Februari 2024"

    return _workbook_case(change)


def _set_cell(name, column_title, value, row=2):
    def change(wb):
        sheet = wb[name]
        column = next(cell.column for cell in sheet[1] if cell.value == column_title)
        sheet.cell(row=row, column=column, value=value)

    return _workbook_case(change)


def _append_total_row(wb):
    sheet = wb["Tatap Muka"]
    titles = [cell.value for cell in sheet[1]]
    guests = sum(
        int(row[titles.index("Jumlah Tamu")] or 0)
        for row in sheet.iter_rows(min_row=2, values_only=True)
        if row[titles.index("Status")] == "Dilaksanakan"
    )
    total = [None] * len(titles)
    total[titles.index("Daerah/Instansi")] = "Total"
    total[titles.index("Jumlah Tamu")] = guests
    sheet.append(total)


def _csv_cell(column, value, row=3, delimiter=",", encoding="utf-8"):
    def mutate(original: Path, target: Path) -> None:
        text = original.read_bytes().decode(encoding)
        newline = "\r\n" if "\r\n" in text else "\n"
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        records[row - 1][records[0].index(column)] = value
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=newline).writerows(records)
        target.write_bytes(buffer.getvalue().encode(encoding))

    return mutate


SOURCE_CASES = [
    SourceCase(
        "Excel sheet missing",
        "registers",
        "registers.xlsx",
        "registers_reexport.xlsx",
        _drop_sheet("WA Blast"),
        False,
        ["registers_reexport.xlsx", "sheet 'WA Blast' is missing"],
    ),
    SourceCase(
        "Excel header moved to row 3",
        "registers",
        "registers.xlsx",
        "registers_reexport.xlsx",
        _header_down_two_rows("Kegiatan"),
        False,
        ["registers_reexport.xlsx [sheet 'Kegiatan']", "header is in row 3"],
    ),
    SourceCase(
        "text date in an unknown format",
        "registers",
        "registers.xlsx",
        "registers_reexport.xlsx",
        _set_cell("Vicon", "Tanggal", "Feb 2nd, 2024"),
        False,
        ["registers_reexport.xlsx [sheet 'Vicon']", "quarantine_within_threshold", "'type date"],
        ("registers_vicon", "type date %Y-%m-%d | %d/%m/%Y | %d %B %Y"),
    ),
    SourceCase(
        "formula error cell (#REF!)",
        "registers",
        "registers.xlsx",
        "registers_reexport.xlsx",
        _set_cell("Vicon", "Jumlah Peserta", "#REF!"),
        False,
        ["registers_reexport.xlsx [sheet 'Vicon']", "quarantine_within_threshold", "'type integer' (1)"],
        ("registers_vicon", "type integer"),
    ),
    SourceCase(
        "register with a total row at the bottom",
        "registers",
        "registers.xlsx",
        "registers_reexport.xlsx",
        _workbook_case(_append_total_row),
        True,
        quarantined=("registers_face_to_face", "total row (a summary, not a record)"),
    ),
    SourceCase(
        "negative duration",
        "calls",
        "calls.csv",
        "calls_reexport.csv",
        _csv_cell("Queue Time", "-12", delimiter=";", encoding="cp1252"),
        True,
        quarantined=("calls", "minimum 0"),
    ),
    SourceCase(
        "PPID request without registration number",
        "ppid",
        "ppid_register.csv",
        "ppid_register_reexport.csv",
        _csv_cell("nomor_registrasi", "", row=3),
        False,
        ["ppid_register_reexport.csv", "row 3", "'nomor_registrasi'", "required"],
    ),
]


@pytest.mark.parametrize("case", SOURCE_CASES, ids=lambda c: c.name)
def test_bad_input_outcome_other_sources(pipeline, case):
    data_dir, run, baseline = pipeline
    folder = data_dir / "landing" / case.folder / MONTH
    original = folder / case.landed
    original_bytes = original.read_bytes()
    before_files = _snapshot(data_dir / "published" / MONTH)
    before_metrics = _metrics(data_dir)
    bad = folder / case.reexport
    case.mutate(original, bad)
    os.utime(bad, (original.stat().st_mtime + 3600,) * 2)
    try:
        result = run()
        messages = "\n".join(describe_failures(result))
        assert result.success is case.published, messages
        assert original.read_bytes() == original_bytes, "a landed file was modified"
        if case.quarantined:
            with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
                rules = {
                    rule
                    for (rule,) in conn.execute(
                        "select rule from raw.quarantine where report_month = date '2024-02-01' and source = ?",
                        [case.quarantined[0]],
                    ).fetchall()
                }
            assert case.quarantined[1] in rules
        if not case.published:
            for fragment in case.expect:
                assert fragment in messages
            assert _snapshot(data_dir / "published" / MONTH) == before_files
            assert _metrics(data_dir) == before_metrics
        elif case.name.startswith("register with a total row"):
            registers = ("face_to_face", "reservations", "vicon", "events", "wa_blast", "web_publications")
            after = {k: v for k, v in _metrics(data_dir).items() if k[0].startswith(registers)}
            assert after == {k: v for k, v in before_metrics.items() if k[0].startswith(registers)}, (
                "a total row set aside changes no figure"
            )
    finally:
        bad.unlink()
