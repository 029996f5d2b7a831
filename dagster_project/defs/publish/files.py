"""Writing a month's published files: ``report_metrics.csv`` / ``.parquet`` and ``manifest.json``.

Layout (``shared/contracts/published.md``)::

    published/<YYYY-MM>/report_metrics.csv        the current version
    published/<YYYY-MM>/report_metrics.parquet
    published/<YYYY-MM>/manifest.json
    published/<YYYY-MM>/versions/<NNNN>/…         every version ever published, never rewritten

A new version is written completely into its own folder first; only then are the current files
replaced (each by an atomic rename), so a failure mid-way leaves the previous publication intact.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
from pathlib import Path

METRIC_COLUMNS = ["month", "metric", "dimension", "value", "value_prev_month", "value_prev_year"]
CURRENT_FILES = ("report_metrics.csv", "report_metrics.parquet", "manifest.json")


def format_number(value: float | None) -> str:
    """Deterministic text for a figure: integers without decimals, others with up to 4."""
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.4f}".rstrip("0").rstrip(".")


def metrics_csv(rows: list[tuple]) -> str:
    """CSV text of report_metrics rows, sorted by metric then dimension (byte-stable)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(METRIC_COLUMNS)
    for month, metric, dimension, value, prev_month, prev_year in sorted(rows, key=lambda r: (r[1], r[2])):
        writer.writerow([month.isoformat(), metric, dimension, format_number(value),
                         format_number(prev_month), format_number(prev_year)])
    return buffer.getvalue()


def next_version_folder(month_folder: Path) -> Path:
    versions = month_folder / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    existing = [int(path.name) for path in versions.iterdir() if path.is_dir() and path.name.isdigit()]
    return versions / f"{max(existing, default=0) + 1:04d}"


def write_version(version_folder: Path, csv_text: str, write_parquet, manifest: dict) -> None:
    staging = version_folder.with_name(version_folder.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    (staging / "report_metrics.csv").write_text(csv_text, encoding="utf-8")
    write_parquet(staging / "report_metrics.parquet")
    (staging / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    staging.rename(version_folder)


def promote_version(version_folder: Path, month_folder: Path) -> None:
    for name in CURRENT_FILES:
        temporary = month_folder / f".{name}.tmp"
        shutil.copyfile(version_folder / name, temporary)
        os.replace(temporary, month_folder / name)
