"""``analysts/warehouse_snapshot``: the analysts' read-only copy, refreshed after each publication."""

import dagster as dg
from dagster_duckdb import DuckDBResource

from ...partitions import MONTHS_IN_ONE_RUN, monthly_partitions
from ...resources import DataDirResource
from .snapshot import ANALYST_SCHEMAS, refresh_analyst_snapshot

ANALYST_SNAPSHOT_KEY = dg.AssetKey(["analysts", "warehouse_snapshot"])
PUBLISHED_REPORT_KEY = dg.AssetKey(["published", "report"])
"""The last step of a month's publication (it switches the new version in): the copy follows it."""


def analyst_root(data_dir: DataDirResource):
    return data_dir.paths.root / "analyst"


@dg.asset(
    key=ANALYST_SNAPSHOT_KEY,
    deps=[PUBLISHED_REPORT_KEY],
    partitions_def=monthly_partitions,
    backfill_policy=MONTHS_IN_ONE_RUN,
    group_name="analysts",
    kinds={"duckdb", "parquet"},
    owners=["team:data-engineering"],
    description=(
        f"Read-only copy of the warehouse for analysts: the schemas {', '.join(ANALYST_SCHEMAS)} (never `raw`) "
        "exported to `analyst/<schema>/<table>.parquet` and `analyst/analyst.duckdb` (views only), refreshed "
        "after the month's publication has been switched in (after `published/report`). Each refresh is a whole-warehouse snapshot swapped in atomically, so "
        "analysts never open `warehouse.duckdb`, never block a run, and a run never breaks their queries. "
        "See docs/analyst-guide.md."
    ),
)
def analyst_warehouse(
    context: dg.AssetExecutionContext, data_dir: DataDirResource, warehouse: DuckDBResource
) -> dg.MaterializeResult:
    with warehouse.get_connection() as conn:
        snapshot = refresh_analyst_snapshot(conn, analyst_root(data_dir))
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": sum(snapshot.row_counts.values()),
            "tables_exported": len(snapshot.row_counts),
            "row_counts": dg.MetadataValue.json(snapshot.row_counts),
            "snapshot_id": snapshot.snapshot_id,
            "analyst_database": dg.MetadataValue.path(str(snapshot.database)),
            "snapshot_folder": dg.MetadataValue.path(str(snapshot.folder)),
            "removed_snapshots": ", ".join(snapshot.removed_snapshots) or "-",
        }
    )
