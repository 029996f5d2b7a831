"""One loading path for every export, driven by its :class:`ExportContract`.

Steps, all inside DuckDB so the same code takes ten million rows:

1. make the file readable as UTF-8 CSV: as is, transcoded (``cp1252``), or an XLSX sheet written
   out as CSV by :mod:`.xlsx`; read the header (BOM tolerated) and check every contract column is
   present;
2. scan it with ``read_csv`` and explicit column types (every field as VARCHAR, exactly as
   written), numbering the data rows;
3. parse each column by its contract kind and evaluate the row rules (required, type, allowed
   values, range, inside the report month, unique key);
4. a violated ``fail`` rule raises :class:`ExportError` naming file, row, column and rule; a
   violated ``quarantine`` rule sends the row to ``raw.quarantine`` with its reasons;
5. in one transaction, replace the month's rows of ``raw.<system>_<entity>``, its quarantine rows
   and its ``raw.load_log`` entry.

Nothing is dropped silently: rows in file = rows loaded + rows quarantined, recorded in the log.
"""

from __future__ import annotations

import codecs
import csv
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas

from .contracts import ColumnContract, ExportContract
from .landing import ExportError, LandedFile
from .months import WIB_OFFSET, month_start, next_month_start
from .xlsx import sheet_as_csv

RAW_SCHEMA = "raw"
DUCKDB_NATIVE_ENCODINGS = {"utf-8", "utf8"}
MAX_ERRORS_IN_MESSAGE = 5
SUMMARY_ROW_LABELS = ("total", "jumlah", "grand total", "total keseluruhan", "jumlah total")
SCRUB_CHUNK_ROWS = 200_000
"""Rows of a file whose free text is scrubbed in Python at a time (a month of 10 M tickets: 49 chunks)."""
DUPLICATE_KEYS = "_duplicate_keys"
"""Temp table of the key values written more than once in the export being loaded (the unique-key rule)."""
WORK_SCHEMA = "loader_work"
"""Schema of the loader's month-sized working tables in the warehouse file. Regular tables, not temp tables: a
temp table of a large month lives in memory and spills to temp files, and evaluating the rules over it took 20–24 s
at 10 M tickets against 3.4–4.0 s over the same rows in the database file (docs/benchmarks.md, session 17). Each is
replaced by the next load and dropped at the end of its own."""
SCAN = f"{WORK_SCHEMA}._scan"
"""Every field of the export as written (VARCHAR), in file order."""
ROWS = f"{WORK_SCHEMA}._rows"
"""The scanned rows numbered, parsed and flagged by every rule."""
SUMMARY_ROW_RULE = "total row (a summary, not a record)"
"""Quarantined like any broken row, but not counted against the source's quarantine threshold."""


@dataclass(frozen=True)
class LoadResult:
    source: str
    month: str
    raw_table: str
    source_file: str
    sha256: str
    rows_in_file: int
    rows_loaded: int
    rows_quarantined: int
    quarantine_by_rule: dict[str, int]
    extra_columns: tuple[str, ...]
    superseded_files: tuple[str, ...]


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_header(
    path: Path, contract: ExportContract, encoding: str | None = None, display: str | None = None
) -> list[str]:
    """The header row as written, or an error for an empty or undecodable header line (naming ``display``)."""
    display = display or str(path)
    encoding = encoding or contract.encoding
    encoding = "utf-8-sig" if encoding.lower() in DUCKDB_NATIVE_ENCODINGS else encoding
    with open(path, "rb") as handle:
        first_line = handle.readline()
    try:
        text = first_line.decode(encoding)
    except UnicodeDecodeError as error:
        raise ExportError(
            f"{display}: row 1 (header): not valid {contract.encoding} text ({error.reason}) "
            f"— rule: file encoding is {contract.encoding}"
        ) from error
    delimiter = "," if contract.file_format == "xlsx" else contract.delimiter
    header = next(csv.reader([text], delimiter=delimiter), None)
    if not header or not any(cell.strip() for cell in header):
        raise ExportError(f"{display}: the file is empty (no header row) — rule: header row required")
    return [cell.strip() for cell in header]


def check_header(path: Path, contract: ExportContract, header: list[str]) -> tuple[str, ...]:
    """Missing contract columns are an error; returns the extra columns (read, not loaded)."""
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise ExportError(
            f"{path}: row 1 (header): column {duplicated[0]!r} appears more than once — rule: column names are unique"
        )
    missing = [name for name in contract.column_names if name not in header]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        raise ExportError(
            f"{path}: row 1 (header): missing column {listed} "
            f"— rule: the '{contract.source}' export must have every contract column "
            f"({', '.join(contract.column_names)})"
        )
    return tuple(name for name in header if name not in contract.column_names)


@contextmanager
def utf8_view(path: Path, encoding: str, display: str | None = None):
    """The file as UTF-8: itself when DuckDB reads its encoding, else a transcoded temp copy."""
    if encoding.lower() in DUCKDB_NATIVE_ENCODINGS:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="djpk-transcode-") as folder:
        target = Path(folder) / path.name
        with open(path, "rb") as source, open(target, "wb") as sink:
            reader = codecs.getreader(encoding)(source, errors="strict")
            writer = codecs.getwriter("utf-8")(sink)
            try:
                shutil.copyfileobj(reader, writer, 1 << 20)
            except UnicodeDecodeError as error:
                raise ExportError(f"{display or path}: not valid {encoding} text — rule: file encoding") from error
        yield target


@contextmanager
def readable_csv(path: Path, contract: ExportContract, display: str, file_display: str | None = None):
    """(UTF-8 CSV path, header) for the landed file, whatever its format and encoding."""
    if contract.file_format == "xlsx":
        with sheet_as_csv(path, contract, display, file_display) as converted:
            yield converted, read_header(converted, contract, "utf-8", display)
        return
    header = read_header(path, contract, display=display)
    with utf8_view(path, contract.encoding, display) as converted:
        yield converted, header


INDONESIAN_MONTHS = {
    "januari": "january",
    "februari": "february",
    "maret": "march",
    "mei": "may",
    "juni": "june",
    "juli": "july",
    "agustus": "august",
    "oktober": "october",
    "desember": "december",
}  # fmt: skip  (april, september and november are spelt alike)


def _english_month_names(sql: str) -> str:
    """SQL turning ``1 Februari 2024`` into ``1 february 2024`` so ``%B`` parses it."""
    out = f"lower({sql})"
    for indonesian, english in INDONESIAN_MONTHS.items():
        out = f"replace({out}, '{indonesian}', '{english}')"
    return out


ISO_8601 = r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?)?"
"""Every extended ISO 8601 form of a date or a date and time: ``2024-02-05``, ``2024-02-05T09:43``,
``2024-02-05 09:43:10``, ``2024-02-05T09:43:10.123``, ``…Z``, ``…+07:00``, ``…+0700``, ``…+07``."""
CLOCK_OFFSET_MICROSECONDS = {"utc": 0, "wib": int(WIB_OFFSET.total_seconds()) * 1_000_000}
"""What is added to a UTC instant to read it on each clock a contract names."""


def _iso8601(text: str, clock: str) -> str:
    """SQL parsing ISO 8601 ``text`` into a TIMESTAMP on ``clock`` (NULL unless an ISO 8601 form).

    A value with ``Z`` or an offset is converted to ``clock``; a value without one is taken as written. Once the
    value matches ``ISO_8601``, DuckDB's own casts read it: to TIMESTAMPTZ (the instant, whatever the session's
    time zone) when it ends with ``Z`` or carries a sign after its date, else to TIMESTAMP as written: about a
    third of the time regular expressions took to find and apply the offset (docs/benchmarks.md, session 15).
    """
    decimal_point = f"replace({text}, ',', '.')"
    after_date = f"substr({text}, 12)"
    has_offset = f"(suffix({text}, 'Z') or contains({after_date}, '+') or contains({after_date}, '-'))"
    instant_us = f"epoch_us(try_cast({decimal_point} as timestamptz))"
    return (
        f"(case when not regexp_full_match({text}, {_literal(ISO_8601)}) then null "
        f"when {has_offset} then make_timestamp({instant_us} + {CLOCK_OFFSET_MICROSECONDS[clock]}) "
        f"else try_cast({decimal_point} as timestamp) end)"
    )


PARSED_PREFIX = "_parsed_"
"""Prefix of the columns of ``_rows`` holding a field parsed into its contract type (computed once per row)."""


def _parses(column: ColumnContract) -> bool:
    """Whether the column's text is parsed into another type (integer, timestamp, date, boolean)."""
    return column.kind in ("integer", "timestamp", "date", "boolean")


def _value(column: ColumnContract) -> str:
    """SQL of the column's contract-typed value inside ``_rows``: its parse, computed once when building
    ``_rows`` and read by every rule and the typed insert; a text or enum field read as it stands."""
    return _quote(PARSED_PREFIX + column.name) if _parses(column) else _parsed(column)


def _parsed(column: ColumnContract) -> str:
    """SQL parsing a VARCHAR field into its contract type (NULL when empty or unparseable)."""
    raw = _quote(column.name)
    blank_to_null = f"nullif(trim({raw}), '')"
    if column.reads_iso8601:
        parsed = _iso8601(blank_to_null, column.clock if column.kind == "timestamp" else "wib")
        return parsed if column.kind == "timestamp" else f"cast({parsed} as date)"
    if column.kind == "integer":
        return f"try_cast({blank_to_null} as bigint)"
    if column.kind == "timestamp" and column.stores_utc:
        # a trailing Z written as the +00:00 that %z reads (a suffix test: half the time of a regexp_replace)
        with_offset = (
            f"(case when suffix({blank_to_null}, 'Z') then left({blank_to_null}, -1) || '+00:00' "
            f"else {blank_to_null} end)"
        )
        return f"make_timestamp(epoch_us(try_strptime({with_offset}, {_literal(column.timestamp_format or '')})))"
    if column.kind == "timestamp":
        return f"try_strptime({blank_to_null}, {_literal(column.timestamp_format or '')})"
    if column.kind == "date":
        formats = "[" + ", ".join(_literal(f) for f in column.date_formats) + "]"
        text = _english_month_names(blank_to_null) if any("%B" in f for f in column.date_formats) else blank_to_null
        return f"cast(try_strptime({text}, {formats}) as date)"
    if column.kind == "boolean":
        true_set = ", ".join(_literal(v) for v in column.true_values)
        false_set = ", ".join(_literal(v) for v in column.false_values)
        return f"(case when {blank_to_null} in ({true_set}) then true when {blank_to_null} in ({false_set}) then false end)"
    if column.kind == "enum":
        return blank_to_null
    return f"nullif({raw}, '')"


SCRUB_MIN_LENGTH = 6
"""Shorter personal values (``Ayu``, ``Dana``) are not searched for inside text: a short name can be
an ordinary word of a subject (``Dana Desa``). The privacy tests search the same lengths."""
SCRUB_ORDER = {"email": 0, "phone": 1, "wa_id": 2, "name": 3}
"""Longer values first: a name inside an e-mail address must not break the address up first."""
LETTER_OR_DIGIT = r"[^\W_]"
"""A letter or a digit of any script: a personal value is removed only where it stands as whole words."""
EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")
DOUBLED_SPACE = re.compile(r"\s{2,}")
SCRUB_LEFTOVERS = re.compile(r"^[\s\-–—:;,/|.]+|[\s\-–—:;,/|]+$")


def scrub_text(text: str | None, personal_values: list[str | None]) -> str | None:
    """``text`` without the given personal values where they stand as whole words, then tidied.

    Values are tried in the order given (longest kinds first, see ``SCRUB_ORDER``); values shorter than
    ``SCRUB_MIN_LENGTH`` are left alone. After a removal, empty brackets, doubled spaces and separators
    left at either end go, so that ``Syarat DAU - Budi Santoso`` becomes ``Syarat DAU``.
    """
    if text is None:
        return None
    for raw_value in personal_values:
        value = (raw_value or "").strip()
        if len(value) < SCRUB_MIN_LENGTH or value not in text:
            continue
        pattern = rf"(?<!{LETTER_OR_DIGIT}){re.escape(value)}(?!{LETTER_OR_DIGIT})"
        removed = re.sub(pattern, "", text)
        if removed != text:
            tidied = DOUBLED_SPACE.sub(" ", EMPTY_BRACKETS.sub("", removed))
            text = SCRUB_LEFTOVERS.sub("", tidied)
    return text


def _scrub_free_text(conn, contract: ExportContract) -> None:
    """Remove each row's own personal values from the contract's free-text columns in ``_rows``.

    DuckDB finds the few rows whose text contains one of the row's own personal values (a plain
    substring test over the whole month) and keeps them in a temp table; :func:`scrub_text` rewrites them
    in Python, where a pattern is compiled once per value instead of once per row and pattern kind as a
    per-row regular expression in SQL would be (which cost ~6 ms a row), ``SCRUB_CHUNK_ROWS`` file rows at a
    time so that Python never holds a large month's texts at once; the rewritten texts go back in one
    UPDATE. Other text stays as written.
    """
    personal = [c.name for c in sorted((c for c in contract.columns if c.pii), key=lambda c: SCRUB_ORDER[c.pii])]
    if not personal:
        return
    for column in (c for c in contract.columns if c.scrub_personal_values):
        text = _quote(column.name)
        holds_value = " or ".join(
            f"(length(trim({_quote(name)})) >= {SCRUB_MIN_LENGTH} and contains({text}, trim({_quote(name)})))"
            for name in personal
        )
        values = ", ".join(_quote(name) for name in personal)
        conn.execute(
            f"create or replace temp table _to_scrub as select _row_number, {text} as _text, {values} "
            f"from {ROWS} where {holds_value}"
        )
        conn.execute("create or replace temp table _scrubbed (_row_number bigint, _text varchar)")
        last = conn.execute("select max(_row_number) from _to_scrub").fetchone()[0] or 0
        for first in range(0, last + 1, SCRUB_CHUNK_ROWS):
            rows = conn.execute(
                "select * from _to_scrub where _row_number >= ? and _row_number < ?", [first, first + SCRUB_CHUNK_ROWS]
            ).fetchall()
            changed = [(row[0], new) for row in rows if (new := scrub_text(row[1], list(row[2:]))) != row[1]]
            del rows
            if changed:
                conn.register("_chunk", pandas.DataFrame(changed, columns=["_row_number", "_text"]))
                try:
                    conn.execute("insert into _scrubbed select * from _chunk")
                finally:
                    conn.unregister("_chunk")
        conn.execute(
            f"update {ROWS} set {text} = _scrubbed._text from _scrubbed where {ROWS}._row_number = _scrubbed._row_number"
        )
        conn.execute("drop table _to_scrub")
        conn.execute("drop table _scrubbed")


def _type_rule(column: ColumnContract) -> str:
    if column.reads_iso8601:
        return f"type ISO 8601 {column.kind}"
    if column.kind == "timestamp":
        return f"type {column.timestamp_format}"
    if column.kind == "date":
        return "type date " + " | ".join(column.date_formats)
    if column.kind == "boolean":
        return "allowed values " + "/".join((*column.true_values, *column.false_values))
    return f"type {column.kind}"


def _checks_unique_key(contract: ExportContract) -> bool:
    """Whether the contract's key must be unique in the file (the rule reads ``DUPLICATE_KEYS``)."""
    return contract.key is not None and contract.key_unique_in_file


def _rules(contract: ExportContract, month: str) -> list[tuple[ColumnContract, str, str]]:
    """(column, rule name, SQL condition true when the rule is broken) for every row rule."""
    rules: list[tuple[ColumnContract, str, str]] = []
    for column in contract.columns:
        raw, parsed = _quote(column.name), _value(column)
        if column.required:
            rules.append((column, "required", f"nullif(trim({raw}), '') is null"))
        if column.kind in ("integer", "timestamp", "date", "boolean"):
            rules.append((column, _type_rule(column), f"nullif(trim({raw}), '') is not null and {parsed} is null"))
        if column.allowed is not None:
            allowed = ", ".join(_literal(value) for value in column.allowed)
            rules.append((column, "allowed values", f"{parsed} is not null and {parsed} not in ({allowed})"))
        if column.minimum is not None:
            rules.append((column, f"minimum {column.minimum}", f"{parsed} < {column.minimum}"))
        if column.maximum is not None:
            rules.append((column, f"maximum {column.maximum}", f"{parsed} > {column.maximum}"))
    if contract.month_column is not None and contract.month_rule != "none":
        month_column = contract.column(contract.month_column)
        local = f"cast({_value(month_column)} as timestamp)" + (
            f" + interval {int(WIB_OFFSET.total_seconds())} second" if contract.month_column_utc else ""
        )
        start, end = month_start(month).isoformat(), next_month_start(month).isoformat()
        if contract.month_rule == "inside":
            rules.append(
                (
                    month_column,
                    f"inside report month {month} (WIB)",
                    f"{local} < timestamp '{start}' or {local} >= timestamp '{end}'",
                )
            )
        else:
            rules.append((month_column, f"not after report month {month} (WIB)", f"{local} >= timestamp '{end}'"))
    if contract.file_format == "xlsx" and contract.month_column is not None:
        # a hand-kept register often ends with a total row: no date, a label such as "Total"
        labels = ", ".join(_literal(label) for label in SUMMARY_ROW_LABELS)
        texts = [c for c in contract.columns if c.kind in ("text", "enum")]
        if texts:
            label_present = " or ".join(f"lower(trim({_quote(c.name)})) in ({labels})" for c in texts)
            rules.append(
                (
                    contract.column(contract.month_column),
                    SUMMARY_ROW_RULE,
                    f"nullif(trim({_quote(contract.month_column)}), '') is null and ({label_present})",
                )
            )
    if _checks_unique_key(contract):
        key = _quote(contract.key)
        rules.append(
            (
                contract.column(contract.key),
                "unique key in file",
                f"{key} in (select _key from {DUPLICATE_KEYS}) and nullif(trim({key}), '') is not null",
            )
        )
    return rules


def _raw_column_type(column: ColumnContract) -> str:
    return {"integer": "BIGINT", "timestamp": "TIMESTAMP", "date": "DATE", "boolean": "BOOLEAN"}.get(
        column.kind, "VARCHAR"
    )


def ensure_raw_tables(conn: duckdb.DuckDBPyConnection, contract: ExportContract) -> None:
    conn.execute(f"create schema if not exists {RAW_SCHEMA}")
    conn.execute(f"create schema if not exists {WORK_SCHEMA}")
    columns = ", ".join(f"{_quote(c.name)} {_raw_column_type(c)}" for c in contract.columns)
    conn.execute(
        f"create table if not exists {RAW_SCHEMA}.{contract.raw_table} ({columns}, "
        "_report_month DATE, _row_number BIGINT, _source_file VARCHAR, _source_sha256 VARCHAR, "
        "_loaded_at TIMESTAMP)"
    )
    conn.execute(
        f"create table if not exists {RAW_SCHEMA}.quarantine (source VARCHAR, report_month DATE, "
        "source_file VARCHAR, source_sha256 VARCHAR, row_number BIGINT, column_name VARCHAR, "
        "rule VARCHAR, value VARCHAR, loaded_at TIMESTAMP)"
    )
    conn.execute(
        f"create table if not exists {RAW_SCHEMA}.load_log (source VARCHAR, report_month DATE, "
        "raw_table VARCHAR, source_file VARCHAR, source_sha256 VARCHAR, rows_in_file BIGINT, "
        "rows_loaded BIGINT, rows_quarantined BIGINT, extra_columns VARCHAR, "
        "superseded_files VARCHAR, loaded_at TIMESTAMP)"
    )


def _scan(conn, path: Path, display: str, contract: ExportContract, header: list[str]) -> None:
    """Scan the CSV into table ``SCAN``: every field as VARCHAR, as written, in file order (DuckDB keeps
    insertion order, so a row's ``rowid`` is its position among the data rows)."""
    columns = "{" + ", ".join(f"{_literal(name)}: 'VARCHAR'" for name in header) + "}"
    delimiter = "," if contract.file_format == "xlsx" else contract.delimiter
    try:
        conn.execute(
            f"create or replace table {SCAN} as select * "
            f"from read_csv({_literal(str(path))}, header = true, auto_detect = false, "
            f"delim = {_literal(delimiter)}, quote = '\"', escape = '\"', "
            f"columns = {columns}, strict_mode = true, null_padding = false)"
        )
    except duckdb.Error as error:
        raise ExportError(_describe_csv_error(display, contract, str(error))) from error


def _describe_csv_error(display: str, contract: ExportContract, message: str) -> str:
    """DuckDB's CSV error as file, row and rule — without the offending line (it may hold personal data)."""
    lines = [line.strip() for line in message.splitlines()]
    row = next((match.group(1) for line in lines if (match := re.search(r"Line: (\d+)", line))), None)
    reason = next(
        (
            line
            for line in lines[1:]
            if line and not line.startswith(("Original Line", "Possible", "*", "file =", "delimiter"))
        ),
        lines[0] if lines else "unreadable",
    )
    where = f"row {row}" if row else "a row"
    return (
        f"{display}: cannot be read: {where} (line {row or '?'}): {reason} "
        f"— rule: a well-formed {contract.delimiter!r}-separated CSV in {contract.encoding}"
    )


def _violations(conn, contract: ExportContract, month: str) -> None:
    """Evaluate every row rule once: table ``ROWS`` (the scanned rows numbered from 1, each parsed field,
    each rule's flag, ``_broken`` when any rule is) replaces ``SCAN``; temp table ``_violations`` holds one
    row per (data row, broken rule)."""
    rules = _rules(contract, month)
    if _checks_unique_key(contract):
        # The keys written more than once, found by an aggregate (which spills to disk) rather than a window over
        # every row and column (which must hold the whole month in memory: 10 M tickets broke a 480MB limit).
        conn.execute(
            f"create or replace temp table {DUPLICATE_KEYS} as select {_quote(contract.key)} as _key from {SCAN} "
            f"group by all having count(*) > 1"
        )
    parsed = [f"{_parsed(c)} as {_quote(PARSED_PREFIX + c.name)}" for c in contract.columns if _parses(c)]
    flags = [f"({condition}) as _rule_{index}" for index, (_, _, condition) in enumerate(rules)]
    broken = " or ".join(f"coalesce(_rule_{index}, false)" for index in range(len(rules))) or "false"
    conn.execute(
        f"create or replace table {ROWS} as select *, ({broken}) as _broken from ("
        f"select {', '.join(['*', *flags])} from ("
        f"select {', '.join(['rowid + 1 as _row_number', '*', *parsed])} from {SCAN}))"
    )
    conn.execute(f"drop table {SCAN}")
    selects = [
        f"select _row_number, {_literal(column.name)} as column_name, {_literal(rule)} as rule, "
        f"{_literal(column.on_violation)} as on_violation, "
        f"{'NULL' if column.pii else _quote(column.name)} as value "
        f"from {ROWS} where _broken and coalesce(_rule_{index}, false)"
        for index, (column, rule, _) in enumerate(rules)
    ]
    conn.execute("create or replace temp table _violations as " + " union all ".join(selects))


def _fail_on_blocking_violations(conn, display: str, contract: ExportContract) -> None:
    failures = conn.execute(
        "select _row_number, column_name, rule, value, count(*) over () from _violations "
        "where on_violation = 'fail' order by _row_number, column_name limit ?",
        [MAX_ERRORS_IN_MESSAGE],
    ).fetchall()
    if not failures:
        return
    total = failures[0][4]
    lines = [
        f"row {row + 1}: column '{column}' = {value!r} breaks rule '{rule}'" for row, column, rule, value, _ in failures
    ]
    more = f" (and {total - len(failures)} more)" if total > len(failures) else ""
    raise ExportError(
        f"{display}: {total} row(s) break a blocking rule of the '{contract.source}' contract{more} "
        "(rows counted with the header as row 1): " + "; ".join(lines)
    )


def _rollback_if_open(conn: duckdb.DuckDBPyConnection) -> None:
    """Roll back the load's transaction, if it is still open: a failed ``commit`` (no space for the WAL) has
    already ended it, and a second error from the rollback would hide the first."""
    try:
        conn.execute("rollback")
    except duckdb.TransactionException:
        pass


def load_export(
    conn: duckdb.DuckDBPyConnection,
    contract: ExportContract,
    month: str,
    landed: LandedFile,
    display_path: str,
) -> LoadResult:
    """Load one landed export into ``raw.<table>`` for ``month``, replacing that month's rows."""
    where = f"{display_path} [sheet {contract.sheet!r}]" if contract.sheet else display_path
    ensure_raw_tables(conn, contract)
    try:
        return _load(conn, contract, month, landed, display_path, where)
    finally:
        _drop_work_tables(conn)


def _drop_work_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """The load's working tables go when it ends, loaded or refused (they hold the file's personal values); an
    error here must not hide the load's own."""
    for table in (SCAN, ROWS):
        try:
            conn.execute(f"drop table if exists {table}")
        except duckdb.Error:
            pass


def _load(
    conn: duckdb.DuckDBPyConnection,
    contract: ExportContract,
    month: str,
    landed: LandedFile,
    display_path: str,
    where: str,
) -> LoadResult:
    with readable_csv(landed.path, contract, where, display_path) as (readable, header):
        extra_columns = check_header(Path(where), contract, header)
        _scan(conn, readable, where, contract, header)
    rows_in_file = conn.execute(f"select count(*) from {SCAN}").fetchone()[0]
    if rows_in_file == 0 and not contract.allow_empty:
        raise ExportError(f"{where}: header only, no data rows — rule: an export holds at least one row")
    _violations(conn, contract, month)
    _fail_on_blocking_violations(conn, where, contract)

    loaded_at = datetime.now(timezone.utc).replace(tzinfo=None)
    lineage = [month_start(month), display_path, landed.sha256, loaded_at]
    _scrub_free_text(conn, contract)
    typed = ", ".join(f"{_value(c)}::{_raw_column_type(c)} as {_quote(c.name)}" for c in contract.columns)
    table = f"{RAW_SCHEMA}.{contract.raw_table}"
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table} where _report_month = ?", [lineage[0]])
        conn.execute(
            f"insert into {table} select {typed}, ?::DATE, _row_number, ?, ?, ?::TIMESTAMP "
            f"from {ROWS} where not _broken",
            [lineage[0], *lineage[1:]],
        )
        conn.execute(
            f"delete from {RAW_SCHEMA}.quarantine where source = ? and report_month = ?", [contract.source, lineage[0]]
        )
        conn.execute(
            f"insert into {RAW_SCHEMA}.quarantine select ?, ?::DATE, ?, ?, _row_number + 1, column_name, rule, "
            "value, ?::TIMESTAMP from _violations order by _row_number, column_name",
            [contract.source, *lineage],
        )
        rows_loaded = conn.execute(f"select count(*) from {table} where _report_month = ?", [lineage[0]]).fetchone()[0]
        quarantined = rows_in_file - rows_loaded
        conn.execute(
            f"delete from {RAW_SCHEMA}.load_log where source = ? and report_month = ?", [contract.source, lineage[0]]
        )
        conn.execute(
            f"insert into {RAW_SCHEMA}.load_log values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                contract.source,
                lineage[0],
                contract.raw_table,
                display_path,
                landed.sha256,
                rows_in_file,
                rows_loaded,
                quarantined,
                ",".join(extra_columns),
                ",".join(path.name for path in landed.superseded),
                loaded_at,
            ],
        )
        conn.execute("commit")
    except Exception:
        _rollback_if_open(conn)
        raise
    by_rule = dict(
        conn.execute("select rule, count(distinct _row_number) from _violations group by rule order by rule").fetchall()
    )
    return LoadResult(
        source=contract.source,
        month=month,
        raw_table=table,
        source_file=display_path,
        sha256=landed.sha256,
        rows_in_file=rows_in_file,
        rows_loaded=rows_loaded,
        rows_quarantined=quarantined,
        quarantine_by_rule=by_rule,
        extra_columns=extra_columns,
        superseded_files=tuple(path.name for path in landed.superseded),
    )


def record_not_expected(conn: duckdb.DuckDBPyConnection, contract: ExportContract, month: str) -> None:
    """A month before the source existed: no rows, and a load-log entry saying so (idempotent)."""
    ensure_raw_tables(conn, contract)
    start = month_start(month)
    table = f"{RAW_SCHEMA}.{contract.raw_table}"
    conn.execute("begin transaction")
    try:
        conn.execute(f"delete from {table} where _report_month = ?", [start])
        conn.execute(
            f"delete from {RAW_SCHEMA}.quarantine where source = ? and report_month = ?", [contract.source, start]
        )
        conn.execute(
            f"delete from {RAW_SCHEMA}.load_log where source = ? and report_month = ?", [contract.source, start]
        )
        conn.execute(
            f"insert into {RAW_SCHEMA}.load_log values (?, ?, ?, NULL, NULL, 0, 0, 0, '', '', ?)",
            [contract.source, start, contract.raw_table, datetime.now(timezone.utc).replace(tzinfo=None)],
        )
        conn.execute("commit")
    except Exception:
        _rollback_if_open(conn)
        raise
