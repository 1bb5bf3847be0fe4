"""redis-py's ``redis.multidb.exception``: the async core's classes."""

from __future__ import annotations

from aio.redis.multidb.exception import (
    InitialHealthCheckFailedError as InitialHealthCheckFailedError,
)
from aio.redis.multidb.exception import (
    NoValidDatabaseException as NoValidDatabaseException,
)
from aio.redis.multidb.exception import (
    TemporaryUnavailableException as TemporaryUnavailableException,
)
from aio.redis.multidb.exception import (
    UnhealthyDatabaseException as UnhealthyDatabaseException,
)

__all__ = (
    "InitialHealthCheckFailedError",
    "NoValidDatabaseException",
    "TemporaryUnavailableException",
    "UnhealthyDatabaseException",
)
