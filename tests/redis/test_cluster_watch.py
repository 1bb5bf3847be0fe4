"""``RedisCluster.watch()``/``unwatch()`` as redis-py's asyncio cluster client's:
they only warn (``DeprecationWarning``) and send nothing, on the private cluster
(``redis_cluster``), with ``redis.asyncio.RedisCluster`` as the oracle."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy

import aio.redis as aio_redis

Admins = dict[str, Any]


@pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])
async def test_cluster_watch_and_unwatch_only_warn(
    lib: ModuleType, cluster_admin: Admins
) -> None:
    host, port = next(iter(cluster_admin)).split(":")
    client = lib.RedisCluster(host=host, port=int(port), decode_responses=True)
    try:
        await client.set("watched", "v")
        with pytest.warns(DeprecationWarning) as caught:
            assert await client.watch("watched", "other") is None
            assert await client.unwatch() is None
        assert [str(w.message) for w in caught] == [
            "Call WATCH from a Pipeline object",
            "Call UNWATCH from a Pipeline object",
        ]
        # nothing was sent: a transaction's WATCH is still its pipeline's
        async with client.pipeline(transaction=True) as pipe:
            await pipe.watch("watched")
            pipe.multi()
            pipe.set("watched", "w")
            assert await pipe.execute() == [True]
    finally:
        await client.aclose()
