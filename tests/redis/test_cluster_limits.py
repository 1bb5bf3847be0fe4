"""``aio.redis.RedisCluster`` at a node's connection limit and on redirections
with an empty host, checked against ``redis.asyncio.RedisCluster`` on the private
three-master cluster (``redis_cluster``)."""

from __future__ import annotations

from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exc

from aio.redis import RedisCluster
from aio.redis.exceptions import MaxConnectionsError

Nodes = list[tuple[str, int]]


async def test_node_connection_limit_is_no_node_failure(
    redis_cluster: Nodes, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = redis_cluster[0]
    async with redispy.RedisCluster(host=host, port=port, max_connections=1) as ref:
        held_ref = ref.get_node_from_key("k").acquire_connection()
        with pytest.raises(redispy_exc.MaxConnectionsError) as expected:
            await ref.get("k")
        del held_ref
    async with RedisCluster(host=host, port=port, max_connections=1) as rc:
        pool = rc.get_node_from_key("k").connection_pool
        held = await pool.get_connection()
        refreshes: list[int] = []
        tries: list[int] = []
        initialize = rc.nodes_manager.initialize
        get_connection = pool.get_connection

        async def counted_initialize() -> None:
            refreshes.append(1)
            await initialize()

        async def counted_get_connection(*args: Any, **kwargs: Any) -> Any:
            tries.append(1)
            return await get_connection(*args, **kwargs)

        monkeypatch.setattr(rc.nodes_manager, "initialize", counted_initialize)
        monkeypatch.setattr(pool, "get_connection", counted_get_connection)
        with pytest.raises(MaxConnectionsError) as got:
            await rc.get("k")
        # redis.asyncio's words (none), one try, and the map is not re-read: the
        # limit is the client's own, the node did not fail.
        assert str(got.value) == str(expected.value) == ""
        assert tries == [1]
        assert refreshes == []
        assert rc._refresh_needed is False
        pool._release(held)
        # Once a connection is free again the command runs.
        assert await rc.set("k", "v") is True
        assert await rc.get("k") == b"v"
