"""``aio.redis.Redis(retry_on_timeout=...)`` warns as redis-py 8.1's
``redis.asyncio.Redis``: a DeprecationWarning whenever the argument is given
(True or False, with or without a pool), none when it is not, none from
``from_url`` (the URL's option goes to the pool)."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import ConnectionPool, Redis

MESSAGE = (
    "Call to '__init__' function with deprecated usage of input argument/s "
    "'retry_on_timeout'. (TimeoutError is included by default.) -- Deprecated "
    "since version 6.0.0."
)


def _deprecations(make: Any, **kwargs: Any) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _ = make(**kwargs)
    return [w for w in caught if issubclass(w.category, DeprecationWarning)]


@pytest.mark.parametrize("value", [True, False])
async def test_given_it_warns_as_redis_py(value: bool) -> None:
    theirs = _deprecations(redispy.Redis, retry_on_timeout=value)
    ours = _deprecations(Redis, retry_on_timeout=value)
    assert [str(w.message) for w in theirs] == [MESSAGE]
    assert [str(w.message) for w in ours] == [MESSAGE]
    # Attributed to the line that made the client.
    assert ours[0].filename == __file__


async def test_not_given_no_warning() -> None:
    assert _deprecations(redispy.Redis) == []
    assert _deprecations(Redis) == []
    assert _deprecations(Redis, retry=None, socket_timeout=1) == []


async def test_with_a_pool_it_warns_too() -> None:
    theirs_pool = redispy.ConnectionPool()
    ours_pool = ConnectionPool()
    theirs = _deprecations(
        redispy.Redis, connection_pool=theirs_pool, retry_on_timeout=True
    )
    ours = _deprecations(Redis, connection_pool=ours_pool, retry_on_timeout=True)
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    await ours_pool.aclose()
    await theirs_pool.aclose()


async def test_from_url_does_not_warn() -> None:
    url = "redis://127.0.0.1:6379/0?retry_on_timeout=yes"
    assert _deprecations(redispy.Redis.from_url, url=url) == []
    assert _deprecations(Redis.from_url, url=url) == []
    assert _deprecations(redispy.Redis.from_url, url=url, retry_on_timeout=True) == []
    assert _deprecations(Redis.from_url, url=url, retry_on_timeout=True) == []


async def test_warned_before_lib_name_as_redis_py() -> None:
    kwargs = {"retry_on_timeout": True, "lib_name": "x"}
    theirs = _deprecations(redispy.Redis, **kwargs)
    ours = _deprecations(Redis, **kwargs)
    assert [str(w.message) for w in theirs][:1] == [MESSAGE]
    assert [str(w.message) for w in ours][:1] == [MESSAGE]
    assert len(ours) == len(theirs) == 2
    assert "'lib_name'" in str(ours[1].message)


async def test_still_ignored_on_the_client() -> None:
    # The warning changes nothing else: the client's retry_on_timeout is not
    # given to the pool (retry=None retries nothing, as redis-py 8).
    with pytest.warns(DeprecationWarning):
        client = Redis(retry=None, retry_on_timeout=True)
    assert client.get_retry() is None
    assert "retry_on_timeout" not in client.connection_pool.connection_kwargs
    await client.aclose()
