"""An asyncio Redis client that mirrors redis-py's ``redis.asyncio`` API.

``aio.redis.Redis`` is ``redis.asyncio.Redis`` on aio's own RESP core: the same
constructor arguments, command methods, pipelines, pub/sub, scripts and locks, and
the same exception names (in :mod:`aio.redis.exceptions`, re-exported here).

.. versionadded:: 0.1
"""

from __future__ import annotations

from aio.redis import cache as cache
from aio.redis import credentials as credentials
from aio.redis import exceptions as exceptions
from aio.redis import keyspace_notifications as keyspace_notifications
from aio.redis import maint_notifications as maint_notifications
from aio.redis._connection import Connection as Connection
from aio.redis._connection import SSLConnection as SSLConnection
from aio.redis._connection import (
    UnixDomainSocketConnection as UnixDomainSocketConnection,
)
from aio.redis._lock import Lock as Lock
from aio.redis._pool import BlockingConnectionPool as BlockingConnectionPool
from aio.redis._pool import ConnectionPool as ConnectionPool
from aio.redis._pubsub import Monitor as Monitor
from aio.redis._pubsub import PubSub as PubSub
from aio.redis._script import Script as Script
from aio.redis._types import Subscription as Subscription
from aio.redis.backoff import ExponentialBackoff as ExponentialBackoff
from aio.redis.backoff import NoBackoff as NoBackoff
from aio.redis.backoff import default_backoff as default_backoff
from aio.redis.cache import CacheConfig as CacheConfig
from aio.redis.cache import CacheStats as CacheStats
from aio.redis.client import Pipeline as Pipeline
from aio.redis.client import Redis as Redis
from aio.redis.client import StrictRedis as StrictRedis
from aio.redis.client import from_url as from_url
from aio.redis.cluster import ClusterNode as ClusterNode
from aio.redis.cluster import ClusterPipeline as ClusterPipeline
from aio.redis.cluster import ClusterPubSub as ClusterPubSub
from aio.redis.cluster import RedisCluster as RedisCluster
from aio.redis.exceptions import AuthenticationError as AuthenticationError
from aio.redis.exceptions import (
    AuthenticationWrongNumberOfArgsError as AuthenticationWrongNumberOfArgsError,
)
from aio.redis.exceptions import AuthorizationError as AuthorizationError
from aio.redis.exceptions import BusyLoadingError as BusyLoadingError
from aio.redis.exceptions import ChildDeadlockedError as ChildDeadlockedError
from aio.redis.exceptions import ConnectionError as ConnectionError
from aio.redis.exceptions import DataError as DataError
from aio.redis.exceptions import InvalidResponse as InvalidResponse
from aio.redis.exceptions import LockError as LockError
from aio.redis.exceptions import LockNotOwnedError as LockNotOwnedError
from aio.redis.exceptions import MaxConnectionsError as MaxConnectionsError
from aio.redis.exceptions import NoScriptError as NoScriptError
from aio.redis.exceptions import OutOfMemoryError as OutOfMemoryError
from aio.redis.exceptions import PubSubError as PubSubError
from aio.redis.exceptions import ReadOnlyError as ReadOnlyError
from aio.redis.exceptions import RedisError as RedisError
from aio.redis.exceptions import ResponseError as ResponseError
from aio.redis.exceptions import TimeoutError as TimeoutError
from aio.redis.exceptions import WatchError as WatchError
from aio.redis.exceptions import WrongTypeError as WrongTypeError
from aio.redis.keyspace_notifications import (
    AsyncClusterKeyspaceNotifications as AsyncClusterKeyspaceNotifications,
)
from aio.redis.keyspace_notifications import (
    AsyncKeyspaceNotifications as AsyncKeyspaceNotifications,
)
from aio.redis.keyspace_notifications import (
    AsyncKeyspaceNotificationsInterface as AsyncKeyspaceNotificationsInterface,
)
from aio.redis.retry import Retry as Retry
from aio.redis.sentinel import MasterNotFoundError as MasterNotFoundError
from aio.redis.sentinel import Sentinel as Sentinel
from aio.redis.sentinel import SentinelConnectionPool as SentinelConnectionPool
from aio.redis.sentinel import SentinelManagedConnection as SentinelManagedConnection
from aio.redis.sentinel import (
    SentinelManagedSSLConnection as SentinelManagedSSLConnection,
)
from aio.redis.sentinel import SlaveNotFoundError as SlaveNotFoundError

__all__ = (
    "AsyncClusterKeyspaceNotifications",
    "AsyncKeyspaceNotifications",
    "AsyncKeyspaceNotificationsInterface",
    "AuthenticationError",
    "AuthenticationWrongNumberOfArgsError",
    "AuthorizationError",
    "BlockingConnectionPool",
    "BusyLoadingError",
    "CacheConfig",
    "CacheStats",
    "ChildDeadlockedError",
    "ClusterNode",
    "ClusterPipeline",
    "ClusterPubSub",
    "Connection",
    "ConnectionError",
    "ConnectionPool",
    "DataError",
    "ExponentialBackoff",
    "InvalidResponse",
    "Lock",
    "LockError",
    "LockNotOwnedError",
    "MasterNotFoundError",
    "MaxConnectionsError",
    "Monitor",
    "NoBackoff",
    "NoScriptError",
    "OutOfMemoryError",
    "Pipeline",
    "PubSub",
    "PubSubError",
    "ReadOnlyError",
    "Redis",
    "RedisCluster",
    "RedisError",
    "ResponseError",
    "Retry",
    "SSLConnection",
    "Script",
    "Sentinel",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "SentinelManagedSSLConnection",
    "SlaveNotFoundError",
    "StrictRedis",
    "Subscription",
    "TimeoutError",
    "UnixDomainSocketConnection",
    "WatchError",
    "WrongTypeError",
    "cache",
    "credentials",
    "default_backoff",
    "exceptions",
    "from_url",
    "keyspace_notifications",
    "maint_notifications",
)
