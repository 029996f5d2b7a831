"""Raw exports: one asset per export contract, all loaded by the same loader."""

import dagster as dg

from .assets import raw_export_assets

defs = dg.Definitions(assets=raw_export_assets)
