"""Scale a landed sample month by a factor: every contact export holds ``factor`` copies of each row.

The contact channels are what grows when the pipeline serves every Kemenkeu contact center: tickets,
chatbot sessions, phone calls and e-mail lapor are scaled. The employee-advocacy files (all 75,711
employees already), the hand-kept registers, PPID and the FAQ review list stay at their real size.

Copy ``c`` (0 … factor-1) of a row keeps every value except its key, which gets ``c`` folded in (copy 0 is
the original row), so keys stay unique, a chatbot hand-over still finds its ticket in the same copy, and
forwarded e-mail duplicates stay duplicates. Distinct people, pemda and topics do not grow: the same
population contacts the centers more often. Each file is rewritten by DuckDB (no Python row loop);
the Windows-1252 call export is transcoded around it.
"""

from __future__ import annotations

import codecs
import csv
import shutil
import tempfile
from pathlib import Path

import duckdb

from dagster_project.lib.contracts import CALLS, CHATBOT, EMAIL_LAPOR, TICKETS, ExportContract
from dagster_project.lib.landing import landed_files
from dagster_project.lib.loader import utf8_view

TICKET_ID_STRIDE = 100_000_000_000
"""Sample ticket ids are 11 digits: copy c adds c × 10^11 (still a BIGINT at ×10,000)."""

SCALED_KEYS: dict[str, dict[str, str]] = {
    TICKETS.source: {
        "id": f"cast(cast(id as bigint) + copy * {TICKET_ID_STRIDE} as varchar)",
        "ref": "if(copy = 0, ref, ref || '-' || copy)",
    },
    CHATBOT.source: {
        "session_id": "if(copy = 0, session_id, session_id || '-' || copy)",
        "ticket_ref": "if(copy = 0 or ticket_ref is null, ticket_ref, ticket_ref || '-' || copy)",
    },
    CALLS.source: {"CallID": 'if(copy = 0, "CallID", "CallID" || \'-\' || copy)'},
    EMAIL_LAPOR.source: {"message_id": "if(copy = 0, message_id, '<c' || copy || '.' || ltrim(message_id, '<'))"},
}
SCALED_CONTRACTS: tuple[ExportContract, ...] = (TICKETS, CHATBOT, CALLS, EMAIL_LAPOR)


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _encode_utf8_as(source: Path, target: Path, encoding: str) -> None:
    """Write the UTF-8 file ``source`` to ``target`` in ``encoding`` (the way back of ``utf8_view``)."""
    with open(source, encoding="utf-8", newline="") as read, open(target, "w", encoding=encoding, newline="") as write:
        shutil.copyfileobj(read, write, 1 << 20)


def scale_file(contract: ExportContract, path: Path, factor: int) -> int:
    """Rewrite ``path`` in place with ``factor`` copies of each row; returns the number of data rows.

    Factor 1 leaves the file as generated (byte for byte) and only counts its rows."""
    replacements = SCALED_KEYS[contract.source]
    columns = ", ".join(
        f"{replacements[column.name]} as {_quoted(column.name)}"
        if column.name in replacements
        else _quoted(column.name)
        for column in contract.columns
    )
    if factor == 1:
        with open(path, "rb") as handle:
            return (
                sum(1 for _ in csv.reader(codecs.iterdecode(handle, contract.encoding), delimiter=contract.delimiter))
                - 1
            )
    with tempfile.TemporaryDirectory(dir=path.parent) as scratch, utf8_view(path, contract.encoding) as source:
        target = Path(scratch) / "out.csv"
        delimiter = contract.delimiter.replace("'", "''")
        with duckdb.connect() as conn:
            conn.execute("set preserve_insertion_order = false")
            conn.execute(
                f"copy (select {columns} from read_csv('{source}', all_varchar = true, header = true, "
                f"delim = '{delimiter}', quote = '\"', escape = '\"'), range({factor}) copies(copy)) "
                f"to '{target}' (format csv, header, delimiter '{delimiter}')"
            )
            rows = conn.execute(
                f"select count(*) from read_csv('{target}', all_varchar = true, header = true, delim = '{delimiter}')"
            ).fetchone()[0]
        if source == path:
            target.replace(path)
        else:
            _encode_utf8_as(target, path, contract.encoding)
    return rows


def scale_month(landing: Path, month: str, factor: int) -> dict[str, int]:
    """Scale every contact export of ``month`` under ``landing``; rows per source after scaling."""
    rows = {}
    for contract in SCALED_CONTRACTS:
        landed = landed_files(landing, contract, month)[-1]  # the file loaded, not hashed
        rows[contract.source] = scale_file(contract, landed, factor)
    return rows
