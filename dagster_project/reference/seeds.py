"""Reading a dbt seed (``dbt/seeds/<seed>.csv``) from Python: the seeds are the one home of the reference
lists and dates that dbt and the Python side both need (ticket vocabularies, service start dates)."""

from __future__ import annotations

import csv
from datetime import date

from ..settings import DBT_SEEDS_DIR


def seed_rows(seed: str) -> list[dict[str, str]]:
    """Every row of a seed, in file order, as text."""
    with open(DBT_SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_column(seed: str, column: str) -> tuple[str, ...]:
    """One column of a seed, in file order."""
    return tuple(row[column] for row in seed_rows(seed))


def service_rule(rule_name: str, day: date) -> int | float:
    """The value of a rule of ``service_rules`` in force on ``day``: ``effective_from <= day <
    effective_to`` (open-ended when empty), as dbt's macro ``rule_in_force`` reads it."""
    values = [
        row["rule_value"]
        for row in seed_rows("service_rules")
        if row["rule_name"] == rule_name
        and date.fromisoformat(row["effective_from"]) <= day
        and (not row["effective_to"] or day < date.fromisoformat(row["effective_to"]))
    ]
    if len(values) != 1:
        raise LookupError(f"service_rules: {len(values)} rows of {rule_name!r} are in force on {day} (need one)")
    number = float(values[0])
    return int(number) if number.is_integer() else number
