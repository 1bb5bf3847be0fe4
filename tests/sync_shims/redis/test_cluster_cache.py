"""Client-side caching on the blocking ``RedisCluster`` and its ``get_cache()``,
on the private three-master cluster (``redis_cluster``).

As redis-py 8.1's cluster: ``RedisCluster(protocol=3, cache_config=...)`` (or
``cache=``, ``cache_factory=``) gives every node the same cache, so reads
through any node are cached in one place and each node's invalidations remove
them; ``get_cache()`` returns it (redis-py's cluster has the cache in its
``NodesManager`` and no ``get_cache()``; its nodes' clients have one, as here).
redis-py caches only against Redis 7.4 or later (the cluster is 7.0), so these
check the facade on its own, with redis-py's expectations.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import redis as redispy
import redis.cache

import sync_shims.redis as shim
from aio.redis import RedisCluster as AsyncRedisCluster
from aio.redis.cluster import key_slot
from sync_shims.redis.cache import (
    CacheConfig,
    CacheFactoryInterface,
    CacheInterface,
    CacheProxy,
    DefaultCache,
)
from sync_shims.redis.cluster import RedisCluster

Nodes = list[tuple[str, int]]

# Keys on different shards of the three-master cluster (slots 0-5460,
# 5461-10922, 10923-16383).
KEYS = ("{a}k", "{b}k", "{c}k")


def _flush(nodes: Nodes) -> None:
    for host, port in nodes:
        with redispy.Redis(host=host, port=port) as admin:
            admin.flushall()


@pytest.fixture
def writer(redis_cluster: Nodes) -> Iterator[RedisCluster]:
    """A cluster client without a cache, to change keys behind the cached one."""
    _flush(redis_cluster)
    host, port = redis_cluster[0]
    client = RedisCluster(host=host, port=port, decode_responses=True)
    try:
        yield client
    finally:
        client.close()


def _node_client(node: Any) -> Any:
    """The blocking client of one node (a facade ClusterNode's)."""
    return node.redis_connection


def _stats(cache: Any) -> Any:
    """aio's cache counters (``hits``, ``invalidations``...)."""
    return cache.stats


def _cached(nodes: Nodes, **kwargs: Any) -> RedisCluster:
    host, port = nodes[0]
    return RedisCluster(
        host=host, port=port, protocol=3, decode_responses=True, **kwargs
    )


def test_one_cache_for_every_node(redis_cluster: Nodes, writer: RedisCluster) -> None:
    assert len({key_slot(k.encode()) // 5461 for k in KEYS}) == 3
    for key in KEYS:
        writer.set(key, key.upper())
    with _cached(redis_cluster, cache_config=CacheConfig(max_size=10)) as rc:
        cache = rc.get_cache()
        assert isinstance(cache, CacheInterface)
        # Every node's client has the same one (redis-py: NodesManager's cache,
        # given to each node's Redis).
        for node in rc.get_nodes():
            assert _node_client(node).get_cache() is cache
        for key in KEYS:
            assert rc.get(key) == key.upper()
        assert cache.size == 3
        for key in KEYS:
            assert rc.get(key) == key.upper()  # answered from the cache
        assert _stats(cache).hits == 3
        assert sorted(k.redis_keys[0] for k in cache.collection) == sorted(KEYS)


def test_invalidation_from_any_node(redis_cluster: Nodes, writer: RedisCluster) -> None:
    for key in KEYS:
        writer.set(key, "old")
    with _cached(redis_cluster, cache_config=CacheConfig()) as rc:
        cache = rc.get_cache()
        assert cache is not None
        assert [rc.get(k) for k in KEYS] == ["old"] * 3
        assert cache.size == 3
        writer.set(KEYS[1], "new")  # another client, on the second shard
        # The node's invalidation push arrives before the next reply on the
        # connection that tracked the key: read through the same node.
        _node_client(rc.get_node_from_key(KEYS[1])).ping()
        assert rc.get(KEYS[1]) == "new"
        assert [rc.get(k) for k in KEYS] == ["old", "new", "old"]
        assert _stats(cache).invalidations >= 1
        # A write by this client invalidates too.
        rc.set(KEYS[2], "mine")
        _node_client(rc.get_node_from_key(KEYS[2])).ping()
        assert rc.get(KEYS[2]) == "mine"


def test_given_cache_and_factory(redis_cluster: Nodes, writer: RedisCluster) -> None:
    writer.set(KEYS[0], "v")
    mine = DefaultCache(CacheConfig(max_size=5))
    with _cached(redis_cluster, cache=mine) as rc:
        assert rc.get_cache() is mine
        assert rc.get(KEYS[0]) == "v"
        assert mine.size == 1

    class Factory(CacheFactoryInterface):
        def __init__(self) -> None:
            self.made = DefaultCache(CacheConfig())

        def get_cache(self) -> CacheInterface:
            return self.made

    factory = Factory()
    with _cached(redis_cluster, cache_factory=factory) as rc:
        cache = rc.get_cache()
        # As redis-py's cluster: the factory's cache, behind a CacheProxy.
        assert isinstance(cache, CacheProxy)
        assert rc.get(KEYS[0]) == "v"
        assert factory.made.size == 1


def test_pipeline_reads_are_not_cached(
    redis_cluster: Nodes, writer: RedisCluster
) -> None:
    writer.set(KEYS[0], "p")
    with _cached(redis_cluster, cache_config=CacheConfig()) as rc:
        with rc.pipeline() as pipe:
            pipe.get(KEYS[0])
            assert pipe.execute() == ["p"]
        cache = rc.get_cache()
        assert cache is not None
        assert cache.size == 0
        assert rc.get(KEYS[0]) == "p"
        assert cache.size == 1


def test_no_cache_without_asking(redis_cluster: Nodes, writer: RedisCluster) -> None:
    assert writer.get_cache() is None
    with _cached(redis_cluster) as rc:
        assert rc.get_cache() is None


def test_refused_on_resp2_and_for_a_non_cache(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    with pytest.raises(shim.RedisError, match="only supported with RESP version 3"):
        RedisCluster(host=host, port=port, protocol=2, cache_config=CacheConfig())
    with pytest.raises(ValueError, match="CacheInterface"):
        RedisCluster(host=host, port=port, protocol=3, cache=object())
    # redis-py refuses RESP2 the same way, in its constructor.
    with pytest.raises(redispy.RedisError, match="only supported with RESP version 3"):
        redispy.RedisCluster(
            host=host, port=port, protocol=2, cache_config=redispy.cache.CacheConfig()
        )


async def test_the_core_cluster_shares_it_too(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    async with AsyncRedisCluster(
        host=host, port=port, protocol=3, cache_config=CacheConfig()
    ) as rc:
        cache = rc.get_cache()
        assert cache is not None
        assert {id(n.connection_pool.cache) for n in rc.get_nodes()} == {id(cache)}
