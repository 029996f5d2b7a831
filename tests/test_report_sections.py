"""The report's sections from a small published warehouse made here (no demo run needed): every
section appears when its figures and lists are published, says "Data belum tersedia" when they are
not, and never prints a figure it did not read."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import duckdb
import pytest

from dagster_project.defs.publish.assets import PUBLISHED_TABLE_DDL
from dagster_project.defs.report.data import load_report_data
from dagster_project.defs.report.render import narrative_html, render_html, write_pdf

JAN_2020 = date(2020, 1, 1)
AGENTS = ["Anas Contoh", "Linna Contoh"]

# (metric, dimension, value, previous month, previous year): the January 2020 report's figures
# where it has them, plausible ones elsewhere.
FIGURES_2020 = [
    ("tickets_total", "", 901, 652, 1277),
    ("tickets_by_channel", "phone", 525, 400, 1180), ("tickets_by_channel", "whatsapp", 325, 210, 0),
    ("tickets_by_channel", "email", 51, 42, 97),
    ("tickets_by_purpose", "konsultasi", 591, 400, 160), ("tickets_by_purpose", "reservasi", 83, 82, 872),
    ("tickets_by_purpose", "keperluan_lainnya", 227, 170, 245),
    ("calls_queued", "", 17, 20, 79), ("calls_queued_answered", "", 5, 9, 41),
    ("calls_offered", "", 600, 450, 1300), ("calls_answered", "", 582, 430, 1250),
    ("calls_abandoned", "", 18, 20, 50), ("calls_abandoned_pct", "", 3, 4.44, 3.85),
    ("calls_service_level_pct", "", 97, 95, 93), ("calls_asa", "", 6.5, 7, 8),
    ("face_to_face_total", "", 225, 150, 900), ("face_to_face_guests", "", 278, 190, 1100),
    ("face_to_face_with_sppd", "", 5, 10, 841), ("reservations_declined", "", 78, 40, 20),
    ("face_to_face_cumulative", "", 1200, 975, None),
    ("whatsapp_users", "", 301, 250, None), ("whatsapp_users_cumulative", "", 1001, 700, None),
    ("chatbot_sessions_without_agent", "", 497, 400, None),
    ("chatbot_menu", "Informasi Anggaran Transfer ke Daerah", 363, 300, None),
    ("chatbot_menu", "Informasi Kunjungan ke DJPK", 134, 100, None),
    ("email_lapor_total", "", 432, 198, 673), ("email_lapor_by_category", "APBD", 300, 100, 400),
    ("email_lapor_by_category", "DAU", 132, 98, 273),
    ("vicon_total", "", 2, 1, 9), ("events_total", "", 6, 9, 1), ("wa_blast_total", "", 7, 1, 3),
    ("web_publications_total", "", 3, 7, 4),
    ("ppid_requests", "", 12, 17, 12), ("ppid_granted", "", 10, 15, 11), ("ppid_on_time_pct", "", 100, 94.1, 100),
    ("advocacy_employees", "", 13559, 13000, None), ("advocacy_activations", "", 14316, 14000, None),
    ("advocacy_activations", "Like/Comment/Share", 11954, None, None),
    ("advocacy_accounts", "", 14887, None, None), ("advocacy_accounts", "Instagram", 9721, None, None),
    ("advocacy_target_pct", "", 137.84, None, None), ("advocacy_employee_pct", "", 17.91, None, None),
    ("csat_avg", "", 4.96, 4.9, None), ("csat_avg", AGENTS[0], 5.0, None, None), ("csat_avg", AGENTS[1], 4.92, None, None),
    ("faq_needing_review", "Direktorat Dana Transfer Umum", 3, None, None),
    ("social_content_avg", "", 26, 26, 23), ("instagram_followers", "", 42806, 42090, 31250),
]
LISTS_2020 = [
    ("web_publications", 1, date(2020, 1, 12), "Undangan Bimbingan Teknis", "UND-27/PK.6/2020", None),
    ("events", 1, date(2020, 1, 2), "Bintal Kajian", "FGD", None),
    ("wa_blasts", 1, date(2020, 1, 12), "Informasi Bimtek Keuda", None, 1500),
    ("vicon", 1, date(2020, 1, 16), "Kab. Magetan", "DAK Fisik", None),
    ("vicon", 2, date(2020, 1, 21), "Kab. Pati", "PDRD", None),
    ("face_to_face", 1, date(2020, 1, 6), "Prov. Sulawesi Tengah", "APBD", 4),
]


def make_warehouse(path, figures, month=JAN_2020, lists=None, earlier=()):
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema published")
        conn.execute(PUBLISHED_TABLE_DDL)
        for metric, dimension, value, prev_month, prev_year in figures:
            conn.execute("insert into published.report_metrics values (?, ?, ?, ?, ?, ?)",
                         [month, metric, dimension, value, prev_month, prev_year])
        for earlier_month, value in earlier:
            conn.execute("insert into published.report_metrics values (?, 'tickets_total', '', ?, null, null)",
                         [earlier_month, value])
        if lists is not None:
            conn.execute("create table published.report_lists (month DATE, list VARCHAR, position INTEGER, "
                         "item_date DATE, label VARCHAR, detail VARCHAR, value DOUBLE)")
            for row in lists:
                conn.execute("insert into published.report_lists values (?, ?, ?, ?, ?, ?, ?)", [month, *row])
    with duckdb.connect(str(path), read_only=True) as conn:
        return load_report_data(conn, month)


def visible_text(html: str) -> str:
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def section_html(html: str, section_id: str) -> str:
    match = re.search(rf'<section id="{section_id}".*?</section>', html, flags=re.S)
    assert match, f"section {section_id} missing"
    return match.group(0)


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_full")
    data = make_warehouse(folder / "w.duckdb", FIGURES_2020, lists=LISTS_2020,
                          earlier=[(date(2019, 1, 1), 1277), (date(2019, 12, 1), 652)])
    narrative = folder / "2020-01.md"
    narrative.write_text("## Manajemen Informasi\n\nKoordinasi **perlu ditingkatkan**.\n\n<script>alert(1)</script>\n",
                         encoding="utf-8")
    return render_html(data, narrative_html(narrative), narrative_path="landing/narrative/2020-01.md"), folder


def test_every_section_appears_when_its_data_is_published(full_report):
    rendered, _ = full_report
    missing = {section.id for section in rendered.sections if not section.available}
    # website, topics, pemda, time zones, escalation, the other channels and X/Facebook have no figures here
    assert not missing & {"publikasi-website", "webinar", "whatsapp-blast", "tiket", "tujuan", "queue-call", "sla",
                          "kunjungan-tamu", "whatsapp", "telepon", "email-lapor", "vicon", "tatap-muka", "ppid",
                          "advokasi", "knowledge-base", "kepuasan", "evaluasi", "instagram", "media-sosial"}
    assert {section.id for section in rendered.sections if section.era == "2020"} == {
        "tujuan", "queue-call", "sla", "kunjungan-tamu"}


def test_2020_sections_word_their_figures(full_report):
    text = visible_text(full_report[0].html)
    assert "Jumlah konsultasi bulan Januari 2020 meningkat 38,2% dibandingkan bulan sebelumnya (652)." in text
    assert ("Tingkat respons bulan Januari 2020 29,4% (terjawab 5 dari 17 queue call), dibandingkan Januari 2019 "
            "sebesar 51,9% (terjawab 41 dari 79 queue call).") in text
    assert "Jumlah queue call bulan Januari 2020 sebanyak 17, menurun 78,5% dibandingkan Januari 2019 (79)." in text
    assert "Rata-rata SLA Dering DJPK bulan Januari 2020 adalah 97,0%; 3,0% telepon tidak terjawab" in text
    assert "jumlah kunjungan tamu 225 kunjungan/278 orang." in text
    assert "Dari 225 kunjungan tersebut, 5 kunjungan dilakukan dengan SPPD dan 220 tanpa SPPD." in text
    assert "97,8% kunjungan dilakukan tanpa SPPD." in text
    assert "Jumlah kunjungan ber-SPPD menurun 99,4% dibandingkan Januari 2019 (841)." in text
    assert "Agen Call Center menolak 78 permintaan reservasi tamu." in text
    assert "untuk konsultasi: 65,6% atau 591 tiket" in text


def test_lists_channels_and_services(full_report):
    html = full_report[0].html
    text = visible_text(html)
    assert "UND-27/PK.6/2020" in section_html(html, "publikasi-website")
    assert "Kab. Pati" in section_html(html, "vicon") and "Kab. Magetan" in section_html(html, "vicon")
    assert "1.500" in section_html(html, "whatsapp-blast")
    assert "Prov. Sulawesi Tengah" in section_html(html, "tatap-muka")
    assert "jumlah sesi layanan Chatbot tanpa Chat Agent sebanyak 497 sesi" in text
    assert re.search(r"Total\s*</td>\s*<td[^>]*>497<", section_html(html, "whatsapp"))
    assert "Total pengguna sejak layanan dibuka (April 2019) mencapai 1.001 pengguna." in text
    assert "Jumlah e-mail yang diterima bulan Januari 2020 sebanyak 432 e-mail, meningkat 118,2% dibandingkan" in text
    assert "Jumlah permohonan data melalui PPID DJPK bulan Januari 2020 sebanyak 12 permohonan, menurun 29,4% " \
           "dibandingkan bulan sebelumnya (17) dan sama dengan Januari 2019 (12)." in text
    assert "137,8%" in section_html(html, "advokasi") and "13.559" in section_html(html, "advokasi")
    assert "5,0" in section_html(html, "kepuasan")


def test_trend_shows_only_published_months(full_report):
    text = visible_text(full_report[0].html)
    assert "Grafik memuat 3 dari 13 bulan terakhir" in text


def test_no_agent_names_and_narrative_is_included_as_written(full_report):
    html = full_report[0].html
    assert not [name for name in AGENTS if name.split()[0] in html]
    narrative = section_html(html, "evaluasi")
    assert "<h2>Manajemen Informasi</h2>" in narrative and "<strong>perlu ditingkatkan</strong>" in narrative
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in narrative


def test_absent_data_says_so_and_never_prints_zero(tmp_path):
    data = make_warehouse(tmp_path / "w.duckdb", [("tickets_total", "", 967, 1304, 1455),
                                                  ("web_publications_total", "", 3, 7, 4)],
                          month=date(2024, 2, 1))
    rendered = render_html(data)
    html = rendered.html
    assert data.lists is None  # published.report_lists does not exist
    assert "Rincian: Data belum tersedia." in visible_text(section_html(html, "publikasi-website"))
    for section_id in ("ppid", "vicon", "tatap-muka", "whatsapp-blast", "advokasi", "kepuasan", "knowledge-base",
                       "email-lapor", "instagram", "evaluasi"):
        section = section_html(html, section_id)
        assert 'data-available="tidak"' in section and "Data belum tersedia" in section, section_id
    tile = re.search(r'id="ringkasan-ppid_requests".*?</div>\s*</div>', html, flags=re.S).group(0)
    assert "tile-value\">–<" in tile and ">0<" not in tile
    assert "tujuan" not in {section.id for section in rendered.sections}  # no queue data: no 2020 sections
    assert "Jumlah konsultasi bulan Februari 2024 menurun 25,8% dibandingkan bulan sebelumnya (1.304)." in visible_text(html)


def test_pdf_of_a_small_report(full_report):
    rendered, folder = full_report
    pages = write_pdf(rendered.html, folder / "laporan.pdf")
    assert pages >= 5
    assert (folder / "laporan.pdf").read_bytes().startswith(b"%PDF")


def test_report_asset_is_in_the_monthly_job():
    import dagster as dg

    from dagster_project.definitions import MONTHLY_JOB_NAME, defs

    key = dg.AssetKey(["published", "report"])
    graph = defs.resolve_asset_graph()
    node = graph.get(key)
    assert dg.AssetKey(["published", "report_metrics"]) in node.parent_keys
    assert node.partitions_def.get_partition_keys()[0] == "2019-01"
    assert "Data belum tersedia" in node.description
    assert key in defs.resolve_job_def(MONTHLY_JOB_NAME).asset_layer.executable_asset_keys
