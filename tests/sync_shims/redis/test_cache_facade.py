"""redis-py's client-side caching API (``redis.cache``) on the blocking facade.

The classes are compared with redis-py's as the oracle. redis-py caches only
against Redis 7.4 or later (its CacheProxyConnection refuses older servers, see
``test_redis_py_refuses_this_server``); the machine's server is 7.0.15, which
has RESP3 ``CLIENT TRACKING``, so the server-backed tests check the facade's
behaviour on its own (redis-py's expectations, from its test_cache.py).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest
import redis
import redis.cache

import sync_shims.redis as facade
import sync_shims.redis.cache as facade_cache
from sync_shims.redis.cache import (
    CacheConfig,
    CacheEntry,
    CacheEntryStatus,
    CacheInterface,
    CacheKey,
    CacheProxy,
    DefaultCache,
    EvictionPolicyInterface,
    LRUPolicy,
)
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_cluster import doc_example

CACHES = pytest.mark.parametrize(
    "lib", [facade_cache, redis.cache], ids=["facade", "redis-py"]
)
CLIENTS = pytest.mark.parametrize("lib", [facade, redis], ids=["facade", "redis-py"])


def key(name: str, command: str = "GET") -> Any:
    return (command, (name,), (command, name))


def trace_default_cache(lib: ModuleType) -> list[Any]:
    """What DefaultCache answers to a fixed sequence of calls."""
    cache = lib.DefaultCache(lib.CacheConfig(max_size=5))
    out: list[Any] = []

    def entry(name: str, value: bytes, command: str = "GET") -> Any:
        return lib.CacheEntry(
            cache_key=lib.CacheKey(*key(name, command)),
            cache_value=value,
            status=lib.CacheEntryStatus.VALID,
            connection_ref=None,
        )

    out.append(cache.set(entry("a", b"1")))
    out.append(cache.set(entry("b", b"2")))
    out.append(cache.set(entry("b", b"3", "STRLEN")))
    out.append(cache.set(entry("c", b"x", "SET")))  # not cachable
    out.append(cache.get(lib.CacheKey(*key("b"))).cache_value)
    out.append(cache.get(lib.CacheKey(*key("nope"))))
    out.append([k.redis_keys for k in cache.collection])
    out.append(
        cache.delete_by_cache_keys([lib.CacheKey(*key("a")), lib.CacheKey(*key("z"))])
    )
    out.append(cache.delete_by_redis_keys([b"b", "zz"]))  # bytes match str keys
    out.append(cache.size)
    out.append(cache.set(entry("d", b"4")))
    out.append(cache.flush())
    out.append((cache.size, cache.is_cachable(lib.CacheKey("HGETALL", ()))))
    out.append(cache.eviction_policy.type.value)
    return out


def test_default_cache_answers_as_redis_py() -> None:
    ours = trace_default_cache(facade_cache)
    assert ours == trace_default_cache(redis.cache)
    assert ours[:4] == [True, True, True, False]
    assert ours[8] == [True, True]  # GET b and STRLEN b


@CACHES
def test_cache_proxy_evicts_past_max_size(lib: ModuleType) -> None:
    cache = lib.CacheFactory(lib.CacheConfig(max_size=2)).get_cache()
    assert isinstance(cache, lib.CacheProxy)
    for name in ("a", "b", "c"):
        cache.set(
            lib.CacheEntry(
                lib.CacheKey(*key(name)), b"v", lib.CacheEntryStatus.VALID, None
            )
        )
    cache.get(lib.CacheKey(*key("b")))  # b is now the most recently used
    assert [k.redis_keys for k in cache.collection] == [("c",), ("b",)]
    assert isinstance(cache.eviction_policy, lib.LRUPolicy)


@CACHES
def test_lru_policy_errors(lib: ModuleType) -> None:
    policy = lib.LRUPolicy()
    with pytest.raises(ValueError, match="associated with valid cache"):
        policy.evict_next()
    cache = lib.DefaultCache(lib.CacheConfig())
    with pytest.raises(ValueError, match="Evictions count is above cache size"):
        cache.eviction_policy.evict_many(1)
    with pytest.raises(ValueError, match="does not belong to the cache"):
        cache.eviction_policy.touch(lib.CacheKey(*key("a")))


def test_config_as_redis_py() -> None:
    ours, theirs = CacheConfig(), redis.cache.CacheConfig()
    assert set(ours.DEFAULT_ALLOW_LIST) == set(theirs.DEFAULT_ALLOW_LIST)
    assert ours.get_max_size() == theirs.get_max_size() == 10000
    assert ours.get_cache_class() is DefaultCache
    assert ours.get_eviction_policy().name == theirs.get_eviction_policy().name
    assert (ours.is_exceeds_max_size(10001), ours.is_exceeds_max_size(10000)) == (
        True,
        False,
    )
    # aio's additions are keyword-only and checked
    with pytest.raises(ValueError, match="positive"):
        CacheConfig(max_size=0)
    assert CacheConfig(allow_list=["get"]).is_allowed_to_cache("GET")
    assert not CacheConfig(allow_list=["get"]).is_allowed_to_cache("HGET")


class DictCache(CacheInterface):
    """A user's own cache, written against the interface only."""

    def __init__(self) -> None:
        self.entries: OrderedDict[CacheKey, CacheEntry] = OrderedDict()
        self.invalidated: list[Any] = []
        self.flushes = 0
        self._config = CacheConfig(max_size=100)
        self._policy = LRUPolicy()
        self._policy.cache = self

    @property
    def collection(self) -> OrderedDict[CacheKey, CacheEntry]:
        return self.entries

    @property
    def config(self) -> CacheConfig:
        return self._config

    @property
    def eviction_policy(self) -> EvictionPolicyInterface:
        return self._policy

    @property
    def size(self) -> int:
        return len(self.entries)

    def get(self, key: CacheKey) -> CacheEntry | None:
        return self.entries.get(key)

    def set(self, entry: CacheEntry) -> bool:
        if not self.is_cachable(entry.cache_key):
            return False
        self.entries[entry.cache_key] = entry
        return True

    def delete_by_cache_keys(self, cache_keys: list[CacheKey]) -> list[bool]:
        return [self.entries.pop(k, None) is not None for k in cache_keys]

    def delete_by_redis_keys(self, redis_keys: list[Any]) -> list[bool]:
        self.invalidated += redis_keys
        names = {k if isinstance(k, bytes) else k.encode() for k in redis_keys}
        gone = [
            k
            for k in self.entries
            if any(n.encode() in names for n in k.redis_keys if isinstance(n, str))
        ]
        return [self.entries.pop(k) is not None for k in gone]

    def flush(self) -> int:
        self.flushes += 1
        count = len(self.entries)
        self.entries.clear()
        return count

    def is_cachable(self, key: CacheKey) -> bool:
        return key.command == "GET"


@CLIENTS
def test_pool_takes_caches_as_redis_py(lib: ModuleType) -> None:
    mine = DictCache() if lib is facade else _redis_py_dict_cache()
    pool = lib.ConnectionPool(protocol=3, cache=mine)
    assert pool.cache is mine
    factory_cache = lib.cache.DefaultCache(lib.cache.CacheConfig(max_size=3))

    class Factory(lib.cache.CacheFactoryInterface):
        def get_cache(self) -> Any:
            return factory_cache

    pool = lib.ConnectionPool(
        protocol=3, cache_config=lib.cache.CacheConfig(), cache_factory=Factory()
    )
    assert isinstance(pool.cache, lib.cache.CacheProxy)
    assert pool.cache._cache is factory_cache
    assert lib.ConnectionPool(protocol=3).cache is None
    with pytest.raises(ValueError, match="Cache must implement CacheInterface"):
        lib.ConnectionPool(protocol=3, cache=object())
    with pytest.raises(lib.RedisError, match="RESP version 3"):
        lib.ConnectionPool(protocol=2, cache_config=lib.cache.CacheConfig())


def _redis_py_dict_cache() -> Any:
    # redis-py's pool checks isinstance(cache, redis.cache.CacheInterface).
    return redis.cache.DefaultCache(redis.cache.CacheConfig())


def _version(server: PrivateRedis) -> tuple[int, ...]:
    with facade.Redis(host=server.host, port=server.port) as r:
        return tuple(int(p) for p in str(r.info("server")["redis_version"]).split("."))


@pytest.fixture
def server(private_redis_server: Callable[..., PrivateRedis]) -> PrivateRedis:
    return private_redis_server()


@pytest.fixture
def writer(server: PrivateRedis) -> Iterator[facade.Redis]:
    with facade.Redis(host=server.host, port=server.port) as client:
        yield client


def calls(writer: facade.Redis, command: str) -> int:
    entry = writer.info("commandstats").get(f"cmdstat_{command}", {})
    return int(entry.get("calls", 0)) if isinstance(entry, dict) else 0


def eventually(predicate: Callable[[], bool], what: str) -> None:
    """Wait for an invalidation push to be processed (it arrives on its own)."""
    for _ in range(500):
        if predicate():
            return
        time.sleep(0.01)
    raise AssertionError(f"never happened: {what}")


def test_redis_py_refuses_this_server(server: PrivateRedis) -> None:
    if _version(server) >= (7, 4):
        pytest.skip("the server is 7.4 or later: redis-py caches with it")
    client = redis.Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        cache_config=redis.cache.CacheConfig(),
    )
    with pytest.raises(redis.ConnectionError, match="7.4"):
        client.get("k")
    client.close()


def test_cached_reads_and_invalidation(
    server: PrivateRedis, writer: facade.Redis
) -> None:
    writer.set("foo", "bar")
    with facade.Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        cache=DefaultCache(CacheConfig(max_size=5)),
    ) as client:
        cache = client.get_cache()
        writer.config_resetstat()
        assert [client.get("foo") for _ in range(3)] == [b"bar"] * 3
        assert calls(writer, "get") == 1
        # redis-py's key and raw value (its test_get_from_given_cache)
        entry = cache.get(
            CacheKey(command="GET", redis_keys=("foo",), redis_args=("GET", "foo"))
        )
        assert entry.cache_value == b"bar"
        assert entry.status is CacheEntryStatus.VALID
        assert (cache.stats.hits, cache.stats.misses) == (2, 1)
        writer.set("foo", "barbar")
        eventually(
            lambda: client.get("foo") == b"barbar", "invalidated by another client"
        )
        assert cache.stats.invalidations == 1
        # HGETALL and its callback: the cache holds the raw reply
        writer.hset("h", mapping={"a": "1"})
        first = client.hgetall("h")
        first[b"a"] = b"changed"
        assert client.hgetall("h") == {b"a": b"1"}
    assert cache.size == 0  # closing the client flushed it


def test_decoded_replies_are_cached_decoded(
    server: PrivateRedis, writer: facade.Redis
) -> None:
    writer.set("foo", "bar")
    with facade.Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        decode_responses=True,
        cache_config=CacheConfig(),
    ) as client:
        assert client.get("foo") == client.get("foo") == "bar"
        entry = client.get_cache().get(CacheKey("GET", ("foo",), ("GET", "foo")))
        assert entry.cache_value == "bar"


def test_lru_eviction(server: PrivateRedis, writer: facade.Redis) -> None:
    writer.mset({"a": "1", "b": "2", "c": "3"})
    with facade.Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        cache_config=CacheConfig(max_size=2),
    ) as client:
        for name in ("a", "b", "c"):
            client.get(name)
        cache = client.get_cache()
        assert isinstance(cache, CacheProxy)
        assert [k.redis_keys for k in cache.collection] == [("b",), ("c",)]
        assert cache.stats.evictions == 1
        writer.config_resetstat()
        client.get("a")  # evicted: read again
        client.get("c")  # still cached
        assert calls(writer, "get") == 1


def test_custom_cache_class(server: PrivateRedis, writer: facade.Redis) -> None:
    stored: list[CacheKey] = []

    class Recording(DefaultCache):
        def set(self, entry: CacheEntry) -> bool:
            stored.append(entry.cache_key)
            return super().set(entry)

    writer.set("k", "v")
    with facade.Redis(
        host=server.host,
        port=server.port,
        protocol=3,
        cache_config=CacheConfig(cache_class=Recording),
    ) as client:
        assert client.get("k") == client.get("k") == b"v"
        assert isinstance(client.get_cache()._cache, Recording)
    assert stored == [CacheKey("GET", ("k",), ("GET", "k"))]


def test_custom_cache_implementation(
    server: PrivateRedis, writer: facade.Redis
) -> None:
    mine = DictCache()
    writer.set("k", "v1")
    writer.set("n", "1")
    with facade.Redis(
        host=server.host, port=server.port, protocol=3, cache=mine
    ) as client:
        assert client.get_cache() is mine
        writer.config_resetstat()
        assert client.get("k") == client.get("k") == b"v1"
        assert client.strlen("k") == client.strlen("k") == 2  # not cachable here
        assert (calls(writer, "get"), calls(writer, "strlen")) == (1, 2)
        writer.set("k", "v2")
        eventually(lambda: client.get("k") == b"v2", "the user's cache invalidated")
        assert b"k" in mine.invalidated
    assert mine.flushes >= 1 and mine.size == 0


def test_docs_example(
    server: PrivateRedis,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AIO_REDIS_URL", server.url)
    source = doc_example("cache-blocking")
    exec(compile(source, "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.split("\n")[:2] == ["b'v1' b'v1'", "b'v1' 1"]
