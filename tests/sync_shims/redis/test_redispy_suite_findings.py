"""What redis-py's own sync suite files added in task H5 found different in the
facade; each test runs the same calls on ``sync_shims.redis`` and on redis-py."""

from __future__ import annotations

from typing import Any

import pytest
import redis

import sync_shims.redis as facade

LIBS = pytest.mark.parametrize("lib", [facade, redis], ids=["facade", "redis-py"])


@LIBS
def test_auto_close_connection_pool_says_who_closes_the_pool(
    redis_url: str, lib: Any
) -> None:
    # redis-py's test_pool_auto_close / test_redis_connection_pool read it.
    pool = lib.ConnectionPool.from_url(redis_url)
    clients = {
        "from_url": lib.Redis.from_url(redis_url),
        "from_pool": lib.Redis.from_pool(lib.ConnectionPool.from_url(redis_url)),
        "handed a pool": lib.Redis(connection_pool=pool),
    }
    try:
        assert {name: c.auto_close_connection_pool for name, c in clients.items()} == {
            "from_url": True,
            "from_pool": True,
            "handed a pool": False,
        }
    finally:
        for client in clients.values():
            client.close()
        pool.disconnect()


@LIBS
@pytest.mark.parametrize("bad", [-1, "10", 2.5])
def test_max_connections_must_be_a_positive_integer(lib: Any, bad: Any) -> None:
    with pytest.raises(
        ValueError, match='"max_connections" must be a positive integer'
    ):
        lib.ConnectionPool(max_connections=bad)


@LIBS
def test_a_cache_that_is_no_cache_is_refused(lib: Any) -> None:
    with pytest.raises(ValueError, match="Cache must implement CacheInterface"):
        lib.ConnectionPool(protocol=3, cache="wrong")


@LIBS
def test_close_disconnects_an_owned_pool_through_its_disconnect(
    redis_url: str, lib: Any
) -> None:
    # redis-py's test_redis_from_pool / test_sentinel's test_auto_close_pool
    # count calls of the pool's disconnect(): a subclass's override runs.
    calls: list[str] = []

    class CountingPool(lib.ConnectionPool):  # type: ignore[misc,name-defined]
        def disconnect(self, *args: Any, **kwargs: Any) -> None:
            calls.append("disconnect")
            super().disconnect(*args, **kwargs)

    owned = lib.Redis.from_pool(CountingPool.from_url(redis_url))
    assert owned.ping() is True
    owned.close()
    assert calls == ["disconnect"]
    handed = CountingPool.from_url(redis_url)
    client = lib.Redis(connection_pool=handed)
    assert client.ping() is True
    client.close()
    assert calls == ["disconnect"]  # a pool handed in is the caller's
    handed.disconnect()
