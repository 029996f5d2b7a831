"""The floor: one DuckDB process reading a month's raw contact exports and computing the headline
aggregates in plain SQL, nothing else (no validation, lineage, quarantine, dbt, checks or report).

    python -m benchmarks.duckdb_floor --landing DIR --month 2024-02   (from the repository root)

Prints the aggregates' row counts as JSON. The pipeline's time for the same month divided by this
process's time is the ratio in the benchmark table.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import duckdb

from dagster_project.lib.contracts import CALLS, CHATBOT, EMAIL_LAPOR, TICKETS
from dagster_project.lib.landing import landed_files
from dagster_project.lib.loader import utf8_view
from dagster_project.lib.months import month_bounds

HEADLINE_AGGREGATES = {
    "tickets_by_channel": "select channel, count(*) from tickets group by all",
    "tickets_by_category": "select person_category, count(*) from tickets group by all",
    "tickets_by_topic": "select department, count(*) from tickets group by all",
    "tickets_by_pemda": "select region, count(*) from tickets group by all",
    "chatbot_sessions_by_menu": "select menu, count(*), count(*) filter (not handed_to_agent) from chatbot group by all",
    "calls_by_disposition": 'select "Disposition", count(*), count(*) filter ("Queue Time" <= 10) from calls group by all',
    "emails_by_category": "select category, count(distinct message_id) from emails group by all",
}


def headline_aggregates(conn: duckdb.DuckDBPyConnection, landing: Path, month: str) -> dict[str, int]:
    """Read the month's four contact exports (the files the pipeline loads) and compute every headline
    aggregate; returns each aggregate's number of groups."""
    start, end = month_bounds(month)
    for table, contract, columns, where in (
        (
            "tickets",
            TICKETS,
            "channel, person_category, department, region",
            f"date_created >= timestamp '{start}' and date_created < timestamp '{end}'",
        ),
        ("chatbot", CHATBOT, "menu, handed_to_agent", "true"),
        ("calls", CALLS, '"Disposition", "Queue Time"', "true"),
        ("emails", EMAIL_LAPOR, "category, message_id", "true"),
    ):
        landed = landed_files(landing, contract, month)[-1]  # the file the pipeline loads, not hashed
        with utf8_view(landed, contract.encoding) as readable:  # DuckDB reads UTF-8 only
            conn.execute(f"""
                create temp table {table} as
                select {columns}
                from read_csv('{readable}', header = true, delim = '{contract.delimiter}')
                where {where}""")
    return {name: len(conn.execute(sql).fetchall()) for name, sql in HEADLINE_AGGREGATES.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landing", required=True, type=Path)
    parser.add_argument("--month", required=True)
    args = parser.parse_args()
    with duckdb.connect() as conn:
        print(json.dumps(headline_aggregates(conn, args.landing, args.month)))


if __name__ == "__main__":
    main()
