"""Publication of a month that passed its gate."""

import dagster as dg

from .assets import published_report_metrics

defs = dg.Definitions(assets=[published_report_metrics])
