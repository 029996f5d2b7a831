"""Writing a version's data files: ``report_metrics.csv`` / ``.parquet`` and ``manifest.json``.

They are written into the version's pending folder; how a version becomes current is in ``versions.py``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .versions import write_json

METRIC_COLUMNS = ["month", "metric", "dimension", "value", "value_prev_month", "value_prev_year"]


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
        writer.writerow(
            [
                month.isoformat(),
                metric,
                dimension,
                format_number(value),
                format_number(prev_month),
                format_number(prev_year),
            ]
        )
    return buffer.getvalue()


def write_data_files(folder: Path, csv_text: str, write_parquet, manifest: dict) -> None:
    """The version's data files in its (pending) folder: CSV, Parquet, manifest."""
    (folder / "report_metrics.csv").write_text(csv_text, encoding="utf-8")
    write_parquet(folder / "report_metrics.parquet")
    write_json(folder / "manifest.json", manifest)
