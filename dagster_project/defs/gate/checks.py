"""Blocking checks that gate publication of a month (besides the dbt tests).

Each check is a plain function of a read-only warehouse connection and a month, returning a
:class:`CheckOutcome`; the Dagster asset checks below only wrap them. A failing check stops the
publish asset of that month (``blocking=True``), so the previous publication stays as it was.
"""


from dataclasses import dataclass, field

import dagster as dg
import duckdb

from ...resources import WarehouseResource
from ...partitions import month_start, monthly_partitions
from ..ingest.assets import raw_asset_key
from ..ingest.contracts import CONTRACTS, TICKETS, ExportContract
from ..ingest.loader import SUMMARY_ROW_RULE

REPORT_METRICS_KEY = dg.AssetKey(["reporting", "rpt_report_metrics"])
FCT_TICKETS_KEY = dg.AssetKey(["marts", "fct_tickets"])

BREAKDOWNS_OF_TICKETS_TOTAL = (
    "tickets_by_channel", "tickets_by_category", "tickets_by_topic", "tickets_by_subtopic", "tickets_by_purpose",
)


@dataclass
class CheckOutcome:
    passed: bool
    description: str
    metadata: dict = field(default_factory=dict)


def tickets_reconcile(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """raw rows = staging rows = fact rows for the month."""
    start = month_start(month)
    counts = {
        layer: conn.execute(f"select count(*) from {table} where {column} = ?", [start]).fetchone()[0]
        for layer, table, column in (
            ("raw", "raw.deskpro_tickets", "_report_month"),
            ("staging", "staging.stg_deskpro__tickets", "report_month"),
            ("fact", "marts.fct_tickets", "report_month"),
        )
    }
    passed = len(set(counts.values())) == 1 and counts["raw"] > 0
    text = ", ".join(f"{layer} {count}" for layer, count in counts.items())
    return CheckOutcome(passed, f"tickets of {month}: {text}", counts)


def raw_reconciles_with_staging(conn: duckdb.DuckDBPyConnection, month: str, contract: ExportContract) -> CheckOutcome:
    """Every loaded raw row of the month reaches the source's staging model (nothing lost or doubled)."""
    start = month_start(month)
    raw = conn.execute(f"select count(*) from raw.{contract.raw_table} where _report_month = ?", [start]).fetchone()[0]
    staged = conn.execute(
        f"select count(*) from staging.{contract.staging_model} where report_month = ?", [start]
    ).fetchone()[0]
    return CheckOutcome(raw == staged, f"{contract.source} {month}: raw {raw}, staging {staged}", {"raw": raw, "staging": staged})


BREAKDOWNS = (
    # (breakdown metric, total metric): every breakdown of a total sums to it
    ("chatbot_menu", "chatbot_sessions_without_agent"),
    ("email_lapor_by_category", "email_lapor_total"),
    ("advocacy_activations", "advocacy_activations"),
    ("advocacy_accounts", "advocacy_accounts"),
    ("face_to_face_by_pemda", None),
)


def source_breakdowns_sum_to_totals(conn: duckdb.DuckDBPyConnection, month: str) -> CheckOutcome:
    """Chatbot menus, e-mail categories, advocacy types and platforms each sum to their total;
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
            f"(only {quarantined_tickets} ticket row(s) of the month are in quarantine)")
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
    published = dict(conn.execute(
        "select metric, value from reporting.rpt_report_metrics where month = ? and dimension = ''", [start]
    ).fetchall())
    wrong, compared = {}, 0
    for metric, sql in HEADLINES_FROM_FACTS.items():
        if metric not in published:
            continue  # the source was not loaded that month: nothing is published for it
        counted = conn.execute(sql, [start]).fetchone()[0]
        compared += 1
        if counted != published[metric]:
            wrong[metric] = f"metric {published[metric]:g} ≠ fact count {counted}"
    description = (f"{compared} headline figures equal their fact counts" if not wrong
                   else "; ".join(f"{k}: {v}" for k, v in wrong.items()))
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
    sums["tickets_tz_identified + tickets_tz_unidentified"] = identified + values.get("tickets_tz_unidentified", {}).get("", 0)
    expected["tickets_tz_identified + tickets_tz_unidentified"] = total
    out = values.get("tickets_out_of_service_hours", {})
    sums["tickets_in_service_hours + tickets_out_of_service_hours"] = values.get("tickets_in_service_hours", {}).get("", 0) + out.get("", 0)
    expected["tickets_in_service_hours + tickets_out_of_service_hours"] = identified
    sums["tickets_out_of_service_hours by WIB/WITA/WIT"] = sum(v for k, v in out.items() if k)
    expected["tickets_out_of_service_hours by WIB/WITA/WIT"] = out.get("", 0)
    wrong = {name: f"{sums[name]:g} ≠ {expected[name]:g}" for name in sums if sums[name] != expected[name]}
    description = "all breakdowns add up" if not wrong else "breakdowns not adding up: " + "; ".join(f"{k}: {v}" for k, v in wrong.items())
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


VOLUME_ANOMALY_FACTOR = 5.0
VOLUME_TRAILING_MONTHS = 12


def volume_anomaly(conn: duckdb.DuckDBPyConnection, month: str, contract: ExportContract) -> CheckOutcome:
    """The month's row count against the median of the trailing 12 loaded months (a warning).

    A source that is suddenly empty, or 5× larger or smaller than usual, is named. Months with no
    history to compare with pass.
    """
    if not contract.expected_in(month):
        return CheckOutcome(True, f"no {contract.source} export expected for {month} (from {contract.available_from})")
    start = month_start(month)
    current = conn.execute(
        "select rows_in_file from raw.load_log where source = ? and report_month = ?", [contract.source, start]
    ).fetchone()
    history = [row[0] for row in conn.execute(
        "select rows_in_file from raw.load_log where source = ? and report_month < ? "
        "and report_month >= ? - interval 12 month and source_file is not null order by report_month",
        [contract.source, start, start],
    ).fetchall()]
    rows = current[0] if current else 0
    if not history:
        return CheckOutcome(True, f"{contract.source} {month}: {rows} rows; no earlier month to compare with", {"rows": rows})
    ordered = sorted(history)
    median = (ordered[(len(ordered) - 1) // 2] + ordered[len(ordered) // 2]) / 2
    ratio = rows / median if median else float("inf")
    anomalous = rows == 0 or ratio >= VOLUME_ANOMALY_FACTOR or ratio <= 1 / VOLUME_ANOMALY_FACTOR
    text = (f"{contract.source} {month}: {rows} rows vs median {median:g} of the {len(history)} earlier loaded "
            f"month(s) in the last {VOLUME_TRAILING_MONTHS} (×{ratio:.2f})")
    return CheckOutcome(not anomalous, ("volume anomaly — " if anomalous else "") + text,
                        {"rows": rows, "trailing_median": median, "ratio": round(ratio, 3)})


def _run(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource, check, *args,
         severity=dg.AssetCheckSeverity.ERROR) -> dg.AssetCheckResult:
    """``check(conn, month, *args)`` for every month of the run. A range run (a backfill) passes only
    when every month passes; the description names each failing month."""
    months = list(context.partition_keys)
    with warehouse.read_only_connection() as conn:
        outcomes = {month: check(conn, month, *args) for month in months}
    if len(months) == 1:
        outcome = outcomes[months[0]]
        return dg.AssetCheckResult(passed=outcome.passed, description=outcome.description, metadata=outcome.metadata,
                                   severity=severity)
    failing = {month: outcome for month, outcome in outcomes.items() if not outcome.passed}
    description = (
        "; ".join(f"{month}: {outcome.description}" for month, outcome in failing.items()) if failing
        else f"all {len(months)} months ({months[0]} … {months[-1]}) pass"
    )
    return dg.AssetCheckResult(passed=not failing, description=description, severity=severity, metadata={
        "months": len(months), "failing_months": ", ".join(failing) or "-",
    })


@dg.asset_check(asset=FCT_TICKETS_KEY, blocking=True, partitions_def=monthly_partitions,
                description="raw rows = staging rows = fact rows for the month (tickets).")
def tickets_reconcile_raw_staging_fact(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    return _run(context, warehouse, tickets_reconcile)


@dg.asset_check(asset=REPORT_METRICS_KEY, blocking=True, partitions_def=monthly_partitions,
                description="Channel, category, topic, sub-topic and purpose breakdowns each sum to tickets_total; the time-zone and service-hours splits add up.")
def ticket_breakdowns_sum_to_total(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    return _run(context, warehouse, breakdowns_sum_to_total)


def build_contract_check(
    contract: ExportContract, name: str, check, description: str, *, blocking: bool = True,
    severity: dg.AssetCheckSeverity = dg.AssetCheckSeverity.ERROR,
) -> dg.AssetChecksDefinition:
    """An asset check on a contract's raw asset running ``check(conn, month, contract)``."""

    @dg.asset_check(asset=raw_asset_key(contract), name=name, blocking=blocking,
                    partitions_def=monthly_partitions, description=description)
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        return _run(context, warehouse, check, contract, severity=severity)

    return _check


def _great_expectations(conn, month: str, contract: ExportContract) -> CheckOutcome:
    from .expectations import validate_raw_month  # lazy: importing GX takes seconds

    return validate_raw_month(conn, contract, month)


def build_staging_reconciliation(contract: ExportContract) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=dg.AssetKey(["staging", contract.staging_model]), name="raw_rows_equal_staging_rows",
                    blocking=True, partitions_def=monthly_partitions,
                    description=f"raw.{contract.raw_table} rows of the month = {contract.staging_model} rows of the month.")
    def _check(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
        return _run(context, warehouse, raw_reconciles_with_staging, contract)

    return _check


@dg.asset_check(asset=REPORT_METRICS_KEY, blocking=True, partitions_def=monthly_partitions,
                description="Chatbot menus, e-mail lapor categories, advocacy types and platforms sum to their totals; "
                "every chatbot hand-over has its ticket.")
def source_breakdowns_sum_to_total(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    return _run(context, warehouse, source_breakdowns_sum_to_totals)


@dg.asset_check(asset=REPORT_METRICS_KEY, blocking=True, partitions_def=monthly_partitions,
                description="Headline figures (tickets, chatbot, calls, e-mail lapor, visits, PPID, events) equal a plain "
                "count over their fact table.")
def report_metrics_equal_facts(context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource):
    return _run(context, warehouse, metrics_equal_facts)


def contract_checks(contract: ExportContract) -> list[dg.AssetChecksDefinition]:
    return [
        build_contract_check(
            contract, "quarantine_within_threshold", quarantine_within_threshold,
            f"Quarantined rows of the {contract.source} export stay within {contract.max_quarantined_fraction:.0%} of the file.",
        ),
        build_contract_check(
            contract, "great_expectations_contract_suite", _great_expectations,
            f"Great Expectations suite generated from the '{contract.source}' contract, on the month's raw rows.",
        ),
        build_contract_check(
            contract, "volume_within_usual_range", volume_anomaly,
            f"Warns when the {contract.source} export is empty or {VOLUME_ANOMALY_FACTOR:g}× off the trailing "
            f"{VOLUME_TRAILING_MONTHS}-month median.",
            blocking=False, severity=dg.AssetCheckSeverity.WARN,
        ),
    ]


gate_checks = [
    tickets_reconcile_raw_staging_fact,
    ticket_breakdowns_sum_to_total,
    source_breakdowns_sum_to_total,
    report_metrics_equal_facts,
    *(check for contract in CONTRACTS.values() for check in contract_checks(contract)),
    *(build_staging_reconciliation(contract) for contract in CONTRACTS.values() if contract is not TICKETS),
]
