"""Website and social-media raw assets (GA4, Instagram, Facebook Page, X) and their resources.

``defs`` holds the monthly pull assets (``social_monthly_assets``, part of the monthly job), the
daily snapshot asset and its job ``daily_social_snapshots`` (daily partitions: followers and
Instagram stories), and the four API resources (``ga4_api``, ``instagram_api``, ``facebook_api``,
``x_api``); the warehouse resource comes from the shared definitions.
"""

import dagster as dg

from .assets import social_daily_assets, social_monthly_assets, social_raw_assets
from .resources import social_resources
from .snapshots import DAILY_SNAPSHOT_JOB_NAME, daily_snapshot_job

defs = dg.Definitions(assets=social_raw_assets, jobs=[daily_snapshot_job], resources=social_resources())

__all__ = ["DAILY_SNAPSHOT_JOB_NAME", "defs", "social_daily_assets", "social_monthly_assets"]
