"""The slides of one month: the month's edition (editions/*.yaml) filled with its published figures.

Each slide ``kind`` of an edition is a ``slide_<kind>`` method here (the 2020-era kinds are in
``slides_2020.py``). A method returns a slide, several slides, or ``None`` (nothing to show). A
slide of a service that did not exist in the month is left out before its method runs; a slide
whose figures are not published says "Data belum tersedia"; a part marked ``pending`` in the
edition (a figure not published yet) is left out. Nothing here prints a figure it did not read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from markupsafe import Markup

from ..lib.months import add_months, month_end
from ..lib.narratives import EVALUATION
from ..lib.wording import (
    MISSING,
    compare,
    compare_existing,
    date_label,
    format_decimal,
    format_int,
    format_number,
    format_pct,
    join_words,
    month_label,
    month_name,
    month_short,
    numeric_date,
    percent_of,
    service_hours_label,
    short_date,
    year_over_year,
)
from . import charts
from .blocks import (
    Block,
    Bullets,
    Chart,
    Column,
    Columns,
    Missing,
    Narrative,
    Paragraph,
    Slide,
    Table,
    Terms,
    Tile,
    Tiles,
)
from .data import Figure, ReportData
from .editions import Edition, SlideSpec, edition_for, service_existed, services
from .slides_2020 import Era2020Slides

MAX_TABLE_ROWS = 22
"""Rows of one table on one slide; a longer list goes on to a continuation slide."""

MAX_LISTED_COMPLAINTS = 10
"""Complaints described one by one on their slide; more are counted, and all of them are in the published lists
(a month of many complaints would otherwise run the slide over dozens of pages)."""

LIST_COLUMNS = {
    # column code: (header, cell of a list item, right-aligned, never broken)
    "tanggal": ("Tanggal", lambda item: date_label(item.item_date) if item.item_date else "-", False, True),
    "tanggal_angka": ("Tanggal", lambda item: numeric_date(item.item_date) if item.item_date else "-", False, True),
    "tanggal_pendek": ("Tanggal", lambda item: short_date(item.item_date) if item.item_date else "-", False, True),
    "nomor": ("Nomor", lambda item: item.detail or "-", False, True),
    "perihal": ("Perihal", lambda item: item.label or "-", False, False),
    "kegiatan": ("Kegiatan", lambda item: item.label or "-", False, False),
    "judul": ("Judul", lambda item: item.label or "-", False, False),
    "penerima": (
        "Jumlah Penerima",
        lambda item: format_number(item.value) if item.value is not None else "-",
        True,
        True,
    ),
    "daerah": ("Daerah", lambda item: item.label or "-", False, False),
    "topik": ("Topik", lambda item: item.detail or "-", False, False),
    "jumlah_tamu": (
        "Jumlah Tamu",
        lambda item: format_number(item.value) if item.value is not None else "-",
        True,
        True,
    ),
}
CHANNEL_NAMES = {
    "whatsapp": "WhatsApp",
    "phone": "Telepon",
    "hai_kemenkeu": "HAI Kemenkeu",
    "live_chat": "Live Chat",
    "email": "Email",
}
CHANNEL_SERVICES = {"whatsapp": "whatsapp"}
TIME_ZONES = {"WIB": "bagian barat (WIB)", "WITA": "bagian tengah (WITA)", "WIT": "bagian timur (WIT)"}


def readable(code: str, labels: dict[str, str] | None = None) -> str:
    """A breakdown's dimension as a reader sees it: the edition's label, else the code without underscores."""
    if labels and code in labels:
        return labels[code]
    return code.replace("_", " ").capitalize() if "_" in code or code.islower() else code


class SlideBuilder(Era2020Slides):
    """Builds the slides of one month from :class:`ReportData` by its edition."""

    def __init__(
        self,
        data: ReportData,
        narratives: Mapping[str, Markup] | None = None,
        edition: Edition | None = None,
        published_version: int | None = None,
    ):
        self.data = data
        self.month = data.month
        self.edition = edition or edition_for(data.month)
        self.label = month_label(data.month)
        self.bulan = month_name(data.month) if self.edition.month_in_titles == "name" else self.label
        self.narratives = dict(narratives or {})
        self.published_version = published_version
        self.chart_count = 0

    # --- the deck -----------------------------------------------------------------------------------

    def slides(self) -> list[Slide]:
        built: list[Slide] = []
        for spec in self.edition.slides:
            if spec.kind == "pending" or not service_existed(spec.service, self.month):
                continue
            result = getattr(self, f"slide_{spec.kind}")(spec)
            for slide in result if isinstance(result, list) else [result] if result else []:
                built += self._split_long_tables(slide)
        return built

    @staticmethod
    def _split_long_tables(slide: Slide) -> list[Slide]:
        long = [block for block in slide.blocks if isinstance(block, Table) and len(block.rows) > MAX_TABLE_ROWS]
        if not long:
            return [slide]
        table = long[0]
        chunks = [table.rows[start : start + MAX_TABLE_ROWS] for start in range(0, len(table.rows), MAX_TABLE_ROWS)]
        first = Table(**{**table.__dict__, "rows": chunks[0], "footer": None})
        slides = [
            Slide(
                slide.id,
                slide.title,
                [first if block is table else block for block in slide.blocks],
                slide.available,
                slide.kind,
                slide.subtitle,
            )
        ]
        for number, rows in enumerate(chunks[1:], start=2):
            last = number == len(chunks)
            part = Table(**{**table.__dict__, "id": None, "rows": rows, "footer": table.footer if last else None})
            slides.append(Slide(f"{slide.id}-{number}", f"{slide.title} (lanjutan)", [part], slide.available))
        return slides

    # --- helpers ------------------------------------------------------------------------------------

    def title(self, spec: SlideSpec, **values) -> str:
        return spec.title.format(bulan=self.bulan, **values)

    def text(self, template: str, **values) -> str:
        return " ".join(template.split()).format(bulan=self.bulan, jam_layanan=service_hours_label(), **values)

    def since(self, service: str | None) -> date | None:
        return services()[service].since if service else None

    def missing_slide(self, spec: SlideSpec, what: str = "") -> Slide:
        return Slide(spec.id, self.title(spec), [Missing(what=what)], available=False)

    def chart(self, png: bytes, alt: str, id: str | None = None) -> Chart:
        self.chart_count += 1
        return Chart(png=png, alt=alt, id=id)

    def per_agent_chart(self, rows: list[tuple[str, Figure]], title: str) -> Chart:
        """One bar per agent (staff: their names are shown), all in the report's blue, in the given order."""
        return self.chart(
            charts.bars(
                [name for name, _ in rows],
                [figure.value for _, figure in rows],
                title,
                colors=[charts.BLUE] * len(rows),
            ),
            alt=title,
        )

    def comparison(self, metric: str, dimension: str = "", service: str | None = None, unit: str = "") -> str | None:
        figure = self.data.figure(metric, dimension)
        if figure is None:
            return None
        return compare_existing(
            figure.value, figure.prev_month, figure.prev_year, self.month, since=self.since(service), unit=unit
        )

    def comparison_chart(
        self, metric: str, title: str, dimension: str = "", service: str | None = None, id: str | None = None
    ) -> Chart | None:
        """Bars: the same month a year earlier, the previous month, this month — those published and
        in which the service existed; none when every bar would be zero."""
        figure = self.data.figure(metric, dimension)
        if figure is None:
            return None
        since = self.since(service)
        points = [
            (add_months(self.month, -12), figure.prev_year),
            (add_months(self.month, -1), figure.prev_month),
            (self.month, figure.value),
        ]
        points = [
            (month_label(day), value) for day, value in points if value is not None and (since is None or day >= since)
        ]
        if not any(value for _, value in points):
            return None
        return self.chart(
            charts.bars([label for label, _ in points], [value for _, value in points], title), alt=title, id=id
        )

    @staticmethod
    def ranked(rows: list[tuple[str, float]], count: int) -> list[tuple[str, float]]:
        """The ``count`` largest (name, value) rows, most first (ties by name); a row tied with the last
        one shown is shown too (the reference lists four Live Chat topics of two tickets each)."""
        rows = sorted(((name, value) for name, value in rows if value), key=lambda row: (-row[1], row[0]))
        if len(rows) <= count:
            return rows
        return [row for row in rows if row[1] >= rows[count - 1][1]]

    def split_breakdown(self, metric: str, first: str) -> list[tuple[str, float]]:
        """The second part and value of every ``<first> | <second>`` dimension of ``metric``."""
        rows = []
        for dimension, figure in self.data.breakdown(metric):
            head, _, tail = dimension.partition(" | ")
            if head == first and tail:
                rows.append((tail, figure.value))
        return rows

    def channel_topics(self, channel: str, count: int = 3) -> list[tuple[str, float]]:
        return self.ranked(self.split_breakdown("tickets_by_channel_topic", channel), count)

    def pemda_topics(self, pemda: str, count: int = 4) -> list[tuple[str, float]]:
        return self.ranked(self.split_breakdown("tickets_by_pemda_topic", pemda), count)

    def list_table(self, list_spec: dict, total_metric: str | None = None) -> Block | None:
        """The month's items of a ``published.report_lists`` list in the edition's columns."""
        items = self.data.items(list_spec["name"])
        if not items:
            if items is not None and total_metric and self.data.value(total_metric) == 0:
                return None
            return Missing(what="Rincian")
        columns = [LIST_COLUMNS[code] for code in list_spec["columns"]]
        return Table(
            headers=[header for header, *_ in columns],
            rows=[[cell(item) for _, cell, *_ in columns] for item in items],
            numeric={i for i, column in enumerate(columns) if column[2]},
            unbroken={i for i, column in enumerate(columns) if column[3]},
        )

    # --- cover, closing, static -----------------------------------------------------------------------

    def slide_cover(self, spec: SlideSpec) -> Slide:
        period = spec.option("period_prefix", "") + self.label
        colophon = "Disusun dari data layanan yang telah lolos pemeriksaan"
        if self.published_version:
            colophon += f"; versi publikasi ke-{self.published_version}"
        return Slide(
            spec.id,
            self.title(spec),
            [Paragraph(id="periode", text=period), Paragraph(text=colophon + ".")],
            kind="cover",
        )

    def slide_closing(self, spec: SlideSpec) -> Slide:
        return Slide(
            spec.id, self.title(spec), [Paragraph(text=line) for line in spec.option("lines", [])], kind="closing"
        )

    def slide_contacts(self, spec: SlideSpec) -> Slide:
        tiles = [Tile(label=item["label"], value=str(item["value"])) for item in spec.option("items", [])]
        return Slide(spec.id, self.title(spec), [Tiles(id="kontak", tiles=tiles)])

    def _static_blocks(self, entry: dict) -> list[Block]:
        blocks: list[Block] = [Paragraph(text=self.text(text)) for text in entry.get("paragraphs", [])]
        if entry.get("numbered"):
            blocks.append(Bullets(items=[self.text(text) for text in entry["numbered"]], ordered=True))
        if entry.get("bullets"):
            blocks.append(Bullets(items=[self.text(text) for text in entry["bullets"]]))
        if entry.get("terms"):
            blocks.append(Terms(items=[(term["term"], self.text(term["text"])) for term in entry["terms"]]))
        if entry.get("after"):
            blocks.append(Paragraph(text=self.text(entry["after"])))
        return blocks

    def slide_static(self, spec: SlideSpec) -> Slide:
        blocks = self._static_blocks(spec.options)
        if spec.option("columns"):
            blocks.append(
                Columns(
                    columns=[
                        Column(column["heading"], self._static_blocks(column)) for column in spec.option("columns")
                    ]
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_narrative(self, spec: SlideSpec) -> Slide | None:
        """A slide the team writes (lib/narratives.py): the evaluation, or another ``part``; a part that is
        ``optional`` (not written every month) is left out when the month has none."""
        part = spec.option("part", EVALUATION)
        if html := self.narratives.get(part):
            return Slide(spec.id, self.title(spec), [Narrative(html=html)])
        if spec.option("optional"):
            return None
        return Slide(spec.id, self.title(spec), [Missing(what="Evaluasi dan saran bulan ini")], available=False)

    # --- counts and lists -----------------------------------------------------------------------------

    def slide_summary(self, spec: SlideSpec) -> Slide:
        tiles = []
        for tile in spec.option("tiles", []):
            value = self.data.value(tile["metric"])
            tiles.append(
                Tile(
                    label=tile["label"],
                    value=format_int(value) if value is not None else "–",
                    note=tile.get("note", "") if value is not None else MISSING,
                    id=f"ringkasan-{tile['metric']}",
                    available=value is not None,
                )
            )
        return Slide(spec.id, self.title(spec), [Tiles(tiles=tiles)])

    def slide_count(self, spec: SlideSpec) -> Slide:
        metric = spec.option("metric")
        figure = self.data.figure(metric)
        if figure is None:
            return self.missing_slide(spec)
        blocks: list[Block] = []
        if spec.option("intro"):
            blocks.append(Paragraph(text=self.text(spec.option("intro"))))
        blocks.append(
            Paragraph(id=f"{spec.id}-teks", text=self.text(spec.option("sentence"), nilai=format_number(figure.value)))
        )
        said = self.comparison(metric, service=spec.service)
        if said and spec.option("comparison"):
            blocks.append(
                Paragraph(id=f"{spec.id}-perbandingan", text=self.text(spec.option("comparison"), perbandingan=said))
            )
        if spec.option("list"):
            table = self.list_table(spec.option("list"), metric)
            if table is not None:
                blocks.append(table)
        if spec.option("chart"):
            chart = self.comparison_chart(metric, self.text(spec.option("chart")), service=spec.service)
            if chart:
                blocks.append(chart)
        return Slide(spec.id, self.title(spec), blocks)

    def slide_list(self, spec: SlideSpec) -> Slide | None:
        table = self.list_table(spec.option("list"))
        if table is None or (isinstance(table, Missing) and self.data.items(spec.option("list")["name"]) == []):
            return None  # nothing happened this month: the count slide already says so
        return Slide(spec.id, self.title(spec), [table], available=not isinstance(table, Missing))

    # --- website and tickets --------------------------------------------------------------------------

    def top_pages(self, count: int) -> list[str]:
        """The most visited pages, first the most visited (the published value is the rank)."""
        return [
            page for page, _ in sorted(self.data.breakdown("website_top_pages"), key=lambda row: row[1].value)[:count]
        ]

    def slide_website(self, spec: SlideSpec) -> Slide:
        users = self.data.figure("website_active_users")
        if users is None:
            return self.missing_slide(spec)
        text = f"Jumlah pengunjung Website DJPK selama bulan {self.bulan} sekitar {format_int(users.value)} pengunjung"
        said = self.comparison("website_active_users")
        blocks: list[Block] = [Paragraph(id="website-teks", text=text + (f", {said}." if said else "."))]
        pages = self.top_pages(spec.option("top_pages", 3))
        if pages:
            blocks += [
                Paragraph(text="Halaman yang paling banyak diakses antara lain:"),
                Bullets(items=pages, ordered=True),
            ]
        chart = self.comparison_chart("website_active_users", "Pengunjung Website DJPK")
        return Slide(spec.id, self.title(spec), blocks + ([chart] if chart else []))

    def slide_tickets(self, spec: SlideSpec) -> Slide:
        total = self.data.figure("tickets_total")
        if total is None:
            return self.missing_slide(spec)
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = [
            Tiles(tiles=[Tile(label="Tiket Konsultasi", value=format_int(total.value), id="tiket-total")])
        ]
        rows, shares = [], []
        for code, name in CHANNEL_NAMES.items():
            figure = self.data.figure("tickets_by_channel", code)
            if figure is None:
                continue
            since = self.since(CHANNEL_SERVICES.get(code))

            def shown(value, offset, since=since):
                existed = since is None or add_months(self.month, offset) >= since
                return format_number(value) if value is not None and existed else "-"

            share = percent_of(figure.value, total.value)
            rows.append(
                [
                    name,
                    format_int(figure.value),
                    format_pct(share) if share is not None else "-",
                    shown(figure.prev_month, -1),
                    shown(figure.prev_year, -12),
                ]
            )
            shares.append((name, figure.value))
        if rows:
            blocks.append(Paragraph(text=f"Pengguna layanan per media konsultasi bulan {self.bulan}:"))
            blocks.append(
                Table(
                    headers=["Media", "Pengguna", "Porsi", "Bulan sebelumnya", year_before],
                    rows=rows,
                    numeric={1, 2, 3, 4},
                )
            )
            shares = [(name, value) for name, value in shares if value]
            if shares:
                blocks.append(
                    self.chart(
                        charts.pie(
                            [name for name, _ in shares],
                            [value for _, value in shares],
                            f"Tiket konsultasi per media, {self.label}",
                        ),
                        alt="Tiket konsultasi per media",
                    )
                )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_tickets_trend(self, spec: SlideSpec) -> Slide:
        total = self.data.figure("tickets_total")
        if total is None:
            return self.missing_slide(spec)
        blocks: list[Block] = []
        if total.prev_month is not None:
            blocks.append(
                Paragraph(
                    id="tiket-mom",
                    text=(
                        f"Jumlah konsultasi bulan {self.label} {compare(total.value, total.prev_month, 'bulan sebelumnya')}."
                    ),
                )
            )
        if total.prev_year is not None:
            year_before = month_label(add_months(self.month, -12))
            blocks.append(
                Paragraph(
                    id="tiket-yoy",
                    text=year_over_year(total.value, total.prev_year, year_before, "konsultasi"),
                )
            )
        published = dict(self.data.trend("tickets_total"))
        window = [add_months(self.month, offset) for offset in range(-12, 1)]
        blocks.append(
            self.chart(
                charts.trend(
                    [month_short(day) for day in window],
                    [published.get(day) for day in window],
                    "Jumlah konsultasi, 13 bulan terakhir",
                    "konsultasi",
                ),
                alt="Perkembangan jumlah konsultasi 13 bulan terakhir",
                id="grafik-tren-tiket",
            )
        )
        if len(published) < len(window):
            blocks.append(
                Paragraph(
                    text=(
                        f"Grafik memuat {len(published)} dari 13 bulan terakhir: bulan tanpa batang belum dipublikasikan."
                    )
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def subtopics(self, topic: str) -> list[tuple[str, float]]:
        """The sub-topics of ``topic``, most asked first."""
        rows = [
            (dimension.split(" | ", 1)[1], figure.value)
            for dimension, figure in self.data.breakdown("tickets_by_subtopic")
            if dimension.split(" | ", 1)[0] == topic
        ]
        return sorted(rows, key=lambda row: (-row[1], row[0]))

    def slide_topics(self, spec: SlideSpec) -> Slide:
        topics = self.data.breakdown("tickets_by_topic")
        if not topics:
            return self.missing_slide(spec)
        excluded = set(spec.option("non_technical", ["Surat Masuk", "Lainnya", "Reservasi", "Pengaduan"]))
        technical = [name for name, _ in topics if name not in excluded][: spec.option("technical_topics", 3)]
        columns = []
        for topic in technical:
            rows = self.subtopics(topic)[: spec.option("subtopics_per_topic", 4)]
            if rows:
                columns.append(Column(f"Topik {topic}", [Bullets(items=[name for name, _ in rows], ordered=True)]))
        blocks: list[Block] = [
            Paragraph(
                text=(
                    f"Topik konsultasi teknis terbanyak bulan {self.bulan} adalah {', '.join(technical[:-1])} dan {technical[-1]}; "
                    "sub-topik yang paling banyak ditanyakan:"
                    if len(technical) > 1
                    else f"Sub-topik konsultasi teknis bulan {self.bulan} yang paling banyak ditanyakan:"
                )
            )
        ]
        blocks.append(Columns(columns=columns) if columns else Missing(what="Sub-topik konsultasi"))
        return Slide(spec.id, self.title(spec), blocks)

    def slide_other_topics(self, spec: SlideSpec) -> Slide | None:
        descriptions = spec.option("descriptions", {})
        present = [(name, figure) for name, figure in self.data.breakdown("tickets_by_topic") if name in descriptions]
        if not present:
            return None
        order = list(descriptions)
        present.sort(key=lambda row: order.index(row[0]))
        return Slide(
            spec.id,
            self.title(spec),
            [
                Terms(
                    items=[
                        (f"{name} ({format_int(figure.value)} tiket)", descriptions[name]) for name, figure in present
                    ]
                )
            ],
        )

    def slide_complaints(self, spec: SlideSpec) -> Slide:
        figure = self.data.figure("complaints_total")
        if figure is None:
            return self.missing_slide(spec)
        if figure.value == 0:
            return Slide(
                spec.id,
                self.title(spec),
                [Paragraph(id="pengaduan-teks", text=(f"Pada bulan {self.bulan}, tidak terdapat pengaduan."))],
            )
        text = f"Pada bulan {self.bulan}, terdapat {format_int(figure.value)} pengaduan"
        # each complaint as the agent described it, with the register name of its pemda (no user's data)
        described = [self._complaint(item) for item in self.data.items("complaints") or [] if item.detail]
        if len(described) != figure.value:
            return Slide(spec.id, self.title(spec), [Paragraph(id="pengaduan-teks", text=text + ".")])
        if len(described) == 1:
            return Slide(spec.id, self.title(spec), [Paragraph(id="pengaduan-teks", text=f"{text}: {described[0]}.")])
        blocks: list[Block] = [
            Paragraph(id="pengaduan-teks", text=text + ":"),
            Bullets(id="pengaduan-daftar", items=described[:MAX_LISTED_COMPLAINTS]),
        ]
        if len(described) > MAX_LISTED_COMPLAINTS:
            blocks.append(
                Paragraph(
                    id="pengaduan-lainnya",
                    text=(
                        f"Ditampilkan {MAX_LISTED_COMPLAINTS} pengaduan pertama; "
                        f"{format_int(len(described) - MAX_LISTED_COMPLAINTS)} pengaduan lainnya tercatat lengkap "
                        "pada data pengaduan bulan ini."
                    ),
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    @staticmethod
    def _complaint(item) -> str:
        detail = item.detail.strip().rstrip(".")
        detail = detail[0].lower() + detail[1:] if detail[:1].isupper() and not detail[:2].isupper() else detail
        return detail + (f" ({item.label})" if item.label else "")

    def slide_user_categories(self, spec: SlideSpec) -> Slide:
        categories = self.data.breakdown("tickets_by_category")
        if not categories:
            return self.missing_slide(spec)
        notes = spec.option("categories", {})
        order = list(notes)
        categories.sort(key=lambda row: order.index(row[0]) if row[0] in order else len(order))
        tiles = [
            Tile(label=name, value=f"{format_int(figure.value)} pengguna", note=notes.get(name, ""))
            for name, figure in categories
        ]
        chart = self.chart(
            charts.pie(
                [name for name, _ in categories],
                [figure.value for _, figure in categories],
                f"Pengguna layanan per kategori, {self.label}",
            ),
            alt="Pengguna layanan per kategori",
        )
        return Slide(spec.id, self.title(spec), [Tiles(tiles=tiles), chart])

    def slide_top_pemda(self, spec: SlideSpec) -> Slide:
        pemda = self.data.breakdown("tickets_by_pemda")[: spec.option("count", 4)]
        if not pemda:
            return self.missing_slide(spec)
        labels = spec.option("topic_labels", {})
        terms = []
        for name, figure in pemda:
            topics = [
                labels.get(topic, topic) for topic, _ in self.pemda_topics(name, spec.option("topics_per_pemda", 4))
            ]
            terms.append((f"{name} ({format_int(figure.value)})", join_words(topics)))
        blocks: list[Block] = [Terms(id="pemda-daftar", items=terms)]
        blocks.append(
            self.chart(
                charts.horizontal_bars(
                    [name for name, _ in pemda],
                    [figure.value for _, figure in pemda],
                    f"Pemda pengguna terbanyak, {self.label}",
                    "tiket",
                ),
                alt="Pemda pengguna terbanyak",
            )
        )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_service_hours(self, spec: SlideSpec) -> Slide:
        total = self.data.value("tickets_total")
        identified = self.data.value("tickets_tz_identified")
        unidentified = self.data.value("tickets_tz_unidentified")
        inside = self.data.value("tickets_in_service_hours")
        outside = self.data.value("tickets_out_of_service_hours")
        if None in (total, identified, unidentified, inside, outside):
            return self.missing_slide(spec)
        blocks: list[Block] = [
            Paragraph(
                text=(
                    f"Selama bulan {self.bulan}, dari total {format_int(total)} tiket konsultasi, sebanyak "
                    f"{format_int(identified)} tiket dapat diidentifikasi asal zona waktunya, sedangkan "
                    f"{format_int(unidentified)} tiket sisanya tidak dapat diidentifikasi."
                )
            ),
            Paragraph(
                id="jam-layanan-teks",
                text=(
                    f"Dari {format_int(identified)} tiket yang dapat diidentifikasi zona waktunya, {format_int(inside)} "
                    f"pengguna layanan menghubungi DJPK di dalam jam layanan, sedangkan {format_int(outside)} sisanya "
                    "menghubungi DJPK di luar jam layanan yang terdiri dari:"
                ),
            ),
        ]
        zones = [(zone, self.data.value("tickets_out_of_service_hours", zone)) for zone in TIME_ZONES]
        zones = [(zone, value) for zone, value in zones if value is not None]
        items = []
        for zone, value in zones:
            share = percent_of(value, outside)
            items.append(
                f"{format_int(value)}"
                + (f" ({format_pct(share)})" if share is not None else "")
                + f" dari {TIME_ZONES[zone]}"
            )
        blocks.append(Bullets(items=items))
        if any(value for _, value in zones):
            blocks.append(
                self.chart(
                    charts.bars(
                        [zone for zone, _ in zones],
                        [value for _, value in zones],
                        "Tiket di luar jam layanan per wilayah",
                        "tiket",
                        colors=[charts.BLUE] * len(zones),
                    ),
                    alt="Tiket di luar jam layanan per wilayah",
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_escalation(self, spec: SlideSpec) -> Slide:
        total = self.data.value("tickets_total")
        escalated = self.data.figure("tickets_escalated")
        pct = self.data.figure("tickets_escalated_pct")
        if total is None or escalated is None or pct is None:
            return self.missing_slide(spec)
        if escalated.value == 0:
            return Slide(
                spec.id,
                self.title(spec),
                [
                    Paragraph(
                        id="eskalasi-teks",
                        text=(
                            f"Dari {format_int(total)} tiket konsultasi bulan {self.bulan}, tidak terdapat tiket yang "
                            "memerlukan eskalasi ke unit teknis."
                        ),
                    )
                ],
            )
        topics = [
            name
            for name, _ in self.ranked(
                [(name, figure.value) for name, figure in self.data.breakdown("tickets_escalated_by_topic")],
                spec.option("topics", 4),
            )
        ]
        about = f" dengan topik terkait {join_words(topics)}" if topics else ""
        blocks: list[Block] = [
            Paragraph(
                id="eskalasi-teks",
                text=(
                    f"Dari {format_int(total)} tiket konsultasi, terdapat {format_int(escalated.value)} tiket atau "
                    f"{format_pct(pct.value)} memerlukan eskalasi lebih lanjut ke unit teknis{about}."
                ),
            )
        ]
        blocks.append(
            self.chart(
                charts.pie(
                    ["Dieskalasi", "Diselesaikan agen"],
                    [escalated.value, total - escalated.value],
                    "Persentase eskalasi tiket",
                ),
                alt="Persentase eskalasi tiket",
                id="grafik-eskalasi",
            )
        )
        return Slide(spec.id, self.title(spec), blocks)

    # --- channels ----------------------------------------------------------------------------------

    def slide_channel(self, spec: SlideSpec) -> Slide:
        code = spec.option("channel")
        figure = self.data.figure("tickets_by_channel", code)
        if figure is None:
            return self.missing_slide(spec)
        share = percent_of(figure.value, self.data.value("tickets_total"))
        blocks: list[Block] = []
        if spec.option("intro"):
            blocks.append(Paragraph(text=self.text(spec.option("intro"))))
        blocks.append(
            Paragraph(
                id=f"{spec.id}-teks",
                text=self.text(
                    spec.option("sentence"),
                    nilai=format_int(figure.value),
                    porsi=format_pct(share) if share is not None else "-",
                ),
            )
        )
        said = self.comparison("tickets_by_channel", code, service=spec.service)
        if said:
            blocks.append(
                Paragraph(id=f"{spec.id}-perbandingan", text=self.text(spec.option("comparison"), perbandingan=said))
            )
        topics = self.channel_topics(code, spec.option("top_topics", 3))
        if topics and spec.option("topics_sentence"):
            blocks.append(
                Paragraph(
                    id=f"{spec.id}-topik",
                    text=self.text(spec.option("topics_sentence"), topik=join_words([name for name, _ in topics])),
                )
            )
        if spec.option("calls_table"):
            blocks.append(self.calls_table())
        if spec.option("chart"):
            chart = self.comparison_chart(
                "tickets_by_channel", self.text(spec.option("chart")), code, service=spec.service
            )
            if chart:
                blocks.append(chart)
        if topics and spec.option("topics_chart"):
            blocks.append(
                self.chart(
                    charts.horizontal_bars(
                        [name for name, _ in topics],
                        [value for _, value in topics],
                        self.text(spec.option("topics_chart")),
                        "tiket",
                    ),
                    alt=self.text(spec.option("topics_chart")),
                    id=f"grafik-{spec.id}-topik",
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def calls_table(self) -> Block:
        labels = [
            ("calls_offered", "Panggilan masuk", format_int),
            ("calls_answered", "Panggilan terjawab", format_int),
            ("calls_abandoned", "Panggilan tidak terjawab", format_int),
            ("calls_abandoned_pct", "Persentase tidak terjawab", format_pct),
            ("calls_service_level_pct", "Tingkat layanan (SLA)", format_pct),
            (
                "calls_avg_speed_of_answer_seconds",
                "Rata-rata waktu tunggu sampai terjawab (detik)",
                lambda value: format_decimal(value, 1),
            ),
        ]
        rows = []
        for metric, label, fmt in labels:
            figure = self.data.figure(metric)
            if figure is not None:
                rows.append(
                    [label, fmt(figure.value), fmt(figure.prev_month) if figure.prev_month is not None else "-"]
                )
        if not rows:
            return Missing(what="Panggilan telepon")
        return Table(
            id="telepon-panggilan",
            headers=["Panggilan telepon", self.bulan, "Bulan sebelumnya"],
            rows=rows,
            numeric={1, 2},
        )

    def slide_chatbot(self, spec: SlideSpec) -> Slide:
        sessions = self.data.figure("chatbot_sessions_without_agent")
        if sessions is None:
            return self.missing_slide(spec)
        blocks: list[Block] = [
            Paragraph(
                id="chatbot-teks",
                text=(
                    f"Pada bulan {self.bulan}, jumlah pengguna layanan Chatbot (tanpa Chat Agent) adalah sebanyak "
                    f"{format_int(sessions.value)} pengguna."
                ),
            )
        ]
        menu = self.data.breakdown("chatbot_menu")
        if menu:
            blocks.append(Paragraph(text="Menu yang diakses adalah sebagai berikut:"))
            blocks.append(
                Table(
                    headers=["Menu yang dipilih", "Jumlah"],
                    numeric={1},
                    rows=[[name, format_int(figure.value)] for name, figure in menu],
                    footer=["Total", format_int(sum(figure.value for _, figure in menu))],
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_email_lapor(self, spec: SlideSpec) -> Slide:
        total = self.data.figure("email_lapor_total")
        if total is None:
            return self.missing_slide(spec)
        categories = [(name, figure) for name, figure in self.data.breakdown("email_lapor_by_category") if figure.value]
        items = [f"Pada bulan {self.bulan}, telah diterima sebanyak {format_int(total.value)} email."]
        said = self.comparison("email_lapor_total")
        if said:
            items.append(f"Total email yang masuk selama bulan {self.bulan} {said}.")
        blocks: list[Block] = [Bullets(id="email-lapor-teks", items=items)]
        if categories:
            blocks.append(Paragraph(text=f"Kategori email yang diterima (total email: {format_int(total.value)}):"))
            blocks.append(
                Bullets(
                    id="email-lapor-kategori",
                    items=[f"{name}: {format_int(figure.value)}" for name, figure in categories],
                )
            )
        chart = self.comparison_chart("email_lapor_total", self.text(spec.option("chart", "Jumlah Email Lapor")))
        return Slide(spec.id, self.title(spec), blocks + ([chart] if chart else []))

    def slide_face_to_face(self, spec: SlideSpec) -> Slide:
        visits = self.data.figure("face_to_face_total")
        if visits is None:
            return self.missing_slide(spec)
        text = f"Selama bulan {self.bulan}, telah dilaksanakan {format_int(visits.value)} kali konsultasi tatap muka"
        cumulative = self.data.value("face_to_face_cumulative")
        if cumulative is not None:
            text += (
                f" sehingga jumlah konsultasi tatap muka yang telah dilaksanakan sejak "
                f"{services()['face_to_face_cumulative'].since.year} sebanyak {format_int(cumulative)}"
            )
        blocks: list[Block] = [Paragraph(id="tatap-muka-teks", text=text + ".")]
        facts = []
        guests = self.data.value("face_to_face_guests")
        if guests is not None:
            facts.append(f"Jumlah tamu yang hadir: {format_int(guests)} orang.")
        with_sppd, without_sppd = (
            self.data.value("face_to_face_with_sppd"),
            self.data.value("face_to_face_without_sppd"),
        )
        if with_sppd is not None and without_sppd is not None:
            facts.append(f"Kunjungan dengan SPPD: {format_int(with_sppd)}; tanpa SPPD: {format_int(without_sppd)}.")
        declined = self.data.value("reservations_declined")
        if declined is not None:
            facts.append(f"Permintaan reservasi yang ditolak: {format_int(declined)}.")
        if facts:
            blocks.append(Bullets(items=facts))
        over = self.data.value("face_to_face_over_guest_limit")
        if over:
            blocks.append(
                Paragraph(
                    id="tatap-muka-ketentuan",
                    text=(
                        f"Namun, dalam pelaksanaannya terdapat {format_int(over)} kunjungan Pemerintah Daerah yang belum "
                        "mematuhi ketentuan pelaksanaan konsultasi tatap muka: jumlah tamu yang hadir melebihi ketentuan."
                    ),
                )
            )
        chart = self.comparison_chart("face_to_face_total", "Jumlah konsultasi tatap muka")
        return Slide(spec.id, self.title(spec), blocks + ([chart] if chart else []))

    # --- social media ---------------------------------------------------------------------------------

    def _as_of(self) -> str:
        end = month_end(self.month)
        return f"per {end.day} {month_name(end)}"

    def _platform(
        self, spec: SlideSpec, prefix: str, rows: list[tuple[str, str]], name: str, tiles: list[tuple[str, str]] = ()
    ) -> Slide:
        followers = self.data.figure(f"{prefix}_followers")
        table_rows = [
            [label, format_number(self.data.value(metric))]
            for metric, label in rows
            if self.data.value(metric) is not None
        ]
        if followers is None and not table_rows:
            return self.missing_slide(spec)
        blocks: list[Block] = []
        shown_tiles = [
            Tile(label=label, value=format_int(self.data.value(metric)))
            for metric, label in tiles
            if self.data.value(metric) is not None
        ]
        if shown_tiles:
            blocks.append(Tiles(tiles=shown_tiles))
        if followers is not None:
            said = compare(followers.value, followers.prev_month, "bulan sebelumnya")
            blocks.append(
                Paragraph(
                    id=f"{spec.id}-pengikut",
                    text=(
                        f"Jumlah pengikut {name} {self._as_of()} sebanyak {format_int(followers.value)}"
                        + (f", {said}." if said else ".")
                    ),
                )
            )
        if table_rows:
            blocks.append(Table(headers=["", self.bulan], rows=table_rows, numeric={1}))
        chart = self.comparison_chart(f"{prefix}_followers", f"Pengikut {name}", id=f"grafik-{spec.id}-pengikut")
        return Slide(spec.id, self.title(spec), blocks + ([chart] if chart else []))

    def slide_instagram(self, spec: SlideSpec) -> Slide:
        return self._platform(
            spec,
            "instagram",
            [
                ("instagram_followers", f"Pengikut ({self._as_of()})"),
                ("instagram_reach_total", "Jangkauan (total)"),
                ("instagram_reach_avg", "Jangkauan (rata-rata)"),
            ],
            "Instagram @ditjenpk",
            tiles=[("instagram_feed_posts", "Unggahan feed"), ("instagram_stories", "Unggahan story")],
        )

    def slide_x(self, spec: SlideSpec) -> Slide:
        return self._platform(
            spec,
            "x",
            [("x_followers", f"Pengikut ({self._as_of()})"), ("x_impressions", "Tayangan unggahan")],
            "X @DitjenPK",
            tiles=[("x_posts", "Jumlah konten")],
        )

    def slide_facebook(self, spec: SlideSpec) -> Slide:
        return self._platform(
            spec,
            "facebook",
            [("facebook_followers", f"Pengikut ({self._as_of()})"), ("facebook_reach_avg", "Jangkauan (rata-rata)")],
            "Facebook",
            tiles=[("facebook_posts", "Jumlah konten")],
        )

    # --- other services -------------------------------------------------------------------------------

    def slide_advocacy(self, spec: SlideSpec) -> Slide:
        employees = self.data.value("advocacy_employees")
        activations = self.data.value("advocacy_activations")
        if employees is None and activations is None:
            return self.missing_slide(spec)
        tiles = []
        target, headcount = self.data.value("advocacy_target_employees"), self.data.value("advocacy_headcount")
        quarter = f"Q{(self.month.month - 1) // 3 + 1}"
        for metric, label, fmt, note in [
            ("advocacy_employees", "Jumlah Pegawai", format_int, ""),
            ("advocacy_activations", "Jumlah Aktivasi", format_int, ""),
            (
                "advocacy_target_pct",
                "Persentase Target",
                format_pct,
                "terhadap target jumlah pegawai "
                + (f"{quarter}: {format_int(target)}" if target is not None else quarter),
            ),
            (
                "advocacy_employee_pct",
                "Persentase Pegawai",
                format_pct,
                "terhadap keseluruhan jumlah pegawai" + (f" {format_int(headcount)}" if headcount is not None else ""),
            ),
            ("advocacy_accounts", "Jumlah Medsos", format_int, ""),
        ]:
            value = self.data.value(metric)
            if value is not None:
                tiles.append(Tile(label=label, value=fmt(value), note=note))
        blocks: list[Block] = [Tiles(tiles=tiles)]
        types = self.data.breakdown("advocacy_activations")
        if types:
            whole = activations or sum(figure.value for _, figure in types)
            blocks.append(
                Table(
                    headers=["Jenis aktivasi", "Jumlah", "Porsi"],
                    numeric={1, 2},
                    rows=[
                        [
                            readable(name, spec.option("activation_labels")),
                            format_int(figure.value),
                            format_pct(percent_of(figure.value, whole) or 0),
                        ]
                        for name, figure in types
                    ],
                )
            )
        platforms = self.data.breakdown("advocacy_accounts")
        if platforms:
            blocks.append(
                Table(
                    headers=["Media sosial", "Akun"],
                    numeric={1},
                    rows=[
                        [readable(name, spec.option("platform_labels")), format_int(figure.value)]
                        for name, figure in platforms
                    ],
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_faq(self, spec: SlideSpec) -> Slide:
        units = self.data.breakdown("faq_needing_review")
        total = self.data.figure("faq_needing_review")
        if not units and total is None:
            return self.missing_slide(spec)
        previous = month_name(add_months(self.month, -1))
        blocks: list[Block] = []
        # the three months as the month's own review sheet gives them ("Data 3 bulan terakhir")
        before = {
            offset: self.data.figure(metric)
            for offset, metric in ((1, "faq_needing_review_1_month_before"), (2, "faq_needing_review_2_months_before"))
        }
        if total is not None:
            said = compare(total.value, before[1].value if before[1] else total.prev_month, "bulan sebelumnya")
            blocks.append(
                Paragraph(
                    id="faq-teks",
                    text=(
                        f"Pada bulan {self.bulan}, terdapat {format_int(total.value)} FAQ/knowledge base yang perlu direview"
                        + (f", {said}." if said else ".")
                    ),
                )
            )
        blocks.append(
            Paragraph(
                text=(
                    "Data 3 bulan terakhir diperoleh dari lembar review FAQ berdasarkan isian pada kolom perbaikan. Status 0 "
                    "artinya knowledge base sudah direview seluruhnya oleh unit teknis."
                )
            )
        )
        if units and before[1] is not None and before[2] is not None:
            months = [month_name(add_months(self.month, -2)), previous, self.bulan]
            columns = [
                ("faq_needing_review_2_months_before", before[2]),
                ("faq_needing_review_1_month_before", before[1]),
                ("faq_needing_review", total),
            ]
            rows = []
            for name, _ in sorted(units, key=lambda row: row[0]):
                rows.append([name] + [format_int(self.data.value(metric, name) or 0) for metric, _ in columns])
            blocks.append(
                Table(
                    id="faq-tabel",
                    headers=["Unit"] + months,
                    numeric={1, 2, 3},
                    rows=rows,
                    footer=["Jumlah"] + [format_int(figure.value) if figure else "-" for _, figure in columns],
                )
            )
            return Slide(spec.id, self.title(spec), blocks)
        if units:
            blocks.append(
                Table(
                    headers=["Unit", previous, self.bulan],
                    numeric={1, 2},
                    rows=[
                        [
                            name,
                            format_int(figure.prev_month) if figure.prev_month is not None else "-",
                            format_int(figure.value),
                        ]
                        for name, figure in units
                    ],
                    footer=[
                        "Jumlah",
                        format_int(total.prev_month) if total and total.prev_month is not None else "-",
                        format_int(total.value) if total else "-",
                    ],
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_satisfaction(self, spec: SlideSpec) -> Slide:
        overall = self.data.figure("csat_avg")
        agents = self.data.breakdown("csat_avg")
        if overall is None and not agents:
            return self.missing_slide(spec)
        blocks: list[Block] = [
            Paragraph(
                text=(
                    "Survei kepuasan dihitung dari faktor Kepuasan Layanan dan Substansi Jawaban yang diberikan di setiap "
                    "akhir konsultasi."
                )
            )
        ]
        if overall is not None:
            blocks.insert(
                0,
                Tiles(
                    tiles=[
                        Tile(
                            label=f"Rata-rata nilai kepuasan {self.bulan}",
                            value=format_decimal(overall.value, 1),
                            id="kepuasan-nilai",
                        )
                    ]
                ),
            )
        if agents:
            # agents are staff: their display names are shown (users' names never reach the published schema)
            blocks.append(self.per_agent_chart(sorted(agents, key=lambda row: row[0]), "Nilai kepuasan per agen"))
        return Slide(spec.id, self.title(spec), blocks)


def pending_parts(edition: Edition) -> list[tuple[str, str, str]]:
    """(slide title, metric, what) of every part an edition waits for (docs/report-editions.md)."""
    return [(spec.title, item.metric, item.what) for spec in edition.slides for item in spec.pending]
