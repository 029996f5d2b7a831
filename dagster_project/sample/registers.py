"""Sample hand-kept register workbook ``registers.xlsx`` (exports.md § registers).

One workbook per month holding that month's rows, sheets in this order: ``Vicon``, ``Tatap Muka``,
``Kegiatan``, ``WA Blast``, ``Publikasi Web`` and, from 2023-01, ``Target Advokasi`` (the row of
the month's quarter). Header row 1 with the contract's Indonesian headers. As typed by hand:
dates are Excel date cells, text ``01/02/2024`` (day first) or text ``1 Februari 2024``; some
counts are typed as text (``"4"``); Daerah/Instansi is written the way people write it
(``Kab. Agam``, ``Kabupaten Agam``, ``Pemkab Agam`` …), every variant checked against the region
matcher (it must resolve to the intended pemda; an instansi text must resolve to none).

Calibrated (``calibration/registers.yaml``) under the pipeline's definitions: vicon = rows of
``Vicon``; face-to-face = ``Tatap Muka`` rows with Status ``Dilaksanakan`` (guests = their Jumlah
Tamu, with SPPD = SPPD ``Ya``); declined reservations = Status ``Ditolak``; events, WA blasts,
web publications = rows of their sheets. A month lists its rows (the reports' tables) or gives
counts that are drawn exactly (``held``, ``guests``, ``sppd``, ``declined``, and optionally an
exact visits-per-pemda table with every other pemda capped at ``max_other`` visits).

The bytes are deterministic: ``common.deterministic_xlsx`` fixes the document properties and
the zip entry times to the month's export time.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any, BinaryIO

from ..lib.contracts import REGISTER_SHEETS
from ..lib.months import month_bounds
from ..lib.wording import MONTH_NAMES
from ..reference.holiday_calendar import is_working_day
from .common import apportion, deterministic_xlsx, weighted_choice
from .context import SampleContext, SampleFile

SOURCE = "registers"
FILENAME = "registers.xlsx"
CALIBRATION_FILE = "registers.yaml"

SHEETS = {contract.sheet: contract.column_names for contract in REGISTER_SHEETS}  # sheet → its columns
HELD, DECLINED = "Dilaksanakan", "Ditolak"
MONTHS_ID = MONTH_NAMES  # the long date style writes Indonesian month names
DATE_STYLES = ("excel", "slash", "long")


def months(calibration: dict) -> list[str]:
    return sorted(calibration["months"])


def history_months(calibration: dict) -> list[str]:
    return sorted(calibration.get("history_months") or [])


def quarter(month: str) -> str:
    year, mon = (int(p) for p in month.split("-"))
    return f"{year}-Q{(mon - 1) // 3 + 1}"


# --------------------------------------------------------------------------- sheets


def sheet_rows(context: SampleContext) -> dict[str, list[list[Any]]]:
    """Every sheet's data rows (cell values as written: dates as ``date`` or text, counts as int or text)."""
    month, cal = context.month, context.calibration
    mcal = context.month_calibration()
    era = cal["eras"][mcal.get("era", "deskpro" if month >= "2023-01" else "crm")]
    rng = random.Random(context.seed)
    first, next_first = month_bounds(month)
    working = [
        first + timedelta(days=i) for i in range((next_first - first).days) if is_working_day(first + timedelta(days=i))
    ]
    regions = context.regions
    pick_pemda = _pemda_picker(regions)
    sheets: dict[str, list[list[Any]]] = {}

    # -- Vicon --------------------------------------------------------------------------------
    vicon = mcal.get("vicon") or {}
    rows = [[_date(r[0]), _region_text(regions, r[1]), r[2], r[3], int(r[4])] for r in vicon.get("rows") or []]
    for _ in range(int(vicon.get("count", 0))):
        pemda = pick_pemda(rng)
        rows.append(
            [
                rng.choice(working),
                weighted_choice(rng, regions.variants(pemda)),
                weighted_choice(rng, list(era["vicon_topics"].items())),
                weighted_choice(rng, list(era["platforms"].items())),
                rng.randint(3, 14),
            ]
        )
    sheets["Vicon"] = sorted(rows, key=lambda r: r[0])

    # -- Tatap Muka ---------------------------------------------------------------------------
    sheets["Tatap Muka"] = _face_to_face(rng, context, mcal.get("tatap_muka") or {}, era, working, pick_pemda)

    # -- Kegiatan, WA Blast, Publikasi Web ----------------------------------------------------
    events = mcal.get("kegiatan") or {}
    rows = [[_date(r[0]), r[1], r[2]] for r in events.get("rows") or []]
    rows += [[rng.choice(working), *_pick(rng, era["events"], i)] for i in range(int(events.get("count", 0)))]
    sheets["Kegiatan"] = sorted(rows, key=lambda r: r[0])

    blasts = mcal.get("wa_blast") or {}
    audience = int(era["wa_blast_recipients"])
    rows = [
        [_date(r[0]), r[1], int(r[2]) if len(r) > 2 else audience + rng.randint(-60, 40)]
        for r in blasts.get("rows") or []
    ]
    rows += [
        [rng.choice(working), _pick(rng, era["wa_blasts"], i), audience + rng.randint(-60, 40)]
        for i in range(int(blasts.get("count", 0)))
    ]
    sheets["WA Blast"] = sorted(rows, key=lambda r: r[0])

    web = mcal.get("publikasi_web") or {}
    rows = [[_date(r[0]), r[1], r[2]] for r in web.get("rows") or []]
    for i in range(int(web.get("count", 0))):
        day = rng.choice(working)
        kind, perihal = _pick(rng, era["web_publications"], i)
        rows.append([day, kind.format(n=rng.randint(5, 480), year=day.year), perihal.format(year=day.year)])
    sheets["Publikasi Web"] = sorted(rows, key=lambda r: r[0])

    # -- Target Advokasi ----------------------------------------------------------------------
    if month >= cal["target_advokasi_from"]:
        target, employees = cal["advocacy_targets"][quarter(month)]
        sheets["Target Advokasi"] = [[quarter(month), int(target), int(employees)]]

    for name, rows in sheets.items():
        for row in rows:
            if isinstance(row[0], date) and not month_bounds(month)[0] <= row[0] < month_bounds(month)[1]:
                raise AssertionError(f"registers {month}: {name} row dated {row[0]} outside the month")
    return sheets


def _face_to_face(
    rng: random.Random,
    context: SampleContext,
    spec: dict,
    era: dict,
    working: list[date],
    pick_pemda: Callable[[random.Random], str],
) -> list[list[Any]]:
    regions = context.regions
    topics = list(era["face_to_face_topics"].items())
    rows: list[list[Any]] = []
    for r in spec.get("rows") or []:  # listed visits: date, Daerah/Instansi as printed, topic, guests, SPPD
        rows.append([_date(r[0]), r[1], r[2], int(r[3]), r[4], HELD])
    for r in spec.get("declined_rows") or []:
        rows.append([_date(r[0]), r[1], r[2], int(r[3]), "Tidak", DECLINED])

    held = int(spec.get("held", 0))
    if held:
        visits: list[dict] = []  # pemda_id or instansi text, sppd flag, topic
        table = spec.get("pemda") or {}
        for name, entry in table.items():
            pemda = regions.resolve(name)
            extra = entry.get("texts") or []
            variants = regions.variants(pemda, extra)
            own_topics = list(entry.get("topics") or [])
            for k in range(int(entry["visits"])):
                visits.append(
                    {
                        "pemda": pemda,
                        "text": extra[k % len(extra)] if extra else weighted_choice(rng, variants),
                        "sppd": k < int(entry.get("sppd", 0)),
                        "topic": own_topics[k] if k < len(own_topics) else weighted_choice(rng, topics),
                    }
                )
        instansi = regions.unidentified(era["instansi"])
        for _ in range(int(spec.get("instansi", 0))):
            visits.append(
                {"pemda": None, "text": rng.choice(instansi), "sppd": False, "topic": weighted_choice(rng, topics)}
            )
        cap = spec.get("max_other")
        taken = {v["pemda"] for v in visits if v["pemda"]}
        candidates = [row["pemda_id"] for row in regions.rows if row["pemda_id"] not in taken]
        rest = held - len(visits)
        if rest < 0:
            raise ValueError(f"registers {context.month}: the pemda table has more visits than `held`")
        if cap is not None:
            if int(cap) != 1:
                raise ValueError("registers: max_other supports 1 (each other pemda at most once)")
            others = rng.sample(candidates, rest)
        else:
            others = [pick_pemda(rng) for _ in range(rest)]
        for pemda in others:
            visits.append(
                {
                    "pemda": pemda,
                    "text": weighted_choice(rng, regions.variants(pemda)),
                    "sppd": None,
                    "topic": weighted_choice(rng, topics),
                }
            )
        # SPPD: the table's visits as given, the rest spread over the other visits
        sppd_left = int(spec["sppd"]) - sum(1 for v in visits if v["sppd"])
        open_slots = [v for v in visits if v["sppd"] is None]
        if sppd_left < 0 or sppd_left > len(open_slots):
            raise ValueError(f"registers {context.month}: cannot place {spec['sppd']} SPPD visits")
        for i, v in enumerate(rng.sample(open_slots, len(open_slots))):
            v["sppd"] = i < sppd_left
        guests = _guests(rng, len(visits), int(spec["guests"]))
        rng.shuffle(visits)
        for v, n in zip(visits, guests, strict=True):
            rows.append([rng.choice(working), v["text"], v["topic"], n, "Ya" if v["sppd"] else "Tidak", HELD])
    for _ in range(int(spec.get("declined", 0))):
        pemda = pick_pemda(rng)
        rows.append(
            [
                rng.choice(working),
                weighted_choice(rng, regions.variants(pemda)),
                weighted_choice(rng, topics),
                rng.choice([2, 3, 4, 5, 6, 8]),
                "Tidak",
                DECLINED,
            ]
        )
    return sorted(rows, key=lambda r: r[0])  # stable: same-day rows keep their order


def _guests(rng: random.Random, n: int, total: int) -> list[int]:
    """``n`` guest counts >= 1 summing to ``total`` (mostly 1-3, a few larger groups)."""
    if total < n:
        raise ValueError(f"registers: {total} guests cannot fill {n} visits")
    counts = [1] * n
    groups = rng.sample(range(n), max(1, n // 12)) if n else []  # delegations that come in numbers
    for _ in range(total - n):
        counts[rng.choice(groups) if rng.random() < 0.3 else rng.randrange(n)] += 1
    return counts


LEVEL_WEIGHT = {"provinsi": 2.5, "kota": 1.4, "kabupaten": 1.0}  # [choice] provinces and cities visit more often


def _pemda_picker(regions: Any) -> Callable[[random.Random], str]:
    """Draws a pemda_id, provinces and cities more often than regencies."""
    weights = list(accumulate(LEVEL_WEIGHT[r["pemda_level"]] for r in regions.rows))
    ids = [r["pemda_id"] for r in regions.rows]
    return lambda rng: rng.choices(ids, cum_weights=weights)[0]


def _region_text(regions: Any, text: str) -> str:
    """A listed Daerah as printed: it must resolve to a pemda (checked)."""
    if regions.match_id(text) is None:
        raise AssertionError(f"registers: listed region {text!r} is not matched")
    return text


def _pick(rng: random.Random, catalog: Sequence, i: int):
    return catalog[i % len(catalog)] if i < len(catalog) else rng.choice(catalog)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


# --------------------------------------------------------------------------- the workbook


def workbook_bytes(context: SampleContext) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    cal = context.calibration
    rng = random.Random(f"{context.seed}:typing")
    sheets = sheet_rows(context)
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        ws.append(SHEETS[name])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        dated = name != "Target Advokasi"
        styles = _styles(rng, len(rows), cal["date_styles"]) if dated else []
        for i, row in enumerate(rows):
            values = list(row)
            if dated:
                values[0] = _typed_date(values[0], styles[i])
            for j, header in enumerate(SHEETS[name]):
                if (
                    header.startswith(("Jumlah", "Target"))
                    and isinstance(values[j], int)
                    and rng.random() < cal["text_count_share"]
                ):
                    values[j] = str(values[j])  # typed as text
            ws.append(values)
            if dated and styles[i] == "excel":
                ws.cell(row=ws.max_row, column=1).number_format = "DD/MM/YYYY"
        for column, header in zip("ABCDEF", SHEETS[name]):
            ws.column_dimensions[column].width = max(
                12,
                min(
                    60,
                    len(header) + 4 if header not in ("Daerah/Instansi", "Perihal", "Judul", "Nama Kegiatan") else 42,
                ),
            )
    wb.properties.creator = "Contact Center DJPK"
    wb.properties.lastModifiedBy = "Contact Center DJPK"
    _, next_first = month_bounds(context.month)
    stamp = datetime.combine(next_first, time(2, 30))  # the workbook is sent on the 1st, 09:30 WIB (02:30 UTC)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    return deterministic_xlsx(wb, stamp)


def _styles(rng: random.Random, n: int, weights: dict[str, float]) -> list[str]:
    """Date styles of ``n`` rows: apportioned by weight, every style present once there are 3 rows."""
    counts = apportion(n, weights) if n else {}
    if n >= len(DATE_STYLES):
        for style in DATE_STYLES:
            if counts[style] == 0:
                top = max(counts, key=counts.get)
                counts[top] -= 1
                counts[style] += 1
    out = [style for style in DATE_STYLES for _ in range(counts.get(style, 0))]
    rng.shuffle(out)
    return out


def _typed_date(day: date, style: str) -> Any:
    if style == "excel":
        return datetime.combine(day, time(0))
    if style == "slash":
        return day.strftime("%d/%m/%Y")
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"


def write_workbook(handle: BinaryIO, context: SampleContext) -> None:
    handle.write(workbook_bytes(context))


FILES = [SampleFile(FILENAME, write_workbook, encoding=None)]
