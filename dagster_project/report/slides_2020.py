"""Slide kinds of the 2020 edition (the January 2020 report): contact-center users, purposes,
sub-topic tables, queue calls, service level, WhatsApp, video conferences, guest visits, website,
social media. Mixed into :class:`slides.SlideBuilder`, whose helpers they use."""

from __future__ import annotations

from collections import Counter

from ..lib.months import add_months
from ..lib.wording import (
    MONTH_ABBREVIATIONS,
    change_words,
    compare,
    date_label,
    format_decimal,
    format_int,
    format_minutes_seconds,
    format_number,
    format_pct,
    join_words,
    month_label,
    month_name,
    percent_of,
    year_over_year,
)
from . import charts
from .blocks import Block, Bullets, Column, Columns, Paragraph, Slide, Table, Tile, Tiles
from .editions import SlideSpec

PURPOSES = {
    "konsultasi": "Konsultasi",
    "reservasi": "Reservasi",
    "keperluan_lainnya": "Keperluan lainnya",
    "pengaduan": "Pengaduan",
}
NON_TECHNICAL = {"Surat Masuk", "Lainnya", "Reservasi", "Pengaduan"}


class Era2020Slides:
    def slide_users_2020(self, spec: SlideSpec) -> Slide:
        total = self.data.figure("tickets_total")
        if total is None:
            return self.missing_slide(spec)
        previous = month_label(add_months(self.month, -1))
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = [
            Tiles(
                tiles=[
                    Tile(label=f"Pengguna Contact Center {self.label}", value=format_int(total.value), id="tiket-total")
                ]
            )
        ]
        if total.prev_month is not None:
            blocks.append(
                Paragraph(
                    id="tiket-mom",
                    text=(
                        f"Jumlah pengguna Contact Center DJPK pada bulan {self.label} mencapai {format_int(total.value)}, "
                        f"{compare(total.value, total.prev_month, previous)}."
                    ),
                )
            )
        if total.prev_year is not None:
            blocks.append(
                Paragraph(
                    id="tiket-yoy",
                    text=year_over_year(total.value, total.prev_year, year_before, "pengguna"),
                )
            )
        published = dict(self.data.trend("tickets_total"))
        series = []
        for year in (self.month.year - 1, self.month.year):
            values = [published.get(self.month.replace(year=year, month=m)) for m in range(1, 13)]
            series.append((str(year), values))
        if any(value for _, values in series for value in values if value is not None):
            blocks.append(
                self.chart(
                    charts.grouped_bars(
                        list(MONTH_ABBREVIATIONS),
                        series,
                        f"Jumlah pengguna Contact Center, Januari–Desember ({self.month.year - 1}:{self.month.year})",
                    ),
                    alt="Jumlah pengguna Contact Center per bulan",
                    id="grafik-tren-tiket",
                )
            )
            blocks.append(
                Paragraph(
                    text=f"Grafik memuat {len(published)} dari 13 bulan terakhir: bulan tanpa batang "
                    "belum dipublikasikan."
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_purposes(self, spec: SlideSpec) -> Slide:
        purposes = [
            (name, figure)
            for name, figure in self.data.breakdown("tickets_by_purpose")
            if figure.value or figure.prev_year
        ]
        if not purposes:
            return self.missing_slide(spec)
        year_before = month_label(add_months(self.month, -12))
        total = sum(figure.value for _, figure in purposes)
        top_name, top = purposes[0]
        blocks: list[Block] = []
        consultations = dict(purposes).get("konsultasi")
        if consultations is not None and consultations.prev_year:
            blocks.append(
                Paragraph(
                    text=(
                        f"Jumlah konsultasi bulan {self.label} {change_words(consultations.value, consultations.prev_year)} "
                        f"dibandingkan periode yang sama pada tahun lalu ({year_before}: "
                        f"{format_int(consultations.prev_year)} frekuensi)."
                    )
                )
            )
        if all(figure.prev_year is not None for _, figure in purposes):
            prev_name, prev = max(purposes, key=lambda row: row[1].prev_year)
            prev_total = sum(figure.prev_year for _, figure in purposes)
            blocks.append(
                Paragraph(
                    text=(
                        f"Pada {year_before} sebesar {format_pct(percent_of(prev.prev_year, prev_total) or 0)} atau "
                        f"{format_int(prev.prev_year)} frekuensi untuk {PURPOSES.get(prev_name, prev_name).lower()}."
                    )
                )
            )
            blocks.append(
                self.chart(
                    charts.grouped_bars(
                        [PURPOSES.get(name, name) for name, _ in purposes],
                        [
                            (year_before, [figure.prev_year for _, figure in purposes]),
                            (self.label, [figure.value for _, figure in purposes]),
                        ],
                        f"Tujuan penggunaan layanan, {year_before} : {self.label}",
                    ),
                    alt="Tujuan penggunaan layanan",
                )
            )
        blocks.insert(
            0,
            Paragraph(
                id="tujuan-teks",
                text=(
                    f"Pada bulan {self.label} mayoritas pengguna menghubungi Contact Center untuk "
                    f"{PURPOSES.get(top_name, top_name).lower()}: {format_pct(percent_of(top.value, total) or 0)} atau "
                    f"{format_int(top.value)} frekuensi."
                ),
            ),
        )
        return Slide(
            spec.id, self.title(spec), blocks, subtitle=f"{month_label(add_months(self.month, -12))} : {self.label}"
        )

    def slide_other_purposes(self, spec: SlideSpec) -> Slide | None:
        other = self.data.figure("tickets_by_purpose", "keperluan_lainnya")
        if other is None:
            return None
        blocks: list[Block] = [
            Paragraph(
                id="keperluan-lainnya-teks",
                text=(
                    f"Pada bulan {self.label}, {format_int(other.value)} pengguna menghubungi Contact Center untuk keperluan "
                    "lainnya (selain konsultasi dan reservasi). Sub-topik yang tercatat pada topik berikut:"
                ),
            )
        ]
        tables = []
        for topic in spec.option("topics", ["Surat Masuk", "Lainnya"]):
            rows = self.subtopics(topic)
            if rows:
                tables.append(self.subtopic_table(topic, rows))
        return Slide(spec.id, self.title(spec), blocks + tables, subtitle=self.label, stacked=True)

    def slide_topics_chart(self, spec: SlideSpec) -> Slide:
        topics = [
            (name, figure)
            for name, figure in self.data.breakdown("tickets_by_topic")
            if name not in NON_TECHNICAL and figure.value
        ]
        if not topics:
            return self.missing_slide(spec)
        return Slide(
            spec.id,
            self.title(spec),
            [
                Paragraph(
                    text=f"Materi konsultasi yang paling banyak ditanyakan pada bulan {self.label} sebagai berikut:"
                ),
                self.chart(
                    charts.horizontal_bars(
                        [spec.option("topic_labels", {}).get(name, name) for name, _ in topics],
                        [figure.value for _, figure in topics],
                        f"Topik konsultasi, {self.label}",
                        "tiket",
                    ),
                    alt="Topik konsultasi",
                ),
            ],
            subtitle=self.label,
        )

    @staticmethod
    def subtopic_table(topic: str, rows: list[tuple[str, float]]) -> Table:
        return Table(
            headers=["No.", f"Sub Topik Konsultasi {topic}", "Jumlah"],
            numeric={0, 2},
            rows=[[str(number), name, format_int(value)] for number, (name, value) in enumerate(rows, start=1)],
        )

    def slide_subtopic_tables(self, spec: SlideSpec) -> list[Slide]:
        topics = [name for name, figure in self.data.breakdown("tickets_by_topic") if name not in NON_TECHNICAL]
        order = spec.option("topics", [])
        topics = [name for name in order if name in topics] + [name for name in topics if name not in order]
        labels = spec.option("topic_labels", {})
        tables = [
            self.subtopic_table(labels.get(topic, topic), rows) for topic in topics if (rows := self.subtopics(topic))
        ]
        per_slide = spec.option("per_slide", 2)
        slides = []
        for number, start in enumerate(range(0, len(tables), per_slide), start=1):
            title = self.title(spec) + (f" ({number})" if number > 1 else "")
            slides.append(
                Slide(
                    spec.id if number == 1 else f"{spec.id}-{number}",
                    title,
                    [Columns(columns=[Column("", [table]) for table in tables[start : start + per_slide]])],
                    subtitle=f"Contact Center 1500420 · {self.label}",
                )
            )
        return slides

    def slide_top_pemda_table(self, spec: SlideSpec) -> Slide:
        pemda = self.data.breakdown("tickets_by_pemda")[: spec.option("count", 15)]
        if not pemda:
            return self.missing_slide(spec)
        return Slide(
            spec.id,
            self.title(spec),
            [
                Table(
                    id="pemda-tabel",
                    headers=["No.", "Pemda Pengguna CC", "Frek"],
                    numeric={0, 2},
                    rows=[
                        [str(number), name, format_int(figure.value)]
                        for number, (name, figure) in enumerate(pemda, start=1)
                    ],
                )
            ],
            subtitle=self.label,
        )

    def slide_agent_performance(self, spec: SlideSpec) -> Slide:
        """Per agent, the factors of the agent performance index that the call records carry: calls
        answered, mean talk time and mean after-call work (agents are staff: their logins are shown)."""
        answered = self.data.breakdown("calls_answered_by_agent")
        if not answered:
            return self.missing_slide(spec)
        talk = dict(self.data.breakdown("calls_avg_talk_seconds_by_agent"))
        after_call = dict(self.data.breakdown("calls_avg_acw_seconds_by_agent"))
        ordered = sorted(answered, key=lambda row: (-row[1].value, row[0]))

        def duration(figure) -> str:
            return format_minutes_seconds(figure.value) if figure is not None else "-"

        return Slide(
            spec.id,
            self.title(spec),
            [
                Paragraph(
                    text=(
                        "Proses pengukuran Agen Performa Index saat ini tidak hanya berdasarkan jumlah customer yang "
                        "dilayani, melainkan juga dari lama bicara (talk time) dan waktu penyelesaian setelah panggilan "
                        f"(after call work, ACW) setiap agen. Berikut faktor yang tercatat pada bulan {self.label}:"
                    )
                ),
                Table(
                    id="performa-agen-tabel",
                    headers=["No.", "Agen", "Dijawab", "Bicara", "ACW"],
                    numeric={0, 2, 3, 4},
                    rows=[
                        [
                            str(number),
                            agent,
                            format_int(figure.value),
                            duration(talk.get(agent)),
                            duration(after_call.get(agent)),
                        ]
                        for number, (agent, figure) in enumerate(ordered, start=1)
                    ],
                ),
                Paragraph(
                    text="Bicara dan ACW: rata-rata per panggilan yang dijawab, dalam menit:detik.",
                ),
                self.per_agent_chart(ordered, "Panggilan dijawab per agen"),
            ],
            subtitle=self.label,
        )

    def slide_queue_calls(self, spec: SlideSpec) -> Slide:
        queued = self.data.figure("calls_queued")
        if queued is None:
            return self.missing_slide(spec)
        answered = self.data.figure("calls_queued_answered")
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = [
            Paragraph(
                text=(
                    "Queue Call atau antrian panggilan merupakan jumlah penelepon yang sudah terhubung dengan IVR Call Center, "
                    "namun belum tersambung dengan Agen Call Center."
                )
            )
        ]
        said = compare(queued.value, queued.prev_year, year_before)
        blocks.append(
            Paragraph(
                id="queue-teks",
                text=(
                    f"Jumlah queue call bulan {self.label} sebanyak {format_int(queued.value)}"
                    + (f", {said}." if said else ".")
                ),
            )
        )
        if answered is not None and (rate := percent_of(answered.value, queued.value)) is not None:
            line = (
                f"Tingkat respons bulan {self.label} {format_pct(rate)} (terjawab {format_int(answered.value)} "
                f"dari {format_int(queued.value)} queue call)"
            )
            prev_rate = percent_of(answered.prev_year, queued.prev_year)
            if prev_rate is not None:
                line += (
                    f", dibandingkan {year_before} sebesar {format_pct(prev_rate)} (terjawab "
                    f"{format_int(answered.prev_year)} dari {format_int(queued.prev_year)} queue call)"
                )
            blocks.append(Paragraph(text=line + "."))
        days = sorted(
            (dimension, figure.value)
            for dimension, figure in self.data.breakdown("calls_queued_by_date")
            if figure.value
        )
        if days:
            # the average is the queue calls over the days on which they occurred
            dates = join_words([str(int(day[-2:])) for day, _ in days])
            average = sum(value for _, value in days) / len(days)
            blocks.append(
                Paragraph(
                    id="queue-tanggal",
                    text=(
                        f"Queue call dijumpai di tanggal {dates} {month_name(self.month)} (rata-rata "
                        f"{format_decimal(average, 1)} queue call per tanggal)."
                    ),
                )
            )
        chart = self.comparison_chart("calls_queued", f"Jumlah queue call, {year_before} : {self.label}")
        return Slide(spec.id, self.title(spec), blocks + ([chart] if chart else []))

    def slide_service_level(self, spec: SlideSpec) -> Slide:
        level = self.data.figure("calls_service_level_pct")
        if level is None:
            return self.missing_slide(spec)
        abandoned = self.data.value("calls_abandoned_pct")
        if abandoned is None:
            abandoned = percent_of(self.data.value("calls_abandoned"), self.data.value("calls_offered"))
        text = f"Rata-rata SLA Dering DJPK bulan {self.label} adalah {format_pct(level.value)}"
        if abandoned is not None:
            text += f"; {format_pct(abandoned)} telepon tidak terjawab (abandon call)"
        return Slide(
            spec.id,
            self.title(spec),
            [
                Tiles(tiles=[Tile(label=f"SLA {self.label}", value=format_pct(level.value), id="sla-nilai")]),
                Paragraph(
                    text=(
                        "Service Level Agreement (SLA) menunjukkan banyaknya pelanggan yang terjawab teleponnya dalam kurun "
                        "waktu yang ditetapkan. Semakin besar SLA, semakin banyak penelepon yang cepat terjawab."
                    )
                ),
                Paragraph(id="sla-teks", text=text + "."),
                self.calls_table(),
            ],
        )

    def slide_whatsapp_2020(self, spec: SlideSpec) -> Slide:
        users = self.data.figure("whatsapp_users")
        if users is None:
            return self.missing_slide(spec)
        items = [f"Pada bulan {self.label} jumlah pengguna WhatsApp DJPK mencapai {format_int(users.value)} pengguna."]
        cumulative = self.data.value("whatsapp_users_cumulative")
        if cumulative is not None:
            items.append(
                f"Total sejak diluncurkan {month_label(self.since('whatsapp'))} hingga {self.label} mencapai "
                f"{format_int(cumulative)} pengguna."
            )
        chart = self.comparison_chart("whatsapp_users", "Jumlah pengguna WhatsApp DJPK", service="whatsapp")
        return Slide(
            spec.id, self.title(spec), [Bullets(id="whatsapp-pengguna", items=items)] + ([chart] if chart else [])
        )

    def slide_vicon_2020(self, spec: SlideSpec) -> Slide:
        total = self.data.figure("vicon_total")
        if total is None:
            return self.missing_slide(spec)
        items = [
            (
                "Selain melalui Call Center dan WhatsApp, masyarakat dapat berkonsultasi dengan tatap muka melalui "
                "layanan Video Conference."
            )
        ]
        names = [item.label for item in self.data.items("vicon") or [] if item.label]
        line = f"Pada bulan {self.label} terlaksana {format_int(total.value)} frekuensi"
        if names and len(names) == total.value:
            line += " yakni " + (
                " dan ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " dan " + names[-1]
            )
        items.append(line + ".")
        blocks: list[Block] = [Bullets(id="vicon-teks", items=items)]
        published = self.data.trend("vicon_total")
        if any(value for _, value in published):
            blocks.append(
                self.chart(
                    charts.trend(
                        [month_label(day) for day, _ in published],
                        [value for _, value in published],
                        "Pelaksanaan vicon Pemda (bulan yang dipublikasikan)",
                        "kali",
                    ),
                    alt="Pelaksanaan vicon",
                )
            )
        return Slide(spec.id, self.title(spec), blocks)

    def slide_vicon_items(self, spec: SlideSpec) -> list[Slide]:
        slides = []
        for number, item in enumerate(self.data.items("vicon") or [], start=1):
            place = item.label or "Pemda"
            when = date_label(item.item_date) if item.item_date else ""
            text = f"Konsultasi {place}" + (f" tanggal {when}" if when else "")
            text += f" membahas mengenai {item.detail}." if item.detail else "."
            items = [text]
            if item.value:
                items.append(f"Jumlah peserta: {format_int(item.value)} orang.")
            slides.append(
                Slide(
                    f"{spec.id}-{number}",
                    self.title(spec, daerah=place),
                    [Bullets(id=f"{spec.id}-{number}-teks", items=items)],
                    subtitle=when,
                )
            )
        return slides

    def slide_guest_visits(self, spec: SlideSpec) -> Slide:
        visits = self.data.figure("face_to_face_total")
        if visits is None:
            return self.missing_slide(spec)
        guests = self.data.value("face_to_face_guests")
        with_sppd = self.data.figure("face_to_face_with_sppd")
        declined = self.data.value("reservations_declined")
        items = [
            f"Bulan {self.label}, jumlah kunjungan tamu {format_int(visits.value)} kunjungan"
            + (f"/{format_int(guests)} orang." if guests is not None else ".")
        ]
        if with_sppd is not None:
            without = visits.value - with_sppd.value
            items.append(
                f"Dari {format_int(visits.value)} kunjungan tersebut, {format_int(with_sppd.value)} kunjungan "
                f"dilakukan dengan SPPD dan {format_int(without)} tanpa SPPD."
            )
            if (share := percent_of(without, visits.value)) is not None:
                items.append(f"{format_pct(share)} kunjungan dilakukan tanpa SPPD.")
        if declined is not None:
            items.append(f"Agen Call Center menolak {format_int(declined)} permintaan reservasi tamu.")
        return Slide(spec.id, self.title(spec), [Bullets(id="kunjungan-tamu-teks", items=items)])

    def slide_guest_visits_compare(self, spec: SlideSpec) -> Slide | None:
        with_sppd = self.data.figure("face_to_face_with_sppd")
        without = self.data.figure("face_to_face_without_sppd")
        if with_sppd is None:
            return None
        year_before = month_label(add_months(self.month, -12))
        blocks: list[Block] = []
        said = compare(with_sppd.value, with_sppd.prev_year, year_before)
        if said:
            text = f"Jumlah kunjungan ber-SPPD {said}"
            if with_sppd.prev_year > with_sppd.value:
                text += f", atau berkurang sejumlah {format_int(with_sppd.prev_year - with_sppd.value)} kunjungan"
            blocks.append(Paragraph(id="kunjungan-sppd-teks", text=text + "."))
        if without is not None and with_sppd.prev_year is not None and without.prev_year is not None:
            blocks.append(
                self.chart(
                    charts.grouped_bars(
                        ["Dengan SPPD", "Tanpa SPPD"],
                        [
                            (year_before, [with_sppd.prev_year, without.prev_year]),
                            (self.label, [with_sppd.value, without.value]),
                        ],
                        f"Kunjungan tamu, {year_before} : {self.label}",
                    ),
                    alt="Perbandingan kunjungan tamu",
                )
            )
        return Slide(spec.id, self.title(spec), blocks) if blocks else None

    def slide_visit_topics(self, spec: SlideSpec) -> Slide | None:
        items = self.data.items("face_to_face") or []
        topics = Counter(item.detail for item in items if item.detail)
        if not topics:
            return None
        ranked = sorted(topics.items(), key=lambda row: (-row[1], row[0]))
        top = ranked[0][0]
        return Slide(
            spec.id,
            self.title(spec),
            [
                Paragraph(
                    id="kunjungan-topik-teks",
                    text=(
                        f"Pada bulan {self.label}, tamu paling banyak berkunjung ke DJPK untuk {top[0].lower() + top[1:]} "
                        f"({format_int(ranked[0][1])} kunjungan)."
                    ),
                ),
                self.chart(
                    charts.horizontal_bars(
                        [name for name, _ in ranked],
                        [count for _, count in ranked],
                        f"Topik kunjungan tamu, {self.label}",
                        "kunjungan",
                    ),
                    alt="Topik kunjungan tamu",
                ),
            ],
            subtitle=self.label,
        )

    def slide_top_visit_pemda(self, spec: SlideSpec) -> Slide | None:
        visits = self.data.breakdown("face_to_face_by_pemda")[: spec.option("count", 10)]
        if not visits:
            return None
        rows = []
        for number, (name, figure) in enumerate(visits, start=1):
            with_sppd = self.data.value("face_to_face_with_sppd_by_pemda", name) or 0
            rows.append(
                [
                    str(number),
                    name,
                    format_int(figure.value),
                    format_int(figure.value - with_sppd),
                    format_int(with_sppd),
                ]
            )
        top_name, top = visits[0]
        return Slide(
            spec.id,
            self.title(spec),
            [
                Paragraph(
                    id="kunjungan-pemda-teks",
                    text=(
                        f"Selama bulan {self.label}, Pemda yang paling sering datang ke Kantor DJPK adalah {top_name} "
                        f"({format_int(top.value)} kunjungan)."
                    ),
                ),
                Table(
                    id="kunjungan-pemda-tabel",
                    headers=["No.", "Nama Daerah", "Jumlah Kunjungan", "Tanpa SPPD", "Dengan SPPD"],
                    numeric={0, 2, 3, 4},
                    rows=rows,
                ),
            ],
            subtitle=self.label,
            stacked=True,
        )

    def slide_website_2020(self, spec: SlideSpec) -> Slide:
        users = self.data.figure("website_active_users")
        if users is None:
            return self.missing_slide(spec)
        year_before = month_label(add_months(self.month, -12))
        text = f"Jumlah pengguna aktif website DJPK bulan {self.label} mencapai {format_int(users.value)}"
        said = compare(users.value, users.prev_year, year_before)
        chart = self.comparison_chart("website_active_users", "Pengguna aktif website DJPK")
        return Slide(
            spec.id,
            self.title(spec),
            [Paragraph(id="website-teks", text=text + (f", {said}." if said else "."))] + ([chart] if chart else []),
        )

    def slide_top_pages(self, spec: SlideSpec) -> Slide | None:
        pages = self.top_pages(spec.option("count", 5))
        if not pages:
            return None
        return Slide(
            spec.id,
            self.title(spec),
            [
                Paragraph(text=f"Halaman yang paling banyak dikunjungi selama {self.label}:"),
                Bullets(items=pages, ordered=True),
            ],
        )

    def slide_social_2020(self, spec: SlideSpec) -> Slide:
        platforms = [
            (
                "Instagram @ditjenpk",
                [
                    ("instagram_followers", "Pengikut"),
                    ("instagram_reach_total", "Jangkauan total"),
                    ("instagram_reach_avg", "Jangkauan rata-rata"),
                ],
            ),
            ("Facebook", [("facebook_followers", "Pengikut"), ("facebook_reach_avg", "Jangkauan rata-rata")]),
            ("Twitter @DitjenPK", [("x_followers", "Pengikut")]),
        ]
        columns = []
        for name, rows in platforms:
            shown = [
                [label, format_number(self.data.value(metric))]
                for metric, label in rows
                if self.data.value(metric) is not None
            ]
            if shown:
                columns.append(Column(name, [Table(headers=["", self.label], rows=shown, numeric={1})]))
        if not columns:
            return self.missing_slide(spec)
        return Slide(spec.id, self.title(spec), [Columns(columns=columns)])
