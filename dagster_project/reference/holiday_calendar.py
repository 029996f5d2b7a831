"""Indonesian national holidays and collective leave (cuti bersama) as a dbt seed.

The ``holidays`` package is the source (``categories=('public', 'government')``: the government
category holds cuti bersama). The seed ``dbt/seeds/id_holidays.csv`` is written from it so that
the service calendar (``dim_service_calendar``) is plain SQL; a test checks the committed seed still
equals the package's list, so the two cannot drift apart.

``python -m dagster_project.reference.holiday_calendar`` rewrites the seed.
"""

from __future__ import annotations

import csv
from pathlib import Path

import holidays

from ..settings import DBT_PROJECT_DIR

FIRST_YEAR, LAST_YEAR = 2019, 2027
SEED_PATH = DBT_PROJECT_DIR / "seeds" / "id_holidays.csv"


def holiday_rows(first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR) -> list[dict[str, str]]:
    public = holidays.country_holidays("ID", years=range(first_year, last_year + 1), language="id")
    both = holidays.country_holidays(
        "ID", years=range(first_year, last_year + 1), categories=("public", "government"), language="id"
    )
    return [
        {
            "holiday_date": day.isoformat(),
            "holiday_name": name,
            "holiday_kind": "libur_nasional" if day in public else "cuti_bersama",
        }
        for day, name in sorted(both.items())
    ]


def write_seed(path: Path = SEED_PATH) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["holiday_date", "holiday_name", "holiday_kind"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(holiday_rows())
    return path


if __name__ == "__main__":
    print(write_seed())
