"""Run-status sensors that tell the team by e-mail (``dagster_project/notifications.py`` builds the mails).

- ``notify_run_failure``: any failed run of this code location (the monthly report, an ingest, the daily
  snapshots): the month, what failed (check or step, first line of the error) and the run's link.
- ``notify_publication``: a successful run that published a month's report: the month(s), with the
  report's PDF attached.

Both are on by default (the daemon evaluates them); without SMTP settings in the environment each tick is
skipped with the reason. ``$DJPK_NOTIFY_INTERVAL_SECONDS`` sets how often they look (default 30 s).
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from ...notifications import (
    failure_message,
    failures_from_events,
    publication_message,
    send,
    smtp_settings,
)
from ..report.assets import REPORT_KEY

INTERVAL_SECONDS = int(os.environ.get("DJPK_NOTIFY_INTERVAL_SECONDS", 30))


def _ui_url() -> str | None:
    return os.environ.get("DJPK_UI_URL") or None


@dg.run_failure_sensor(
    name="notify_run_failure",
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Mengirim e-mail ke tim saat sebuah run gagal (laporan bulanan, ingest, snapshot harian): bulan laporan, "
        "apa yang gagal (pemeriksaan atau langkah, baris pertama pesan galat) dan tautan run. SMTP dari "
        "DJPK_SMTP_HOST/DJPK_SMTP_PORT, pengirim DJPK_MAIL_FROM, penerima DJPK_MAIL_TO; tanpa itu dilewati."
    ),
)
def notify_run_failure(context: dg.RunFailureSensorContext):
    settings = smtp_settings()
    if isinstance(settings, str):
        return dg.SkipReason(settings)
    run = context.dagster_run
    events = [entry.dagster_event for entry in context.instance.all_logs(run.run_id) if entry.dagster_event]
    message = failure_message(
        settings,
        run_id=run.run_id,
        job_name=run.job_name,
        tags=run.tags,
        failures=failures_from_events(events),
        ui_url=_ui_url(),
    )
    send(settings, message)
    context.log.info(f"failure of run {run.run_id} mailed to {len(settings.recipients)} recipient(s)")
    return None


def published_reports(instance, run_id: str) -> list[tuple[str, Path | None]]:
    """(month, PDF path) of each report the run materialized."""
    reports = []
    for entry in instance.all_logs(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION):
        materialization = entry.dagster_event.step_materialization_data.materialization
        if materialization.asset_key != REPORT_KEY:
            continue
        pdf = materialization.metadata.get("pdf")
        reports.append((materialization.partition, Path(pdf.value) if pdf is not None else None))
    return sorted(reports, key=lambda item: item[0] or "")


@dg.run_status_sensor(
    run_status=dg.DagsterRunStatus.SUCCESS,
    name="notify_publication",
    minimum_interval_seconds=INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description=(
        "Mengirim e-mail ke tim saat sebuah run berhasil menerbitkan laporan bulan (aset published/report): "
        "bulan yang terbit, tautan run, dan PDF laporan terlampir. Pengaturan SMTP seperti notify_run_failure."
    ),
)
def notify_publication(context: dg.RunStatusSensorContext):
    settings = smtp_settings()
    if isinstance(settings, str):
        return dg.SkipReason(settings)
    run = context.dagster_run
    reports = published_reports(context.instance, run.run_id)
    if not reports:
        return dg.SkipReason(f"run {run.run_id} published no report")
    message = publication_message(
        settings,
        run_id=run.run_id,
        months=[month for month, _ in reports],
        reports=[path for _, path in reports if path is not None and path.exists()],
        ui_url=_ui_url(),
    )
    send(settings, message)
    context.log.info(f"publication of run {run.run_id} mailed to {len(settings.recipients)} recipient(s)")
    return None
