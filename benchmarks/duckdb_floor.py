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

from dagster_project.lib.contracts import CALLS
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--landing", required=True, type=Path)
    parser.add_argument("--month", required=True)
    args = parser.parse_args()
    start, end = month_bounds(args.month)
    folder = lambda source: args.landing / source / args.month  # noqa: E731
    conn = duckdb.connect()
    conn.execute(f"""
        create temp table tickets as
        select channel, person_category, department, region
        from read_csv('{folder("tickets")}/tickets.csv', header = true)
        where date_created >= timestamp '{start}' and date_created < timestamp '{end}'""")
    conn.execute(f"""
        create temp table chatbot as
        select menu, handed_to_agent from read_csv('{folder("chatbot")}/chatbot_sessions.csv', header = true)""")
    with utf8_view(folder("calls") / "calls.csv", CALLS.encoding) as calls_utf8:  # DuckDB reads UTF-8 only
        conn.execute(f"""
            create temp table calls as
            select "Disposition", "Queue Time" from read_csv('{calls_utf8}', header = true, delim = ';')""")
    conn.execute(f"""
        create temp table emails as
        select category, message_id from read_csv('{folder("email_lapor")}/email_lapor.csv', header = true)""")
    print(json.dumps({name: len(conn.execute(sql).fetchall()) for name, sql in HEADLINE_AGGREGATES.items()}))


if __name__ == "__main__":
    main()
