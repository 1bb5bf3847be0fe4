"""Small parity follow-ups of ``aio.redis`` against redis-py 8.1 (``redis.asyncio``):

- the ``lib_name``/``lib_version`` DeprecationWarning names ``'__init__'``, as
  redis-py's decorator does, for the client, the cluster client and a
  connection; the cluster client warns once, in its constructor;
- a ``single_connection_client`` reconnects after a MOVING that came with the
  reply of an HIMPORT SET, as after any other command;
- a keyspace notifications manager tells whether it was closed through a
  read-only accessor (redis-py has no public name for it).
"""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.asyncio.cluster as redispy_cluster

from aio.redis import Connection, Redis, RedisCluster
from tests.redis.maint_server import ScriptedServer, push

Start = Callable[..., Awaitable[ScriptedServer]]


@contextlib.contextmanager
def deprecations() -> Iterator[list[warnings.WarningMessage]]:
    """The DeprecationWarnings raised inside the block."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        found: list[warnings.WarningMessage] = []
        yield found
    found.extend(w for w in caught if issubclass(w.category, DeprecationWarning))


def _texts(caught: list[warnings.WarningMessage]) -> list[str]:
    return [str(w.message) for w in caught]


# -- the lib_* deprecation warning --------------------------------------------------

_ARGS: list[dict[str, Any]] = [
    {"lib_name": "x"},
    {"lib_version": "1.0"},
    {"lib_name": "x", "lib_version": "1.0"},
]


@pytest.mark.parametrize("kwargs", _ARGS)
async def test_client_warning_is_redis_pys(kwargs: dict[str, Any]) -> None:
    with deprecations() as theirs:
        their_client = redispy.Redis(**kwargs)
    with deprecations() as ours:
        our_client = Redis(**kwargs)
    assert _texts(ours) == _texts(theirs)
    assert len(ours) == len(kwargs)
    assert "Call to '__init__' function" in _texts(ours)[0]
    # Both point at the caller's line.
    assert (
        [w.filename for w in ours]
        == [w.filename for w in theirs]
        == ([__file__] * len(kwargs))
    )
    await their_client.aclose()
    await our_client.aclose()


@pytest.mark.parametrize("kwargs", _ARGS)
async def test_connection_warning_is_redis_pys(kwargs: dict[str, Any]) -> None:
    with deprecations() as theirs:
        _ = redispy.Connection(**kwargs)
    with deprecations() as ours:
        _ = Connection(**kwargs)
    assert _texts(ours) == _texts(theirs)


@pytest.mark.parametrize("kwargs", _ARGS)
async def test_cluster_warns_once_in_its_constructor(kwargs: dict[str, Any]) -> None:
    with deprecations() as theirs:
        their_client = redispy_cluster.RedisCluster(host="127.0.0.1", port=1, **kwargs)
    with deprecations() as ours:
        our_client = RedisCluster(host="127.0.0.1", port=1, **kwargs)
    assert _texts(ours) == _texts(theirs)
    assert len(ours) == len(kwargs)
    # redis-py's points into its decorator; ours at the caller.
    assert {w.filename for w in ours} == {__file__}
    # The nodes' connections get the resolved driver info, as redis-py's.
    ours_info = our_client.connection_kwargs["driver_info"]
    theirs_info = their_client.connection_kwargs["driver_info"]
    assert "lib_name" not in our_client.connection_kwargs
    if "lib_name" in kwargs:  # else each library's own name
        assert ours_info.formatted_name == theirs_info.formatted_name == "x"
    if "lib_version" in kwargs:
        assert ours_info.lib_version == theirs_info.lib_version == "1.0"
    await their_client.aclose()
    await our_client.aclose()


async def test_cluster_warns_before_it_checks_its_arguments() -> None:
    # redis-py's decorator runs before the constructor's body.
    with deprecations() as theirs, pytest.raises(Exception) as their_error:
        _ = redispy_cluster.RedisCluster(lib_name="x")
    with deprecations() as ours, pytest.raises(Exception) as our_error:
        _ = RedisCluster(lib_name="x")
    assert _texts(ours) == _texts(theirs)
    assert type(our_error.value).__name__ == type(their_error.value).__name__


async def test_cluster_without_lib_arguments_does_not_warn() -> None:
    with deprecations() as ours:
        client = RedisCluster(host="127.0.0.1", port=1)
    assert ours == []
    assert "driver_info" not in client.connection_kwargs
    await client.aclose()


# -- HIMPORT SET on a single connection reconnects after MOVING --------------------


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


def _himport(moving_to: str | None) -> Any:
    """HIMPORT as Redis 8.9 answers it (+OK), with a MOVING ahead of the reply
    of each HIMPORT SET when ``moving_to`` names a node."""

    async def script(args: list[bytes], writer: asyncio.StreamWriter) -> None:
        if args[1].upper() == b"SET" and moving_to is not None:
            writer.write(push("MOVING", 5, 30, moving_to))
        writer.write(b"+OK\r\n")

    return script


async def _himport_moving_scenario(scripted: Start, make: Any) -> list[Any]:
    """HIMPORT SET (answered by the old node with a MOVING ahead of the reply),
    what the client did before its next command, then HIMPORT SET again."""
    old, new = await _same_port_pair(scripted)
    old.scripts[b"HIMPORT"] = _himport(f"::1:{new.port}")
    new.scripts[b"HIMPORT"] = _himport(None)
    client = make(
        host="127.0.0.1", port=old.port, single_connection_client=True, protocol=3
    )
    try:
        with warnings.catch_warnings():
            # redis-py marks the HIMPORT methods experimental (a UserWarning).
            warnings.simplefilter("ignore", UserWarning)
            await client.himport_prepare("users", ["name"])
            first = await client.himport_set("u:1", "users", ["ann"])
            connected_at_once = new.connections
            handshake = [c[0].upper() for c in new.commands]
            second = await client.himport_set("u:2", "users", ["bob"])
        on_new = [c[:2] for c in new.commands if c[0].upper() == b"HIMPORT"]
        return [
            first,
            connected_at_once,
            handshake[:1],
            second,
            old.connections,
            on_new,
        ]
    finally:
        await client.aclose()
        await client.connection_pool.disconnect()
        handler = client.connection_pool._maint_notifications_pool_handler
        if handler is not None and hasattr(handler, "cancel_scheduled_tasks"):
            handler.cancel_scheduled_tasks()  # ours: the return after the ttl
        for task in getattr(handler, "_scheduled_tasks", ()):  # redis-py's
            task.cancel()


async def test_himport_set_reconnects_after_moving_as_redis_py(
    scripted: Start,
) -> None:
    theirs = await _himport_moving_scenario(scripted, redispy.Redis)
    ours = await _himport_moving_scenario(scripted, Redis)
    # redis-py: reconnected to the new node right after the HIMPORT SET that
    # brought the MOVING (HELLO first there); the fieldset prepared again on
    # the new connection before the next SET.
    assert theirs == [
        True,
        1,
        [b"HELLO"],
        True,
        1,
        [[b"HIMPORT", b"PREPARE"], [b"HIMPORT", b"SET"]],
    ]
    assert ours == theirs


# -- keyspace notifications: closed --------------------------------------------------


async def test_keyspace_manager_tells_it_was_closed() -> None:
    client = Redis(host="127.0.0.1", port=1)
    manager = client.keyspace_notifications()
    assert manager._is_closed is False
    with pytest.raises(AttributeError):
        manager._is_closed = True  # type: ignore[misc]
    await manager.aclose()
    assert manager._is_closed is True
    assert not manager.subscribed
    assert await manager.get_message(timeout=0) is None
    await client.aclose()


async def test_cluster_keyspace_manager_tells_it_was_closed() -> None:
    client = RedisCluster(host="127.0.0.1", port=1)
    manager = client.keyspace_notifications()
    assert manager._is_closed is False
    await manager.aclose()
    assert manager._is_closed is True
    assert not manager.subscribed
    await client.aclose()
