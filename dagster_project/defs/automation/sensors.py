"""``landing_folder_sensor``: a new or changed export in the landing folder runs its month.

Every tick lists ``landing/<source>/<YYYY-MM>/`` for each export contract. For each source and
month with a new or changed file (by modification time and size, remembered in the cursor), the
file the loader would load (newest matching ``file_pattern``) is hashed, and one run of that month
is requested with the run key ``<month>/<source>/<file name>/<sha256>``: the same bytes under the
same name never trigger twice (Dagster skips a run key a sensor already used, even if the cursor
were lost). Files younger than ``settle_seconds`` wait for the next tick, so a half-copied export
is not loaded. Folders that are no report month (before 2019-01, or not ``YYYY-MM``) are logged once
and skipped; a month not complete yet is left for later (it triggers once the month is over).

Cursor: JSON ``{"<source>/<month>/<file>": [mtime_ns, size, sha256 or null]}``.
"""

import json
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import dagster as dg

from ...jobs import MONTHLY_JOB_NAME
from ...lib.contracts import CONTRACTS
from ...lib.landing import sha256_file
from ...lib.months import MONTH_KEY_PATTERN as MONTH_PATTERN
from ...lib.months import REPORT_TIMEZONE
from ...partitions import monthly_partitions
from ...resources import DataDirResource

DEFAULT_MINIMUM_INTERVAL_SECONDS = 60
DEFAULT_SETTLE_SECONDS = 30


@dataclass(frozen=True)
class LandingChange:
    """A source and month whose files changed since the last tick, and the file that would load."""

    source: str
    month: str
    file: Path
    sha256: str

    @property
    def run_key(self) -> str:
        return f"{self.month}/{self.source}/{self.file.name}/{self.sha256}"


def month_status(month: str, now: datetime) -> str:
    """``reportable`` (a partition key up to the last complete month at ``now``), ``not_complete``
    (a valid ``YYYY-MM`` not yet over: it becomes reportable later) or ``invalid``."""
    if month in set(monthly_partitions.get_partition_keys(current_time=now)):
        return "reportable"
    if MONTH_PATTERN.match(month) and month >= monthly_partitions.get_first_partition_key():
        return "not_complete"
    return "invalid"


def scan_landing(
    landing: Path,
    cursor: dict[str, list],
    now: datetime,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    log=None,
) -> tuple[list[LandingChange], dict[str, list]]:
    """Changes since ``cursor`` and the new cursor; only the newest file of a changed month is hashed."""
    new_cursor: dict[str, list] = {}
    changes: list[LandingChange] = []
    for source, contract in sorted(CONTRACTS.items()):
        source_folder = landing / source
        if not source_folder.is_dir():
            continue
        for month_folder in sorted(path for path in source_folder.iterdir() if path.is_dir()):
            month = month_folder.name
            files = [path for path in month_folder.glob(contract.file_pattern) if path.is_file()]
            stats = {path: path.stat() for path in files}
            settling = [path for path in files if now.timestamp() - stats[path].st_mtime < settle_seconds]
            if settling:
                if log:
                    log.info(f"waiting for {', '.join(p.name for p in settling)} in {source}/{month} to settle")
                new_cursor.update({key: value for key, value in cursor.items() if key.startswith(f"{source}/{month}/")})
                continue
            changed = False
            for path in files:
                key = f"{source}/{month}/{path.name}"
                seen = cursor.get(key)
                stat = stats[path]
                if seen and seen[0] == stat.st_mtime_ns and seen[1] == stat.st_size:
                    new_cursor[key] = seen
                else:
                    new_cursor[key] = [stat.st_mtime_ns, stat.st_size, None]
                    changed = True
            if not changed:
                continue
            status = month_status(month, now)
            if status == "not_complete":
                # Not remembered: the files trigger once the month is complete.
                for path in files:
                    new_cursor.pop(f"{source}/{month}/{path.name}", None)
                if log:
                    log.debug(f"landing/{source}/{month}: month not complete yet, waiting")
                continue
            if status == "invalid":
                if log:
                    log.warning(
                        f"skipping landing/{source}/{month}: not a report month "
                        f"(YYYY-MM from {monthly_partitions.get_first_partition_key()})"
                    )
                continue
            newest = max(files, key=lambda path: (stats[path].st_mtime_ns, path.name))
            entry = new_cursor[f"{source}/{month}/{newest.name}"]
            if entry[2] is None:
                entry[2] = sha256_file(newest)
            changes.append(LandingChange(source=source, month=month, file=newest, sha256=entry[2]))
    return changes, new_cursor


def build_landing_folder_sensor(
    name: str = "landing_folder_sensor",
    minimum_interval_seconds: int = DEFAULT_MINIMUM_INTERVAL_SECONDS,
    settle_seconds: float = DEFAULT_SETTLE_SECONDS,
) -> dg.SensorDefinition:
    """The sensor over ``<data dir>/landing`` (data dir from the ``data_dir`` resource)."""

    @dg.sensor(
        name=name,
        job_name=MONTHLY_JOB_NAME,
        minimum_interval_seconds=minimum_interval_seconds,
        description=(
            f"Watches `landing/<source>/<YYYY-MM>/` every {minimum_interval_seconds} s: a new or changed export "
            f"(settled for {settle_seconds:g} s) requests that month's run of `{MONTHLY_JOB_NAME}`; run key = "
            "month/source/file/sha256, so the same file never triggers twice. Months outside the partitions are skipped."
        ),
    )
    def _landing_folder_sensor(context: dg.SensorEvaluationContext, data_dir: DataDirResource):
        cursor = json.loads(context.cursor) if context.cursor else {}
        now = datetime.fromtimestamp(time.time(), tz=ZoneInfo(REPORT_TIMEZONE))
        changes, new_cursor = scan_landing(data_dir.paths.landing, cursor, now, settle_seconds, log=context.log)
        run_requests = [
            dg.RunRequest(
                run_key=change.run_key,
                partition_key=change.month,
                tags={
                    "djpk/trigger": "landing_folder_sensor",
                    "djpk/source": change.source,
                    "djpk/file": change.file.name,
                    "djpk/sha256": change.sha256,
                },
            )
            for change in changes
        ]
        return dg.SensorResult(
            run_requests=run_requests,
            cursor=json.dumps(new_cursor, sort_keys=True),
            skip_reason=None if run_requests else "no new or changed export in a report month",
        )

    return _landing_folder_sensor


landing_folder_sensor = build_landing_folder_sensor()
