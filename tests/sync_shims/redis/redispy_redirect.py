"""pytest plugin for redis-py's OWN test suite: its ``redis`` names become ours.

Loaded with ``-p redispy_redirect`` by :mod:`redispy_suite` (copied next to the
downloaded suite, outside our ``tests`` package, whose name the suite's package
shares). After it runs, ``redis.Redis``, ``redis.client.Redis``, pools, ``Pipeline``,
``PubSub``, ``Lock``, ``redis.cluster``'s ``RedisCluster``, ``ClusterNode``,
``ClusterPipeline`` and ``ClusterPubSub``, ``redis.sentinel``'s ``Sentinel``, its
pool, connection and errors, the blocking ``Connection`` classes, ``redis.retry``'s
``Retry``, ``redis.backoff``'s policies, ``redis.maint_notifications``' and
``redis.cache``'s names and every exception class the suite imports are
``sync_shims.redis``'s, and so are the names the facade has of the helper
modules ``redis.credentials``, ``redis.auth.*``, ``redis.crc``, ``redis.event``
and ``redis.utils``; redis-py's own internals (parsers, helpers, mocks,
``redis.utils``' private helpers and feature flags, ``redis.driver_info``,
``AbstractConnection``) stay.
"""

from __future__ import annotations

import redis
import redis.auth.err
import redis.auth.idp
import redis.auth.token
import redis.auth.token_manager
import redis.backoff
import redis.cache
import redis.client
import redis.cluster
import redis.connection
import redis.crc
import redis.credentials
import redis.event
import redis.exceptions
import redis.lock
import redis.maint_notifications
import redis.retry
import redis.sentinel
import redis.utils

import aio.redis
import aio.redis.exceptions
import sync_shims.redis as shim
import sync_shims.redis.auth.err
import sync_shims.redis.auth.idp
import sync_shims.redis.auth.token
import sync_shims.redis.auth.token_manager
import sync_shims.redis.cache as shim_cache
import sync_shims.redis.crc
import sync_shims.redis.credentials
import sync_shims.redis.event
import sync_shims.redis.maint_notifications as shim_maint
import sync_shims.redis.utils

_REPLACE = {
    "Redis": shim.Redis,
    "StrictRedis": shim.Redis,
    "Pipeline": shim.Pipeline,
    "PubSub": shim.PubSub,
    "from_url": shim.from_url,
    "ConnectionPool": shim.ConnectionPool,
    "BlockingConnectionPool": shim.BlockingConnectionPool,
    "Connection": shim.connection.Connection,
    "SSLConnection": shim.connection.SSLConnection,
    "UnixDomainSocketConnection": shim.connection.UnixDomainSocketConnection,
    "Retry": shim.retry.Retry,
    "Lock": shim.Lock,
    "RedisCluster": shim.cluster.RedisCluster,
    "ClusterNode": shim.cluster.ClusterNode,
    "ClusterPipeline": shim.cluster.ClusterPipeline,
    "ClusterPubSub": shim.cluster.ClusterPubSub,
    "Sentinel": shim.sentinel.Sentinel,
    "SentinelConnectionPool": shim.sentinel.SentinelConnectionPool,
    "SentinelManagedConnection": shim.sentinel.SentinelManagedConnection,
    "MasterNotFoundError": shim.sentinel.MasterNotFoundError,
    "SlaveNotFoundError": shim.sentinel.SlaveNotFoundError,
    "ReplicaNotFoundError": shim.sentinel.ReplicaNotFoundError,
    "InvalidPipelineStack": shim.exceptions.InvalidPipelineStack,
}
for _name in shim.backoff.__all__:
    _REPLACE[_name] = getattr(shim.backoff, _name)
for _name in aio.redis.exceptions.__all__:
    _value = getattr(aio.redis.exceptions, _name)
    if isinstance(_value, type):
        _REPLACE[_name] = _value
_MODULES = (
    redis,
    redis.backoff,
    redis.client,
    redis.cluster,
    redis.connection,
    redis.exceptions,
    redis.lock,
    redis.retry,
    redis.sentinel,
)
for _mod in _MODULES:
    for _name, _value in _REPLACE.items():
        if hasattr(_mod, _name) or _mod is redis:
            setattr(_mod, _name, _value)
# In redis.maint_notifications only: redis-py's connection module keeps the
# classes its own internals (used by the suite's mocks) work with.
for _name in shim_maint.__all__:
    setattr(redis.maint_notifications, _name, getattr(shim_maint, _name))
# In redis.cache only, as above: redis-py's CacheProxyConnection (in
# redis.connection) keeps its own cache classes.
for _name in shim_cache.__all__:
    if hasattr(redis.cache, _name):
        setattr(redis.cache, _name, getattr(shim_cache, _name))
# The helper modules, name by name where redis-py has the name: what the
# facade lacks (redis.utils' private helpers, redis.event's dispatcher) stays
# redis-py's, and the runner leaves out the tests of those. redis.driver_info
# stays redis-py's: its resolve_driver_info, which redis-py's own connections
# (the suite's mocks) call, makes its module's DriverInfo.
_HELPERS = {
    redis.auth.err: sync_shims.redis.auth.err,
    redis.auth.idp: sync_shims.redis.auth.idp,
    redis.auth.token: sync_shims.redis.auth.token,
    redis.auth.token_manager: sync_shims.redis.auth.token_manager,
    redis.crc: sync_shims.redis.crc,
    redis.credentials: sync_shims.redis.credentials,
    redis.event: sync_shims.redis.event,
    redis.utils: sync_shims.redis.utils,
}
# redis.utils' feature flags stay: the suite's skip markers read them about
# redis-py itself (HIREDIS_AVAILABLE: its parser), and aio's are all False.
_FLAGS = frozenset({"CRYPTOGRAPHY_AVAILABLE", "HIREDIS_AVAILABLE", "SSL_AVAILABLE"})
for _mod, _ours in _HELPERS.items():
    for _name in _ours.__all__:
        if hasattr(_mod, _name) and _name not in _FLAGS:
            setattr(_mod, _name, getattr(_ours, _name))
