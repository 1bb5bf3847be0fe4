"""``aio.redis.RedisCluster`` at a node's connection limit and on redirections
with an empty host, checked against ``redis.asyncio.RedisCluster`` on the private
three-master cluster (``redis_cluster``)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exc

from aio.redis import RedisCluster
from aio.redis.cluster import ClusterNode
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


class _Proxy:
    """Forwards a port on ``::1`` to one node (a node reached at another address
    than the cluster calls it by)."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "::1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        up_reader, up_writer = await asyncio.open_connection(*self.target)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    async def aclose(self) -> None:
        assert self.server is not None
        self.server.close()


@contextlib.asynccontextmanager
async def _unknown_endpoints(nodes: Nodes) -> AsyncIterator[None]:
    """Nodes that redirect with an empty host ("MOVED 42 :7001": the host the
    client reached the replying node at)."""
    admins = [redispy.Redis(host=h, port=p) for h, p in nodes]
    try:
        for admin in admins:
            await admin.config_set(
                "cluster-preferred-endpoint-type", "unknown-endpoint"
            )
        yield
    finally:
        for admin in admins:
            await admin.config_set("cluster-preferred-endpoint-type", "ip")
            await admin.aclose()


@contextlib.asynccontextmanager
async def _migrating(
    rc: RedisCluster, slot: int, source: ClusterNode, target: ClusterNode
) -> AsyncIterator[None]:
    """``slot`` MIGRATING from ``source`` to ``target`` (so the source answers
    ASK for keys it has not), STABLE again after."""
    source_id = await rc.execute_command("CLUSTER MYID", target_nodes=source)
    target_id = await rc.execute_command("CLUSTER MYID", target_nodes=target)
    await rc.execute_command(
        "CLUSTER SETSLOT", slot, "IMPORTING", source_id, target_nodes=target
    )
    await rc.execute_command(
        "CLUSTER SETSLOT", slot, "MIGRATING", target_id, target_nodes=source
    )
    try:
        yield
    finally:
        for node in (source, target):
            await rc.execute_command(
                "CLUSTER SETSLOT", slot, "STABLE", target_nodes=node
            )


@pytest.mark.parametrize("redirection", ["MOVED", "ASK"])
async def test_empty_redirection_host_is_remapped_once(
    redis_cluster: Nodes, redirection: str
) -> None:
    proxies = {port: _Proxy((host, port)) for host, port in redis_cluster}
    for proxy in proxies.values():
        await proxy.start()
    seen: list[tuple[str, int]] = []

    def remap(address: tuple[str, int]) -> tuple[str, int]:
        seen.append(address)
        return "::1", proxies[address[1]].port

    host, port = redis_cluster[0]
    try:
        async with RedisCluster(host=host, port=port, address_remap=remap) as rc:
            await rc.set("moving", "v")
            assert rc.keyslot("{moving}absent") == rc.keyslot("moving")
            owner = rc.get_node_from_key("moving")
            other = next(n for n in rc.get_primaries() if n is not owner)
            slot = rc.keyslot("moving")
            async with _unknown_endpoints(redis_cluster):
                if redirection == "MOVED":
                    # A stale map: the slot's command goes to a node that
                    # answers MOVED with an empty host.
                    rc.nodes_manager.slots_cache[slot] = [other]
                    assert await rc.get("moving") == b"v"
                    assert rc.get_node_from_key("moving") is owner
                else:
                    # A slot being migrated: its source answers ASK with an
                    # empty host for a key it has not.
                    async with _migrating(rc, slot, owner, other):
                        assert await rc.get("{moving}absent") is None
        # address_remap saw the cluster's addresses only, never one of its own
        # answers (the replying node's remapped host).
        assert seen
        assert {h for h, _ in seen} == {"127.0.0.1"}
        assert {p for _, p in seen} <= {p for _, p in redis_cluster}
    finally:
        for proxy in proxies.values():
            await proxy.aclose()
