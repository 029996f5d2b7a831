"""The Dagster definitions, one folder per source or stage, loaded by ``dg.load_from_defs_folder``
(``definitions.py``). Each folder's ``__init__`` also gathers its objects and resources in a ``defs``.

Two Dagster features used here on purpose are marked beta / preview, and Dagster warns about them on every
load of the definitions, in every CLI run and benchmark. They are silenced here, by name, and nothing else:
``backfill_policy`` (a backfill of many months is one run: ``partitions.MONTHS_IN_ONE_RUN``) and partitioned
asset-check specs (the gate checks each month: ``gate/checks.py``).
"""

import warnings

import dagster as dg

warnings.filterwarnings("ignore", message=r"Parameter `backfill_policy` of function", category=dg.BetaWarning)
warnings.filterwarnings(
    "ignore", message=r"Specifying a partitions_def on an AssetCheckSpec", category=dg.PreviewWarning
)
