"""Raw export assets: one per contract, all loaded in one step (``raw_exports``) by the same loader."""

import dagster as dg

from ...lib.contracts import CONTRACTS, ExportContract
from ...lib.landing import ExportError, find_export
from ...lib.loader import load_export, record_not_expected
from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions, range_result
from ...resources import DataDirResource, WarehouseResource


def raw_asset_key(contract: ExportContract) -> dg.AssetKey:
    return dg.AssetKey(["raw", contract.raw_table])


def raw_export_spec(contract: ExportContract) -> dg.AssetSpec:
    return dg.AssetSpec(
        key=raw_asset_key(contract),
        partitions_def=monthly_partitions,
        group_name=f"raw_{contract.system}",
        kinds={"duckdb", contract.file_format},
        owners=["team:data-engineering"],
        description=(
            f"{contract.description} Loaded as written from `{contract.describe_file()}` (newest file "
            f"wins) into `raw.{contract.raw_table}` with lineage columns; rows breaking a row rule go to "
            "`raw.quarantine`."
            + (" Contains personal data: raw layer only." if any(c.pii for c in contract.columns) else "")
            + (f" Produced from {contract.available_from} on." if contract.available_from else "")
        ),
        metadata={
            "contract_columns": ", ".join(contract.column_names),
            "max_quarantined_fraction": contract.max_quarantined_fraction,
        },
    )


CONTRACT_OF_KEY = {raw_asset_key(contract): contract for contract in CONTRACTS.values()}


@dg.multi_asset(
    name="raw_exports",
    specs=[raw_export_spec(contract) for contract in CONTRACTS.values()],
    can_subset=True,
    backfill_policy=MONTHS_IN_ONE_RUN,
)
def raw_exports(context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: WarehouseResource):
    """Every selected export of the run's months, one step: each contract's file through the one loader.

    A file that cannot be loaded does not stop the others (each month of each source is its own
    transaction, as before); the step then fails naming every such file, so nothing downstream runs."""
    errors: list[str] = []
    for key in [key for key in CONTRACT_OF_KEY if key in context.selected_asset_keys]:
        contract = CONTRACT_OF_KEY[key]
        try:
            per_month = {
                month: _load_month(context, contract, month, data_dir, warehouse) for month in context.partition_keys
            }
        except ExportError as error:
            errors.append(str(error))
            continue
        yield range_result(per_month, asset_key=key)
    if errors:
        raise dg.Failure(description="\n".join(errors), allow_retries=False)


def _load_month(
    context, contract: ExportContract, month: str, data_dir: DataDirResource, warehouse: WarehouseResource
) -> dict:
    """Load one month's export; the metadata of its materialization."""
    paths = data_dir.paths
    if not contract.expected_in(month):
        with warehouse.get_connection() as conn:
            record_not_expected(conn, contract, month)
        return {"dagster/row_count": 0, "expected": False}
    landed = find_export(paths.landing, contract, month)
    with warehouse.get_connection() as conn:
        result = load_export(conn, contract, month, landed, paths.relative(landed.path))
    if result.extra_columns:
        context.log.warning(f"extra columns ignored: {', '.join(result.extra_columns)}")
    return {
        "dagster/row_count": result.rows_loaded,
        "rows_in_file": result.rows_in_file,
        "rows_quarantined": result.rows_quarantined,
        "quarantine_by_rule": dg.MetadataValue.json(result.quarantine_by_rule),
        "source_file": result.source_file,
        "source_sha256": result.sha256,
        "extra_columns_ignored": ", ".join(result.extra_columns) or "-",
        "superseded_files_kept": ", ".join(result.superseded_files) or "-",
    }


raw_export_assets = [raw_exports]
