"""The rendered monthly report (HTML + PDF) from the published figures."""

import dagster as dg

from .assets import monthly_report

defs = dg.Definitions(assets=[monthly_report])
