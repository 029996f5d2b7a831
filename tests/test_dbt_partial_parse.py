"""dbt's partial parsing holds in every data dir from its first run on: the pipeline's dbt invocations render the
same profile (the ``pipeline`` target's relative warehouse path) and pass the same vars as ``djpk prepare``'s parse,
so the partial-parse state dagster-dbt copies into a new data dir's target folder is used, not re-made by a full
parse of the project (several seconds on every new data dir: every test data dir, every deployment's first month)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dagster_project.dbt_cli import PIPELINE_TARGET, pipeline_working_dir
from dagster_project.dbt_project import PIPELINE_VARS, djpk_dbt_project, ensure_dbt_manifest, pipeline_dbt_resource
from dagster_project.settings import DBT_PROJECT_DIR, WAREHOUSE_FILE_NAME, DataPaths

FULL_PARSE = "I024"
"""dbt's event code for "Unable to do partial parsing because …"."""


def _full_parse_reasons(target: Path) -> list[str]:
    reasons = []
    for log in sorted(target.glob("dbt.log*")):
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if f'"code": "{FULL_PARSE}"' in line:
                reasons.append(json.loads(line)["info"]["msg"])
    return reasons


def test_the_pipeline_targets_warehouse_is_the_data_dirs_file_name():
    profile = (DBT_PROJECT_DIR / "profiles.yml").read_text(encoding="utf-8")
    pipeline = profile.split(f"    {PIPELINE_TARGET}:", 1)[1]
    assert re.findall(r'path: "([^"]+)"', pipeline) == [WAREHOUSE_FILE_NAME]
    assert DataPaths(Path("/d")).warehouse.name == WAREHOUSE_FILE_NAME


def test_a_new_data_dirs_first_dbt_invocation_parses_partially(tmp_path):
    ensure_dbt_manifest()
    target = DataPaths(tmp_path).dbt_target
    invocation = pipeline_dbt_resource().cli(
        ["parse", "--vars", json.dumps(PIPELINE_VARS)], target_path=target, raise_on_error=True
    )
    invocation.wait()
    assert (target / "partial_parse.msgpack").exists()  # copied from the prepared project by dagster-dbt
    assert _full_parse_reasons(target) == []
    assert (Path(djpk_dbt_project.project_dir) / djpk_dbt_project.target_path / "partial_parse.msgpack").exists()
    assert not (tmp_path / WAREHOUSE_FILE_NAME).exists()  # a parse opens no warehouse


def test_no_dbt_run_of_the_demo_parsed_the_whole_project(demo_data_dir):
    """Every dbt invocation of the demo (its seeds, ingest and month runs) found the partial-parse state valid."""
    target = DataPaths(demo_data_dir).dbt_target
    assert list(target.glob("dbt.log*"))
    assert _full_parse_reasons(target) == []


@pytest.mark.parametrize(
    ("argv", "target_path", "expected"),
    [
        (["build", "--target", PIPELINE_TARGET], "/data/dbt_target", "/data"),
        (["build", f"--target={PIPELINE_TARGET}"], "/data/dbt_target", "/data"),
        (["parse", "--target", PIPELINE_TARGET], "target", None),  # djpk prepare: stays in the dbt project
        (["build"], "/data/dbt_target", None),  # the local target: the warehouse of DJPK_WAREHOUSE_PATH
        (["build", "--target", "local"], "/data/dbt_target", None),
    ],
)
def test_dbt_works_inside_the_data_dir_of_its_target_folder_under_the_pipeline_target(argv, target_path, expected):
    assert pipeline_working_dir(argv, {"DBT_TARGET_PATH": target_path}) == expected


def test_a_pipeline_build_outside_a_data_dir_is_refused():
    with pytest.raises(SystemExit, match="DBT_TARGET_PATH must be that data dir's dbt target folder"):
        pipeline_working_dir(["build", "--target", PIPELINE_TARGET], {"DBT_TARGET_PATH": "/tmp/somewhere"})


def test_the_dbt_step_refuses_a_warehouse_file_the_pipeline_target_would_not_open(tmp_path):
    """The pipeline target opens ``<data dir>/warehouse.duckdb``: a warehouse resource naming another file of that
    folder is refused, never another file built in its place."""
    import dagster as dg

    from dagster_project.defs.dbt.run_months import dbt_target_of
    from dagster_project.resources import WarehouseResource

    assert dbt_target_of(WarehouseResource(database=str(tmp_path / WAREHOUSE_FILE_NAME))) == tmp_path / "dbt_target"
    with pytest.raises(dg.Failure, match="dbt builds a data dir's warehouse.duckdb"):
        dbt_target_of(WarehouseResource(database=str(tmp_path / "other.duckdb")))
