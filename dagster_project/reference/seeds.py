"""Reading a dbt seed (``dbt/seeds/<seed>.csv``) from Python: the seeds are the one home of the reference
lists and dates that dbt and the Python side both need (ticket vocabularies, service start dates)."""

from __future__ import annotations

import csv

from ..settings import DBT_SEEDS_DIR


def seed_rows(seed: str) -> list[dict[str, str]]:
    """Every row of a seed, in file order, as text."""
    with open(DBT_SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def seed_column(seed: str, column: str) -> tuple[str, ...]:
    """One column of a seed, in file order."""
    return tuple(row[column] for row in seed_rows(seed))
