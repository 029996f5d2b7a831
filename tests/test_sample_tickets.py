"""The sample Deskpro tickets exports: deterministic, immutable once landed, and - recounted
independently from the CSV files - equal to the reference reports' ticket figures.

The expected numbers are written here literally from the reports (not read from the
calibration YAML), so a wrong calibration file fails these tests.
"""

from __future__ import annotations

import re
from pathlib import Path

import holidays
import pandas as pd
import pytest

from dagster_project.reference.region_matching import RegionMatcher
from dagster_project.sample.common import csv_text, load_calibration, load_register
from dagster_project.sample.generate import generate_samples
from dagster_project.sample.tickets import generate_tickets

REPO = Path(__file__).resolve().parents[1]
REGISTER = REPO / "dbt" / "seeds" / "pemda_register.csv"

CONTRACT_COLUMNS = [
    "id",
    "ref",
    "date_created",
    "date_first_agent_reply",
    "date_resolved",
    "status",
    "channel",
    "department",
    "subject",
    "labels",
    "agent",
    "person_name",
    "person_email",
    "person_phone",
    "person_category",
    "organization",
    "region",
    "escalated_to",
    "feedback_service",
    "feedback_substance",
]
MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]
HISTORY = ["2019-04", "2019-05", "2019-06", "2019-07", "2019-08", "2019-09", "2019-10", "2019-11"]
TOTALS = {"2024-02": 967, "2024-01": 1304, "2023-02": 1455, "2020-01": 901, "2019-12": 652, "2019-01": 1277}
CHANNELS = {
    "2024-02": {"whatsapp": 744, "phone": 46, "hai_kemenkeu": 38, "live_chat": 8, "email": 131},
    "2024-01": {"whatsapp": 1028, "phone": 63, "hai_kemenkeu": 10, "live_chat": 22, "email": 181},
    "2023-02": {"whatsapp": 1126, "phone": 95, "hai_kemenkeu": 52, "live_chat": 20, "email": 162},
}
TECHNICAL = {
    "DAU",
    "DBH",
    "DAK Fisik",
    "DAK Nonfisik",
    "Dana Desa",
    "Insentif Fiskal",
    "Hibah Daerah",
    "Otonomi Khusus",
    "PDRD",
    "Pembiayaan Daerah",
    "APBD",
    "JF AKPD",
    "SHSR",
    "Aplikasi",
    "Transfer ke Daerah",
    "Permohonan Data",
    "DKD",
}
SUBTOPICS_2020_01 = {
    "Transfer ke Daerah": {
        "Konfirmasi Dana Transfer yang Belum ada di Aplikasi SIMTRADA, untuk Keperluan Penyusunan LKT": 54,
        "Perubahan RKUD": 9,
        "Permintaan BAP Hibah": 3,
        "Konfirmasi Penyaluran DAU 2020": 1,
    },
    "Insentif Fiskal": {
        "Rencana Penggunaan DID": 38,
        "Aplikasi Pelaporan DID": 22,
        "Username dan Password Admin DID": 21,
        "Usulan Admin DID TA 2020": 19,
        "Penggunaan Sisa DID": 4,
        "Penyusunan Laporan DID": 4,
        "Penyaluran DID 2020": 3,
        "Dasar Alokasi DID": 1,
    },
    "DAU": {
        "Syarat Penyaluran DAU April 2020": 35,
        "Kebijakan DAU Tambahan": 19,
        "Penundaan DAU": 17,
        "Syarat Penyaluran DAU Bulanan": 15,
        "Konfirmasi Penyaluran DAU Bulanan": 10,
        "Pemotongan Iuran BPJS dari DAU": 4,
        "Akses Perpres Rincian APBN TA 2020": 1,
        "Penggunaan SILTAP Bagi Aparatur Desa": 1,
    },
    "DAK Nonfisik": {
        "Verifikasi Laporan DAK Non Fisik": 25,
        "Kendala Aplikasi Aladin": 16,
        "Penggunaan Sisa DAK Non Fisik": 6,
        "Konfirmasi Penyaluran DAK Non Fisik": 2,
        "Data DAK Non Fisik belum update pada Aplikasi SIMTRADA": 1,
        "Kebijakan Penyaluran Dana BOS TA 2020": 1,
        "Perubahan Admin DAK Non Fisik": 1,
    },
    "APBD": {
        "Pengiriman Laporan IKD TA 2020": 24,
        "Batas Waktu Laporan Bulanan pada Aplikasi SINERGI": 4,
        "Penundaan DAU": 4,
        "Koreksi Data APBD pada SIKD": 2,
        "Permintaan DATA APBD": 2,
        "Syarat Penyaluran DAU April 2020": 2,
        "Konfirmasi Data Transfer pada Aplikasi SIMTRADA": 1,
        "Penggunaan APBD untuk Proyek Multiyears": 1,
    },
    "Hibah Daerah": {
        "Konfirmasi Penyaluran Hibah": 9,
        "Pengiriman Dokumen Hibah": 5,
        "Permintaan BAP Hibah": 2,
        "Penggunaan Hibah TA 2020": 1,
    },
    "Dana Desa": {
        "Penggunaan Dana Desa": 5,
        "Kertas Kerja Perhitungan Dana Desa": 4,
        "PMK Dana Desa": 4,
        "Syarat Penyaluran Dana Desa ke Kas Desa": 4,
        "Kendala Pencairan Dana Desa": 1,
        "Penggunaan Sisa Dana Desa": 1,
        "Penjelasan Penggunaan Dana Desa untuk Operasional Desa": 1,
        "Sanksi Administrasi terhadap Pelanggaran Penggunaan Dana Desa": 1,
        "Surat Kuasa Pemindahbukuan Dana Desa": 1,
    },
    "DAK Fisik": {
        "DAK Fisik pada Aplikasi SIMTRADA tidak muncul": 4,
        "Digital Signature pada Aplikasi KRISNA": 3,
        "Reviu APIP": 2,
        "DAK Fisik Penyaluran Sekaligus": 1,
        "Lampiran Perpres Rincian Alokasi TKDD": 1,
        "Penggunaan Sisa DAK Fisik setelah TA 2014": 1,
        "RK DAK Fisik disetujui dibawah Pagu DAK Fisik": 1,
        "Syarat Penyaluran DAK Fisik TA 2020": 1,
    },
    "PDRD": {
        "Pajak Reklame untuk Iklan Pemilikada": 2,
        "Salah Setor Dana BPHTB": 2,
        "Instansi Pemeriksa Keuangan Daerah": 1,
        "Masalah penetapan obyek PBB-P2 atas bangunan Yayasan": 1,
        "Pajak Hiburan dan Pajak Hotel": 1,
        "Pajak Hiburan dan Pajak Restoran": 1,
        "Penyusunan Perkada tentang Pengurangan/Pembebasan Pajak Daerah": 1,
        "Pungutan atas Penyelenggaraan Parkir": 1,
        "Undangan Narsum": 1,
    },
}
TOP_PEMDA_2020_01 = {
    "Kota Palangka Raya": 12,
    "Kota Bandung": 9,
    "Kab. Hulu Sungai Utara": 8,
    "Kab. Maluku Tengah": 8,
    "Kab. Musi Rawas Utara": 8,
    "Kab. Pasuruan": 8,
    "Kota Tangerang": 8,
    "Kab. Bangka": 7,
    "Kab. Buleleng": 7,
    "Kab. Lamongan": 7,
    "Kab. Lombok Utara": 7,
    "Kab. Rokan Hulu": 7,
    "Kota Bandar Lampung": 7,
    "Kota Bukittinggi": 7,
    "Kota Pangkalpinang": 7,
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def landings(tmp_path_factory):
    first, second = tmp_path_factory.mktemp("run1"), tmp_path_factory.mktemp("run2")
    return first, generate_samples(first, sources=["tickets"]), second, generate_samples(second, sources=["tickets"])


@pytest.fixture(scope="module")
def matcher():
    return RegionMatcher.from_seed(REGISTER)


@pytest.fixture(scope="module")
def time_zones():
    register = pd.read_csv(REGISTER, dtype=str, keep_default_na=False)
    return dict(zip(register["pemda_id"], register["time_zone"]))


def read(landing: Path, month: str) -> pd.DataFrame:
    return pd.read_csv(landing / "tickets" / month / "tickets.csv", dtype=str, keep_default_na=False)


def wib(df: pd.DataFrame) -> pd.Series:
    created = pd.to_datetime(df["date_created"], format="%Y-%m-%dT%H:%M:%SZ", utc=True)
    return created.dt.tz_convert("Asia/Jakarta").dt.tz_localize(None)


def in_service_hours(ts: pd.Timestamp) -> bool:
    off = holidays.country_holidays("ID", years=[ts.year], categories=("public", "government"))
    return ts.weekday() < 5 and ts.date() not in off and 8 <= ts.hour < 16


def e164(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return "+" + digits


def purpose(department: str) -> str:
    if department in TECHNICAL:
        return "konsultasi"
    return {"Reservasi": "reservasi", "Surat Masuk": "lainnya", "Lainnya": "lainnya", "Pengaduan": "pengaduan"}[
        department
    ]


def matched_names(df: pd.DataFrame, matcher) -> pd.Series:
    return df["region"].map(lambda text: matcher.match(text).pemda_name)


# --------------------------------------------------------------------------- files


def test_two_runs_are_byte_identical_and_cover_the_months(landings):
    first, paths1, second, paths2 = landings
    assert [p.relative_to(first) for p in paths1] == [p.relative_to(second) for p in paths2]
    assert sorted(p.parent.name for p in paths1) == sorted(MONTHS + HISTORY)
    for path in paths1:
        data = path.read_bytes()
        assert data == (second / path.relative_to(first)).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf") and b"\r\n" not in data


def test_header_ids_and_month_windows(landings):
    landing = landings[0]
    ids: list[str] = []
    for month in MONTHS:
        header = (landing / "tickets" / month / "tickets.csv").read_text(encoding="utf-8").split("\n", 1)[0]
        assert header.split(",") == CONTRACT_COLUMNS
        df = read(landing, month)
        assert len(df) == TOTALS[month]
        year, mon = (int(x) for x in month.split("-"))
        start = pd.Timestamp(year, mon, 1)
        end = start + pd.offsets.MonthBegin(1)
        created = wib(df)
        assert ((created >= start) & (created < end)).all(), month
        assert df["ref"].str.fullmatch(rf"DJPK-{year % 100:02d}{mon:02d}-\d{{4}}").all()
        assert df["status"].isin(["awaiting_agent", "awaiting_user", "resolved", "closed"]).all()
        replied = df[df["date_first_agent_reply"] != ""]
        assert (replied["date_first_agent_reply"] >= replied["date_created"]).all()
        done = df[df["date_resolved"] != ""]
        assert (done["date_resolved"] >= done["date_first_agent_reply"]).all()
        assert set(df["agent"]).isdisjoint(set(df["person_name"]))
        ids += list(df["id"])
    assert len(ids) == len(set(ids))


def test_a_landed_file_with_other_bytes_is_never_overwritten(tmp_path, landings):
    target = tmp_path / "tickets" / "2024-02" / "tickets.csv"
    target.parent.mkdir(parents=True)
    target.write_bytes(b"id,ref\n1,DJPK-2402-0001\n")
    paths = generate_samples(tmp_path, months=["2024-02", "2020-01"], sources=["tickets"])
    assert target.read_bytes() == b"id,ref\n1,DJPK-2402-0001\n"
    assert target not in paths
    other = tmp_path / "tickets" / "2020-01" / "tickets.csv"
    assert paths == [other]
    assert other.read_bytes() == (landings[0] / "tickets" / "2020-01" / "tickets.csv").read_bytes()
    assert generate_samples(tmp_path, months=["2020-01"], sources=["tickets"]) == [other]  # identical: skipped
    assert sorted(p.name for p in other.parent.iterdir()) == ["tickets.csv"]  # no temp files left


def test_generate_tickets_api_matches_the_landed_file(landings):
    rows = generate_tickets("2019-12", load_calibration("tickets.yaml"), load_register(REGISTER), "2019-12:tickets")
    assert len(rows) == 652 and list(rows[0]) == CONTRACT_COLUMNS
    landed = (landings[0] / "tickets" / "2019-12" / "tickets.csv").read_bytes()
    assert csv_text(CONTRACT_COLUMNS, rows).encode("utf-8") == landed


# --------------------------------------------------------------------------- recount


def test_totals_and_channels(landings):
    landing = landings[0]
    for month, expected in CHANNELS.items():
        assert read(landing, month)["channel"].value_counts().to_dict() == expected, month
    for month in ("2020-01", "2019-12", "2019-01"):
        counts = read(landing, month)["channel"].value_counts()
        assert counts.idxmax() == "phone", month


def test_2024_02_users_time_zones_and_service_hours(landings, matcher, time_zones):
    df = read(landings[0], "2024-02")
    assert df["person_category"].value_counts().to_dict() == {
        "Pemda": 732,
        "Akademisi": 112,
        "Kementerian/Lembaga": 78,
        "Lainnya": 45,
    }
    matches = df["region"].map(matcher.match)
    zone = matches.map(lambda m: time_zones[m.pemda_id] if m.pemda_id else None)
    identified = zone.notna()
    assert identified.sum() == 948 and (~identified).sum() == 19
    inside = wib(df).map(in_service_hours)
    assert (identified & inside).sum() == 879
    assert zone[identified & ~inside].value_counts().to_dict() == {"WIB": 40, "WITA": 24, "WIT": 5}


def test_2024_02_top_pemda_complaint_escalation_feedback(landings, matcher):
    df = read(landings[0], "2024-02")
    counts = matched_names(df, matcher).value_counts()
    top = {"Kota Kendari": 13, "Prov. Riau": 10, "Prov. Sumatera Selatan": 9, "Kota Dumai": 9}
    assert {name: counts.get(name, 0) for name in top} == top
    assert counts.drop(list(top)).max() <= 8

    complaints = df[df["department"] == "Pengaduan"]
    assert len(complaints) == 1
    assert matcher.match(complaints["region"].iloc[0]).pemda_name == "Kab. Yahukimo"
    assert "DBH" in complaints["subject"].iloc[0] and "DJPK" in complaints["subject"].iloc[0]

    escalated = df[df["escalated_to"] != ""]
    assert len(escalated) == 150
    assert set(escalated["department"]) == {"DAU", "PDRD", "Aplikasi", "DBH"}

    hai = df.loc[df["channel"] == "hai_kemenkeu", "department"].value_counts()
    assert list(hai.index[:3]) == ["Surat Masuk", "PDRD", "DBH"] and hai.iloc[2] > hai.iloc[3]
    live = df.loc[df["channel"] == "live_chat", "department"].value_counts()
    assert set(live[live == live.max()].index) == {"Lainnya", "PDRD", "DAU", "Aplikasi"}

    assert set(df["agent"]) - {""} == {"Anas", "Linna", "Hanna", "Dian"}
    rated = df[(df["feedback_service"] != "") | (df["feedback_substance"] != "")]
    assert set(rated["feedback_service"]) == {"5"} and set(rated["feedback_substance"]) == {"5"}
    assert 0 < len(rated) < len(df)
    user = (
        rated["person_phone"].map(lambda p: e164(p) if p else None).fillna(rated["person_email"] + rated["person_name"])
    )
    for agent in ("Anas", "Linna", "Hanna", "Dian"):
        mine = rated["agent"] == agent
        assert mine.sum() >= 5 and user[mine].nunique() >= 5, agent


def test_2020_01_purposes_subtopics_top_pemda_and_whatsapp_users(landings, matcher):
    df = read(landings[0], "2020-01")
    assert df["department"].map(purpose).value_counts().to_dict() == {
        "konsultasi": 591,
        "lainnya": 227,
        "reservasi": 83,
    }
    for department, table in SUBTOPICS_2020_01.items():
        assert df.loc[df["department"] == department, "subject"].value_counts().to_dict() == table, department
    assert sum(sum(t.values()) for t in SUBTOPICS_2020_01.values()) == 437

    counts = matched_names(df, matcher).value_counts()
    assert {name: counts.get(name, 0) for name in TOP_PEMDA_2020_01} == TOP_PEMDA_2020_01
    assert counts.drop(list(TOP_PEMDA_2020_01)).max() <= 6

    whatsapp = df[df["channel"] == "whatsapp"]
    assert (whatsapp["person_phone"] != "").all()
    assert whatsapp["person_phone"].map(e164).nunique() == 301
    assert whatsapp["person_phone"].nunique() > 301  # the same user writes the number differently

    assert (df["escalated_to"] == "").all()
    assert (df["feedback_service"] == "").all() and (df["feedback_substance"] == "").all()
    assert set(df["agent"]).isdisjoint({"Anas", "Linna", "Hanna", "Dian"})


def test_2019_purposes(landings):
    jan = read(landings[0], "2019-01")["department"].map(purpose).value_counts().to_dict()
    assert jan == {"reservasi": 872, "konsultasi": 160, "lainnya": 245}


def test_region_texts_are_typed_variants(landings, matcher):
    df = read(landings[0], "2024-02")
    matches = df["region"].map(matcher.match)
    named = pd.Series([m.pemda_name for m in matches], index=df.index)
    identified = named.notna()
    variants = df.loc[identified & (df["region"] != named), "region"]
    assert len(variants) > 50 and variants.nunique() > 30  # not only the canonical names
    unmatched = set(df.loc[~identified, "region"])
    assert unmatched <= {
        "",
        "-",
        "Indonesia",
        "Kemenkeu",
        "Kementerian Keuangan",
        "Universitas Gadjah Mada",
        "Bandung",
        "Jawa",
    }
