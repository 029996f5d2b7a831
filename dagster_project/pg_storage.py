"""The deployment's event log on PostgreSQL with its connections kept open.

``dagster-postgres`` builds its event-log engine with ``NullPool``: every stored event opens a new
PostgreSQL connection (TCP, authentication, a backend process) and closes it again. Only the webserver
replaces that engine with a pooled one (``optimize_for_webserver``); the daemon and every run worker keep
the stock one (``../shared/notes/performance.md``: ~21 ms per event stock, ~10 ms pooled).
:class:`PooledPostgresEventLogStorage` builds the pooled engine in every process: one connection kept
open, more opened on demand and closed when returned, ``pool_pre_ping`` so a restarted server is survived.
Tables, schema migrations and what the UI reads are the stock ones. Measured by
``benchmarks/pg_event_cost.py``.
"""

from __future__ import annotations

from dagster_postgres.event_log import PostgresEventLogStorage
from dagster_postgres.utils import (
    create_pg_engine,
    get_token_provider_from_config,
    pg_url_from_config,
    set_pg_statement_timeout,
)
from sqlalchemy import event

POOL_SIZE = 1
MAX_OVERFLOW = 10
POOL_RECYCLE_SECONDS = 3600


class PooledPostgresEventLogStorage(PostgresEventLogStorage):
    """``PostgresEventLogStorage`` whose engine keeps a connection open in every process."""

    def __init__(self, postgres_url: str, should_autocreate_tables: bool = True, inst_data=None, token_provider=None):
        super().__init__(postgres_url, should_autocreate_tables, inst_data, token_provider)
        self._pool()

    def _pool(
        self,
        statement_timeout_ms: int | None = None,
        pool_recycle: int = POOL_RECYCLE_SECONDS,
        max_overflow: int = MAX_OVERFLOW,
    ) -> None:
        stock = self._engine
        kwargs = {
            "isolation_level": "AUTOCOMMIT",
            "pool_size": POOL_SIZE,
            "max_overflow": max_overflow,
            "pool_recycle": pool_recycle,
            "pool_pre_ping": True,
        }
        options = stock.url.query.get("options")
        if options:
            kwargs["connect_args"] = {"options": options}
        self._engine = create_pg_engine(self.postgres_url, self._token_provider, **kwargs)
        if statement_timeout_ms:
            event.listen(
                self._engine,
                "connect",
                lambda connection, _: set_pg_statement_timeout(connection, statement_timeout_ms),
            )
        stock.dispose()

    def optimize_for_webserver(self, statement_timeout: int, pool_recycle: int, max_overflow: int) -> None:
        self._engine.dispose()
        self._pool(statement_timeout, pool_recycle, max_overflow)

    @classmethod
    def from_config_value(cls, inst_data, config_value):  # the parent's builds its own class, not ``cls``
        return cls(
            inst_data=inst_data,
            postgres_url=pg_url_from_config(config_value),
            should_autocreate_tables=config_value.get("should_autocreate_tables", True),
            token_provider=get_token_provider_from_config(config_value),
        )

    def dispose(self) -> None:
        super().dispose()
        self._engine.dispose()
