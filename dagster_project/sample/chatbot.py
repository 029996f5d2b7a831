"""Sample WhatsApp chatbot export ``chatbot_sessions.csv`` (exports.md § chatbot).

Calibrated (``calibration/chatbot.yaml``) under the pipeline's definitions:

* sessions without agent = a menu chosen, menu ≠ ``Chat Agent``, ``handed_to_agent`` false; by
  menu exactly as calibrated;
* sessions left before choosing a menu (empty menu): exactly ``left_before_menu``;
* sessions handed to an agent: one per WhatsApp ticket of the month in the tickets sample (every
  such ticket carries the ``chatbot`` label since 2023-09): menu ``Chat Agent``, ``true``, the
  ticket's ``ref`` and the ticket person's phone as ``wa_id`` (``62…``); the session starts a few
  minutes before the ticket was created (never before the month);
* of the other sessions, exactly ``returning_sessions`` come from WhatsApp users of the month's
  tickets and the rest from exactly ``new_users`` further WhatsApp ids (numbers in the month's
  bucket, none equal to a ticket phone), so the month's distinct WhatsApp users are the ticket
  users plus ``new_users``.

The tickets are regenerated in memory (``SampleSet.tickets``): the refs and phones are exactly
the landed ``tickets.csv``'s.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import TextIO

from ..lib.contracts import CHATBOT
from ..lib.months import WIB_OFFSET, month_bounds
from ..reference.holiday_calendar import is_working_day
from .common import expand, random_moment, weighted_choice, write_csv_rows
from .context import SampleContext, SampleFile
from .people import digits_62, email_address, mobile_number, national, person_name

SOURCE = "chatbot"
FILENAME = "chatbot_sessions.csv"
CALIBRATION_FILE = "chatbot.yaml"
COLUMNS = CHATBOT.column_names
CHAT_AGENT = "Chat Agent"
WIB_FORMAT = "%Y-%m-%d %H:%M:%S"


def months(calibration: dict) -> list[str]:
    return [m for m in calibration["months"] if m >= calibration["available_from"]]


def history_months(calibration: dict) -> list[str]:
    return []


def iter_sessions(context: SampleContext) -> Iterator[dict]:
    """The month's sessions in ``started_at`` order."""
    month, cal = context.month, context.calibration
    mcal = context.month_calibration()
    menus = mcal["without_agent"]
    unknown = set(menus) - set(cal["menus"])
    if unknown or CHAT_AGENT in menus:
        raise ValueError(f"chatbot calibration {month}: unknown menus {sorted(unknown)}")
    rng = random.Random(context.seed)
    first, next_first = month_bounds(month)
    start, end = datetime.combine(first, time(0)), datetime.combine(next_first, time(0))

    tickets = [
        t for t in context.samples.tickets(month) if t["channel"] == "whatsapp" and "chatbot" in t["labels"].split(";")
    ]
    if mcal.get("handed_to_agent", "whatsapp_tickets") != "whatsapp_tickets":
        raise ValueError("chatbot: handed_to_agent must be 'whatsapp_tickets'")
    users: dict[str, dict] = {}  # wa_id -> the user's first ticket
    for t in tickets:
        users.setdefault(digits_62(t["person_phone"]), t)
    used_numbers = {national(t["person_phone"]) for t in context.samples.tickets(month) if t["person_phone"]}

    sessions: list[tuple[datetime, dict]] = []
    # -- handed to an agent: one per WhatsApp ticket -----------------------------------------
    for t in tickets:
        created = datetime.strptime(t["date_created"], "%Y-%m-%dT%H:%M:%SZ") + WIB_OFFSET
        began = max(start, created - timedelta(seconds=rng.randint(50, 540)))
        sessions.append(
            (
                began,
                {
                    "wa_id": digits_62(t["person_phone"]),
                    "name": t["person_name"],
                    "region": t["region"],
                    "agency": t["organization"],
                    "email": t["person_email"],
                    "question": _ticket_question(rng, t["subject"]),
                    "menu": CHAT_AGENT,
                    "submenu": "",
                    "handed_to_agent": "true",
                    "ticket_ref": t["ref"],
                },
            )
        )

    # -- without agent and left before the menu: returning ticket users, then new users -----
    choices = expand(menus) + [""] * int(mcal["left_before_menu"])
    rng.shuffle(choices)
    returning = int(mcal["returning_sessions"])
    n_new = int(mcal["new_users"])
    if returning > len(choices) or len(choices) - returning < n_new or (returning and not users):
        raise ValueError(f"chatbot calibration {month}: sessions cannot be spread over the users")
    ticket_wa_ids = list(users)
    new_people = [_new_person(rng, context, used_numbers) for _ in range(n_new)]
    owners: list[dict] = [_ticket_person(users[rng.choice(ticket_wa_ids)]) for _ in range(returning)]
    owners += new_people  # every new user has at least one session …
    owners += [rng.choice(new_people) for _ in range(len(choices) - returning - n_new)]  # … some more
    rng.shuffle(owners)
    days = [first + timedelta(days=i) for i in range((next_first - first).days)]
    day_weights = [1.0 if is_working_day(d) else 0.45 for d in days]
    submenus = cal["submenus"]
    for menu, person in zip(choices, owners, strict=True):
        day = rng.choices(days, weights=day_weights)[0]
        began = random_moment(
            rng,
            day,
            *weighted_choice(
                rng,
                [
                    ((time(7), time(17)), 6.0),
                    ((time(17), time(22)), 2.0),
                    ((time(5), time(7)), 0.5),
                    ((time(22), time(23, 59, 59)), 0.4),
                ],
            ),
        )
        row = dict(person)
        row["question"] = _menu_question(rng, menu, cal) if menu or rng.random() < 0.6 else ""
        if not menu and rng.random() < 0.3:  # left while filling in the form
            row["email"], row["question"] = "", ""
            if rng.random() < 0.5:
                row["agency"], row["region"] = "", ""
        row.update(
            menu=menu,
            submenu=(rng.choice(submenus[menu]) if menu and rng.random() < 0.92 else ""),
            handed_to_agent="false",
            ticket_ref="",
        )
        sessions.append((began, row))

    sessions.sort(key=lambda item: (item[0], item[1]["wa_id"], item[1]["ticket_ref"], item[1]["menu"]))
    seen: set[str] = set()
    for began, row in sessions:
        if not start <= began < end:
            raise AssertionError("chatbot session outside its month")
        while True:
            session_id = f"{rng.getrandbits(64):016x}"
            if session_id not in seen:
                seen.add(session_id)
                break
        yield {"session_id": session_id, "started_at": began.strftime(WIB_FORMAT), **row}


def write_sessions(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, COLUMNS, iter_sessions(context))


FILES = [SampleFile(FILENAME, write_sessions)]


# --------------------------------------------------------------------------- people and texts


def _ticket_person(ticket: dict) -> dict:
    return {
        "wa_id": digits_62(ticket["person_phone"]),
        "name": ticket["person_name"],
        "region": ticket["region"],
        "agency": ticket["organization"],
        "email": ticket["person_email"],
    }


def _new_person(rng: random.Random, context: SampleContext, used_numbers: set[str]) -> dict:
    regions = context.regions
    name = person_name(rng)
    if rng.random() < 0.06:
        name = rng.choice(["Bapak/Ibu", name.lower(), name.split()[0]])
    if rng.random() < 0.9:
        row = rng.choice(regions.rows)
        region = weighted_choice(rng, regions.variants(row["pemda_id"]))
        agency = rng.choice(
            [
                f"BPKAD {row['pemda_name']}",
                f"Bapenda {row['name_core']}",
                f"Bappeda {row['pemda_name']}",
                f"DPRD {row['pemda_name']}",
                f"Inspektorat {row['name_core']}",
                "Pemda",
                "BPKAD",
                f"Dinas Pendidikan {row['pemda_name']}",
                "Pemerintah Desa",
                "Mahasiswa",
            ]
        )
    else:
        region = rng.choice(["-", "", "Indonesia", "Jawa"])
        agency = rng.choice(["Masyarakat", "Mahasiswa", "-", "Swasta", "Kemenkeu"])
    email = email_address(rng, name) if rng.random() < 0.85 else rng.choice(["-", "", "tidak ada"])
    return {
        "wa_id": "62" + mobile_number(rng, context.month, used_numbers)[1:],
        "name": name,
        "region": region,
        "agency": agency,
        "email": email,
    }


def _ticket_question(rng: random.Random, subject: str) -> str:
    return rng.choice(
        [
            subject,
            f"Mohon informasi terkait {subject[:1].lower()}{subject[1:]}",
            f"Izin bertanya, {subject[:1].lower()}{subject[1:]}",
            f"{subject}?",
        ]
    )


def _menu_question(rng: random.Random, menu: str, cal: dict) -> str:
    if not menu or rng.random() < 0.1:
        return rng.choice(["tes", "-", "Selamat pagi", "Mohon info", "Assalamualaikum, izin bertanya"])
    return rng.choice(cal["questions"][menu])
