"""Maintenance notifications matched to redis-py 8.1 (``redis.asyncio``):

- a ``single_connection_client`` whose connection a MOVING marked for reconnect
  reconnects (to the node MOVING named) right after the command, as redis-py's
  client does, instead of keeping the old connection until it drops;
- a cluster client refreshes its slot map on ``SMIGRATED`` (redis-py's
  ``OSSMaintNotificationsHandler``).

Scripted RESP3 servers (``tests/redis/maint_server.py``) push the notifications
between replies; redis.asyncio runs the same scenario as the oracle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exc
import redis.maint_notifications as oracle

from aio.redis import Redis, RedisCluster
from aio.redis.exceptions import RedisError
from aio.redis.maint_notifications import (
    MaintNotificationsConfig,
    OSSNodeMigratedNotification,
)
from tests.redis.maint_server import ScriptedServer, encode, push, reply_after

Start = Callable[..., Awaitable[ScriptedServer]]


@pytest.fixture
async def scripted() -> AsyncIterator[Start]:
    """Factory: ``await scripted(host="127.0.0.1", port=0)``."""
    servers: list[ScriptedServer] = []

    async def start(host: str = "127.0.0.1", port: int = 0) -> ScriptedServer:
        server = ScriptedServer(host)
        await server.start(port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


async def _same_port_pair(scripted: Start) -> tuple[ScriptedServer, ScriptedServer]:
    # MOVING keeps the port: the new node listens on ::1 with the old one's port.
    for _ in range(20):
        new = await scripted("::1")
        with contextlib.suppress(OSError):
            return await scripted("127.0.0.1", new.port), new
        await new.stop()
    pytest.skip("no port free on both 127.0.0.1 and ::1")


# -- a single-connection client reconnects after MOVING -------------------------------


async def _moving_scenario(scripted: Start, make: Any) -> list[Any]:
    """GET (answered by the old node with a MOVING ahead of the reply), then
    what the client did before its next command, then GET again."""
    old, new = await _same_port_pair(scripted)
    old.scripts[b"GET"] = reply_after(
        push("MOVING", 3, 30, f"::1:{new.port}"), delay=0, reply=b"$3\r\nold\r\n"
    )
    new.scripts[b"GET"] = reply_after(delay=0, reply=b"$3\r\nnew\r\n")
    client = make(host="127.0.0.1", port=old.port, single_connection_client=True)
    try:
        first = await client.get("k")
        # Before any other command: has the client connected to the new node?
        connected_at_once = new.connections
        handshake = [c[0].upper() for c in new.commands]
        second = await client.get("k")
        return [first, connected_at_once, handshake[:1], second, old.connections]
    finally:
        await client.aclose()
        await client.connection_pool.disconnect()
        handler = client.connection_pool._maint_notifications_pool_handler
        if handler is not None and hasattr(handler, "cancel_scheduled_tasks"):
            handler.cancel_scheduled_tasks()  # ours: the return after the ttl
        for task in getattr(handler, "_scheduled_tasks", ()):  # redis-py's
            task.cancel()


async def test_single_connection_client_reconnects_after_moving(
    scripted: Start,
) -> None:
    theirs = await _moving_scenario(scripted, redispy.Redis)
    ours = await _moving_scenario(scripted, Redis)
    # redis-py: reconnected right after the command that brought the MOVING
    # (HELLO first on the new node), the next GET answered there; one
    # connection to the old node in all.
    assert theirs == [b"old", 1, [b"HELLO"], b"new", 1]
    assert ours == theirs


async def test_concurrent_commands_finish_before_the_reconnect(
    scripted: Start,
) -> None:
    # Ours only (redis-py's single connection runs one command at a time): the
    # connection is closed once no reply is pending on it, never under one.
    old, new = await _same_port_pair(scripted)
    gate = asyncio.Event()

    async def slow_get(args: list[bytes], writer: asyncio.StreamWriter) -> None:
        if args[1] == b"first":
            writer.write(push("MOVING", 4, 30, f"::1:{new.port}"))
            writer.write(b"$5\r\nfirst\r\n")
            return
        await gate.wait()
        writer.write(b"$4\r\nslow\r\n")

    old.scripts[b"GET"] = slow_get
    new.scripts[b"GET"] = reply_after(delay=0, reply=b"$3\r\nnew\r\n")
    client = Redis(host="127.0.0.1", port=old.port, single_connection_client=True)
    try:
        _ = await client.initialize()
        first = asyncio.ensure_future(client.get("first"))
        await asyncio.sleep(0)
        slow = asyncio.ensure_future(client.get("slow"))
        assert await first == b"first"
        # The slow reply is pending: no reconnect yet.
        assert new.connections == 0
        gate.set()
        assert await slow == b"slow"
        assert new.connections == 1
        assert await client.get("k") == b"new"
    finally:
        await client.aclose()
        await client.connection_pool.aclose()


# -- a cluster refreshes its slot map on SMIGRATED ------------------------------------

# COMMAND's entry for GET (the one command of these scenarios).
_COMMAND = [[b"get", 2, [b"readonly", b"fast"], 1, 1, 1, [], [], [], []]]


class MigratingCluster:
    """Two scripted RESP3 nodes, ``a`` first serving every slot. ``a`` answers
    its ``migrate_on``-th GET with SMIGRATED pushes (every slot moved to ``b``,
    ``copies`` times, as on several connections) ahead of the reply, and from
    then on both nodes' CLUSTER SLOTS give the new map. ``leaves``: ``a`` is
    in no map after the move (else it keeps a replica's place: no slot)."""

    def __init__(self, a: ScriptedServer, b: ScriptedServer, leaves: bool) -> None:
        self.a, self.b = a, b
        self.leaves = leaves
        self.moved = False
        self.migrate_on = 1
        self.copies = 1
        self.gets = {a: 0, b: 0}
        for server in (a, b):
            server.scripts[b"CLUSTER"] = self._slots
            server.scripts[b"COMMAND"] = self._command
            server.scripts[b"GET"] = self._get_on(server)

    def address(self, server: ScriptedServer) -> bytes:
        return b"127.0.0.1:%d" % server.port

    def _layout(self) -> list[Any]:
        owner = self.b if self.moved else self.a
        return [[0, 16383, [b"127.0.0.1", owner.port, b"id%d" % owner.port]]]

    async def _slots(self, args: list[bytes], writer: asyncio.StreamWriter) -> None:
        writer.write(encode(self._layout()))

    async def _command(self, args: list[bytes], writer: asyncio.StreamWriter) -> None:
        writer.write(encode(_COMMAND))

    def _get_on(self, server: ScriptedServer) -> Any:
        async def get(args: list[bytes], writer: asyncio.StreamWriter) -> None:
            self.gets[server] += 1
            if server is self.a and self.gets[server] == self.migrate_on:
                moves = [[self.address(self.a), self.address(self.b), b"0-16383"]]
                for _ in range(self.copies):
                    writer.write(push("SMIGRATED", 7, moves))
                self.moved = True
            writer.write(b"$1\r\n" + (b"a" if server is self.a else b"b") + b"\r\n")

        return get


async def _cluster_pair(scripted: Start, leaves: bool = True) -> MigratingCluster:
    a = await scripted()
    b = await scripted()
    return MigratingCluster(a, b, leaves)


async def _until(check: Callable[[], bool]) -> bool:
    # The refresh runs in a task of its own: give it the loop for a while.
    for _ in range(200):
        if check():
            return True
        await asyncio.sleep(0.01)
    return check()


async def _migration_scenario(scripted: Start, make: Any) -> list[Any]:
    cluster = await _cluster_pair(scripted)
    cluster.copies = 2  # the same notification twice: applied once
    client = make(host="127.0.0.1", port=cluster.a.port, protocol=3)
    try:
        await client.initialize()
        node_a = client.get_node(host="127.0.0.1", port=cluster.a.port)
        slots_before = len(cluster.a.sent(b"CLUSTER")) + len(cluster.b.sent(b"CLUSTER"))
        first = await client.get("k")
        refreshed = await _until(
            lambda: client.get_node_from_key("k").port == cluster.b.port
        )
        second = await client.get("k")
        slots_after = len(cluster.a.sent(b"CLUSTER")) + len(cluster.b.sent(b"CLUSTER"))
        left = await _until(
            lambda: not any(c.is_connected for c in _connections(node_a))
        )
        return [
            first,
            refreshed,
            second,
            # No MOVED needed: the second GET went straight to b.
            dict(cluster.gets.items()) == {cluster.a: 1, cluster.b: 1},
            slots_after - slots_before,
            client.get_node(host="127.0.0.1", port=cluster.a.port) is None,
            left,
        ]
    finally:
        await client.aclose()


def _port_of_k(client: RedisCluster) -> int | None:
    node = client.get_node_from_key("k")
    return None if node is None else node.port


def _connections(node: Any) -> list[Any]:
    pool = getattr(node, "connection_pool", None)
    if pool is not None:  # ours
        return [*pool._available, *pool._in_use]
    return list(node._connections)  # redis-py's


async def test_smigrated_refreshes_the_slot_map_as_redis_py(scripted: Start) -> None:
    theirs = await _migration_scenario(scripted, redispy.RedisCluster)
    ours = await _migration_scenario(scripted, RedisCluster)
    # The map read again once (the notification came twice), the key's slot
    # now on b, the node that left forgotten and its idle connections closed.
    assert theirs == [b"a", True, b"b", True, 1, True, True]
    assert ours == theirs


async def test_busy_connections_of_the_source_reconnect_when_given_back(
    scripted: Start,
) -> None:
    # Ours: redis-py marks them too (it has no pool to hold one from outside).
    cluster = await _cluster_pair(scripted)
    cluster.migrate_on = 2
    client = RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=3)
    try:
        _ = await client.initialize()
        node_a = client.get_node(host="127.0.0.1", port=cluster.a.port)
        assert node_a is not None
        busy = await node_a.connection_pool.get_connection()
        assert await client.get("k") == b"a"
        assert await client.get("k") == b"a"  # brings the SMIGRATED
        assert await _until(lambda: busy.should_reconnect())
        node_a.connection_pool._release(busy)
        assert not busy.is_connected
    finally:
        await client.aclose()


async def test_no_handler_without_resp3_or_when_off(scripted: Start) -> None:
    cluster = await _cluster_pair(scripted)
    resp2 = RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=2)
    theirs2 = redispy.RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=2)
    assert resp2.maint_notifications_config is None
    assert theirs2.maint_notifications_config is None
    assert resp2._oss_cluster_maint_notifications_handler is None
    off = RedisCluster(
        host="127.0.0.1",
        port=cluster.a.port,
        protocol=3,
        maint_notifications_config=MaintNotificationsConfig(enabled=False),
    )
    assert off._oss_cluster_maint_notifications_handler is None
    on = RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=3)
    theirs3 = redispy.RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=3)
    assert on.maint_notifications_config is not None
    assert theirs3.maint_notifications_config is not None
    assert (
        on.maint_notifications_config.enabled
        == theirs3.maint_notifications_config.enabled
        == "auto"
    )
    assert on.get_connection_kwargs()["oss_cluster_maint_notifications_handler"] is (
        on._oss_cluster_maint_notifications_handler
    )
    for client in (resp2, theirs2, off, on, theirs3):
        await client.aclose()


async def test_resp2_with_notifications_asked_is_refused() -> None:
    config = MaintNotificationsConfig(enabled=True)
    with pytest.raises(RedisError) as got:
        _ = RedisCluster(
            host="127.0.0.1", port=1, protocol=2, maint_notifications_config=config
        )
    with pytest.raises(redispy_exc.RedisError) as expected:
        _ = redispy.RedisCluster(
            host="127.0.0.1",
            port=1,
            protocol=2,
            maint_notifications_config=oracle.MaintNotificationsConfig(enabled=True),
        )
    assert str(got.value) == str(expected.value)


async def test_a_failed_refresh_is_tried_again_on_the_next_copy(
    scripted: Start, caplog: pytest.LogCaptureFixture
) -> None:
    # Ours: the map cannot be read when the first copy comes (logged), the
    # notification stays unapplied, and its next copy applies it.
    cluster = await _cluster_pair(scripted)
    client = RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=3)
    try:
        _ = await client.initialize()
        handler = client._oss_cluster_maint_notifications_handler
        assert handler is not None
        moves = {
            cluster.address(cluster.a).decode(): [
                {cluster.address(cluster.b).decode(): "0-16383"}
            ]
        }
        notification = OSSNodeMigratedNotification(9, moves)

        async def broken(args: list[bytes], writer: asyncio.StreamWriter) -> None:
            writer.write(b"-ERR no map now\r\n")

        for server in (cluster.a, cluster.b):
            server.scripts[b"CLUSTER"] = broken
        with caplog.at_level(logging.ERROR, logger="aio.redis"):
            handler.handle_notification(notification)
            assert await _until(lambda: not handler._tasks)
        assert any("failed" in r.getMessage() for r in caplog.records)
        assert notification not in handler._processed_notifications
        cluster.moved = True
        for server in (cluster.a, cluster.b):
            server.scripts[b"CLUSTER"] = cluster._slots
        handler.handle_notification(notification)
        assert await _until(lambda: _port_of_k(client) == cluster.b.port)
        assert notification in handler._processed_notifications
    finally:
        await client.aclose()


async def test_malformed_addresses_are_skipped(
    scripted: Start, caplog: pytest.LogCaptureFixture
) -> None:
    cluster = await _cluster_pair(scripted)
    client = RedisCluster(host="127.0.0.1", port=cluster.a.port, protocol=3)
    try:
        _ = await client.initialize()
        handler = client._oss_cluster_maint_notifications_handler
        assert handler is not None
        cluster.moved = True
        notification = OSSNodeMigratedNotification(
            3,
            {
                "no-port": [{"x": "1"}],
                cluster.address(cluster.a).decode(): [{"bad": "0-16383"}],
            },
        )
        with caplog.at_level(logging.ERROR, logger="aio.redis"):
            await handler.handle_oss_maintenance_completed_notification(notification)
        assert len([r for r in caplog.records if "ignoring" in r.getMessage()]) == 2
        # The map is read all the same.
        assert _port_of_k(client) == cluster.b.port
    finally:
        await client.aclose()
