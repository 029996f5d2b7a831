"""The Dagster instance the CLI and ``./dev ui`` share: Dagster's stock SQLite storage under
``<data dir>/dagster_home`` (runs in ``history/runs.db``, one event log per run in ``history/runs/``), where
the UI reads what ``djpk`` ran.

The file says only what differs from Dagster's defaults: no usage statistics. It holds no path, so a copied
data dir writes its own event log. A ``dagster.yaml`` already in ``DAGSTER_HOME`` (a deployment's PostgreSQL
instance, ``deploy/dagster.yaml``) is never replaced.
"""

from __future__ import annotations

from pathlib import Path

LOCAL_INSTANCE_MARKER = "# djpk: local instance"
INSTANCE_YAML = (
    LOCAL_INSTANCE_MARKER
    + """ (Dagster's SQLite storage under this folder). Rewritten by djpk when it differs;
# a deployment's own dagster.yaml (deploy/dagster.yaml) is never touched.
# Nothing leaves this machine: Dagster's usage statistics (on by default, uploaded to
# telemetry.dagster.io by the webserver and the daemon) are off, as in deploy/dagster.yaml.
telemetry:
  enabled: false
"""
)


def ensure_local_instance(dagster_home: Path) -> Path:
    """``dagster_home/dagster.yaml`` for a local SQLite instance.

    Written when missing, and rewritten when it is djpk's own but differs (an older djpk's, which named its
    folder and its own event-log class); any other ``dagster.yaml`` is left as it is."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    config = dagster_home / "dagster.yaml"
    if not config.exists() or (
        config.read_text().startswith(LOCAL_INSTANCE_MARKER) and config.read_text() != INSTANCE_YAML
    ):
        config.write_text(INSTANCE_YAML)
    return config
