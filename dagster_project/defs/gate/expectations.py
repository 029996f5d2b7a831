"""Great Expectations suites derived from the export contracts, run on each raw month.

The suite is code generated from :mod:`dagster_project.defs.ingest.contracts` (no hand-edited JSON
store): every contract column present, required columns not null, enumerations, numeric ranges,
the month column inside the report month (WIB), the key unique. It validates what the raw layer
holds for the month after loading — an independent second check that nothing which breaks the
contract reached the tables downstream models read (the loader quarantines such rows).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import duckdb

from ...partitions import month_start, next_month_start
from ..ingest.contracts import ExportContract
from .checks import CheckOutcome

WIB_OFFSET = timedelta(hours=7)


def _gx():
    """Great Expectations, imported lazily (its import takes seconds) with progress bars off."""
    import great_expectations as gx
    from great_expectations.data_context.types.base import ProgressBarsConfig

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    return gx, context


def build_suite(gx, contract: ExportContract, month: str):
    """The expectation suite of one source for one report month."""
    expectations = gx.expectations
    suite = gx.ExpectationSuite(name=f"raw_{contract.raw_table}_{month}")
    suite.add_expectation(expectations.ExpectTableColumnsToMatchSet(column_set=list(contract.column_names), exact_match=False))
    if not contract.allow_empty:
        suite.add_expectation(expectations.ExpectTableRowCountToBeBetween(min_value=1))
    if contract.key is not None and contract.key_unique_in_file:
        suite.add_expectation(expectations.ExpectColumnValuesToBeUnique(column=contract.key))
    for column in contract.columns:
        if column.required:
            suite.add_expectation(expectations.ExpectColumnValuesToNotBeNull(column=column.name))
        if column.allowed is not None:
            suite.add_expectation(expectations.ExpectColumnValuesToBeInSet(column=column.name, value_set=list(column.allowed)))
        if column.minimum is not None or column.maximum is not None:
            suite.add_expectation(expectations.ExpectColumnValuesToBeBetween(
                column=column.name, min_value=column.minimum, max_value=column.maximum))
    if contract.month_column is not None and contract.month_rule != "none":
        shift = WIB_OFFSET if contract.month_column_utc else timedelta(0)
        start = datetime.combine(month_start(month), datetime.min.time()) - shift
        end = datetime.combine(next_month_start(month), datetime.min.time()) - shift
        suite.add_expectation(expectations.ExpectColumnValuesToBeBetween(
            column=contract.month_column, min_value=start if contract.month_rule == "inside" else None,
            max_value=end, strict_max=True))
    return suite


GX_CHUNK_ROWS = 200_000
"""Rows handed to GX (pandas) at a time: memory stays bounded however large the month is."""


def _chunk_of(contract: ExportContract, chunks: int) -> str:
    """Which chunk a row goes to. By the key's hash when the key must be unique, so every duplicate
    of a key lands in the same chunk and the uniqueness expectation still sees all of them."""
    if contract.key is not None and contract.key_unique_in_file:
        return f'hash("{contract.key}") % {chunks}'
    return f"_row_number % {chunks}"


def _merge_failures(results_per_chunk) -> dict[tuple[str, str], dict]:
    failed: dict[tuple[str, str], dict] = {}
    for results in results_per_chunk:
        for r in results:
            if r.success:
                continue
            key = (r.expectation_config.type, r.expectation_config.kwargs.get("column", "") or "")
            entry = failed.setdefault(key, {"unexpected": 0, "examples": []})
            entry["unexpected"] += r.result.get("unexpected_count") or 0
            entry["examples"].extend(r.result.get("partial_unexpected_list", [])[: 3 - len(entry["examples"])])
    return failed


def validate_raw_month(conn: duckdb.DuckDBPyConnection, contract: ExportContract, month: str,
                       chunk_rows: int = GX_CHUNK_ROWS) -> CheckOutcome:
    """Run the contract's suite on the month's raw rows, ``chunk_rows`` rows at a time at most."""
    if not contract.expected_in(month):
        return CheckOutcome(True, f"no {contract.source} export expected for {month} (from {contract.available_from})")
    rows = conn.execute(f"select count(*) from raw.{contract.raw_table} where _report_month = ?", [month_start(month)]).fetchone()[0]
    chunks = max(1, -(-rows // chunk_rows))
    gx, context = _gx()
    batch_definition = (
        context.data_sources.add_pandas("raw")
        .add_dataframe_asset(contract.raw_table)
        .add_batch_definition_whole_dataframe("month")
    )
    suite = build_suite(gx, contract, month)
    results_per_chunk, evaluated = [], 0
    for chunk in range(chunks):
        frame = conn.execute(
            f"select * exclude (_report_month, _row_number, _source_file, _source_sha256, _loaded_at) "
            f"from raw.{contract.raw_table} where _report_month = ? and {_chunk_of(contract, chunks)} = ?",
            [month_start(month), chunk],
        ).df()
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame})
        result = batch.validate(suite, result_format="BOOLEAN_ONLY")  # pass / fail only: ~45 % faster
        if not result.success:  # only a failing chunk is validated again for counts and examples
            result = batch.validate(suite, result_format="SUMMARY")
        results_per_chunk.append(result.results)
        evaluated = len(result.results)
        del frame
    failed = [
        f"{kind}({column}): {entry['unexpected'] or ''} unexpected, e.g. {entry['examples']}"
        for (kind, column), entry in _merge_failures(results_per_chunk).items()
    ]
    in_chunks = f" (in {chunks} chunks)" if chunks > 1 else ""
    description = (
        f"{evaluated} expectations met on {rows} rows of raw.{contract.raw_table} for {month}{in_chunks}"
        if not failed else f"{len(failed)} of {evaluated} expectations failed{in_chunks}: " + "; ".join(failed)
    )
    return CheckOutcome(not failed, description, {"expectations": evaluated, "failed": len(failed), "rows": rows, "chunks": chunks})
