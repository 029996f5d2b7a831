"""Helpers shared by the sample-export generators (one module per source).

Nothing here knows about a particular source: loading a calibration file, exact allocation of
counts, the WIB service calendar, and landing a file without ever overwriting a landed one.
"""

from __future__ import annotations

import csv
import filecmp
import io
import logging
import os
import random
import re
import shutil
import zipfile
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, BinaryIO, TextIO

import yaml

from ..lib.dbt_vars import project_time_var
from ..lib.months import WIB_OFFSET
from ..reference.holiday_calendar import is_working_day
from ..reference.pemda_register import SEED_PATH as PEMDA_SEED_PATH

log = logging.getLogger(__name__)

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"
DEFAULT_REGISTER_PATH = PEMDA_SEED_PATH

TZ_OFFSET_FROM_WIB = {"WIB": 0, "WITA": 1, "WIT": 2}  # hours ahead of WIB
SERVICE_START = project_time_var("service_hours_start")
SERVICE_END = project_time_var("service_hours_end")
"""The contact center's service hours (end exclusive), from their one home: the dbt vars of the same names."""


# --------------------------------------------------------------------------- calibration


def load_calibration(name: str) -> dict:
    """The calibration document ``calibration/<name>``."""
    with open(CALIBRATION_DIR / name, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def load_register(path: Path | str = DEFAULT_REGISTER_PATH) -> list[dict]:
    """The pemda register seed as a list of dicts (file order)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- allocation


def expand(counts: dict[Any, int]) -> list:
    """``{'a': 2, 'b': 1}`` -> ``['a', 'a', 'b']`` (mapping order)."""
    out: list = []
    for key, n in counts.items():
        if n < 0:
            raise ValueError(f"negative count for {key!r}: {n}")
        out.extend([key] * int(n))
    return out


def check_total(what: str, counts: dict[Any, int], total: int) -> None:
    got = sum(int(n) for n in counts.values())
    if got != total:
        raise ValueError(f"calibration: {what} sums to {got}, expected {total}")


def draw_from_pool(rng: random.Random, pool: dict[Any, int], weight: Callable[[Any], float]) -> Any:
    """Take one item out of ``pool`` (counts, mutated), chosen with probability ∝ count × weight."""
    keys = [k for k, n in pool.items() if n > 0]
    if not keys:
        raise ValueError("pool exhausted")
    weights = [pool[k] * max(weight(k), 1e-9) for k in keys]
    key = rng.choices(keys, weights=weights)[0]
    pool[key] -= 1
    return key


def apportion(total: int, weights: dict[Any, float]) -> dict[Any, int]:
    """Split ``total`` in proportion to ``weights`` exactly (largest remainder; ties in mapping order)."""
    keys = list(weights)
    mass = sum(float(weights[k]) for k in keys)
    if total < 0 or (total and mass <= 0):
        raise ValueError(f"cannot apportion {total} over {weights!r}")
    if not total:
        return {k: 0 for k in keys}
    exact = {k: total * float(weights[k]) / mass for k in keys}
    out = {k: int(exact[k]) for k in keys}
    rest = total - sum(out.values())
    by_remainder = sorted(keys, key=lambda k: -(exact[k] - out[k]))  # stable: mapping order on ties
    for k in by_remainder[:rest]:
        out[k] += 1
    return out


def weighted_choice(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


# --------------------------------------------------------------------------- service calendar


def is_service_time(wib: datetime) -> bool:
    """Inside service hours: a working day, 08:00 <= WIB clock < 16:00."""
    return is_working_day(wib.date()) and SERVICE_START <= wib.time() < SERVICE_END


def next_service_start(wib: datetime) -> datetime:
    """``wib`` itself when inside service hours, else the next 08:00 WIB of a working day."""
    day = wib.date()
    if is_working_day(day) and wib.time() < SERVICE_END:
        return max(wib, datetime.combine(day, SERVICE_START))
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, SERVICE_START)


def utc_text(wib: datetime) -> str:
    """A naive WIB datetime as the contract's UTC text ``2024-02-01T01:15:22Z``."""
    return (wib - WIB_OFFSET).strftime("%Y-%m-%dT%H:%M:%SZ")


def random_moment(rng: random.Random, day: date, start: time = time(0), end: time = time(23, 59, 59)) -> datetime:
    """A whole-second moment of ``day`` between ``start`` (inclusive) and ``end`` (exclusive)."""
    lo = start.hour * 3600 + start.minute * 60 + start.second
    hi = end.hour * 3600 + end.minute * 60 + end.second
    return datetime.combine(day, time(0)) + timedelta(seconds=rng.randrange(lo, hi))


# --------------------------------------------------------------------------- synthetic phone numbers

PHONE_BUCKETS = 16
"""Mobile numbers drawn for month M end in three digits ≡ ``phone_bucket(M)`` (mod 16), so numbers
drawn independently for different months within 16 consecutive months never coincide: distinct
users over a window (WhatsApp users since April 2019) are exactly the sum of the months' users."""


def phone_bucket(month: str) -> int:
    year, mon = (int(p) for p in month.split("-"))
    return (year * 12 + mon - 1) % PHONE_BUCKETS


def fit_phone_bucket(number: str, month: str) -> str:
    """``number`` with its last three digits moved (by < 16) into ``month``'s bucket."""
    last = int(number[-3:])
    last = last - last % PHONE_BUCKETS + phone_bucket(month)
    if last > 999:
        last -= PHONE_BUCKETS
    return f"{number[:-3]}{last:03d}"


# --------------------------------------------------------------------------- landing files


def write_csv_rows(
    handle: TextIO, columns: Sequence[str], rows: Iterable[dict], *, delimiter: str = ",", lineterminator: str = "\n"
) -> int:
    """Header plus rows, csv-module quoting (``\n`` line endings unless told). Returns the row count."""
    writer = csv.writer(handle, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
        n += 1
    return n


def land_file(path: Path, write: Callable[[TextIO], Any], *, encoding: str = "utf-8") -> str:
    """Write a text landing file through ``write(handle)`` without ever replacing a landed file.

    The handle is opened with ``encoding`` and ``newline=""`` (the writer chooses the line
    endings). Returns ``'written'`` (new file), ``'identical'`` (already there with the same
    bytes) or ``'conflict'`` (a file with different bytes is there: it is left untouched and
    a warning is logged); see ``land_bytes``.
    """

    def write_binary(handle: BinaryIO) -> None:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="", write_through=True)
        try:
            write(text)
            text.flush()
        finally:
            text.detach()  # the binary handle stays open for land_bytes to close

    return land_bytes(path, write_binary)


def land_bytes(path: Path, content: bytes | Callable[[BinaryIO], Any]) -> str:
    """Land a binary file (``content`` itself, or written by ``content(handle)``) without ever
    replacing a landed file.

    The content is streamed to a temporary file next to ``path`` first. Returns ``'written'``
    (new file), ``'identical'`` (already there with the same bytes) or ``'conflict'`` (a
    file with different bytes is there: it is left untouched and a warning is logged).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            if isinstance(content, (bytes, bytearray)):
                handle.write(content)
            else:
                content(handle)
        if path.exists():
            if filecmp.cmp(tmp, path, shallow=False):
                return "identical"
            log.warning("%s exists with different bytes; landed files are immutable, not overwritten", path)
            return "conflict"
        try:
            os.link(tmp, path)  # fails if the file appeared meanwhile: never clobbers
        except FileExistsError:
            if filecmp.cmp(tmp, path, shallow=False):
                return "identical"
            log.warning("%s appeared with different bytes; not overwritten", path)
            return "conflict"
        except OSError:  # file systems without hard links
            with open(path, "xb") as out, open(tmp, "rb") as src:
                shutil.copyfileobj(src, out)
        return "written"
    finally:
        tmp.unlink(missing_ok=True)


def csv_text(columns: Sequence[str], rows: Iterable[dict]) -> str:
    """The bytes a landing file would hold, as text (for tests and small previews)."""
    buffer = io.StringIO(newline="")
    write_csv_rows(buffer, columns, rows)
    return buffer.getvalue()


# --------------------------------------------------------------------------- deterministic XLSX

XLSX_CORE_DATES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def deterministic_xlsx(workbook: Any, stamp: datetime) -> bytes:
    """The bytes of an ``openpyxl`` workbook that do not depend on when they are written.

    openpyxl stamps the save time into ``docProps/core.xml`` (created / modified) and the zip
    entries carry the current time: both are replaced by ``stamp`` (naive, taken as UTC), and
    the archive is rebuilt entry by entry in the same order with fixed metadata.
    """
    raw = io.BytesIO()
    workbook.save(raw)
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(raw.getvalue())) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            data = source.read(entry.filename)
            if entry.filename == "docProps/core.xml":
                data = XLSX_CORE_DATES.sub(lambda m: m.group(1) + iso + m.group(3), data)
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            target.writestr(info, data, compresslevel=6)
    return out.getvalue()
