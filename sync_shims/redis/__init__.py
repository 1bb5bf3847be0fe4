"""redis-py's blocking API on aio's engine: ``import sync_shims.redis as redis``.

``Redis``, ``StrictRedis``, ``from_url``, ``ConnectionPool``,
``BlockingConnectionPool``, pipelines, transactions, pub/sub (with
``run_in_thread``), scripts, locks and every command method of
:class:`aio.redis.Redis`, blocking. Behaviour lives in the async client; this
package delegates to it through the generated twins of
``sync_shims/_generated_redis.py``. The exceptions are aio's, under redis-py's
names. ``RedisCluster`` (``sync_shims.redis.cluster``) and ``Sentinel``
(``sync_shims.redis.sentinel``) are the blocking cluster and sentinel clients.
See ``docs/redis.md`` ("Blocking API", "Blocking cluster and sentinel").
"""

from __future__ import annotations

from aio.redis import Subscription as Subscription
from sync_shims.redis import backoff as backoff
from sync_shims.redis import cache as cache
from sync_shims.redis import client as client
from sync_shims.redis import cluster as cluster
from sync_shims.redis import connection as connection
from sync_shims.redis import credentials as credentials
from sync_shims.redis import exceptions as exceptions
from sync_shims.redis import keyspace_notifications as keyspace_notifications
from sync_shims.redis import lock as lock
from sync_shims.redis import retry as retry
from sync_shims.redis import sentinel as sentinel
from sync_shims.redis.backoff import default_backoff as default_backoff
from sync_shims.redis.client import Pipeline as Pipeline
from sync_shims.redis.client import PubSub as PubSub
from sync_shims.redis.client import Redis as Redis
from sync_shims.redis.client import Script as Script
from sync_shims.redis.client import StrictRedis as StrictRedis
from sync_shims.redis.client import from_url as from_url
from sync_shims.redis.cluster import RedisCluster as RedisCluster
from sync_shims.redis.connection import BlockingConnectionPool as BlockingConnectionPool
from sync_shims.redis.connection import Connection as Connection
from sync_shims.redis.connection import ConnectionPool as ConnectionPool
from sync_shims.redis.connection import SSLConnection as SSLConnection
from sync_shims.redis.connection import (
    UnixDomainSocketConnection as UnixDomainSocketConnection,
)
from sync_shims.redis.credentials import CredentialProvider as CredentialProvider
from sync_shims.redis.credentials import (
    UsernamePasswordCredentialProvider as UsernamePasswordCredentialProvider,
)
from sync_shims.redis.driver_info import DriverInfo as DriverInfo
from sync_shims.redis.exceptions import AuthenticationError as AuthenticationError
from sync_shims.redis.exceptions import (
    AuthenticationWrongNumberOfArgsError as AuthenticationWrongNumberOfArgsError,
)
from sync_shims.redis.exceptions import AuthorizationError as AuthorizationError
from sync_shims.redis.exceptions import BusyLoadingError as BusyLoadingError
from sync_shims.redis.exceptions import ChildDeadlockedError as ChildDeadlockedError
from sync_shims.redis.exceptions import ConnectionError as ConnectionError
from sync_shims.redis.exceptions import (
    CrossSlotTransactionError as CrossSlotTransactionError,
)
from sync_shims.redis.exceptions import DataError as DataError
from sync_shims.redis.exceptions import ExecAbortError as ExecAbortError
from sync_shims.redis.exceptions import InvalidPipelineStack as InvalidPipelineStack
from sync_shims.redis.exceptions import InvalidResponse as InvalidResponse
from sync_shims.redis.exceptions import LockError as LockError
from sync_shims.redis.exceptions import LockNotOwnedError as LockNotOwnedError
from sync_shims.redis.exceptions import MaxConnectionsError as MaxConnectionsError
from sync_shims.redis.exceptions import NoScriptError as NoScriptError
from sync_shims.redis.exceptions import OutOfMemoryError as OutOfMemoryError
from sync_shims.redis.exceptions import PubSubError as PubSubError
from sync_shims.redis.exceptions import ReadOnlyError as ReadOnlyError
from sync_shims.redis.exceptions import RedisClusterException as RedisClusterException
from sync_shims.redis.exceptions import RedisError as RedisError
from sync_shims.redis.exceptions import ResponseError as ResponseError
from sync_shims.redis.exceptions import TimeoutError as TimeoutError
from sync_shims.redis.exceptions import WatchError as WatchError
from sync_shims.redis.keyspace_notifications import ChannelType as ChannelType
from sync_shims.redis.keyspace_notifications import (
    ClusterKeyspaceNotifications as ClusterKeyspaceNotifications,
)
from sync_shims.redis.keyspace_notifications import EventType as EventType
from sync_shims.redis.keyspace_notifications import KeyeventChannel as KeyeventChannel
from sync_shims.redis.keyspace_notifications import KeyNotification as KeyNotification
from sync_shims.redis.keyspace_notifications import KeyspaceChannel as KeyspaceChannel
from sync_shims.redis.keyspace_notifications import (
    KeyspaceNotifications as KeyspaceNotifications,
)
from sync_shims.redis.keyspace_notifications import (
    KeyspaceNotificationsInterface as KeyspaceNotificationsInterface,
)
from sync_shims.redis.keyspace_notifications import (
    KeyspaceWorkerThread as KeyspaceWorkerThread,
)
from sync_shims.redis.keyspace_notifications import (
    SubkeyeventChannel as SubkeyeventChannel,
)
from sync_shims.redis.keyspace_notifications import (
    SubkeyspaceChannel as SubkeyspaceChannel,
)
from sync_shims.redis.keyspace_notifications import (
    SubkeyspaceeventChannel as SubkeyspaceeventChannel,
)
from sync_shims.redis.keyspace_notifications import (
    SubkeyspaceitemChannel as SubkeyspaceitemChannel,
)
from sync_shims.redis.keyspace_notifications import get_channel_type as get_channel_type
from sync_shims.redis.lock import Lock as Lock
from sync_shims.redis.sentinel import Sentinel as Sentinel
from sync_shims.redis.sentinel import SentinelConnectionPool as SentinelConnectionPool
from sync_shims.redis.sentinel import (
    SentinelManagedConnection as SentinelManagedConnection,
)
from sync_shims.redis.sentinel import (
    SentinelManagedSSLConnection as SentinelManagedSSLConnection,
)

__all__ = (
    "AuthenticationError",
    "AuthenticationWrongNumberOfArgsError",
    "AuthorizationError",
    "BlockingConnectionPool",
    "BusyLoadingError",
    "ChildDeadlockedError",
    "Connection",
    "ConnectionError",
    "ConnectionPool",
    "CredentialProvider",
    "CrossSlotTransactionError",
    "DataError",
    "DriverInfo",
    "ExecAbortError",
    "InvalidPipelineStack",
    "InvalidResponse",
    "Lock",
    "LockError",
    "LockNotOwnedError",
    "MaxConnectionsError",
    "NoScriptError",
    "OutOfMemoryError",
    "Pipeline",
    "PubSub",
    "PubSubError",
    "ReadOnlyError",
    "Redis",
    "RedisCluster",
    "RedisClusterException",
    "RedisError",
    "ResponseError",
    "Script",
    "SSLConnection",
    "Sentinel",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "SentinelManagedSSLConnection",
    "StrictRedis",
    "Subscription",
    "TimeoutError",
    "UnixDomainSocketConnection",
    "UsernamePasswordCredentialProvider",
    "WatchError",
    "backoff",
    "cache",
    "client",
    "cluster",
    "connection",
    "credentials",
    "default_backoff",
    "exceptions",
    "from_url",
    "lock",
    "retry",
    "sentinel",
    "ChannelType",
    "ClusterKeyspaceNotifications",
    "EventType",
    "KeyeventChannel",
    "KeyNotification",
    "KeyspaceChannel",
    "KeyspaceNotifications",
    "KeyspaceNotificationsInterface",
    "KeyspaceWorkerThread",
    "SubkeyeventChannel",
    "SubkeyspaceChannel",
    "SubkeyspaceeventChannel",
    "SubkeyspaceitemChannel",
    "get_channel_type",
    "keyspace_notifications",
)
