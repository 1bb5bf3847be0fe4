"""A Redis client over several databases with automatic failover: redis-py's
``redis.asyncio.multidb`` on :mod:`aio.redis` (see ``docs/redis_multidb.md``).

The modules mirror redis-py's: :mod:`~aio.redis.multidb.client`
(``MultiDBClient``), :mod:`~aio.redis.multidb.config` (``MultiDbConfig``,
``DatabaseConfig``), :mod:`~aio.redis.multidb.healthcheck`,
:mod:`~aio.redis.multidb.failure_detector`, :mod:`~aio.redis.multidb.failover`,
:mod:`~aio.redis.multidb.circuit`, :mod:`~aio.redis.multidb.event`,
:mod:`~aio.redis.multidb.exception`.

.. versionadded:: 0.1
"""

from __future__ import annotations

from aio.redis.multidb.client import MultiDBClient as MultiDBClient
from aio.redis.multidb.config import DatabaseConfig as DatabaseConfig
from aio.redis.multidb.config import InitialHealthCheck as InitialHealthCheck
from aio.redis.multidb.config import MultiDbConfig as MultiDbConfig

__all__ = ("DatabaseConfig", "InitialHealthCheck", "MultiDBClient", "MultiDbConfig")
