"""What a month run's dbt step records in Dagster: each model's row count and dbt test outcomes on its
materialization, and, in a data dir's first run, the reference seeds loaded in the same `dbt build`."""

from __future__ import annotations

import dagster as dg

from dagster_project.defs.dbt.assets import djpk_dbt_project_manifest, seed_checksums

MODEL = dg.AssetKey(["marts", "fct_tickets"])


def _materializations(instance, key):
    return [
        record.event_log_entry for record in instance.fetch_materializations(key, limit=1000, ascending=True).records
    ]


def test_each_models_materialization_holds_its_row_count_and_test_outcomes(demo_data_dir, warehouse):
    with dg.DagsterInstance.from_config(str(demo_data_dir / "dagster_home")) as instance:
        latest = instance.get_latest_materialization_event(MODEL).asset_materialization
    metadata = {name: getattr(value, "value", value) for name, value in latest.metadata.items()}
    (rows,) = warehouse.execute("select count(*) from marts.fct_tickets").fetchone()
    assert metadata["dagster/row_count"] == rows > 0
    assert metadata["dbt_tests"].endswith("pass") and "dbt_tests_not_passed" not in metadata


def test_the_first_month_run_loads_every_seed_in_its_one_dbt_build(demo_data_dir):
    """The demo's first monthly run found a warehouse without seeds: every seed was materialized by the models'
    dbt step (no seeds run of its own), in the same run as the first model materializations, and that step
    started dbt once."""
    seeds = sorted(seed_checksums(djpk_dbt_project_manifest()))
    with dg.DagsterInstance.from_config(str(demo_data_dir / "dagster_home")) as instance:
        first_model = _materializations(instance, MODEL)[0]
        for seed in seeds:
            (loaded, *_) = _materializations(instance, dg.AssetKey(["reference", seed]))
            assert (loaded.run_id, loaded.step_key) == (first_model.run_id, "djpk_dbt_models"), seed
            assert loaded.asset_materialization.metadata["dagster/row_count"].value > 0, seed
        commands = [
            entry.user_message
            for entry in instance.all_logs(first_model.run_id)
            if entry.step_key == "djpk_dbt_models" and entry.user_message.startswith("Running dbt command")
        ]
    assert len(commands) == 1, commands
