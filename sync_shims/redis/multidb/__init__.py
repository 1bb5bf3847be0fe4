"""redis-py's blocking multi-database client (``redis.multidb``) on aio's engine:
:mod:`~sync_shims.redis.multidb.client` (``MultiDBClient``),
:mod:`~sync_shims.redis.multidb.config` (``MultiDbConfig``, ``DatabaseConfig``),
and the other modules under redis-py's names. See ``docs/redis_multidb.md``."""

from __future__ import annotations

from sync_shims.redis.multidb.client import MultiDBClient as MultiDBClient
from sync_shims.redis.multidb.config import DatabaseConfig as DatabaseConfig
from sync_shims.redis.multidb.config import InitialHealthCheck as InitialHealthCheck
from sync_shims.redis.multidb.config import MultiDbConfig as MultiDbConfig

__all__ = ("DatabaseConfig", "InitialHealthCheck", "MultiDBClient", "MultiDbConfig")
