"""Which edition and which slides a month gets: configuration with effective dates
(dagster_project/report/editions/), never a guess from the figures that happen to exist."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from dagster_project.lib.wording import compare_existing
from dagster_project.report.editions import edition_for, editions, service_existed, services
from dagster_project.report.slides import SlideBuilder, pending_parts


@pytest.mark.parametrize(
    "month, code",
    [
        (date(2019, 1, 1), "2020"),
        (date(2019, 12, 1), "2020"),
        (date(2020, 1, 1), "2020"),
        (date(2023, 2, 1), "2024"),
        (date(2024, 1, 1), "2024"),
        (date(2024, 2, 1), "2024"),
    ],
)
def test_edition_by_effective_date(month, code):
    assert edition_for(month).code == code


def test_no_edition_before_the_first():
    with pytest.raises(ValueError):
        edition_for(date(2018, 12, 1))


def test_every_slide_kind_has_a_builder_and_ids_are_unique():
    for edition in editions():
        ids = [spec.id for spec in edition.slides]
        assert len(ids) == len(set(ids)), edition.code
        for spec in edition.slides:
            assert spec.kind == "pending" or hasattr(SlideBuilder, f"slide_{spec.kind}"), (edition.code, spec.kind)
            assert spec.service is None or spec.service in services(), spec.service
        assert edition.slides[0].kind == "cover" and edition.slides[-1].kind == "closing"
        assert any(spec.id == "evaluasi" for spec in edition.slides)


def test_services_existed_from_their_start():
    assert not service_existed("whatsapp", date(2019, 3, 1)) and service_existed("whatsapp", date(2019, 4, 1))
    assert not service_existed("chatbot", date(2023, 8, 1)) and service_existed("chatbot", date(2023, 9, 1))
    assert service_existed(None, date(2019, 1, 1))


def test_service_start_dates_have_one_home():
    """The report and dbt read the same seed (service_starts.csv): no dbt model writes a start date itself,
    each goes through the macro service_start, and every code a model asks for is in the seed."""
    root = Path(__file__).parents[1] / "dbt"
    models = {path: path.read_text(encoding="utf-8") for path in (root / "models").rglob("*.sql")}
    asked = {code for text in models.values() for code in re.findall(r"service_start\('([a-z_]+)'\)", text)}
    assert asked and asked <= set(services()), asked
    for code, service in services().items():
        for path, text in models.items():
            assert service.since.isoformat() not in text, (code, path.name)


def test_compare_only_with_months_the_service_existed():
    whatsapp = services()["whatsapp"].since
    # January 2020: the previous month counts, January 2019 (before April 2019) is not compared
    assert compare_existing(325, 210, 0, date(2020, 1, 1), since=whatsapp) == (
        "meningkat 54,8% dibandingkan bulan sebelumnya (210)"
    )
    assert compare_existing(5, None, None, date(2020, 1, 1)) is None
    assert compare_existing(967, 1304, 1455, date(2024, 2, 1)) == (
        "menurun 25,8% dibandingkan bulan sebelumnya (1.304) dan menurun 33,5% dibandingkan Februari 2023 (1.455)"
    )


def test_pending_parts_are_listed_in_the_editions_doc():
    from pathlib import Path

    doc = (Path(__file__).parents[1] / "docs" / "report-editions.md").read_text(encoding="utf-8")
    for edition in editions():
        for _title, metric, _what in pending_parts(edition):
            assert f"`{metric}`" in doc, metric
