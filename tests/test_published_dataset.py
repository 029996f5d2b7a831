"""Shape and lineage of the published dataset (shared/contracts/published.md)."""

from __future__ import annotations

import csv
import hashlib
import json

from dagster_project.lib.months import month_start

SAMPLE_MONTHS = ["2019-01", "2019-12", "2020-01", "2023-02", "2024-01", "2024-02"]


def test_every_sample_month_is_published(demo_data_dir):
    for month in SAMPLE_MONTHS:
        folder = demo_data_dir / "published" / month
        for name in ("report_metrics.csv", "report_metrics.parquet", "manifest.json"):
            assert (folder / name).is_file(), f"{month}: {name} missing"


def test_manifest_lists_raw_files_with_their_hashes(demo_data_dir):
    manifest = json.loads((demo_data_dir / "published" / "2024-02" / "manifest.json").read_text())
    assert manifest["month"] == "2024-02"
    tickets = [raw for raw in manifest["raw_files"] if raw["source"] == "tickets"]
    assert len(tickets) == 1
    path = demo_data_dir / tickets[0]["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == tickets[0]["sha256"]
    assert tickets[0]["rows_in_file"] == tickets[0]["rows_loaded"] + tickets[0]["rows_quarantined"]
    check_names = {check["check"] for check in manifest["checks"]}
    assert {"dbt_tests_passed", "ticket_breakdowns_sum_to_total"} <= check_names
    assert all(check["passed"] for check in manifest["checks"])


def test_warehouse_table_equals_published_csv(demo_data_dir, warehouse):
    with open(demo_data_dir / "published" / "2024-02" / "report_metrics.csv", encoding="utf-8") as handle:
        from_csv = {(r["metric"], r["dimension"]): float(r["value"]) for r in csv.DictReader(handle)}
    from_table = {
        (metric, dimension): value
        for metric, dimension, value in warehouse.execute(
            "select metric, dimension, value from published.report_metrics where month = ?", [month_start("2024-02")]
        ).fetchall()
    }
    assert from_table == from_csv
    duplicates = warehouse.execute(
        "select month, metric, dimension from published.report_metrics group by all having count(*) > 1"
    ).fetchall()
    assert duplicates == []


def test_previous_values_are_null_when_the_month_is_not_loaded(demo_data_dir):
    with open(demo_data_dir / "published" / "2019-01" / "report_metrics.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows and all(row["value_prev_month"] == "" and row["value_prev_year"] == "" for row in rows)


def test_service_calendar_closes_on_holidays_and_cuti_bersama(warehouse):
    closed = dict(
        warehouse.execute(
            "select calendar_date::varchar, is_working_day from marts.dim_service_calendar "
            "where calendar_date in ('2024-02-08', '2024-02-09', '2024-02-12', '2024-02-14', '2024-02-17')"
        ).fetchall()
    )
    assert closed == {
        "2024-02-08": False,
        "2024-02-09": False,
        "2024-02-12": True,
        "2024-02-14": False,
        "2024-02-17": False,
    }


def test_manifest_lists_the_api_pulls_with_payload_hashes(demo_data_dir, warehouse):
    """Every API pull the month was built from: provider, resource, counts, times, SHA-256 of the stored payloads."""
    manifest = json.loads((demo_data_dir / "published" / "2024-02" / "manifest.json").read_text())
    pulls = {(pull["table"], pull["provider"], pull["resource"]): pull for pull in manifest["api_pulls"]}
    counts = {key: (pull["responses"], pull["items"]) for key, pull in pulls.items()}
    graph = "GET /v25.0"
    assert counts == {
        ("raw.api_ga4_reports", "GA4", "POST /v1beta/properties/312345678:runReport"): (
            4,
            29,
        ),  # 1 users row + 28 top-page rows (3 pages)
        ("raw.api_instagram_media", "Instagram", f"{graph}/17841400000000001/media"): (3, 25),
        ("raw.api_instagram_media", "Instagram", f"{graph}/{{id}}/insights"): (25, 50),  # reach + views per feed post
        ("raw.api_facebook_posts", "Facebook", f"{graph}/100000000000001/posts"): (4, 33),
        ("raw.api_facebook_posts", "Facebook", f"{graph}/{{id}}/insights"): (33, 33),
        ("raw.api_x_tweets", "X", "GET /2/users/1000000000000000001/tweets"): (4, 33),
        ("raw.api_follower_snapshots", "Instagram", f"{graph}/17841400000000001"): (29, 29),  # one a day
        ("raw.api_follower_snapshots", "Facebook", f"{graph}/100000000000001"): (29, 29),
        ("raw.api_follower_snapshots", "X", "GET /2/users/by/username/DitjenPK"): (29, 29),
        ("raw.api_instagram_stories", "Instagram", f"{graph}/17841400000000001/stories"): (29, 26),
    }
    assert "sha256 over the stored response_json" in manifest["api_pulls_sha256"]
    media = pulls[("raw.api_instagram_media", "Instagram", f"{graph}/17841400000000001/media")]
    payloads = warehouse.execute(
        "select response_json::varchar from raw.api_instagram_media where report_month = '2024-02-01' "
        "and regexp_matches(endpoint, '/media(\\?|$)') order by requested_at, endpoint, response_index"
    ).fetchall()
    assert media["sha256"] == hashlib.sha256("".join(p + "\n" for (p,) in payloads).encode()).hexdigest()
    followers = pulls[("raw.api_follower_snapshots", "Instagram", f"{graph}/17841400000000001")]
    assert (followers["first_requested_at"], followers["last_requested_at"]) == (
        "2024-02-01T16:00:00Z",
        "2024-02-29T16:00:00Z",
    )
    assert len({pull["sha256"] for pull in manifest["api_pulls"]}) == len(manifest["api_pulls"])
