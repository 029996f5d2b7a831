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
from test_bad_input_catalogue import (  # noqa: F401  (pipeline: a fixture)
    BAD_NAME,
    MONTH,
    TICKET_ROW_RULES,
    _metrics,
    _snapshot,
    pipeline,
    tickets_with_bad_rows,
)

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

    finally:
        bad.unlink()


# Row rules: a bad row is set aside in raw.quarantine with its rule and the month publishes without it. Rows are
# independent, so every source's row-rule case is one re-export in ONE run (one month run instead of six); each
# case is still its own test on that run's outcome.
ROW_RULE_CASES = [(name, "tickets", rule) for name, _, _, rule in TICKET_ROW_RULES] + [
    ("negative duration", "calls", "minimum 0"),
    ("register with a total row at the bottom", "registers_face_to_face", "total row (a summary, not a record)"),
]
REGISTERS = ("face_to_face", "reservations", "vicon", "events", "wa_blast", "web_publications")


@pytest.fixture(scope="module")
def row_rules_run(pipeline):
    data_dir, run, baseline = pipeline
    landing = data_dir / "landing"
    reexports = {  # landed file → (re-export, how it is made)
        landing / "tickets" / MONTH / "tickets.csv": (BAD_NAME, _tickets_reexport),
        landing / "calls" / MONTH / "calls.csv": (
            "calls_reexport.csv",
            _csv_cell("Queue Time", "-12", delimiter=";", encoding="cp1252"),
        ),
        landing / "registers" / MONTH / "registers.xlsx": (
            "registers_reexport.xlsx",
            _workbook_case(_append_total_row),
        ),
    }
    originals = {path: path.read_bytes() for path in reexports}
    before_files = _snapshot(data_dir / "published" / MONTH)
    before_metrics = _metrics(data_dir)
    written = []
    try:
        for original, (name, mutate) in reexports.items():
            bad = original.with_name(name)
            mutate(original, bad)
            os.utime(bad, (original.stat().st_mtime + 3600,) * 2)
            written.append(bad)
        result = run()
        with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
            quarantined = conn.execute(
                "select source, rule, source_file, row_number from raw.quarantine where report_month = date '2024-02-01'"
            ).fetchall()
        yield {
            "result": result,
            "messages": "\n".join(describe_failures(result)),
            "quarantined": quarantined,
            "unchanged_originals": all(path.read_bytes() == data for path, data in originals.items()),
            "before_files": before_files,
            "before": before_metrics,
            "after": _metrics(data_dir),
            "after_files": _snapshot(data_dir / "published" / MONTH),
        }
    finally:
        for bad in written:
            bad.unlink()


def _tickets_reexport(original: Path, target: Path) -> None:
    with open(original, encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    target.write_bytes(tickets_with_bad_rows(header, rows))


@pytest.mark.parametrize(("case", "source", "rule"), ROW_RULE_CASES, ids=[case[0] for case in ROW_RULE_CASES])
def test_a_row_rule_sets_the_row_aside_and_the_month_publishes(row_rules_run, case, source, rule):
    outcome = row_rules_run
    assert outcome["result"].success, outcome["messages"]
    assert outcome["unchanged_originals"], "a landed file was modified"
    rules = {(q_source, q_rule) for q_source, q_rule, _, _ in outcome["quarantined"]}
    assert (source, rule) in rules
    before_versions = {k: v for k, v in outcome["before_files"].items() if k.startswith("versions/")}
    assert {k: v for k, v in outcome["after_files"].items() if k in before_versions} == before_versions, (
        "an earlier version was rewritten"
    )
    if source == "tickets":  # the exact row, and the month counts every ticket but the rows set aside
        index = [name for name, _, _, _ in TICKET_ROW_RULES].index(case)
        assert ("tickets", rule, f"landing/tickets/{MONTH}/{BAD_NAME}", 11 + index) in outcome["quarantined"]
        tickets = [q for q in outcome["quarantined"] if q[0] == "tickets"]
        assert len(tickets) == len(TICKET_ROW_RULES)
        assert outcome["after"][("tickets_total", "")] == outcome["before"][("tickets_total", "")] - len(tickets)
    if source.startswith("registers"):  # a total row set aside changes no register figure
        after = {k: v for k, v in outcome["after"].items() if k[0].startswith(REGISTERS)}
        assert after == {k: v for k, v in outcome["before"].items() if k[0].startswith(REGISTERS)}
