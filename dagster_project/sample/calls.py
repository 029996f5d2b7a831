"""Sample Avaya CMS export ``calls.csv`` (exports.md § calls): semicolon-separated, Windows-1252,
CRLF line endings, ``Segment Start`` as ``DD/MM/YYYY HH:MM:SS`` WIB.

Calibrated (``calibration/calls.yaml``) under the pipeline's definitions:

* offered = ANSWERED + ABANDONED (BUSY calls were rejected and never reached the queue: Queued
  ``N``, Queue Time 0); answered within 10 s = ANSWERED with Queue Time ≤ 10;
* service level = answered within 10 s / offered; abandoned % = abandoned / offered;
* queued = Queued ``Y`` (every one offered); queued answered = Queued ``Y`` and ANSWERED; per day
  when the calibration gives days (the queue calls of January 2020 fall on 1, 20, 21 and 31
  January only);
* Talk Time > 0 exactly for ANSWERED; Agent empty unless ANSWERED.

Every phone ticket of the month in the tickets sample is one answered call (ANI = the ticket's
number, agent = the ticket's agent, the call starting shortly before the ticket was created);
the other answered calls were not logged as tickets. A handful of callers ring more than once.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import TextIO

from ..lib.contracts import CALLS
from ..lib.months import WIB_OFFSET, month_bounds
from ..reference.holiday_calendar import is_working_day
from ..reference.seeds import service_rule
from .common import apportion, random_moment, weighted_choice, write_csv_rows
from .context import SampleContext, SampleFile
from .people import mobile_number, national
from .tickets import AREA_CODES

SOURCE = "calls"
FILENAME = "calls.csv"
CALIBRATION_FILE = "calls.yaml"
ENCODING = "cp1252"
COLUMNS = CALLS.column_names
FAST_QUEUE_WEIGHTS = (1, 3, 6, 9, 10, 10, 8, 6, 4, 3, 2)
"""Weights of the queue times 0, 1, 2, … s of calls answered within the service-level threshold."""


def months(calibration: dict) -> list[str]:
    return list(calibration["months"])


def history_months(calibration: dict) -> list[str]:
    return []


class _Call:
    __slots__ = ("start", "disposition", "queued", "queue", "talk", "acw", "agent", "ani", "ticket_time")

    def __init__(self, disposition: str):
        self.disposition = disposition
        self.queued = False
        self.queue = self.talk = self.acw = 0
        self.agent = self.ani = ""
        self.start = self.ticket_time = None


def iter_calls(context: SampleContext) -> Iterator[dict]:
    """The month's call records in ``Segment Start`` order."""
    month, cal = context.month, context.calibration
    mcal = context.month_calibration()
    era = cal["eras"][mcal["era"]]
    rng = random.Random(context.seed)
    first, next_first = month_bounds(month)
    days = [first + timedelta(days=i) for i in range((next_first - first).days)]
    working = [d for d in days if is_working_day(d)]

    phone_tickets = [t for t in context.samples.tickets(month) if t["channel"] == "phone"]
    answered_n, within_n = int(mcal["answered"]), int(mcal["answered_within_10s"])
    threshold = service_rule("calls_service_level_seconds", first)  # seeds/service_rules.csv, as dbt reads it
    abandoned_n, busy_n = int(mcal["abandoned"]), int(mcal["busy"])
    queued_by_day = _queued_by_day(rng, mcal["queued"], month, working)
    queued_answered_n = int(mcal["queued_answered"])
    if answered_n < len(phone_tickets):
        raise ValueError(f"calls {month}: {answered_n} answered calls but {len(phone_tickets)} phone tickets")
    if within_n > answered_n or queued_answered_n > sum(queued_by_day.values()):
        raise ValueError(f"calls {month}: inconsistent calibration")

    # -- answered: one per phone ticket, then calls nobody logged ---------------------------
    agents = era["agents"]
    logins = {name: login for name, login in ((n, a["login"]) for n, a in agents.items())}
    answered: list[_Call] = []
    for t in phone_tickets:
        call = _Call("ANSWERED")
        call.ticket_time = datetime.strptime(t["date_created"], "%Y-%m-%dT%H:%M:%SZ") + WIB_OFFSET
        call.agent = logins[t["agent"]] if t["agent"] in logins else _agent(rng, agents)
        call.ani = national(t["person_phone"]) if t["person_phone"] else ""
        answered.append(call)
    for _ in range(answered_n - len(phone_tickets)):
        call = _Call("ANSWERED")
        call.start = _service_moment(rng, rng.choice(working))
        call.agent = _agent(rng, agents)
        answered.append(call)

    # -- queue calls: per day, answered ones on working days ----------------------------------
    working_queue_days = {d: n for d, n in queued_by_day.items() if is_working_day(d)}
    if queued_answered_n and not working_queue_days:
        raise ValueError(f"calls {month}: queued answered calls need a working queue day")
    answered_per_day = apportion(queued_answered_n, working_queue_days) if queued_answered_n else {}
    taken: set[int] = set()
    abandoned: list[_Call] = []
    for day, n in queued_by_day.items():
        k = answered_per_day.get(day, 0)
        if k > n:
            raise ValueError(f"calls {month}: more queued answered than queued calls on {day}")
        on_day = [c for c in answered if id(c) not in taken and _day(c) == day]
        rng.shuffle(on_day)
        extra = [c for c in answered if id(c) not in taken and c.ticket_time is None and _day(c) != day]
        for call in (on_day + extra)[:k]:
            if call.ticket_time is None and _day(call) != day:
                call.start = _service_moment(rng, day)
            call.queued = True
            taken.add(id(call))
        for _ in range(n - k):
            call = _Call("ABANDONED")
            call.queued = True
            call.start = _service_moment(rng, day)
            abandoned.append(call)
    if len(taken) != queued_answered_n:
        raise ValueError(f"calls {month}: cannot place the queued answered calls")
    if len(abandoned) > abandoned_n:
        raise ValueError(f"calls {month}: more queued abandoned calls than abandoned calls")
    for _ in range(abandoned_n - len(abandoned)):
        call = _Call("ABANDONED")
        call.start = _service_moment(rng, rng.choice(working))
        abandoned.append(call)
    busy = []
    for _ in range(busy_n):
        call = _Call("BUSY")
        call.start = _service_moment(rng, rng.choice(working[: max(1, len(working) // 3)] + working[-5:]))
        busy.append(call)

    # -- queue times: exactly `answered_within_10s` answered calls wait <= 10 s ----------------
    slow_n = answered_n - within_n
    queued_answered = [c for c in answered if c.queued]
    others = [c for c in answered if not c.queued]
    rng.shuffle(others)
    if slow_n >= len(queued_answered):
        slow = queued_answered + others[: slow_n - len(queued_answered)]
        fast = others[slow_n - len(queued_answered) :]
    else:  # every answered call is fast: queued ones were answered just inside the threshold
        slow, fast = others[:slow_n], others[slow_n:] + queued_answered
    for call in slow:
        call.queue = rng.randint(25, 140) if call.queued else rng.randint(threshold + 1, 45)
    for call in fast:
        call.queue = (
            rng.randint(min(6, threshold), threshold)
            if call.queued
            else weighted_choice(rng, list(zip(range(threshold + 1), FAST_QUEUE_WEIGHTS)))
        )
    for call in answered:
        call.talk = rng.randint(240, 1200) if call.ticket_time else rng.randint(25, 420)
        call.acw = rng.randint(15, 150)
        if call.ticket_time is not None:  # the agent creates the ticket once the call is taken
            call.start = call.ticket_time - timedelta(seconds=call.queue + rng.randint(8, 35))
    for call in abandoned:
        call.queue = rng.randint(40, 240) if call.queued else rng.randint(3, 60)

    # -- callers -----------------------------------------------------------------------------
    used = {c.ani for c in answered if c.ani}
    callers: list[str] = []
    for call in answered + abandoned + busy:
        if call.ani:
            continue
        if callers and rng.random() < 0.07:  # rang again
            call.ani = rng.choice(callers)
        elif rng.random() < 0.01:
            call.ani = ""  # number withheld
            continue
        elif rng.random() < 0.2:
            area = rng.choice(AREA_CODES)
            call.ani = (
                area
                + str(rng.randint(3, 8))
                + "".join(rng.choice("0123456789") for _ in range(6 if len(area) == 4 else 7))
            )
        else:
            call.ani = mobile_number(rng, month, used)
        callers.append(call.ani)

    # -- rows ------------------------------------------------------------------------------------
    calls = answered + abandoned + busy
    start, end = datetime.combine(first, time(0)), datetime.combine(next_first, time(0))
    calls.sort(key=lambda c: (c.start, c.disposition, c.ani))
    vdns, skills = era["vdn"], era["skills"]
    year, mon = (int(p) for p in month.split("-"))
    for seq, call in enumerate(calls, start=1):
        if not start <= call.start < end:
            raise AssertionError(f"call outside {month}: {call.start}")
        yield {
            "CallID": f"{year % 100:02d}{mon:02d}{seq:06d}",
            "Segment Start": call.start.strftime("%d/%m/%Y %H:%M:%S"),
            "ANI": call.ani,
            "VDN": weighted_choice(rng, list(vdns.items())),
            "Split/Skill": weighted_choice(rng, list(skills.items())),
            "Disposition": call.disposition,
            "Queue Time": call.queue,
            "Talk Time": call.talk,
            "ACW Time": call.acw,
            "Agent": call.agent,
            "Queued": "Y" if call.queued else "N",
        }


def write_calls(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, COLUMNS, iter_calls(context), delimiter=";", lineterminator="\r\n")


FILES = [SampleFile(FILENAME, write_calls, encoding=ENCODING)]


def _day(call: _Call) -> date:
    return (call.ticket_time or call.start).date()


def _agent(rng: random.Random, agents: dict) -> str:
    return weighted_choice(rng, [(a["login"], a["weight"]) for a in agents.values()])


def _service_moment(rng: random.Random, day: date) -> datetime:
    return random_moment(rng, day, time(8), time(16))


def _queued_by_day(rng: random.Random, queued: int | dict, month: str, working: list[date]) -> dict[date, int]:
    """``{day: queue calls}``: the calibration's days, or ``queued`` calls over a few busy days."""
    if isinstance(queued, dict):
        out = {date.fromisoformat(str(day)): int(n) for day, n in queued.items()}
        if any(day.strftime("%Y-%m") != month for day in out):
            raise ValueError(f"calls {month}: a queue day outside the month")
        return out
    n = int(queued)
    if not n:
        return {}
    chosen = sorted(rng.sample(working, min(len(working), max(1, round(n / 4)))))
    return apportion(n, {day: rng.uniform(0.5, 1.5) for day in chosen})
