"""Match region text as people type it ("Pemkot Kendari", "KAB PATI", "Prov Sumsel") to the
pemda register (``dbt/seeds/pemda_register.csv``, see ``pemda_register.py``).

How a text is matched:

1. ``normalize_region_text``: NFKC, casefold, punctuation to spaces, whitespace collapsed;
   a leading ``pemerintah``/``pemda`` is dropped and a level prefix (``kab.``, ``pemkot``,
   ``propinsi``, ...) is rewritten as ``kabupaten``/``kota``/``provinsi``; ``adm``/
   ``administrasi`` after it is dropped; the word ``kep`` becomes ``kepulauan``.
   Example: ``"Kab Kep. Seribu"`` -> ``"kabupaten kepulauan seribu"``.  Nothing left after
   that (``""``, ``"-"``, ``"Kab."``, ``None``, NaN, ``"null"``) is unmatched, reason ``empty``.
2. Name cores are compared with their spaces removed, so ``"Bukit Tinggi"`` equals
   ``"Bukittinggi"`` and ``"Palangkaraya"`` equals ``"Palangka Raya"``.
3. With a level prefix: the (level, core) pair must be in the register (method ``exact``)
   or in the alias table ``ALIASES`` (method ``alias``).  A core that exists only at
   another level ("Kota Pati": there is Kab. Pati but no Kota Pati) is ``no_match``: a
   prefix that contradicts the register is never overridden.
4. Without a prefix: a core naming exactly one pemda matches (``core_unique``, or ``alias``
   if it came from the alias table); naming several ("Bandung", "Gorontalo", "Jambi") is
   ``ambiguous`` - never guessed.
5. Otherwise fuzzy: ``rapidfuzz.fuzz.ratio`` of the space-less core against the space-less
   cores (and aliases) of the given level, or of all levels without a prefix.  The best
   pemda must score at least ``FUZZY_THRESHOLD`` and beat the best *other* pemda by
   ``FUZZY_MARGIN``; else ``no_match`` (too low) or ``ambiguous`` (too close).

The alias table lives in this module (``ALIASES``), not in a seed: province abbreviations,
former or alternative names, and DKI Jakarta's administrative cities/regency, which are
mapped to Prov. DKI Jakarta (they are work units of the province, not pemda of their own).
"""

from __future__ import annotations

import csv
import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, process

from dagster_project.reference.pemda_register import SEED_PATH

FUZZY_THRESHOLD = 90.0
"""Minimum ``fuzz.ratio`` (0-100) of a fuzzy match."""
FUZZY_MARGIN = 5.0
"""How far the best fuzzy candidate must be ahead of the best different pemda."""
CACHE_SIZE = 1 << 18
"""Entries in the per-matcher LRU cache of ``match`` (keyed by the raw input)."""

LEVELS = ("provinsi", "kabupaten", "kota")

# Leading words that say "government of" but not which level: dropped.
_GOVERNMENT_PREFIXES = (("pemerintah", "daerah"), ("pemerintah",), ("pemda",))
# Level prefixes (after punctuation is removed) -> level.
_LEVEL_WORDS = {
    "kab": "kabupaten",
    "kabupaten": "kabupaten",
    "pemkab": "kabupaten",
    "kota": "kota",
    "kotamadya": "kota",
    "kodya": "kota",
    "pemkot": "kota",
    "prov": "provinsi",
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "pemprov": "provinsi",
}
_ADMINISTRATIVE_WORDS = {"adm", "administrasi", "administratif"}
_WORD_EXPANSIONS = {"kep": "kepulauan"}
# Inputs that mean "nothing here" (after normalisation).
_EMPTY_TEXTS = {"", "nan", "none", "null", "n a"}

# (alias, level the alias belongs to, pemda_name in the register).  Resolved against the
# register when a matcher is built; an unknown pemda_name fails loudly.
ALIASES: list[tuple[str, str, str]] = [
    # common province abbreviations
    ("sumut", "provinsi", "Prov. Sumatera Utara"),
    ("sumbar", "provinsi", "Prov. Sumatera Barat"),
    ("sumsel", "provinsi", "Prov. Sumatera Selatan"),
    ("babel", "provinsi", "Prov. Kepulauan Bangka Belitung"),
    ("bangka belitung", "provinsi", "Prov. Kepulauan Bangka Belitung"),
    ("kepri", "provinsi", "Prov. Kepulauan Riau"),
    ("dki", "provinsi", "Prov. DKI Jakarta"),
    ("jakarta", "provinsi", "Prov. DKI Jakarta"),
    ("daerah khusus jakarta", "provinsi", "Prov. DKI Jakarta"),
    ("jabar", "provinsi", "Prov. Jawa Barat"),
    ("jateng", "provinsi", "Prov. Jawa Tengah"),
    ("diy", "provinsi", "Prov. DI Yogyakarta"),
    ("yogyakarta", "provinsi", "Prov. DI Yogyakarta"),
    ("jatim", "provinsi", "Prov. Jawa Timur"),
    ("ntb", "provinsi", "Prov. Nusa Tenggara Barat"),
    ("ntt", "provinsi", "Prov. Nusa Tenggara Timur"),
    ("kalbar", "provinsi", "Prov. Kalimantan Barat"),
    ("kalteng", "provinsi", "Prov. Kalimantan Tengah"),
    ("kalsel", "provinsi", "Prov. Kalimantan Selatan"),
    ("kaltim", "provinsi", "Prov. Kalimantan Timur"),
    ("kaltara", "provinsi", "Prov. Kalimantan Utara"),
    ("sulut", "provinsi", "Prov. Sulawesi Utara"),
    ("sulteng", "provinsi", "Prov. Sulawesi Tengah"),
    ("sulsel", "provinsi", "Prov. Sulawesi Selatan"),
    ("sultra", "provinsi", "Prov. Sulawesi Tenggara"),
    ("sulbar", "provinsi", "Prov. Sulawesi Barat"),
    ("nanggroe aceh darussalam", "provinsi", "Prov. Aceh"),
    ("sumatra utara", "provinsi", "Prov. Sumatera Utara"),
    ("sumatra barat", "provinsi", "Prov. Sumatera Barat"),
    ("sumatra selatan", "provinsi", "Prov. Sumatera Selatan"),
    # DKI Jakarta's administrative regency and cities: part of Pemprov DKI Jakarta
    ("kepulauan seribu", "kabupaten", "Prov. DKI Jakarta"),
    ("jakarta pusat", "kota", "Prov. DKI Jakarta"),
    ("jakarta utara", "kota", "Prov. DKI Jakarta"),
    ("jakarta barat", "kota", "Prov. DKI Jakarta"),
    ("jakarta selatan", "kota", "Prov. DKI Jakarta"),
    ("jakarta timur", "kota", "Prov. DKI Jakarta"),
    # former names and well-known short names of kabupaten/kota
    ("toba samosir", "kabupaten", "Kab. Toba"),
    ("mamuju utara", "kabupaten", "Kab. Pasangkayu"),
    ("maluku tenggara barat", "kabupaten", "Kab. Kepulauan Tanimbar"),
    ("sawahlunto sijunjung", "kabupaten", "Kab. Sijunjung"),
    ("padang sidempuan", "kota", "Kota Padangsidimpuan"),
    ("pangkajene kepulauan", "kabupaten", "Kab. Pangkajene dan Kepulauan"),
    ("pangkep", "kabupaten", "Kab. Pangkajene dan Kepulauan"),
    ("selayar", "kabupaten", "Kab. Kepulauan Selayar"),
    ("oku", "kabupaten", "Kab. Ogan Komering Ulu"),
    ("oku selatan", "kabupaten", "Kab. Ogan Komering Ulu Selatan"),
    ("oku timur", "kabupaten", "Kab. Ogan Komering Ulu Timur"),
    ("oki", "kabupaten", "Kab. Ogan Komering Ilir"),
    ("pali", "kabupaten", "Kab. Penukal Abab Lematang Ilir"),
    ("muratara", "kabupaten", "Kab. Musi Rawas Utara"),
    ("muba", "kabupaten", "Kab. Musi Banyuasin"),
    ("kukar", "kabupaten", "Kab. Kutai Kartanegara"),
    ("sidrap", "kabupaten", "Kab. Sidenreng Rappang"),
    ("sitaro", "kabupaten", "Kab. Kepulauan Siau Tagulandang Biaro"),
    ("bulongan", "kabupaten", "Kab. Bulungan"),
    ("deliyai", "kabupaten", "Kab. Deiyai"),
    ("yapen", "kabupaten", "Kab. Kepulauan Yapen"),
    ("yapen waropen", "kabupaten", "Kab. Kepulauan Yapen"),
    ("solo", "kota", "Kota Surakarta"),
    ("tidore", "kota", "Kota Tidore Kepulauan"),
    ("tangsel", "kota", "Kota Tangerang Selatan"),
]

_PUNCTUATION = re.compile(r"[^\w\s]|_")


@dataclass(frozen=True)
class RegionMatch:
    """The outcome of matching one text.

    ``method`` is ``exact``, ``alias``, ``core_unique``, ``fuzzy`` or ``none``; ``reason`` is
    None when matched, else ``empty``, ``ambiguous`` or ``no_match``.  ``score`` is 100 for
    non-fuzzy matches and the best ``fuzz.ratio`` otherwise (0 when nothing was compared).
    """

    input: str
    normalized: str
    pemda_id: str | None
    pemda_name: str | None
    method: str
    score: float
    reason: str | None

    @property
    def matched(self) -> bool:
        return self.pemda_id is not None


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).casefold()
    return _PUNCTUATION.sub(" ", text).split()


def _parse(text: str) -> tuple[str | None, list[str]]:
    """(level or None, core words) of a region text."""
    words = _words(text)
    for prefix in _GOVERNMENT_PREFIXES:
        if tuple(words[: len(prefix)]) == prefix:
            words = words[len(prefix) :]
            break
    level = None
    if words and words[0] in _LEVEL_WORDS:
        level, words = _LEVEL_WORDS[words[0]], words[1:]
        while words and words[0] in _ADMINISTRATIVE_WORDS:
            words = words[1:]
    return level, [_WORD_EXPANSIONS.get(word, word) for word in words]


def normalize_region_text(text: str) -> str:
    """Canonical lookup key of a region text: ``"Pemkot  Kendari."`` -> ``"kota kendari"``.

    Casefolded, without punctuation, single spaces, level prefix spelled ``provinsi``/
    ``kabupaten``/``kota``; texts naming the same thing the same way get the same key
    (``"Kab. Pati"``, ``"KABUPATEN PATI"``, ``"Pemkab Pati"`` -> ``"kabupaten pati"``).
    """
    level, core = _parse(text)
    return " ".join(([level] if level else []) + core)


def _key(core_words: Iterable[str]) -> str:
    """Comparison key of a name core: its words joined without spaces."""
    return "".join(core_words)


def _as_text(value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return value if isinstance(value, str) else str(value)


class RegionMatcher:
    """Matches region texts to pemda of the register; see the module docstring."""

    def __init__(self, rows: Iterable[Mapping[str, str]]):
        self._names: dict[str, str] = {}  # pemda_id -> pemda_name
        # (level, key) -> {pemda_id: "exact" | "alias"}; key -> same, over all levels.
        self._by_level: dict[tuple[str, str], dict[str, str]] = {}
        self._by_key: dict[str, dict[str, str]] = {}
        ids_by_name: dict[str, str] = {}
        for row in rows:
            pemda_id, level = row["pemda_id"], row["pemda_level"]
            assert level in LEVELS, row
            self._names[pemda_id] = row["pemda_name"]
            ids_by_name[row["pemda_name"]] = pemda_id
            self._add(level, row["name_core"], pemda_id, "exact")
            official_core = row["official_name"].split(" ", 1)[1]  # "Provinsi Daerah ... Jakarta"
            self._add(level, official_core, pemda_id, "exact")
        for alias, level, pemda_name in ALIASES:
            assert pemda_name in ids_by_name, f"alias {alias!r}: no pemda named {pemda_name!r}"
            self._add(level, alias, ids_by_name[pemda_name], "alias")
        for (level, key), hits in self._by_level.items():
            assert len(hits) == 1, f"{level} {key!r} names several pemda: {hits}"

        # Fuzzy choices: distinct keys of one level (or of all levels, under None).
        self._choices: dict[str | None, tuple[list[str], list[list[str]]]] = {}
        for scope in (None, *LEVELS):
            keys = sorted({key for (level, key) in self._by_level if scope in (None, level)})
            ids = [sorted(self._ids_of(key, scope)) for key in keys]
            self._choices[scope] = (keys, ids)
        self._cached_match = functools.lru_cache(maxsize=CACHE_SIZE)(self._match)

    @classmethod
    def from_seed(cls, path: str | Path = SEED_PATH) -> RegionMatcher:
        """A matcher over the register seed CSV (``dbt/seeds/pemda_register.csv`` by default)."""
        with open(path, newline="", encoding="utf-8") as handle:
            return cls(list(csv.DictReader(handle)))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]]) -> RegionMatcher:
        """A matcher over register rows (e.g. ``pemda_register.build_register()``)."""
        return cls(rows)

    def _add(self, level: str, name: str, pemda_id: str, method: str) -> None:
        key = _key(_parse(name)[1])
        for index, index_key in ((self._by_level, (level, key)), (self._by_key, key)):
            hits = index.setdefault(index_key, {})
            if hits.get(pemda_id) != "exact":  # an exact name wins over an alias
                hits[pemda_id] = method

    def _ids_of(self, key: str, scope: str | None) -> set[str]:
        if scope is None:
            return set(self._by_key[key])
        return set(self._by_level.get((scope, key), ()))

    def match(self, text: object) -> RegionMatch:
        """Match one text (``None``/NaN count as empty).  Results are cached."""
        return self._cached_match(_as_text(text))

    def match_many(self, texts: Iterable[object]) -> list[RegionMatch]:
        """Match many texts, in order.  Pass distinct values: the cost is per distinct string."""
        local: dict[str, RegionMatch] = {}
        results = []
        for text in texts:
            text = _as_text(text)
            result = local.get(text)
            if result is None:
                result = local[text] = self._cached_match(text)
            results.append(result)
        return results

    def _result(
        self, text: str, normalized: str, pemda_id: str | None, method: str, score: float, reason: str | None
    ) -> RegionMatch:
        name = self._names[pemda_id] if pemda_id else None
        return RegionMatch(text, normalized, pemda_id, name, method, float(score), reason)

    def _match(self, text: str) -> RegionMatch:
        level, core = _parse(text)
        normalized = " ".join(([level] if level else []) + core)
        key = _key(core)
        if normalized in _EMPTY_TEXTS or not key:
            return self._result(text, normalized, None, "none", 0.0, "empty")
        hits = self._by_level.get((level, key)) if level else self._by_key.get(key)
        if hits:
            if len(hits) > 1:
                return self._result(text, normalized, None, "none", 100.0, "ambiguous")
            ((pemda_id, how),) = hits.items()
            method = "alias" if how == "alias" else ("exact" if level else "core_unique")
            return self._result(text, normalized, pemda_id, method, 100.0, None)
        if level and key in self._by_key:  # e.g. "Kota Pati": the name exists, the level not
            return self._result(text, normalized, None, "none", 0.0, "no_match")
        return self._fuzzy(text, normalized, key, level)

    def _fuzzy(self, text: str, normalized: str, key: str, level: str | None) -> RegionMatch:
        keys, ids = self._choices[level]
        best: dict[str, float] = {}  # pemda_id -> best score among its keys
        for _choice, score, index in process.extract(key, keys, scorer=fuzz.ratio, limit=10):
            for pemda_id in ids[index]:
                best[pemda_id] = max(best.get(pemda_id, 0.0), score)
        ranked = sorted(best.items(), key=lambda item: -item[1])
        if not ranked or ranked[0][1] < FUZZY_THRESHOLD:
            top = ranked[0][1] if ranked else 0.0
            return self._result(text, normalized, None, "none", top, "no_match")
        (pemda_id, top), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
        if top - runner_up < FUZZY_MARGIN:
            return self._result(text, normalized, None, "none", top, "ambiguous")
        return self._result(text, normalized, pemda_id, "fuzzy", top, None)
