"""Large replies on one connection: received in place, cancelled half-way, announced
but never sent.

A bulk body of 64 KiB to 8 MiB is received straight into the reply (see
``RESPParser.body_buffer``). These tests drive that path through a real socket
from scripted servers: a reply cut at arbitrary points, a caller cancelled while
its megabyte is half received (the rest must not reach the next caller), and a
length announced as 512 MiB that never arrives (a timeout, and no allocation of
the announced size).
"""

from __future__ import annotations

import asyncio
import random
import tracemalloc
from typing import Any

import pytest

from aio.redis import Connection, Redis
from aio.redis import TimeoutError as RedisTimeoutError
from tests.redis.test_connection import read_commands

MIB = 1 << 20


def _bulk(value: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(value), value)


async def _eventually(check: Any, what: str) -> None:
    """Wait (bounded) until ``check()`` is true: the client has read that far."""
    for _ in range(2000):
        if check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


@pytest.mark.parametrize("decode", [False, True])
async def test_a_large_reply_cut_at_random_points(
    fake_server: Any, decode: bool
) -> None:
    rng = random.Random(7)
    value = bytes(rng.randrange(97, 123) for _ in range(256)) * (MIB // 256) + b"end"
    wire = _bulk(value) + _bulk(b"small") + _bulk(value)

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 3)
        pos = 0
        while pos < len(wire):
            # Pieces from 1 byte to 300 KB, each flushed: the client sees the
            # header, the body and the CRLF split everywhere.
            step = rng.choice((1, 2, 7, 4096, 65_536, 300_000))
            writer.write(wire[pos : pos + step])
            await writer.drain()
            pos += step
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(
        host="127.0.0.1",
        port=port,
        protocol=2,
        driver_info=None,
        decode_responses=decode,
    )
    await conn.connect()
    futures = [conn.send_request(("GET", key)) for key in ("a", "b", "c")]
    first, small, second = await asyncio.gather(*futures)
    expected = value.decode() if decode else value
    assert first == expected and second == expected
    assert small == ("small" if decode else b"small")
    assert type(first) is (str if decode else bytes)
    # Two replies received in place are distinct, intact objects.
    assert first is not second
    assert hash(first) == hash(expected)
    await conn.disconnect()


async def test_cancelled_mid_body_the_rest_never_reaches_the_next_caller(
    fake_server: Any,
) -> None:
    value = b"v" * (3 * MIB)
    half_sent = asyncio.Event()
    go_on = asyncio.Event()

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 1)
        wire = _bulk(value)
        writer.write(wire[: MIB + 17])
        await writer.drain()
        half_sent.set()
        await go_on.wait()
        writer.write(wire[MIB + 17 :])
        await writer.drain()
        await read_commands(reader, 1)
        writer.write(_bulk(b"mine"))
        await writer.drain()
        await reader.read()

    port = await fake_server(handler)
    conn = Connection(host="127.0.0.1", port=port, protocol=2, driver_info=None)
    await conn.connect()
    task = asyncio.ensure_future(conn.execute(("GET", "big"), {}))
    await half_sent.wait()
    # The client holds part of the body (received in place) when it is cancelled.
    await _eventually(lambda: conn._parser.buffered > MIB, "a megabyte received")
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    go_on.set()
    # The same connection: the old reply is read and dropped, this one is ours.
    assert await conn.execute(("GET", "small"), {}) == b"mine"
    assert conn.pending_replies == 0
    await conn.disconnect()


async def test_cancelled_large_gets_never_misdeliver_on_a_real_server(
    redis_url: str,
) -> None:
    rng = random.Random(11)
    big = bytes(range(256)) * (4 * MIB // 256)
    async with Redis.from_url(redis_url, single_connection_client=True) as r:
        await r.set("large:big", big)
        await r.set("large:small", b"small")
        outcomes = {"ok": 0, "cancelled": 0}
        for _ in range(30):
            try:
                got = await asyncio.wait_for(r.get("large:big"), rng.uniform(0, 0.004))
            except TimeoutError:
                outcomes["cancelled"] += 1
            else:
                assert got == big
                outcomes["ok"] += 1
            # Whatever happened to the big GET, the next reply is this command's.
            assert await r.get("large:small") == b"small"
        assert sum(outcomes.values()) == 30
        await r.delete("large:big", "large:small")


@pytest.mark.parametrize("announced", [512 * MIB, 100 * MIB, 6 * MIB])
async def test_an_announced_body_that_never_comes_times_out_without_allocating_it(
    fake_server: Any, announced: int
) -> None:
    sent = 200_000

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        await read_commands(reader, 1)
        writer.write(b"$%d\r\n" % announced + b"x" * sent)
        await writer.drain()
        await reader.read()  # and never the rest

    port = await fake_server(handler)
    conn = Connection(
        host="127.0.0.1", port=port, protocol=2, driver_info=None, socket_timeout=0.3
    )
    await conn.connect()
    tracemalloc.start()
    try:
        with pytest.raises(RedisTimeoutError):
            await conn.execute(("GET", "k"), {})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # Up to 8 MiB is allocated at once for a body received in place; beyond that
    # only what arrives is held. Never the announced length.
    assert peak < min(announced, 8 * MIB) + 4 * MIB
    assert not conn.is_connected  # the stream position is lost: closed
