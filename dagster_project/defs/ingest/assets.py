"""Raw export assets: one per contract, all built by the same factory and the same loader."""



import dagster as dg

from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions, range_result
from ...resources import DataDirResource, WarehouseResource
from .contracts import CONTRACTS, ExportContract
from .landing import ExportError, find_export
from .loader import load_export, record_not_expected


def raw_asset_key(contract: ExportContract) -> dg.AssetKey:
    return dg.AssetKey(["raw", contract.raw_table])


def build_raw_export_asset(contract: ExportContract) -> dg.AssetsDefinition:
    @dg.asset(
        key=raw_asset_key(contract),
        partitions_def=monthly_partitions,
        backfill_policy=MONTHS_IN_ONE_RUN,
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
    def _raw_export(
        context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        return range_result({month: _load_month(context, contract, month, data_dir, warehouse)
                             for month in context.partition_keys})

    return _raw_export


def _load_month(context, contract: ExportContract, month: str, data_dir: DataDirResource,
                warehouse: WarehouseResource) -> dict:
    """Load one month's export; the metadata of its materialization."""
    paths = data_dir.paths
    if not contract.expected_in(month):
        with warehouse.get_connection() as conn:
            record_not_expected(conn, contract, month)
        context.log.info(f"{contract.source}: no export expected for {month} (produced from {contract.available_from})")
        return {"dagster/row_count": 0, "expected": False}
    try:
        landed = find_export(paths.landing, contract, month)
        context.log.info(f"loading {paths.relative(landed.path)} (sha256 {landed.sha256[:12]}…)")
        with warehouse.get_connection() as conn:
            result = load_export(conn, contract, month, landed, paths.relative(landed.path))
    except ExportError as error:
        raise dg.Failure(description=str(error), allow_retries=False) from error
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


raw_export_assets = [build_raw_export_asset(contract) for contract in CONTRACTS.values()]
