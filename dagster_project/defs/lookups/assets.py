"""Lookup assets computed in Python over the month's distinct raw values.

- ``raw/region_pemda_matches``: region text as typed → pemda of the register (or unmatched with a
  reason), by :mod:`dagster_project.reference.region_matching`.
- ``raw/person_keys``: phone / e-mail / WhatsApp id → salted person key.

Both work on distinct values only and upsert by value, so re-running a month is idempotent. They
live in the raw schema because they are keyed by raw text (person_keys holds personal data).
"""

from pathlib import Path

import dagster as dg
import pandas as pd

from ...lib.contracts import CONTRACTS
from ...lib.months import month_start
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions
from ...reference.pemda_register import SEED_PATH as PEMDA_SEED_PATH
from ...reference.region_matching import RegionMatcher
from ...resources import WarehouseResource
from ..ingest.assets import raw_asset_key
from .person_keys import MissingSalt, person_key, pii_salt

PEMDA_SEED = PEMDA_SEED_PATH

REGION_COLUMNS = [(c, col.name) for c in CONTRACTS.values() for col in c.columns if col.names_a_pemda]
CONTACT_COLUMNS = [
    (c, col.name, col.pii) for c in CONTRACTS.values() for col in c.columns if col.pii in ("phone", "email", "wa_id")
]


def _existing_raw_tables(conn) -> set[str]:
    return {
        row[0]
        for row in conn.execute(
            "select table_name from information_schema.tables where table_schema = 'raw'"
        ).fetchall()
    }


def _distinct_values(conn, pairs, month: str, trimmed: bool = False) -> list[tuple[str, str]]:
    """Distinct non-empty (kind, value) over the given (contract, column, kind) triples for the month; with
    ``trimmed`` each value without surrounding spaces (the staging models trim the region texts they join on).

    Sources never loaded yet (no raw table) have no values.
    """
    existing = _existing_raw_tables(conn)
    pairs = [(contract, column, kind) for contract, column, kind in pairs if contract.raw_table in existing]
    value = "trim({})" if trimmed else "{}"
    selects = [
        f"select distinct '{kind}' as kind, {value.format(quoted)} as value from raw.{contract.raw_table} "
        f"where _report_month = ? and nullif(trim({quoted}), '') is not null"
        for contract, column, kind in pairs
        for quoted in [f'"{column}"']
    ]
    if not selects:
        return []
    query = " union ".join(selects) + " order by kind, value"
    return conn.execute(query, [month_start(month)] * len(selects)).fetchall()


def _upsert(conn, table: str, frame: pd.DataFrame, key_columns: list[str], ddl: str) -> None:
    conn.execute(f"create table if not exists raw.{table} ({ddl})")
    conn.register("_incoming", frame)
    on = " and ".join(f"t.{k} = i.{k}" for k in key_columns)
    conn.execute("begin transaction")
    conn.execute(f"delete from raw.{table} t where exists (select 1 from _incoming i where {on})")
    conn.execute(f"insert into raw.{table} select * from _incoming")
    conn.execute("commit")
    conn.unregister("_incoming")


@dg.asset(
    key=["raw", "region_pemda_matches"],
    deps=[raw_asset_key(contract) for contract, _ in REGION_COLUMNS],
    partitions_def=monthly_partitions,
    backfill_policy=MONTHS_IN_ONE_RUN,
    group_name="lookups",
    kinds={"python", "duckdb"},
    owners=["team:data-engineering"],
    description=(
        "Region text as people type it, matched to the pemda register (`reference.pemda_register`): "
        "prefix normalisation (Kab./Kabupaten/Pemkab/Kota/Pemkot/Prov./Provinsi/Pemprov), case and "
        "spacing, then fuzzy matching with a threshold. Unmatched text stays unmatched with a reason "
        "(empty, ambiguous, no_match) and is counted, never guessed."
    ),
)
def region_pemda_matches(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    matcher = RegionMatcher.from_seed(PEMDA_SEED)
    with warehouse.get_connection() as conn:
        texts = sorted(
            {
                value
                for month in context.partition_keys
                for _, value in _distinct_values(
                    conn, [(c, col, "region") for c, col in REGION_COLUMNS], month, trimmed=True
                )
            }
        )
        matches = matcher.match_many(texts)
        frame = pd.DataFrame(
            {
                "region_text": [m.input for m in matches],
                "normalized_text": [m.normalized for m in matches],
                "pemda_id": [m.pemda_id for m in matches],
                "match_method": [m.method for m in matches],
                "match_score": [float(m.score) for m in matches],
                "unmatched_reason": [m.reason for m in matches],
            }
        ).astype({"pemda_id": "object", "unmatched_reason": "object"})
        _upsert(
            conn,
            "region_pemda_matches",
            frame,
            ["region_text"],
            "region_text VARCHAR, normalized_text VARCHAR, pemda_id VARCHAR, match_method VARCHAR, "
            "match_score DOUBLE, unmatched_reason VARCHAR",
        )
    unmatched = frame[frame["pemda_id"].isna()]
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "distinct_texts_matched": int(frame["pemda_id"].notna().sum()),
            "distinct_texts_unmatched": len(unmatched),
            "unmatched_by_reason": dg.MetadataValue.json(unmatched["unmatched_reason"].value_counts().to_dict()),
        }
    )


@dg.asset(
    key=["raw", "person_keys"],
    deps=[raw_asset_key(contract) for contract, _, _ in CONTACT_COLUMNS],
    partitions_def=monthly_partitions,
    backfill_policy=MONTHS_IN_ONE_RUN,
    group_name="lookups",
    kinds={"python", "duckdb"},
    owners=["team:data-engineering"],
    description=(
        "Salted hash keys for phone numbers (E.164 via `phonenumbers`), WhatsApp ids and e-mails: the "
        "only form in which a user's identity leaves the raw layer. Holds personal data: raw layer only."
    ),
)
def person_keys(context: dg.AssetExecutionContext, warehouse: WarehouseResource) -> dg.MaterializeResult:
    try:
        salt = pii_salt(Path(warehouse.database).parent)
    except MissingSalt as error:
        raise dg.Failure(description=str(error), allow_retries=False) from None
    with warehouse.get_connection() as conn:
        values = sorted(
            {
                value
                for month in context.partition_keys
                for value in _distinct_values(conn, [(c, col, kind) for c, col, kind in CONTACT_COLUMNS], month)
            }
        )
        keyed = [(kind, value, *person_key(kind, value, salt)) for kind, value in values]
        frame = pd.DataFrame(keyed, columns=["contact_kind", "contact_value", "normalized_value", "person_key"]).astype(
            "object"
        )
        _upsert(
            conn,
            "person_keys",
            frame,
            ["contact_kind", "contact_value"],
            "contact_kind VARCHAR, contact_value VARCHAR, normalized_value VARCHAR, person_key VARCHAR",
        )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": len(frame),
            "values_without_key": int(frame["person_key"].isna().sum()),
        }
    )
