"""One sheet of a hand-kept XLSX register as a plain CSV, so the one loading path reads it.

Registers are small (tens to hundreds of rows) and typed by hand, so ``openpyxl`` reads them
cell by cell. Cells become text exactly once, here:

- Excel date cells → ``YYYY-MM-DD`` (``YYYY-MM-DD HH:MM:SS`` when they carry a time); text dates stay
  as typed (``01/02/2024``, ``1 Februari 2024``) and are parsed by the contract's date formats;
- whole numbers stored as floats (``4.0``) → ``4``; numbers typed as text stay text (the loader casts);
- formula error cells (``#REF!``, ``#VALUE!`` …) stay as their error text, which no column type
  accepts, so the row is quarantined with that value;
- trailing empty rows (Excel keeps formatted blank rows) are not data and are left out; blank rows
  between data rows are kept and quarantined, so row numbers stay the sheet's own.

The header must be row 1. A header found further down is an error that says where it was found.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

from .contracts import ExportContract
from .landing import ExportError

HEADER_SEARCH_ROWS = 10
XLSX_SIGNATURE = b"PK\x03\x04"
"""An .xlsx workbook is a ZIP archive: its first bytes are a ZIP local-file header."""


def describe_content(head: bytes) -> str:
    """What the first bytes of a file look like, in words (never quoting them: they may be personal data)."""
    if not head:
        return "an empty file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old-style Excel .xls (or other OLE2) file"
    if head.startswith(b"%PDF"):
        return "a PDF document"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith((b"<!DOCTYPE", b"<html", b"<HTML", b"<?xml")):
        return "HTML/XML text"
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = head.decode("cp1252")
        except UnicodeDecodeError:
            return "binary data that is not a ZIP archive"
    if "\x00" in text:
        return "binary data that is not a ZIP archive"
    first_line = text.splitlines()[0] if text.splitlines() else ""
    for delimiter in (",", ";", "\t"):
        if delimiter in first_line:
            return f"plain text with {'tab' if delimiter == chr(9) else repr(delimiter)}-separated lines (a CSV file)"
    return "plain text"


def check_is_xlsx(path: Path, workbook_display: str) -> None:
    """One clear error when the file is not a workbook at all (a CSV saved as ``.xlsx``, an ``.xls``…)."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if not head.startswith(XLSX_SIGNATURE):
        raise ExportError(
            f"{workbook_display}: is not an Excel workbook: found {describe_content(head)}, expected an .xlsx "
            "workbook (a ZIP archive) — rule: registers are saved as Excel .xlsx; re-save the file as "
            '"Excel Workbook (.xlsx)"'
        )


def cell_text(value: object) -> str:
    """The text the loader sees for one cell value as ``openpyxl`` returns it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_rows(path: Path, contract: ExportContract, display: str, workbook_display: str) -> list[list[str]]:
    from openpyxl import load_workbook  # imported on use: only the register assets need it

    check_is_xlsx(path, workbook_display)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # zipfile.BadZipFile, KeyError, InvalidFileException …
        raise ExportError(
            f"{workbook_display}: cannot be opened as an Excel workbook: found a ZIP archive that is damaged or is "
            "not a workbook, expected an .xlsx workbook — rule: registers are saved as Excel .xlsx"
        ) from error
    try:
        if contract.sheet not in workbook.sheetnames:
            raise ExportError(
                f"{display}: sheet {contract.sheet!r} is missing (sheets: {', '.join(workbook.sheetnames) or 'none'}) "
                f"— rule: the register has a sheet named {contract.sheet!r}"
            )
        rows = [[cell_text(value) for value in row] for row in workbook[contract.sheet].iter_rows(values_only=True)]
    finally:
        workbook.close()
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    return rows


def _check_header_row(rows: list[list[str]], contract: ExportContract, display: str) -> None:
    wanted = set(contract.column_names)
    header = {cell.strip() for cell in rows[0]} if rows else set()
    if wanted & header:
        return
    for number, row in enumerate(rows[1:HEADER_SEARCH_ROWS], start=2):
        if wanted <= {cell.strip() for cell in row}:
            raise ExportError(
                f"{display}: row 1 (header): the header is in row {number}, not row 1 "
                f"— rule: sheet {contract.sheet!r} has its header in row 1"
            )
    if not rows:
        raise ExportError(f"{display}: the sheet is empty (no header row) — rule: header row required")


@contextmanager
def sheet_as_csv(
    path: Path, contract: ExportContract, display: str, workbook_display: str | None = None
) -> Iterator[Path]:
    """The contract's sheet of ``path`` as a temporary UTF-8 CSV (header row 1, same row numbers).

    ``display`` names the sheet in messages (``registers.xlsx [sheet 'Vicon']``); ``workbook_display``
    names the file alone, used for errors of the whole workbook, so that every sheet's asset reports
    the same single line for one bad workbook.
    """
    rows = _read_rows(path, contract, display, workbook_display or display)
    _check_header_row(rows, contract, display)
    width = max(len(row) for row in rows)
    header = rows[0]
    while (
        width > 1 and not header[width - 1].strip() and not any(len(r) >= width and r[width - 1].strip() for r in rows)
    ):
        width -= 1  # unused formatted columns on the right
    with tempfile.TemporaryDirectory(prefix="djpk-xlsx-") as folder:
        target = Path(folder) / f"{path.stem}-{contract.entity}.csv"
        header = [
            name.strip() or f"unnamed_column_{index}" for index, name in enumerate((header + [""] * width)[:width], 1)
        ]
        with open(target, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            for row in rows[1:]:
                writer.writerow((row + [""] * width)[:width])
        yield target
