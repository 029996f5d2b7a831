"""The DJPK information-service report's Dagster project (definitions in ``definitions.py``)."""

from .process_exit import register_last_exit_handler

# Before any other module registers an exit handler, so that this one runs last: see process_exit.py.
register_last_exit_handler()
