"""A client's constructor arguments: redis-py's default retry policy, its
deprecation warnings (issued at the user's line), and the keywords a client
accepts (a misspelt one is refused, as redis-py's signature does)."""

from __future__ import annotations

import functools
import inspect
import sys
import warnings
from collections.abc import Mapping
from typing import Any

from aio.redis._connection import (
    Connection,
    SSLConnection,
    UnixDomainSocketConnection,
)
from aio.redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from aio.redis.exceptions import RedisError
from aio.redis.retry import Retry

#: redis-py 8's defaults (``redis/_defaults.py``): ten retries after the first
#: failure, full-jitter exponential backoff from 10 ms capped at 1 s.
DEFAULT_RETRY_COUNT = 10
DEFAULT_RETRY_BASE = 0.01
DEFAULT_RETRY_CAP = 1.0


def default_retry() -> Retry:
    """The retry policy of a client made without ``retry=`` (redis-py 8's):
    ``Retry(ExponentialWithJitterBackoff(cap=1, base=0.01), 10)`` on
    ``ConnectionError`` and ``TimeoutError``."""
    return Retry(
        ExponentialWithJitterBackoff(cap=DEFAULT_RETRY_CAP, base=DEFAULT_RETRY_BASE),
        DEFAULT_RETRY_COUNT,
    )


# The default of ``retry=``: "redis-py's default policy" (``None`` means none).
DEFAULT_RETRY: Any = Retry(NoBackoff(), 0)


def _warn_auto_close(value: bool | None) -> None:
    # redis.asyncio deprecated the argument in 5.0.1 (a pool made by hand and
    # given to the client, or from_pool(), says who closes it).
    if value is not None:
        warnings.warn(
            '"auto_close_connection_pool" is deprecated since version 5.0.1. '
            "Please create a ConnectionPool explicitly and provide to the Redis() "
            "constructor instead.",
            DeprecationWarning,
            stacklevel=3,
        )


# redis-py's words for a client given retry_on_timeout (deprecated since 6.0.0).
_RETRY_ON_TIMEOUT_DEPRECATED = (
    "Call to '__init__' function with deprecated usage of input argument/s "
    "'retry_on_timeout'. (TimeoutError is included by default.) -- Deprecated "
    "since version 6.0.0."
)
# The packages whose frames a warning skips to reach the user's line (the
# client's own __init__s, the blocking facade's on top of them).
_OWN_PACKAGES = ("aio.redis", "sync_shims.redis")


def _caller_stacklevel() -> int:
    """The ``stacklevel`` of the first frame outside aio.redis and the facade,
    for a warning issued by the caller of this function."""
    frame = sys._getframe(1)
    level = 1
    while frame.f_back is not None:
        module = frame.f_globals.get("__name__", "")
        if not module.startswith(_OWN_PACKAGES):
            break
        frame = frame.f_back
        level += 1
    return level


#: Keyword arguments a client takes besides its own and its connection
#: classes' parameters: what the pool takes out (caching), maintenance
#: notifications, and redis-py's that aio accepts and ignores.
_POOL_KWARGS = frozenset(
    {
        "cache",
        "cache_config",
        "cache_factory",
        "maint_notifications_config",
        "maint_notifications_pool_handler",
        "oss_cluster_maint_notifications_handler",
        "event_dispatcher",
        "legacy_responses",
        "socket_read_size",
        "redis_connect_func",
    }
)
#: redis-py's sync-only OCSP arguments: refused by name, never ignored (a
#: certificate check asked for must not silently not happen).
_OCSP_KWARGS = frozenset(
    {
        "ssl_validate_ocsp",
        "ssl_validate_ocsp_stapled",
        "ssl_ocsp_context",
        "ssl_ocsp_expected_cert",
    }
)


@functools.cache
def _client_kwargs() -> frozenset[str]:
    """Every keyword a client passes on to its pool and connections."""
    names = set(_POOL_KWARGS)
    for cls in (Connection, SSLConnection, UnixDomainSocketConnection):
        for param in inspect.signature(cls.__init__).parameters.values():
            if param.kind in (param.KEYWORD_ONLY, param.POSITIONAL_OR_KEYWORD):
                names.add(param.name)
    names.discard("self")
    return frozenset(names)


def refuse_unknown_kwargs(owner: str, kwargs: Mapping[str, Any]) -> None:
    """Raise TypeError for a keyword no client takes, as redis-py's signature
    does (a misspelt ``socket_timout=`` must not be silently ignored)."""
    accepted = _client_kwargs()
    for name, value in kwargs.items():
        if name in accepted:
            continue
        if name in _OCSP_KWARGS:
            if value is None or value is False:
                continue  # redis-py's defaults: nothing asked for
            raise RedisError(f"{name}: OCSP validation is not supported by aio.redis")
        raise TypeError(
            f"{owner}.__init__() got an unexpected keyword argument {name!r}"
        )
