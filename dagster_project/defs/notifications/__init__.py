"""E-mail notifications: a failed run and a new publication (run-status sensors, on by default)."""

import dagster as dg

from .sensors import notify_publication, notify_run_failure

defs = dg.Definitions(sensors=[notify_run_failure, notify_publication])
