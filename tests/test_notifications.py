"""E-mail notifications: settings from the environment only, messages in Indonesian naming the month, what
failed and where to look, the publication's PDF attached, delivered to an SMTP server on 127.0.0.1."""

from __future__ import annotations

from types import SimpleNamespace

import dagster as dg
from smtp_sink import smtp_sink

from dagster_project.notifications import (
    failure_message,
    failures_from_events,
    month_name,
    publication_message,
    scrub,
    send,
    smtp_settings,
)

ENV = {
    "DJPK_SMTP_HOST": "127.0.0.1",
    "DJPK_SMTP_PORT": "2525",
    "DJPK_MAIL_FROM": "djpk-pipeline@example.invalid",
    "DJPK_MAIL_TO": "tim-data@example.invalid, layanan@example.invalid",
}


def test_missing_settings_give_a_reason_not_an_error():
    reason = smtp_settings({"DJPK_SMTP_HOST": "127.0.0.1"})
    assert isinstance(reason, str) and "DJPK_MAIL_FROM" in reason and "DJPK_MAIL_TO" in reason
    settings = smtp_settings({**ENV, "DJPK_SMTP_PASSWORD": "s3cret"})
    assert settings.port == 2525 and settings.recipients == ("tim-data@example.invalid", "layanan@example.invalid")
    assert "s3cret" not in repr(settings)


def test_month_names_are_indonesian():
    assert month_name("2024-02") == "Februari 2024"
    assert month_name("2019-12") == "Desember 2019"


def test_error_lines_carry_no_personal_data():
    line = scrub("row 12: budi.santoso@mail.co.id called from +62 812-3456-7890\nTraceback …")
    assert "budi" not in line and "812" not in line and "Traceback" not in line


def _check_failed(asset: str, check: str, description: str):
    evaluation = SimpleNamespace(
        passed=False, asset_key=dg.AssetKey(asset.split("/")), check_name=check, description=description
    )
    return SimpleNamespace(
        event_type_value="ASSET_CHECK_EVALUATION", event_specific_data=evaluation, is_step_failure=False
    )


def _step_failed(step: str, message: str):
    error = SimpleNamespace(message=message, cls_name="Failure", cause=None)
    return SimpleNamespace(
        event_type_value="STEP_FAILURE",
        event_specific_data=SimpleNamespace(error=error),
        is_step_failure=True,
        step_key=step,
    )


def test_failure_mail_names_month_failure_and_link():
    settings = smtp_settings(ENV)
    failures = failures_from_events(
        [
            _check_failed(
                "marts/fct_tickets", "tickets_reconcile_raw_staging_fact", "2024-02: 3 tickets missing\nmore"
            ),
            _step_failed(
                "raw_exports",
                "dagster._core.definitions.events.Failure: missing export deskpro_tickets for 2024-02\nsecond",
            ),
        ]
    )
    assert failures == [
        "pemeriksaan gagal: marts/fct_tickets / tickets_reconcile_raw_staging_fact: 2024-02: 3 tickets missing",
        "langkah gagal: raw_exports: missing export deskpro_tickets for 2024-02",
    ]
    message = failure_message(
        settings,
        run_id="abc123",
        job_name="monthly_report",
        tags={"dagster/partition": "2024-02", "dagster/schedule_name": "monthly_report_schedule"},
        failures=failures,
        ui_url="http://djpk-ui.example.invalid:3000/",
    )
    body = message.get_content()
    assert "Februari 2024" in message["Subject"] and "GAGAL" in message["Subject"]
    assert "tickets_reconcile_raw_staging_fact" in body and "missing export deskpro_tickets" in body
    assert "http://djpk-ui.example.invalid:3000/runs/abc123" in body and "publikasi sebelumnya" in body
    without_ui = failure_message(
        settings,
        run_id="abc123",
        job_name="monthly_report",
        tags={"dagster/partition": "2024-02"},
        failures=[],
        ui_url=None,
    ).get_content()
    assert "run abc123" in without_ui


def test_publication_mail_is_delivered_with_the_report(tmp_path):
    pdf = tmp_path / "laporan-layanan-informasi-2024-02.pdf"
    pdf.write_bytes(b"%PDF-1.7\n% test\n")
    with smtp_sink() as (port, received):
        settings = smtp_settings({**ENV, "DJPK_SMTP_PORT": str(port)})
        send(settings, publication_message(settings, run_id="r1", months=["2024-02"], reports=[pdf], ui_url=None))
    [(sender, recipients, message)] = received
    assert sender == "djpk-pipeline@example.invalid"
    assert recipients == ["tim-data@example.invalid", "layanan@example.invalid"]
    assert "Terbit" in message["Subject"] and "Februari 2024" in message["Subject"]
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == pdf.name and attachment.get_content() == pdf.read_bytes()
    assert "dipublikasikan" in message.get_body(("plain",)).get_content()


def test_sensors_are_on_by_default_and_skip_without_settings(monkeypatch):
    from dagster_project.definitions import defs

    sensors = {sensor.name: sensor for sensor in defs.get_repository_def().sensor_defs}
    for name in ("notify_run_failure", "notify_publication"):
        assert sensors[name].default_status == dg.DefaultSensorStatus.RUNNING
    for name in ("DJPK_SMTP_HOST", "DJPK_MAIL_FROM", "DJPK_MAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    assert isinstance(smtp_settings(), str)
