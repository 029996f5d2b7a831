"""The report's slides from a small published warehouse made here (no demo run needed): each month
gets its edition's slides (editions/*.yaml), a slide appears when its figures and lists are
published, says "Data belum tersedia" when they are not, is left out for a service that did not
exist yet, and never prints a figure it did not read."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import duckdb
import pytest

from dagster_project.defs.publish.tables import REPORT_METRICS_DDL
from dagster_project.lib.narratives import narrative_file
from dagster_project.report.data import load_report_data
from dagster_project.report.render import read_narratives, render_html, write_pdf

JAN_2020 = date(2020, 1, 1)
FEB_2024 = date(2024, 2, 1)
AGENTS = ["Anas Contoh", "Linna Contoh"]

# (metric, dimension, value, previous month, previous year): the January 2020 report's figures
# where it has them, plausible ones elsewhere.
FIGURES_2020 = [
    ("tickets_total", "", 901, 652, 1277),
    ("tickets_by_channel", "phone", 525, 400, 1180),
    ("tickets_by_channel", "whatsapp", 325, 210, 0),
    ("tickets_by_channel", "email", 51, 42, 97),
    ("tickets_by_purpose", "konsultasi", 591, 400, 160),
    ("tickets_by_purpose", "reservasi", 83, 82, 872),
    ("tickets_by_purpose", "keperluan_lainnya", 227, 170, 245),
    ("tickets_by_topic", "DAU", 102, 95, 40),
    ("tickets_by_topic", "Surat Masuk", 180, 130, 190),
    ("tickets_by_subtopic", "DAU | Syarat Penyaluran DAU April 2020", 35, None, None),
    ("tickets_by_subtopic", "DAU | Penundaan DAU", 17, None, None),
    ("calls_queued", "", 17, 20, 79),
    ("calls_queued_answered", "", 5, 9, 41),
    ("calls_offered", "", 600, 450, 1300),
    ("calls_answered", "", 582, 430, 1250),
    ("calls_abandoned", "", 18, 20, 50),
    ("calls_abandoned_pct", "", 3, 4.44, 3.85),
    ("calls_service_level_pct", "", 97, 95, 93),
    ("calls_avg_speed_of_answer_seconds", "", 6.5, 7, 8),
    ("face_to_face_total", "", 225, 150, 900),
    ("face_to_face_guests", "", 278, 190, 1100),
    ("face_to_face_with_sppd", "", 5, 10, 841),
    ("reservations_declined", "", 78, 40, 20),
    ("face_to_face_cumulative", "", 1200, 975, None),
    ("whatsapp_users", "", 301, 250, None),
    ("whatsapp_users_cumulative", "", 1001, 700, None),
    ("chatbot_sessions_without_agent", "", 497, 400, None),
    ("chatbot_menu", "Informasi Anggaran Transfer ke Daerah", 363, 300, None),
    ("chatbot_menu", "Informasi Kunjungan ke DJPK", 134, 100, None),
    ("email_lapor_total", "", 432, 198, 673),
    ("email_lapor_by_category", "APBD", 300, 100, 400),
    ("email_lapor_by_category", "DAU", 132, 98, 273),
    ("vicon_total", "", 2, 1, 9),
    ("events_total", "", 6, 9, 1),
    ("wa_blast_total", "", 7, 1, 3),
    ("web_publications_total", "", 3, 7, 4),
    ("ppid_requests", "", 12, 17, 12),
    ("ppid_granted", "", 10, 15, 11),
    ("ppid_on_time_pct", "", 100, 94.1, 100),
    ("advocacy_employees", "", 13559, 13000, None),
    ("advocacy_activations", "", 14316, 14000, None),
    ("advocacy_activations", "Like/Comment/Share", 11954, None, None),
    ("advocacy_accounts", "", 14887, None, None),
    ("advocacy_accounts", "Instagram", 9721, None, None),
    ("advocacy_target_pct", "", 137.84, None, None),
    ("advocacy_employee_pct", "", 17.91, None, None),
    ("csat_avg", "", 4.96, 4.9, None),
    ("csat_avg", AGENTS[0], 5.0, None, None),
    ("csat_avg", AGENTS[1], 4.92, None, None),
    ("faq_needing_review", "Direktorat Dana Transfer Umum", 3, None, None),
    ("social_content_avg", "", 26, 26, 23),
    ("instagram_followers", "", 42806, 42090, 31250),
    # the days of the queue calls (the report: "dijumpai di tanggal 1, 20, 21 dan 31 Januari")
    ("calls_queued_by_date", "2020-01-01", 3, 0, 0),
    ("calls_queued_by_date", "2020-01-20", 5, 0, 0),
    ("calls_queued_by_date", "2020-01-21", 5, 0, 0),
    ("calls_queued_by_date", "2020-01-31", 4, 0, 0),
    # answered calls per agent login (CMS): the factors of "Performa Agen Call Center"
    ("calls_answered_by_agent", "rina.cc", 204, None, None),
    ("calls_answered_by_agent", "yoga.cc", 200, None, None),
    ("calls_answered_by_agent", "sari.cc", 178, None, None),
    ("calls_avg_talk_seconds_by_agent", "rina.cc", 673.6, None, None),
    ("calls_avg_talk_seconds_by_agent", "yoga.cc", 682.3, None, None),
    ("calls_avg_talk_seconds_by_agent", "sari.cc", 59.5, None, None),
    ("calls_avg_acw_seconds_by_agent", "rina.cc", 84.9, None, None),
    ("calls_avg_acw_seconds_by_agent", "yoga.cc", 82.6, None, None),
]
LISTS_2020 = [
    ("web_publications", 1, date(2020, 1, 12), "Undangan Bimbingan Teknis", "UND-27/PK.6/2020", None),
    ("events", 1, date(2020, 1, 2), "Bintal Kajian", "FGD", None),
    ("wa_blasts", 1, date(2020, 1, 12), "Informasi Bimtek Keuda", None, 1500),
    ("vicon", 1, date(2020, 1, 16), "Kab. Magetan", "DAK Fisik", 6),
    ("vicon", 2, date(2020, 1, 21), "Kab. Pati", "PDRD", None),
    ("face_to_face", 1, date(2020, 1, 6), "Prov. Sulawesi Tengah", "APBD", 4),
]


def make_warehouse(path, figures, month=JAN_2020, lists=None, earlier=()):
    with duckdb.connect(str(path)) as conn:
        conn.execute("create schema published")
        conn.execute(REPORT_METRICS_DDL)
        for metric, dimension, value, prev_month, prev_year in figures:
            conn.execute(
                "insert into published.report_metrics values (?, ?, ?, ?, ?, ?)",
                [month, metric, dimension, value, prev_month, prev_year],
            )
        for earlier_month, value in earlier:
            conn.execute(
                "insert into published.report_metrics values (?, 'tickets_total', '', ?, null, null)",
                [earlier_month, value],
            )
        if lists is not None:
            conn.execute(
                "create table published.report_lists (month DATE, list VARCHAR, position INTEGER, "
                "item_date DATE, label VARCHAR, detail VARCHAR, value DOUBLE)"
            )
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


# the figures of services that exist only in the 2024 edition, published for February 2024
FIGURES_2024 = [
    row
    for row in FIGURES_2020
    if not row[0].startswith(("calls_queued", "tickets_by_purpose", "face_to_face_with_sppd"))
] + [
    ("tickets_by_channel", "hai_kemenkeu", 38, 10, 52),
    ("tickets_by_channel", "live_chat", 0, 0, 0),
    ("face_to_face_over_guest_limit", "", 6, 2, None),
    # topics per channel, of the escalated tickets and of each top pemda; the complaint; the advocacy
    # denominators; the FAQ trend of three months from one review sheet
    ("tickets_by_channel_topic", "hai_kemenkeu | Surat Masuk", 12, 0, 0),
    ("tickets_by_channel_topic", "hai_kemenkeu | PDRD", 8, 0, 0),
    ("tickets_by_channel_topic", "hai_kemenkeu | DBH", 6, 0, 0),
    ("tickets_by_channel_topic", "hai_kemenkeu | DAU", 4, 0, 0),
    ("tickets_by_channel_topic", "whatsapp | DAU", 150, 0, 0),
    ("tickets_by_channel_topic", "whatsapp | DBH", 120, 0, 0),
    ("tickets_by_channel_topic", "whatsapp | JF AKPD", 90, 0, 0),
    ("tickets_by_channel_topic", "whatsapp | PDRD", 60, 0, 0),
    ("tickets_escalated", "", 150, 200, 180),
    ("tickets_escalated_pct", "", 15.51, 15.34, 12.37),
    ("tickets_escalated_by_topic", "DAU", 60, 0, 0),
    ("tickets_escalated_by_topic", "PDRD", 40, 0, 0),
    ("tickets_escalated_by_topic", "Aplikasi", 28, 0, 0),
    ("tickets_escalated_by_topic", "DBH", 22, 0, 0),
    ("tickets_by_pemda", "Kota Kendari", 13, 0, 0),
    ("tickets_by_pemda_topic", "Kota Kendari | DAU", 5, 0, 0),
    ("tickets_by_pemda_topic", "Kota Kendari | DBH", 4, 0, 0),
    ("tickets_by_pemda_topic", "Kota Kendari | Surat Masuk", 2, 0, 0),
    ("tickets_by_pemda_topic", "Kota Kendari | Transfer ke Daerah", 2, 0, 0),
    ("complaints_total", "", 1, 0, 0),
    ("advocacy_target_employees", "", 9837, 9837, None),
    ("advocacy_headcount", "", 75711, 75711, None),
    ("faq_needing_review", "", 3, 5, None),
    ("faq_needing_review_1_month_before", "", 5, None, None),
    ("faq_needing_review_1_month_before", "Direktorat Dana Transfer Umum", 5, None, None),
    ("faq_needing_review_2_months_before", "", 7, None, None),
    ("faq_needing_review_2_months_before", "Direktorat Dana Transfer Umum", 7, None, None),
]
LISTS_2024 = [
    (name, position, day.replace(year=2024, month=2), label, detail, value)
    for name, position, day, label, detail, value in LISTS_2020
] + [
    (
        "complaints",
        1,
        date(2024, 2, 9),
        "Kab. Yahukimo",
        "Oknum yang mengatasnamakan tim DJPK menawarkan bantuan pencairan Kurang Bayar DBH",
        None,
    ),
]


def render_month(folder, figures, month, lists, earlier=(), narrative_text=None):
    data = make_warehouse(folder / "w.duckdb", figures, month=month, lists=lists, earlier=earlier)
    for part, text in (narrative_text or {}).items():
        path = narrative_file(folder, f"{month:%Y-%m}", part)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return render_html(data, read_narratives(folder, f"{month:%Y-%m}"))


@pytest.fixture(scope="module")
def full_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_full")
    rendered = render_month(
        folder,
        FIGURES_2020,
        JAN_2020,
        LISTS_2020,
        earlier=[(date(2019, 1, 1), 1277), (date(2019, 12, 1), 652)],
        narrative_text={
            "evaluasi": "## Manajemen Informasi\n\nKoordinasi **perlu ditingkatkan**.\n\n<script>alert(1)</script>\n",
            # the 2020 edition has no slide for a circular letter: written or not, none is shown
            "pengumuman": "Pada bulan Januari, telah diterbitkan Surat Edaran nomor SE-1/PK/2020.\n",
        },
    )
    return rendered, folder


@pytest.fixture(scope="module")
def report_2024(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report_2024")
    return render_month(folder, FIGURES_2024, FEB_2024, LISTS_2024)


SLIDES_ONLY_2024 = {
    "ringkasan",
    "chatbot",
    "chatbot-implementasi",
    "hai-kemenkeu",
    "live-chat",
    "advokasi",
    "knowledge-base",
    "kepuasan",
    "tatap-muka",
    "rincian-whatsapp-blast",
}
SLIDES_ONLY_2020 = {"tujuan", "queue-call", "sla", "kunjungan-tamu", "peran-strategis", "materi-konsultasi"}


def test_each_month_gets_its_editions_slides(full_report, report_2024):
    rendered, _ = full_report
    assert rendered.edition == "2020" and report_2024.edition == "2024"
    ids_2020 = {slide.id for slide in rendered.sections}
    ids_2024 = {slide.id for slide in report_2024.sections}
    assert SLIDES_ONLY_2020 <= ids_2020 and not ids_2020 & SLIDES_ONLY_2024
    assert not ids_2024 & SLIDES_ONLY_2020
    assert SLIDES_ONLY_2024 - {"live-chat"} <= ids_2024
    # the first and last slides are the cover and "Terima kasih", "Evaluasi" just before
    for slides in (rendered.sections, report_2024.sections):
        assert (slides[0].kind, slides[-1].kind, slides[-2].id) == ("cover", "closing", "evaluasi")
        assert slides[-1].title == "Terima Kasih"
    missing = {slide.id for slide in rendered.sections if not slide.available}
    assert not missing & {"tiket", "tujuan", "queue-call", "sla", "kunjungan-tamu", "whatsapp", "vicon", "evaluasi"}


def test_2020_slides_word_their_figures(full_report):
    text = visible_text(full_report[0].html)
    # the January 2020 report counts users ("pengguna") and says each comparison once
    assert (
        "Jumlah pengguna Contact Center DJPK pada bulan Januari 2020 mencapai 901, meningkat 38,2% dibandingkan "
        "Desember 2019 (652)."
    ) in text
    assert "Jika dibandingkan dengan Januari 2019 (1.277 pengguna), jumlah pengguna menurun 29,4%." in text
    assert (
        "Tingkat respons bulan Januari 2020 29,4% (terjawab 5 dari 17 queue call), dibandingkan Januari 2019 "
        "sebesar 51,9% (terjawab 41 dari 79 queue call)."
    ) in text
    assert "Jumlah queue call bulan Januari 2020 sebanyak 17, menurun 78,5% dibandingkan Januari 2019 (79)." in text
    assert "Rata-rata SLA Dering DJPK bulan Januari 2020 adalah 97,0%; 3,0% telepon tidak terjawab" in text
    assert "jumlah kunjungan tamu 225 kunjungan/278 orang." in text
    assert "Dari 225 kunjungan tersebut, 5 kunjungan dilakukan dengan SPPD dan 220 tanpa SPPD." in text
    assert "97,8% kunjungan dilakukan tanpa SPPD." in text
    assert "Jumlah kunjungan ber-SPPD menurun 99,4% dibandingkan Januari 2019 (841)" in text
    assert "Agen Call Center menolak 78 permintaan reservasi tamu." in text
    assert "untuk konsultasi: 65,6% atau 591 frekuensi" in text
    assert "Total sejak diluncurkan April 2019 hingga Januari 2020 mencapai 1.001 pengguna." in text
    assert "Pada bulan Januari 2020 terlaksana 2 frekuensi yakni Kab. Magetan dan Kab. Pati." in text
    assert "Contact Center DJPK 1500420" in visible_text(section_html(full_report[0].html, "penutup"))


def test_2020_month_shows_no_later_service(full_report):
    html = full_report[0].html
    text = visible_text(html)
    for later in ("HAI Kemenkeu", "Live Chat", "Chatbot", "Employee Advocacy", "Knowledge Base", "Kepuasan Pengguna"):
        assert later not in text, later
    assert "1500420" in text and "Telepon Dering DJPK" not in text
    # the phone figures: the average wait is read from its published key
    sla = visible_text(section_html(html, "sla"))
    assert "Rata-rata waktu tunggu sampai terjawab (detik) 6,5 7,0" in sla


def test_lists_channels_and_services(report_2024):
    html = report_2024.html
    text = visible_text(html)
    # a letter number is one unbroken token in its table cell
    assert re.search(r'<td class=" utuh">UND-27/PK\.6/2020</td>', section_html(html, "publikasi-website"))
    assert "Kab. Pati" in section_html(html, "vicon") and "Kab. Magetan" in section_html(html, "vicon")
    assert "1.500" in section_html(html, "rincian-whatsapp-blast")
    assert "Prov. Sulawesi Tengah" in section_html(html, "rincian-tatap-muka")
    assert "jumlah pengguna layanan Chatbot (tanpa Chat Agent) adalah sebanyak 497 pengguna" in text
    assert re.search(r"Total\s*</td>\s*<td[^>]*>497<", section_html(html, "chatbot"))
    assert "Jumlah email lapor" not in text
    assert "Pada bulan Februari, telah diterima sebanyak 432 email." in text
    assert (
        "Jumlah permohonan data melalui PPID DJPK pada bulan Februari berjumlah 12 permohonan. Permohonan pada "
        "bulan Februari menurun 29,4% dibandingkan bulan sebelumnya (17) dan sama dengan Februari 2023 (12)."
    ) in text
    assert "137,8%" in section_html(html, "advokasi") and "13.559" in section_html(html, "advokasi")
    assert "Like/Comment/Share" in section_html(html, "advokasi") and "like_comment_share" not in html
    assert "5,0" in section_html(html, "kepuasan")
    assert "terdapat 6 kunjungan Pemerintah Daerah yang belum mematuhi ketentuan" in text


def test_channel_without_users_has_no_zero_chart(report_2024):
    live_chat = section_html(report_2024.html, "live-chat")
    assert "<img" not in live_chat  # 0, 0 and 0: no chart of zeros
    assert "<img" in section_html(report_2024.html, "hai-kemenkeu")


def test_trend_shows_only_published_months(full_report):
    text = visible_text(full_report[0].html)
    assert "Grafik memuat 3 dari 13 bulan terakhir" in text


def test_trend_window_is_the_13_months_ending_with_the_report_month(tmp_path):
    # a month 13 back and a month after the report month are outside the window; its first month is in it
    earlier = [(date(2018, 12, 1), 1), (date(2019, 1, 1), 2), (date(2020, 2, 1), 4)]
    data = make_warehouse(tmp_path / "w.duckdb", [("tickets_total", "", 3, None, None)], earlier=earlier)
    assert data.trend("tickets_total") == [(date(2019, 1, 1), 2), (JAN_2020, 3)]


def test_agents_by_name_and_narrative_is_included_as_written(full_report, report_2024):
    # agents are staff: the January 2020 edition has no satisfaction slide, February 2024 names them
    assert not [name for name in AGENTS if name in full_report[0].html]
    chart = re.search(r'alt="Nilai kepuasan per agen"', section_html(report_2024.html, "kepuasan"))
    assert chart
    html = full_report[0].html
    narrative = section_html(html, "evaluasi")
    assert "<h2>Manajemen Informasi</h2>" in narrative and "<strong>perlu ditingkatkan</strong>" in narrative
    # a circular letter written for a month of the 2020 edition, which has no such slide, is not shown
    assert "SE-1/PK/2020" not in html and "pengumuman" not in {slide.id for slide in full_report[0].sections}
    assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in narrative


def test_no_internal_names_where_a_reader_looks(full_report, report_2024):
    for html in (full_report[0].html, report_2024.html):
        text = visible_text(html)
        for internal in (
            "published.",
            "report_metrics",
            "report_lists",
            "landing/",
            "narrative",
            ".md",
            "periode dengan data antrean telepon",
            "Post impressions",
            "Service level",
            "Daftar Isi",
        ):
            assert internal not in text, internal


def test_absent_data_says_so_and_never_prints_zero(tmp_path):
    data = make_warehouse(
        tmp_path / "w.duckdb",
        [("tickets_total", "", 967, 1304, 1455), ("web_publications_total", "", 3, 7, 4)],
        month=date(2024, 2, 1),
    )
    rendered = render_html(data)
    html = rendered.html
    assert data.lists is None  # published.report_lists does not exist
    assert "Rincian: Data belum tersedia." in visible_text(section_html(html, "publikasi-website"))
    for section_id in (
        "ppid",
        "vicon",
        "tatap-muka",
        "whatsapp-blast",
        "advokasi",
        "kepuasan",
        "knowledge-base",
        "email-lapor",
        "instagram",
        "evaluasi",
    ):
        section = section_html(html, section_id)
        assert 'data-available="tidak"' in section and "Data belum tersedia" in section, section_id
    tile = re.search(r'id="ringkasan-ppid_requests".*?</div>\s*</div>', html, flags=re.S).group(0)
    assert 'tile-value">–<' in tile and ">0<" not in tile
    assert "tujuan" not in {section.id for section in rendered.sections}  # the 2024 edition has no 2020 slides
    assert "Jumlah konsultasi bulan Februari 2024 menurun 25,8% dibandingkan bulan sebelumnya (1.304)." in visible_text(
        html
    )


def test_pdf_of_a_small_report(full_report):
    rendered, folder = full_report
    pages = write_pdf(rendered.html, folder / "laporan.pdf")
    assert pages == len(rendered.sections)  # one landscape page per slide: no slide runs over
    assert (folder / "laporan.pdf").read_bytes().startswith(b"%PDF")


def test_report_asset_is_in_the_monthly_job():
    import dagster as dg

    from dagster_project.definitions import defs
    from dagster_project.jobs import MONTHLY_JOB_NAME

    key = dg.AssetKey(["published", "report"])
    graph = defs.resolve_asset_graph()
    node = graph.get(key)
    assert dg.AssetKey(["published", "report_metrics"]) in node.parent_keys
    assert node.partitions_def.get_partition_keys()[0] == "2019-01"
    assert "Data belum tersedia" in node.description
    assert key in defs.resolve_job_def(MONTHLY_JOB_NAME).asset_layer.executable_asset_keys


def test_a_service_is_left_out_before_it_existed(tmp_path):
    """The chatbot began in September 2023, WhatsApp in April 2019: their slides are left out before,
    even when figures are published (not shown as 0, not as "belum tersedia")."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    before_chatbot = render_month(tmp_path / "a", FIGURES_2024, date(2023, 8, 1), LISTS_2024)
    ids = {slide.id for slide in before_chatbot.sections}
    assert "chatbot" not in ids and "chatbot-implementasi" not in ids and "whatsapp" in ids
    assert "Chatbot" not in visible_text(before_chatbot.html)
    before_whatsapp = render_month(tmp_path / "b", FIGURES_2020, date(2019, 3, 1), LISTS_2020)
    assert "whatsapp" not in {slide.id for slide in before_whatsapp.sections}


def test_topics_complaints_denominators_and_trend_2024(report_2024):
    """The parts the 2024 reference shows and our deck once left out, worded as the reference words them."""
    html = report_2024.html
    assert "Topik Konsultasi terbanyak melalui HAI Kemenkeu adalah Surat Masuk, PDRD, dan DBH." in visible_text(
        section_html(html, "hai-kemenkeu")
    )
    assert 'alt="Top 3 Topik Konsultasi"' in section_html(html, "whatsapp")
    assert 'alt="Top 3 Topik Konsultasi"' not in section_html(html, "hai-kemenkeu")  # HAI: a sentence, no chart
    assert (
        "terdapat 150 tiket atau 15,5% memerlukan eskalasi lebih lanjut ke unit teknis dengan topik terkait DAU, "
        "PDRD, Aplikasi, dan DBH."
    ) in visible_text(section_html(html, "eskalasi"))
    pemda = visible_text(section_html(html, "pemda"))
    assert "Kota Kendari (13) DAU, DBH, Surat Masuk, dan Transfer ke Daerah" in pemda
    assert (
        "Pada bulan Februari, terdapat 1 pengaduan: oknum yang mengatasnamakan tim DJPK menawarkan bantuan "
        "pencairan Kurang Bayar DBH (Kab. Yahukimo)."
    ) in visible_text(section_html(html, "pengaduan"))
    advocacy = visible_text(section_html(html, "advokasi"))
    assert "terhadap target jumlah pegawai Q1: 9.837" in advocacy
    assert "terhadap keseluruhan jumlah pegawai 75.711" in advocacy
    faq = section_html(html, "knowledge-base")
    assert re.search(r"<th[^>]*>Desember</th>\s*<th[^>]*>Januari</th>\s*<th[^>]*>Februari</th>", faq)
    assert "Direktorat Dana Transfer Umum 7 5 3" in visible_text(faq)
    assert "menurun 40,0% dibandingkan bulan sebelumnya (5)" in visible_text(faq)


def test_queue_call_dates_and_vicon_participants_2020(full_report):
    html = full_report[0].html
    # 17 queue calls on 4 days: 4,25 a day (the reference says "rata-rata sekitar 3": 17 / 4 is 4,25)
    assert (
        "Queue call dijumpai di tanggal 1, 20, 21, dan 31 Januari (rata-rata 4,3 queue call per tanggal)."
        in visible_text(section_html(html, "queue-call"))
    )
    assert "Jumlah peserta: 6 orang." in visible_text(section_html(html, "vicon-rincian-1"))
    assert "Jumlah peserta" not in visible_text(section_html(html, "vicon-rincian-2"))  # not in the register: not said


def test_agent_performance_2020(full_report):
    """Per agent login, most answered calls first, with talk time and after-call work in minutes:seconds;
    a factor the records lack for an agent is a dash, never 0."""
    slide = section_html(full_report[0].html, "performa-agen")
    rows = [visible_text(row) for row in re.findall(r"<tr>.*?</tr>", slide, flags=re.S)[1:]]
    assert [row.split()[:5] for row in rows] == [
        ["1", "rina.cc", "204", "11:14", "1:25"],
        ["2", "yoga.cc", "200", "11:22", "1:23"],
        ["3", "sari.cc", "178", "1:00", "-"],
    ]
    assert 'alt="Panggilan dijawab per agen"' in slide


def test_the_month_s_circular_letter_is_a_slide_of_its_own_when_written(tmp_path, report_2024):
    """The 2024 edition's "Surat Edaran" slide comes from landing/narrative/<YYYY-MM>-pengumuman.md,
    before the social-media slides; a month without one has no such slide (not "Data belum tersedia")."""
    assert "pengumuman" not in {slide.id for slide in report_2024.sections}
    written = render_month(
        tmp_path,
        FIGURES_2024,
        FEB_2024,
        LISTS_2024,
        narrative_text={
            "pengumuman": "Pada bulan Februari, telah diterbitkan Surat Edaran nomor **SE-2/PK.1/2024**.\n"
        },
    )
    ids = [slide.id for slide in written.sections]
    assert ids.index("rincian-tatap-muka") < ids.index("pengumuman") < ids.index("media-sosial")
    assert "<strong>SE-2/PK.1/2024</strong>" in section_html(written.html, "pengumuman")
    assert len(ids) == len(report_2024.sections) + 1


def test_a_month_of_many_complaints_lists_the_first_ten_and_counts_the_rest(tmp_path):
    """Every complaint is in the published lists; the slide describes the first ten and counts the others, so a
    month of thousands of complaints stays one slide (10 M tickets once made it dozens of pages)."""
    count = 25
    figures = [(m, d, count if m == "complaints_total" else v, p, y) for m, d, v, p, y in FIGURES_2024]
    lists = [row for row in LISTS_2024 if row[0] != "complaints"] + [
        ("complaints", n, date(2024, 2, 1 + n % 28), "Kab. Yahukimo", f"Pengaduan nomor {n}", None)
        for n in range(1, count + 1)
    ]
    rendered = render_month(tmp_path, figures, FEB_2024, lists)
    text = visible_text(section_html(rendered.html, "pengaduan"))
    assert "Pada bulan Februari, terdapat 25 pengaduan:" in text
    assert "pengaduan nomor 10 (Kab. Yahukimo)" in text
    assert "pengaduan nomor 11 " not in text
    assert "Ditampilkan 10 pengaduan pertama; 15 pengaduan lainnya tercatat lengkap pada data pengaduan" in text
    assert "report_lists" not in text and "published." not in text  # no internal name where a reader looks
    assert [slide.id for slide in rendered.sections].count("pengaduan") == 1
