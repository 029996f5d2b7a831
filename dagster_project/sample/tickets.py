"""Sample Deskpro ``tickets.csv`` exports, calibrated to the reference reports.

``generate_tickets(month, calibration, register, rng_seed)`` returns the rows of one month's
export (contract column order, exports.md § tickets) whose aggregates equal the month's
calibration (``calibration/tickets.yaml``) exactly under the pipeline's definitions:

* month window: ``date_created`` in WIB inside the month;
* region -> pemda through the region matcher (``dagster_project.reference.region_matching``),
  time zone from the matched pemda's ``time_zone``; every region text written is checked
  against the matcher (a variant the matcher does not resolve to the intended pemda is
  never used; an "unidentified" text must not match);
* service hours Mon-Fri 08:00 <= WIB < 16:00 outside national holidays and cuti bersama;
  eastern users' contact times are drawn from their own local clock and converted;
* purpose from department; complaint = ``Pengaduan``; escalated = ``escalated_to`` set;
* WhatsApp users = distinct E.164-normalised ``person_phone`` of whatsapp tickets; mobile
  numbers are fitted to the month's bucket (``common.fit_phone_bucket``), so no number is
  drawn for two months and the users of several months add up (1,001 since April 2019);
* WhatsApp tickets from 2023-09 carry the ``chatbot`` label (they reached the agent through
  the chatbot's "Chat Agent"; the chatbot sample holds one hand-over session per ticket).

History months (``history_months``: 2019-04 … 2019-11, landed only for cumulative figures) are
the template month's calibration scaled to their own total and channels (``scale_block``).

How exact targets are met at once: the month's tickets are "slots" whose attributes are
dealt out from exact multisets in an order that respects the correlations (time zone and
service-hours flag -> pemda -> user category -> channel (phone only in service hours) ->
department (channel quotas, then drawn from the remaining pool with category/pemda
affinity) -> subject -> escalation), then users are formed by grouping slots with the same
(channel, category, pemda), timestamps are drawn, and rows are numbered in creation order.

Randomness comes only from ``random.Random(rng_seed)`` (default ``f"{month}:tickets"``), and
iteration is over lists and insertion-ordered dicts only, so the output is byte-stable.
Rows are produced by an iterator (``iter_tickets``) and written as they come
(``write_tickets``); the per-month slot plan is held in memory (compact ``__slots__``
objects), which is the part a future ``scale`` factor would chunk (e.g. per day).
"""

from __future__ import annotations

import random
import re
import zlib
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any, TextIO

from ..lib.contracts import TICKETS
from ..lib.months import month_bounds
from ..reference.holiday_calendar import is_working_day
from ..reference.ticket_vocabulary import TICKET_CHANNELS as CHANNELS
from ..reference.ticket_vocabulary import TICKET_DEPARTMENTS as DEPARTMENTS
from ..reference.ticket_vocabulary import TICKET_PERSON_CATEGORIES as CATEGORIES
from .common import (
    TZ_OFFSET_FROM_WIB,
    apportion,
    check_total,
    draw_from_pool,
    expand,
    fit_phone_bucket,
    is_service_time,
    next_service_start,
    utc_text,
    weighted_choice,
    write_csv_rows,
)
from .context import SampleFile

SOURCE = "tickets"
FILENAME = "tickets.csv"
CALIBRATION_FILE = "tickets.yaml"

COLUMNS = TICKETS.column_names

# Ids: a block per month, so ids are unique across months and stable on re-export.
ID_BLOCK = 100_000_000


# --------------------------------------------------------------------------- people

FIRST_NAMES = [
    "Agus",
    "Budi",
    "Siti",
    "Dewi",
    "Andi",
    "Rudi",
    "Sri",
    "Wahyu",
    "Eko",
    "Nur",
    "Rahmat",
    "Fitri",
    "Hendra",
    "Yuni",
    "Ahmad",
    "Muhammad",
    "Rizky",
    "Indah",
    "Teguh",
    "Lestari",
    "Bambang",
    "Ratna",
    "Joko",
    "Wulan",
    "Irfan",
    "Novi",
    "Yusuf",
    "Maya",
    "Arif",
    "Putu",
    "Made",
    "Ketut",
    "Nyoman",
    "Wayan",
    "Gede",
    "Komang",
    "Fransiska",
    "Yohanes",
    "Maria",
    "Stefanus",
    "Daniel",
    "Yosef",
    "Ruth",
    "Herman",
    "Sutrisno",
    "Suparman",
    "Mulyadi",
    "Asep",
    "Ujang",
    "Cecep",
    "Iwan",
    "Dedi",
    "Taufik",
    "Fadli",
    "Syahrul",
    "Zulkifli",
    "Nurhayati",
    "Hasanah",
    "Ilham",
    "Rosmawati",
    "Yulianti",
    "Erni",
    "Lukman",
    "Hamzah",
    "Anisa",
    "Citra",
    "Galih",
    "Bayu",
    "Reza",
    "Aditya",
    "Gilang",
    "Rani",
    "Tri",
    "Dwi",
    "Wiwik",
    "Heru",
    "Slamet",
    "Paulus",
    "Marthen",
    "Yakobus",
    "Abdul",
    "La Ode",
    "Wa Ode",
    "Ikhsan",
    "Ayu",
    "Rosa",
    "Darmawan",
    "Safitri",
    "Nanda",
    "Yohana",
    "Benediktus",
    "Petrus",
    "Ester",
]
LAST_NAMES = [
    "Saputra",
    "Pratama",
    "Wijaya",
    "Siregar",
    "Nasution",
    "Harahap",
    "Lubis",
    "Simanjuntak",
    "Sitompul",
    "Hutapea",
    "Sembiring",
    "Ginting",
    "Tarigan",
    "Rahman",
    "Hidayat",
    "Setiawan",
    "Kurniawan",
    "Susanto",
    "Santoso",
    "Purnomo",
    "Wibowo",
    "Gunawan",
    "Hasibuan",
    "Manurung",
    "Pangaribuan",
    "Tanjung",
    "Syahputra",
    "Permana",
    "Nugroho",
    "Prasetyo",
    "Hakim",
    "Rangkuti",
    "Daulay",
    "Tambunan",
    "Pohan",
    "Wattimena",
    "Pattinama",
    "Latuconsina",
    "Rumbiak",
    "Wonda",
    "Kogoya",
    "Tabuni",
    "Mandagi",
    "Rondonuwu",
    "Lumentut",
    "Pasaribu",
    "Bachtiar",
    "Effendi",
    "Halim",
    "Iskandar",
    "Kusuma",
    "Maulana",
    "Ramadhan",
    "Firmansyah",
    "Hermawan",
    "Utomo",
    "Suryadi",
    "Arifin",
    "Baso",
    "Ngongo",
    "Pandie",
    "Manafe",
    "Wulandari",
    "Anggraini",
    "Rahmawati",
    "Fitriani",
    "Handayani",
    "Astuti",
    "Suryani",
    "Oktaviani",
    "Lumbantobing",
    "Sinaga",
    "Simatupang",
    "Mokodompit",
    "Lasut",
    "Tuhuteru",
    "Renyaan",
]
EMAIL_DOMAINS = [("gmail.com", 10), ("yahoo.com", 2), ("yahoo.co.id", 2), ("ymail.com", 1), ("outlook.com", 1)]
MOBILE_PREFIXES = [
    "0811",
    "0812",
    "0813",
    "0821",
    "0822",
    "0823",
    "0851",
    "0852",
    "0853",
    "0855",
    "0856",
    "0857",
    "0858",
    "0877",
    "0878",
    "0895",
    "0896",
    "0897",
    "0898",
    "0831",
    "0838",
]
AREA_CODES = ["021", "0401", "0761", "0711", "0765", "0536", "0361", "0370", "0967", "0911", "0274", "031"]
UNIVERSITIES = {
    "Kota Kendari": "Universitas Halu Oleo",
    "Prov. Riau": "Universitas Riau",
    "Kota Pekanbaru": "Universitas Riau",
    "Prov. Sumatera Selatan": "Universitas Sriwijaya",
    "Kota Palembang": "Universitas Sriwijaya",
    "Kota Makassar": "Universitas Hasanuddin",
    "Kota Malang": "Universitas Brawijaya",
    "Kab. Sleman": "Universitas Gadjah Mada",
    "Kota Depok": "Universitas Indonesia",
    "Kota Tangerang Selatan": "PKN STAN",
    "Kota Jayapura": "Universitas Cenderawasih",
    "Kab. Sumedang": "Universitas Padjadjaran",
    "Kota Semarang": "Universitas Diponegoro",
    "Kota Surabaya": "Universitas Airlangga",
    "Kota Medan": "Universitas Sumatera Utara",
    "Kota Padang": "Universitas Andalas",
    "Kota Denpasar": "Universitas Udayana",
    "Kota Ambon": "Universitas Pattimura",
    "Kota Palangka Raya": "Universitas Palangka Raya",
    "Kota Bandung": "Universitas Padjadjaran",
}
VILLAGES = [
    "Sukamaju",
    "Mekarsari",
    "Sidomulyo",
    "Karanganyar",
    "Suka Damai",
    "Tanjung Harapan",
    "Bumi Jaya",
    "Margorejo",
    "Sumber Agung",
    "Talang Jawa",
    "Lembah Hijau",
    "Air Putih",
]
PHONE_FORMATS = ("plain", "dashed", "plus62", "plus62_spaced", "62", "62_spaced", "spaced")


class _Person:
    __slots__ = ("name", "email", "phone", "phone_format", "org", "region_pref", "category", "pemda", "show_phone")


class _Ticket:
    __slots__ = (
        "index",
        "special",
        "tz",
        "inside",
        "pemda",
        "category",
        "channel",
        "department",
        "subject",
        "escalated_to",
        "person",
        "created",
        "region_text",
        "organization",
        "agent",
        "status",
        "reply",
        "resolved",
        "feedback",
        "labels",
        "phone_format",
    )

    def __init__(self, index: int):
        self.index = index
        self.special = None
        self.tz = self.inside = self.pemda = self.category = self.channel = None
        self.department = self.subject = self.escalated_to = self.person = None
        self.created = self.region_text = self.organization = self.agent = self.status = None
        self.reply = self.resolved = self.feedback = self.phone_format = None
        self.labels = ""


# --------------------------------------------------------------------------- regions


class RegionCatalog:
    """The register plus the matcher: which region texts resolve to which pemda."""

    def __init__(self, register: Sequence[Mapping[str, str]], matcher: Any):
        self.rows = [dict(row) for row in register]
        self.by_id = {row["pemda_id"]: row for row in self.rows}
        self.by_name = {row["pemda_name"]: row["pemda_id"] for row in self.rows}
        self.matcher = matcher
        self._variants: dict[tuple, list[tuple[str, float]]] = {}
        self._checked_none: dict[str, bool] = {}

    def match_id(self, text: str) -> str | None:
        result = self.matcher.match(text)
        return None if result is None else getattr(result, "pemda_id", None)

    def resolve(self, name: str) -> str:
        """pemda_id of a register pemda_name (or of a text the matcher resolves)."""
        pemda_id = self.by_name.get(name) or self.match_id(name)
        if pemda_id is None:
            raise ValueError(f"calibration names an unknown pemda: {name!r}")
        return pemda_id

    def tz(self, pemda_id: str) -> str:
        return self.by_id[pemda_id]["time_zone"]

    def variants(self, pemda_id: str, extra: Sequence[str] = ()) -> list[tuple[str, float]]:
        """Region texts (with weights) that the matcher resolves to ``pemda_id``."""
        key = (pemda_id, tuple(extra))
        if key in self._variants:
            return self._variants[key]
        row = self.by_id[pemda_id]
        level, core, name = row["pemda_level"], row["name_core"], row["pemda_name"]
        candidates: list[tuple[str, float]] = [(name, 8.0), (row["official_name"], 3.0)]
        if level == "kota":
            candidates += [
                (f"kota {core.lower()} ", 1.0),
                (core, 2.0),
                (f"Pemkot {core}", 1.0),
                (f"KOTA {core.upper()}", 1.0),
                (f"Kota  {core}", 0.5),
            ]
        elif level == "kabupaten":
            candidates += [
                (f"KAB. {core.upper()}", 1.0),
                (f"Kab {core}", 1.0),
                (f"Pemkab {core}", 1.0),
                (core, 1.0),
                (f"kab. {core.lower()}", 1.0),
                (f"Kabupaten {core} ", 0.5),
            ]
        else:
            candidates += [
                (f"Provinsi {core}", 2.0),
                (f"Pemprov {core}", 1.0),
                (core, 1.0),
                (f"PROV. {core.upper()}", 1.0),
                (f"Prov {core}", 1.0),
            ]
        candidates += [(text, 2.0) for text in extra]
        out: dict[str, float] = {}
        for text, weight in candidates:
            if self.match_id(text) == pemda_id:  # only variants the matcher resolves correctly
                out[text] = out.get(text, 0.0) + weight
        if name not in out:
            raise AssertionError(f"region matcher does not resolve the register name {name!r}")
        for text in extra:
            if text not in out:
                raise AssertionError(f"calibration variant {text!r} does not resolve to {name!r}")
        self._variants[key] = list(out.items())
        return self._variants[key]

    def unidentified(self, texts: Sequence[str]) -> list[str]:
        """The texts of ``texts`` that the matcher leaves unmatched (all of them, or fail)."""
        for text in texts:
            if text not in self._checked_none:
                self._checked_none[text] = self.match_id(text) is None
            if not self._checked_none[text]:
                raise AssertionError(f"'unidentified' region text {text!r} matches a pemda")
        return list(texts)


# --------------------------------------------------------------------------- calibration


def months(calibration: Mapping) -> list[str]:
    """Every generated month: the calibrated months (file order), then the history months."""
    return list(calibration["months"]) + history_months(calibration)


def history_months(calibration: Mapping) -> list[str]:
    """Months generated only for cumulative figures (WhatsApp users since April 2019)."""
    return list(((calibration.get("history") or {}).get("months") or {}))


def month_block(calibration: Mapping, month: str) -> dict:
    """The month's own calibration block: written out, or a history month scaled from its template."""
    if month in calibration["months"]:
        return dict(calibration["months"][month])
    history = calibration.get("history") or {}
    if month in (history.get("months") or {}):
        return scale_block(calibration["months"][history["template"]], history["months"][month])
    raise KeyError(f"no tickets calibration for {month}")


def scale_block(template: Mapping, target: Mapping) -> dict:
    """A month block shaped like ``template`` for ``target['total']`` tickets.

    ``target`` gives ``total``, ``channels`` and optionally ``whatsapp_users``; every other count
    of the template (user categories, time zones, outside-hours tickets, departments, channel
    quotas) is scaled by total / template total and apportioned exactly (largest remainder), so
    every partition still sums to its whole. Exact subject tables, specials and top-pemda lists
    are the template month's own and are not carried over.
    """
    total = int(target["total"])
    factor = total / int(template["total"])
    tz = template["time_zone"]
    unidentified = round(tz["unidentified"] * factor)
    identified = apportion(total - unidentified, tz["identified"])
    block = {
        "era": template["era"],
        "total": total,
        "channels": dict(target["channels"]),
        "person_category": apportion(total, template["person_category"]),
        "time_zone": {
            "unidentified": unidentified,
            "identified": identified,
            "outside_service_hours": {
                zone: min(round(n * factor), identified[zone]) for zone, n in tz["outside_service_hours"].items()
            },
            "unidentified_by_category": apportion(unidentified, tz["unidentified_by_category"]),
        },
        "pemda": {"max_other": (template.get("pemda") or {}).get("max_other", 8)},
        "departments": apportion(total, template["departments"]),
    }
    quotas = {}
    for channel, table in (template.get("channel_departments") or {}).items():
        if channel in block["channels"]:
            quotas[channel] = {dept: min(round(n * factor), block["departments"][dept]) for dept, n in table.items()}
    block["channel_departments"] = quotas
    if target.get("whatsapp_users") is not None:
        block["whatsapp_users"] = int(target["whatsapp_users"])
    return block


def month_calibration(calibration: Mapping, month: str) -> dict:
    """The month's block merged with its era and the shared sections."""
    if "months" not in calibration:
        return dict(calibration)
    block = month_block(calibration, month)
    era = calibration["eras"][block["era"]]
    catalog = dict(calibration["subject_catalog"][block["era"]])
    catalog.update(block.get("subject_catalog") or {})
    return {
        **era,
        **block,
        "subject_catalog": catalog,
        "escalation_units": calibration.get("escalation_units", {}),
        "category_affinity": calibration.get("category_affinity", {}),
        "unidentified_regions": calibration.get("unidentified_regions", {}),
    }


def _validate(cal: dict) -> None:
    total = cal["total"]
    check_total("channels", cal["channels"], total)
    check_total("person_category", cal["person_category"], total)
    check_total("departments", cal["departments"], total)
    tz = cal["time_zone"]
    check_total("time_zone identified + unidentified", {**tz["identified"], "unidentified": tz["unidentified"]}, total)
    check_total("unidentified_by_category", tz["unidentified_by_category"], tz["unidentified"])
    for zone, n in tz["outside_service_hours"].items():
        if n > tz["identified"][zone]:
            raise ValueError(f"calibration: more outside-hours {zone} tickets than {zone} tickets")
    unknown = set(cal["departments"]) - set(DEPARTMENTS)
    unknown |= set(cal["channels"]) - set(CHANNELS)
    unknown |= set(cal["person_category"]) - set(CATEGORIES)
    if unknown:
        raise ValueError(f"calibration: unknown values {sorted(unknown)}")
    for dept, table in (cal.get("subjects") or {}).items():
        check_total(f"subjects of {dept}", table, cal["departments"][dept])
    for dept, n in (cal.get("escalated") or {}).items():
        if n > cal["departments"].get(dept, 0):
            raise ValueError(f"calibration: {n} escalated {dept} tickets but fewer {dept} tickets")


# --------------------------------------------------------------------------- the plan


def generate_tickets(
    month: str,
    calibration: Mapping,
    register: Sequence[Mapping[str, str]],
    rng_seed: Any = None,
    *,
    matcher: Any = None,
) -> list[dict]:
    """All rows of ``month``'s ``tickets.csv`` (dicts keyed by ``COLUMNS``, in order)."""
    return list(iter_tickets(month, calibration, register, rng_seed, matcher=matcher))


def iter_tickets(
    month: str,
    calibration: Mapping,
    register: Sequence[Mapping[str, str]],
    rng_seed: Any = None,
    *,
    matcher: Any = None,
) -> Iterator[dict]:
    """Rows of ``month``'s export, in id order (see ``generate_tickets``)."""
    if matcher is None:
        from dagster_project.reference.region_matching import RegionMatcher

        matcher = RegionMatcher.from_rows(register)
    regions = matcher if isinstance(matcher, RegionCatalog) else RegionCatalog(register, matcher)
    cal = month_calibration(calibration, month)
    _validate(cal)
    rng = random.Random(f"{month}:tickets" if rng_seed is None else rng_seed)
    tickets = _plan(month, cal, regions, rng)
    year, mon = (int(p) for p in month.split("-"))
    block = ((year - 2000) * 12 + mon - 1) * ID_BLOCK
    width = max(4, len(str(len(tickets))))
    exact_subjects = set(cal.get("subjects") or {})
    for seq, ticket in enumerate(tickets, start=1):
        row = _row(ticket, block + seq, f"DJPK-{year % 100:02d}{mon:02d}-{seq:0{width}d}")
        if row["department"] not in exact_subjects:
            row["subject"] = subject_with_contact(row)
        yield row


PLANT_EVERY = 16
"""About one ticket in 16 has the user's own name, e-mail or phone typed into its subject, as agents do."""
PLANTED_FORMS = ("{subject} - {person_name}", "{subject} ({person_email})", "{person_phone}: {subject}")


def subject_with_contact(row: Mapping[str, Any]) -> str:
    """The subject, or for some tickets (chosen by a hash of the ref, so no random draw changes) the
    subject with the user's contact detail typed in. The loader removes a row's own personal values
    from its subject (``scrub_personal_values`` in the contract), which gives back the subject: no
    figure changes, and the privacy tests have personal data inside longer text to look for."""
    ref = str(row["ref"])
    if zlib.crc32(ref.encode()) % PLANT_EVERY:
        return row["subject"]
    form = PLANTED_FORMS[zlib.crc32(ref[::-1].encode()) % len(PLANTED_FORMS)]
    needed = [str(row[name]).strip() for name in re.findall(r"\{(person_\w+)\}", form)]
    if not all(len(value) >= 6 and (" " in value or "@" in value or value[-1].isdigit()) for value in needed):
        return row["subject"]  # only what the loader recognizes: a full name, an address, a phone number
    return form.format(**row)


def write_tickets(
    handle: TextIO,
    month: str,
    calibration: Mapping,
    register: Sequence[Mapping[str, str]],
    rng_seed: Any = None,
    *,
    matcher: Any = None,
) -> int:
    """Stream ``month``'s export to ``handle``; returns the number of rows."""
    return write_csv_rows(handle, COLUMNS, iter_tickets(month, calibration, register, rng_seed, matcher=matcher))


def _write_file(handle: TextIO, context: Any) -> int:
    """The landed file: the rows other sources see too (``SampleSet.tickets``, seed ``f"{month}:tickets"``)."""
    return write_csv_rows(handle, COLUMNS, context.samples.tickets(context.month))


FILES = [SampleFile(FILENAME, _write_file)]


def _row(t: _Ticket, ticket_id: int, ref: str) -> dict:
    p: _Person = t.person
    fb = t.feedback
    return {
        "id": ticket_id,
        "ref": ref,
        "date_created": utc_text(t.created),
        "date_first_agent_reply": utc_text(t.reply) if t.reply else "",
        "date_resolved": utc_text(t.resolved) if t.resolved else "",
        "status": t.status,
        "channel": t.channel,
        "department": t.department,
        "subject": t.subject,
        "labels": t.labels,
        "agent": t.agent or "",
        "person_name": p.name,
        "person_email": p.email,
        "person_phone": _format_phone(p.phone, t.phone_format) if p.show_phone else "",
        "person_category": t.category,
        "organization": t.organization,
        "region": t.region_text,
        "escalated_to": t.escalated_to or "",
        "feedback_service": fb if fb else "",
        "feedback_substance": fb if fb else "",
    }


def _plan(month: str, cal: dict, regions: RegionCatalog, rng: random.Random) -> list[_Ticket]:
    total = cal["total"]
    tickets = [_Ticket(i) for i in range(total)]
    first_day, next_month = month_bounds(month)

    # -- specials (fixed rows, e.g. the month's complaint) ------------------------------
    specials = cal.get("specials") or []
    for t, spec in zip(tickets, specials):
        t.special = spec
        t.department, t.subject = spec["department"], spec["subject"]
        t.channel, t.category = spec.get("channel"), spec.get("category")
        text = spec.get("region") or ""
        pemda = regions.match_id(text)
        if text and pemda is None:
            raise AssertionError(f"special ticket region {text!r} is not matched")
        if pemda is not None and regions.by_name.get(text, pemda) != pemda:
            raise AssertionError(f"special ticket region {text!r} matches another pemda")
        t.pemda, t.region_text = pemda, text
        t.tz = regions.tz(pemda) if pemda else None
    ordinary = tickets[len(specials) :]

    # -- time zone, then the service-hours flag within each zone ------------------------
    tzc = cal["time_zone"]
    zone_pool = dict(tzc["identified"])
    unidentified = tzc["unidentified"]
    for t in tickets[: len(specials)]:
        if t.tz:
            zone_pool[t.tz] -= 1
        else:
            unidentified -= 1
    labels = expand(zone_pool) + [None] * unidentified
    rng.shuffle(labels)
    for t, zone in zip(ordinary, labels):
        t.tz = zone
    for zone, n_outside in tzc["outside_service_hours"].items():
        in_zone = [t for t in tickets if t.tz == zone]
        outside = set(id(t) for t in rng.sample(in_zone, n_outside))
        for t in in_zone:
            t.inside = id(t) not in outside
    for t in tickets:
        if t.tz is None:
            t.inside = rng.random() < 0.9  # unclassifiable, but drawn like everyone else

    # -- pemda of every identified ticket -----------------------------------------------
    pemda_cal = cal.get("pemda") or {}
    top = {regions.resolve(name): n for name, n in (pemda_cal.get("top") or {}).items()}
    cap = int(pemda_cal.get("max_other", 8))
    counts: Counter = Counter(t.pemda for t in tickets if t.pemda)
    level_weight = {"provinsi": 2.5, "kota": 1.6, "kabupaten": 1.0}
    popularity = {row["pemda_id"]: level_weight[row["pemda_level"]] * rng.uniform(0.3, 1.7) for row in regions.rows}
    for zone in ("WIB", "WITA", "WIT"):
        slots = [t for t in ordinary if t.tz == zone]
        fixed: list[str] = []
        for pemda_id, n in top.items():
            if regions.tz(pemda_id) == zone:
                fixed += [pemda_id] * (n - counts[pemda_id])
        if len(fixed) > len(slots):
            raise ValueError(f"{month}: top pemda of {zone} need more tickets than the zone has")
        candidates = [r["pemda_id"] for r in regions.rows if r["time_zone"] == zone and r["pemda_id"] not in top]
        drawn: list[str] = []
        while len(fixed) + len(drawn) < len(slots):
            if not candidates:
                raise ValueError(f"{month}: not enough {zone} pemda under the cap {cap}")
            pemda_id = rng.choices(candidates, weights=[popularity[c] for c in candidates])[0]
            if counts[pemda_id] >= cap:
                candidates.remove(pemda_id)
                continue
            counts[pemda_id] += 1
            drawn.append(pemda_id)
        assigned = fixed + drawn
        rng.shuffle(assigned)
        for t, pemda_id in zip(slots, assigned):
            t.pemda = pemda_id

    # -- user category --------------------------------------------------------------------
    cat_pool = dict(cal["person_category"])
    unid_pool = dict(tzc["unidentified_by_category"])
    for t in tickets[: len(specials)]:
        cat_pool[t.category] -= 1
        if t.pemda is None:
            unid_pool[t.category] -= 1
    unid_cats = expand(unid_pool)
    rng.shuffle(unid_cats)
    unid_slots = [t for t in ordinary if t.pemda is None]
    for t, cat in zip(unid_slots, unid_cats, strict=True):
        t.category = cat
        cat_pool[cat] -= 1
    rest_cats = expand(cat_pool)
    rng.shuffle(rest_cats)
    for t, cat in zip([t for t in ordinary if t.pemda is not None], rest_cats, strict=True):
        t.category = cat

    # -- channel (phone calls are taken in service hours only) --------------------------
    ch_pool = dict(cal["channels"])
    for t in tickets[: len(specials)]:
        ch_pool[t.channel] -= 1
    order = ordinary[:]
    rng.shuffle(order)
    phone_ok = [t for t in order if t.inside]
    n_phone = ch_pool.pop("phone", 0)
    if n_phone > len(phone_ok):
        raise ValueError(f"{month}: more phone tickets than tickets in service hours")
    for t in phone_ok[:n_phone]:
        t.channel = "phone"
    rest_channels = expand(ch_pool)
    rng.shuffle(rest_channels)
    for t, ch in zip([t for t in order if t.channel is None], rest_channels, strict=True):
        t.channel = ch

    # -- department ---------------------------------------------------------------------
    dep_pool = dict(cal["departments"])
    for t in tickets[: len(specials)]:
        dep_pool[t.department] -= 1
    # [R2402] "Pemda Pengguna Terbanyak": a top pemda asks about the topics the report lists for it, each
    # at least once. Dealt without extra random draws, so every later draw of the stream is unchanged.
    listed = {regions.resolve(name): list(depts) for name, depts in (pemda_cal.get("topics") or {}).items()}
    topics = {pemda_id: set(depts) for pemda_id, depts in listed.items()}
    for ch, quota in (cal.get("channel_departments") or {}).items():
        in_channel = [t for t in order if t.channel == ch and t.department is None]
        deal = expand(quota)
        if len(deal) > len(in_channel):
            raise ValueError(f"{month}: channel_departments of {ch} exceed its tickets")
        dealt: list[tuple[_Ticket, str]] = []
        for t in in_channel:  # a top pemda's ticket takes one of its listed topics from the quota, if any
            dept = next((d for d in deal if d in topics.get(t.pemda, ())), None)
            if dept is not None:
                deal.remove(dept)
                dealt.append((t, dept))
        taken = {id(t) for t, _ in dealt}
        rest = [t for t in in_channel if id(t) not in taken]
        rest.sort(key=lambda t: 1 if t.pemda in topics else 0)  # the others first (stable)
        dealt += list(zip(rest, deal))
        for t, dept in dealt:
            t.department = dept
            dep_pool[dept] -= 1
            if dep_pool[dept] < 0:
                raise ValueError(f"{month}: channel_departments exceed department {dept}")
    affinity = cal.get("category_affinity") or {}
    pending = [t for t in order if t.department is None]
    pending.sort(key=lambda t: 0 if t.pemda in topics else 1)  # stable: top pemda first
    for pemda_id, depts in listed.items():  # each listed topic once, before the draws
        mine = [t for t in order if t.pemda == pemda_id]
        have = {t.department for t in mine if t.department is not None}
        free = [t for t in pending if t.pemda == pemda_id]
        for dept in depts:
            if dept in have or not free or dep_pool.get(dept, 0) <= 0:
                continue
            t = free.pop(0)
            rng.random()  # the draw this ticket would have taken: the stream stays as it was
            t.department = dept
            dep_pool[dept] -= 1
            pending.remove(t)
    for t in pending:
        aff = affinity.get(t.category, {})
        liked = topics.get(t.pemda, ())
        # a top pemda asks only about the topics the report lists for it ([R2402] "Pemda Pengguna
        # Terbanyak"); still one draw per ticket, so the random stream of every later draw is unchanged
        t.department = draw_from_pool(
            rng,
            dep_pool,
            lambda d, aff=aff, liked=liked: aff.get(d, 1.0) * ((1.0 if d in liked else 0.0) if liked else 1.0),
        )

    # -- subject ------------------------------------------------------------------------
    exact = cal.get("subjects") or {}
    catalog = cal["subject_catalog"]
    for dept, table in exact.items():
        in_dept = [t for t in order if t.department == dept and t.subject is None]
        deal = expand(table)
        rng.shuffle(deal)
        for t, subject in zip(in_dept, deal, strict=True):
            t.subject = subject
    for t in order:
        if t.subject is None:
            options = catalog.get(t.department)
            if not options:
                raise ValueError(f"{month}: no subjects for department {t.department}")
            t.subject = rng.choices(options, weights=[1.0 / (i + 1) ** 0.8 for i in range(len(options))])[0]

    # -- escalation ---------------------------------------------------------------------
    units = cal.get("escalation_units") or {}
    for dept, n in (cal.get("escalated") or {}).items():
        for t in rng.sample([t for t in order if t.department == dept], n):
            t.escalated_to = rng.choice(units[dept])

    # -- contact time ---------------------------------------------------------------------
    days = [first_day + timedelta(days=i) for i in range((next_month - first_day).days)]
    working = [d for d in days if is_working_day(d)]
    non_working = [d for d in days if not is_working_day(d)]
    work_weights = [1.25 if d.weekday() == 0 else 1.0 for d in working]
    for t in tickets:
        t.created = _draw_created(rng, t, working, work_weights, non_working)
        if t.tz is not None and is_service_time(t.created) != t.inside:
            raise AssertionError("drawn contact time contradicts its service-hours flag")
    tickets.sort(key=lambda t: (t.created, t.index))

    # -- users ------------------------------------------------------------------------------
    _assign_people(month, cal, tickets, regions, rng)

    # -- handling: agent, status, reply/resolution times, survey, labels -------------------
    _handle(month, cal, tickets, rng, next_month)
    return tickets


def _draw_created(
    rng: random.Random, t: _Ticket, working: list[date], work_weights: list[float], non_working: list[date]
) -> datetime:
    """A WIB contact time: the user's own local clock, converted (eastern users write at
    their local hours). Inside = a working day, 08:00-16:00 WIB; outside = early/late on a
    working day or any daytime on a weekend/holiday."""
    shift = TZ_OFFSET_FROM_WIB[t.tz] if t.tz else 0  # local = WIB + shift
    hour = 3600
    if t.inside:
        day = rng.choices(working, weights=work_weights)[0]
        local = rng.randrange((8 + shift) * hour, (16 + shift) * hour)
    elif non_working and rng.random() < 0.45:
        day = rng.choice(non_working)
        local = rng.randrange(7 * hour, 21 * hour + 1800)
    else:
        day = rng.choices(working, weights=work_weights)[0]
        early = (6 * hour + 900, (8 + shift) * hour)
        late = ((16 + shift) * hour, 22 * hour)
        span = weighted_choice(rng, [(early, early[1] - early[0]), (late, 1.5 * (late[1] - late[0]))])
        local = rng.randrange(*span)
    return datetime.combine(day, time(0)) + timedelta(seconds=local - shift * hour)


# --------------------------------------------------------------------------- users


def _assign_people(month: str, cal: dict, tickets: list[_Ticket], regions: RegionCatalog, rng: random.Random) -> None:
    """Group tickets into users. Users are per channel and share category and pemda."""
    used_phones: set[str] = set()
    repeat = cal.get("repeat_share") or {}
    variants_extra = {
        regions.resolve(name): texts for name, texts in ((cal.get("pemda") or {}).get("region_variants") or {}).items()
    }
    unid_texts = cal.get("unidentified_regions") or {}
    for ch in CHANNELS:
        in_channel = [t for t in tickets if t.channel == ch]
        if not in_channel:
            continue
        groups: dict[tuple, list[_Ticket]] = {}
        for t in in_channel:
            key = ("special", t.index) if t.special else (t.category, t.pemda)
            groups.setdefault(key, []).append(t)
        joinable = [t for members in groups.values() for t in members[1:]]
        if ch == "whatsapp" and cal.get("whatsapp_users") is not None:
            merges = len(in_channel) - int(cal["whatsapp_users"])  # exact target
        else:  # plausible share of returning users, as far as the groups allow
            merges = min(round(repeat.get(ch, 0.0) * len(in_channel)), len(joinable))
        if merges < 0 or merges > len(joinable):
            raise ValueError(f"{month}: cannot form the calibrated number of {ch} users")
        joining = set(id(t) for t in rng.sample(joinable, merges))
        for members in groups.values():
            people: list[_Person] = []
            for t in members:
                if id(t) in joining:
                    t.person = rng.choice(people)
                else:
                    t.person = _new_person(rng, t, regions, used_phones, variants_extra, unid_texts, cal, month)
                    people.append(t.person)
                _ticket_identity(rng, t, regions, variants_extra)


def _new_person(
    rng: random.Random,
    t: _Ticket,
    regions: RegionCatalog,
    used_phones: set[str],
    variants_extra: dict,
    unid_texts: dict,
    cal: dict,
    month: str,
) -> _Person:
    p = _Person()
    p.category, p.pemda = t.category, t.pemda
    first = rng.choice(FIRST_NAMES)
    shape = rng.random()
    if shape < 0.18:
        p.name = first
    elif shape < 0.9:
        p.name = f"{first} {rng.choice(LAST_NAMES)}"
    else:
        p.name = f"{first} {rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
    if p.name.casefold() in {a.casefold() for a in cal["agents"]}:
        raise AssertionError(f"user name {p.name!r} equals an agent's name")
    typed = rng.random()
    if typed < 0.05:
        p.name = p.name.lower()
    elif typed < 0.09:
        p.name = p.name.upper()
    # phone: unique within the month, so distinct users never share a number; mobile numbers
    # are fitted to the month's bucket (common.fit_phone_bucket), so months never share one
    landline = t.channel == "phone" and rng.random() < 0.15
    while True:
        if landline:
            area = rng.choice(AREA_CODES)
            number = area + "".join(rng.choice("0123456789") for _ in range(7 if len(area) == 4 else 8))
            number = number[: len(area)] + str(rng.randint(3, 8)) + number[len(area) + 1 :]
        else:
            number = rng.choice(MOBILE_PREFIXES) + "".join(
                rng.choice("0123456789") for _ in range(rng.choice((7, 8, 8)))
            )
            number = fit_phone_bucket(number, month)  # never equal to another month's number
        if number not in used_phones:
            used_phones.add(number)
            break
    p.phone = number
    p.phone_format = "landline" if landline else rng.choice(PHONE_FORMATS)
    p.show_phone = t.channel in ("whatsapp", "phone") or rng.random() < {"email": 0.35, "hai_kemenkeu": 0.8}.get(
        t.channel, 0.5
    )
    p.email = _email(rng, p.name, t.channel, cal)
    if t.special and t.special.get("organization"):
        p.org = t.special["organization"]
    else:
        p.org = _organization(rng, t.category, regions.by_id.get(t.pemda) if t.pemda else None)
    if t.special:
        p.region_pref = t.region_text
    elif t.pemda:
        p.region_pref = weighted_choice(rng, regions.variants(t.pemda, variants_extra.get(t.pemda, ())))
    else:
        texts = regions.unidentified(unid_texts.get(t.category) or ["", "-"])
        p.region_pref = rng.choice(texts)
        if t.category == "Akademisi" and p.region_pref.startswith("Universitas"):
            p.org = p.region_pref
    return p


def _ticket_identity(rng: random.Random, t: _Ticket, regions: RegionCatalog, variants_extra: dict) -> None:
    """What the user typed on this ticket: usually their habit, sometimes another variant."""
    p = t.person
    t.organization = p.org
    if t.special or rng.random() < 0.75:
        t.region_text = p.region_pref
    elif t.pemda:
        t.region_text = weighted_choice(rng, regions.variants(t.pemda, variants_extra.get(t.pemda, ())))
    else:
        t.region_text = p.region_pref
    if p.phone_format == "landline":  # a desk phone is written one way
        t.phone_format = "landline"
    else:
        t.phone_format = p.phone_format if rng.random() < 0.7 else rng.choice(PHONE_FORMATS)


def _email(rng: random.Random, name: str, channel: str, cal: dict) -> str:
    parts = [re.sub(r"[^a-z]", "", w.lower()) for w in name.split()]
    parts = [w for w in parts if w] or ["user"]
    sep = rng.choice([".", "", "_", "."])
    local = sep.join(parts[:2]) + (str(rng.randint(1, 99)) if rng.random() < 0.6 else "")
    address = f"{local}@{weighted_choice(rng, EMAIL_DOMAINS)}"
    if channel == "email":
        return address  # the sender address of the mail itself
    r = rng.random()
    empty = 0.55 if channel == "phone" else 0.08
    if r < empty:
        return ""
    if r < empty + 0.04:
        return rng.choice([f"{local}@@gmail.com", f"{local}@gmail", "-", f"{local} gmail.com", f"{local}@gmail..com"])
    return address


def _organization(rng: random.Random, category: str, row: dict | None) -> str:
    if row is None:
        return {
            "Pemda": rng.choice(["BPKAD", "Pemda", "Bapenda"]),
            "Akademisi": rng.choice(["Mahasiswa", "Universitas Terbuka", "-", "SMA"]),
            "Kementerian/Lembaga": rng.choice(
                ["Kementerian Keuangan", "Kemendagri", "Bappenas", "BPK RI", "Kemenkeu - DJPb"]
            ),
            "Lainnya": rng.choice(["Masyarakat", "-", "", "Swasta", "Wartawan", "Pendamping Desa"]),
        }[category]
    name, core, level = row["pemda_name"], row["name_core"], row["pemda_level"]
    if category == "Pemda":
        options = [
            f"BPKAD {name}",
            f"BPKPD {name}",
            f"Bapenda {name}",
            f"Bappeda {name}",
            f"Inspektorat {name}",
            f"Sekretariat DPRD {name}",
            f"DPRD {name}",
            f"Dinas Pendidikan {name}",
            f"Setda {name}",
            f"BPKAD {core}",
            name,
        ]
        if level == "kabupaten":
            options += [f"Pemerintah Desa {rng.choice(VILLAGES)}", f"DPMD {name}"]
        return rng.choice(options)
    if category == "Akademisi":
        if name in UNIVERSITIES and rng.random() < 0.6:
            return UNIVERSITIES[name]
        return rng.choice(
            [
                f"Universitas Muhammadiyah {core}",
                f"STIE {core}",
                f"SMA Negeri 1 {core}",
                f"SMK Negeri 2 {core}",
                f"Politeknik Negeri {core}",
                "Mahasiswa",
                f"Universitas {core}",
            ]
        )
    if category == "Kementerian/Lembaga":
        if level == "provinsi":
            return rng.choice(
                [
                    f"Kanwil DJPb Provinsi {core}",
                    f"BPK Perwakilan Provinsi {core}",
                    f"BPKP Perwakilan Provinsi {core}",
                    f"Kanwil DJP {core}",
                ]
            )
        return rng.choice([f"KPPN {core}", f"KPP Pratama {core}", f"BPS {name}", f"KPPN {core}"])
    return rng.choice(
        [
            "Masyarakat",
            "-",
            f"Pendamping Desa {name}",
            f"Tenaga Ahli P3MD {name}",
            "Wartawan",
            f"CV Karya Mandiri {core}",
            "Swasta",
            "",
        ]
    )


def _format_phone(number: str, style: str) -> str:
    """``0812345678901`` as people write it; every style normalises to the same E.164."""
    if style == "landline":
        area = number[:3] if number[:3] in ("021", "031") else number[:4]
        return f"({area}) {number[len(area) :]}"
    national = number[1:]  # without the trunk 0
    a, b, c = national[:3], national[3:7], national[7:]
    return {
        "plain": number,
        "dashed": f"0{a}-{b}-{c}",
        "plus62": f"+62{national}",
        "plus62_spaced": f"+62 {a}-{b}-{c}",
        "62": f"62{national}",
        "62_spaced": f"62 {a} {b} {c}",
        "spaced": f"0{a} {b} {c}",
    }[style]


# --------------------------------------------------------------------------- handling


def _handle(month: str, cal: dict, tickets: list[_Ticket], rng: random.Random, next_month: date) -> None:
    agents = cal["agents"]
    agent_options = list(agents.items())
    month_end = datetime.combine(next_month, time(0))
    n = len(tickets)
    recent = [t for t in tickets if not t.special and t.created >= month_end - timedelta(days=4)]
    n_user = round(cal.get("awaiting_user_share", 0) * n)
    n_agent = round(cal.get("awaiting_agent_share", 0) * n)
    waiting = rng.sample(recent, min(len(recent), n_user + n_agent))
    awaiting = {id(t): ("awaiting_agent" if i < n_agent else "awaiting_user") for i, t in enumerate(waiting)}
    chatbot_since = cal.get("chatbot_since")
    deskpro = cal["era"] == "deskpro"
    for t in tickets:
        status = awaiting.get(id(t))
        via_chatbot = t.channel == "whatsapp" and chatbot_since and month >= chatbot_since
        if status == "awaiting_agent":  # handed over by the chatbot too, not yet picked up
            t.status, t.agent = status, None
            t.labels = "chatbot" if via_chatbot else ""
            continue
        t.agent = weighted_choice(rng, agent_options)
        start = t.created if is_service_time(t.created) else next_service_start(t.created)
        if start != t.created:
            start += timedelta(minutes=rng.uniform(2, 75))
        delay = {
            "phone": (0.5, 4),
            "whatsapp": (1, 25),
            "live_chat": (0.5, 4),
            "hai_kemenkeu": (15, 240),
            "email": (20, 300),
        }[t.channel]
        t.reply = start + timedelta(minutes=rng.uniform(*delay))
        if status == "awaiting_user":
            t.status = status
        else:
            if t.escalated_to:
                work = (60 * 24, 60 * 24 * 8)
            else:
                work = {
                    "phone": (2, 20),
                    "whatsapp": (5, 240),
                    "live_chat": (3, 30),
                    "hai_kemenkeu": (30, 60 * 48),
                    "email": (30, 60 * 48),
                }[t.channel]
            t.resolved = t.reply + timedelta(minutes=rng.uniform(*work))
            old = t.resolved < month_end - timedelta(days=3)
            t.status = (
                "closed"
                if (old and rng.random() < 0.9) or not deskpro
                else ("resolved" if not old or rng.random() < 0.5 else "closed")
            )
            if deskpro and rng.random() < cal.get("feedback_share", 0):
                t.feedback = rng.choice(cal["feedback_scores"])
        labels = []
        if via_chatbot:
            labels.append("chatbot")
        if t.escalated_to:
            labels.append("eskalasi-l2")
        if rng.random() < (0.35 if deskpro else 0.15):
            labels.append(re.sub(r"[^a-z0-9]+", "-", t.department.lower()).strip("-"))
        if "syarat" in t.subject.lower() and rng.random() < 0.5:
            labels.append("syarat-salur")
        t.labels = ";".join(labels)
    _ensure_ratings(cal, tickets, rng)


def _ensure_ratings(cal: dict, tickets: list[_Ticket], rng: random.Random) -> None:
    """Each agent: at least ``min_rated_per_agent`` rated tickets from as many distinct users."""
    need = int(cal.get("min_rated_per_agent") or 0)
    if not need:
        return
    for agent in cal["agents"]:
        mine = [t for t in tickets if t.agent == agent and t.status in ("resolved", "closed")]
        rated_people = {id(t.person) for t in mine if t.feedback}
        for t in mine:
            if len(rated_people) >= need and sum(1 for x in mine if x.feedback) >= need:
                break
            if not t.feedback and id(t.person) not in rated_people:
                t.feedback = rng.choice(cal["feedback_scores"])
                rated_people.add(id(t.person))
        if len(rated_people) < need:
            raise ValueError(f"agent {agent} cannot reach {need} ratings from distinct users")
