"""Automation of the monthly job: the monthly schedule and the landing-folder sensor.

Both target the ``monthly_report`` job by name (defined in ``dagster_project/definitions.py``), so
these ``defs`` only resolve merged with it. No daily schedule yet: the daily snapshot assets it
would run do not exist.
"""

import dagster as dg

from .schedules import monthly_report_schedule
from .sensors import landing_folder_sensor

defs = dg.Definitions(schedules=[monthly_report_schedule], sensors=[landing_folder_sensor])
