"""The publish asset: after every blocking check of a month passed, stage that month's new version.

Writes the version aside — ``published/<YYYY-MM>/.pending-<NNNN>-<run>/`` with ``report_metrics.csv``,
``.parquet`` and a manifest naming the raw files, the API pulls (per provider and resource: request
times, responses, SHA-256 of the stored payloads, API mode ``live``/``recorded``), the checks and the
code version — and stages its rows in the warehouse. A month built from recorded API responses is
refused outside the demo's data dir (:func:`refuse_recorded_outside_demo`). ``published/report`` adds the HTML and PDF and then switches the complete
version in (``publication.py``): nothing of it is current before that.
"""

import subprocess
from datetime import datetime, timezone
from importlib.metadata import version as package_version

import dagster as dg
from dagster import DagsterEventType

from ...demo_mode import DEMO_MARKER, is_demo_data_dir
from ...lib.months import month_start
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions, range_result
from ...resources import DataDirResource, WarehouseResource
from ...settings import REPO_ROOT
from ..gate.checks import REPORT_METRICS_KEY
from ..social.raw_store import PAYLOAD_HASH_RECIPE, api_pulls_of_month, month_api_mode
from .crash_points import crash_point
from .files import metrics_csv, write_data_files
from .publication import recover_month
from .tables import stage_rows
from .versions import start_pending

REPORT_LISTS_KEY = dg.AssetKey(["reporting", "rpt_report_lists"])


def code_version() -> str:
    try:
        commit = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return f"{package_version('djpk-layanan-informasi')}+{commit}"


def refuse_recorded_outside_demo(month: str, api_mode: str | None, data_root) -> None:
    """A month built (wholly or partly) from recorded API responses is published only in the demo's data
    dir (marked ``SAMPLE-DATA.txt`` by ``djpk demo``): anywhere else its social-media and website figures
    would be the sample's, published as DJPK's. Raised before anything of the new version is written."""
    if api_mode in ("recorded", "mixed") and not is_demo_data_dir(data_root):
        raise dg.Failure(
            description=(
                f"{month} is not published: its social-media and website figures were built from recorded API "
                f"responses (API mode {api_mode}: the bundled sample recordings), and this data dir is not the "
                f"demo's (no {DEMO_MARKER}); recorded responses are for the demo and the tests only. Pull the "
                "month live (DJPK_API_MODE unset or live, the API tokens set) and run it again"
            ),
            allow_retries=False,
        )


def checks_of_run(context: dg.AssetExecutionContext) -> list[dict]:
    """Every asset check evaluated in this run (dbt tests and gate checks), with its outcome."""
    records = context.instance.get_records_for_run(
        run_id=context.run.run_id, of_type=DagsterEventType.ASSET_CHECK_EVALUATION, limit=10_000
    ).records
    checks = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.event_specific_data
        checks.append(
            {
                "asset": evaluation.asset_key.to_user_string(),
                "check": evaluation.check_name,
                "passed": evaluation.passed,
                "severity": evaluation.severity.value,
                "blocking": bool(getattr(evaluation, "blocking", False)),
            }
        )
    return sorted(checks, key=lambda check: (check["asset"], check["check"]))


@dg.asset(
    key=["published", "report_metrics"],
    deps=[REPORT_METRICS_KEY, REPORT_LISTS_KEY],
    partitions_def=monthly_partitions,
    backfill_policy=MONTHS_IN_ONE_RUN,
    group_name="published",
    kinds={"duckdb", "csv", "parquet"},
    owners=["team:data-engineering"],
    description=(
        "The published report dataset of a month: `published.report_metrics` in the warehouse and "
        "`published/<YYYY-MM>/report_metrics.csv|parquet` + `manifest.json` (raw files and API pulls with their "
        "SHA-256 and API mode, checks, code version) on disk. Runs only when "
        "every blocking check of the month passed; every publication is kept as a version. A month built from "
        "recorded API responses is refused outside the demo's data dir. This step writes "
        "the new version aside; it becomes current whole, with its report, when `published/report` switches it in."
    ),
)
def published_report_metrics(
    context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    checks = checks_of_run(context)
    return range_result(
        {month: _publish_month(context, month, checks, data_dir, warehouse) for month in context.partition_keys}
    )


def _publish_month(
    context, month: str, checks: list[dict], data_dir: DataDirResource, warehouse: WarehouseResource
) -> dict:
    """Stage one month's new version (files aside, rows in ``publishing``); the metadata of its materialization."""
    start = month_start(month)
    paths = data_dir.paths
    month_folder = paths.published / month
    month_folder.mkdir(parents=True, exist_ok=True)
    run_id = context.run.run_id

    with warehouse.get_connection() as conn:
        for line in recover_month(conn, month_folder, month):
            context.log.warning(f"{paths.relative(month_folder)}: {line}")
        rows = conn.execute(
            "select month, metric, dimension, value, value_prev_month, value_prev_year "
            "from reporting.rpt_report_metrics where month = ? order by metric, dimension",
            [start],
        ).fetchall()
        if not rows:
            raise dg.Failure(f"nothing to publish for {month}: reporting.rpt_report_metrics has no rows")
        raw_files = [
            dict(zip(("source", "file", "sha256", "rows_in_file", "rows_loaded", "rows_quarantined", "loaded_at"), row))
            for row in conn.execute(
                "select source, source_file, source_sha256, rows_in_file, rows_loaded, rows_quarantined, "
                "strftime(loaded_at, '%Y-%m-%dT%H:%M:%SZ') from raw.load_log where report_month = ? order by source",
                [start],
            ).fetchall()
        ]
        api_pulls = api_pulls_of_month(conn, start)
        api_mode = month_api_mode(api_pulls)
        refuse_recorded_outside_demo(month, api_mode, paths.root)
        pending = start_pending(month_folder, run_id)
        manifest = {
            "month": month,
            "published_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "version": pending.number,
            "code_version": code_version(),
            "dagster_run_id": run_id,
            "raw_files": raw_files,
            "api_pulls": api_pulls,
            "api_pulls_sha256": PAYLOAD_HASH_RECIPE,
            "api_mode": api_mode,
            "checks": checks,
            "metrics": len(rows),
            "files": ["report_metrics.csv", "report_metrics.parquet", "manifest.json"],
        }

        def write_parquet(path):
            conn.execute(
                "copy (select month, metric, dimension, value, value_prev_month, value_prev_year "
                "from reporting.rpt_report_metrics where month = ? order by metric, dimension) "
                f"to '{path}' (format parquet)",
                [start],
            )

        write_data_files(pending.folder, metrics_csv(rows), write_parquet, manifest)
        crash_point("publish.files_staged")
        stage_rows(conn, start, pending.number, run_id)
    crash_point("publish.rows_staged")
    headline = {
        metric: value
        for _, metric, dimension, value, *_ in rows
        if dimension == "" and metric in ("tickets_total", "tickets_escalated_pct", "complaints_total")
    }
    return {
        "dagster/row_count": len(rows),
        "published_folder": dg.MetadataValue.path(str(month_folder)),
        "version": pending.number,
        "headline": dg.MetadataValue.json(headline),
        "raw_files": dg.MetadataValue.json(raw_files),
        "api_pulls": dg.MetadataValue.json(
            [{key: pull[key] for key in ("provider", "resource", "responses", "items")} for pull in api_pulls]
        ),
    }
