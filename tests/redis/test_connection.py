"""The connection on its own: reply FIFO, per-request decoding, pushes, the
send_command/read_response API, connection loss and write flow control."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

import aio
from aio.proto.resp import Push, encode_reply
from aio.redis import (
    Connection,
    ConnectionError,
    Redis,
    ResponseError,
    TimeoutError,
)
from aio.redis.driver_info import DriverInfo
from aio.redis.exceptions import ExecAbortError, NoScriptError

Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]


async def read_commands(reader: asyncio.StreamReader, count: int) -> list[list[bytes]]:
    """Read ``count`` RESP commands (arrays of bulk strings) from the client."""
    from aio.proto.resp import NEED_DATA, RESPParser

    parser = RESPParser()
    out: list[list[bytes]] = []
    while len(out) < count:
        reply = parser.gets()
        if reply is NEED_DATA:
            data = await reader.read(65536)
            if not data:
                break
            parser.feed(data)
            continue
        assert isinstance(reply, list)
        out.append(reply)
    return out


async def test_replies_resolve_in_order_and_pushes_are_diverted(
    fake_server: Any,
) -> None:
    pushes: list[Any] = []

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        commands = await read_commands(reader, 3)
        assert [c[0] for c in commands] == [b"GET", b"GET", b"GET"]
        # A push arrives between replies; then the replies, byte by byte.
        wire = (
            encode_reply(Push([b"invalidate", [b"k"]]))
            + encode_reply(b"one")
            + encode_reply(b"two")
            + encode_reply(b"three")
        )
        for i in range(len(wire)):
            writer.write(wire[i : i + 1])
            await writer.drain()
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(
        host="127.0.0.1", port=port, decode_responses=True, protocol=2, driver_info=None
    )
    conn.push_handler = pushes.append
    await conn.connect()
    first = conn.send_request(("GET", "a"))
    second = conn.send_request(("GET", "b"), decode=False)
    third = conn.send_request(("GET", "c"))
    assert await asyncio.gather(first, second, third) == ["one", b"two", "three"]
    assert pushes == [["invalidate", ["k"]]]  # decoded like the replies
    await conn.disconnect()


async def test_push_without_handler_is_dropped(fake_server: Any) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 1)
        writer.write(
            encode_reply(Push([b"message", b"c", b"x"])) + encode_reply(b"PONG")
        )
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    assert await conn.send_request(("PING",)) == b"PONG"
    await conn.disconnect()


async def test_errors_are_raised_top_level_and_values_in_pipelines(
    fake_server: Any,
) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 1)
        writer.write(b"-NOSCRIPT No matching script\r\n")
        await read_commands(reader, 3)
        writer.write(
            b"+OK\r\n*2\r\n:1\r\n-ERR inside\r\n-EXECABORT Transaction discarded\r\n"
        )
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    with pytest.raises(NoScriptError, match="No matching script"):
        await conn.send_request(("EVALSHA", "x", 0))
    replies = await conn.send_requests([("MULTI",), ("EXEC",), ("EXEC",)])
    assert replies[0] == b"OK"
    assert replies[1][0] == 1 and isinstance(replies[1][1], ResponseError)
    assert isinstance(replies[2], ExecAbortError)
    await conn.disconnect()


async def test_send_command_read_response(fake_server: Any) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 2)
        writer.write(b"+first\r\n+second\r\n")
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.send_command("ECHO", "first")  # connects on demand
    await conn.send_command("ECHO", "second")
    assert await conn.read_response() == b"first"
    assert await conn.read_response() == b"second"
    with pytest.raises(ConnectionError):
        await conn.read_response()
    await conn.disconnect()


async def test_read_response_timeout(fake_server: Any) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.read()  # never answers

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.send_command("PING")
    with pytest.raises(TimeoutError):
        await conn.read_response(timeout=0.05)
    assert not conn.is_connected


async def test_connection_loss_fails_every_waiter(fake_server: Any) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 3)
        writer.write(b"+only-one\r\n")
        await writer.drain()
        writer.close()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    futures = [conn.send_request(("PING",)) for _ in range(3)]
    assert await futures[0] == b"only-one"
    for future in futures[1:]:
        with pytest.raises(ConnectionError, match="closed by server"):
            await future
    assert conn.pending_replies == 0
    assert not conn.is_connected
    with pytest.raises(ConnectionError):
        conn.send_request(("PING",))


async def test_write_flow_control(fake_server: Any) -> None:
    release = asyncio.Event()
    count = 2000
    value = b"v" * 10000  # 20 MB: more than the kernel's socket buffers hold

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await release.wait()  # let the client's write buffer fill up first
        await read_commands(reader, count)
        writer.write(b"+OK\r\n" * count)
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    transport = conn._transport
    assert transport is not None
    transport.set_write_buffer_limits(high=16384)
    future = conn.send_requests([("SET", f"k{i}", value) for i in range(count)])
    drained = asyncio.ensure_future(conn.drain())
    await asyncio.sleep(0)
    assert conn._protocol is not None and conn._protocol.paused
    assert not drained.done()
    release.set()
    await drained
    assert await future == [b"OK"] * count
    await conn.disconnect()


async def test_handshake_is_one_round_trip(fake_server: Any) -> None:
    seen: list[list[list[bytes]]] = []

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        seen.append(await read_commands(reader, 5))
        # Redis before 7.2 refuses CLIENT SETINFO: the connection goes on.
        refused = b"-ERR unknown subcommand 'SETINFO'.\r\n"
        writer.write(b"+OK\r\n+OK\r\n" + refused * 2 + b"+OK\r\n")
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(
        host="127.0.0.1", port=port, password="pw", client_name="me", db=3, protocol=2
    )
    await conn.connect()
    # In redis-py's order, CLIENT SETINFO after SETNAME and before SELECT.
    assert seen == [
        [
            [b"AUTH", b"pw"],
            [b"CLIENT", b"SETNAME", b"me"],
            [b"CLIENT", b"SETINFO", b"LIB-NAME", b"aio-redis"],
            [b"CLIENT", b"SETINFO", b"LIB-VER", aio.__version__.encode()],
            [b"SELECT", b"3"],
        ]
    ]
    assert conn.is_connected
    await conn.disconnect()


async def test_hello3_folds_auth_and_setname(fake_server: Any) -> None:
    seen: list[list[list[bytes]]] = []

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        seen.append(await read_commands(reader, 3))
        writer.write(encode_reply({b"server": b"redis", b"proto": 3}))
        writer.write(b"+OK\r\n+OK\r\n")
        await reader.read()

    port = await fake_server(handler)
    info = DriverInfo(lib_version="9.9").add_upstream_driver("django-redis", "5.4.0")
    conn = Connection(
        host="127.0.0.1",
        port=port,
        username="u",
        password="pw",
        client_name="me",
        protocol=3,
        driver_info=info,
    )
    await conn.connect()
    assert seen == [
        [
            [b"HELLO", b"3", b"AUTH", b"u", b"pw", b"SETNAME", b"me"],
            [b"CLIENT", b"SETINFO", b"LIB-NAME", b"aio-redis(django-redis_v5.4.0)"],
            [b"CLIENT", b"SETINFO", b"LIB-VER", b"9.9"],
        ]
    ]
    await conn.disconnect()


async def test_command_reconnects_when_server_close_is_not_yet_reported(
    redis_url: str,
) -> None:
    # The server's close (CLIENT KILL, a restart) is read by the transport,
    # which closes, but the loss reaches the connection one loop iteration
    # later: a command sent in between must get a new connection, even with
    # no retry policy (redis-py's pool would find the socket readable, EOF,
    # and reconnect before handing it out).
    r = Redis.from_url(redis_url, retry=None)
    try:
        assert await r.set("closing", "v")
        [conn] = list(r.connection_pool._available)
        transport = conn._transport
        assert transport is not None
        transport.close()  # closing; connection_lost comes on a later iteration
        assert await r.get("closing") == b"v"
        assert conn._transport is not transport and conn.is_connected
    finally:
        await r.delete("closing")
        await r.aclose()


async def test_connect_over_a_closing_transport_fails_its_waiters(
    redis_url: str,
) -> None:
    # connect() on a transport that is closing but whose loss is not yet
    # reported replaces it; a reply awaited on the old one must fail (the loss
    # is reported while the new transport opens), not be dropped with the old
    # transport and waited for for ever.
    r = Redis.from_url(redis_url, retry=None)
    try:
        await r.ping()
        [conn] = list(r.connection_pool._available)
        old = conn._transport
        assert old is not None
        waiter = conn.send_request(("BLPOP", "never-pushed", 0))
        old.close()
        await conn.connect()
        assert waiter.done()
        with pytest.raises(ConnectionError):
            waiter.result()
        assert conn.is_connected and conn._transport is not old
        assert await conn.execute(("PING",), {}) == b"PONG"
    finally:
        await r.aclose()
