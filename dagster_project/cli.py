"""``djpk``: materialize and publish report months with the same Dagster definitions as the UI.

    djpk materialize --month 2024-02 [--to 2024-03] [--data-dir DIR] [--timings FILE]
    djpk ingest --month 2023-03 [--to 2023-12] [--data-dir DIR]   raw layer only (history months)
    djpk demo [--data-dir DIR]          generate the bundled sample months, then materialize each
    djpk generate-samples [--data-dir DIR]
    djpk prepare                        parse the dbt project (manifest for Dagster)
    djpk serve [--port 3000] [--stop]   PostgreSQL + dagster-daemon + dagster-webserver (dagster_project/serve.py)

Against a deployment (the instance in $DAGSTER_HOME, else <data dir>/dagster_home, has the queued run
coordinator of deploy/dagster.yaml) materialize and ingest submit their run to the instance's queue and
wait for it (dagster_project/deployment.py); otherwise they run in this process on a local SQLite instance.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from contextlib import nullcontext
from pathlib import Path

from .lib.months import MONTH_KEY_PATTERN as MONTH_PATTERN
from .process_exit import exit_without_teardown
from .settings import DataPaths, data_paths


def _use_data_dir(data_dir: str | None) -> DataPaths:
    """Point the definitions (loaded after this) and the Dagster instance at the data dir."""
    paths = data_paths(data_dir)
    paths.root.mkdir(parents=True, exist_ok=True)
    os.environ["DJPK_DATA_DIR"] = str(paths.root)
    if "DAGSTER_HOME" not in os.environ:
        from .instance import ensure_local_instance

        ensure_local_instance(paths.dagster_home)
        os.environ["DAGSTER_HOME"] = str(paths.dagster_home)
    return paths


def on_deployment(paths: DataPaths) -> bool:
    """The instance is a deployment's (queued run coordinator, ``deploy/dagster.yaml``): runs go through its
    queue (``dagster_project/deployment.py``) instead of executing in this process."""
    from .deployment import use_local_cluster_if_unset, uses_run_queue

    if not uses_run_queue(Path(os.environ["DAGSTER_HOME"])):
        return False
    use_local_cluster_if_unset(paths)
    return True


def warehouse_busy(paths: DataPaths, label: str) -> bool:
    """Print why ``label`` cannot run when another run holds the warehouse (``writer_lock``)."""
    from .writer_lock import WRITER_LOCK_FILE, current_holder

    holder = current_holder(paths.root / WRITER_LOCK_FILE)
    if holder is None:
        return False
    print(
        f"djpk: {label} was NOT run: the warehouse is being written by {holder}; nothing was written "
        "(run it again when that run has ended)",
        file=sys.stderr,
    )
    return True


CLASS_NAME_PREFIX = re.compile(r"^(?:\w+\.)*\w*(?:Error|Failure|Exception): ")
WRAPPED_CLASS_NAME = re.compile(r"^\((?:\w+\.)*\w*(?:Error|Failure|Exception)\) ")


def without_class_name(message: str) -> str:
    """``dagster._core.definitions.events.Failure: text`` → ``text``: readers need the text, not the class
    (also SQLAlchemy's ``(sqlite3.OperationalError) text``)."""
    return WRAPPED_CLASS_NAME.sub("", CLASS_NAME_PREFIX.sub("", message, count=1), count=1)


def relative_to_data_dir(text: str, root: Path | None) -> str:
    """Paths inside the data dir as ``landing/…`` (relative to it), however the message spelled the root."""
    if root is None:
        return text
    for spelling in {str(root), str(Path(root).resolve())}:
        text = text.replace(spelling.rstrip("/") + "/", "")
    return text


def distinct_lines(lines: list[str], root: Path | None = None) -> list[str]:
    """One line per distinct message (in first-seen order), ``(×N)`` when it came N times (one bad workbook
    read by each of its sheets' loads), paths relative to the data dir."""
    counts: dict[str, int] = {}
    for line in lines:
        line = relative_to_data_dir(line, root)
        counts[line] = counts.get(line, 0) + 1
    return [line if count == 1 else f"{line} (×{count})" for line, count in counts.items()]


def quarantine_summary(paths: DataPaths, months: list[str]) -> str | None:
    """``quarantined rows: tickets 1, calls 1 (raw.quarantine)`` for the months, or None when there are none."""
    import duckdb

    from .lib.months import month_start

    try:
        with duckdb.connect(str(paths.warehouse), read_only=True) as conn:
            rows = conn.execute(
                "select source, count(distinct (source_file, row_number)) from raw.quarantine "
                "where report_month in (select unnest(?::date[])) group by source order by source",
                [[month_start(month) for month in months]],
            ).fetchall()
    except duckdb.Error:
        return None
    if not rows:
        return None
    return "quarantined rows: " + ", ".join(f"{source} {count}" for source, count in rows) + " (see raw.quarantine)"


def describe_failures(result, root: Path | None = None) -> list[str]:
    """What stopped a run (a run's result, or the Dagster events it handed to the instance): failed checks
    and step errors, one line per distinct message (see ``distinct_lines``)."""
    events = result.all_events if hasattr(result, "all_events") else result
    lines = []
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            evaluation = event.event_specific_data
            if not evaluation.passed:
                text = evaluation.description or ""
                lines.append(
                    f"check failed: {evaluation.asset_key.to_user_string()} / {evaluation.check_name}: {text}".rstrip(
                        ": "
                    )
                )
        elif event.is_step_failure:
            error = event.event_specific_data.error
            message = (error.message or "").strip()
            cause = error.cause
            while cause is not None and "Failure" not in (error.cls_name or ""):
                message, error, cause = (cause.message or "").strip(), cause, cause.cause
            if error.cls_name == "DagsterAssetCheckFailedError":
                continue  # the failed blocking checks are listed above, each with its description
            first = _first_error(error)
            if first is not None and is_disk_full(first.message):  # a rollback that failed after a commit that
                message = (
                    f"{(first.message or '').strip()} (then: {without_class_name(message)})"  # found the disk full
                )
            # a step that failed for several files says each on a line of its own (one per sheet of a workbook)
            lines += [
                f"step failed: {event.step_key}: {without_class_name(part.strip())}"
                for part in without_class_name(message).splitlines()
                if part.strip()
            ]
        elif event.is_step_skipped:
            lines.append(f"step skipped: {event.step_key}")
    return distinct_lines(lines, root)


def _first_error(error):
    """The error that ``error`` was raised while handling (the innermost of that chain), if any: e.g. a
    commit that failed for lack of space, before the rollback that failed too and hid it."""
    context = getattr(error, "context", None)
    while context is not None and (context.cause or context.context) is not None:
        context = context.cause or context.context
    return context


# --- a run whose bookkeeping cannot be written (a full disk) --------------------------------------

DISK_FULL_MARKERS = ("no space left on device", "database or disk is full", "disk is full", "enospc", "errno 28")


class EventCapture:
    """The Dagster events of the CLI's runs, kept in memory as they are handed to the instance, so that
    a step's own error is still printed when the instance cannot store it (a full disk: the event log's
    write fails, and the run ends in that exception instead of a result)."""

    def __init__(self) -> None:
        self.events: list = []
        self.storage_error: BaseException | None = None
        self.unstored = None  # the event that could not be stored

    def attach(self, instance) -> None:
        store = instance.handle_new_event

        def handle_new_event(event, *args, **kwargs):
            if event.dagster_event is not None:
                self.events.append(event.dagster_event)
            try:
                return store(event, *args, **kwargs)
            except Exception as error:
                if self.storage_error is None:
                    self.storage_error, self.unstored = error, event
                raise

        instance.handle_new_event = handle_new_event  # the instance's own method, wrapped for this process only


def _causes(error: BaseException, with_context: bool = True):
    """``error``, then what caused it (a driver's error under SQLAlchemy's, ``raise … from``), and with
    ``with_context`` also what it was raised while handling."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        error = getattr(error, "orig", None) or error.__cause__ or (error.__context__ if with_context else None)


def error_text(error: BaseException) -> str:
    """The innermost error's own first line, without class names or SQL (a database driver's message
    only: never the statement or its parameters)."""
    innermost = list(_causes(error, with_context=False))[-1]
    text = str(innermost).strip().splitlines()[0] if str(innermost).strip() else type(innermost).__name__
    return without_class_name(text)


def is_disk_full(*texts_or_errors) -> bool:
    for item in texts_or_errors:
        if isinstance(item, BaseException):
            if any(getattr(each, "errno", None) == 28 for each in _causes(item)):
                return True
            item = " ".join(str(each) for each in _causes(item))
        if item and any(marker in item.lower() for marker in DISK_FULL_MARKERS):
            return True
    return False


def free_space(paths: DataPaths) -> str:
    import shutil

    try:
        return f"{shutil.disk_usage(paths.root).free / 1024 / 1024:.1f} MB free"
    except OSError:
        return "free space unknown"


def bookkeeping_failure_lines(
    capture: EventCapture, error: BaseException, paths: DataPaths, instance=None
) -> list[str]:
    """What to print when a run ended in an exception instead of a result: the failures the run's events
    recorded (the step's own error), then one line naming what could not be written, and why."""
    lines = describe_failures(capture.events, paths.root)
    if capture.storage_error is not None:
        event = capture.unstored
        during = f" at step {event.step_key}" if event.step_key else ""
        where = "Dagster's event log"
        storage = getattr(instance, "event_log_storage", None) if instance is not None else None
        if storage is not None and hasattr(storage, "path_for_shard") and event.run_id:
            where += f" ({relative_to_data_dir(storage.path_for_shard(event.run_id), paths.root)})"
        failed = f"{where} could not be written{during}: {error_text(capture.storage_error)}"
    else:
        failed = relative_to_data_dir(f"the run could not go on: {error_text(error)}", paths.root)
    if is_disk_full(error, capture.storage_error, *lines) or (
        "disk i/o error" in failed.lower() and low_on_space(paths)
    ):  # SQLite's word for a journal it could not grow
        failed += (
            f" — the disk holding the data dir is full (ENOSPC, {free_space(paths)}): free space, then run it again"
        )
    return [*lines, relative_to_data_dir(failed, paths.root)]


def low_on_space(paths: DataPaths, below_bytes: int = 64 * 1024 * 1024) -> bool:
    import shutil

    try:
        return shutil.disk_usage(paths.root).free < below_bytes
    except OSError:
        return False


def disk_full_hint(lines: list[str], paths: DataPaths) -> list[str]:
    """A run whose step failed for lack of space (its error stored as usual) says so in one more line."""
    if is_disk_full(*lines):
        return [f"the disk holding the data dir is full (ENOSPC, {free_space(paths)}): free space, then run it again"]
    return []


def bookkeeping_errors() -> tuple[type[BaseException], ...]:
    """Errors of the instance's storage or the file system that end a run without a result."""
    import sqlite3

    import duckdb
    import sqlalchemy.exc

    return (OSError, sqlite3.Error, sqlalchemy.exc.SQLAlchemyError, duckdb.IOException)


def step_timings(instance, run_id: str) -> list[dict]:
    """Each step of a run: its key, kind (ingest, dbt, checks, publish) and start/end (epoch seconds).

    A step that only evaluates asset checks is ``checks``; dbt's tests run inside the ``dbt`` step.
    """
    steps: dict[str, dict] = {}
    materializes: set[str] = set()
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        key = entry.step_key
        if event is None or key is None:
            continue
        if event.event_type_value == "STEP_START":
            steps[key] = {"step": key, "start": entry.timestamp, "end": None}
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE") and key in steps:
            steps[key]["end"] = entry.timestamp
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            materializes.add(key)
    return [step | {"kind": _step_kind(step["step"], step["step"] in materializes)} for step in steps.values()]


def _step_kind(step_key: str, materializes: bool) -> str:
    if not materializes:
        return "checks"
    if step_key == "djpk_dbt_models":
        return "dbt"
    if step_key.startswith(("published__", "analysts__")):
        return "publish"
    return "ingest"


def materialize(
    month: str,
    data_dir: str | None = None,
    timings: str | None = None,
    to: str | None = None,
    full_refresh: bool = False,
    wait: bool = True,
) -> int:
    """Materialize and publish ``month`` (or ``month`` … ``to`` as one run: dbt builds once for the range).
    ``full_refresh``: dbt rebuilds every month of its incremental models, not only the run's."""
    last = to or month
    for value in (month, last):
        if not MONTH_PATTERN.match(value):
            print(f"djpk: --month and --to must be YYYY-MM, got {value!r}", file=sys.stderr)
            return 2
    if last < month:
        print(f"djpk: --to {last} is before --month {month}", file=sys.stderr)
        return 2
    paths = _use_data_dir(data_dir)
    from .dbt_project import ensure_dbt_manifest
    from .dbt_worker import dbt_worker_for_the_run
    from .deployment import uses_run_queue

    ensure_dbt_manifest()
    # A run executed in this process gets a dbt process that imports dbt from now on (dbt_worker.py); a
    # deployment's runs execute elsewhere.
    on_queue = uses_run_queue(Path(os.environ["DAGSTER_HOME"]))
    with nullcontext() if on_queue else dbt_worker_for_the_run():
        return _materialize(paths, month, last, timings, full_refresh, wait)


def _materialize(paths: DataPaths, month: str, last: str, timings, full_refresh: bool, wait: bool) -> int:
    from dagster import DagsterInstance

    from .definitions import defs
    from .jobs import MONTHLY_JOB_NAME
    from .lib.months import FIRST_REPORT_MONTH
    from .partitions import months_between

    months = months_between(month, last)
    if not months:
        print(
            f"djpk: {month} … {last} is outside the report months (from {FIRST_REPORT_MONTH} to the current month)",
            file=sys.stderr,
        )
        return 2
    label = month if len(months) == 1 else f"{month} … {last} ({len(months)} months, one run)"
    run_config = {"ops": {"djpk_dbt_models": {"config": {"full_refresh": True}}}} if full_refresh else None
    if on_deployment(paths):
        from .deployment import submit_and_report

        return submit_and_report(paths, MONTHLY_JOB_NAME, months, label, run_config=run_config, wait=wait)
    if warehouse_busy(paths, label):
        return 1
    job = defs.resolve_job_def(MONTHLY_JOB_NAME)
    capture, instance = EventCapture(), None
    not_published = f"djpk: {label} was NOT published (the previous publication, if any, is unchanged):"
    try:
        with DagsterInstance.get() as instance:
            capture.attach(instance)
            replayed = replay_recorded_snapshots(defs, months, instance)
            if replayed is not None and not replayed.success:
                print(
                    f"djpk: {label} was NOT published: replaying the recorded daily snapshots failed:", file=sys.stderr
                )
                lines = describe_failures(replayed, paths.root)
                for line in lines + disk_full_hint(lines, paths):
                    print(f"  - {line}", file=sys.stderr)
                return 1
            print(f"djpk: materializing {label} from {paths.landing} into {paths.warehouse}", flush=True)
            result = job.execute_in_process(
                instance=instance, raise_on_error=False, run_config=run_config, **partition_arguments(months)
            )
            if timings:
                Path(timings).write_text(json.dumps(step_timings(instance, result.run_id), indent=1))
    except bookkeeping_errors() as error:  # e.g. a full disk: the event log could not be written
        print(not_published, file=sys.stderr)
        for line in bookkeeping_failure_lines(capture, error, paths, instance):
            print(f"  - {line}", file=sys.stderr)
        return 1
    if result.success:
        for each in months:
            print(f"djpk: published {each} → {paths.published / each}")
        quarantined = quarantine_summary(paths, months)
        if quarantined:
            print(f"djpk: {quarantined}")
        return 0
    print(not_published, file=sys.stderr)
    lines = describe_failures(result, paths.root)
    for line in lines + disk_full_hint(lines, paths):
        print(f"  - {line}", file=sys.stderr)
    quarantined = quarantine_summary(paths, months)
    if quarantined:  # the last line, as after a publication: what the run's loads set aside
        print(f"djpk: {quarantined}", file=sys.stderr)
    return 1


def landed_contracts(landing, month: str) -> list:
    """The contracts whose export for ``month`` is in the landing folder (and is produced that month)."""
    from .lib.contracts import CONTRACTS
    from .lib.landing import is_landed

    return [c for c in CONTRACTS.values() if c.expected_in(month) and is_landed(landing, c, month)]


def ingest(month: str, data_dir: str | None = None, to: str | None = None, sources: list[str] | None = None) -> int:
    """Load whatever has landed for ``month`` (… ``to``, as one run) into the raw layer (+ lookups),
    without dbt or publishing. Every month of a range must have the same exports landed; with ``sources``
    (contract sources), only those exports, which every month of the range must have landed.

    For history months: cumulative figures (WhatsApp users since April 2019, face-to-face visits
    since 2023) need every month's raw records, not only the published months'.
    """
    paths = _use_data_dir(data_dir)
    from dagster import DagsterInstance

    from .dbt_project import ensure_dbt_manifest

    ensure_dbt_manifest()
    from .definitions import defs
    from .defs.ingest.assets import raw_asset_key
    from .defs.lookups import defs as lookup_defs
    from .jobs import INGEST_JOB_NAME
    from .partitions import months_between

    months = months_between(month, to or month)
    if sources is not None:
        from .lib.contracts import CONTRACTS

        unknown = sorted(set(sources) - {c.source for c in CONTRACTS.values()})
        if unknown:
            known = ", ".join(sorted(c.source for c in CONTRACTS.values()))
            print(f"djpk: no export is called {', '.join(unknown)} (the exports: {known})", file=sys.stderr)
            return 2
        wanted = [c for c in CONTRACTS.values() if c.source in sources]
        if not wanted:
            print(f"djpk: no export named to ingest for {month}", file=sys.stderr)
            return 1
        lacking = [each for each in months if not set(wanted) <= set(landed_contracts(paths.landing, each))]
        if lacking:
            print(
                f"djpk: {', '.join(lacking)} do not have every export of {', '.join(sources)} landed",
                file=sys.stderr,
            )
            return 2
        landed = wanted
    else:
        landed = landed_contracts(paths.landing, month)
        if not landed:
            print(f"djpk: nothing landed for {month} under {paths.landing}", file=sys.stderr)
            return 1
        differing = [each for each in months if landed_contracts(paths.landing, each) != landed]
        if differing:
            print(
                f"djpk: {', '.join(differing)} do not have the same exports landed as {month}: ingest them apart "
                "(or name the exports with --sources)",
                file=sys.stderr,
            )
            return 2
    selection = [raw_asset_key(c) for c in landed] + [a.key for a in lookup_defs.assets]
    label = month if len(months) == 1 else f"{month} … {months[-1]} ({len(months)} months, one run)"
    if on_deployment(paths):
        from .deployment import submit_and_report

        return submit_and_report(
            paths, INGEST_JOB_NAME, months, f"ingesting {label}", asset_selection=selection, published=False
        )
    if warehouse_busy(paths, f"ingesting {label}"):
        return 1
    print(f"djpk: ingesting {label}: {', '.join(c.source for c in landed)}", flush=True)
    capture, instance = EventCapture(), None
    try:
        with DagsterInstance.get() as instance:
            capture.attach(instance)
            result = defs.resolve_job_def(INGEST_JOB_NAME).execute_in_process(
                instance=instance, raise_on_error=False, asset_selection=selection, **partition_arguments(months)
            )
    except bookkeeping_errors() as error:  # e.g. a full disk: the event log could not be written
        print(f"djpk: ingesting {label} failed:", file=sys.stderr)
        for line in bookkeeping_failure_lines(capture, error, paths, instance):
            print(f"  - {line}", file=sys.stderr)
        return 1
    if result.success:
        return 0
    print(f"djpk: ingesting {label} failed:", file=sys.stderr)
    lines = describe_failures(result, paths.root)
    for line in lines + disk_full_hint(lines, paths):
        print(f"  - {line}", file=sys.stderr)
    return 1


def partition_tags(keys: list[str]) -> dict[str, str]:
    """The run tags of one partition, or of a range of them as one run."""
    from .partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG

    if len(keys) == 1:
        return {PARTITION_TAG: keys[0]}
    return {RANGE_START_TAG: keys[0], RANGE_END_TAG: keys[-1]}


def partition_arguments(keys: list[str]) -> dict:
    """``execute_in_process`` arguments for one partition, or for a range of them as one run."""
    if len(keys) == 1:
        return {"partition_key": keys[0]}
    return {"tags": partition_tags(keys)}


def replay_recorded_snapshots(defs, months: list[str], instance):
    """With the API resources replaying recordings: the months' recorded daily snapshot days, as one
    run of the daily snapshot job when the days follow each other (the same asset the daily schedule
    runs live), unless the warehouse holds exactly those rows already (a re-run of the month:
    ``replay_is_current``, then ``None``). Live: nothing (snapshots come from the daily schedule; a past
    day cannot be pulled) and ``None``."""
    from datetime import timedelta

    from .defs.social.snapshots import DAILY_SNAPSHOT_JOB_NAME, recorded_snapshot_days, replay_is_current

    days = [day for month in months for day in recorded_snapshot_days(defs.resources["instagram_api"], month)]
    if not days:
        return None
    if any(later - earlier != timedelta(days=1) for earlier, later in zip(days, days[1:])):
        results = [replay_recorded_snapshots(defs, [month], instance) for month in months]
        return next((result for result in results if result is not None and not result.success), results[-1])
    if replay_is_current(defs.resources, days):
        print(
            f"djpk: the recorded daily snapshots {days[0]} … {days[-1]} are in the warehouse already, unchanged "
            "(followers, Instagram stories): not replayed",
            flush=True,
        )
        return None
    print(
        f"djpk: replaying the recorded daily snapshots {days[0]} … {days[-1]} (followers, Instagram stories)",
        flush=True,
    )
    return defs.resolve_job_def(DAILY_SNAPSHOT_JOB_NAME).execute_in_process(
        instance=instance, raise_on_error=False, **partition_arguments([days[0].isoformat(), days[-1].isoformat()])
    )


def generate_samples(data_dir: str | None = None) -> list[str]:
    from .sample.generate import generate_samples as generate

    paths = _use_data_dir(data_dir)
    written = generate(paths.landing)
    return sorted({Path(path).parent.name for path in written})


def sample_months() -> list[str]:
    """Months the demo publishes (the sample months of the reports and their comparisons)."""
    from .sample.generate import all_months, history_months

    history = set().union(*history_months().values())
    return sorted(set().union(*all_months().values()) - history)


def sample_history_months() -> list[str]:
    """Months landed only so cumulative figures can be computed: ingested, not published."""
    from .sample.generate import history_months

    return sorted(set().union(*history_months().values()))


def history_ingest_runs(landing, months: list[str]) -> list[tuple[str, str, list[str]]]:
    """The history months as few ingest runs as the landed files allow: ``(first, last, sources)``.

    Consecutive months with the same exports landed are one run. A run also spans months that are not
    history months (a report month between two history months) when those have the same exports landed too:
    those exports are loaded once more by the report month's own run, the same rows.
    """
    from .partitions import months_between

    runs: list[tuple[str, str, list[str]]] = []
    for month in sorted(months):
        sources = sorted(c.source for c in landed_contracts(landing, month))
        if runs and runs[-1][2] == sources:
            first, last, _ = runs[-1]
            between = months_between(last, month)[1:-1]
            if all(set(sources) <= {c.source for c in landed_contracts(landing, each)} for each in between):
                runs[-1] = (first, month, sources)
                continue
        runs.append((month, month, sources))
    return runs


def demo(data_dir: str | None = None) -> int:
    from .demo_mode import mark_demo_data_dir
    from .partitions import contiguous_ranges

    paths = _use_data_dir(data_dir)
    mark_demo_data_dir(paths.root)  # before the definitions load: the API resources replay the recordings here
    generate_samples(str(paths.root))
    for first, last, sources in history_ingest_runs(paths.landing, sample_history_months()):
        code = ingest(first, str(paths.root), to=last, sources=sources)
        if code != 0:
            return code
    for first, last in contiguous_ranges(sample_months()):
        code = materialize(first, str(paths.root), to=last)
        if code != 0:
            return code
    print(f"djpk: demo done; published months are under {paths.published}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="djpk", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    materialize_cmd = commands.add_parser("materialize", help="materialize and publish one report month")
    materialize_cmd.add_argument("--month", required=True, help="report month, YYYY-MM (the first month with --to)")
    materialize_cmd.add_argument(
        "--to", default=None, help="last month of a range: every month --month … --to in one run"
    )
    materialize_cmd.add_argument("--timings", default=None, help="write each step's start and end (JSON) to this file")
    materialize_cmd.add_argument(
        "--full-refresh",
        action="store_true",
        help="dbt rebuilds every month of its incremental models (dbt build --full-refresh)",
    )
    materialize_cmd.add_argument(
        "--no-wait",
        action="store_true",
        help="on a deployment (queued instance): submit the run to the queue and return",
    )
    ingest_cmd = commands.add_parser("ingest", help="load what has landed for a month into the raw layer only")
    ingest_cmd.add_argument("--month", required=True, help="month, YYYY-MM (the first month with --to)")
    ingest_cmd.add_argument("--to", default=None, help="last month of a range with the same exports landed, one run")
    ingest_cmd.add_argument(
        "--sources",
        default=None,
        help="only these exports, comma-separated (e.g. registers_vicon,ppid); every month of the range must have them",
    )
    for command in (
        materialize_cmd,
        ingest_cmd,
        commands.add_parser("demo", help="generate and publish every sample month"),
        commands.add_parser("generate-samples", help="write the sample exports into the landing folder"),
    ):
        command.add_argument("--data-dir", default=None, help="data directory (default: $DJPK_DATA_DIR, else ./data)")
    serve_cmd = commands.add_parser(
        "serve", help="PostgreSQL, dagster-daemon and dagster-webserver on 127.0.0.1 (Ctrl-C stops)"
    )
    serve_cmd.add_argument("--port", type=int, default=None, help="UI port (default $DJPK_UI_PORT, else 3000)")
    serve_cmd.add_argument(
        "--stop", action="store_true", help="stop the stack started by `djpk serve` for this data dir"
    )
    serve_cmd.add_argument("--data-dir", default=None, help="data directory (default: $DJPK_DATA_DIR, else ./data)")
    commands.add_parser("prepare", help="parse the dbt project so Dagster can load it")
    args = parser.parse_args(argv)
    try:
        return _run_command(args)
    except (
        bookkeeping_errors()
    ) as error:  # outside a run (the instance's set-up, a file): only a full disk is said here
        if not is_disk_full(error):
            raise
        root = data_paths(getattr(args, "data_dir", None))
        print(
            f"djpk: {args.command} {getattr(args, 'month', '') or ''} failed, nothing was published: "
            f"{relative_to_data_dir(error_text(error), root.root)} — the disk holding the data dir is full "
            f"(ENOSPC, {free_space(root)}): free space, then run it again".replace("  ", " "),
            file=sys.stderr,
        )
        return 1


def _run_command(args) -> int:
    if args.command == "materialize":
        return materialize(args.month, args.data_dir, args.timings, args.to, args.full_refresh, not args.no_wait)
    if args.command == "ingest":
        sources = [each.strip() for each in args.sources.split(",") if each.strip()] if args.sources else None
        return ingest(args.month, args.data_dir, args.to, sources=sources)
    if args.command == "serve":
        from .serve import serve, stop

        return stop(args.data_dir) if args.stop else serve(args.data_dir, args.port)
    if args.command == "demo":
        return demo(args.data_dir)
    if args.command == "generate-samples":
        print("\n".join(generate_samples(args.data_dir)))
        return 0
    from .dbt_project import ensure_dbt_manifest

    print(ensure_dbt_manifest())
    return 0


def command() -> None:
    """The ``djpk`` command (pyproject's script): ``main``'s status, without the interpreter's teardown."""
    exit_without_teardown(main())


if __name__ == "__main__":
    command()
