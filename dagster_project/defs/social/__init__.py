"""Website and social-media raw assets (GA4, Instagram, Facebook Page, X) and their resources.

``defs`` holds the assets and the four API resources (``ga4_api``, ``instagram_api``,
``facebook_api``, ``x_api``); the warehouse resource comes from the shared definitions.
"""

import dagster as dg

from .assets import social_raw_assets
from .resources import social_resources

defs = dg.Definitions(assets=social_raw_assets, resources=social_resources())
