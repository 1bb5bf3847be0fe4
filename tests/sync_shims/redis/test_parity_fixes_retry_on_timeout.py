"""The blocking ``sync_shims.redis.Redis(retry_on_timeout=...)`` warns as
redis-py 8.1's ``redis.Redis``: one DeprecationWarning when the user gives the
argument (True or False, with or without a pool), none otherwise; it points at
the user's line."""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import redis as redispy

from sync_shims.redis import ConnectionPool, Redis

MESSAGE = (
    "Call to '__init__' function with deprecated usage of input argument/s "
    "'retry_on_timeout'. (TimeoutError is included by default.) -- Deprecated "
    "since version 6.0.0."
)


def _deprecations(make: Any, **kwargs: Any) -> list[warnings.WarningMessage]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        client = make(**kwargs)
    client.close()
    return [w for w in caught if issubclass(w.category, DeprecationWarning)]


@pytest.mark.parametrize("value", [True, False])
def test_given_it_warns_once_as_redis_py(value: bool) -> None:
    theirs = _deprecations(redispy.Redis, retry_on_timeout=value)
    ours = _deprecations(Redis, retry_on_timeout=value)
    assert [str(w.message) for w in theirs] == [MESSAGE]
    assert [str(w.message) for w in ours] == [MESSAGE]
    assert ours[0].filename == __file__


def test_not_given_no_warning() -> None:
    assert _deprecations(redispy.Redis) == []
    assert _deprecations(Redis) == []


def test_with_a_pool_it_warns_once_too() -> None:
    theirs = _deprecations(
        redispy.Redis, connection_pool=redispy.ConnectionPool(), retry_on_timeout=True
    )
    pool = ConnectionPool()
    ours = _deprecations(Redis, connection_pool=pool, retry_on_timeout=True)
    pool.disconnect()
    assert [str(w.message) for w in ours] == [str(w.message) for w in theirs]
    assert [str(w.message) for w in ours] == [MESSAGE]


def test_from_url_does_not_warn() -> None:
    url = "redis://127.0.0.1:6379/0?retry_on_timeout=yes"
    assert _deprecations(redispy.Redis.from_url, url=url) == []
    assert _deprecations(Redis.from_url, url=url) == []
    assert _deprecations(redispy.Redis.from_url, url=url, retry_on_timeout=True) == []
    assert _deprecations(Redis.from_url, url=url, retry_on_timeout=True) == []


def test_behaviour_unchanged() -> None:
    # Still ignored on the client, as redis-py 8: retry=None retries nothing.
    with pytest.warns(DeprecationWarning):
        client = Redis(retry=None, retry_on_timeout=True)
    try:
        assert client.get_retry() is None
    finally:
        client.close()
