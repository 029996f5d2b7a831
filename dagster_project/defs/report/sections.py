"""The report's sections, in the order of the February 2024 report, built from the published figures.

Each section is a title and a list of blocks (paragraph, bullets, table, chart, tiles, missing,
narrative); the Jinja2 template only lays them out. A section or part whose figures are not
published says "Data belum tersedia" instead: nothing here prints a figure it did not read.

For a month with phone-queue data (metric ``calls_queued``: the 2020 era) the sections of the
January 2020 report are added: purpose of contact, queue calls, service level, guest visits.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, timedelta

from markupsafe import Markup

from . import charts
from .data import ReportData
from .wording import (
    MISSING,
    add_months,
    compare,
    compare_both,
    date_label,
    format_decimal,
    format_int,
    format_number,
    format_pct,
    month_label,
    month_short,
    percent_of,
)

CHANNELS = {
    "whatsapp": "WhatsApp",
    "phone": "Telepon Dering DJPK",
    "hai_kemenkeu": "HAI Kemenkeu",
    "live_chat": "Live Chat",
    "email": "E-mail Call Center",
}
CATEGORIES = {
    "Pemda": "Termasuk Anggota/Pimpinan DPRD dan Perangkat Daerah/Desa",
    "Akademisi": "Guru, mahasiswa dan siswa sekolah",
    "Kementerian/Lembaga": "Kementerian Teknis dan Lembaga di dalam dan luar Kemenkeu",
    "Lainnya": "Masyarakat, Pendamping Desa, Wartawan/Media, Swasta, dan Pengguna Tanpa Identitas",
}
PURPOSES = {
    "konsultasi": "Konsultasi",
    "reservasi": "Reservasi kunjungan",
    "keperluan_lainnya": "Keperluan lainnya",
    "pengaduan": "Pengaduan",
}
NON_TECHNICAL_TOPICS = {
    "Surat Masuk": "Mencakup penyampaian surat dan konfirmasi proses surat masuk.",
    "Lainnya": "Mencakup pertanyaan lainnya terkait DJPK yang tidak termasuk dalam kategori topik yang ada.",
    "Reservasi": "Mencakup tiket terkait rencana konsultasi tatap muka Pengguna Layanan ke DJPK.",
    "Pengaduan": "Mencakup pengaduan Pengguna Layanan.",
}
TIME_ZONES = {"WIB": "bagian barat (WIB)", "WITA": "bagian tengah (WITA)", "WIT": "bagian timur (WIT)"}
SUMMARY_TILES = [
    ("web_publications_total", "Publikasi Website", ""),
    ("social_content_avg", "Publikasi Konten Media Sosial", "rata-rata publikasi media sosial"),
    ("wa_blast_total", "WhatsApp Blast", ""),
    ("ppid_requests", "Layanan PPID", ""),
    ("tickets_total", "Tiket Konsultasi", ""),
    ("vicon_total", "Video Conference", ""),
    ("face_to_face_total", "Konsultasi Tatap Muka", ""),
    ("events_total", "Webinar/FGD", ""),
]


# --- blocks -------------------------------------------------------------------------------------

@dataclass
class Block:
    kind: str
    id: str | None = None


@dataclass
class Paragraph(Block):
    text: str = ""
    kind: str = "paragraph"


@dataclass
class Bullets(Block):
    items: list[str] = field(default_factory=list)
    ordered: bool = False
    kind: str = "bullets"


@dataclass
class Table(Block):
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numeric: set[int] = field(default_factory=set)
    """Indexes of right-aligned columns."""
    footer: list[str] | None = None
    kind: str = "table"


@dataclass
class Chart(Block):
    png: bytes = b""
    alt: str = ""
    small: bool = False
    kind: str = "chart"

    @property
    def src(self) -> str:
        return "data:image/png;base64," + base64.b64encode(self.png).decode("ascii")


@dataclass
class Tile:
    label: str
    value: str
    note: str = ""
    id: str | None = None
    available: bool = True


@dataclass
class Tiles(Block):
    tiles: list[Tile] = field(default_factory=list)
    kind: str = "tiles"


@dataclass
class Missing(Block):
    what: str = ""
    kind: str = "missing"

    @property
    def text(self) -> str:
        return f"{self.what}: {MISSING}." if self.what else f"{MISSING}."


@dataclass
class Narrative(Block):
    html: Markup = Markup("")
    kind: str = "narrative"


@dataclass
class Heading(Block):
    text: str = ""
    kind: str = "heading"


@dataclass
class Section:
    id: str
    title: str
    blocks: list[Block]
    available: bool = True
    era: str = ""
    """``"2020"`` for the sections of the January 2020 report shown only in months with queue data."""


# --- helpers ------------------------------------------------------------------------------------

def _month_end(month: date) -> date:
    return add_months(month, 1) - timedelta(days=1)


class ReportBuilder:
    """Builds the sections of one month from :class:`ReportData` (and the optional narrative)."""

    def __init__(self, data: ReportData, narrative_html: Markup | None = None, narrative_path: str = ""):
        self.data = data
        self.month = data.month
        self.name = month_label(data.month)
        self.narrative_html = narrative_html
        self.narrative_path = narrative_path
        self.chart_count = 0

    # small helpers
    def chart(self, png: bytes, alt: str, id: str | None = None, small: bool = False) -> Chart:
        self.chart_count += 1
        return Chart(png=png, alt=alt, id=id, small=small)

    def comparison_chart(self, metric: str, title: str, dimension: str = "", id: str | None = None) -> Chart | None:
        """Bars: the same month a year earlier, the previous month, this month (those published)."""
        figure = self.data.figure(metric, dimension)
        if figure is None:
            return None
        points = [(add_months(self.month, -12), figure.prev_year), (add_months(self.month, -1), figure.prev_month),
                  (self.month, figure.value)]
        points = [(month_label(day), value) for day, value in points if value is not None]
        return self.chart(charts.bars([label for label, _ in points], [value for _, value in points], title),
                          alt=title, id=id, small=True)

    def count_sentence(self, metric: str, subject: str, unit: str, dimension: str = "", id: str | None = None) -> Paragraph:
        figure = self.data.figure(metric, dimension)
        return Paragraph(id=id, text=(
            f"{subject} bulan {self.name} sebanyak {format_number(figure.value)} {unit}, "
            f"{compare_both(figure.value, figure.prev_month, figure.prev_year, self.month)}."
        ))

    def simple_count_section(self, id: str, title: str, metric: str, subject: str, unit: str,
                             chart_title: str, extra: list[Block] | None = None) -> Section:
        if not self.data.has(metric):
            return Section(id, title, [Missing()], available=False)
        blocks: list[Block] = [self.count_sentence(metric, subject, unit, id=f"{id}-teks")]
        blocks += extra or []
        chart = self.comparison_chart(metric, chart_title)
        if chart:
            blocks.append(chart)
        return Section(id, title, blocks)

    def list_table(self, list_name: str, total_metric: str, headers: list[str], row) -> Block:
        """The month's items of ``published.report_lists``; says so when the list is not published."""
        items = self.data.items(list_name)
        if not items:
            total = self.data.value(total_metric)
            if items is not None and total == 0:
                return Paragraph(text="Tidak ada rincian untuk bulan ini.")
            return Missing(what="Rincian")
        return Table(headers=headers, rows=[row(item) for item in items])

    @staticmethod
    def item_date(item) -> str:
        return date_label(item.item_date) if item.item_date else "-"

    # --- sections ------------------------------------------------------------------------------

    def sections(self) -> list[Section]:
        sections = [
            self.summary(),
            self.web_publications(),
            self.events(),
            self.wa_blasts(),
            self.website(),
            self.tickets(),
            self.topics(),
            self.complaints(),
            self.user_categories(),
            self.top_pemda(),
            self.service_hours(),
            self.escalation(),
        ]
        if self.data.has("calls_queued"):
            sections += [self.purposes_2020(), self.queue_calls_2020(), self.service_level_2020(), self.guest_visits_2020()]
        sections += [
            self.whatsapp(),
            self.phone(),
            self.channel("hai-kemenkeu", "Layanan HAI Kemenkeu", "hai_kemenkeu"),
            self.channel("live-chat", "Layanan Live Chat DJPK", "live_chat"),
            self.channel("email", "Layanan E-mail Call Center DJPK", "email"),
            self.email_lapor(),
            self.vicon(),
            self.face_to_face(),
            self.social_media(),
            self.instagram(),
            self.x(),
            self.facebook(),
            self.ppid(),
            self.advocacy(),
            self.knowledge_base(),
            self.satisfaction(),
            self.narrative(),
        ]
        return sections

    def summary(self) -> Section:
        tiles = []
        for metric, label, note in SUMMARY_TILES:
            value = self.data.value(metric)
            tiles.append(Tile(label=label, value=format_int(value) if value is not None else "–",
                              note=note if value is not None else MISSING, id=f"ringkasan-{metric}",
                              available=value is not None))
        return Section("ringkasan", "Ringkasan Publikasi dan Layanan Informasi", [Tiles(tiles=tiles)])

    def web_publications(self) -> Section:
        section = self.simple_count_section(
            "publikasi-website", "Publikasi Website DJPK", "web_publications_total",
            "Jumlah publikasi pada Website DJPK", "publikasi", "Jumlah publikasi website")
        if section.available:
            section.blocks.insert(1, self.list_table(
                "web_publications", "web_publications_total", ["Tanggal", "Nomor", "Perihal"],
                lambda item: [self.item_date(item), item.detail or "-", item.label or "-"]))
        return section

    def events(self) -> Section:
        section = self.simple_count_section(
            "webinar", "Publikasi Webinar/FGD DJPK", "events_total", "Jumlah webinar/FGD/workshop DJPK",
            "kegiatan", "Jumlah webinar/FGD")
        if section.available:
            section.blocks.insert(1, self.list_table(
                "events", "events_total", ["Tanggal", "Nama Kegiatan", "Jenis"],
                lambda item: [self.item_date(item), item.label or "-", item.detail or "-"]))
        return section

    def wa_blasts(self) -> Section:
        section = self.simple_count_section(
            "whatsapp-blast", "Layanan WhatsApp Blast", "wa_blast_total",
            "Penyampaian informasi melalui WhatsApp Blast", "kali", "Jumlah WhatsApp Blast")
        if section.available:
            table = self.list_table(
                "wa_blasts", "wa_blast_total", ["Tanggal", "Judul", "Jumlah Penerima"],
                lambda item: [self.item_date(item), item.label or "-",
                              format_number(item.value) if item.value is not None else "-"])
            if isinstance(table, Table):
                table.numeric = {2}
            section.blocks.insert(1, table)
        return section

    def website(self) -> Section:
        pages = sorted(self.data.breakdown("website_top_pages"), key=lambda row: row[1].value)[:5]
        extra: list[Block] = []
        if pages:
            extra += [Paragraph(text="Halaman yang paling banyak diakses antara lain:"),
                      Bullets(items=[page for page, _ in pages], ordered=True)]
        else:
            extra.append(Missing(what="Halaman terbanyak diakses"))
        return self.simple_count_section(
            "website", "Kunjungan Website DJPK", "website_active_users", "Jumlah pengguna aktif Website DJPK",
            "pengguna", "Pengguna aktif website", extra)

    def tickets(self) -> Section:
        total = self.data.figure("tickets_total")
        if total is None:
            return Section("tiket", "Tiket Konsultasi", [Missing()], available=False)
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = [
            Tiles(tiles=[Tile(label=f"Tiket Konsultasi {self.name}", value=format_int(total.value), id="tiket-total")]),
            Paragraph(id="tiket-mom", text=(
                f"Jumlah konsultasi bulan {self.name} {compare(total.value, total.prev_month, 'bulan sebelumnya')}."
                if total.prev_month is not None else f"Data bulan sebelumnya: {MISSING}.")),
            Paragraph(id="tiket-yoy", text=(
                f"Jika dibandingkan dengan {year_before}, jumlah konsultasi "
                f"{compare(total.value, total.prev_year, year_before)}."
                if total.prev_year is not None else f"Data {year_before}: {MISSING}.")),
        ]
        published = dict(self.data.trend("tickets_total"))
        window = [add_months(self.month, offset) for offset in range(-12, 1)]
        blocks.append(self.chart(
            charts.trend([month_short(day) for day in window], [published.get(day) for day in window],
                         "Perkembangan Jumlah Konsultasi (13 bulan terakhir)", "tiket"),
            alt="Perkembangan jumlah konsultasi 13 bulan terakhir", id="grafik-tren-tiket"))
        if len(published) < len(window):
            blocks.append(Paragraph(text=(
                f"Grafik memuat {len(published)} dari 13 bulan terakhir: bulan tanpa batang belum dipublikasikan.")))
        channels = self.data.breakdown("tickets_by_channel")
        if channels:
            rows = []
            for code, figure in channels:
                share = percent_of(figure.value, total.value)
                rows.append([CHANNELS.get(code, code), format_int(figure.value),
                             format_pct(share) if share is not None else "-",
                             format_number(figure.prev_month) if figure.prev_month is not None else "-",
                             format_number(figure.prev_year) if figure.prev_year is not None else "-"])
            blocks += [Heading(text="Tiket per kanal layanan"),
                       Table(headers=["Kanal", self.name, "Porsi", "Bulan sebelumnya", year_before],
                             rows=rows, numeric={1, 2, 3, 4})]
        return Section("tiket", f"Tiket Konsultasi {self.name}", blocks)

    def topics(self) -> Section:
        topics = self.data.breakdown("tickets_by_topic")
        if not topics:
            return Section("topik", "Topik Konsultasi", [Missing()], available=False)
        blocks: list[Block] = [self.chart(
            charts.horizontal_bars([name for name, _ in topics[:15]], [fig.value for _, fig in topics[:15]],
                                   "Tiket per topik", "tiket"), alt="Tiket per topik")]
        subtopics = self.data.breakdown("tickets_by_subtopic")
        technical = [name for name, _ in topics if name not in NON_TECHNICAL_TOPICS][:3]
        if subtopics:
            blocks.append(Heading(text="Topik Konsultasi Teknis"))
            rows = []
            for topic in technical:
                mine = [(dimension.split(" | ", 1)[1], fig) for dimension, fig in subtopics
                        if dimension.split(" | ", 1)[0] == topic][:3]
                rows += [[topic, subject, format_int(fig.value)] for subject, fig in mine]
            blocks.append(Table(headers=["Topik", "Sub-topik terbanyak", "Tiket"], rows=rows, numeric={2}))
        else:
            blocks.append(Missing(what="Sub-topik konsultasi"))
        others = [(name, fig) for name, fig in topics if name in NON_TECHNICAL_TOPICS]
        if others:
            blocks += [Heading(text="Topik Konsultasi Lainnya"),
                       Table(headers=["Topik", "Cakupan", "Tiket"], numeric={2},
                             rows=[[name, NON_TECHNICAL_TOPICS[name], format_int(fig.value)] for name, fig in others])]
        return Section("topik", "Topik Konsultasi", blocks)

    def complaints(self) -> Section:
        figure = self.data.figure("complaints_total")
        if figure is None:
            return Section("pengaduan", f"Pengaduan {self.name}", [Missing()], available=False)
        if figure.value == 0:
            text = f"Pada bulan {self.name} tidak terdapat pengaduan."
        else:
            text = f"Pada bulan {self.name} terdapat {format_int(figure.value)} pengaduan."
        mom = compare(figure.value, figure.prev_month, "bulan sebelumnya")
        if mom:
            text += f" Jumlah pengaduan {mom}."
        return Section("pengaduan", f"Pengaduan {self.name}", [Paragraph(id="pengaduan-teks", text=text)])

    def user_categories(self) -> Section:
        categories = self.data.breakdown("tickets_by_category")
        if not categories:
            return Section("pengguna", "Pengguna Layanan", [Missing()], available=False)
        order = list(CATEGORIES)
        categories.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
        tiles = [Tile(label=name, value=f"{format_int(fig.value)} tiket", note=CATEGORIES.get(name, ""))
                 for name, fig in categories]
        chart = self.chart(charts.pie([name for name, _ in categories], [fig.value for _, fig in categories],
                                      "Tiket per kategori pengguna"), alt="Tiket per kategori pengguna")
        return Section("pengguna", f"Pengguna Layanan {self.name}", [Tiles(tiles=tiles), chart])

    def top_pemda(self) -> Section:
        pemda = self.data.breakdown("tickets_by_pemda")[:10]
        if not pemda:
            return Section("pemda", "Pemda Pengguna Terbanyak", [Missing()], available=False)
        rows = [[str(i), name, format_int(fig.value)] for i, (name, fig) in enumerate(pemda, start=1)]
        return Section("pemda", f"Pemda Pengguna Terbanyak {self.name}",
                       [Table(headers=["No.", "Pemda", "Tiket"], rows=rows, numeric={2})])

    def service_hours(self) -> Section:
        total = self.data.value("tickets_total")
        identified = self.data.value("tickets_tz_identified")
        unidentified = self.data.value("tickets_tz_unidentified")
        inside = self.data.value("tickets_in_service_hours")
        outside = self.data.value("tickets_out_of_service_hours")
        if None in (total, identified, unidentified, inside, outside):
            return Section("jam-layanan", "Zona Waktu dan Jam Layanan", [Missing()], available=False)
        blocks: list[Block] = [
            Paragraph(text=(
                f"Selama bulan {self.name}, dari total {format_int(total)} tiket konsultasi, sebanyak "
                f"{format_int(identified)} tiket dapat diidentifikasi asal zona waktunya, sedangkan "
                f"{format_int(unidentified)} tiket sisanya tidak dapat diidentifikasi.")),
            Paragraph(id="jam-layanan-teks", text=(
                f"Dari {format_int(identified)} tiket yang dapat diidentifikasi zona waktunya, "
                f"{format_int(inside)} tiket dibuat di dalam jam layanan, sedangkan {format_int(outside)} "
                "sisanya di luar jam layanan (Senin–Jumat 08.00–16.00 WIB, kecuali hari libur), terdiri dari:")),
        ]
        zones = [(zone, self.data.value("tickets_out_of_service_hours", zone)) for zone in TIME_ZONES]
        zones = [(zone, value) for zone, value in zones if value is not None]
        items = []
        for zone, value in zones:
            share = percent_of(value, outside)
            items.append(f"{format_int(value)}" + (f" ({format_pct(share)})" if share is not None else "")
                         + f" dari {TIME_ZONES[zone]}")
        blocks.append(Bullets(items=items))
        if zones:
            blocks.append(self.chart(charts.bars([zone for zone, _ in zones], [value for _, value in zones],
                                                 "Tiket di luar jam layanan per zona waktu", "tiket",
                                                 colors=[charts.BLUE] * len(zones)),
                                     alt="Tiket di luar jam layanan per zona waktu"))
        return Section("jam-layanan", "Zona Waktu dan Jam Layanan", blocks)

    def escalation(self) -> Section:
        total = self.data.value("tickets_total")
        escalated = self.data.figure("tickets_escalated")
        pct = self.data.figure("tickets_escalated_pct")
        if total is None or escalated is None or pct is None:
            return Section("eskalasi", "Eskalasi Tiket", [Missing()], available=False)
        if escalated.value == 0:
            blocks: list[Block] = [Paragraph(id="eskalasi-teks", text=(
                f"Dari {format_int(total)} tiket konsultasi bulan {self.name}, tidak terdapat tiket yang "
                "dieskalasi ke unit teknis."))]
        else:
            blocks = [Paragraph(id="eskalasi-teks", text=(
                f"Dari {format_int(total)} tiket konsultasi, terdapat {format_int(escalated.value)} tiket atau "
                f"{format_pct(pct.value)} yang memerlukan eskalasi lebih lanjut ke unit teknis."))]
            if pct.prev_month is not None:
                blocks.append(Paragraph(text=f"Persentase eskalasi bulan sebelumnya: {format_pct(pct.prev_month)}."))
            blocks.append(self.chart(charts.pie(["Dieskalasi", "Selesai oleh agen"], [escalated.value, total - escalated.value],
                                                "Persentase eskalasi tiket"), alt="Persentase eskalasi tiket",
                                     id="grafik-eskalasi"))
        return Section("eskalasi", "Eskalasi Tiket", blocks)

    # --- 2020 era ---------------------------------------------------------------------------------

    def purposes_2020(self) -> Section:
        purposes = self.data.breakdown("tickets_by_purpose")
        if not purposes:
            return Section("tujuan", "Tujuan Penggunaan Layanan Contact Center", [Missing()], available=False, era="2020")
        total = sum(fig.value for _, fig in purposes)
        year_before = add_months(self.month, -12)
        top_name, top = purposes[0]
        blocks: list[Block] = [Paragraph(id="tujuan-teks", text=(
            f"Pada bulan {self.name} mayoritas pengguna menghubungi Contact Center untuk "
            f"{PURPOSES.get(top_name, top_name).lower()}: {format_pct(percent_of(top.value, total) or 0)} atau "
            f"{format_int(top.value)} tiket."))]
        if all(fig.prev_year is not None for _, fig in purposes):
            previous = sorted(purposes, key=lambda row: -row[1].prev_year)
            prev_name, prev = previous[0]
            prev_total = sum(fig.prev_year for _, fig in purposes)
            blocks.append(Paragraph(text=(
                f"Pada {month_label(year_before)} mayoritas untuk {PURPOSES.get(prev_name, prev_name).lower()}: "
                f"{format_pct(percent_of(prev.prev_year, prev_total) or 0)} atau {format_int(prev.prev_year)} tiket.")))
            blocks.append(self.chart(charts.grouped_bars(
                [PURPOSES.get(name, name) for name, _ in purposes],
                [(month_label(year_before), [fig.prev_year for _, fig in purposes]),
                 (self.name, [fig.value for _, fig in purposes])],
                f"Tujuan penggunaan layanan {month_label(year_before)} : {self.name}"), alt="Tujuan penggunaan layanan"))
        rows = [[PURPOSES.get(name, name), format_int(fig.value),
                 format_number(fig.prev_year) if fig.prev_year is not None else "-"] for name, fig in purposes]
        blocks.append(Table(headers=["Tujuan", self.name, month_label(year_before)], rows=rows, numeric={1, 2}))
        return Section("tujuan", "Tujuan Penggunaan Layanan Contact Center", blocks, era="2020")

    def queue_calls_2020(self) -> Section:
        queued = self.data.figure("calls_queued")
        answered = self.data.figure("calls_queued_answered")
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = [Paragraph(text=(
            "Queue Call atau antrian panggilan adalah penelepon yang sudah terhubung dengan IVR Call Center, "
            "namun belum tersambung dengan Agen Call Center."))]
        text = f"Jumlah queue call bulan {self.name} sebanyak {format_int(queued.value)}"
        yoy = compare(queued.value, queued.prev_year, year_before)
        text += f", {yoy}." if yoy else "."
        blocks.append(Paragraph(id="queue-teks", text=text))
        if answered is not None:
            rate = percent_of(answered.value, queued.value)
            if rate is not None:
                line = (f"Tingkat respons bulan {self.name} {format_pct(rate)} (terjawab {format_int(answered.value)} "
                        f"dari {format_int(queued.value)} queue call)")
                prev_rate = percent_of(answered.prev_year, queued.prev_year)
                if prev_rate is not None:
                    line += (f", dibandingkan {year_before} sebesar {format_pct(prev_rate)} (terjawab "
                             f"{format_int(answered.prev_year)} dari {format_int(queued.prev_year)} queue call)")
                blocks.append(Paragraph(text=line + "."))
        else:
            blocks.append(Missing(what="Queue call terjawab"))
        chart = self.comparison_chart("calls_queued", "Jumlah queue call")
        if chart:
            blocks.append(chart)
        return Section("queue-call", f"Queue Call {self.name}", blocks, era="2020")

    def service_level_2020(self) -> Section:
        level = self.data.figure("calls_service_level_pct")
        if level is None:
            return Section("sla", "Service Level Agreement (SLA)", [Missing()], available=False, era="2020")
        blocks: list[Block] = [
            Tiles(tiles=[Tile(label=f"SLA {self.name}", value=format_pct(level.value), id="sla-nilai")]),
            Paragraph(text=(
                "SLA menunjukkan banyaknya panggilan yang terjawab dalam waktu yang ditetapkan: "
                "panggilan terjawab dalam 10 detik dibagi panggilan masuk.")),
        ]
        abandoned = self.data.value("calls_abandoned_pct")
        if abandoned is None:
            abandoned = percent_of(self.data.value("calls_abandoned"), self.data.value("calls_offered"))
        text = f"Rata-rata SLA Dering DJPK bulan {self.name} adalah {format_pct(level.value)}"
        if abandoned is not None:
            text += f"; {format_pct(abandoned)} telepon tidak terjawab (abandoned call)"
        blocks.append(Paragraph(id="sla-teks", text=text + "."))
        return Section("sla", "Service Level Agreement (SLA)", blocks, era="2020")

    def guest_visits_2020(self) -> Section:
        visits = self.data.figure("face_to_face_total")
        if visits is None:
            return Section("kunjungan-tamu", "Layanan Kunjungan Tamu", [Missing()], available=False, era="2020")
        guests = self.data.value("face_to_face_guests")
        with_sppd = self.data.figure("face_to_face_with_sppd")
        declined = self.data.value("reservations_declined")
        year_before = month_label(add_months(self.month, -12))
        items = [f"Bulan {self.name}, jumlah kunjungan tamu {format_int(visits.value)} kunjungan"
                 + (f"/{format_int(guests)} orang." if guests is not None else ".")]
        if with_sppd is not None:
            without = visits.value - with_sppd.value
            items.append(f"Dari {format_int(visits.value)} kunjungan tersebut, {format_int(with_sppd.value)} kunjungan "
                         f"dilakukan dengan SPPD dan {format_int(without)} tanpa SPPD.")
            share = percent_of(without, visits.value)
            if share is not None:
                items.append(f"{format_pct(share)} kunjungan dilakukan tanpa SPPD.")
            yoy = compare(with_sppd.value, with_sppd.prev_year, year_before)
            if yoy:
                items.append(f"Jumlah kunjungan ber-SPPD {yoy}.")
        else:
            items.append(f"Kunjungan dengan SPPD: {MISSING}.")
        if declined is not None:
            items.append(f"Agen Call Center menolak {format_int(declined)} permintaan reservasi tamu.")
        blocks: list[Block] = [Bullets(id="kunjungan-tamu-teks", items=items)]
        chart = self.comparison_chart("face_to_face_total", "Jumlah kunjungan tamu")
        if chart:
            blocks.append(chart)
        return Section("kunjungan-tamu", "Layanan Kunjungan Tamu", blocks, era="2020")

    # --- channels ---------------------------------------------------------------------------------

    def channel(self, id: str, title: str, code: str, extra: list[Block] | None = None) -> Section:
        figure = self.data.figure("tickets_by_channel", code)
        if figure is None:
            return Section(id, title, [Missing()] + (extra or []), available=False)
        total = self.data.value("tickets_total")
        share = percent_of(figure.value, total)
        text = (f"Jumlah konsultasi melalui {CHANNELS[code]} bulan {self.name} sebanyak {format_int(figure.value)} tiket"
                + (f" ({format_pct(share)} dari seluruh tiket)" if share is not None else "")
                + f", {compare_both(figure.value, figure.prev_month, figure.prev_year, self.month)}.")
        blocks: list[Block] = [Paragraph(id=f"{id}-teks", text=text)]
        blocks.append(self.comparison_chart("tickets_by_channel", f"Jumlah konsultasi {CHANNELS[code]}", code))
        return Section(id, title, blocks + (extra or []))

    def whatsapp(self) -> Section:
        extra: list[Block] = [Heading(text="Pengguna WhatsApp")]
        users = self.data.figure("whatsapp_users")
        if users is not None:
            text = (f"Jumlah pengguna WhatsApp DJPK bulan {self.name} sebanyak {format_int(users.value)} pengguna, "
                    f"{compare_both(users.value, users.prev_month, users.prev_year, self.month)}.")
            cumulative = self.data.value("whatsapp_users_cumulative")
            if cumulative is not None:
                text += f" Total pengguna sejak layanan dibuka (April 2019) mencapai {format_int(cumulative)} pengguna."
            extra.append(Paragraph(id="whatsapp-pengguna", text=text))
        else:
            extra.append(Missing(what="Jumlah pengguna WhatsApp"))
        extra.append(Heading(text="Layanan Chatbot"))
        sessions = self.data.figure("chatbot_sessions_without_agent")
        if sessions is not None:
            extra.append(Paragraph(id="chatbot-teks", text=(
                f"Pada bulan {self.name}, jumlah sesi layanan Chatbot tanpa Chat Agent sebanyak "
                f"{format_int(sessions.value)} sesi.")))
            menu = self.data.breakdown("chatbot_menu")
            if menu:
                extra.append(Table(headers=["Menu yang dipilih", "Jumlah"], numeric={1},
                                   rows=[[name, format_int(fig.value)] for name, fig in menu],
                                   footer=["Total", format_int(sum(fig.value for _, fig in menu))]))
                extra.append(self.chart(charts.horizontal_bars([name for name, _ in menu], [fig.value for _, fig in menu],
                                                               "Menu Chatbot yang diakses", "sesi"),
                                        alt="Menu Chatbot yang diakses"))
            else:
                extra.append(Missing(what="Menu Chatbot"))
        else:
            extra.append(Missing(what="Layanan Chatbot"))
        return self.channel("whatsapp", "Layanan WhatsApp DJPK", "whatsapp", extra)

    def phone(self) -> Section:
        extra: list[Block] = [Heading(text="Panggilan telepon")]
        labels = [("calls_offered", "Panggilan masuk", format_int), ("calls_answered", "Panggilan terjawab", format_int),
                  ("calls_abandoned", "Panggilan tidak terjawab", format_int),
                  ("calls_abandoned_pct", "Persentase tidak terjawab", format_pct),
                  ("calls_service_level_pct", "Service level (terjawab ≤ 10 detik)", format_pct),
                  ("calls_asa", "Rata-rata waktu tunggu terjawab (detik)", format_number)]
        rows = []
        for metric, label, fmt in labels:
            figure = self.data.figure(metric)
            if figure is not None:
                rows.append([label, fmt(figure.value),
                             fmt(figure.prev_month) if figure.prev_month is not None else "-",
                             fmt(figure.prev_year) if figure.prev_year is not None else "-"])
        if rows:
            extra.append(Table(headers=["", self.name, "Bulan sebelumnya", month_label(add_months(self.month, -12))],
                               rows=rows, numeric={1, 2, 3}))
        else:
            extra.append(Missing(what="Data panggilan telepon"))
        return self.channel("telepon", "Layanan Telepon Dering DJPK", "phone", extra)

    def email_lapor(self) -> Section:
        categories = self.data.breakdown("email_lapor_by_category")
        extra: list[Block] = []
        if categories:
            extra.append(Table(headers=["Kategori", "E-mail"], numeric={1},
                               rows=[[name, format_int(fig.value)] for name, fig in categories]))
        return self.simple_count_section(
            "email-lapor", "Layanan E-mail Lapor DJPK (lapor.djpk@kemenkeu.go.id)", "email_lapor_total",
            "Jumlah e-mail yang diterima", "e-mail", "Jumlah e-mail lapor", extra)

    def vicon(self) -> Section:
        section = self.simple_count_section(
            "vicon", "Layanan Video Conference DJPK", "vicon_total", "Jumlah video conference yang dilaksanakan",
            "kali", "Jumlah video conference")
        if section.available:
            section.blocks.insert(1, self.list_table(
                "vicon", "vicon_total", ["Tanggal", "Daerah", "Topik"],
                lambda item: [self.item_date(item), item.label or "-", item.detail or "-"]))
        return section

    def face_to_face(self) -> Section:
        extra: list[Block] = []
        cumulative = self.data.value("face_to_face_cumulative")
        guests = self.data.value("face_to_face_guests")
        declined = self.data.value("reservations_declined")
        facts = []
        if guests is not None:
            facts.append(f"Jumlah tamu: {format_int(guests)} orang.")
        if cumulative is not None:
            facts.append(f"Jumlah kumulatif konsultasi tatap muka: {format_int(cumulative)}.")
        if declined is not None:
            facts.append(f"Permintaan reservasi yang ditolak: {format_int(declined)}.")
        if facts:
            extra.append(Bullets(items=facts))
        section = self.simple_count_section(
            "tatap-muka", "Layanan Konsultasi Tatap Muka DJPK", "face_to_face_total",
            "Jumlah konsultasi tatap muka", "kali", "Jumlah konsultasi tatap muka", extra)
        if section.available:
            table = self.list_table(
                "face_to_face", "face_to_face_total", ["Tanggal", "Daerah/Instansi", "Topik", "Jumlah Tamu"],
                lambda item: [self.item_date(item), item.label or "-", item.detail or "-",
                              format_number(item.value) if item.value is not None else "-"])
            if isinstance(table, Table):
                table.numeric = {3}
            section.blocks.append(table)
        return section

    # --- social media -----------------------------------------------------------------------------

    def social_media(self) -> Section:
        return self.simple_count_section(
            "media-sosial", "Publikasi Konten Media Sosial DJPK", "social_content_avg",
            "Rata-rata publikasi konten media sosial DJPK (Instagram, X, Facebook)", "konten",
            "Rata-rata publikasi konten media sosial")

    def platform(self, id: str, title: str, prefix: str, rows: list[tuple[str, str]], name: str) -> Section:
        followers = self.data.figure(f"{prefix}_followers")
        table_rows = []
        for metric, label in rows:
            value = self.data.value(metric)
            if value is not None:
                table_rows.append([label, format_number(value)])
        if followers is None and not table_rows:
            return Section(id, title, [Missing()], available=False)
        blocks: list[Block] = []
        if table_rows:
            blocks.append(Table(headers=["", self.name], rows=table_rows, numeric={1}))
        if followers is not None:
            end = _month_end(self.month)
            text = f"Jumlah pengikut {name} per {date_label(end)} sebanyak {format_int(followers.value)}"
            mom = compare(followers.value, followers.prev_month, "bulan sebelumnya")
            blocks.append(Paragraph(id=f"{id}-pengikut", text=text + (f", {mom}." if mom else ".")))
            blocks.append(self.comparison_chart(f"{prefix}_followers", f"Pengikut {name}", id=f"grafik-{id}-pengikut"))
        else:
            blocks.append(Missing(what=f"Pengikut {name}"))
        return Section(id, title, blocks)

    def instagram(self) -> Section:
        return self.platform("instagram", "Performa Instagram DJPK (@ditjenpk)", "instagram", [
            ("instagram_followers", "Pengikut"), ("instagram_reach_total", "Reach (total)"),
            ("instagram_reach_avg", "Reach (rata-rata per unggahan)"), ("instagram_feed_posts", "Unggahan feed"),
            ("instagram_stories", "Story")], "Instagram")

    def x(self) -> Section:
        return self.platform("x", "Performa X (Twitter) DJPK (@DitjenPK)", "x", [
            ("x_followers", "Pengikut"), ("x_posts", "Jumlah konten"), ("x_impressions", "Post impressions")], "X")

    def facebook(self) -> Section:
        return self.platform("facebook", "Performa Facebook DJPK", "facebook", [
            ("facebook_followers", "Pengikut"), ("facebook_posts", "Jumlah konten"),
            ("facebook_reach_avg", "Reach (rata-rata per konten)")], "Facebook")

    # --- other services ---------------------------------------------------------------------------

    def ppid(self) -> Section:
        extra: list[Block] = []
        rows = []
        for metric, label, fmt in [("ppid_granted", "Dikabulkan", format_int),
                                   ("ppid_partly_granted", "Dikabulkan sebagian", format_int),
                                   ("ppid_rejected", "Ditolak", format_int),
                                   ("ppid_on_time_pct", "Dijawab tepat waktu", format_pct)]:
            value = self.data.value(metric)
            if value is not None:
                rows.append([label, fmt(value)])
        if rows:
            extra.append(Table(headers=["Status permohonan", self.name], rows=rows, numeric={1}))
        return self.simple_count_section(
            "ppid", "Layanan PPID", "ppid_requests", "Jumlah permohonan data melalui PPID DJPK", "permohonan",
            "Jumlah permohonan data melalui PPID", extra)

    def advocacy(self) -> Section:
        employees = self.data.value("advocacy_employees")
        activations = self.data.value("advocacy_activations")
        if employees is None and activations is None:
            return Section("advokasi", "Employee Advocacy", [Missing()], available=False)
        tiles = []
        for metric, label, fmt in [("advocacy_employees", "Jumlah Pegawai", format_int),
                                   ("advocacy_activations", "Jumlah Aktivasi", format_int),
                                   ("advocacy_target_pct", "Persentase Target", format_pct),
                                   ("advocacy_employee_pct", "Persentase Pegawai", format_pct),
                                   ("advocacy_accounts", "Jumlah Medsos", format_int)]:
            value = self.data.value(metric)
            tiles.append(Tile(label=label, value=fmt(value) if value is not None else "–",
                              note="" if value is not None else MISSING, available=value is not None))
        blocks: list[Block] = [Tiles(tiles=tiles)]
        types = self.data.breakdown("advocacy_activations")
        if types:
            whole = activations or sum(fig.value for _, fig in types)
            blocks.append(Table(headers=["Jenis aktivasi", "Jumlah", "Porsi"], numeric={1, 2}, rows=[
                [name, format_int(fig.value), format_pct(percent_of(fig.value, whole) or 0)] for name, fig in types]))
        platforms = self.data.breakdown("advocacy_accounts")
        if platforms:
            blocks.append(Table(headers=["Platform", "Akun"], numeric={1},
                                rows=[[name, format_int(fig.value)] for name, fig in platforms]))
        return Section("advokasi", "Employee Advocacy", blocks)

    def knowledge_base(self) -> Section:
        units = self.data.breakdown("faq_needing_review")
        total = self.data.value("faq_needing_review")
        if not units and total is None:
            return Section("knowledge-base", "FAQ/Knowledge Base yang Perlu Direviu", [Missing()], available=False)
        blocks: list[Block] = []
        if total is not None:
            blocks.append(Paragraph(text=f"Jumlah FAQ/knowledge base yang perlu direviu: {format_int(total)}."))
        if units:
            blocks.append(Table(headers=["Unit", "FAQ perlu direviu"], numeric={1},
                                rows=[[name, format_int(fig.value)] for name, fig in units]))
        blocks.append(Paragraph(text="Status 0 artinya knowledge base sudah direviu seluruhnya oleh unit teknis."))
        return Section("knowledge-base", "FAQ/Knowledge Base yang Perlu Direviu", blocks)

    def satisfaction(self) -> Section:
        overall = self.data.figure("csat_avg")
        agents = self.data.breakdown("csat_avg")
        if overall is None and not agents:
            return Section("kepuasan", "Kepuasan Pengguna Contact Center DJPK", [Missing()], available=False)
        blocks: list[Block] = [Paragraph(text=(
            "Survei kepuasan dihitung dari faktor Kepuasan Layanan dan Substansi Jawaban yang diberikan di setiap "
            "akhir konsultasi."))]
        if overall is not None:
            blocks.append(Tiles(tiles=[Tile(label=f"Rata-rata nilai kepuasan {self.name}",
                                            value=format_decimal(overall.value, 1), id="kepuasan-nilai")]))
        if agents:
            # agents are shown by number, not by name: the report carries no personal names
            ordered = sorted(agents, key=lambda row: row[0])
            labels = [f"Agen {i}" for i in range(1, len(ordered) + 1)]
            blocks.append(self.chart(charts.bars(labels, [fig.value for _, fig in ordered], "Nilai kepuasan per agen",
                                                 colors=[charts.BLUE] * len(ordered)), alt="Nilai kepuasan per agen"))
        return Section("kepuasan", "Kepuasan Pengguna Contact Center DJPK", blocks)

    def narrative(self) -> Section:
        if self.narrative_html:
            return Section("evaluasi", "Evaluasi dan Saran", [Narrative(html=self.narrative_html)])
        where = f" (berkas {self.narrative_path})" if self.narrative_path else ""
        return Section("evaluasi", "Evaluasi dan Saran",
                       [Missing(what=f"Narasi evaluasi dan saran{where}")], available=False)

