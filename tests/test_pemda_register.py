"""The pemda register seed (dbt/seeds/pemda_register.csv) and its builder."""

from collections import Counter

import pytest

from dagster_project.reference.pemda_register import (
    COLUMNS,
    SEED_PATH,
    build_register,
    register_csv,
    title_case,
)


@pytest.fixture(scope="module")
def rows():
    return build_register()


@pytest.fixture(scope="module")
def by_name(rows):
    return {row["pemda_name"]: row for row in rows}


def test_counts(rows):
    # 416 kabupaten + 98 kota as usually quoted include DKI Jakarta's administrative regency
    # (Kepulauan Seribu) and five administrative cities; the autonomous pemda are 415 + 93.
    levels = Counter(row["pemda_level"] for row in rows)
    assert levels == {"provinsi": 38, "kabupaten": 415, "kota": 93}
    assert len(rows) == 546


def test_ids_unique_sorted_and_consistent(rows):
    ids = [row["pemda_id"] for row in rows]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids)
    assert len({row["pemda_name"] for row in rows}) == len(rows)
    for row in rows:
        assert list(row) == COLUMNS
        if row["pemda_level"] == "provinsi":
            assert row["pemda_id"] == row["province_id"] and len(row["pemda_id"]) == 2
        else:
            assert row["pemda_id"].startswith(row["province_id"] + ".")
            assert len(row["pemda_id"]) == 6


def test_every_row_complete(rows):
    provinces = {row["pemda_id"]: row["name_core"] for row in rows if row["pemda_level"] == "provinsi"}
    for row in rows:
        assert all(row[column] for column in COLUMNS), row
        assert row["time_zone"] in {"WIB", "WITA", "WIT"}
        assert row["province_name"] == provinces[row["province_id"]]
        prefix = {"provinsi": "Prov. ", "kabupaten": "Kab. ", "kota": "Kota "}[row["pemda_level"]]
        assert row["pemda_name"] == prefix + row["name_core"]


@pytest.mark.parametrize(
    "pemda_name, province_name, time_zone",
    [
        ("Kab. Yahukimo", "Papua Pegunungan", "WIT"),
        ("Kota Kendari", "Sulawesi Tenggara", "WITA"),
        ("Prov. Riau", "Riau", "WIB"),
        ("Kota Sorong", "Papua Barat Daya", "WIT"),
        ("Kab. Merauke", "Papua Selatan", "WIT"),
        ("Kab. Mimika", "Papua Tengah", "WIT"),
        ("Kab. Fakfak", "Papua Barat", "WIT"),
        ("Kota Jayapura", "Papua", "WIT"),
        ("Kota Pontianak", "Kalimantan Barat", "WIB"),
        ("Kota Palangka Raya", "Kalimantan Tengah", "WIB"),
        ("Kota Banjarmasin", "Kalimantan Selatan", "WITA"),
        ("Kab. Pati", "Jawa Tengah", "WIB"),
        ("Prov. DKI Jakarta", "DKI Jakarta", "WIB"),
        ("Prov. DI Yogyakarta", "DI Yogyakarta", "WIB"),
        ("Kota Ternate", "Maluku Utara", "WIT"),
        ("Kota Padangsidimpuan", "Sumatera Utara", "WIB"),
    ],
)
def test_known_pemda(by_name, pemda_name, province_name, time_zone):
    row = by_name[pemda_name]
    assert (row["province_name"], row["time_zone"]) == (province_name, time_zone)


def test_new_provinces(rows):
    members = Counter(row["province_name"] for row in rows if row["pemda_level"] != "provinsi")
    ids = {row["name_core"]: row["pemda_id"] for row in rows if row["pemda_level"] == "provinsi"}
    assert [ids[name] for name in ("Papua Selatan", "Papua Tengah", "Papua Pegunungan", "Papua Barat Daya")] == [
        "93",
        "94",
        "95",
        "96",
    ]
    assert members["Papua Selatan"] == 4
    assert members["Papua Tengah"] == 8
    assert members["Papua Pegunungan"] == 8
    assert members["Papua Barat Daya"] == 6
    assert members["Papua"] == 9  # 8 kabupaten + Kota Jayapura
    assert members["Papua Barat"] == 7
    assert members["DKI Jakarta"] == 0  # administrative cities are not pemda


def test_official_spellings(by_name):
    for name in [
        "Kota Bukittinggi",
        "Kota Pangkalpinang",
        "Kota Tanjungpinang",
        "Kota Palangka Raya",
        "Kota Baubau",
        "Kota Lubuklinggau",
        "Kota Padangsidimpuan",
        "Kab. Toba",
        "Kab. Pangkajene dan Kepulauan",
        "Kab. Fakfak",
        "Kab. Hulu Sungai Utara",
        "Kab. Kepulauan Tanimbar",
        "Kab. Pasangkayu",
        "Kab. Tojo Una-Una",
        "Kota Surakarta",
        "Prov. Sumatera Utara",
        "Prov. Kepulauan Bangka Belitung",
    ]:
        assert name in by_name, name
    assert by_name["Kab. Pati"]["official_name"] == "Kabupaten Pati"
    assert by_name["Prov. Riau"]["official_name"] == "Provinsi Riau"
    assert by_name["Kota Kendari"]["official_name"] == "Kota Kendari"
    assert not any("Jakarta Selatan" in name or "Seribu" in name or "(" in name for name in by_name)


def test_title_case():
    assert title_case("TOJO UNA-UNA") == "Tojo Una-Una"
    assert title_case("pangkajene DAN kepulauan") == "Pangkajene dan Kepulauan"
    assert title_case("dki jakarta") == "DKI Jakarta"


def test_committed_seed_matches_builder(rows):
    assert SEED_PATH.read_bytes().decode("utf-8") == register_csv(rows), (
        "dbt/seeds/pemda_register.csv is stale: run python -m dagster_project.reference.pemda_register"
    )
