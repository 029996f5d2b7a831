"""``published/report``: the rendered monthly report (HTML + PDF), after the month's publication."""


import json
from pathlib import Path

import dagster as dg

from ...partitions import MONTHS_IN_ONE_RUN, month_start, monthly_partitions, range_result
from ...resources import DataDirResource, WarehouseResource
from ..publish.assets import code_version
from .data import load_report_data
from .render import narrative_file, narrative_html, render_html, report_file_name, write_html, write_pdf

REPORT_KEY = dg.AssetKey(["published", "report"])
PUBLISHED_REPORT_METRICS_KEY = dg.AssetKey(["published", "report_metrics"])


def published_version_folder(month_folder: Path) -> Path | None:
    """The ``versions/NNNN/`` folder of the current publication (named by the current manifest)."""
    manifest = month_folder / "manifest.json"
    if not manifest.is_file():
        return None
    version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    folder = month_folder / "versions" / f"{int(version):04d}" if version is not None else None
    return folder if folder is not None and folder.is_dir() else None


@dg.asset(
    key=REPORT_KEY,
    deps=[PUBLISHED_REPORT_METRICS_KEY],
    partitions_def=monthly_partitions,
    backfill_policy=MONTHS_IN_ONE_RUN,
    group_name="published",
    kinds={"html", "pdf"},
    owners=["team:data-engineering"],
    description=(
        "The monthly report *Laporan Layanan Informasi DJPK*, rendered from the published figures only "
        "(`published.report_metrics`, earlier published months for the 13-month trend, and "
        "`published.report_lists` when it exists): `published/<YYYY-MM>/laporan-layanan-informasi-<YYYY-MM>.html` "
        "(self-contained slides, charts embedded) and `.pdf` (one landscape A4 page per slide, WeasyPrint), also "
        "copied into the publication's `versions/<NNNN>/`. The slides are the month's edition "
        "(`defs/report/editions/*.yaml`, chosen by effective date: the January 2020 or the February 2024 report); "
        "a slide of a service that did not exist yet is left out, one without published data says "
        "\"Data belum tersedia\". The evaluation and suggestions come verbatim from "
        "`landing/narrative/<YYYY-MM>.md` when that file exists."
    ),
)
def monthly_report(
    context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    return range_result({month: _render_month(context, month, data_dir, warehouse) for month in context.partition_keys})


def _render_month(context, month: str, data_dir: DataDirResource, warehouse: WarehouseResource) -> dict:
    """Render one month's report (HTML and PDF); the metadata of its materialization."""
    paths = data_dir.paths
    with warehouse.read_only_connection() as conn:
        data = load_report_data(conn, month_start(month))
    if not data.figures:
        raise dg.Failure(f"no report for {month}: the month has no rows in published.report_metrics")

    month_folder = paths.published / month
    month_folder.mkdir(parents=True, exist_ok=True)
    version_folder = published_version_folder(month_folder)
    narrative_path = narrative_file(paths.landing, month)
    narrative = narrative_html(narrative_path)
    rendered = render_html(
        data, narrative, narrative_path=paths.relative(narrative_path),
        published_version=int(version_folder.name) if version_folder else None, code_version=code_version(),
    )
    html_path = month_folder / report_file_name(month, "html")
    pdf_path = month_folder / report_file_name(month, "pdf")
    write_html(rendered.html, html_path)
    pages = write_pdf(rendered.html, pdf_path)
    copies = []
    if version_folder is not None:
        for path in (html_path, pdf_path):
            target = version_folder / path.name
            target.write_bytes(path.read_bytes())
            copies.append(paths.relative(target))

    missing = [section.title for section in rendered.sections if not section.available]
    context.log.info(f"report {month}: {pages} pages, {rendered.charts} charts; without data: {', '.join(missing) or '-'}")
    return {
        "html": dg.MetadataValue.path(str(html_path)),
        "pdf": dg.MetadataValue.path(str(pdf_path)),
        "pdf_pages": pages,
        "charts": rendered.charts,
        "version_copies": dg.MetadataValue.json(copies),
        "narrative": paths.relative(narrative_path) if narrative is not None else "-",
        "sections": len(rendered.sections),
        "sections_without_data": dg.MetadataValue.json(missing),
    }
