"""The row tables' floor: what any pipeline keeping a raw, a staging and a mart table of every contact row pays.

    python -m benchmarks.row_table_floor --landing DIR --month 2024-02   (from the repository root)

One DuckDB process, under the same conditions as ``duckdb_floor`` (no memory limit set), does only this for each
contact export the floor reads: read every column into a table of a warehouse file, the types detected by DuckDB
(the raw layer, without a rule, a quarantine or a scrub), then copy that table twice (staging and mart, without a
rename, a join or a test). Nothing else: no Dagster, no dbt, no checks, no report.

Prints the seconds of the reads and of the copies as JSON. The benchmark divides this process's time by the floor's:
a pipeline with three row tables of each export cannot be faster than that ratio, whatever its code does.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.scale_samples import SCALED_CONTRACTS
from dagster_project.lib.landing import landed_files
from dagster_project.lib.loader import utf8_view

LAYERS = ("raw", "staging", "mart")
"""Each export's rows are written once per layer: read into the first, copied into the others."""


def write_row_tables(conn: duckdb.DuckDBPyConnection, landing: Path, month: str) -> dict[str, float]:
    """Each contact export of ``month`` as table ``raw_<source>``, copied to ``staging_<source>`` and
    ``mart_<source>``; returns the seconds of the reads and of the copies."""
    seconds = {"read_s": 0.0, "copies_s": 0.0}
    for contract in SCALED_CONTRACTS:
        landed = landed_files(landing, contract, month)[-1]  # the file loaded, not hashed
        with utf8_view(landed, contract.encoding) as readable:  # DuckDB reads UTF-8 only
            started = time.perf_counter()
            conn.execute(
                f"create table {LAYERS[0]}_{contract.source} as select * "
                f"from read_csv('{readable}', header = true, delim = '{contract.delimiter}')"
            )
            seconds["read_s"] += time.perf_counter() - started
        for source_layer, layer in zip(LAYERS, LAYERS[1:]):
            started = time.perf_counter()
            conn.execute(f"create table {layer}_{contract.source} as select * from {source_layer}_{contract.source}")
            seconds["copies_s"] += time.perf_counter() - started
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landing", required=True, type=Path)
    parser.add_argument("--month", required=True)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="row-table-floor-", dir=args.landing.parent) as folder:
        with duckdb.connect(str(Path(folder) / "floor.duckdb")) as conn:
            seconds = write_row_tables(conn, args.landing, args.month)
    print(json.dumps({name: round(value, 2) for name, value in seconds.items()}))


if __name__ == "__main__":
    main()
