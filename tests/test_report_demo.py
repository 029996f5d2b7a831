"""The rendered report of the demo months: files, what a reader sees in headless Chromium, PDF pages
turned into images and text (one landscape page per slide, none blank, none running over).

Needs the Debian packages ``chromium`` and ``poppler-utils`` (``./dev test`` installs them when it
runs as root). Without them the browser/PDF-image tests fail under CI and are skipped elsewhere.
Chromium only opens ``file://`` pages here; the report itself references nothing outside the file.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from test_report_sections import section_html, visible_text

MONTHS = ["2024-02", "2020-01"]
PAGES = {"2024-02": 41, "2020-01": 34}
"""Slides (= PDF pages) of the demo months: the edition's slides less those left out for the month."""
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROBE = """<script>
window.addEventListener("load", function () {
  var text = function (selector) { var e = document.querySelector(selector); return e ? e.innerText.trim() : null; };
  var shown = function (selector) { var e = document.querySelector(selector);
    return !!e && e.getBoundingClientRect().height > 0 && getComputedStyle(e).visibility !== "hidden"; };
  var probe = document.createElement("pre");
  probe.id = "probe-result";
  probe.textContent = JSON.stringify({
    total: text("#tiket-total .tile-value"), total_shown: shown("#tiket-total .tile-value"),
    mom: text("#tiket-mom"), mom_shown: shown("#tiket-mom"),
    slides: document.querySelectorAll("section.slide").length,
    overflowing: Array.prototype.filter.call(document.querySelectorAll("section.slide"), function (s) {
      return s.scrollHeight > s.clientHeight + 1 || s.scrollWidth > s.clientWidth + 1; }).map(function (s) { return s.id; }),
    images: Array.prototype.map.call(document.images, function (img) {
      return {alt: img.alt, complete: img.complete, width: img.naturalWidth}; })
  });
  document.body.appendChild(probe);
});
</script>"""


def report(demo_data_dir: Path, month: str, suffix: str) -> Path:
    return demo_data_dir / "published" / month / f"laporan-layanan-informasi-{month}.{suffix}"


def require_tool(name: str) -> str:
    path = shutil.which(name) or (f"/usr/bin/{name}" if os.path.exists(f"/usr/bin/{name}") else None)
    if path is None:
        message = (
            f"{name} is not installed (Debian: apt-get install chromium poppler-utils; ./dev test does it as root)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


def test_demo_writes_the_report_of_each_month(demo_data_dir):
    for month in MONTHS:
        html, pdf = report(demo_data_dir, month, "html"), report(demo_data_dir, month, "pdf")
        assert html.is_file() and pdf.is_file(), month
        assert pdf.read_bytes()[:5] == b"%PDF-"
        manifest = json.loads((html.parent / "manifest.json").read_text(encoding="utf-8"))
        version = html.parent / "versions" / f"{manifest['version']:04d}"
        assert (version / html.name).read_bytes() == html.read_bytes()
        assert (version / pdf.name).read_bytes() == pdf.read_bytes()


def test_report_words_the_published_figures(demo_data_dir):
    html = report(demo_data_dir, "2024-02", "html").read_text(encoding="utf-8")
    escalation = visible_text(section_html(html, "eskalasi"))
    # the hand-made report printed 3 %; 150 of 967 is 15.51 %
    assert (
        "terdapat 150 tiket atau 15,5% memerlukan eskalasi lebih lanjut ke unit teknis dengan topik terkait DAU, "
        "PDRD, Aplikasi, dan DBH."
    ) in escalation
    assert not re.search(r"(?<![\d,])3 ?%", escalation)
    text = visible_text(html)
    # the parts computed from the raw records since: topics per channel and per pemda, the complaint, the
    # denominators of the advocacy percentages, the FAQ trend of three months
    assert "Topik Konsultasi terbanyak melalui HAI Kemenkeu adalah Surat Masuk, PDRD, dan DBH." in text
    assert "Topik Konsultasi terbanyak melalui Live Chat adalah Aplikasi, DAU, Lainnya, dan PDRD." in text
    for channel in ("whatsapp", "telepon"):
        assert 'alt="Top 3 Topik Konsultasi"' in section_html(html, channel), channel
    assert "Kota Kendari (13) DAU, DBH, Surat Masuk, dan Transfer ke Daerah" in visible_text(
        section_html(html, "pemda")
    )
    assert "Prov. Riau (10)" in visible_text(section_html(html, "pemda"))
    assert (
        "terdapat 1 pengaduan: oknum yang mengatasnamakan tim DJPK menawarkan bantuan pencairan Kurang Bayar DBH "
        "(Kab. Yahukimo)."
    ) in visible_text(section_html(html, "pengaduan"))
    advocacy = visible_text(section_html(html, "advokasi"))
    assert "terhadap target jumlah pegawai Q1: 9.837" in advocacy and "jumlah pegawai 75.711" in advocacy
    assert re.search(
        r">Desember</th>\s*<th[^>]*>Januari</th>\s*<th[^>]*>Februari<", section_html(html, "knowledge-base")
    )
    assert "Jumlah konsultasi bulan Februari 2024 menurun 25,8% dibandingkan bulan sebelumnya (1.304)." in text
    # each comparison is said once (the earlier wording repeated "Februari 2023")
    assert "Jika dibandingkan dengan Februari 2023 (1.455 konsultasi), jumlah konsultasi menurun 33,5%." in text
    assert "40 (58,0%) dari bagian barat (WIB)" in text
    assert "Grafik memuat 3 dari 13 bulan terakhir" in text  # 2023-02, 2024-01, 2024-02 are published
    html_2020 = report(demo_data_dir, "2020-01", "html").read_text(encoding="utf-8")
    # the January 2020 report counts users of the contact center ("pengguna")
    assert (
        "Jumlah pengguna Contact Center DJPK pada bulan Januari 2020 mencapai 901, meningkat 38,2% dibandingkan "
        "Desember 2019 (652)."
    ) in visible_text(html_2020)
    # the reference: "dijumpai di tanggal 1, 20, 21 dan 31 Januari (rata-rata sekitar 3 queue call)"; 17 / 4 = 4,25
    assert (
        "Queue call dijumpai di tanggal 1, 20, 21, dan 31 Januari (rata-rata 4,3 queue call per tanggal)."
        in visible_text(section_html(html_2020, "queue-call"))
    )
    assert "Jumlah peserta:" in visible_text(section_html(html_2020, "vicon-rincian-1"))
    # the team's narratives, landed with the sample months: the evaluation, and February's circular letter
    assert "KMK Nomor 412 Tahun 2023" in visible_text(section_html(html, "evaluasi"))
    assert "SE-2/PK.1/2024" in visible_text(section_html(html, "pengumuman"))
    assert "Pengembangan Aplikasi CRM Contact Center" in visible_text(section_html(html_2020, "evaluasi"))
    manifest = json.loads((demo_data_dir / "published" / "2024-02" / "manifest.json").read_text(encoding="utf-8"))
    assert [(entry["part"], entry["file"]) for entry in manifest["narratives"]] == [
        ("evaluasi", "landing/narrative/2024-02.md"),
        ("pengumuman", "landing/narrative/2024-02-pengumuman.md"),
    ]
    # the agents' answered calls add up to the month's answered calls (both computed from calls.csv)
    published = {
        (row["metric"], row["dimension"]): float(row["value"])
        for row in csv.DictReader(
            open(demo_data_dir / "published" / "2020-01" / "report_metrics.csv", encoding="utf-8")
        )
    }
    agents = re.findall(r"<tr>.*?</tr>", section_html(html_2020, "performa-agen"), flags=re.S)[1:]
    answered = [int(visible_text(row).split()[2].replace(".", "")) for row in agents]
    assert len(answered) == 3 and sum(answered) == published[("calls_answered", "")]
    assert 'src="http' not in html + html_2020 and "url(http" not in html + html_2020  # nothing fetched


def open_in_chromium(source: Path, folder: Path) -> dict:
    """Opens the report with the probe in headless Chromium; what the probe saw."""
    chromium = require_tool("chromium")
    page = folder / source.name
    page.write_text(source.read_text(encoding="utf-8").replace("</body>", PROBE + "\n</body>"), encoding="utf-8")
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        completed = subprocess.run(
            [
                chromium,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                "--virtual-time-budget=10000",
                "--dump-dom",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
    assert completed.returncode == 0, completed.stderr[-3000:]
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', completed.stdout, flags=re.S)
    assert match, f"the probe did not run:\n{completed.stderr[-3000:]}"
    from html import unescape

    return json.loads(unescape(match.group(1)))


@pytest.mark.parametrize(
    "month, total, mom",
    [
        (
            "2024-02",
            "967",
            "Jumlah konsultasi bulan Februari 2024 menurun 25,8% dibandingkan bulan sebelumnya (1.304).",
        ),
        (
            "2020-01",
            "901",
            "Jumlah pengguna Contact Center DJPK pada bulan Januari 2020 mencapai 901, meningkat 38,2% "
            "dibandingkan Desember 2019 (652).",
        ),
    ],
)
def test_report_in_headless_chromium(demo_data_dir, tmp_path, month, total, mom):
    source = report(demo_data_dir, month, "html")
    probe = open_in_chromium(source, tmp_path)
    assert probe["total"] == total and probe["total_shown"]
    assert probe["mom"] == mom
    assert probe["mom_shown"]
    # one slide per screen, the size of the printed page: nothing runs over its slide
    assert probe["slides"] == PAGES[month] and probe["overflowing"] == []
    images = probe["images"]
    assert len(images) == source.read_text(encoding="utf-8").count("<img ") >= 8
    assert [image for image in images if not image["complete"] or image["width"] <= 0] == []


def pdf_text(data_dir: Path, month: str, page: int | None = None) -> str:
    """The text of the month's PDF (or of one page), as ``pdftotext -layout`` reads it."""
    pdftotext = require_tool("pdftotext")
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(
        [pdftotext, "-layout", *pages, str(report(data_dir, month, "pdf")), "-"],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout


def test_pdf_pages_one_landscape_slide_each_none_blank(demo_data_dir, tmp_path):
    demo_pdf = demo_data_dir
    pdftoppm = require_tool("pdftoppm")
    from PIL import Image, ImageStat

    for month in MONTHS:
        html = report(demo_pdf, month, "html").read_text(encoding="utf-8")
        slides = html.count('<section id="')
        assert slides == PAGES[month], month
        prefix = tmp_path / month
        subprocess.run(
            [pdftoppm, "-r", "20", "-gray", "-png", str(report(demo_pdf, month, "pdf")), str(prefix)],
            check=True,
            timeout=300,
        )
        pages = sorted(tmp_path.glob(f"{month}-*.png"))
        # as many pages as slides: a slide that ran over would have pushed a page of its own
        assert len(pages) == slides, month
        for page in pages:
            with Image.open(page) as image:
                assert image.width > image.height, f"{page.name} is not landscape"
                stat = ImageStat.Stat(image)
                dark = sum(image.histogram()[:200]) / (image.width * image.height)
            assert stat.stddev[0] > 5 and dark > 0.003, f"{page.name} looks blank"


def test_pdf_text_reads_as_the_reference(demo_data_dir):
    text_2024 = pdf_text(demo_data_dir, "2024-02")
    first, last = pdf_text(demo_data_dir, "2024-02", 1), pdf_text(demo_data_dir, "2024-02", PAGES["2024-02"])
    assert "Laporan Layanan Informasi DJPK" in first and "Februari 2024" in first
    assert "Terima Kasih" in last
    for expected in (
        "Ringkasan Publikasi dan Layanan Informasi",
        "Pengguna Layanan Februari",
        "Layanan Chatbot DJPK",
        "Layanan HAI Kemenkeu",
        "Employee Advocacy",
        "Evaluasi dan Saran",
        "UND-27/PK.6/2024",
        "Rata-rata waktu tunggu sampai",
        "Like/Comment/Share",
        "Tayangan unggahan",
        "Surat Edaran",
    ):
        assert expected in text_2024, expected
    for absent in (
        "Queue Call",
        "Service Level Agreement",
        "Kunjungan Tamu",
        "Tujuan Penggunaan",
        "like_comment_share",
        "konten_tersedia",
        "Post impressions",
        "Service level",
        "report_metrics",
        "landing/",
        "Daftar Isi",
        "periode dengan data antrean telepon",
    ):
        assert absent not in text_2024, absent

    text_2020 = pdf_text(demo_data_dir, "2020-01")
    assert "Periode Januari 2020" in pdf_text(demo_data_dir, "2020-01", 1)
    assert "1500420" in text_2020 and "Melayani dengan Hati" in pdf_text(demo_data_dir, "2020-01", PAGES["2020-01"])
    for expected in (
        "Queue Call Januari 2020",
        "Service Level Agreement (SLA)",
        "Layanan Kunjungan Tamu",
        "Sub Topik Konsultasi DID",
        "Sub Topik Konsultasi DAK Non Fisik",
        "Sub Topik Konsultasi PDRD",
        "Frekuensi Kunjungan Pemda Tertinggi",
        "Kota Pangkalpinang",
        "Prov. Sulawesi Tenggara",
        "Vicon DJPK dengan Kab. Pati",
        "Performa Agen Call Center",
        "Layanan Website DJPK",
        "Layanan Sosial Media DJPK",
    ):
        assert expected in text_2020, expected
    for absent in (
        "HAI Kemenkeu",
        "Live Chat",
        "Chatbot",
        "Employee Advocacy",
        "Knowledge Base",
        "Kepuasan Pengguna",  # the 2024 satisfaction slide (the 2020 evaluation speaks of a questionnaire)
        "Telepon Dering DJPK",
        "Januari 2019 (0)",
        "KAB. KAYONG UTARA",
        "kota bekasi",
    ):
        assert absent not in text_2020, absent
    # no service of another era as "belum tersedia"; the evaluation is written for the sample months
    assert "Data belum tersedia" not in text_2020


def test_report_holds_no_personal_data(demo_data_dir, warehouse):
    """Every name, e-mail and phone number of the raw tickets is searched for in the reports' text
    (the embedded chart images are left out: their base64 is no text a reader sees)."""
    values = {
        value.strip()
        for column in ("person_name", "person_email", "person_phone")
        for (value,) in warehouse.execute(f"select distinct {column} from raw.deskpro_tickets").fetchall()
        if value and len(value.strip()) >= 6
    }
    assert len(values) > 100
    phones = {digits for digits in (re.sub(r"\D", "", value) for value in values) if len(digits) >= 9}
    for month in MONTHS:
        html = report(demo_data_dir, month, "html").read_text(encoding="utf-8")
        text = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
        assert [value for value in values if value in text] == [], month
        digits = re.sub(r"\D", "", text)
        assert [phone for phone in phones if phone in digits] == [], month
