"""Editions of the report: which slides a month gets, in which order, with which titles.

An edition is a YAML file in ``editions/`` (``2020.yaml`` from the January 2020 report,
``2024.yaml`` from the February 2024 report) with an ``effective_from`` date, like the service
rules: a month gets the edition with the latest ``effective_from`` on or before it. Which
services existed when is the dbt seed ``service_starts.csv``. Nothing here looks at which figures happen
to be published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ..reference.seeds import seed_rows

EDITIONS = Path(__file__).with_name("editions")


@dataclass(frozen=True)
class Pending:
    """A figure or list a slide needs that is not published yet (the part is left out)."""

    metric: str
    what: str


@dataclass(frozen=True)
class SlideSpec:
    id: str
    kind: str
    title: str
    service: str | None = None
    pending: tuple[Pending, ...] = ()
    options: dict[str, Any] = field(default_factory=dict)

    def option(self, name: str, default: Any = None) -> Any:
        return self.options.get(name, default)


@dataclass(frozen=True)
class Service:
    code: str
    name: str
    since: date


@dataclass(frozen=True)
class Edition:
    code: str
    name: str
    effective_from: date
    month_in_titles: str
    """``name`` ("Februari") or ``label`` ("Januari 2020"): how ``{bulan}`` reads in this edition."""
    slides: tuple[SlideSpec, ...]


def _slide(entry: dict) -> SlideSpec:
    entry = dict(entry)
    pending = tuple(Pending(str(item["metric"]), str(item["what"])) for item in entry.pop("pending", []) or [])
    return SlideSpec(
        id=entry.pop("id"),
        kind=entry.pop("kind"),
        title=entry.pop("title", ""),
        service=entry.pop("service", None),
        pending=pending,
        options=entry,
    )


def _edition(path: Path) -> Edition:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Edition(
        code=str(raw["edition"]),
        name=raw["name"],
        effective_from=raw["effective_from"],
        month_in_titles=raw.get("month_in_titles", "label"),
        slides=tuple(_slide(entry) for entry in raw["slides"]),
    )


@cache
def editions() -> tuple[Edition, ...]:
    """Every edition, oldest first."""
    found = [_edition(path) for path in sorted(EDITIONS.glob("*.yaml"))]
    return tuple(sorted(found, key=lambda edition: edition.effective_from))


@cache
def services() -> dict[str, Service]:
    """When each service (and a cumulative count) began: the dbt seed ``service_starts.csv``, which dbt's
    cumulative figures read too (macro ``service_start``)."""
    return {
        row["code"]: Service(row["code"], row["service_name"], date.fromisoformat(row["starts_on"]))
        for row in seed_rows("service_starts")
    }


def edition_for(month: date) -> Edition:
    """The edition in effect in ``month``: the latest one whose ``effective_from`` is not after it."""
    in_effect = [edition for edition in editions() if edition.effective_from <= month]
    if not in_effect:
        raise ValueError(f"no report edition is in effect in {month:%Y-%m}")
    return in_effect[-1]


def service_existed(code: str | None, month: date) -> bool:
    """Whether the service ``code`` existed in ``month`` (a slide without a service always does)."""
    return code is None or services()[code].since <= month
