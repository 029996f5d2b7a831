"""Sample employee-advocacy platform exports (exports.md § advocacy):
``advocacy_activations.csv`` (the month's activations) and ``advocacy_accounts.csv`` (every
registered social-media account as of the month's end).

Calibrated (``calibration/advocacy.yaml``) under the pipeline's definitions:

* employees = distinct ``employee_id`` among the month's activations; activations by
  ``activation_type`` exactly as calibrated (``activated_at`` WIB inside the month);
* accounts = rows of the snapshot, by platform exactly as calibrated; ``registered_at`` never
  after the month's end. The snapshots of all months are cut from one registration history
  (built once, from its own seed), so a later snapshot holds every row of an earlier one;
  ``holders`` (distinct employees with an account) is exact too;
* only employees holding an account by then activate, never before their first registration.

``advocacy_target_pct`` and ``advocacy_employee_pct`` divide the employees by the ``Target
Advokasi`` row of the registers workbook (``calibration/registers.yaml``).
"""

from __future__ import annotations

import random
from bisect import bisect_left
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from itertools import accumulate
from typing import TextIO

from ..lib.contracts import ADVOCACY_ACCOUNTS, ADVOCACY_ACTIVATIONS
from ..lib.months import month_bounds
from ..reference.holiday_calendar import is_working_day
from .common import expand, weighted_choice, write_csv_rows
from .context import SampleContext, SampleFile

SOURCE = "advocacy"
CALIBRATION_FILE = "advocacy.yaml"
ACTIVATIONS_FILE = "advocacy_activations.csv"
ACCOUNTS_FILE = "advocacy_accounts.csv"
ACTIVATION_COLUMNS = ADVOCACY_ACTIVATIONS.column_names
ACCOUNT_COLUMNS = ADVOCACY_ACCOUNTS.column_names
PLATFORMS = ("instagram", "x", "facebook", "whatsapp", "linkedin", "youtube", "tiktok")
TYPES = ("konten_tersedia", "like_comment_share", "kreasi_mandiri")
WIB_FORMAT = "%Y-%m-%d %H:%M:%S"


def months(calibration: dict) -> list[str]:
    return list(calibration["months"])


def history_months(calibration: dict) -> list[str]:
    return []


# --------------------------------------------------------------------------- registration history


class _Accounts:
    """Every account registration in time order, and each employee's unit and first registration."""

    def __init__(self) -> None:
        self.rows: list[tuple[datetime, str, str]] = []  # (registered_at, employee_id, platform)
        self.unit: dict[str, str] = {}
        self.first: dict[str, datetime] = {}
        self.holders: list[str] = []  # in order of first registration

    def snapshot_end(self, month: str) -> int:
        """Number of rows registered before ``month`` ends."""
        _, next_first = month_bounds(month)
        return bisect_left(self.rows, (datetime.combine(next_first, time(0)), "", ""))


def build_accounts(cal: dict) -> _Accounts:
    snapshots = cal["snapshots"]
    rng = random.Random(cal["seed"])
    units = list(cal["units"].items())
    out = _Accounts()
    platforms_of: dict[str, set[str]] = {}
    used_ids: set[str] = set()
    start = datetime.fromisoformat(cal["platform_start"])
    previous = {p: 0 for p in PLATFORMS}
    previous_holders = 0
    for month in sorted(snapshots):
        snap = snapshots[month]
        counts = {p: int(snap["platforms"].get(p, 0)) for p in PLATFORMS}
        new_rows = {p: counts[p] - previous[p] for p in PLATFORMS}
        new_holders = int(snap["holders"]) - previous_holders
        n = sum(new_rows.values())
        if min(new_rows.values()) < 0 or not 0 <= new_holders <= n:
            raise ValueError(f"advocacy snapshot {month}: accounts and holders must not decrease")
        _, next_first = month_bounds(month)
        end = datetime.combine(next_first, time(0))
        span = (end - start).total_seconds()
        times = sorted(start + timedelta(seconds=int(span * rng.random() ** 0.8)) for _ in range(n))
        deal = expand(new_rows)
        rng.shuffle(deal)
        second = set(rng.sample(range(1 if not out.holders else 0, n), n - new_holders))
        for i, (when, platform) in enumerate(zip(times, deal, strict=True)):
            employee = None
            if i in second:
                for _ in range(50):
                    candidate = rng.choice(out.holders) if out.holders else None
                    if candidate and platform not in platforms_of[candidate] and out.first[candidate] <= when:
                        employee = candidate
                        break
                if employee is None:
                    raise ValueError(f"advocacy snapshot {month}: no holder for a further {platform} account")
            else:
                while True:
                    employee = f"{rng.getrandbits(40):010x}"
                    if employee not in used_ids:
                        used_ids.add(employee)
                        break
                out.unit[employee] = weighted_choice(rng, units)
                out.first[employee] = when
                out.holders.append(employee)
                platforms_of[employee] = set()
            platforms_of[employee].add(platform)
            out.rows.append((when, employee, platform))
        previous, previous_holders, start = counts, int(snap["holders"]), end
    out.rows.sort()
    return out


def _accounts(context: SampleContext) -> _Accounts:
    return context.samples.shared(("advocacy", "accounts"), lambda: build_accounts(context.calibration))


def iter_accounts(context: SampleContext) -> Iterator[dict]:
    accounts = _accounts(context)
    if context.month not in context.calibration["snapshots"]:
        raise ValueError(f"advocacy: no accounts snapshot calibrated for {context.month}")
    for when, employee, platform in accounts.rows[: accounts.snapshot_end(context.month)]:
        yield {"employee_id": employee, "platform": platform, "registered_at": when.strftime(WIB_FORMAT)}


# --------------------------------------------------------------------------- activations


def iter_activations(context: SampleContext) -> Iterator[dict]:
    month = context.month
    mcal = context.month_calibration()
    types = {t: int(mcal["activations"].get(t, 0)) for t in TYPES}
    employees_n = int(mcal["employees"])
    total = sum(types.values())
    accounts = _accounts(context)
    first, next_first = month_bounds(month)
    start, end = datetime.combine(first, time(0)), datetime.combine(next_first, time(0))
    holders = [e for e in accounts.holders if accounts.first[e] < end]
    if employees_n > len(holders) or employees_n > total:
        raise ValueError(f"advocacy {month}: {employees_n} employees but {len(holders)} holders / {total} activations")
    rng = random.Random(context.seed)
    active = rng.sample(holders, employees_n)
    zeal = [rng.paretovariate(1.6) for _ in active]
    owners = active + rng.choices(active, weights=zeal, k=total - employees_n)
    kinds = expand(types)
    rng.shuffle(kinds)
    days = [datetime.combine(first + timedelta(days=i), time(0)) for i in range((next_first - first).days)]
    day_weights = list(accumulate(1.0 if is_working_day(d.date()) else 0.35 for d in days))
    rows = []
    for employee, kind in zip(owners, kinds, strict=True):
        since = accounts.first[employee]
        if since < start:
            day = rng.choices(days, cum_weights=day_weights)[0]
            r = rng.random()  # mostly 06:00-22:00, a little at night
            second = (
                rng.randrange(6 * 3600, 22 * 3600)
                if r < 0.9
                else rng.randrange(22 * 3600, 86400)
                if r < 0.96
                else rng.randrange(0, 6 * 3600)
            )
            when = day + timedelta(seconds=second)
        else:  # registered during the month: active after registering
            when = since + timedelta(seconds=rng.randrange(max(1, int((end - since).total_seconds()))))
        rows.append((when, employee, kind))
    rows.sort()
    year, mon = first.year, first.month
    for seq, (when, employee, kind) in enumerate(rows, start=1):
        if not start <= when < end:
            raise AssertionError("activation outside its month")
        yield {
            "activation_id": f"ACT-{year}{mon:02d}-{seq:06d}",
            "employee_id": employee,
            "unit": accounts.unit[employee],
            "activated_at": when.strftime(WIB_FORMAT),
            "activation_type": kind,
        }


def write_activations(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, ACTIVATION_COLUMNS, iter_activations(context))


def write_accounts(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, ACCOUNT_COLUMNS, iter_accounts(context))


FILES = [SampleFile(ACTIVATIONS_FILE, write_activations), SampleFile(ACCOUNTS_FILE, write_accounts)]
