"""Client-side caching (RESP3 CLIENT TRACKING) against private redis-server processes.

Each test has its own server, so command statistics count only its own traffic.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aio.proto.resp import Push
from aio.redis import CacheConfig, Redis
from aio.redis._cache import CacheTracker
from aio.redis.cache import CacheFactory, CacheInterface, CacheProxy
from aio.redis.exceptions import RedisError
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_cluster import doc_example


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    return private_redis_server()


@pytest.fixture
async def writer(server: PrivateRedis) -> AsyncIterator[Redis]:
    client = Redis(host=server.host, port=server.port, decode_responses=True)
    try:
        yield client
    finally:
        await client.aclose()


def cached_client(server: PrivateRedis, **config: Any) -> Redis:
    return Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        decode_responses=True,
        cache_config=CacheConfig(**config),
    )


def cache_of(client: Redis) -> CacheProxy:
    cache = client.get_cache()
    assert isinstance(cache, CacheProxy)
    return cache


async def eventually(predicate: Callable[[], Any], what: str) -> None:
    """Wait for an invalidation push to be processed (it arrives on its own)."""
    for _ in range(500):
        if await predicate():
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


async def command_calls(writer: Redis, command: str) -> int:
    stats = await writer.info("commandstats")
    entry = stats.get(f"cmdstat_{command}", {})
    return int(entry.get("calls", 0)) if isinstance(entry, dict) else 0


async def test_hits_do_not_reach_the_server(
    server: PrivateRedis, writer: Redis
) -> None:
    await writer.set("k", "v1")
    client = cached_client(server)
    try:
        await writer.config_resetstat()
        for _ in range(50):
            assert await client.get("k") == "v1"
        assert await command_calls(writer, "get") == 1
        stats = cache_of(client).stats
        assert (stats.hits, stats.misses) == (49, 1)
        assert cache_of(client).size == 1
    finally:
        await client.aclose()


async def test_write_by_another_client_invalidates(
    server: PrivateRedis, writer: Redis
) -> None:
    await writer.set("k", "v1")
    client = cached_client(server)
    try:
        assert await client.get("k") == "v1"
        await writer.set("k", "v2")

        async def sees_v2() -> bool:
            return await client.get("k") == "v2"

        await eventually(sees_v2, "the cached client reads the new value")
        assert cache_of(client).stats.invalidations >= 1
        # Own writes invalidate too.
        await client.set("k", "v3")
        assert await client.get("k") == "v3"
    finally:
        await client.aclose()


async def test_hash_and_mget_entries(server: PrivateRedis, writer: Redis) -> None:
    await writer.hset("h", mapping={"a": "1", "b": "2"})
    await writer.mset({"x": "1", "y": "2"})
    client = cached_client(server)
    try:
        first = await client.hgetall("h")
        assert first == {"a": "1", "b": "2"}
        first["a"] = "mutated"  # the caller's copy, not the cache's
        assert await client.hgetall("h") == {"a": "1", "b": "2"}
        assert await client.mget("x", "y") == ["1", "2"]
        assert await client.mget("x", "y") == ["1", "2"]
        assert cache_of(client).stats.hits == 2
        await writer.set("y", "changed")

        async def fresh() -> bool:
            return await client.mget("x", "y") == ["1", "changed"]

        await eventually(fresh, "MGET entry dropped when one of its keys changed")
        # Commands outside the allow list, or without keys, are never cached.
        assert await client.incr("counter") == 1
        assert await client.incr("counter") == 2
    finally:
        await client.aclose()


async def test_non_utf8_encoding(server: PrivateRedis, writer: Redis) -> None:
    await writer.set(b"\xe9", b"1")
    client = Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        encoding="latin-1",
        decode_responses=True,
        cache_config=CacheConfig(),
    )
    try:
        assert await client.get(b"\xe9") == "1"
        await writer.set(b"\xe9", b"2")

        async def fresh() -> bool:
            return await client.get(b"\xe9") == "2"

        await eventually(fresh, "the push names the key in the client's encoding")
    finally:
        await client.aclose()


async def test_flushdb_flushes_everything(server: PrivateRedis, writer: Redis) -> None:
    await writer.mset({"a": "1", "b": "2"})
    client = cached_client(server)
    try:
        await client.get("a")
        await client.get("b")
        assert cache_of(client).size == 2
        await writer.flushdb()

        async def emptied() -> bool:
            return cache_of(client).size == 0

        await eventually(emptied, "FLUSHDB emptied the cache")
        assert await client.get("a") is None
    finally:
        await client.aclose()


async def test_connection_loss_flushes(server: PrivateRedis, writer: Redis) -> None:
    await writer.set("a", "1")
    client = cached_client(server)
    try:
        await client.get("a")
        client_id = await client.client_id()
        assert cache_of(client).size == 1
        await writer.client_kill_filter(_id=client_id)

        async def flushed() -> bool:
            return cache_of(client).size == 0

        await eventually(flushed, "a lost connection flushed the cache")
        # It reconnects (tracking on again) and caches anew.
        assert await client.get("a") == "1"
        await writer.set("a", "2")

        async def fresh() -> bool:
            return await client.get("a") == "2"

        await eventually(fresh, "tracking is on again after reconnecting")
    finally:
        await client.aclose()


async def test_lru_bound_and_ttl(
    server: PrivateRedis, writer: Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    await writer.mset({"a": "1", "b": "2", "c": "3"})
    now = [1000.0]
    monkeypatch.setattr("aio.redis.cache.time.monotonic", lambda: now[0])
    client = cached_client(server, max_size=2, ttl=5.0)
    try:
        for key in ("a", "b", "c"):
            await client.get(key)
        cache = cache_of(client)
        assert cache.size == 2 and cache.stats.evictions == 1
        await client.get("b")
        assert cache.stats.hits == 1
        now[0] += 5.0
        await client.get("b")  # expired: read again
        assert cache.stats.hits == 1 and cache.stats.misses == 4
    finally:
        await client.aclose()


async def test_bcast_prefixes(server: PrivateRedis, writer: Redis) -> None:
    await writer.mset({"user:1": "a", "other": "b"})
    client = cached_client(server, bcast=True, prefixes=["user:"])
    try:
        await client.get("user:1")
        await client.get("user:1")
        await client.get("other")
        await client.get("other")
        cache = cache_of(client)
        # Only keys the server reports on (under the prefixes) are cached.
        assert (cache.stats.hits, cache.size) == (1, 1)
        await writer.set("user:1", "changed")

        async def fresh() -> bool:
            return await client.get("user:1") == "changed"

        await eventually(fresh, "BCAST invalidation")
    finally:
        await client.aclose()


async def test_pubsub_on_a_caching_pool(server: PrivateRedis, writer: Redis) -> None:
    client = cached_client(server)
    try:
        async with client.pubsub() as pubsub:
            await pubsub.subscribe("chan")
            await writer.publish("chan", "hello")
            message = None
            for _ in range(100):
                message = await pubsub.get_message(
                    ignore_subscribe_messages=True, timeout=0.1
                )
                if message is not None:
                    break
            assert message is not None and message["data"] == "hello"
    finally:
        await client.aclose()


async def test_resp2_is_refused(server: PrivateRedis) -> None:
    with pytest.raises(RedisError, match="RESP version 3"):
        Redis(
            host=server.host, port=server.port, protocol=2, cache_config=CacheConfig()
        )
    with pytest.raises(RedisError, match="RESP version 3"):
        Redis.from_url(server.url + "?protocol=2", cache_config=CacheConfig())
    # RESP3 is the default (as redis-py 8), so caching needs no protocol=.
    for client in (
        Redis.from_url(server.url + "?protocol=3", cache_config=CacheConfig()),
        Redis.from_url(server.url, cache_config=CacheConfig()),
    ):
        assert isinstance(client.get_cache(), CacheInterface)
        await client.aclose()
    assert Redis(host=server.host, port=server.port).get_cache() is None


def test_config_validation() -> None:
    with pytest.raises(ValueError):
        CacheConfig(max_size=0)
    with pytest.raises(ValueError):
        CacheConfig(ttl=0)
    with pytest.raises(ValueError):
        CacheConfig(prefixes=["a"])
    config = CacheConfig(allow_list=["get"])
    assert config.is_allowed_to_cache("GET") and not config.is_allowed_to_cache("HGET")
    assert config.get_max_size() == CacheConfig.DEFAULT_MAX_SIZE
    bcast = CacheFactory(CacheConfig(bcast=True, prefixes=["p"])).get_cache()
    assert CacheTracker(bcast).tracking_command() == (
        "CLIENT", "TRACKING", "ON", "BCAST", "PREFIX", "p",
    )  # fmt: skip
    assert CacheTracker(CacheFactory().get_cache()).tracking_command() == (
        "CLIENT", "TRACKING", "ON",
    )  # fmt: skip


def tracker() -> CacheTracker:
    return CacheTracker(CacheFactory().get_cache())


def test_invalidation_racing_a_reply_is_not_stored() -> None:
    cache = tracker()
    key = cache.make_key(("GET", "k"), ["k"])
    # The push for k is parsed before the reader stores its (now stale) reply.
    ticket = cache.begin()
    cache.delete_by_redis_keys([b"k"])
    assert cache.finish(ticket, key, "old") is False
    assert cache.get(key) == (False, None)
    # A flush in between, too.
    ticket = cache.begin()
    cache.flush()
    assert cache.finish(ticket, key, "old") is False
    # An invalidation of another key does not matter.
    ticket = cache.begin()
    cache.delete_by_redis_keys([b"other"])
    assert cache.finish(ticket, key, "new") is True
    assert cache.get(key) == (True, "new")
    # Error replies and failed reads are never stored.
    assert cache.finish(cache.begin(), key, RedisError("x")) is False
    assert cache.finish(cache.begin(), None, None) is False


def test_handle_push() -> None:
    cache = tracker()
    key = cache.make_key(("GET", "k"), [b"k"])
    cache.finish(cache.begin(), key, b"v")
    assert cache.handle_push(Push([b"message", b"chan", b"x"])) is False
    assert cache.handle_push(Push(["invalidate", ["k"]])) is True
    assert cache.cache.size == 0
    cache.finish(cache.begin(), key, b"v")
    assert cache.handle_push(Push([b"invalidate", None])) is True
    assert cache.cache.size == 0 and cache.stats.flushes == 1


_items = st.one_of(st.none(), st.integers(), st.binary(max_size=5), st.text(max_size=5))


@given(
    st.lists(
        st.one_of(_items, st.lists(_items, max_size=4)),
        max_size=4,
    )
)
def test_random_pushes_never_raise(items: list[Any]) -> None:
    cache = tracker()
    key = cache.make_key(("GET", "k"), [b"k"])
    cache.finish(cache.begin(), key, b"v")
    cache.handle_push(Push(items))
    assert cache.cache.size in (0, 1)


def test_docs_example(
    server: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AIO_REDIS_URL", server.url)
    exec(compile(doc_example("cache"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.split("\n")[:3] == ["v1", "v1", "True True"]
