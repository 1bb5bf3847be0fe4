"""pytest plugin for redis-py's OWN test suite: its ``redis`` names become ours.

Loaded with ``-p redispy_redirect`` by :mod:`redispy_suite` (copied next to the
downloaded suite, outside our ``tests`` package, whose name the suite's package
shares). After it runs, ``redis.Redis``, ``redis.client.Redis``, pools, ``Pipeline``,
``PubSub``, ``Lock`` and every exception class the suite imports are
``sync_shims.redis``'s; redis-py's own internals (parsers, helpers, mocks) stay.
"""

from __future__ import annotations

import redis
import redis.client
import redis.connection
import redis.exceptions
import redis.lock

import aio.redis
import aio.redis.exceptions
import sync_shims.redis as shim

_REPLACE = {
    "Redis": shim.Redis,
    "StrictRedis": shim.Redis,
    "Pipeline": shim.Pipeline,
    "PubSub": shim.PubSub,
    "from_url": shim.from_url,
    "ConnectionPool": shim.ConnectionPool,
    "BlockingConnectionPool": shim.BlockingConnectionPool,
    "Connection": aio.redis.Connection,
    "SSLConnection": aio.redis.SSLConnection,
    "UnixDomainSocketConnection": aio.redis.UnixDomainSocketConnection,
    "Lock": shim.Lock,
}
for _name in aio.redis.exceptions.__all__:
    _value = getattr(aio.redis.exceptions, _name)
    if isinstance(_value, type):
        _REPLACE[_name] = _value
for _mod in (redis, redis.client, redis.connection, redis.exceptions, redis.lock):
    for _name, _value in _REPLACE.items():
        if hasattr(_mod, _name) or _mod is redis:
            setattr(_mod, _name, _value)
