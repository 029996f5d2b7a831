"""Blocking checks that gate publication of a month (besides the dbt tests).

Each check is a plain function of a read-only warehouse connection and a month, returning a
:class:`CheckOutcome`; the Dagster asset checks below only wrap them. A failing check stops the
publish asset of that month (``blocking=True``), so the previous publication stays as it was.
"""

import json
from collections import Counter
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import partial

import dagster as dg
import duckdb

from ...lib.contracts import CONTRACTS, ExportContract
from ...lib.loader import SUMMARY_ROW_RULE
from ...lib.months import month_start
from ...partitions import monthly_partitions
from ...resources import WarehouseResource
from ...settings import DataPaths
from ..ingest.assets import raw_asset_key

REPORT_METRICS_KEY = dg.AssetKey(["reporting", "rpt_report_metrics"])

BREAKDOWNS_OF_TICKETS_TOTAL = (
    "tickets_by_channel",
    "tickets_by_category",
    "tickets_by_topic",
    "tickets_by_subtopic",
    "tickets_by_purpose",
    "tickets_by_channel_topic",
)


@dataclass
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict = field(default_factory=dict)


BREAKDOWNS = (
    # (breakdown metric, total metric): every breakdown of a total sums to it
    ("chatbot_menu", "chatbot_sessions_without_agent"),
    ("email_lapor_by_category", "email_lapor_total"),
    ("advocacy_activations", "advocacy_activations"),
    ("advocacy_accounts", "advocacy_accounts"),
    ("tickets_escalated_by_topic", "tickets_escalated"),
    ("tickets_by_pemda_topic", "tickets_tz_identified"),
    ("calls_queued_by_date", "calls_queued"),
    ("calls_answered_by_agent", "calls_answered"),
    ("faq_needing_review_1_month_before", "faq_needing_review_1_month_before"),
    ("faq_needing_review_2_months_before", "faq_needing_review_2_months_before"),
    ("face_to_face_by_pemda", None),
)


def source_breakdowns_sum_to_totals(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """Chatbot menus, e-mail categories, advocacy types and platforms, escalated tickets by topic, tickets
    per pemda and topic (to the identified tickets), queue calls by date, answered calls by agent and the FAQ trend by unit each sum to their total;
    face-to-face visits per pemda never exceed the visits held; handed-over chatbot sessions have a ticket."""
    start = month_start(month)
    rows = conn.execute(
        "select metric, dimension, value from reporting.rpt_report_metrics where month = ?", [start]
    ).fetchall()
    values: dict[str, dict[str, float]] = {}
    for metric, dimension, value in rows:
        values.setdefault(metric, {})[dimension] = value
    wrong: dict[str, str] = {}
    for breakdown, total_metric in BREAKDOWNS:
        parts = {k: v for k, v in values.get(breakdown, {}).items() if k != ""}
        if not parts:
            continue
        if total_metric is None:
            held = values.get("face_to_face_total", {}).get("", 0)
            if sum(parts.values()) > held:
                wrong[breakdown] = f"{sum(parts.values()):g} > face_to_face_total {held:g}"
            continue
        total = values.get(total_metric, {}).get("")
        if total is None or sum(parts.values()) != total:
            wrong[breakdown] = f"{sum(parts.values()):g} ≠ {total_metric} {total}"
    orphans = values.get("chatbot_handed_without_ticket", {}).get("", 0)
    quarantined_tickets = conn.execute(
        "select count(distinct row_number) from raw.quarantine where source = 'tickets' and report_month = ?", [start]
    ).fetchone()[0]
    if orphans > quarantined_tickets:  # a hand-over whose ticket row sits in quarantine is accounted for
        wrong["chatbot_handed_without_ticket"] = (
            f"{orphans:g} chatbot session(s) handed to an agent have no ticket with their ref "
            f"(only {quarantined_tickets} ticket row(s) of the month are in quarantine)"
        )
    description = "every source breakdown adds up" if not wrong else "; ".join(f"{k}: {v}" for k, v in wrong.items())
    return CheckOutcome(not wrong, description, {"problems": len(wrong)})


HEADLINES_FROM_FACTS = {
    # metric: SQL counting it straight from the fact table of the month (parameter: month start)
    "tickets_total": "select count(*) from marts.fct_tickets where report_month = ?",
    "complaints_total": "select count(*) from marts.fct_tickets where report_month = ? and is_complaint",
    "chatbot_sessions_without_agent": "select count(*) from marts.fct_chatbot_sessions where report_month = ? and is_without_agent",
    "calls_offered": "select count(*) from marts.fct_calls where report_month = ? and is_offered",
    "email_lapor_total": "select count(*) from marts.fct_email_lapor where report_month = ?",
    "face_to_face_total": "select count(*) from marts.fct_visits where report_month = ? and visit_kind = 'face_to_face' and is_held",
    "vicon_total": "select count(*) from marts.fct_visits where report_month = ? and visit_kind = 'vicon'",
    "ppid_requests": "select count(*) from marts.fct_ppid_requests where report_month = ?",
    "events_total": "select count(*) from marts.fct_information_activities where report_month = ? and activity_kind = 'event'",
}


def metrics_equal_facts(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """The headline figures about to be published equal a plain count over their fact table."""
    start = month_start(month)
    published = dict(
        conn.execute(
            "select metric, value from reporting.rpt_report_metrics where month = ? and dimension = ''", [start]
        ).fetchall()
    )
    wrong, compared = {}, 0
    for metric, sql in HEADLINES_FROM_FACTS.items():
        if metric not in published:
            continue  # the source was not loaded that month: nothing is published for it
        counted = conn.execute(sql, [start]).fetchone()[0]
        compared += 1
        if counted != published[metric]:
            wrong[metric] = f"metric {published[metric]:g} ≠ fact count {counted}"
    description = (
        f"{compared} headline figures equal their fact counts"
        if not wrong
        else "; ".join(f"{k}: {v}" for k, v in wrong.items())
    )
    return CheckOutcome(not wrong, description, {"compared": compared})


def breakdowns_sum_to_total(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """Every breakdown of tickets_total sums to it; the time-zone split adds up."""
    rows = conn.execute(
        "select metric, dimension, value from reporting.rpt_report_metrics where month = ?", [month_start(month)]
    ).fetchall()
    values: dict[str, dict[str, float]] = {}
    for metric, dimension, value in rows:
        values.setdefault(metric, {})[dimension] = value
    total = values.get("tickets_total", {}).get("")
    if total is None:
        return CheckOutcome(False, f"no tickets_total for {month}")
    expected = {name: total for name in BREAKDOWNS_OF_TICKETS_TOTAL}
    identified = values.get("tickets_tz_identified", {}).get("", 0)
    sums = {name: sum(values.get(name, {}).values()) for name in BREAKDOWNS_OF_TICKETS_TOTAL}
    sums["tickets_tz_identified + tickets_tz_unidentified"] = identified + values.get(
        "tickets_tz_unidentified", {}
    ).get("", 0)
    expected["tickets_tz_identified + tickets_tz_unidentified"] = total
    out = values.get("tickets_out_of_service_hours", {})
    sums["tickets_in_service_hours + tickets_out_of_service_hours"] = values.get("tickets_in_service_hours", {}).get(
        "", 0
    ) + out.get("", 0)
    expected["tickets_in_service_hours + tickets_out_of_service_hours"] = identified
    sums["tickets_out_of_service_hours by WIB/WITA/WIT"] = sum(v for k, v in out.items() if k)
    expected["tickets_out_of_service_hours by WIB/WITA/WIT"] = out.get("", 0)
    wrong = {name: f"{sums[name]:g} ≠ {expected[name]:g}" for name in sums if sums[name] != expected[name]}
    description = (
        "all breakdowns add up"
        if not wrong
        else "breakdowns not adding up: " + "; ".join(f"{k}: {v}" for k, v in wrong.items())
    )
    return CheckOutcome(not wrong, description, {"tickets_total": total, "sums": sums})


def quarantine_within_threshold(conn: duckdb.DuckDBPyConnection, month: str, contract: ExportContract) -> CheckOutcome:
    """Quarantined rows stay at or under the source's configured fraction of the file's rows."""
    if not contract.expected_in(month):
        return CheckOutcome(True, f"no {contract.source} export expected for {month} (from {contract.available_from})")
    row = conn.execute(
        "select rows_in_file, rows_quarantined, source_file from raw.load_log where source = ? and report_month = ?",
        [contract.source, month_start(month)],
    ).fetchone()
    if row is None:
        return CheckOutcome(False, f"{contract.source} {month}: nothing loaded")
    rows_in_file, quarantined, source_file = row
    summary_rows = conn.execute(
        "select count(distinct row_number) from raw.quarantine where source = ? and report_month = ? and rule = ?",
        [contract.source, month_start(month), SUMMARY_ROW_RULE],
    ).fetchone()[0]
    quarantined -= summary_rows
    rows_in_file -= summary_rows
    fraction = quarantined / rows_in_file if rows_in_file else 0.0
    passed = fraction <= contract.max_quarantined_fraction
    rules = conn.execute(
        "select rule, count(distinct row_number) from raw.quarantine where source = ? and report_month = ? and rule <> ? "
        "group by rule order by rule",
        [contract.source, month_start(month), SUMMARY_ROW_RULE],
    ).fetchall()
    sheet = f" [sheet '{contract.sheet}']" if contract.sheet else ""
    return CheckOutcome(
        passed,
        f"{contract.source}: {source_file}{sheet}: {quarantined} of {rows_in_file} rows quarantined "
        f"({fraction:.2%}; limit {contract.max_quarantined_fraction:.2%})"
        + (" by rule " + ", ".join(f"'{rule}' ({count})" for rule, count in rules) if rules else "")
        + (f"; {summary_rows} total row(s) set aside" if summary_rows else ""),
        {"rows_in_file": rows_in_file, "rows_quarantined": quarantined},
    )


def dbt_tests_passed(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """The dbt tests of this run's `dbt build` (from its run_results.json), counted by outcome.

    A failing dbt test already fails the dbt step, so nothing downstream runs; this rule reports the
    tests that ran (they are not separate asset checks: three events each in every run)."""
    (warehouse,) = conn.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    path = DataPaths.of_warehouse(warehouse).dbt_target / "run_results.json"
    if not path.exists():
        return CheckOutcome(False, f"no dbt run results at {path.name}: dbt did not run")
    results = [r for r in json.loads(path.read_text())["results"] if r["unique_id"].startswith(("test.", "unit_test."))]
    statuses = Counter(r["status"] for r in results)
    failing = sorted(r["unique_id"] for r in results if r["status"] not in ("pass", "success", "warn"))
    warned = sorted(r["unique_id"] for r in results if r["status"] == "warn")
    text = ", ".join(f"{count} {status}" for status, count in sorted(statuses.items())) or "no tests"
    if warned:  # warn-severity tests (the export volumes): named, never blocking
        text += f"; warnings: {', '.join(warned)}" + _volume_anomalies(conn, month)
    return CheckOutcome(
        bool(results) and not failing,
        f"dbt tests of the run: {text}" + (f"; not passed: {', '.join(failing)}" if failing else ""),
        dict(statuses),
    )


def _volume_anomalies(conn: duckdb.DuckDBPyConnection, month: str) -> str:
    """The sources whose export volume is anomalous in the month, as ' (volume anomaly: tickets 5 rows vs median 1)'."""
    try:
        rows = conn.execute(
            "select source_name, rows_in_file, trailing_median_rows from intermediate.int_raw__export_volumes "
            "where is_volume_anomaly and report_month = ? order by source_name",
            [month_start(month)],
        ).fetchall()
    except duckdb.Error:
        return ""
    named = ", ".join(f"{source} {rows} rows vs median {median:g}" for source, rows, median in rows)
    return f" (volume anomaly: {named})" if named else ""


def _evaluate(
    months: list[str],
    conn: duckdb.DuckDBPyConnection,
    key: dg.AssetCheckKey,
    check,
    args,
    severity: dg.AssetCheckSeverity,
) -> dg.AssetCheckResult:
    """``check(conn, month, *args)`` for every month of the run. A range run (a backfill) passes only
    when every month passes; the description names each failing month."""
    outcomes = {month: check(conn, month, *args) for month in months}
    result = partial(dg.AssetCheckResult, asset_key=key.asset_key, check_name=key.name, severity=severity)
    if len(months) == 1:
        outcome = outcomes[months[0]]
        return result(passed=outcome.passed, description=outcome.description, metadata=outcome.metadata)
    failing = {month: outcome for month, outcome in outcomes.items() if not outcome.passed}
    description = (
        "; ".join(f"{month}: {outcome.description}" for month, outcome in failing.items())
        if failing
        else f"all {len(months)} months ({months[0]} … {months[-1]}) pass"
    )
    return result(
        passed=not failing,
        description=description,
        metadata={
            "months": len(months),
            "failing_months": ", ".join(failing) or "-",
        },
    )


@dataclass(frozen=True)
class GateCheck:
    """One rule of the gate: the check's spec and the function (``check(conn, month, *args)``) behind it."""

    spec: dg.AssetCheckSpec
    check: object
    args: tuple = ()
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR


def gate_stage(name: str, description: str, rules: list[GateCheck], shared=nullcontext) -> dg.AssetChecksDefinition:
    """The rules of one stage of the gate as ONE step (one read-only connection, one step's events),
    each still its own named check in the UI with its own blocking flag. The step evaluates every
    selected rule; when a blocking rule fails, Dagster fails the step after all were recorded, and
    everything downstream of the stage waits. ``shared(conn)``: a context the rules run in (the raw stage's one
    GX data source)."""
    by_key = {rule.spec.key: rule for rule in rules}

    @dg.multi_asset_check(name=name, specs=[rule.spec for rule in rules], can_subset=True, description=description)
    def _stage(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        months = list(context.partition_keys)
        selected = [key for key in by_key if key in context.selected_asset_check_keys]
        with warehouse.read_only_connection() as conn, shared(conn):
            for key in selected:
                rule = by_key[key]
                yield _evaluate(months, conn, key, rule.check, rule.args, rule.severity)

    return _stage


def _spec(asset: dg.AssetKey, name: str, description: str, *, blocking: bool = True) -> dg.AssetCheckSpec:
    return dg.AssetCheckSpec(
        name, asset=asset, blocking=blocking, partitions_def=monthly_partitions, description=description
    )


def _great_expectations(conn, month: str, contract: ExportContract) -> CheckOutcome:
    from .expectations import validate_raw_month  # lazy: importing GX takes seconds

    return validate_raw_month(conn, contract, month)


@contextmanager
def _one_gx_data_source(conn):
    """The raw stage's suites share one GX data source over the stage's connection (``expectations.py``)."""
    from .expectations import one_data_source  # imports no GX until a suite is validated

    with one_data_source(conn):
        yield


def contract_rules(contract: ExportContract) -> list[GateCheck]:
    """The raw export's rules: quarantine within its limit and the GX contract suite (both blocking).

    Its volume against the trailing median is a warning computed in dbt (``int_raw__export_volumes``, a warn-severity
    test), reported by ``dbt_tests_passed``."""
    asset = raw_asset_key(contract)
    return [
        GateCheck(
            _spec(
                asset,
                "quarantine_within_threshold",
                f"Quarantined rows of the {contract.source} export stay within "
                f"{contract.max_quarantined_fraction:.0%} of the file.",
            ),
            quarantine_within_threshold,
            (contract,),
        ),
        GateCheck(
            _spec(
                asset,
                "great_expectations_contract_suite",
                f"Great Expectations suite generated from the '{contract.source}' contract, on the month's raw rows.",
            ),
            _great_expectations,
            (contract,),
        ),
    ]


def model_rules() -> list[GateCheck]:
    """After dbt: every dbt test passed and the figures about to be published add up.

    Layer reconciliations (raw rows = staging rows per month for every export, staging = fact for tickets)
    are the dbt test ``rows_per_month_equal`` on each staging model and on ``fct_tickets``: checked once,
    where the data is, inside ``dbt build`` (a failure fails the dbt step) and counted by ``dbt_tests_passed``.
    """
    return [
        GateCheck(
            _spec(
                REPORT_METRICS_KEY,
                "ticket_breakdowns_sum_to_total",
                "Channel, category, topic, sub-topic and purpose breakdowns each sum to tickets_total; "
                "the time-zone and service-hours splits add up.",
            ),
            breakdowns_sum_to_total,
        ),
        GateCheck(
            _spec(
                REPORT_METRICS_KEY,
                "source_breakdowns_sum_to_total",
                "Chatbot menus, e-mail lapor categories, advocacy types and platforms sum to their totals; "
                "every chatbot hand-over has its ticket.",
            ),
            source_breakdowns_sum_to_totals,
        ),
        GateCheck(
            _spec(
                REPORT_METRICS_KEY,
                "dbt_tests_passed",
                "Every dbt data and unit test of the run's `dbt build` passed (counts by outcome).",
            ),
            dbt_tests_passed,
        ),
        GateCheck(
            _spec(
                REPORT_METRICS_KEY,
                "report_metrics_equal_facts",
                "Headline figures (tickets, chatbot, calls, e-mail lapor, visits, PPID, events) equal a plain "
                "count over their fact table.",
            ),
            metrics_equal_facts,
        ),
    ]


gate_checks = [
    gate_stage(
        "raw_exports_gate",
        "Every landed export's rules, one step: quarantine within its limit and the "
        "Great Expectations contract suite (both blocking).",
        [rule for contract in CONTRACTS.values() for rule in contract_rules(contract)],
        shared=_one_gx_data_source,
    ),
    gate_stage(
        "models_gate",
        "After dbt, one step: every dbt test passed (among them raw rows = staging rows per month, "
        "= fact rows for tickets; export volumes are warnings), every breakdown sums to its total, headline "
        "figures equal plain counts over their facts.",
        model_rules(),
    ),
]
