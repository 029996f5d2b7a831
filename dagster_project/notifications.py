"""E-mail notifications of the team: the messages (pure functions) and sending them over SMTP.

The run-status sensors (``defs/notifications``) call these. Settings come from the environment only:

=====================  ===========================================================================
``DJPK_SMTP_HOST``      SMTP server (required)
``DJPK_SMTP_PORT``      port (default 25)
``DJPK_MAIL_FROM``      sender address (required)
``DJPK_MAIL_TO``        recipients, comma-separated (required): the team's addresses
``DJPK_SMTP_USER``      login, with ``DJPK_SMTP_PASSWORD`` (optional; the password is never logged)
``DJPK_SMTP_STARTTLS``  ``1``: STARTTLS before login (optional)
``DJPK_UI_URL``         the Dagster UI's address as the team opens it, for the run's link (optional)
=====================  ===========================================================================

Messages are in Indonesian and name the report month, what failed (the check or step and the first
line of its error) and where to look (the run's page in the UI, or its run id). No personal data: no
addresses other than the configured ones, error lines are cut to one line and scrubbed of e-mail
addresses and long digit runs (phone numbers, NIK).
"""

from __future__ import annotations

import os
import re
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .lib.months import MONTH_KEY_PATTERN, month_start
from .lib.wording import month_label

SUBJECT_PREFIX = "[DJPK Layanan Informasi]"
MAX_LINE = 300
EMAIL_PATTERN = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
DIGITS_PATTERN = re.compile(r"\+?\d[\d\s-]{7,}\d")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    sender: str
    recipients: tuple[str, ...]
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    starttls: bool = False


def smtp_settings(env: Mapping[str, str] | None = None) -> SmtpSettings | str:
    """The settings, or the reason why there are none (a sensor skips with it)."""
    env = os.environ if env is None else env
    missing = [name for name in ("DJPK_SMTP_HOST", "DJPK_MAIL_FROM", "DJPK_MAIL_TO") if not env.get(name, "").strip()]
    if missing:
        return f"e-mail notifications are off: {', '.join(missing)} not set in the environment of the daemon"
    recipients = tuple(address.strip() for address in env["DJPK_MAIL_TO"].split(",") if address.strip())
    try:
        port = int(env.get("DJPK_SMTP_PORT") or 25)
    except ValueError:
        return "e-mail notifications are off: DJPK_SMTP_PORT is not a port number"
    return SmtpSettings(
        host=env["DJPK_SMTP_HOST"].strip(),
        port=port,
        sender=env["DJPK_MAIL_FROM"].strip(),
        recipients=recipients,
        user=env.get("DJPK_SMTP_USER") or None,
        password=env.get("DJPK_SMTP_PASSWORD") or None,
        starttls=env.get("DJPK_SMTP_STARTTLS", "") in ("1", "true", "yes"),
    )


def month_name(key: str) -> str:
    """``2024-02`` → ``Februari 2024``; anything else as it is."""
    return month_label(month_start(key)) if MONTH_KEY_PATTERN.match(key) else key


def months_of_run(tags: Mapping[str, str]) -> str:
    """The month(s) a run is for, from its partition tags: ``Februari 2024 (2024-02)`` or a range."""
    if "dagster/partition" in tags:
        key = tags["dagster/partition"]
        return f"{month_name(key)} ({key})" if month_name(key) != key else key
    first, last = tags.get("dagster/asset_partition_range_start"), tags.get("dagster/asset_partition_range_end")
    if first and last:
        return f"{month_name(first)} – {month_name(last)} ({first} … {last})"
    return "tanpa bulan (run tanpa partisi)"


def scrub(text: str) -> str:
    """First line only, cut, without e-mail addresses or long digit runs."""
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    line = DIGITS_PATTERN.sub("***", EMAIL_PATTERN.sub("***", line))
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1] + "…"


def failures_from_events(events: Iterable) -> list[str]:
    """What failed in a run, in Indonesian: failed checks first (asset / check: description), then steps
    (step: first line of the innermost error)."""
    lines = []
    for event in events:
        if event is None:
            continue
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                lines.append(
                    f"pemeriksaan gagal: {evaluation.asset_key.to_user_string()} / {evaluation.check_name}: "
                    f"{scrub(evaluation.description or '')}".rstrip(": ")
                )
        elif event.is_step_failure:
            error = event.event_specific_data.error
            if error is None:
                lines.append(f"langkah gagal: {event.step_key}")
                continue
            while error.cause is not None and "Failure" not in (error.cls_name or ""):
                error = error.cause
            if error.cls_name == "DagsterAssetCheckFailedError":
                continue  # listed above with its description
            message = re.sub(r"^(?:\w+\.)*\w*(?:Error|Failure|Exception): ", "", (error.message or "").strip(), count=1)
            lines.append(f"langkah gagal: {event.step_key}: {scrub(message)}")
        elif event.event_type_value == "ENGINE_EVENT" and event.message and "unexpectedly" in event.message:
            lines.append(f"proses run berhenti tiba-tiba: {scrub(event.message)}")
    return lines


def where_to_look(run_id: str, ui_url: str | None) -> str:
    if ui_url:
        return f"{ui_url.rstrip('/')}/runs/{run_id}"
    return f"Dagster UI → Runs → run {run_id}"


def failure_message(
    settings: SmtpSettings,
    *,
    run_id: str,
    job_name: str,
    tags: Mapping[str, str],
    failures: list[str],
    ui_url: str | None,
) -> EmailMessage:
    months = months_of_run(tags)
    trigger = (
        tags.get("dagster/schedule_name") or tags.get("dagster/sensor_name") or tags.get("djpk/trigger") or "manual"
    )
    message = EmailMessage()
    message["Subject"] = f"{SUBJECT_PREFIX} GAGAL: {job_name}, {months}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    body = [
        f"Run {job_name} untuk {months} GAGAL. Tidak ada yang dipublikasikan; publikasi sebelumnya (jika ada) tidak berubah.",
        "",
        "Yang gagal:",
        *([f"- {line}" for line in failures] or ["- (tidak ada langkah yang gagal tercatat; lihat log run)"]),
        "",
        f"Lihat: {where_to_look(run_id, ui_url)}",
        f"Run: {run_id} (pemicu: {trigger})",
        "",
        "Perbaiki penyebabnya (ekspor yang hilang, pemeriksaan yang gagal, token yang kedaluwarsa), lalu jalankan "
        "ulang bulan tersebut dari UI (Materialize) atau dengan `djpk materialize --month YYYY-MM`.",
    ]
    message.set_content("\n".join(body) + "\n")
    return message


def publication_message(
    settings: SmtpSettings, *, run_id: str, months: list[str], reports: list[Path], ui_url: str | None
) -> EmailMessage:
    names = ", ".join(f"{month_name(month)} ({month})" for month in months)
    message = EmailMessage()
    message["Subject"] = f"{SUBJECT_PREFIX} Terbit: laporan {names}"
    message["From"] = settings.sender
    message["To"] = ", ".join(settings.recipients)
    body = [
        f"Laporan Layanan Informasi DJPK {names} telah dipublikasikan.",
        "",
        *(
            ["Laporan terlampir (PDF):", *[f"- {path.name}" for path in reports], ""]
            if reports
            else ["PDF laporan tidak ditemukan untuk dilampirkan; lihat folder published/.", ""]
        ),
        f"Lihat: {where_to_look(run_id, ui_url)}",
        f"Run: {run_id}",
    ]
    message.set_content("\n".join(body) + "\n")
    for path in reports:
        message.add_attachment(path.read_bytes(), maintype="application", subtype="pdf", filename=path.name)
    return message


def send(settings: SmtpSettings, message: EmailMessage, timeout: float = 30) -> None:
    with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        smtp.send_message(message)
