"""Nothing leaves this machine through dbt: its anonymous usage statistics are off in the project itself
(``flags: send_anonymous_usage_stats: false`` in ``dbt/dbt_project.yml``), so a dbt command run by hand, by sqlfluff's
dbt templater or by a test sends nothing to dbt Labs' collector and writes no tracking id. (Dagster's dbt runs had
them off already: dagster-dbt sets ``DBT_SEND_ANONYMOUS_USAGE_STATS`` for its own invocations.)"""

from __future__ import annotations

import os
import shutil
import subprocess

import yaml

from dagster_project.dbt_project import DBT_EXECUTABLE
from dagster_project.settings import DBT_PROJECT_DIR

SENDING_EVENT = "Sending event"
"""dbt's debug line (event Z040) for each usage-statistics event it is about to send."""


def test_the_project_turns_dbt_usage_statistics_off():
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["flags"]["send_anonymous_usage_stats"] is False


def test_dbt_by_hand_sends_no_usage_event_and_writes_no_tracking_id(tmp_path):
    profiles = tmp_path / "profiles"
    profiles.mkdir()
    shutil.copy(DBT_PROJECT_DIR / "profiles.yml", profiles / "profiles.yml")
    # without dbt's environment switches (DBT_SEND_ANONYMOUS_USAGE_STATS…) and DO_NOT_TRACK: the project decides
    env = {key: value for key, value in os.environ.items() if key != "DO_NOT_TRACK" and not key.startswith("DBT_")}
    env["DJPK_WAREHOUSE_PATH"] = str(tmp_path / "warehouse.duckdb")  # the `local` target, as by hand
    run = subprocess.run(
        [DBT_EXECUTABLE, "debug", "--profiles-dir", str(profiles), "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    log = (tmp_path / "logs" / "dbt.log").read_text(encoding="utf-8", errors="replace")
    assert "[debug]" in log  # the file log has dbt's debug lines, where a usage event would be named
    assert SENDING_EVENT not in log
    assert not (profiles / ".user.yml").exists()  # dbt writes its tracking id there when statistics are on
