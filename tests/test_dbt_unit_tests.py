"""The dbt unit tests (a model's SQL on fixed input rows: service hours, call classification, PPID
deadlines, export volumes, forwarded mails) run here, in CI, not in the monthly build: dbt advises leaving unit tests out of
production builds (the monthly asset runs ``dbt build --exclude-resource-type unit_test``). They need the
models' parents to exist, so they run against a copy of the demo's warehouse.
"""

from __future__ import annotations

import json

from djpk_runner import copy_of_demo, run_dbt


def test_every_dbt_unit_test_passes(demo_data_dir, tmp_path):
    from dagster_project.dbt_project import djpk_dbt_project

    manifest = json.loads(djpk_dbt_project.manifest_path.read_text())
    unit_tests = manifest["unit_tests"]
    assert unit_tests, "the project has dbt unit tests"
    data_dir = copy_of_demo(demo_data_dir, tmp_path / "data")
    target = tmp_path / "target"
    run_dbt(data_dir / "warehouse.duckdb", target, "test", "--select", "test_type:unit")
    results = json.loads((target / "run_results.json").read_text())["results"]
    outcomes = {
        result["unique_id"]: result["status"] for result in results if result["unique_id"].startswith("unit_test.")
    }
    assert outcomes == {unique_id: "pass" for unique_id in unit_tests}
