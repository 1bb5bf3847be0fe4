"""The errors of the multi-database client, named as redis-py's
``redis.multidb.exception``.

::

    RedisError
     ├── NoValidDatabaseException        no database's circuit is closed
     ├── TemporaryUnavailableException   none is, for now: retry later
     ├── UnhealthyDatabaseException      a health check raised (carries it)
     └── InitialHealthCheckFailedError   initialize(): the setup is not healthy

Unlike redis-py's (plain ``Exception`` subclasses) they derive from
:class:`aio.redis.exceptions.RedisError`, aio's root for the Redis component;
``except Exception`` and the class names work alike.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import Any

from aio.redis.exceptions import RedisError

__all__ = (
    "InitialHealthCheckFailedError",
    "NoValidDatabaseException",
    "TemporaryUnavailableException",
    "UnhealthyDatabaseException",
)


class NoValidDatabaseException(RedisError):
    """No database can take commands: every circuit is open or half-open."""


class UnhealthyDatabaseException(RedisError):
    """A health check of ``database`` failed with ``original_exception``."""

    def __init__(
        self, message: str, database: Any, original_exception: BaseException
    ) -> None:
        super().__init__(message)
        self.database = database
        self.original_exception = original_exception


class TemporaryUnavailableException(RedisError):
    """No database is available now, within the failover attempts: the
    operation may succeed when retried."""


class InitialHealthCheckFailedError(RedisError):
    """The first health check did not satisfy ``initial_health_check_policy``."""
