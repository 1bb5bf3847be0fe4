"""Faults: server killed mid-pipeline, timeouts, protocol garbage, stalled bulk
strings, retries, and pools that recover."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

import aio.errors
from aio.redis import (
    ConnectionError,
    ConnectionPool,
    InvalidResponse,
    Redis,
    Retry,
    TimeoutError,
)
from aio.redis._connection import Connection
from aio.redis.backoff import (
    ConstantBackoff,
    DecorrelatedJitterBackoff,
    EqualJitterBackoff,
    ExponentialBackoff,
    ExponentialWithJitterBackoff,
    FullJitterBackoff,
    NoBackoff,
)


async def test_server_killed_mid_pipeline_then_pool_recovers(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    # No retry policy: the error must surface at once (retries of a pipeline
    # under a policy: test_pipeline_retry.py).
    async with Redis(host=server.host, port=server.port, retry=None) as r:
        await r.set("k", "v")
        other = Redis(host=server.host, port=server.port)

        async def blocked_pipeline() -> list[Any]:
            async with r.pipeline(transaction=False) as pipe:
                pipe.set("a", 1).blpop("nothing", 0).get("a")
                return await pipe.execute()

        task = asyncio.create_task(blocked_pipeline())
        # Wait until the server reports the client blocked in BLPOP.
        for _ in range(500):
            info = await other.execute_command("INFO", "clients")
            if info.get("blocked_clients"):
                break
            await asyncio.sleep(0.005)
        await other.aclose()
        server.kill()
        with pytest.raises(ConnectionError) as info_exc:
            await task
        assert isinstance(info_exc.value, aio.errors.TransportError)
        assert r.connection_pool.in_use_count == 0
        with pytest.raises(ConnectionError):
            await r.get("k")  # down: a typed error, not a hang
        server.start()
        # The pool reconnects by itself (the data is gone: no persistence).
        assert await r.get("k") is None
        assert await r.set("k", "again")
        assert r.connection_pool.in_use_count == 0


async def test_command_timeout(private_redis_server: Any) -> None:
    server = private_redis_server("--enable-debug-command", "yes")
    async with Redis(
        host=server.host, port=server.port, socket_timeout=0.1, retry=None
    ) as r:
        await r.set("k", "v")
        with pytest.raises(TimeoutError) as info:
            await r.execute_command("DEBUG", "SLEEP", "0.5")
        assert isinstance(info.value, aio.errors.AioTimeoutError)
        assert isinstance(info.value, builtins_timeout())
        assert r.connection_pool.in_use_count == 0
        # The server is single-threaded: wait (without a timeout) until it is done.
        async with Redis(host=server.host, port=server.port) as patient:
            assert await patient.ping()
        # The timed-out connection was closed; the next command gets a fresh one
        # and its own reply, never the late DEBUG SLEEP "OK".
        assert await r.get("k") == b"v"
        # A blocking command's own timeout extends the read timeout.
        assert await r.blpop("empty", timeout=0.3) is None


def builtins_timeout() -> type[BaseException]:
    import builtins

    return builtins.TimeoutError


async def test_connect_timeout() -> None:
    # A listening socket that never accepts: the connect itself completes (backlog)
    # but the handshake (SELECT) gets no reply.
    import socket

    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        port = listener.getsockname()[1]
        r = Redis(
            host="127.0.0.1", port=port, db=1, socket_connect_timeout=0.1, retry=None
        )
        with pytest.raises(TimeoutError):
            await r.ping()
        assert r.connection_pool.in_use_count == 0
        await r.aclose()


async def test_stalled_huge_bulk_times_out_with_bounded_buffer(
    fake_server: Any,
) -> None:
    stalled = asyncio.Event()
    writers: list[asyncio.StreamWriter] = []

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        writers.append(writer)
        await reader.readuntil(b"GET\r\n")
        # Announce 100 MB, send 3 bytes, then go quiet.
        writer.write(b"$100000000\r\nabc")
        await writer.drain()
        stalled.set()
        await reader.read()  # until the client hangs up

    port = await fake_server(handler)
    conn = Connection(
        host="127.0.0.1", port=port, socket_timeout=0.3, protocol=2, driver_info=None
    )
    await conn.connect()
    future = conn.send_request(("GET", "k"), timeout=0.3)
    await stalled.wait()
    await asyncio.sleep(0.01)
    # Only what arrived is buffered: nothing is allocated for the announced length.
    assert 0 < conn._parser.buffered <= len(b"$100000000\r\nabc")
    with pytest.raises(TimeoutError):
        await future
    assert not conn.is_connected


async def test_oversized_bulk_is_invalid_response(fake_server: Any) -> None:
    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"GET\r\n")
        writer.write(b"$1000000000\r\nabc")
        await writer.drain()
        await reader.read()  # until the client hangs up

    port = await fake_server(handler)
    r = Redis(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    with pytest.raises(InvalidResponse) as info:
        await r.execute_command("GET", "k")
    assert isinstance(info.value, aio.errors.RemoteProtocolError)
    assert r.connection_pool.in_use_count == 0
    await r.aclose()


async def test_garbage_reply_closes_connection(fake_server: Any) -> None:
    replies = [b"?garbage\r\n", b"+PONG\r\n"]

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await reader.readuntil(b"PING\r\n")
        writer.write(replies.pop(0))
        await writer.drain()
        await reader.read()

    port = await fake_server(handler)
    r = Redis(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    with pytest.raises(InvalidResponse, match="invalid type byte"):
        await r.ping()
    # A fresh connection serves the next command.
    assert await r.ping() is True
    await r.aclose()


async def test_retry_reconnects_while_server_restarts(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    retry = Retry(ConstantBackoff(0.02), 100)
    async with Redis(host=server.host, port=server.port, retry=retry) as r:
        assert await r.set("k", "v")
        server.kill()
        timer = threading.Timer(0.15, server.start)
        timer.start()
        try:
            assert await r.ping() is True  # retried until the server is back
        finally:
            timer.join()
    no_retry = Redis(host=server.host, port=server.port, retry=None)
    server.kill()
    with pytest.raises(ConnectionError):
        await no_retry.ping()
    await no_retry.aclose()


async def test_retry_policy_unit() -> None:
    calls: list[int] = []
    failures: list[Exception] = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("down")
        return "ok"

    async def fail(error: Exception) -> None:
        failures.append(error)

    assert await Retry(NoBackoff(), 5).call_with_retry(flaky, fail) == "ok"
    assert len(calls) == 3 and len(failures) == 2
    calls.clear()
    with pytest.raises(ConnectionError):
        await Retry(NoBackoff(), 1).call_with_retry(flaky, fail)
    assert len(calls) == 2

    async def bad() -> None:
        raise ValueError("not retried")

    with pytest.raises(ValueError):
        await Retry(NoBackoff(), 5).call_with_retry(bad, fail)


@pytest.mark.parametrize(
    "backoff",
    [
        ConstantBackoff(0.1),
        NoBackoff(),
        ExponentialBackoff(cap=1, base=0.01),
        FullJitterBackoff(cap=1, base=0.01),
        EqualJitterBackoff(cap=1, base=0.01),
        ExponentialWithJitterBackoff(cap=1, base=0.01),
        DecorrelatedJitterBackoff(cap=1, base=0.01),
    ],
)
def test_backoffs_are_bounded(backoff: Any) -> None:
    backoff.reset()
    for failures in range(1, 100):
        assert 0 <= backoff.compute(failures) <= 1


async def test_pool_max_connections_error(redis_url: str) -> None:
    from aio.redis.exceptions import MaxConnectionsError

    pool = ConnectionPool.from_url(redis_url, max_connections=1)
    conn = await pool.get_connection()
    with pytest.raises(MaxConnectionsError):
        await pool.get_connection()
    await pool.release(conn)
    again = await pool.get_connection()
    assert again is conn
    await pool.release(again)
    await pool.aclose()
