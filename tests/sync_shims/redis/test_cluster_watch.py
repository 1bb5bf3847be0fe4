"""The blocking ``RedisCluster.watch()``/``unwatch()`` as redis-py's blocking
cluster client's: they only warn (``DeprecationWarning``) and send nothing, with
``redis.cluster.RedisCluster`` as the oracle."""

from __future__ import annotations

from types import ModuleType

import pytest
import redis as redispy

import sync_shims.redis as shim

Nodes = list[tuple[str, int]]


@pytest.mark.parametrize("lib", [shim, redispy], ids=["shim", "redis-py"])
def test_cluster_watch_and_unwatch_only_warn(
    lib: ModuleType, redis_cluster: Nodes
) -> None:
    host, port = redis_cluster[0]
    client = lib.RedisCluster(host=host, port=port, decode_responses=True)
    try:
        with pytest.warns(DeprecationWarning) as caught:
            assert client.watch("watched", "other") is None
            assert client.unwatch() is None
        assert [str(w.message) for w in caught] == [
            "Call WATCH from a Pipeline object",
            "Call UNWATCH from a Pipeline object",
        ]
    finally:
        client.close()
