"""The register of Indonesia's autonomous regional governments (pemda), as a dbt seed.

Source: the ``areaid`` package (1.1.2), which ships the 34 provinces of before 2022 with
514 kabupaten/kota. On top of it this module

* drops DKI Jakarta's five *kota administrasi* and one *kabupaten administrasi*: they are
  work units of Pemprov DKI Jakarta, not autonomous pemda (they have no APBD of their own);
* adds the four provinces formed in 2022 (UU 14, 15, 16 and 29 of 2022) and moves their
  kabupaten/kota out of Papua and Papua Barat;
* fixes names that are outdated or misspelt in areaid (see ``_NAME_FIXES``);
* gives every row a ``pemda_id``: a province is its two-digit Kemendagri code (``'14'`` for
  Riau, ``'93'``–``'96'`` for the 2022 provinces); a kabupaten/kota is
  ``<province code>.<areaid id, 3 digits>`` (``'14.087'`` for Kota Pekanbaru).  The part after
  the dot is areaid's own sequential id, *not* the Kemendagri kabupaten/kota code (areaid
  does not carry those), which is why it has three digits: it cannot be mistaken for one.

Result: 38 provinces + 415 kabupaten + 93 kota = 546 pemda.  (The often quoted "416
kabupaten and 98 kota" counts DKI's administrative regency and five administrative cities;
without them, 415 + 93 = 508 autonomous kabupaten/kota, DJPK's usual "546 pemda".)

Run ``python -m dagster_project.reference.pemda_register`` to (re)write the seed.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from pathlib import Path

from areaid import buka_data, buka_nama

from ..settings import DBT_SEEDS_DIR

SEED_PATH = DBT_SEEDS_DIR / "pemda_register.csv"

COLUMNS = [
    "pemda_id",
    "pemda_level",
    "pemda_name",
    "official_name",
    "name_core",
    "province_id",
    "province_name",
    "time_zone",
]

# areaid province name -> (Kemendagri code, ISO 3166-2 code areaid should carry, core name,
# official name after "Provinsi ").  areaid lists the provinces in Kemendagri code order.
_PROVINCES: dict[str, tuple[str, str, str, str]] = {
    "Aceh": ("11", "ID-AC", "Aceh", "Aceh"),
    "Sumatra Utara": ("12", "ID-SU", "Sumatera Utara", "Sumatera Utara"),
    "Sumatra Barat": ("13", "ID-SB", "Sumatera Barat", "Sumatera Barat"),
    "Riau": ("14", "ID-RI", "Riau", "Riau"),
    "Jambi": ("15", "ID-JA", "Jambi", "Jambi"),
    "Sumatra Selatan": ("16", "ID-SS", "Sumatera Selatan", "Sumatera Selatan"),
    "Bengkulu": ("17", "ID-BE", "Bengkulu", "Bengkulu"),
    "Lampung": ("18", "ID-LA", "Lampung", "Lampung"),
    "Kepulauan Bangka Belitung": ("19", "ID-BB", "Kepulauan Bangka Belitung", "Kepulauan Bangka Belitung"),
    "Kepulauan Riau": ("21", "ID-KR", "Kepulauan Riau", "Kepulauan Riau"),
    # areaid gives DKI the ISO code "ID-JB" (Jawa Barat's); the right one is ID-JK.
    "Daerah Khusus Ibukota Jakarta": ("31", "ID-JB", "DKI Jakarta", "Daerah Khusus Ibukota Jakarta"),
    "Jawa Barat": ("32", "ID-JB", "Jawa Barat", "Jawa Barat"),
    "Jawa Tengah": ("33", "ID-JT", "Jawa Tengah", "Jawa Tengah"),
    "Daerah Istimewa Yogyakarta": ("34", "ID-YO", "DI Yogyakarta", "Daerah Istimewa Yogyakarta"),
    "Jawa Timur": ("35", "ID-JI", "Jawa Timur", "Jawa Timur"),
    "Banten": ("36", "ID-BT", "Banten", "Banten"),
    "Bali": ("51", "ID-BA", "Bali", "Bali"),
    "Nusa Tenggara Barat": ("52", "ID-NB", "Nusa Tenggara Barat", "Nusa Tenggara Barat"),
    "Nusa Tenggara Timur": ("53", "ID-NT", "Nusa Tenggara Timur", "Nusa Tenggara Timur"),
    "Kalimantan Barat": ("61", "ID-KB", "Kalimantan Barat", "Kalimantan Barat"),
    "Kalimantan Tengah": ("62", "ID-KT", "Kalimantan Tengah", "Kalimantan Tengah"),
    "Kalimantan Selatan": ("63", "ID-KS", "Kalimantan Selatan", "Kalimantan Selatan"),
    "Kalimantan Timur": ("64", "ID-KI", "Kalimantan Timur", "Kalimantan Timur"),
    "Kalimantan Utara": ("65", "ID-KU", "Kalimantan Utara", "Kalimantan Utara"),
    "Sulawesi Utara": ("71", "ID-SA", "Sulawesi Utara", "Sulawesi Utara"),
    "Sulawesi Tengah": ("72", "ID-ST", "Sulawesi Tengah", "Sulawesi Tengah"),
    "Sulawesi Selatan": ("73", "ID-SN", "Sulawesi Selatan", "Sulawesi Selatan"),
    "Sulawesi Tenggara": ("74", "ID-SG", "Sulawesi Tenggara", "Sulawesi Tenggara"),
    "Gorontalo": ("75", "ID-GO", "Gorontalo", "Gorontalo"),
    "Sulawesi Barat": ("76", "ID-SR", "Sulawesi Barat", "Sulawesi Barat"),
    "Maluku": ("81", "ID-MA", "Maluku", "Maluku"),
    "Maluku Utara": ("82", "ID-MU", "Maluku Utara", "Maluku Utara"),
    "Papua": ("91", "ID-PA", "Papua", "Papua"),
    "Papua Barat": ("92", "ID-PB", "Papua Barat", "Papua Barat"),
}

# The provinces formed in 2022: code, core name, parent in areaid, and their kabupaten/kota
# (areaid's ``kab_kota`` spelling).
_NEW_PROVINCES: list[tuple[str, str, str, list[str]]] = [
    (
        "93",
        "Papua Selatan",
        "Papua",
        [
            "Kabupaten Merauke",
            "Kabupaten Boven Digoel",
            "Kabupaten Mappi",
            "Kabupaten Asmat",
        ],
    ),
    (
        "94",
        "Papua Tengah",
        "Papua",
        [
            "Kabupaten Nabire",
            "Kabupaten Puncak Jaya",
            "Kabupaten Paniai",
            "Kabupaten Mimika",
            "Kabupaten Puncak",
            "Kabupaten Dogiyai",
            "Kabupaten Intan Jaya",
            "Kabupaten Deiyai (Deliyai)",
        ],
    ),
    (
        "95",
        "Papua Pegunungan",
        "Papua",
        [
            "Kabupaten Jayawijaya",
            "Kabupaten Pegunungan Bintang",
            "Kabupaten Yahukimo",
            "Kabupaten Tolikara",
            "Kabupaten Mamberamo Tengah",
            "Kabupaten Yalimo",
            "Kabupaten Lanny Jaya",
            "Kabupaten Nduga",
        ],
    ),
    (
        "96",
        "Papua Barat Daya",
        "Papua Barat",
        [
            "Kota Sorong",
            "Kabupaten Sorong",
            "Kabupaten Sorong Selatan",
            "Kabupaten Raja Ampat",
            "Kabupaten Tambrauw",
            "Kabupaten Maybrat",
        ],
    ),
]

# What must be left in the parent provinces after the split (checked, not used to build).
_REMAINING = {
    "Papua": {
        "Biak Numfor",
        "Jayapura",
        "Keerom",
        "Kepulauan Yapen",
        "Mamberamo Raya",
        "Sarmi",
        "Supiori",
        "Waropen",  # kabupaten
    },
    "Papua Barat": {
        "Fakfak",
        "Kaimana",
        "Manokwari",
        "Manokwari Selatan",
        "Pegunungan Arfak",
        "Teluk Bintuni",
        "Teluk Wondama",
    },
}

# areaid kab_kota -> official name.  Renamed since areaid's data, misspelt, or carrying an
# alternative name in parentheses.
_NAME_FIXES = {
    "Kabupaten Toba Samosir": "Kabupaten Toba",  # renamed 2020 (PP 1/2020)
    "Kabupaten Mamuju Utara": "Kabupaten Pasangkayu",  # renamed 2017
    "Kabupaten Maluku Tenggara Barat": "Kabupaten Kepulauan Tanimbar",  # renamed 2019 (PP 2/2019)
    "Kota Padang Sidempuan": "Kota Padangsidimpuan",
    "Kota Lubuk Linggau": "Kota Lubuklinggau",
    "Kota Pangkal Pinang": "Kota Pangkalpinang",
    "Kota Tanjung Pinang": "Kota Tanjungpinang",
    "Kabupaten Muko Muko": "Kabupaten Mukomuko",
    "Kabupaten Gunung Kidul": "Kabupaten Gunungkidul",
    "Kabupaten Pangkajene Kepulauan": "Kabupaten Pangkajene dan Kepulauan",
    "Kabupaten Selayar (Kepulauan Selayar)": "Kabupaten Kepulauan Selayar",
    "Kabupaten Sijunjung (Sawah Lunto Sijunjung)": "Kabupaten Sijunjung",
    "Kabupaten Ogan Komering Ulu Selatan (Oku Selatan)": "Kabupaten Ogan Komering Ulu Selatan",
    "Kabupaten Ogan Komering Ulu Timur (Oku Timur)": "Kabupaten Ogan Komering Ulu Timur",
    "Kota Surakarta (Solo)": "Kota Surakarta",
    "Kabupaten Bulungan (Bulongan)": "Kabupaten Bulungan",
    "Kabupaten Kepulauan Siau Tagulandang Biaro (Sitaro)": "Kabupaten Kepulauan Siau Tagulandang Biaro",
    "Kabupaten Sidenreng Rappang (Sidrap)": "Kabupaten Sidenreng Rappang",
    "Kabupaten Deiyai (Deliyai)": "Kabupaten Deiyai",
    "Kabupaten Kepulauan Yapen (Yapen Waropen)": "Kabupaten Kepulauan Yapen",
}

_DKI_ADMINISTRATIVE = {
    "Kabupaten Adm. Kepulauan Seribu",
    "Kota Adm. Jakarta Barat",
    "Kota Adm. Jakarta Pusat",
    "Kota Adm. Jakarta Selatan",
    "Kota Adm. Jakarta Timur",
    "Kota Adm. Jakarta Utara",
}

_WIB = {"11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "31", "32", "33", "34", "35", "36", "61", "62"}
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT = {"81", "82", "91", "92", "93", "94", "95", "96"}

_LOWER_WORDS = {"dan"}
_UPPER_WORDS = {"dki", "di"}


def title_case(name: str) -> str:
    """Title Case an Indonesian place name: ``'TOJO UNA-UNA'`` -> ``'Tojo Una-Una'``.

    ``dan`` stays lower case (except first), ``DKI``/``DI`` stay upper case.
    """
    words = []
    for i, word in enumerate(name.split()):
        low = word.lower()
        if low in _UPPER_WORDS:
            words.append(low.upper())
        elif low in _LOWER_WORDS and i > 0:
            words.append(low)
        else:
            words.append("-".join(part[:1].upper() + part[1:] for part in low.split("-")))
    return " ".join(words)


def time_zone(province_id: str) -> str:
    """WIB, WITA or WIT of a province code."""
    for zone, codes in (("WIB", _WIB), ("WITA", _WITA), ("WIT", _WIT)):
        if province_id in codes:
            return zone
    raise KeyError(f"no time zone for province {province_id!r}")


def _split_kab_kota(name: str) -> tuple[str, str]:
    """``'Kabupaten Pati'`` -> ``('kabupaten', 'Pati')``."""
    match = re.fullmatch(r"(Kabupaten|Kota) (.+)", name)
    assert match, f"unexpected kab/kota name in areaid: {name!r}"
    return match.group(1).lower(), match.group(2)


def build_register() -> list[dict]:
    """All 546 pemda as seed rows (dicts keyed by ``COLUMNS``), sorted by ``pemda_id``."""
    province_names = buka_nama()["himpunan"]
    assert list(province_names) == list(_PROVINCES), "areaid's province list changed"

    moved: dict[str, tuple[str, str]] = {}  # areaid kab_kota -> (new province code, parent)
    for code, _core, parent, members in _NEW_PROVINCES:
        for member in members:
            assert member not in moved, member
            moved[member] = (code, parent)

    provinces: dict[str, str] = {}  # code -> core name
    rows: list[dict] = []
    seen_moved: set[str] = set()
    seen_fixes: set[str] = set()
    seen_dki: set[str] = set()
    remaining: dict[str, set[str]] = {parent: set() for parent in _REMAINING}

    for areaid_name in province_names:
        code, iso, core, official = _PROVINCES[areaid_name]
        (data,) = buka_data(areaid_name.lower())
        assert data["provinsi"] == areaid_name and data["p_bsni"] == iso, (areaid_name, data["p_bsni"])
        provinces[code] = core
        rows.append(_province_row(code, core, official))
        for kab in data["kabupaten"]:
            source = kab["kab_kota"]
            if source in _DKI_ADMINISTRATIVE:
                seen_dki.add(source)
                continue
            prov_code = code
            if source in moved:
                prov_code, parent = moved[source]
                assert parent == areaid_name, f"{source} is in {areaid_name}, expected {parent}"
                seen_moved.add(source)
            if source in _NAME_FIXES:
                seen_fixes.add(source)
            level, core_name = _split_kab_kota(_NAME_FIXES.get(source, source))
            core_name = title_case(core_name)
            assert "(" not in core_name and "Adm" not in core_name, source
            if areaid_name in remaining and prov_code == code:
                remaining[areaid_name].add(core_name)
            rows.append(
                {
                    "pemda_id": f"{prov_code}.{int(kab['id']):03d}",
                    "pemda_level": level,
                    "pemda_name": f"{'Kab.' if level == 'kabupaten' else 'Kota'} {core_name}",
                    "official_name": f"{'Kabupaten' if level == 'kabupaten' else 'Kota'} {core_name}",
                    "name_core": core_name,
                    "province_id": prov_code,
                    "province_name": None,  # filled below, once the new provinces exist
                    "time_zone": time_zone(prov_code),
                }
            )

    # Fail loudly when a name in the hand-written tables does not occur in areaid.
    assert seen_moved == set(moved), f"not found in areaid: {sorted(set(moved) - seen_moved)}"
    assert seen_fixes == set(_NAME_FIXES), f"not found in areaid: {sorted(set(_NAME_FIXES) - seen_fixes)}"
    assert seen_dki == _DKI_ADMINISTRATIVE, f"not found in areaid: {sorted(_DKI_ADMINISTRATIVE - seen_dki)}"
    for parent, expected in _REMAINING.items():
        assert remaining[parent] == expected, (parent, sorted(remaining[parent] ^ expected))

    for code, core, _parent, _members in _NEW_PROVINCES:
        provinces[code] = core
        rows.append(_province_row(code, core, core))
    for row in rows:
        row["province_name"] = provinces[row["province_id"]]

    rows.sort(key=lambda row: row["pemda_id"])
    ids = [row["pemda_id"] for row in rows]
    assert len(ids) == len(set(ids)), "pemda_id not unique"
    names = [row["pemda_name"] for row in rows]
    assert len(names) == len(set(names)), "pemda_name not unique"
    return rows


def _province_row(code: str, core: str, official: str) -> dict:
    return {
        "pemda_id": code,
        "pemda_level": "provinsi",
        "pemda_name": f"Prov. {core}",
        "official_name": f"Provinsi {official}",
        "name_core": core,
        "province_id": code,
        "province_name": core,
        "time_zone": time_zone(code),
    }


def register_csv(rows: list[dict]) -> str:
    """The seed file's text: UTF-8, header, comma separated, ``\\n`` line endings."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_seed(path: Path = SEED_PATH) -> Path:
    """Write the register to ``path`` (the dbt seed by default)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(register_csv(build_register()).encode("utf-8"))
    return path


def main() -> None:
    rows = build_register()
    path = write_seed()
    counts = {level: sum(row["pemda_level"] == level for row in rows) for level in ("provinsi", "kabupaten", "kota")}
    print(f"wrote {path}: {len(rows)} pemda {counts}", file=sys.stderr)


if __name__ == "__main__":
    main()
