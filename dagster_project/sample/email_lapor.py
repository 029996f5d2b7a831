"""Sample export of the mailbox lapor.djpk@kemenkeu.go.id, ``email_lapor.csv`` (exports.md § email_lapor).

Calibrated (``calibration/email_lapor.yaml``) under the pipeline's definitions:

* e-mails = distinct ``message_id`` received in the month (WIB); a forwarded duplicate repeats the
  Message-ID (and the rest of the row) a little later: exactly ``duplicates`` extra rows;
* by category over distinct messages, exactly as calibrated;
* ``received_at`` carries the sender server's offset: mostly ``+07:00``, some ``+08:00``,
  ``+09:00`` or ``Z`` — always inside the month on the WIB clock (one ``Z`` row falls on the
  previous calendar day in UTC while being the 1st in WIB).
"""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from datetime import datetime, time, timedelta
from typing import TextIO

from ..lib.contracts import EMAIL_LAPOR, EMAIL_LAPOR_CATEGORIES
from ..lib.months import month_bounds
from ..reference.holiday_calendar import is_working_day
from .common import check_total, expand, random_moment, weighted_choice, write_csv_rows
from .context import SampleContext, SampleFile
from .people import email_address, person_name

SOURCE = "email_lapor"
FILENAME = "email_lapor.csv"
CALIBRATION_FILE = "email_lapor.yaml"
COLUMNS = EMAIL_LAPOR.column_names
OFFSETS = {"+07:00": 7, "+08:00": 8, "+09:00": 9, "Z": 0}
EPOCH_WIB = datetime(1970, 1, 1, 7)  # 1970-01-01T00:00Z on the WIB clock (no machine time zone involved)
MONTHS_ID = (
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)


def months(calibration: dict) -> list[str]:
    return list(calibration["months"])


def history_months(calibration: dict) -> list[str]:
    return []


def iter_emails(context: SampleContext) -> Iterator[dict]:
    """The month's received copies in order of arrival."""
    month, cal = context.month, context.calibration
    mcal = context.month_calibration()
    categories = mcal["categories"]
    check_total(f"email_lapor {month} categories", categories, int(mcal["distinct"]))
    if set(categories) - set(EMAIL_LAPOR_CATEGORIES):
        raise ValueError(
            f"email_lapor {month}: unknown categories {sorted(set(categories) - set(EMAIL_LAPOR_CATEGORIES))}"
        )
    rng = random.Random(context.seed)
    first, next_first = month_bounds(month)
    start, end = datetime.combine(first, time(0)), datetime.combine(next_first, time(0))
    days = [first + timedelta(days=i) for i in range((next_first - first).days)]
    weights = [(1.0 + 0.15 * i / len(days)) if is_working_day(d) else 0.08 for i, d in enumerate(days)]
    regions = context.regions
    senders: dict[str, tuple[str, str]] = {}  # pemda_id -> (address, region text habit)
    offsets = list(cal["offsets"].items())
    year, mon = first.year, first.month

    messages: list[tuple[datetime, dict]] = []
    seen_ids: set[str] = set()
    deal = expand(categories)
    rng.shuffle(deal)
    for i, category in enumerate(deal):
        wib = random_moment(
            rng,
            rng.choices(days, weights=weights)[0],
            *weighted_choice(
                rng, [((time(7), time(17)), 8.0), ((time(17), time(23, 59, 59)), 1.5), ((time(0), time(7)), 0.3)]
            ),
        )
        if i == 0:  # an early-morning mail of the 1st, written in UTC: the previous day on the UTC clock
            wib, offset = datetime.combine(first, time(rng.randint(1, 5), rng.randint(0, 59), rng.randint(0, 59))), "Z"
        else:
            offset = weighted_choice(rng, offsets)
        row = rng.choice(regions.rows)
        if row["pemda_id"] not in senders:
            name = person_name(rng)
            address = rng.choice(
                [
                    email_address(rng, name),
                    f"bpkad.{_slug(row['name_core'])}{rng.choice(['', '1', '2', '.official'])}@gmail.com",
                    f"keuangan{_slug(row['name_core'])}@{rng.choice(['yahoo.co.id', 'gmail.com'])}",
                ]
            )
            senders[row["pemda_id"]] = (address, weighted_choice(rng, regions.variants(row["pemda_id"])))
        address, region = senders[row["pemda_id"]]
        if rng.random() < 0.2:
            region = weighted_choice(rng, regions.variants(row["pemda_id"]))
        if rng.random() < 0.04:
            region = ""
        subject = rng.choice(cal["subjects"][category]).format(
            region=row["pemda_name"],
            year=year,
            prev_year=year - 1,
            month=MONTHS_ID[mon - 1],
            next_month=MONTHS_ID[mon % 12],
        )
        message_id = _message_id(rng, wib, address, seen_ids)
        messages.append(
            (
                wib,
                {
                    "message_id": message_id,
                    "offset": offset,
                    "from_address": address,
                    "subject": subject,
                    "category": category,
                    "region": region,
                    "attachment_count": weighted_choice(rng, [(0, 1), (1, 12), (2, 6), (3, 3), (4, 1), (6, 0.5)]),
                },
            )
        )

    copies = list(messages)
    for wib, message in rng.sample(messages, int(mcal["duplicates"])):
        later = wib + timedelta(seconds=rng.randint(4, 900))
        copies.append((later if later < end else wib, dict(message, offset=weighted_choice(rng, offsets))))
    copies.sort(key=lambda item: (item[0], item[1]["message_id"]))
    for wib, message in copies:
        if not start <= wib < end:
            raise AssertionError("e-mail outside its month")
        offset = message.pop("offset")
        local = wib + timedelta(hours=OFFSETS[offset] - 7)
        yield {"received_at": local.strftime("%Y-%m-%dT%H:%M:%S") + ("Z" if offset == "Z" else offset), **message}


def write_emails(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, COLUMNS, iter_emails(context))


FILES = [SampleFile(FILENAME, write_emails)]


def _slug(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _message_id(rng: random.Random, wib: datetime, address: str, seen: set[str]) -> str:
    while True:
        domain = address.rsplit("@", 1)[-1]
        if domain.startswith("gmail"):
            token = "CA" + "".join(rng.choice(string.ascii_letters + string.digits + "_-+") for _ in range(44))
            value = f"<{token}@mail.gmail.com>"
        elif domain.startswith("yahoo") or domain.startswith("ymail"):
            value = f"<{rng.randint(10**8, 10**9 - 1)}.{rng.randint(10**6, 10**7 - 1)}.{int((wib - EPOCH_WIB).total_seconds())}@mail.yahoo.com>"
        else:
            value = f"<{wib.strftime('%Y%m%d%H%M%S')}.{rng.getrandbits(40):010x}@{domain}>"
        if value not in seen:
            seen.add(value)
            return value
