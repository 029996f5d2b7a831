"""Lookups computed in Python over distinct raw values: region → pemda, contact → person key."""

import dagster as dg

from .assets import person_keys, region_pemda_matches

defs = dg.Definitions(assets=[region_pemda_matches, person_keys])
