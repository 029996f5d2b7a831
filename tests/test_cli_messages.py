"""What the CLI prints: no framework class names, and the quarantined rows of a published month."""

from __future__ import annotations

import duckdb

from dagster_project.cli import quarantine_summary, without_class_name
from dagster_project.settings import data_paths


def test_messages_lose_the_framework_class_name():
    assert (
        without_class_name("dagster._core.definitions.events.Failure: missing export for source 'tickets'")
        == "missing export for source 'tickets'"
    )
    assert without_class_name("Failure: tickets.csv row 3: bad") == "tickets.csv row 3: bad"
    assert (
        without_class_name("landing/tickets/2024-02/tickets.csv row 3: bad")
        == "landing/tickets/2024-02/tickets.csv row 3: bad"
    )


def test_the_final_line_counts_quarantined_rows_per_source(tmp_path):
    paths = data_paths(tmp_path)
    with duckdb.connect(str(paths.warehouse)) as conn:
        conn.execute("create schema raw")
        conn.execute(
            "create table raw.quarantine (source varchar, report_month date, source_file varchar, "
            "row_number bigint, column_name varchar, rule varchar)"
        )
        conn.execute(
            "insert into raw.quarantine values "
            "('tickets', date '2024-02-01', 'a.csv', 11, 'channel', 'allowed values'), "
            "('tickets', date '2024-02-01', 'a.csv', 11, 'feedback_service', 'maximum 5'), "
            "('tickets', date '2024-02-01', 'a.csv', 12, 'channel', 'allowed values'), "
            "('calls', date '2024-02-01', 'c.csv', 3, 'Queue Time', 'minimum 0'), "
            "('calls', date '2024-01-01', 'c.csv', 4, 'Queue Time', 'minimum 0')"
        )
    assert quarantine_summary(paths, ["2024-02"]) == "quarantined rows: calls 1, tickets 2 (see raw.quarantine)"
    assert quarantine_summary(paths, ["2023-12"]) is None


def test_identical_failure_lines_are_one_line_with_a_count_and_paths_relative(tmp_path):
    from dagster_project.cli import distinct_lines

    root = tmp_path / "data"
    lines = [f"step failed: raw_exports: {root}/landing/registers/2024-02/registers.xlsx: is not an Excel workbook"] * 5
    lines.append("check failed: raw/register_vicon / quarantine_within_threshold: 3 of 10 rows")
    assert distinct_lines(lines, root) == [
        "step failed: raw_exports: landing/registers/2024-02/registers.xlsx: is not an Excel workbook (×5)",
        "check failed: raw/register_vicon / quarantine_within_threshold: 3 of 10 rows",
    ]


def test_one_workbook_renamed_from_csv_is_one_line_for_all_its_sheets(tmp_path):
    """A CSV saved as ``registers.xlsx``: every register sheet's load fails with the same message; the
    CLI prints it once, with how many loads said it, relative to the data dir, without class names."""
    import dagster as dg

    from dagster_project.cli import describe_failures
    from dagster_project.defs.ingest.assets import CONTRACT_OF_KEY, raw_exports
    from dagster_project.resources import DataDirResource, WarehouseResource

    data_dir = tmp_path / "data"
    folder = data_dir / "landing" / "registers" / "2024-02"
    folder.mkdir(parents=True)
    (folder / "registers.xlsx").write_bytes(b"Tanggal,Daerah,Topik\n2024-02-01,Kota Kendari,DAU\n")
    sheets = [
        key
        for key, contract in CONTRACT_OF_KEY.items()
        if contract.source.startswith("register") and contract.expected_in("2024-02")
    ]
    assert len(sheets) > 3
    result = dg.materialize(
        [raw_exports],
        selection=sheets,
        partition_key="2024-02",
        raise_on_error=False,
        instance=dg.DagsterInstance.ephemeral(),
        resources={
            "data_dir": DataDirResource(data_dir=str(data_dir)),
            "warehouse": WarehouseResource(database=str(data_dir / "warehouse.duckdb")),
        },
    )
    assert not result.success
    lines = describe_failures(result, data_dir)
    assert lines == [
        f"step failed: raw_exports: landing/registers/2024-02/registers.xlsx: is not an Excel workbook: "
        f"found plain text with ','-separated lines (a CSV file), expected an .xlsx workbook (a ZIP archive) "
        f'— rule: registers are saved as Excel .xlsx; re-save the file as "Excel Workbook (.xlsx)" (×{len(sheets)})'
    ]
    assert str(tmp_path) not in lines[0] and "Failure" not in lines[0] and "dagster" not in lines[0]


def test_ingest_of_named_exports_refuses_an_unknown_name_and_a_month_without_them(demo_data_dir):
    """``djpk ingest --sources``: every month of the range must have each named export landed; nothing is loaded
    otherwise (the demo's data dir is only read here)."""
    from djpk_runner import run_djpk

    unknown = run_djpk("ingest", "--month", "2023-01", "--sources", "nope", data_dir=demo_data_dir, check=False)
    assert unknown.returncode == 2 and "no export is called nope" in unknown.stderr
    lacking = run_djpk(
        "ingest", "--month", "2023-01", "--to", "2023-03", "--sources", "tickets", data_dir=demo_data_dir, check=False
    )
    assert lacking.returncode == 2
    assert "2023-01, 2023-03 do not have every export of tickets landed" in lacking.stderr
