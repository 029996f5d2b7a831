"""The fault catalogue (issue 15): each fault an operator can meet, with what they see.

Cheap cases run on hand-made files; the publication cases kill a run at each publish step on a copy
of the demo's data dir. ``docs/faults.md`` lists the same faults with the messages shown here.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from dagster_project.lib.contracts import REGISTER_VICON, REGISTER_WA_BLASTS, TICKETS
from dagster_project.lib.landing import ExportError, find_export, is_landed
from dagster_project.lib.loader import load_export

TICKETS_HEADER = (
    "id,ref,date_created,date_first_agent_reply,date_resolved,status,channel,department,subject,labels,agent,"
    "person_name,person_email,person_phone,person_category,organization,region,escalated_to,feedback_service,"
    "feedback_substance"
)
TICKET_ROW = "1,DJPK-2402-0001,2024-02-05T03:00:00Z,,,resolved,whatsapp,DAU,Syarat,,Anas,Budi,b@x.org,0812,Pemda,BPKAD,Kota Kendari,,5,5"


@pytest.fixture
def conn():
    with duckdb.connect(":memory:") as connection:
        yield connection


def _tickets_folder(data_dir: Path) -> Path:
    folder = data_dir / "landing" / "tickets" / "2024-02"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


# --- contained personal data ----------------------------------------------------------------------


def _modes(root: Path) -> dict[str, set[str]]:
    """Permission bits (octal) of every file and folder under ``root`` (links not followed)."""
    found: dict[str, set[str]] = {"files": set(), "folders": set()}
    for path in root.rglob("*"):
        if path.is_symlink():
            continue
        found["folders" if path.is_dir() else "files"].add(oct(stat.S_IMODE(path.stat().st_mode)))
    return found


def test_what_the_pipeline_writes_is_the_service_users_only(tmp_path):
    """Landing samples, the warehouse and Dagster's storage: 0600 files, 0700 folders; the data dir 0710."""
    from djpk_runner import run_djpk

    data_dir = tmp_path / "fresh"
    run_djpk("generate-samples", data_dir=data_dir)
    run_djpk("ingest", "--month", "2024-02", data_dir=data_dir)
    assert oct(stat.S_IMODE(data_dir.stat().st_mode)) == "0o710"
    for folder in ("landing", "dagster_home"):
        assert _modes(data_dir / folder) == {"files": {"0o600"}, "folders": {"0o700"}}, folder
        assert oct(stat.S_IMODE((data_dir / folder).stat().st_mode)) == "0o700"
    warehouse_files = [path for path in data_dir.glob("warehouse.duckdb*") if path.is_file()]
    assert warehouse_files and {oct(stat.S_IMODE(path.stat().st_mode)) for path in warehouse_files} == {"0o600"}


@pytest.fixture(scope="module")
def analyst_copy(demo_data_dir, tmp_path_factory) -> Path:
    """A copy of the demo with the analysts' copy refreshed (its views point into the copy)."""
    import dagster as dg
    from dagster_duckdb import DuckDBResource
    from djpk_runner import copy_of_demo

    from dagster_project.defs.analysts.assets import analyst_warehouse
    from dagster_project.resources import DataDirResource

    data_dir = copy_of_demo(demo_data_dir, tmp_path_factory.mktemp("analyst-lockdown"))
    resources = {
        "data_dir": DataDirResource(data_dir=str(data_dir)),
        "warehouse": DuckDBResource(database=str(data_dir / "warehouse.duckdb")),
    }
    assert dg.materialize([analyst_warehouse], partition_key=MONTH, resources=resources).success
    return data_dir


def test_analysts_files_are_readable_by_the_group_only(analyst_copy):
    assert _modes(analyst_copy / "analyst") == {"files": {"0o640"}, "folders": {"0o750"}}
    assert oct(stat.S_IMODE((analyst_copy / "analyst").stat().st_mode)) == "0o750"


ESCAPES = [
    "attach '{data}/warehouse.duckdb' as wh (read_only)",
    "select * from read_csv('{data}/landing/tickets/2024-02/tickets.csv')",
    "select * from read_csv('{data}/analyst/snapshots/../../landing/tickets/2024-02/tickets.csv')",
    "select * from read_parquet('{data}/published/2024-02/report_metrics.parquet')",
    "copy (select 1) to '{data}/escape.csv'",
    "set enable_external_access = true",
    "set allowed_directories = ['/']",
    "load httpfs",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_analysts_database_reaches_nothing_but_its_views(analyst_copy, escape):
    from dagster_project.defs.analysts.snapshot import open_analyst_database

    with open_analyst_database(analyst_copy / "analyst") as conn:
        assert (
            conn.execute(
                "select value from published.report_metrics where metric = 'tickets_total' "
                "and dimension = '' and month = date '2024-02-01'"
            ).fetchone()[0]
            > 0
        )
        assert conn.execute("select count(*) from marts.fct_tickets").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="disabled|locked|Permission"):
            conn.execute(escape.format(data=analyst_copy))


def test_the_cli_lockdown_file_does_the_same(analyst_copy):
    """``duckdb -readonly -init analyst/lockdown.sql analyst/analyst.duckdb`` (the analyst guide)."""
    with duckdb.connect(str(analyst_copy / "analyst" / "analyst.duckdb"), read_only=True) as conn:
        for statement in (analyst_copy / "analyst" / "lockdown.sql").read_text().strip().splitlines():
            conn.execute(statement)
        assert conn.execute("select count(*) from published.report_metrics").fetchone()[0] > 0
        with pytest.raises(duckdb.Error, match="disabled"):
            conn.execute(f"attach '{analyst_copy}/warehouse.duckdb' as wh (read_only)")


# --- landing stays inside the data dir -------------------------------------------------------------


def test_symlink_in_landing_is_refused_naming_it_and_never_followed(tmp_path):
    data_dir = tmp_path / "data"
    folder = _tickets_folder(data_dir)
    (folder / "tickets.csv").write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    outside = tmp_path / "elsewhere" / "secret.csv"
    outside.parent.mkdir()
    outside.write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    link = folder / "tickets (1).csv"
    link.symlink_to(outside)
    os.utime(link, follow_symlinks=False)  # the newest entry: it would win if followed
    with pytest.raises(ExportError) as raised:
        find_export(data_dir / "landing", TICKETS, "2024-02")
    message = str(raised.value)
    assert "landing/tickets/2024-02/tickets (1).csv is a symbolic link" in message
    assert "regular files only" in message
    assert str(tmp_path) not in message  # relative to the data dir, and never the link's target


def test_folder_and_fifo_named_like_an_export_are_refused(tmp_path):
    data_dir = tmp_path / "data"
    folder = _tickets_folder(data_dir)
    (folder / "tickets_old.csv").mkdir()
    os.mkfifo(folder / "tickets_pipe.csv")
    assert is_landed(data_dir / "landing", TICKETS, "2024-02")  # seen, so that the load says why it refuses
    with pytest.raises(ExportError, match=r"tickets_old\.csv is a folder.*tickets_pipe\.csv is a named pipe"):
        find_export(data_dir / "landing", TICKETS, "2024-02")


def test_month_folder_linked_outside_the_data_dir_is_refused(tmp_path):
    data_dir = tmp_path / "data"
    outside = tmp_path / "elsewhere" / "2024-02"
    outside.mkdir(parents=True)
    (outside / "tickets.csv").write_text(f"{TICKETS_HEADER}\n{TICKET_ROW}\n")
    (data_dir / "landing" / "tickets").mkdir(parents=True)
    (data_dir / "landing" / "tickets" / "2024-02").symlink_to(outside)
    with pytest.raises(ExportError, match=r"landing/tickets/2024-02 leads outside the data dir"):
        find_export(data_dir / "landing", TICKETS, "2024-02")


# --- a file that is not what its name says -------------------------------------------------------


def _land_registers(data_dir: Path, content: bytes) -> None:
    folder = data_dir / "landing" / "registers" / "2024-02"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "registers.xlsx").write_bytes(content)


@pytest.mark.parametrize(
    "content, found",
    [
        (b"Tanggal,Daerah,Topik\n2024-02-01,Kota Kendari,DAU\n", "plain text with ','-separated lines (a CSV file)"),
        (b"Tanggal;Daerah;Topik\r\n", "plain text with ';'-separated lines (a CSV file)"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old-style Excel .xls (or other OLE2) file"),
        (b"", "an empty file"),
        (b"PK\x03\x04broken zip", "a ZIP archive that is damaged or is not a workbook"),
    ],
)
def test_file_renamed_xlsx_gives_one_line_with_found_and_expected(tmp_path, conn, content, found):
    data_dir = tmp_path / "data"
    _land_registers(data_dir, content)
    messages = set()
    for contract in (REGISTER_VICON, REGISTER_WA_BLASTS):
        landed = find_export(data_dir / "landing", contract, "2024-02")
        with pytest.raises(ExportError) as raised:
            load_export(conn, contract, "2024-02", landed, "landing/registers/2024-02/registers.xlsx")
        messages.add(str(raised.value))
    assert len(messages) == 1, "one bad workbook is one message, the same for every sheet"
    (message,) = messages
    assert message.startswith("landing/registers/2024-02/registers.xlsx: ")
    assert found in message and "expected an .xlsx workbook" in message
    assert "\n" not in message and "BadZipFile" not in message and "Tanggal" not in message
    assert str(tmp_path) not in message


def test_unreadable_header_names_the_file_relative_to_the_data_dir(tmp_path, conn):
    folder = _tickets_folder(tmp_path / "data")
    (folder / "tickets.csv").write_bytes(b"")
    landed = find_export(tmp_path / "data" / "landing", TICKETS, "2024-02")
    with pytest.raises(ExportError) as raised:
        load_export(conn, TICKETS, "2024-02", landed, "landing/tickets/2024-02/tickets.csv")
    assert str(raised.value).startswith("landing/tickets/2024-02/tickets.csv: the file is empty")


# --- atomic publication: a run killed at each publish step ------------------------------------------

MONTH = "2024-02"
PUBLISH_SCRIPT = """
import sys
import dagster as dg
from dagster_project.defs.analysts.assets import analyst_warehouse
from dagster_project.defs.publish.assets import published_report_metrics
from dagster_project.defs.report.assets import monthly_report
from dagster_project.resources import default_resources
from dagster_project.settings import data_paths

result = dg.materialize([published_report_metrics, monthly_report, analyst_warehouse], partition_key=sys.argv[2],
                        resources=default_resources(data_paths(sys.argv[1])), raise_on_error=False)
sys.exit(0 if result.success else 1)
"""


def _publish_steps(data_dir: Path, crash_at: str | None = None) -> int:
    """The publication's steps (publish, report, analysts' copy) of 2024-02 in a process of their own
    (the month's raw layer, dbt models and checks are the demo's); its exit code (-9 when killed)."""
    import subprocess
    import sys

    env = {key: value for key, value in os.environ.items() if key not in ("DAGSTER_HOME", "DJPK_CRASH_AT")}
    env["DJPK_DATA_DIR"] = str(data_dir)
    if crash_at:
        env["DJPK_CRASH_AT"] = crash_at
    completed = subprocess.run(
        [sys.executable, "-c", PUBLISH_SCRIPT, str(data_dir), MONTH],
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return completed.returncode


def _publication(data_dir: Path) -> dict:
    """What a reader sees of the month's publication: every file through the month folder, and the
    warehouse's published figure and recorded version."""
    import json

    folder = data_dir / "published" / MONTH
    files = {path.name: path.read_bytes() for path in folder.iterdir() if path.is_file()}
    manifest = json.loads(files["manifest.json"])
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        tickets = conn.execute(
            "select value from published.report_metrics where month = date '2024-02-01' "
            "and metric = 'tickets_total' and dimension = ''"
        ).fetchone()[0]
        recorded = (
            conn.execute("select version from publishing.current_versions where month = date '2024-02-01'").fetchone()
            if conn.execute(
                "select count(*) from information_schema.tables where table_schema = 'publishing' "
                "and table_name = 'current_versions'"
            ).fetchone()[0]
            else None
        )
    csv_tickets = next(
        float(line.split(",")[3])
        for line in files["report_metrics.csv"].decode().splitlines()
        if line.split(",")[1:3] == ["tickets_total", ""]
    )
    html = files[f"laporan-layanan-informasi-{MONTH}.html"].decode()
    return {
        "files": files,
        "version": manifest["version"],
        "csv_tickets": csv_tickets,
        "table_tickets": tickets,
        "recorded_version": recorded[0] if recorded else None,
        "html_version_ok": f"versi publikasi ke-{manifest['version']}" in html.lower(),
        "versions": sorted(path.name for path in (folder / "versions").iterdir()),
        "pdf_in_version": (
            folder / "versions" / f"{manifest['version']:04d}" / f"laporan-layanan-informasi-{MONTH}.pdf"
        ).read_bytes()
        == files[f"laporan-layanan-informasi-{MONTH}.pdf"],
    }


def _whole(state: dict, version: int, tickets: float) -> None:
    """The publication is exactly one version: files, figures and warehouse all of ``version``."""
    assert state["version"] == version
    assert state["csv_tickets"] == tickets and state["table_tickets"] == tickets
    assert state["html_version_ok"] and state["pdf_in_version"]
    assert state["recorded_version"] in (None, version)


@pytest.fixture
def changed_month(demo_data_dir, tmp_path) -> tuple[Path, dict]:
    """A copy of the demo whose 2024-02 candidate figures changed (one more ticket): a new version
    differs from the current one in its data, not only in its number."""
    from djpk_runner import copy_of_demo

    data_dir = copy_of_demo(demo_data_dir, tmp_path / "data")
    before = _publication(data_dir)
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:
        conn.execute(
            "update reporting.rpt_report_metrics set value = value + 1 where month = date '2024-02-01' "
            "and metric = 'tickets_total' and dimension = ''"
        )
    return data_dir, before


@pytest.mark.parametrize("point", ["publish.files_staged", "publish.rows_staged", "report.rendered"])
def test_killed_before_the_switch_leaves_the_old_publication_exactly(changed_month, point):
    data_dir, before = changed_month
    assert _publish_steps(data_dir, f"{point}:kill") == -9
    after = _publication(data_dir)
    assert after["files"] == before["files"] and after["versions"] == before["versions"]
    assert after["table_tickets"] == before["table_tickets"]
    if point == "report.rendered":  # the longest case: a re-run publishes the new version whole
        assert _publish_steps(data_dir) == 0
        rerun = _publication(data_dir)
        _whole(rerun, before["version"] + 1, before["table_tickets"] + 1)
        assert rerun["versions"] == [*before["versions"], f"{before['version'] + 1:04d}"]
        assert not list((data_dir / "published" / MONTH).glob(".pending-*")), "the dead run's version is removed"


@pytest.mark.parametrize("point", ["switch.committed", "switch.version_folder"])
def test_killed_after_the_commit_is_rolled_forward_whole(changed_month, point):
    from dagster_project.defs.publish.publication import recover_month

    data_dir, before = changed_month
    assert _publish_steps(data_dir, f"{point}:kill") == -9
    folder = data_dir / "published" / MONTH
    assert _publication(data_dir)["files"] == before["files"], "the files still show the old version whole"
    with duckdb.connect(str(data_dir / "warehouse.duckdb")) as conn:  # what the next run does first
        recover_month(conn, folder, MONTH)
    _whole(_publication(data_dir), before["version"] + 1, before["table_tickets"] + 1)
    assert _publication(data_dir)["versions"] == [*before["versions"], f"{before['version'] + 1:04d}"]


def test_a_failing_report_publishes_nothing_and_the_rerun_publishes(changed_month):
    data_dir, before = changed_month
    assert _publish_steps(data_dir, "report.rendered") == 1  # raised: the step fails as on any error
    after = _publication(data_dir)
    assert after["files"] == before["files"] and after["table_tickets"] == before["table_tickets"]
    assert after["versions"] == before["versions"]


def test_a_report_rendered_alone_is_a_new_whole_version(demo_data_dir, tmp_path):
    """A new narrative, `published/report` materialized alone: a new version with the same data files,
    the new report and a manifest saying which version's data it holds; earlier versions untouched."""
    import json

    import dagster as dg
    from djpk_runner import copy_of_demo

    from dagster_project.defs.report.assets import monthly_report
    from dagster_project.resources import default_resources
    from dagster_project.settings import data_paths

    data_dir = copy_of_demo(demo_data_dir, tmp_path / "data")
    before = _publication(data_dir)
    versions_before = {
        path.name: {f.name: f.read_bytes() for f in path.iterdir()}
        for path in (data_dir / "published" / MONTH / "versions").iterdir()
    }
    narrative = data_dir / "landing" / "narrative" / f"{MONTH}.md"
    narrative.parent.mkdir(parents=True, exist_ok=True)
    narrative.unlink(missing_ok=True)  # the team rewrites the month's evaluation
    narrative.write_text("Evaluasi: antrean telepon perlu ditambah satu agen.\n", encoding="utf-8")
    result = dg.materialize([monthly_report], partition_key=MONTH, resources=default_resources(data_paths(data_dir)))
    assert result.success
    after = _publication(data_dir)
    _whole(after, before["version"] + 1, before["table_tickets"])
    assert after["files"]["report_metrics.csv"] == before["files"]["report_metrics.csv"]
    assert "antrean telepon perlu ditambah" in after["files"][f"laporan-layanan-informasi-{MONTH}.html"].decode()
    manifest = json.loads(after["files"]["manifest.json"])
    assert manifest["data_of_version"] == before["version"]
    # the report's inputs beside the raw files: the evaluation now rendered, with its own bytes' hash
    import hashlib

    [evaluation] = [entry for entry in manifest["narratives"] if entry["part"] == "evaluasi"]
    assert evaluation["file"] == f"landing/narrative/{MONTH}.md"
    assert evaluation["sha256"] == hashlib.sha256(narrative.read_bytes()).hexdigest()
    for name, files in versions_before.items():
        assert {f.name: f.read_bytes() for f in (data_dir / "published" / MONTH / "versions" / name).iterdir()} == files


# --- a full disk -----------------------------------------------------------------------------------


@contextmanager
def small_disk(folder: Path, megabytes: int):
    """A tmpfs of ``megabytes`` mounted at ``folder`` (the tests run as root, here and in CI); skipped,
    saying why, where mounting is not permitted."""
    import subprocess

    folder.mkdir(parents=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m,mode=0700", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"a full disk needs a small file system: mounting a tmpfs is not permitted here "
            f"({mounted.stderr.strip() or mounted.returncode}); run the tests as root with CAP_SYS_ADMIN"
        )
    try:
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], capture_output=True)


def _fill(folder: Path, leave_bytes: int) -> Path:
    """A file taking all of ``folder``'s file system but ``leave_bytes``."""
    import shutil

    filler = folder / "filler.bin"
    free = shutil.disk_usage(folder).free - leave_bytes
    with open(filler, "wb") as handle:
        chunk = bytes(1024 * 1024)
        while free > 0:
            handle.write(chunk[: min(free, len(chunk))])
            free -= len(chunk)
    return filler


def _published_state(data_dir: Path) -> dict[str, str]:
    import hashlib

    folder = data_dir / "published" / MONTH
    state = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in folder.rglob("*")
        if p.is_file() and not p.relative_to(folder).parts[0].startswith(".pending-")
    }
    with duckdb.connect(str(data_dir / "warehouse.duckdb"), read_only=True) as conn:
        state["published.report_metrics"] = str(
            conn.execute(
                "select count(*), sum(value) from published.report_metrics where month = date '2024-02-01'"
            ).fetchone()
        )
    return state


FREE_BYTES_FOR_A_FULL_DISK = 2 * 1024 * 1024
"""Enough for Dagster's run records and the first events, not for the run's warehouse writes."""


def test_a_full_disk_says_so_keeps_the_publication_and_the_rerun_publishes(demo_data_dir, tmp_path):
    """The data dir on a small file system that fills up during `djpk materialize`: one line names what
    could not be written and that the disk is full, after the step errors the run recorded, under the
    "NOT published" summary; exit 1, no traceback; the publication is the old one. Space freed, the
    same command publishes."""
    import json
    import shutil

    from djpk_runner import copy_of_demo, run_djpk

    size = sum(path.stat().st_size for path in demo_data_dir.rglob("*") if path.is_file() and not path.is_symlink())
    with small_disk(tmp_path / "disk", size // (1024 * 1024) + 96) as disk:
        data_dir = copy_of_demo(demo_data_dir, disk / "data")
        before = _published_state(data_dir)
        version = json.loads((data_dir / "published" / MONTH / "manifest.json").read_text())["version"]
        filler = _fill(disk, leave_bytes=FREE_BYTES_FOR_A_FULL_DISK)
        failed = run_djpk("materialize", "--month", MONTH, data_dir=data_dir, check=False)
        assert failed.returncode == 1, failed.stderr[-3000:]
        assert "Traceback" not in failed.stderr, failed.stderr[-3000:]
        lines = failed.stderr.splitlines()
        summary = next(i for i, line in enumerate(lines) if "2024-02 was NOT published" in line)
        full = [line for line in lines[summary + 1 :] if "the disk holding the data dir is full (ENOSPC" in line]
        assert len(full) == 1, failed.stderr[-3000:]
        assert str(disk) not in failed.stderr.split("was NOT published", 1)[1], "paths relative to the data dir"
        assert _published_state(data_dir) == before

        filler.unlink()
        rerun = run_djpk("materialize", "--month", MONTH, data_dir=data_dir, check=False)
        assert rerun.returncode == 0, rerun.stderr[-3000:]
        assert f"published {MONTH}" in rerun.stdout
        assert not list((data_dir / "published" / MONTH).glob(".pending-*"))
        versions = sorted(path.name for path in (data_dir / "published" / MONTH / "versions").iterdir())
        assert versions[-1] == f"{version + 1:04d}"
        shutil.rmtree(data_dir, ignore_errors=True)


def test_a_step_error_the_event_log_cannot_store_is_still_printed(tmp_path):
    """The step fails (no space for its file), then the instance cannot store that failure either (its
    event log is on the same full disk): the run ends in the storage's exception, and the CLI still prints
    the step's own error, then one line naming the event log and the full disk."""
    import sqlite3

    import dagster as dg

    from dagster_project.cli import EventCapture, bookkeeping_errors, bookkeeping_failure_lines
    from dagster_project.settings import data_paths

    paths = data_paths(tmp_path / "data")

    @dg.asset
    def report_file():
        raise dg.Failure(description=f"{paths.root}/published/2024-02/report.pdf: [Errno 28] No space left on device")

    with dg.DagsterInstance.ephemeral() as instance:
        store = instance.handle_new_event

        full = []

        def full_disk(event, *args, **kwargs):  # from the step's failure on, nothing can be stored
            if full or (event.dagster_event is not None and event.dagster_event.is_step_failure):
                full.append(event)
                raise sqlite3.OperationalError("database or disk is full")
            return store(event, *args, **kwargs)

        instance.handle_new_event = full_disk
        capture = EventCapture()
        capture.attach(instance)
        with pytest.raises(bookkeeping_errors()) as raised:
            dg.materialize([report_file], instance=instance, raise_on_error=False)
        lines = bookkeeping_failure_lines(capture, raised.value, paths, instance)
    assert lines[0] == "step failed: report_file: published/2024-02/report.pdf: [Errno 28] No space left on device"
    assert lines[1].startswith(
        "Dagster's event log could not be written at step report_file: database or disk is full"
        " — the disk holding the data dir is full (ENOSPC"
    )
    assert len(lines) == 2
