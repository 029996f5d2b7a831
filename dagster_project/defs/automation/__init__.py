"""Automation: the monthly schedule, the landing-folder sensor and the daily snapshot schedule.

The first two target the ``monthly_report`` job by name (defined in ``dagster_project/definitions.py``),
the daily one the ``daily_social_snapshots`` job of ``defs/social``, so these ``defs`` only resolve
merged with them.
"""

import dagster as dg

from .schedules import daily_snapshot_schedule, monthly_report_schedule
from .sensors import landing_folder_sensor

defs = dg.Definitions(schedules=[monthly_report_schedule, daily_snapshot_schedule], sensors=[landing_folder_sensor])
