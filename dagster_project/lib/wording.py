"""Indonesian number formats, month names and comparison wording of the monthly report.

Everything the report says about a figure is generated here from the figure itself:

    format_int(1304)                      -> "1.304"
    format_pct(15.51)                     -> "15,5%"
    compare(901, 652, "bulan sebelumnya") -> "meningkat 38,2% dibandingkan bulan sebelumnya (652)"

Numbers, month names and dates are Babel's (CLDR locale ``id``); rounding is ours, half-up on the decimal value (38,19 -> "38,2%"; the hand-made January 2020 report
truncated the same figure to 38.1 %). A missing figure (``None``) is never printed as a number.
"""

from __future__ import annotations

from datetime import date, time
from decimal import ROUND_HALF_UP, Decimal

from babel.dates import format_date, format_time, get_month_names
from babel.numbers import format_decimal as babel_format_decimal

from .dbt_vars import project_time_var
from .months import add_months

LOCALE = "id"
"""Indonesian, as CLDR writes it (Babel): ``1.304``, ``15,5``, ``Februari``, ``Agu``."""
MONTH_NAMES = tuple(get_month_names("wide", locale=LOCALE)[number] for number in range(1, 13))
MONTH_ABBREVIATIONS = tuple(get_month_names("abbreviated", locale=LOCALE)[number] for number in range(1, 13))

MISSING = "Data belum tersedia"


def month_name(month: int | date) -> str:
    """``2`` or ``date(2024, 2, 1)`` -> ``Februari``."""
    number = month.month if isinstance(month, date) else month
    return MONTH_NAMES[number - 1]


def month_label(day: date) -> str:
    """``date(2024, 2, 1)`` -> ``Februari 2024``."""
    return f"{month_name(day)} {day.year}"


def month_short(day: date) -> str:
    """``date(2024, 2, 1)`` -> ``Feb 2024`` (chart axes)."""
    return f"{MONTH_ABBREVIATIONS[day.month - 1]} {day.year}"


def date_label(day: date) -> str:
    """``date(2024, 2, 12)`` -> ``12 Februari 2024``."""
    return format_date(day, "d MMMM y", locale=LOCALE)


def _rounded(value: float, digits: int) -> Decimal:
    quantum = Decimal(1).scaleb(-digits)
    return Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_UP)


def format_decimal(value: float, digits: int = 1) -> str:
    """Thousands with ``.``, decimals with ``,``: ``1234.567`` -> ``1.234,6`` (``digits`` decimals)."""
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    rounded = _rounded(value, digits)
    return babel_format_decimal(abs(rounded) if rounded == 0 else rounded, format=pattern, locale=LOCALE)  # never "-0"


def format_int(value: float) -> str:
    """``1304`` -> ``1.304``; rounds half-up to a whole number."""
    return format_decimal(value, 0)


def format_minutes_seconds(seconds: float) -> str:
    """A duration as minutes and seconds: ``673.6`` -> ``11:14`` (whole seconds, rounded half-up)."""
    whole = int(_rounded(seconds, 0))
    return f"{whole // 60}:{whole % 60:02d}"


def format_number(value: float | None, digits: int = 2) -> str:
    """A figure as the report prints it: whole numbers without decimals, others with up to
    ``digits`` decimals (trailing zeros dropped): ``5.0`` -> ``5``, ``4.875`` -> ``4,88``."""
    if value is None:
        return MISSING
    if float(value).is_integer():
        return format_int(value)
    text = format_decimal(value, digits)
    return text.rstrip("0").rstrip(",") if "," in text else text


def format_pct(value: float, digits: int = 1) -> str:
    """A percentage given as 0–100: ``15.51`` -> ``15,5%``."""
    return f"{format_decimal(value, digits)}%"


def percent_of(part: float | None, whole: float | None) -> float | None:
    """``part / whole × 100``, or ``None`` when either is missing or the whole is zero."""
    if part is None or whole is None or whole == 0:
        return None
    return 100.0 * part / whole


def change_pct(current: float | None, previous: float | None) -> float | None:
    """Relative change in percent (always positive: the direction is in :func:`trend_word`)."""
    if current is None or previous is None or previous == 0:
        return None
    return abs(current - previous) * 100.0 / abs(previous)


def trend_word(current: float, previous: float) -> str:
    if current > previous:
        return "meningkat"
    if current < previous:
        return "menurun"
    return "sama"


def compare(current: float | None, previous: float | None, reference: str, unit: str = "") -> str | None:
    """``meningkat 38,2% dibandingkan bulan sebelumnya (652)``; ``sama dengan …`` when equal;
    without a percentage when the previous figure is zero; ``None`` when a figure is missing.

    ``reference`` names the period compared with (``bulan sebelumnya``, ``Februari 2023``);
    ``unit`` is appended inside the parentheses (``(1.455 konsultasi)``)."""
    if current is None or previous is None:
        return None
    shown = format_number(previous) + (f" {unit}" if unit else "")
    word = trend_word(current, previous)
    if word == "sama":
        return f"sama dengan {reference} ({shown})"
    change = change_pct(current, previous)
    amount = f" {format_pct(change)}" if change is not None else ""
    return f"{word}{amount} dibandingkan {reference} ({shown})"


def compare_both(
    current: float | None, prev_month: float | None, prev_year: float | None, month: date, unit: str = ""
) -> str:
    """The month-on-month and year-on-year wording joined into one clause, naming what is missing:
    ``menurun 25,8% dibandingkan bulan sebelumnya (1.304) dan menurun 33,5% dibandingkan Februari 2023 (1.455)``."""
    year_before = add_months(month, -12)
    parts = [
        compare(current, prev_month, "bulan sebelumnya", unit) or "data bulan sebelumnya belum tersedia",
        compare(current, prev_year, month_label(year_before), unit)
        or f"data {month_label(year_before)} belum tersedia",
    ]
    return " dan ".join(parts)


def change_words(current: float, previous: float) -> str:
    """``menurun 25,8%``, ``meningkat`` (from zero: no percentage) or ``sama``."""
    word = trend_word(current, previous)
    change = change_pct(current, previous)
    return word if word == "sama" or change is None else f"{word} {format_pct(change)}"


def year_over_year(current: float, previous: float, year_before: str, unit: str) -> str:
    """The deck's year-over-year sentence: ``Jika dibandingkan dengan Februari 2023 (1.455 konsultasi), jumlah
    konsultasi meningkat 5,2%.`` (``unit``: what is counted)."""
    return (
        f"Jika dibandingkan dengan {year_before} ({format_number(previous)} {unit}), jumlah {unit} "
        f"{change_words(current, previous)}."
    )


def compare_existing(
    current: float | None,
    prev_month: float | None,
    prev_year: float | None,
    month: date,
    since: date | None = None,
    unit: str = "",
) -> str | None:
    """The comparisons that can be made, each said once and joined with ``dan``: with the previous
    month and with the same month a year earlier, each only when its figure is published and (with
    ``since``, the first month of the service) the service existed then. ``None`` when neither can."""
    parts = []
    for offset, reference, previous in (
        (-1, "bulan sebelumnya", prev_month),
        (-12, month_label(add_months(month, -12)), prev_year),
    ):
        if since is not None and add_months(month, offset) < since:
            continue
        text = compare(current, previous, reference, unit)
        if text:
            parts.append(text)
    return " dan ".join(parts) if parts else None


def short_date(day: date) -> str:
    """``date(2024, 2, 2)`` -> ``2 Februari`` (tables of one month)."""
    return format_date(day, "d MMMM", locale=LOCALE)


def numeric_date(day: date) -> str:
    """``date(2024, 2, 2)`` -> ``02/02/2024``."""
    return format_date(day, "dd/MM/y", locale=LOCALE)


def clock_label(moment: time) -> str:
    """A time of day as Indonesian texts write it: ``08.00`` (Babel, like every other format here)."""
    return format_time(moment, "HH.mm", locale=LOCALE)


def service_hours_label() -> str:
    """The contact center's service hours, ``08.00 – 16.00``, from their one home (the dbt vars
    ``service_hours_start`` / ``service_hours_end``): what the editions' ``{jam_layanan}`` reads."""
    return (
        f"{clock_label(project_time_var('service_hours_start'))} – {clock_label(project_time_var('service_hours_end'))}"
    )


def join_words(items: list[str]) -> str:
    """``["DAU", "PDRD", "DBH"]`` -> ``DAU, PDRD, dan DBH``; two items with ``dan``, one as it is."""
    items = [item for item in items if item]
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} dan {items[1]}"
    return ", ".join(items[:-1]) + ", dan " + items[-1]
