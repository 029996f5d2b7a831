"""The report's Indonesian number formats and comparison wording (dagster_project/lib/wording.py)."""

from __future__ import annotations

from datetime import date

import pytest

from dagster_project.lib import wording


@pytest.mark.parametrize(
    "value, expected",
    [
        (0, "0"),
        (7, "7"),
        (652, "652"),
        (1304, "1.304"),
        (118069, "118.069"),
        (1297905, "1.297.905"),
        (-1304, "-1.304"),
        (2.5, "3"),
        (1303.5, "1.304"),
    ],
)
def test_format_int(value, expected):
    assert wording.format_int(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (15.51, "15,5%"),
        (38.1902, "38,2%"),
        (38.14, "38,1%"),
        (0, "0,0%"),
        (100, "100,0%"),
        (0.05, "0,1%"),
        (1234.56, "1.234,6%"),
    ],
)
def test_format_pct(value, expected):
    assert wording.format_pct(value) == expected


@pytest.mark.parametrize(
    "value, expected",
    [
        (5.0, "5"),
        (4.875, "4,88"),
        (4.5, "4,5"),
        (1304.0, "1.304"),
        (None, "Data belum tersedia"),
    ],
)
def test_format_number(value, expected):
    assert wording.format_number(value) == expected


def test_month_names():
    assert [wording.month_name(m) for m in (1, 2, 5, 8, 12)] == ["Januari", "Februari", "Mei", "Agustus", "Desember"]
    assert wording.month_label(date(2024, 2, 1)) == "Februari 2024"
    assert wording.month_short(date(2023, 8, 1)) == "Agu 2023"
    assert wording.date_label(date(2024, 2, 29)) == "29 Februari 2024"
    assert wording.add_months(date(2024, 2, 1), -12) == date(2023, 2, 1)
    assert wording.add_months(date(2024, 1, 1), -1) == date(2023, 12, 1)
    assert wording.add_months(date(2023, 12, 1), 1) == date(2024, 1, 1)


def test_compare_up_down_same():
    assert wording.compare(901, 652, "bulan sebelumnya") == "meningkat 38,2% dibandingkan bulan sebelumnya (652)"
    assert wording.compare(967, 1304, "bulan sebelumnya") == "menurun 25,8% dibandingkan bulan sebelumnya (1.304)"
    assert wording.compare(12, 12, "Februari 2023") == "sama dengan Februari 2023 (12)"
    assert wording.compare(967, 1455, "Februari 2023", unit="konsultasi") == (
        "menurun 33,5% dibandingkan Februari 2023 (1.455 konsultasi)"
    )


def test_compare_never_invents_a_figure():
    assert wording.compare(None, 652, "bulan sebelumnya") is None
    assert wording.compare(5, None, "bulan sebelumnya") is None
    # from zero: the direction only, no percentage
    assert wording.compare(1, 0, "bulan sebelumnya") == "meningkat dibandingkan bulan sebelumnya (0)"


def test_compare_both_names_missing_comparisons():
    text = wording.compare_both(967, 1304, 1455, date(2024, 2, 1))
    assert text == (
        "menurun 25,8% dibandingkan bulan sebelumnya (1.304) dan menurun 33,5% dibandingkan Februari 2023 (1.455)"
    )
    text = wording.compare_both(10, None, None, date(2019, 1, 1))
    assert text == "data bulan sebelumnya belum tersedia dan data Januari 2018 belum tersedia"


def test_percent_of_and_change():
    assert wording.percent_of(150, 967) == pytest.approx(15.51, abs=0.01)
    assert wording.percent_of(1, 0) is None
    assert wording.percent_of(None, 3) is None
    assert wording.change_pct(652, 901) == pytest.approx(27.64, abs=0.01)


def test_a_value_that_rounds_to_zero_has_no_minus_sign():
    from dagster_project.lib.wording import format_decimal, format_int, format_pct

    assert (format_decimal(-0.04, 1), format_int(-0.4), format_pct(-0.04)) == ("0,0", "0", "0,0%")
    assert format_decimal(-1234.55, 1) == "-1.234,6"  # half-up on the decimal value, Indonesian separators


def test_the_editions_read_the_service_hours_from_their_one_home():
    """``{jam_layanan}`` is the dbt vars ``service_hours_start`` / ``_end`` (what dbt's service-hours
    classification uses); no edition writes a clock range of its own."""
    import re

    from dagster_project.report.editions import EDITIONS

    assert wording.service_hours_label() == "08.00 – 16.00"
    for path in EDITIONS.glob("*.yaml"):
        assert not re.search(r"\d{2}[.:]\d{2}\s*[–-]\s*\d{2}[.:]\d{2}", path.read_text(encoding="utf-8")), path.name
