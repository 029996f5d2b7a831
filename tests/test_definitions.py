"""The definitions load as the UI loads them, with the assets, checks and job the CLI runs."""

from __future__ import annotations

import json

import dagster as dg

from dagster_project.dbt_project import djpk_dbt_project


def test_definitions_hold_the_monthly_pipeline():
    from dagster_project.definitions import defs
    from dagster_project.jobs import MONTHLY_JOB_NAME

    graph = defs.resolve_asset_graph()
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert {
        "raw/deskpro_tickets",
        "raw/region_pemda_matches",
        "raw/person_keys",
        "staging/stg_deskpro__tickets",
        "marts/fct_tickets",
        "marts/fct_tickets_monthly",
        "marts/fct_topics_monthly",
        "marts/fct_pemda_monthly",
        "reporting/rpt_report_metrics",
        "published/report_metrics",
    } <= keys
    checks = {(key.asset_key.to_user_string(), key.name) for key in graph.asset_check_keys}
    assert ("reporting/rpt_report_metrics", "ticket_breakdowns_sum_to_total") in checks
    # dbt tests run inside the dbt step (a failing one fails it) and are reported per model and by one gate rule,
    # not as ~190 asset checks of three events each
    assert ("reporting/rpt_report_metrics", "dbt_tests_passed") in checks
    manifest = json.loads(djpk_dbt_project.manifest_path.read_text())
    job = defs.resolve_job_def(MONTHLY_JOB_NAME)
    assert any(node["name"] == "unique_stg_deskpro__tickets_ticket_id" for node in manifest["nodes"].values())
    # layer reconciliations are dbt tests (raw = staging per month for every export, staging = fact for tickets)
    reconciled = {
        node["attached_node"].split(".")[-1]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node["name"].startswith("rows_per_month_equal_")
    }
    from dagster_project.lib.contracts import CONTRACTS

    assert {contract.staging_model for contract in CONTRACTS.values()} | {"fct_tickets"} <= reconciled
    # reference seeds are loaded when their CSV changes, not by every month's run
    assert dg.AssetKey(["reference", "pemda_register"]) not in job.asset_layer.executable_asset_keys
    job = defs.resolve_job_def(MONTHLY_JOB_NAME)
    assert job.partitions_def.get_partition_keys()[0] == "2019-01"
    assert dg.AssetKey(["published", "report_metrics"]) in job.asset_layer.executable_asset_keys


def test_publish_waits_for_blocking_checks():
    from dagster_project.definitions import defs

    graph = defs.resolve_asset_graph()
    blocking = {key.name for key in graph.asset_check_keys if graph.get_check_spec(key).blocking}
    assert {"dbt_tests_passed", "ticket_breakdowns_sum_to_total", "quarantine_within_threshold"} <= blocking


def test_every_export_feeds_its_staging_model():
    """Each raw export asset is upstream of its dbt staging model, so its blocking checks gate dbt
    (a dbt source that maps to another asset key would silently skip the gate)."""
    from dagster_project.definitions import defs
    from dagster_project.lib.contracts import CONTRACTS

    graph = defs.resolve_asset_graph()
    for contract in CONTRACTS.values():
        staging = dg.AssetKey(["staging", contract.staging_model])
        assert dg.AssetKey(["raw", contract.raw_table]) in graph.get(staging).parent_keys, contract.source


def test_the_partition_tags_are_dagsters_own():
    from dagster._core.storage import tags  # private: this test is what keeps our names honest

    from dagster_project.partitions import PARTITION_TAG, RANGE_END_TAG, RANGE_START_TAG

    assert (PARTITION_TAG, RANGE_START_TAG, RANGE_END_TAG) == (
        tags.PARTITION_NAME_TAG,
        tags.ASSET_PARTITION_RANGE_START_TAG,
        tags.ASSET_PARTITION_RANGE_END_TAG,
    )
