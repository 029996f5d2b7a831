"""The ticket export's vocabularies, read from their dbt seeds (the one home of each list):
channels (``ticket_channels.csv``), user categories (``ticket_person_categories.csv``) and
departments (``ticket_departments.csv``). The export contract allows exactly these values, the
sample generator draws from them, and dbt labels and groups them from the same seeds."""

from __future__ import annotations

import csv

from ..settings import DBT_SEEDS_DIR


def seed_column(seed: str, column: str) -> tuple[str, ...]:
    """One column of a seed, in file order."""
    with open(DBT_SEEDS_DIR / f"{seed}.csv", encoding="utf-8", newline="") as handle:
        return tuple(row[column] for row in csv.DictReader(handle))


TICKET_CHANNELS = seed_column("ticket_channels", "channel_code")
TICKET_PERSON_CATEGORIES = seed_column("ticket_person_categories", "person_category")
TICKET_DEPARTMENTS = seed_column("ticket_departments", "department")
