"""Matching region text as typed to the pemda register."""

import dataclasses

import pytest

from dagster_project.reference.pemda_register import SEED_PATH, build_register
from dagster_project.reference.region_matching import (
    FUZZY_THRESHOLD,
    RegionMatch,
    RegionMatcher,
    normalize_region_text,
)


@pytest.fixture(scope="module")
def matcher():
    return RegionMatcher.from_seed(SEED_PATH)


MATCHED = [
    # (text, expected pemda_name, expected method)
    ("Kota Kendari", "Kota Kendari", "exact"),
    ("kota kendari ", "Kota Kendari", "exact"),
    ("  KOTA   kendari", "Kota Kendari", "exact"),
    ("Kendari", "Kota Kendari", "core_unique"),
    ("Pemkot Kendari", "Kota Kendari", "exact"),
    ("Kab. Pati", "Kab. Pati", "exact"),
    ("Kabupaten Pati", "Kab. Pati", "exact"),
    ("KAB PATI", "Kab. Pati", "exact"),
    ("Pati", "Kab. Pati", "core_unique"),
    ("Prov. Riau", "Prov. Riau", "exact"),
    ("Provinsi Riau", "Prov. Riau", "exact"),
    ("Propinsi Riau", "Prov. Riau", "exact"),
    ("Pemprov Riau", "Prov. Riau", "exact"),
    ("Riau", "Prov. Riau", "core_unique"),
    ("Pemerintah Kabupaten Garut", "Kab. Garut", "exact"),
    ("Pemerintah Provinsi Jawa Barat", "Prov. Jawa Barat", "exact"),
    ("Pemkab Garut", "Kab. Garut", "exact"),
    ("Kota Bukit Tinggi", "Kota Bukittinggi", "exact"),
    ("Kota Pangkal Pinang", "Kota Pangkalpinang", "exact"),
    ("Kota Palangkaraya", "Kota Palangka Raya", "exact"),
    ("Kotamadya Tanjung Pinang", "Kota Tanjungpinang", "exact"),
    ("Kota Bau-Bau", "Kota Baubau", "exact"),
    ("Prov Sumsel", "Prov. Sumatera Selatan", "alias"),
    ("sumut", "Prov. Sumatera Utara", "alias"),
    ("Pemprov Jatim", "Prov. Jawa Timur", "alias"),
    ("Prov. Kepri", "Prov. Kepulauan Riau", "alias"),
    ("DKI Jakarta", "Prov. DKI Jakarta", "core_unique"),
    ("Provinsi DKI Jakarta", "Prov. DKI Jakarta", "exact"),
    ("Provinsi Daerah Khusus Ibukota Jakarta", "Prov. DKI Jakarta", "exact"),
    ("D.I. Yogyakarta", "Prov. DI Yogyakarta", "core_unique"),
    ("Daerah Istimewa Yogyakarta", "Prov. DI Yogyakarta", "core_unique"),
    ("Kab Kep. Seribu", "Prov. DKI Jakarta", "alias"),
    ("Kota Adm. Jakarta Selatan", "Prov. DKI Jakarta", "alias"),
    ("kab. hulu sungai utara", "Kab. Hulu Sungai Utara", "exact"),
    ("Kab. Musi Rawas Utara", "Kab. Musi Rawas Utara", "exact"),
    ("Kota Bandar Lampung", "Kota Bandar Lampung", "exact"),
    ("kota bandarlampung", "Kota Bandar Lampung", "exact"),
    ("Kab. Bandung", "Kab. Bandung", "exact"),
    ("Kota Bandung", "Kota Bandung", "exact"),
    ("Kab. Bandung Barat", "Kab. Bandung Barat", "exact"),
    ("Kab. Toba Samosir", "Kab. Toba", "alias"),
    ("Kab. Toba", "Kab. Toba", "exact"),
    ("Kab. Pangkajene Kepulauan", "Kab. Pangkajene dan Kepulauan", "alias"),
    ("Kota Padang Sidempuan", "Kota Padangsidimpuan", "alias"),
    ("Kab. Fak-Fak", "Kab. Fakfak", "exact"),
    ("Kab. Toli Toli", "Kab. Toli-Toli", "exact"),
    ("Kab. Kep. Meranti", "Kab. Kepulauan Meranti", "exact"),
    ("Kab. Yahukimo", "Kab. Yahukimo", "exact"),
    ("Prov. Papua Barat Daya", "Prov. Papua Barat Daya", "exact"),
    ("Kota Sorong", "Kota Sorong", "exact"),
    ("Kota Kotamobagu", "Kota Kotamobagu", "exact"),
    ("Ｋｏｔａ Ｋｅｎｄａｒｉ", "Kota Kendari", "exact"),  # full-width, NFKC
    ("Kab. Lamongn", "Kab. Lamongan", "fuzzy"),
    ("Kab. Lampung Selatn", "Kab. Lampung Selatan", "fuzzy"),
    ("Kota Sukabumii", "Kota Sukabumi", "fuzzy"),
    ("Kendarii", "Kota Kendari", "fuzzy"),
]

UNMATCHED = [
    # (text, expected reason)
    ("Bandung", "ambiguous"),  # Kab. and Kota
    ("Gorontalo", "ambiguous"),  # Prov., Kab. and Kota
    ("Jambi", "ambiguous"),
    ("Bengkulu", "ambiguous"),
    ("Sorong", "ambiguous"),
    ("Yogyakarta", "ambiguous"),  # Prov. DI Yogyakarta or Kota Yogyakarta
    ("Bandungg", "ambiguous"),  # fuzzy, but Kab. and Kota tie
    ("", "empty"),
    ("   ", "empty"),
    ("-", "empty"),
    (None, "empty"),
    ("Kab.", "empty"),
    ("Kemenkeu", "no_match"),
    ("Universitas Indonesia", "no_match"),
    ("Kota Pati", "no_match"),  # Kab. Pati exists, Kota Pati does not: the prefix wins
    ("Kota Garut", "no_match"),
    ("Kab Sumsel", "no_match"),
    ("Kab. Lamongan Raya Timur", "no_match"),
]


@pytest.mark.parametrize("text, pemda_name, method", MATCHED)
def test_matched(matcher, text, pemda_name, method):
    result = matcher.match(text)
    assert (result.pemda_name, result.method, result.reason) == (pemda_name, method, None)
    assert result.pemda_id is not None and result.matched
    assert result.input == text
    if method == "fuzzy":
        assert FUZZY_THRESHOLD <= result.score < 100
    else:
        assert result.score == 100


@pytest.mark.parametrize("text, reason", UNMATCHED)
def test_unmatched(matcher, text, reason):
    result = matcher.match(text)
    assert (result.pemda_id, result.pemda_name, result.method, result.reason) == (None, None, "none", reason)
    assert not result.matched


def test_table_size():
    assert len(MATCHED) + len(UNMATCHED) >= 40


@pytest.mark.parametrize(
    "text, key",
    [
        ("Kab. Pati", "kabupaten pati"),
        ("KABUPATEN  PATI ", "kabupaten pati"),
        ("Pemkab Pati", "kabupaten pati"),
        ("Pemkot Kendari.", "kota kendari"),
        ("Pemerintah Provinsi Riau", "provinsi riau"),
        ("Kab Kep. Seribu", "kabupaten kepulauan seribu"),
        ("Kota Adm. Jakarta Selatan", "kota jakarta selatan"),
        ("Kendari", "kendari"),
        ("-", ""),
    ],
)
def test_normalize_region_text(text, key):
    assert normalize_region_text(text) == key


def test_every_register_name_matches_itself(matcher):
    for row in build_register():
        for text in (row["pemda_name"], row["official_name"], row["official_name"].upper()):
            result = matcher.match(text)
            assert result.pemda_id == row["pemda_id"] and result.method == "exact", (text, result)


def test_match_many_keeps_order_and_caches(matcher):
    texts = ["Kab. Pati", "Bandung", "Kab. Pati", None, "Kota Kendari"]
    results = matcher.match_many(texts)
    assert [r.pemda_name for r in results] == ["Kab. Pati", None, "Kab. Pati", None, "Kota Kendari"]
    assert results[0] is results[2]
    assert all(isinstance(r, RegionMatch) for r in results)


def test_result_is_frozen(matcher):
    with pytest.raises(dataclasses.FrozenInstanceError):
        matcher.match("Kab. Pati").pemda_id = "x"


def test_from_rows_equals_from_seed(matcher):
    other = RegionMatcher.from_rows(build_register())
    for text in ["Kab. Lamongn", "Kendari", "Bandung", "Prov Sumsel"]:
        assert other.match(text) == matcher.match(text)


def test_region_texts_typed_with_spaces_reach_their_pemda(warehouse):
    """The lookup keys the trimmed text, as every staging model joins on it: a visit typed "Kota Bekasi "
    is Kota Bekasi's, whatever other month happens to hold the text without the space (before, it was
    unmatched unless one did, so a month's per-pemda figures depended on which months were built first)."""
    padded = warehouse.execute(
        """
        select count(*), count(visits.pemda_id)
        from marts.fct_visits as visits
        join raw.register_face_to_face as raw
            on visits.visit_kind = 'face_to_face' and visits.report_month = raw._report_month
            and visits.source_row_number = raw._row_number
        where raw."Daerah/Instansi" <> trim(raw."Daerah/Instansi")
        """
    ).fetchone()
    assert padded[0] > 0 and padded[1] == padded[0]  # the sample plants such rows; each has its pemda
    unmatched_but_known = warehouse.execute(
        """
        select count(*) from (
            select region_text, pemda_id from marts.fct_visits
            union all
            select region_text, pemda_id from intermediate.int_tickets__classified
        ) as located
        join raw.region_pemda_matches as matches using (region_text)
        where matches.pemda_id is not null and located.pemda_id is null
        """
    ).fetchone()[0]
    assert unmatched_but_known == 0
