"""The ticket export's vocabularies, read from their dbt seeds (the one home of each list):
channels (``ticket_channels.csv``), user categories (``ticket_person_categories.csv``) and
departments (``ticket_departments.csv``). The export contract allows exactly these values, the
sample generator draws from them, and dbt labels and groups them from the same seeds."""

from __future__ import annotations

from .seeds import seed_column

TICKET_CHANNELS = seed_column("ticket_channels", "channel_code")
TICKET_PERSON_CATEGORIES = seed_column("ticket_person_categories", "person_category")
TICKET_DEPARTMENTS = seed_column("ticket_departments", "department")
