"""Maintenance notifications over the wire: scripted RESP3 servers that push
MIGRATING, MIGRATED, MOVING... between replies, and the real Redis 7.0 (which
refuses ``CLIENT MAINT_NOTIFICATIONS``). ``redis.asyncio`` runs against the same
scripted servers as the oracle where it can.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy_asyncio
import redis.exceptions as redispy_exceptions
import redis.maint_notifications as oracle
from redis.asyncio.retry import Retry as RedispyRetry
from redis.backoff import NoBackoff as RedispyNoBackoff

from aio.redis import ConnectionPool, Redis
from aio.redis.exceptions import ResponseError, TimeoutError
from aio.redis.maint_notifications import MaintenanceState, MaintNotificationsConfig
from tests.redis.maint_server import MAINT, Script, ScriptedServer, push, reply_after


@pytest.fixture
async def scripted() -> AsyncIterator[Callable[..., Awaitable[ScriptedServer]]]:
    """Factory: ``await scripted(host="127.0.0.1", port=0, maint_reply=...)``."""
    servers: list[ScriptedServer] = []

    async def start(
        host: str = "127.0.0.1", port: int = 0, maint_reply: bytes = b"+OK\r\n"
    ) -> ScriptedServer:
        server = ScriptedServer(host, maint_reply)
        await server.start(port)
        servers.append(server)
        return server

    yield start
    for server in servers:
        await server.stop()


def _config(enabled: Any, **kwargs: Any) -> tuple[Any, Any]:
    """Ours and redis-py's, for the same arguments (None: not given)."""
    if enabled is None:
        return None, None
    return (
        MaintNotificationsConfig(enabled=enabled, **kwargs),
        oracle.MaintNotificationsConfig(enabled=enabled, **kwargs),
    )


async def _ping_both(server: ScriptedServer, **kwargs: Any) -> list[list[list[bytes]]]:
    """PING with aio.redis, then with redis.asyncio; the MAINT commands each sent."""
    enabled = kwargs.pop("enabled", None)
    ours_config, theirs_config = _config(enabled)
    sent = []
    for make, config in (
        (Redis, ours_config),
        (redispy_asyncio.Redis, theirs_config),
    ):
        before = len(server.sent(*MAINT))
        client = make(
            host=server.host,
            port=server.port,
            maint_notifications_config=config,
            **kwargs,
        )
        try:
            assert await client.ping() is True
        finally:
            await client.aclose()
        sent.append(server.sent(*MAINT)[before:])
    return sent


@pytest.mark.parametrize(
    ("protocol", "enabled", "asks"),
    [
        (None, None, True),  # RESP3 by default, "auto"
        (3, "auto", True),
        (3, True, True),
        (3, False, False),
        (2, None, False),
    ],
)
async def test_handshake_asks_as_redis_py(
    scripted: Callable[..., Awaitable[ScriptedServer]],
    protocol: int | None,
    enabled: Any,
    asks: bool,
) -> None:
    server = await scripted()
    ours, theirs = await _ping_both(server, protocol=protocol, enabled=enabled)
    expected = (
        [[*MAINT, b"ON", b"moving-endpoint-type", b"internal-ip"]] if asks else []
    )
    assert ours == theirs == expected


async def test_endpoint_type_of_a_name(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()
    client = Redis(host="localhost", port=server.port)
    try:
        assert await client.ping() is True
    finally:
        await client.aclose()
    # localhost resolves to a loopback address: an internal name.
    assert server.sent(*MAINT)[-1][-1] == b"internal-fqdn"


@pytest.mark.parametrize(
    "refusal",
    [
        b"-ERR unknown subcommand 'MAINT_NOTIFICATIONS'. Try CLIENT HELP.\r\n",
        b"+ERROR\r\n",  # not OK either
    ],
)
async def test_auto_goes_on_when_refused_and_true_raises(
    scripted: Callable[..., Awaitable[ScriptedServer]], refusal: bytes
) -> None:
    server = await scripted(maint_reply=refusal)
    ours, theirs = await _ping_both(server, enabled="auto")
    assert len(ours) == len(theirs) == 1
    for make, config, error in (
        (Redis, MaintNotificationsConfig(enabled=True), ResponseError),
        (
            redispy_asyncio.Redis,
            oracle.MaintNotificationsConfig(enabled=True),
            redispy_exceptions.ResponseError,
        ),
    ):
        client = make(
            port=server.port, host="127.0.0.1", maint_notifications_config=config
        )
        try:
            with pytest.raises(error):
                await client.ping()
        finally:
            await client.aclose()


def _pool(server: ScriptedServer, **config: Any) -> ConnectionPool:
    return ConnectionPool(
        host=server.host,
        port=server.port,
        socket_timeout=0.2,
        socket_connect_timeout=1,
        maint_notifications_config=MaintNotificationsConfig(
            enabled=True, **{"relaxed_timeout": 5, **config}
        ),
    )


async def _never(args: list[bytes], writer: asyncio.StreamWriter) -> None:
    await asyncio.Event().wait()


async def test_timeouts_relaxed_in_flight_then_restored(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()
    # The reply comes after 0.5 s, past the 0.2 s socket timeout; MIGRATING,
    # pushed first, relaxes the wait already armed to 5 s.
    server.scripts[b"GET"] = reply_after(push("MIGRATING", 1, 15))
    server.scripts[b"SET"] = reply_after(push("MIGRATED", 1), delay=0, reply=b"+OK\r\n")
    server.scripts[b"BLPOP"] = _never
    pool = _pool(server)
    conn = await pool.get_connection()
    try:
        assert await conn.execute(("GET", "k"), {}) == b"ok"
        assert conn.maintenance_state is MaintenanceState.MAINTENANCE
        assert (conn.socket_timeout, conn.socket_connect_timeout) == (5, 5)
        assert await conn.execute(("SET", "k", "v"), {}) == b"OK"
        assert conn.maintenance_state is MaintenanceState.NONE
        assert (conn.socket_timeout, conn.socket_connect_timeout) == (0.2, 1)
        with pytest.raises(TimeoutError):
            await conn.execute(("BLPOP", "k", 0.1), {"timeout": 0.1})
    finally:
        pool._release(conn)
        await pool.aclose()


async def test_redis_py_relaxes_in_flight_too(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()
    server.scripts[b"GET"] = reply_after(push("MIGRATING", 1, 15))
    client = redispy_asyncio.Redis(
        port=server.port,
        socket_timeout=0.2,
        retry=RedispyRetry(RedispyNoBackoff(), 0),
        maint_notifications_config=oracle.MaintNotificationsConfig(
            enabled=True, relaxed_timeout=5
        ),
    )
    try:
        assert await client.get("k") == b"ok"
    finally:
        await client.aclose()


async def test_without_relaxed_timeouts_the_wait_times_out(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()
    server.scripts[b"GET"] = reply_after(push("MIGRATING", 1, 15))
    pool = _pool(server, relaxed_timeout=-1)
    conn = await pool.get_connection()
    try:
        with pytest.raises(TimeoutError):
            await conn.execute(("GET", "k"), {})
        assert conn.maintenance_state is MaintenanceState.NONE
    finally:
        pool._release(conn)
        await pool.aclose()


def _interleaved(chunked: bool) -> Script:
    # Three replies with pushes between them, written whole or a byte at a time.
    stream = (
        b"$2\r\nv1\r\n"
        + push("MIGRATING", 7, 15)
        + b"$2\r\nv2\r\n"
        + push("message", "ch", "not for us")
        + push("MIGRATED", 7)
        + b"*2\r\n$1\r\na\r\n:3\r\n"
    )

    async def script(args: list[bytes], writer: asyncio.StreamWriter) -> None:
        if args[1] != b"k3":
            return  # answered together with the last GET
        if not chunked:
            writer.write(stream)
            return
        for i in range(len(stream)):
            writer.write(stream[i : i + 1])
            await writer.drain()

    return script


@pytest.mark.parametrize("chunked", [False, True], ids=["whole", "byte-by-byte"])
async def test_pushes_between_replies_do_not_corrupt_them(
    scripted: Callable[..., Awaitable[ScriptedServer]], chunked: bool
) -> None:
    server = await scripted()
    server.scripts[b"GET"] = _interleaved(chunked)
    seen: list[Any] = []
    for make in (Redis, redispy_asyncio.Redis):
        client = make(port=server.port, decode_responses=True)
        try:
            pipe = client.pipeline(transaction=False)
            for key in ("k1", "k2", "k3"):
                pipe.get(key)
            seen.append(await pipe.execute())
            conn = await client.connection_pool.get_connection()
            try:
                if make is Redis:
                    # MIGRATING then MIGRATED went to the maintenance handler.
                    assert conn.maintenance_state is MaintenanceState.NONE
                    assert conn.socket_timeout == conn.orig_socket_timeout
            finally:
                await client.connection_pool.release(conn)
        finally:
            await client.aclose()
    assert seen[0] == seen[1] == ["v1", "v2", ["a", 3]]


@pytest.mark.parametrize(
    "malformed",
    [
        push("MOVING", 1, 10),  # no endpoint
        push("MIGRATING", "x", 10),
        push("MOVING", 1, 10, "no-port-here"),
    ],
)
async def test_malformed_notifications_are_logged_and_dropped(
    scripted: Callable[..., Awaitable[ScriptedServer]],
    malformed: bytes,
    caplog: pytest.LogCaptureFixture,
) -> None:
    server = await scripted()
    server.scripts[b"GET"] = reply_after(malformed, delay=0)
    for make in (Redis, redispy_asyncio.Redis):
        client = make(port=server.port)
        try:
            with caplog.at_level(logging.ERROR):
                assert await client.get("k") == b"ok"
            assert await client.ping() is True
        finally:
            await client.aclose()
    ours = [r for r in caplog.records if r.name == "aio.redis"]
    assert ours and "malformed" in ours[0].getMessage()


async def _same_port_pair(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> tuple[ScriptedServer, ScriptedServer]:
    # MOVING keeps the port (redis-py does): the new node listens on ::1 with
    # the port of the old one on 127.0.0.1.
    for _ in range(20):
        new = await scripted("::1")
        with contextlib.suppress(OSError):
            return await scripted("127.0.0.1", new.port), new
        await new.stop()
    pytest.skip("no port free on both 127.0.0.1 and ::1")


async def test_moving_repoints_connections_and_returns_after_the_ttl(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    old, new = await _same_port_pair(scripted)
    ttl = 1
    old.scripts[b"GET"] = reply_after(
        push("MOVING", 1, ttl, f"::1:{new.port}"), delay=0, reply=b"$3\r\nold\r\n"
    )
    new.scripts[b"GET"] = reply_after(delay=0, reply=b"$3\r\nnew\r\n")
    pool = _pool(old)
    busy = await pool.get_connection()
    idle = await pool.get_connection()
    pool._release(idle)
    try:
        # The MOVING arrives on the busy connection, ahead of its reply.
        assert await busy.execute(("GET", "k"), {}) == b"old"
        assert pool.connection_kwargs["host"] == "::1"
        assert pool.connection_kwargs["port"] == old.port
        for conn in (busy, idle):
            assert conn.host == "::1"
            assert conn.maintenance_state is MaintenanceState.MOVING
            assert conn.socket_timeout == 5
        assert not idle.is_connected  # closed at once, reconnects on its use
        assert busy.is_connected and busy.should_reconnect()
        pool._release(busy)
        assert not busy.is_connected  # closed when given back
        # Every connection now reaches the new node.
        for _ in range(2):
            conn = await pool.get_connection()
            try:
                assert await conn.execute(("GET", "k"), {}) == b"new"
                assert conn.getpeername() == "::1"
            finally:
                pool._release(conn)
        assert new.connections >= 1 and new.sent(b"HELLO")
        # After the ttl the pool goes back to the configured address.
        for _ in range(200):
            if pool.connection_kwargs["host"] == "127.0.0.1":
                break
            await asyncio.sleep(0.05)
        kwargs = pool.connection_kwargs
        assert kwargs["host"] == "127.0.0.1"
        assert kwargs["maintenance_state"] is MaintenanceState.NONE
        assert kwargs["socket_timeout"] == 0.2
        for conn in (busy, idle):
            assert conn.host == "127.0.0.1"
            assert conn.maintenance_state is MaintenanceState.NONE
            assert conn.socket_timeout == 0.2
        await pool.disconnect()
        conn = await pool.get_connection()
        try:
            assert await conn.execute(("GET", "k"), {}) == b"old"
            assert conn.getpeername() == "127.0.0.1"
        finally:
            pool._release(conn)
    finally:
        await pool.aclose()


async def test_moving_on_a_client_reaches_the_new_node(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    old, new = await _same_port_pair(scripted)
    old.scripts[b"GET"] = reply_after(
        push("MOVING", 3, 30, f"::1:{new.port}"), delay=0, reply=b"$3\r\nold\r\n"
    )
    new.scripts[b"GET"] = reply_after(delay=0, reply=b"$3\r\nnew\r\n")
    client = Redis(host="127.0.0.1", port=old.port)
    pool = client.connection_pool
    try:
        assert await client.get("k") == b"old"
        assert await client.get("k") == b"new"
        assert await client.get("k") == b"new"
    finally:
        await client.aclose()
    # The return to the old node is still due (a client's aclose() disconnects
    # its pool, as redis-py's); closing the pool cancels it.
    handler = pool._maint_notifications_pool_handler
    assert handler is not None and len(handler._scheduled) == 1
    await pool.aclose()
    assert not handler._scheduled


async def test_moving_without_a_host_keeps_the_address(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()
    server.scripts[b"GET"] = reply_after(push("MOVING", 2, 30, None), delay=0)
    pool = _pool(server)
    conn = await pool.get_connection()
    try:
        assert await conn.execute(("GET", "k"), {}) == b"ok"
        assert conn.host == "127.0.0.1"
        assert conn.maintenance_state is MaintenanceState.MOVING
        assert conn.socket_timeout == 5
        # Reconnects come half-way through the ttl, not now.
        assert not conn.should_reconnect()
        assert pool.connection_kwargs["host"] == "127.0.0.1"
    finally:
        pool._release(conn)
        await pool.aclose()


async def test_pubsub_never_sees_notifications(
    scripted: Callable[..., Awaitable[ScriptedServer]],
) -> None:
    server = await scripted()

    async def subscribe(args: list[bytes], writer: asyncio.StreamWriter) -> None:
        writer.write(
            push("subscribe", "ch", 1)
            + push("MIGRATING", 9, 15)
            + push("message", "ch", "hello")
        )

    server.scripts[b"SUBSCRIBE"] = subscribe
    client = Redis(port=server.port, decode_responses=True)
    pubsub = client.pubsub()
    try:
        await pubsub.subscribe("ch")
        messages = []
        for _ in range(2):
            message = await pubsub.get_message(timeout=5)
            assert message is not None
            messages.append((message["type"], message["data"]))
        assert messages == [("subscribe", 1), ("message", "hello")]
        assert pubsub.connection is not None
        assert pubsub.connection.maintenance_state is MaintenanceState.MAINTENANCE
    finally:
        await pubsub.aclose()
        await client.aclose()


# -- the real server --------------------------------------------------------------------


async def test_real_redis_auto_works_and_true_raises(redis_url: str) -> None:
    # Redis 7.0 refuses CLIENT MAINT_NOTIFICATIONS: "auto" goes on, True fails,
    # for aio.redis as for redis-py.
    for make, module in ((Redis, None), (redispy_asyncio.Redis, oracle)):
        client = make.from_url(redis_url)
        try:
            assert await client.ping() is True
            assert client.connection_pool.maint_notifications_enabled() == "auto"
        finally:
            await client.aclose()
        config = (
            MaintNotificationsConfig(enabled=True)
            if module is None
            else module.MaintNotificationsConfig(enabled=True)
        )
        strict = make.from_url(redis_url, maint_notifications_config=config)
        try:
            with pytest.raises((ResponseError, redispy_exceptions.ResponseError)):
                await strict.ping()
        finally:
            await strict.aclose()
    off = Redis.from_url(redis_url, protocol=2)
    try:
        assert await off.ping() is True
        assert off.connection_pool.maint_notifications_enabled() is None
    finally:
        await off.aclose()


def test_docs_example(
    redis_url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.redis.test_docs_core import DOC, example

    monkeypatch.setenv("AIO_REDIS_URL", redis_url)
    exec(compile(example("maint"), str(DOC), "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == ["True auto", "True auto"]
