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
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import Redis
from tests.redis.maint_server import ScriptedServer, push, reply_after

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
