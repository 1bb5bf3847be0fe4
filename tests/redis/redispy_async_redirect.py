"""pytest plugin for redis-py's OWN asyncio test suite: ``redis.asyncio`` becomes aio.

Loaded with ``-p redispy_async_redirect`` by :mod:`redispy_async_suite` (copied
next to the downloaded suite, outside our ``tests`` package, whose name the
suite's package shares). The suite reaches the client through ``redis.asyncio``
and its submodules (``client``, ``connection``, ``lock``, ``retry``, ``cluster``,
``sentinel``), and the errors and backoffs through the sync ``redis``,
``redis.exceptions`` and ``redis.backoff``, and the helper modules
(``redis.credentials``, ``redis.auth.*``, ``redis.crc``, ``redis.event``,
``redis.utils``) through the sync package too; after this plugin, each of those
names that aio has is aio's. redis-py's own internals (parsers, encoders,
helpers, ``redis.utils``' feature flags, ``redis.driver_info``, the sync client
its top-level conftest uses) stay redis-py's.

Two phases. The ``redis.asyncio`` names are replaced on import, before any
conftest binds them. The sync package's error, backoff and helper names are replaced
only once the session has started: ``tests/conftest.py``'s
``pytest_sessionstart`` probes the server with the sync redis-py client and
catches what it raises by those names (``redis.ResponseError`` after ``DPING``,
``redis.exceptions.ConnectionError``); the test modules, which bind them for
``pytest.raises``, are imported later, at collection.
"""

from __future__ import annotations

from collections.abc import Generator
from types import ModuleType
from typing import Any

import pytest
import redis
import redis.asyncio
import redis.asyncio.client
import redis.asyncio.cluster
import redis.asyncio.connection
import redis.asyncio.lock
import redis.asyncio.retry
import redis.asyncio.sentinel
import redis.auth.err
import redis.auth.idp
import redis.auth.token
import redis.auth.token_manager
import redis.backoff
import redis.crc
import redis.credentials
import redis.event
import redis.exceptions
import redis.utils

import aio.redis
import aio.redis.auth.err
import aio.redis.auth.idp
import aio.redis.auth.token
import aio.redis.auth.token_manager
import aio.redis.backoff
import aio.redis.cluster
import aio.redis.crc
import aio.redis.credentials
import aio.redis.event
import aio.redis.exceptions
import aio.redis.sentinel
import aio.redis.utils
from aio.redis._pool import parse_url

_ERRORS: dict[str, Any] = {
    name: value
    for name in aio.redis.exceptions.__all__
    if isinstance(value := getattr(aio.redis.exceptions, name), type)
}
_BACKOFFS: dict[str, Any] = {
    name: getattr(aio.redis.backoff, name) for name in aio.redis.backoff.__all__
}
_ASYNC_NAMES: dict[str, Any] = {
    "Redis": aio.redis.Redis,
    "StrictRedis": aio.redis.StrictRedis,
    "from_url": aio.redis.from_url,
    "Pipeline": aio.redis.Pipeline,
    "PubSub": aio.redis.PubSub,
    "Monitor": aio.redis.Monitor,
    "ConnectionPool": aio.redis.ConnectionPool,
    "BlockingConnectionPool": aio.redis.BlockingConnectionPool,
    "Connection": aio.redis.Connection,
    "SSLConnection": aio.redis.SSLConnection,
    "UnixDomainSocketConnection": aio.redis.UnixDomainSocketConnection,
    "parse_url": parse_url,
    "Lock": aio.redis.Lock,
    "Retry": aio.redis.Retry,
    "RedisCluster": aio.redis.cluster.RedisCluster,
    "ClusterNode": aio.redis.cluster.ClusterNode,
    "ClusterPipeline": aio.redis.cluster.ClusterPipeline,
    "ClusterPubSub": aio.redis.cluster.ClusterPubSub,
    "Sentinel": aio.redis.sentinel.Sentinel,
    "SentinelConnectionPool": aio.redis.sentinel.SentinelConnectionPool,
    "SentinelManagedConnection": aio.redis.sentinel.SentinelManagedConnection,
    "MasterNotFoundError": aio.redis.sentinel.MasterNotFoundError,
    "SlaveNotFoundError": aio.redis.sentinel.SlaveNotFoundError,
    "ReplicaNotFoundError": aio.redis.sentinel.ReplicaNotFoundError,
    **_ERRORS,
    **_BACKOFFS,
}
_ASYNC_MODULES = (
    redis.asyncio,
    redis.asyncio.client,
    redis.asyncio.cluster,
    redis.asyncio.connection,
    redis.asyncio.lock,
    redis.asyncio.retry,
    redis.asyncio.sentinel,
)


def _replace(modules: tuple[ModuleType, ...], names: dict[str, Any]) -> None:
    # Only names a module already has: a name redis-py does not export there
    # must stay an AttributeError/ImportError, as with redis-py.
    for module in modules:
        for name, value in names.items():
            if hasattr(module, name):
                setattr(module, name, value)


_replace(_ASYNC_MODULES, _ASYNC_NAMES)

# The helper modules the suite imports from the sync package (credential
# providers, tokens, redis.utils' decorators...), name by name where redis-py
# has the name: what aio lacks (redis.utils' private helpers, redis.event's
# dispatcher) stays redis-py's. Replaced at session start, as the errors are
# (redis-py's sync client probes the server first). redis.driver_info stays
# redis-py's: its resolve_driver_info, which redis-py's connections call, makes
# its module's DriverInfo.
_HELPERS = {
    redis.auth.err: aio.redis.auth.err,
    redis.auth.idp: aio.redis.auth.idp,
    redis.auth.token: aio.redis.auth.token,
    redis.auth.token_manager: aio.redis.auth.token_manager,
    redis.crc: aio.redis.crc,
    redis.credentials: aio.redis.credentials,
    redis.event: aio.redis.event,
    redis.utils: aio.redis.utils,
}
# redis.utils' feature flags stay: the suite's skip markers read them about
# redis-py itself (HIREDIS_AVAILABLE: its parser), and aio's are all False.
_FLAGS = frozenset({"CRYPTOGRAPHY_AVAILABLE", "HIREDIS_AVAILABLE", "SSL_AVAILABLE"})


class _SentinelModule(ModuleType):
    """``redis.asyncio.sentinel``, whose ``Redis`` is also aio's sentinel module's.

    The suite's sentinel tests put a fake sentinel client factory in
    ``redis.asyncio.sentinel.Redis`` (the name redis-py's ``Sentinel`` makes its
    sentinel clients with) and put the old one back after; aio's ``Sentinel``
    makes them with ``aio.redis.sentinel.Redis``, which follows.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "Redis":
            aio.redis.sentinel.Redis = value  # type: ignore[misc]


redis.asyncio.sentinel.__class__ = _SentinelModule


@pytest.hookimpl(wrapper=True)
def pytest_sessionstart(session: pytest.Session) -> Generator[None, None, None]:
    """After every other ``pytest_sessionstart``: the sync package's names."""
    yield
    _replace((redis, redis.exceptions), _ERRORS)
    _replace((redis.backoff,), _BACKOFFS)
    for module, ours in _HELPERS.items():
        names = {n: getattr(ours, n) for n in ours.__all__ if n not in _FLAGS}
        _replace((module,), names)
