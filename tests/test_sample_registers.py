"""The sample register workbooks ``registers.xlsx``: sheets and headers as the contract says, dates
and counts typed the three ways people type them, byte-identical on every run, and - recounted with
openpyxl from the files - the reports' visit, event, WA-blast and publication figures, including
the face-to-face visits since 2023 over the history months. Expected report figures are literal.
"""

from __future__ import annotations

import io
import zipfile
from collections import Counter
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from dagster_project.lib.contracts import CONTRACTS
from dagster_project.reference.region_matching import RegionMatcher
from dagster_project.sample.generate import generate_samples

REPO = Path(__file__).resolve().parents[1]
REPORT_MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
HISTORY = ["2023-01"] + [f"2023-{m:02d}" for m in range(3, 13)]
HEADERS = {  # the upstream format: exports.md as the contracts hold it, sheet by sheet in workbook order
    contract.sheet: list(contract.column_names)
    for contract in CONTRACTS.values()
    if contract.file_format == "xlsx" and contract.landing_folder == "registers"
}
MONTHS_ID = {
    "januari": 1,
    "februari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "desember": 12,
}
FACE_TO_FACE_2024_02 = [  # [R2402] the Tatap Muka table: date, Daerah, Topik, Jumlah Tamu
    (1, "Kota Bima", "DAU", 2),
    (1, "Pertamina", "PDRD", 7),
    (1, "Kota Tanjung Pinang", "DBH", 2),
    (2, "Kota Palembang", "PDRD, DID", 4),
    (2, "Kab. Garut", "DAU", 6),
    (5, "PT. PLN", "PDRD", 4),
    (5, "Kab. Lamandau", "DAK Fisik", 3),
    (6, "Kab. Konawe", "DAU", 2),
    (6, "Kab. Sumbawa", "PDRD", 8),
    (6, "Kota Pangkal Pinang", "PDRD", 5),
    (6, "Prov. Papua", "Otsus", 2),
    (7, "Kab. Tapin", "DBH", 2),
    (20, "Prov. Riau", "DBH", 2),
    (20, "Kota Gunungsitoli", "Pembiayaan", 6),
    (20, "Kota Tangerang Selatan", "DBH", 2),
    (20, "Kota Tomohon", "Pembiayaan", 7),
    (20, "Kab. Sumedang", "IF", 2),
    (21, "Prov. Kalimantan Timur", "PDRD", 2),
    (22, "Kota Jambi", "JF AKPD", 4),
    (26, "Bank SumselBabel", "Pembiayaan", 2),
    (27, "Kab. Gresik", "DBH", 2),
    (28, "Kab. Polewali Mandar", "DAU", 2),
]
EVENTS_2024_02 = [
    (2, "Bintal Kajian Muslimah"),
    (5, "Kunjungan Sekolah Tinggi Hukum Militer"),
    (5, "Peringatan Isra' Mi'raj"),
    (15, "MILEA edisi Lomba Bedah Data APBD 2024"),
    (16, "THM DJPK"),
    (23, "Sertijab Sekretaris DJPK"),
]
WA_BLAST_2024_02 = [
    (12, "Informasi Lomba Bedah Data 2024"),
    (12, "Informasi Bimtek Keuda Tahap I"),
    (19, "Penyampaian Better w/ DJPK"),
    (20, "Penyampaian CAKLUR NEW SIMTRADA"),
    (27, "Forum Konsultasi Publik Standar Pelayanan DJPK Tahun 2024"),
    (29, "D-DAY Forum Konsultasi Publik Standar Pelayanan DJPK Tahun 2024"),
    (29, "Penandatanganan Forum Konsultasi Publik Standar Pelayanan DJPK Tahun 2024"),
]
TOP_VISITS_2020_01 = {  # [R2001] Frekuensi Kunjungan Pemda Tertinggi: (visits, with SPPD)
    "Prov. Sulawesi Tengah": (4, 0),
    "Kota Palopo": (3, 1),
    "Prov. DKI Jakarta": (3, 0),
    "Prov. Jawa Timur": (3, 0),
    "Prov. Sulawesi Tenggara": (3, 0),  # the report's second "Provinsi Sulawesi Tengah" (3): taken as Sulawesi Tenggara
    "Kab. Aceh Tamiang": (2, 0),
    "Kab. Agam": (2, 0),
    "Kab. Balangan": (2, 1),
    "Kab. Bangka": (2, 0),
    "Kab. Bangli": (2, 0),
}


@pytest.fixture(scope="module")
def landing(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("reg1"), tmp_path_factory.mktemp("reg2")
    return (
        first,
        second,
        generate_samples(first, sources=["registers"]),
        generate_samples(second, sources=["registers"]),
    )


@pytest.fixture(scope="module")
def matcher():
    return RegionMatcher.from_seed(REPO / "dbt" / "seeds" / "pemda_register.csv")


def parse_date(value) -> date:
    if isinstance(value, datetime):
        return value.date()
    day, rest = value.split(" ", 1) if " " in value else (None, None)
    if day is not None:
        name, year = rest.split()
        return date(int(year), MONTHS_ID[name.lower()], int(day))
    return datetime.strptime(value, "%d/%m/%Y").date()


def sheets(landing: Path, month: str) -> dict[str, list[dict]]:
    wb = load_workbook(landing / "registers" / month / "registers.xlsx", read_only=True)
    out = {}
    for ws in wb.worksheets:
        values = list(ws.iter_rows(values_only=True))
        out[ws.title] = [dict(zip(values[0], row)) for row in values[1:]]
    wb.close()
    return out


def held(book: dict) -> list[dict]:
    return [r for r in book["Tatap Muka"] if r["Status"] == "Dilaksanakan"]


def test_files_history_months_and_determinism(landing):
    first, second, paths, again = landing
    assert sorted(p.parent.name for p in paths) == sorted(REPORT_MONTHS + HISTORY)
    for path in paths:
        data = path.read_bytes()
        assert data == (second / path.relative_to(first)).read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            stamps = {info.date_time for info in archive.infolist()}
            core = archive.read("docProps/core.xml").decode()
        assert len(stamps) == 1  # fixed entry times: the export time of the month
        assert core.count(">20") == 2 and "T02:30:00Z" in core


@pytest.mark.parametrize("month", REPORT_MONTHS + HISTORY)
def test_sheets_headers_dates_and_counts(landing, month):
    wb = load_workbook(landing[0] / "registers" / month / "registers.xlsx")
    expected = list(HEADERS)[:5] + (["Target Advokasi"] if month >= "2023-01" else [])
    assert wb.sheetnames == expected
    for ws in wb.worksheets:
        assert [c.value for c in ws[1]] == HEADERS[ws.title]
        for row in ws.iter_rows(min_row=2, values_only=True):
            record = dict(zip(HEADERS[ws.title], row))
            if "Tanggal" in record:
                assert parse_date(record["Tanggal"]).strftime("%Y-%m") == month
            for key in ("Jumlah Peserta", "Jumlah Tamu", "Jumlah Penerima", "Target Pegawai"):
                if key in record:
                    assert str(record[key]).isdigit()
    if month >= "2023-01":
        year, mon = (int(p) for p in month.split("-"))
        target = list(wb["Target Advokasi"].iter_rows(min_row=2, values_only=True))
        assert len(target) == 1 and target[0][0] == f"{year}-Q{(mon - 1) // 3 + 1}"


def test_typing_styles_of_february_2024(landing):
    wb = load_workbook(landing[0] / "registers" / "2024-02" / "registers.xlsx")
    dates = [c.value for c in wb["Tatap Muka"]["A"][1:]]
    assert any(isinstance(v, datetime) for v in dates)
    assert any(isinstance(v, str) and "/" in v for v in dates)
    assert any(isinstance(v, str) and "Februari" in v for v in dates)
    counts = [
        c.value
        for ws in wb.worksheets
        for c in ws["D" if ws.title == "Tatap Muka" else "C"][1:]
        if ws.title in ("Tatap Muka", "WA Blast")
    ]
    assert any(isinstance(v, str) for v in counts) and any(isinstance(v, int) for v in counts)


def test_february_2024_against_the_report(landing):
    book = sheets(landing[0], "2024-02")
    vicon = book["Vicon"]
    assert [(parse_date(r["Tanggal"]), r["Daerah"], r["Topik"]) for r in vicon] == [
        (date(2024, 2, 2), "Kab. Samosir", "Pembiayaan")
    ]
    visits = held(book)
    assert len(visits) == 22 and sum(int(r["Jumlah Tamu"]) for r in visits) == 78  # [R2402] 22 kali, tamu 78
    assert [
        (parse_date(r["Tanggal"]).day, r["Daerah/Instansi"], r["Topik"], int(r["Jumlah Tamu"])) for r in visits
    ] == FACE_TO_FACE_2024_02
    assert sum(r["Status"] == "Ditolak" for r in book["Tatap Muka"]) > 0
    assert [(parse_date(r["Tanggal"]).day, r["Nama Kegiatan"]) for r in book["Kegiatan"]] == EVENTS_2024_02
    assert [(parse_date(r["Tanggal"]).day, r["Judul"]) for r in book["WA Blast"]] == WA_BLAST_2024_02
    assert [(parse_date(r["Tanggal"]).day, r["Nomor"]) for r in book["Publikasi Web"]] == [
        (12, "UND-27/PK.6/2024"),
        (14, "S-5/MK.7/2024"),
        (16, "S-25/PK/2024"),
    ]
    assert book["Publikasi Web"][1]["Perihal"] == "Peringatan Keterlambatan Penyampaian APBD Tahun Anggaran 2024"
    assert [
        (r["Periode"], int(r["Target Pegawai"]), int(r["Jumlah Pegawai Seluruhnya"])) for r in book["Target Advokasi"]
    ] == [("2024-Q1", 9837, 75711)]  # [R2402] target Q1 9.837, pegawai 75,711


def test_previous_month_and_year_counts(landing):
    expected = {  # [R2402]: vicon, events, WA blast, web publications
        "2024-01": (1, 9, 1, 7),
        "2023-02": (9, 1, 3, 4),
    }
    for month, counts in expected.items():
        book = sheets(landing[0], month)
        assert tuple(len(book[s]) for s in ("Vicon", "Kegiatan", "WA Blast", "Publikasi Web")) == counts, month


def test_face_to_face_since_2023(landing):
    months = sorted(HISTORY + ["2023-02", "2024-01", "2024-02"])
    assert months[0] == "2023-01" and len(months) == 14  # every month 2023-01 … 2024-02
    assert sum(len(held(sheets(landing[0], m))) for m in months) == 271  # [R2402] sejak 2023 sebanyak 271


def test_january_2020_visits(landing, matcher):
    book = sheets(landing[0], "2020-01")
    assert sorted((parse_date(r["Tanggal"]).day, r["Daerah"]) for r in book["Vicon"]) == [
        (16, "Kab. Magetan"),
        (21, "Kab. Pati"),
    ]
    visits = held(book)
    assert len(visits) == 225 and sum(int(r["Jumlah Tamu"]) for r in visits) == 278  # [R2001] 225 kunjungan/278 orang
    assert sum(r["SPPD"] == "Ya" for r in visits) == 5  # [R2001] 5 dengan SPPD
    assert sum(r["Status"] == "Ditolak" for r in book["Tatap Muka"]) == 78  # [R2001] menolak 78 permintaan
    names = [matcher.match(r["Daerah/Instansi"]).pemda_name for r in visits]
    per_pemda = Counter(n for n in names if n)
    sppd = Counter(n for n, r in zip(names, visits) if n and r["SPPD"] == "Ya")
    assert {name: (per_pemda[name], sppd[name]) for name in TOP_VISITS_2020_01} == TOP_VISITS_2020_01
    others = per_pemda.copy()
    for name in TOP_VISITS_2020_01:
        del others[name]
    assert max(others.values()) == 1  # the top 10 is unambiguous
    assert sum(per_pemda.values()) < 225  # some visitors are institutions, not pemda
    agam = {r["Daerah/Instansi"] for r, n in zip(visits, names) if n == "Kab. Agam"}
    assert len(agam) == 2 and all("Agam" in text for text in agam)  # typed two ways, one pemda


def test_january_2019_sppd_visits(landing):
    visits = held(sheets(landing[0], "2019-01"))
    assert sum(r["SPPD"] == "Ya" for r in visits) == 841  # [R2001] 841 kunjungan ber SPPD - Jan 2019
    assert len(visits) > 841
