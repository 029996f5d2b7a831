"""Blocking checks that gate publication."""

import dagster as dg

from .checks import gate_checks

defs = dg.Definitions(asset_checks=gate_checks)
