"""Sample knowledge-base review list ``faq_review.csv`` (exports.md § knowledge_base): the FAQ
entries the technical units were asked to review, as of the month's end.

Calibrated (``calibration/knowledge_base.yaml``) under the pipeline's definitions:

* needing review = rows with status ``perlu_review``, by unit, exactly as calibrated;
* a snapshot holds every entry flagged on or before the month's end (``flagged_at`` ≤ month
  end); ``reviewed_at`` is shown (status ``sudah_review``) once the review happened by then.

All snapshots are cut from one history of flags and reviews (built once from its own seed): an
entry pending at one snapshot is reviewed between snapshots or still pending at the next, so the
monthly files agree with each other.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import TextIO

from ..lib.contracts import FAQ_REVIEW
from ..lib.months import month_bounds
from .common import apportion, write_csv_rows
from .context import SampleContext, SampleFile

SOURCE = "knowledge_base"
FILENAME = "faq_review.csv"
CALIBRATION_FILE = "knowledge_base.yaml"
COLUMNS = FAQ_REVIEW.column_names


def months(calibration: dict) -> list[str]:
    return sorted(calibration["snapshots"])


def history_months(calibration: dict) -> list[str]:
    return []


class _Entry:
    __slots__ = ("unit", "question", "flagged", "reviewed")

    def __init__(self, unit: str, question: str, flagged: date):
        self.unit, self.question, self.flagged = unit, question, flagged
        self.reviewed: date | None = None


def build_history(cal: dict) -> list[_Entry]:
    rng = random.Random(cal["seed"])
    units = cal["units"]
    start = date.fromisoformat(cal["history_start"])
    pending: dict[str, list[_Entry]] = {unit: [] for unit in units}
    entries: list[_Entry] = []
    asked: dict[str, int] = {unit: 0 for unit in units}

    def draw(a: date, b: date) -> date:  # a day in [a, b)
        return a + timedelta(days=rng.randrange((b - a).days))

    def new_entry(unit: str, a: date, b: date) -> _Entry:
        questions = cal["questions"][unit]
        entry = _Entry(unit, questions[asked[unit] % len(questions)], draw(a, b))
        asked[unit] += 1
        entries.append(entry)
        return entry

    for month in sorted(cal["snapshots"]):
        snap = cal["snapshots"][month]
        _, end = month_bounds(month)  # the snapshot is as of end - 1 day
        extra = apportion(int(snap["flagged_and_reviewed"]), {u: float(units[u]) for u in units})
        for unit in units:
            target = int(snap["perlu_review"].get(unit, 0))
            still = pending[unit]
            reviewed_n = max(round(0.6 * len(still)), len(still) - target)
            rng.shuffle(still)
            for entry in still[:reviewed_n]:  # reviewed since the last snapshot
                entry.reviewed = draw(max(entry.flagged + timedelta(days=1), start), end)
            keep = still[reviewed_n:]
            fresh = [new_entry(unit, start, end) for _ in range(target - len(keep))]
            for _ in range(extra[unit]):  # flagged and reviewed within the period
                entry = new_entry(unit, start, end - timedelta(days=1))
                entry.reviewed = draw(entry.flagged + timedelta(days=1), end)
            pending[unit] = keep + fresh
        start = end
    entries.sort(key=lambda e: (e.flagged, e.unit, e.question))
    return entries


def iter_snapshot(context: SampleContext) -> Iterator[dict]:
    entries = context.samples.shared(("knowledge_base", "history"), lambda: build_history(context.calibration))
    _, end = month_bounds(context.month)
    for number, entry in enumerate(entries, start=1):
        if entry.flagged >= end:
            continue
        done = entry.reviewed is not None and entry.reviewed < end
        yield {
            "faq_id": f"FAQ-{number:04d}",
            "unit": entry.unit,
            "question": entry.question,
            "status": "sudah_review" if done else "perlu_review",
            "flagged_at": entry.flagged.isoformat(),
            "reviewed_at": entry.reviewed.isoformat() if done else "",
        }


def write_snapshot(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, COLUMNS, iter_snapshot(context))


FILES = [SampleFile(FILENAME, write_snapshot)]
