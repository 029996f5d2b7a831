"""``published/report``: the rendered monthly report (HTML + PDF), after the month's publication."""

from pathlib import Path

import dagster as dg

from ...lib.months import month_start
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions, range_result
from ...report.data import load_report_data
from ...resources import DataDirResource, WarehouseResource
from ..publish.assets import code_version
from ..publish.crash_points import crash_point
from ..publish.publication import recover_month, switch_in
from ..publish.tables import staged_publication
from ..publish.versions import current_folder, pending_from_current, pending_of_run, record_in_manifest

RENDERING_MODULES = ("dagster_project.report.render", "weasyprint")
"""What rendering imports (templates, charts, PDF: about 1 s), in the step rather than when the definitions load
(``dagster_project/report/``). The dbt step imports them in the background while it waits for dbt
(``lib/preload.py``)."""

REPORT_KEY = dg.AssetKey(["published", "report"])
PUBLISHED_REPORT_METRICS_KEY = dg.AssetKey(["published", "report_metrics"])


def published_version_folder(month_folder: Path) -> Path | None:
    """The ``versions/NNNN/`` folder of the current publication."""
    return current_folder(month_folder)


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
        "copied into the publication's `versions/<NNNN>/`; rendering completes the month's new version, which is then "
        "switched in whole (files and `published` tables). The slides are the month's edition "
        "(`defs/report/editions/*.yaml`, chosen by effective date: the January 2020 or the February 2024 report); "
        "a slide of a service that did not exist yet is left out, one without published data says "
        '"Data belum tersedia". The evaluation and suggestions come verbatim from '
        "`landing/narrative/<YYYY-MM>.md` when that file exists; another written slide of the edition (the month's "
        "circular letter) from `landing/narrative/<YYYY-MM>-<part>.md`."
    ),
)
def monthly_report(
    context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    return range_result({month: _render_month(context, month, data_dir, warehouse) for month in context.partition_keys})


def _render_month(context, month: str, data_dir: DataDirResource, warehouse: WarehouseResource) -> dict:
    """Render one month's report (HTML and PDF) into the month's new version and switch that version
    in (``publish/publication.py``); the metadata of its materialization."""
    from ...report.render import read_narratives, render_html, report_file_name, write_html, write_pdf

    paths = data_dir.paths
    run_id = context.run.run_id
    month_folder = paths.published / month
    with warehouse.get_connection() as conn:
        for line in recover_month(conn, month_folder, month, keep_run_id=run_id):
            context.log.warning(f"{paths.relative(month_folder)}: {line}")
    with staged_publication(warehouse.database, run_id, dict(warehouse.connection_config)) as conn:
        data = load_report_data(conn, month_start(month))
    if not data.figures:
        raise dg.Failure(f"no report for {month}: the month has no rows in published.report_metrics")

    pending = pending_of_run(month_folder, run_id) or pending_from_current(month_folder, run_id)
    texts = read_narratives(paths.landing, month)  # each file read once: rendered and hashed from the same bytes
    rendered = render_html(
        data,
        texts,
        published_version=pending.number,
        code_version=code_version(),
    )
    write_html(rendered.html, pending.folder / report_file_name(month, "html"))
    pages = write_pdf(rendered.html, pending.folder / report_file_name(month, "pdf"))
    used = [{"part": part, "file": paths.relative(text.path), "sha256": text.sha256} for part, text in texts.items()]
    record_in_manifest(pending, narratives=used)  # the team's texts in this report, beside the raw files
    crash_point("report.rendered")
    with warehouse.get_connection() as conn:
        switch_in(conn, pending, month)
    html_path = month_folder / report_file_name(month, "html")
    pdf_path = month_folder / report_file_name(month, "pdf")
    copies = [
        paths.relative(month_folder / "versions" / f"{pending.number:04d}" / path.name)
        for path in (html_path, pdf_path)
    ]

    missing = [section.title for section in rendered.sections if not section.available]
    return {
        "html": dg.MetadataValue.path(str(html_path)),
        "pdf": dg.MetadataValue.path(str(pdf_path)),
        "pdf_pages": pages,
        "charts": rendered.charts,
        "version_copies": dg.MetadataValue.json(copies),
        "narratives": dg.MetadataValue.json([entry["file"] for entry in used]),
        "sections": len(rendered.sections),
        "sections_without_data": dg.MetadataValue.json(missing),
    }
