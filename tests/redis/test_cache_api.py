"""aio.redis's client-side cache through redis-py's ``redis.cache`` API.

redis.asyncio 8.1 has no client-side caching (only the blocking redis-py has,
and only against Redis 7.4+), so these check aio's own behaviour with
redis-py's classes and semantics; tests/sync_shims/redis/test_cache_facade.py
compares the classes with redis-py's.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import pytest

from aio.redis import Redis
from aio.redis.cache import (
    CacheConfig,
    CacheFactoryInterface,
    CacheInterface,
    CacheKey,
    CacheProxy,
    DefaultCache,
)
from tests.plugins.fix_redis import PrivateRedis


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    return private_redis_server()


@pytest.fixture
async def writer(server: PrivateRedis) -> AsyncIterator[Redis]:
    client = Redis(host=server.host, port=server.port)
    try:
        yield client
    finally:
        await client.aclose()


async def until(predicate: Callable[[], object], what: str) -> None:
    for _ in range(500):
        if await predicate():  # type: ignore[misc]
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def test_given_cache_is_used_and_invalidated(
    server: PrivateRedis, writer: Redis
) -> None:
    mine = DefaultCache(CacheConfig(max_size=5))
    await writer.set("foo", "bar")
    client = Redis(host=server.host, port=server.port, protocol=3, cache=mine)
    try:
        assert client.get_cache() is mine
        assert await client.get("foo") == b"bar"
        key = CacheKey(command="GET", redis_keys=("foo",), redis_args=("GET", "foo"))
        entry = mine.get(key)
        assert entry is not None and entry.cache_value == b"bar"
        # the value served is the cache's: a user who edits it is answered with it
        entry.cache_value = b"edited"
        assert await client.get("foo") == b"edited"
        await writer.set("foo", "new")

        async def fresh() -> bool:
            return await client.get("foo") == b"new"

        await until(fresh, "the given cache invalidated")
        assert mine.stats.invalidations == 1 and mine.stats.hits >= 1
    finally:
        await client.aclose()
    assert mine.size == 0


async def test_cache_factory_and_cache_class(
    server: PrivateRedis, writer: Redis
) -> None:
    made: list[CacheInterface] = []

    class Factory(CacheFactoryInterface):
        def get_cache(self) -> CacheInterface:
            made.append(DefaultCache(CacheConfig(max_size=1)))
            return made[-1]

    await writer.mset({"a": "1", "b": "2"})
    client = Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        cache_config=CacheConfig(),
        cache_factory=Factory(),
    )
    try:
        cache = client.get_cache()
        assert isinstance(cache, CacheProxy) and cache._cache is made[0]
        await client.get("a")
        await client.get("b")
        # the proxy evicts by the factory cache's own max_size (1)
        assert [k.redis_keys for k in cache.collection] == [("b",)]
        assert cache.stats.evictions == 1
    finally:
        await client.aclose()


async def test_never_decode_bypasses_a_decoding_cache(
    server: PrivateRedis, writer: Redis
) -> None:
    await writer.set("k", "v")
    client = Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        decode_responses=True,
        cache_config=CacheConfig(),
    )
    try:
        assert await client.get("k") == "v"
        # same CacheKey, but the caller asked for bytes: not the cached str
        assert (
            await client.execute_command("GET", "k", keys=["k"], NEVER_DECODE=True)
            == b"v"
        )
        assert await client.get("k") == "v"
    finally:
        await client.aclose()
