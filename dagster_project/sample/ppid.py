"""Sample PPID register ``ppid_register.csv`` (exports.md § ppid): public-information requests.

Calibrated (``calibration/ppid.yaml``) under the pipeline's definitions:

* requests = rows (``tanggal_permohonan`` in the month); by ``status`` exactly as calibrated;
* answered on time = answered within 10 working days (17 with ``perpanjangan`` = 1), counting the
  working days after ``tanggal_permohonan`` up to and including ``tanggal_tanggapan`` (Mon–Fri
  minus national holidays and cuti bersama, ``reference.holiday_calendar.is_working_day``); exactly ``late`` answered
  requests miss it, exactly ``extended`` use the extension;
* ``diproses`` requests (no answer yet) are the month's last ones; every answer is dated on or
  before the register's export day (``export_working_day`` of the next month);
* registration numbers run through the year (``first_number``: the year's requests so far + 1).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import timedelta
from typing import TextIO

from ..lib.contracts import PPID
from ..lib.months import month_bounds
from ..reference.holiday_calendar import is_working_day, working_day_after, working_days_between
from ..reference.seeds import service_rule
from .common import weighted_choice, write_csv_rows
from .context import SampleContext, SampleFile
from .people import person_name

SOURCE = "ppid"
FILENAME = "ppid_register.csv"
CALIBRATION_FILE = "ppid.yaml"
COLUMNS = PPID.column_names
STATUSES = ("diproses", "dikabulkan", "dikabulkan_sebagian", "ditolak")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def months(calibration: dict) -> list[str]:
    return list(calibration["months"])


def history_months(calibration: dict) -> list[str]:
    return []


def iter_requests(context: SampleContext) -> Iterator[dict]:
    month, cal = context.month, context.calibration
    mcal = context.month_calibration()
    n = int(mcal["requests"])
    status_counts = {s: int(mcal["status"].get(s, 0)) for s in STATUSES}
    if sum(status_counts.values()) != n or set(mcal["status"]) - set(STATUSES):
        raise ValueError(f"ppid {month}: statuses must sum to {n}")
    rng = random.Random(context.seed)
    first, next_first = month_bounds(month)
    days = [first + timedelta(days=i) for i in range((next_first - first).days)]
    working = [d for d in days if is_working_day(d)]
    export_day = working_day_after(next_first - timedelta(days=1), int(cal["export_working_day"]))

    channels = list(cal["channels"].items())
    requests = []
    for _ in range(n):
        channel = weighted_choice(rng, channels)
        day = rng.choice(working if channel in ("surat", "datang_langsung") or rng.random() < 0.85 else days)
        requests.append({"day": day, "channel": channel})
    requests.sort(key=lambda r: r["day"])

    # statuses: the open ones are the latest requests; the others dealt at random
    open_n = status_counts.pop("diproses")
    closed = requests[: n - open_n]
    for r in requests[n - open_n :]:
        r["status"] = "diproses"
        r["extended"] = False  # not yet decided: the extension is recorded with the answer
    deal = [s for s, k in status_counts.items() for _ in range(k)]
    rng.shuffle(deal)
    for r, status in zip(closed, deal, strict=True):
        r["status"] = status
        r["extended"] = False

    extended, late = int(mcal["extended"]), int(mcal["late"])
    # the deadlines in force on the month's first day (seeds/service_rules.csv, as dbt's fct_ppid_requests reads them)
    base_days = service_rule("ppid_response_working_days", first)
    extension_days = service_rule("ppid_extension_working_days", first)
    available = {id(r): working_days_between(r["day"], export_day) for r in closed}
    # the extension is used on requests with room for it before the export; late answers too
    roomy = [r for r in closed if available[id(r)] >= base_days + extension_days + 1]
    late_pool = [r for r in closed if available[id(r)] > base_days]
    if late > len(late_pool):
        raise ValueError(f"ppid {month}: no room for {late} late answers before the export day")
    late_set = set(id(r) for r in rng.sample(late_pool, late))
    ext_pool = [r for r in roomy if id(r) not in late_set] + [r for r in roomy if id(r) in late_set]
    if extended > len(ext_pool):
        raise ValueError(f"ppid {month}: no room for {extended} extensions before the export day")
    for r in ext_pool[:extended] if late == 0 else rng.sample(ext_pool, extended):
        r["extended"] = True
    for r in closed:
        deadline = base_days + (extension_days if r["extended"] else 0)
        room = available[id(r)]
        if id(r) in late_set:
            wd = rng.randint(deadline + 1, min(room, deadline + 4))
        elif r["extended"]:
            wd = rng.randint(base_days + 1, min(room, deadline))
        else:
            wd = rng.randint(1, min(room, deadline)) if rng.random() < 0.3 else rng.randint(min(3, room), min(room, 8))
        r["answered"] = working_day_after(r["day"], wd)
        if r["answered"] > export_day:
            raise AssertionError("ppid answer after the export day")

    objections = int(mcal["objections"])
    objection_pool = sorted(closed, key=lambda r: (r["status"] not in ("ditolak", "dikabulkan_sebagian"), rng.random()))
    objecting = set(id(r) for r in objection_pool[:objections])

    year = first.year
    for seq, r in enumerate(requests, start=int(mcal["first_number"])):
        kind = weighted_choice(rng, list(cal["applicant_kinds"].items()))
        info_template, job = (
            rng.choice(cal["information"]),
            weighted_choice(rng, list(cal["occupations"][kind].items())),
        )
        pemda = rng.choice(context.regions.rows)["pemda_name"]
        name = person_name(rng) if kind == "perorangan" else rng.choice(cal["organisations"][kind])
        yield {
            "nomor_registrasi": f"{seq:03d}/PPID-DJPK/{ROMAN[first.month - 1]}/{year}",
            "tanggal_permohonan": r["day"].isoformat(),
            "nama_pemohon": name,
            "kategori_pemohon": kind,
            "pekerjaan": job,
            "informasi_diminta": info_template.format(pemda=pemda, year=year - 1, prev_year=year - 2),
            "saluran": r["channel"],
            "status": r["status"],
            "tanggal_tanggapan": r["answered"].isoformat() if r.get("answered") else "",
            "perpanjangan": "1" if r["extended"] else "0",
            "alasan_penolakan": rng.choice(cal["rejection_reasons"]) if r["status"] == "ditolak" else "",
            "keberatan": "1" if id(r) in objecting else "0",
        }


def write_requests(handle: TextIO, context: SampleContext) -> int:
    return write_csv_rows(handle, COLUMNS, iter_requests(context))


FILES = [SampleFile(FILENAME, write_requests)]
