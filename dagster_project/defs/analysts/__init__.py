"""The analysts' read-only copy of the warehouse (Parquet + a views-only DuckDB file)."""

import dagster as dg

from .assets import analyst_warehouse

defs = dg.Definitions(assets=[analyst_warehouse])
