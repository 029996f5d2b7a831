"""The deployment's event log on PostgreSQL with its connections kept open.

``dagster-postgres`` builds its event-log engine with ``NullPool``: every stored event opens a new
PostgreSQL connection (TCP, authentication, a backend process) and closes it again. Only the webserver
asks for a pooled engine, through the storage's public ``optimize_for_webserver``; the daemon and every run
worker keep the stock one (``../shared/notes/performance.md``: ~21 ms per event stock, ~10 ms pooled).
:class:`PooledPostgresEventLogStorage` asks for that same pooled engine in every process: one connection
kept open, more opened on demand (up to ``MAX_OVERFLOW``) and closed when returned, each connection
replaced after ``POOL_RECYCLE_SECONDS``. Tables, schema migrations and what the UI reads are the stock
ones. Measured by ``benchmarks/pg_event_cost.py``.

Like the webserver's pool, a connection the server dropped (a PostgreSQL restart) fails the one write that
finds it, and the pool then reconnects.
"""

from __future__ import annotations

from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.utils import get_token_provider_from_config, pg_url_from_config

MAX_OVERFLOW = 10
POOL_RECYCLE_SECONDS = 3600
NO_STATEMENT_TIMEOUT = 0
"""PostgreSQL's ``statement_timeout = 0``: no limit (the webserver sets its own when it pools)."""


class PooledPostgresEventLogStorage(PostgresEventLogStorage):
    """``PostgresEventLogStorage`` with the webserver's pooled engine in every process."""

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data=None, token_provider=None):
        super().__init__(postgres_url, should_autocreate_tables, inst_data, token_provider)
        self.optimize_for_webserver(
            statement_timeout=NO_STATEMENT_TIMEOUT, pool_recycle=POOL_RECYCLE_SECONDS, max_overflow=MAX_OVERFLOW
        )

    @classmethod
    def from_config_value(cls, inst_data, config_value):  # the parent's builds its own class, not ``cls``
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )
