"""Audit of issue 3, "Bad input and faults": the cases the existing fault tests
leave out.

- The server killed while a MULTI/EXEC transaction (and a 1,000-command pipeline)
  is held unanswered by the server (``CLIENT PAUSE WRITE``): a typed error, no
  connection left in use, and the pool serves again once the server is back.
- Streams across a dropped connection: entries added while the consumer is
  disconnected, and entries delivered but not acknowledged, are all read after
  the reconnect (nothing the server still holds is lost); with a ``Retry`` the
  blocked XREADGROUP is re-issued by itself.
- Random cancellation leaks no *socket*: the server's count of connected clients
  matches the pool's connections (not only the pool's bookkeeping).
- Pipelines cancelled at random points from many tasks never get another task's
  replies.
- A stalled huge bulk string through the full client: a typed timeout, and the
  next command gets its own reply on a fresh connection.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import aio.errors
from aio.redis import (
    BlockingConnectionPool,
    ConnectionError,
    NoBackoff,
    Redis,
    Retry,
)
from aio.redis import TimeoutError as RedisTimeoutError


async def _until(check: Callable[[], Awaitable[bool]], what: str) -> None:
    """Poll the server's state (bounded) until ``check()`` holds."""
    for _ in range(1000):
        if await check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError(f"never happened: {what}")


async def _blocked_clients(admin: Redis, count: int) -> None:
    async def check() -> bool:
        info = await admin.info("clients")
        return int(info["blocked_clients"]) == count

    await _until(check, f"{count} blocked client(s)")


# -- the server killed mid-transaction / mid-pipeline ----------------------------


@pytest.mark.parametrize("transaction", [True, False])
async def test_server_killed_while_a_pipeline_is_held(
    private_redis_server: Any, transaction: bool
) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port) as r:
        admin = Redis(host=server.host, port=server.port)
        await r.set("n", 0)
        await admin.execute_command("CLIENT PAUSE", 10000, "WRITE")

        async def run() -> list[Any]:
            pipe: Any
            async with r.pipeline(transaction=transaction) as pipe:
                for _ in range(1000):
                    pipe.incr("n")
                result: list[Any] = await pipe.execute()
                return result

        task = asyncio.ensure_future(run())
        # The server holds the (first) write: our client waits for replies.
        await _blocked_clients(admin, 1)
        await admin.aclose()
        server.kill()
        with pytest.raises(ConnectionError) as info:
            await task
        assert isinstance(info.value, aio.errors.TransportError)
        assert r.connection_pool.in_use_count == 0
        server.start()
        # The pool reconnects by itself; a new pipeline runs whole.
        pipe: Any
        async with r.pipeline(transaction=transaction) as pipe:
            assert await pipe.incr("n").incr("n").execute() == [1, 2]
        assert await r.get("n") == b"2"
        assert r.connection_pool.in_use_count == 0


# -- streams across a dropped connection -----------------------------------------


async def _kill_blocked_consumer(admin: Redis) -> int:
    """CLIENT KILL the connection blocked in XREADGROUP; return its id."""
    clients = await admin.client_list()
    (victim,) = [c for c in clients if c["cmd"] == "xreadgroup"]
    assert await admin.execute_command("CLIENT KILL", "ID", victim["id"]) in (1, True)
    return int(victim["id"])


async def test_stream_entries_survive_a_dropped_consumer(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    async with (
        Redis(host=server.host, port=server.port) as admin,
        # retry=None: the default policy would re-issue the read (see below).
        Redis(host=server.host, port=server.port, retry=None) as consumer,
    ):
        await admin.xgroup_create("s", "g", id="$", mkstream=True)
        read = asyncio.ensure_future(
            consumer.xreadgroup("g", "c1", {"s": ">"}, block=10000)
        )
        await _blocked_clients(admin, 1)
        await _kill_blocked_consumer(admin)
        with pytest.raises(ConnectionError):
            await read
        assert consumer.connection_pool.in_use_count == 0
        # Entries added while the consumer is away.
        ids = [await admin.xadd("s", {"n": str(i)}) for i in range(3)]
        got = await consumer.xreadgroup("g", "c1", {"s": ">"}, count=10)
        assert [entry_id for entry_id, _ in got[0][1]] == ids
        assert [fields for _, fields in got[0][1]] == [
            {b"n": str(i).encode()} for i in range(3)
        ]
        # Delivered but not acknowledged: the connection drops again, and the
        # pending entries are still the server's to hand back.
        await _kill_blocked_consumer_by_name(admin, consumer)
        pending = await consumer.xreadgroup("g", "c1", {"s": "0"})
        assert [entry_id for entry_id, _ in pending[0][1]] == ids
        assert await consumer.xack("s", "g", *ids) == 3
        assert (await consumer.xreadgroup("g", "c1", {"s": "0"}))[0][1] == []
        # A plain XREAD from the last id seen also misses nothing.
        more = [await admin.xadd("s", {"n": "late"}) for _ in range(2)]
        since = await consumer.xread({"s": ids[-1]})
        assert [entry_id for entry_id, _ in since[0][1]] == more


async def _kill_blocked_consumer_by_name(admin: Redis, consumer: Redis) -> None:
    # Not blocked this time: find the consumer's (idle) connection by its id.
    consumer_id = await consumer.client_id()
    assert await admin.execute_command("CLIENT KILL", "ID", consumer_id) in (1, True)


async def test_blocked_xreadgroup_is_reissued_with_retry(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    async with (
        Redis(host=server.host, port=server.port) as admin,
        Redis(host=server.host, port=server.port, retry=Retry(NoBackoff(), 3)) as c,
    ):
        await admin.xgroup_create("s", "g", id="$", mkstream=True)
        read = asyncio.ensure_future(c.xreadgroup("g", "c1", {"s": ">"}, block=0))
        await _blocked_clients(admin, 1)
        first = await _kill_blocked_consumer(admin)

        async def blocked_again() -> bool:
            clients = await admin.client_list()
            return any(
                c["cmd"] == "xreadgroup" and int(c["id"]) != first for c in clients
            )

        await _until(blocked_again, "XREADGROUP re-issued on a new connection")
        entry = await admin.xadd("s", {"k": "v"})
        got = await read
        assert got == [[b"s", [(entry, {b"k": b"v"})]]]
        assert c.connection_pool.in_use_count == 0


# -- cancellation leaks no socket -------------------------------------------------


async def test_random_cancellation_leaks_no_socket(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with (
        Redis(host=server.host, port=server.port) as admin,
        Redis(host=server.host, port=server.port) as r,
    ):
        for seed in range(20):
            await r.set(f"k{seed}", seed)

        async def hammer(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(100):
                try:
                    value = await asyncio.wait_for(
                        r.get(f"k{seed}"), rng.uniform(0, 0.002)
                    )
                except TimeoutError:  # the builtin, from wait_for
                    continue
                assert value == str(seed).encode()

        await asyncio.gather(*(hammer(seed) for seed in range(20)))
        # On a loaded machine every hammered GET may have been cancelled (and
        # every connection closed); one that completes must leave its
        # connection open in the pool, which the check below counts.
        assert await r.get("k0") == b"0"
        pool = r.connection_pool
        assert pool.in_use_count == 0

        seen: list[tuple[int, int]] = []

        async def sockets_match() -> bool:
            # Every socket the server still has is the admin's or an open one the
            # pool holds (the pool may also keep closed Connection objects, as
            # redis-py's does): cancelled connections were closed, not dropped
            # and left open.
            clients = int((await admin.info("clients"))["connected_clients"])
            open_ = sum(1 for conn in pool._available if conn.is_connected)
            seen.append((clients, open_))
            return clients == 1 + open_

        await _until(sockets_match, "server's clients == pool's open connections + 1")
        assert pool.available_count <= 20
        assert seen[-1][1] >= 1


async def test_cancelled_pipelines_never_misdeliver(private_redis_server: Any) -> None:
    server = private_redis_server()
    pool = BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=4, timeout=None
    )
    async with Redis(connection_pool=pool) as r:
        for seed in range(25):
            await r.set(f"p{seed}", f"v{seed}" * (1 + seed))

        async def hammer(seed: int) -> int:
            rng = random.Random(seed)
            ok = 0
            value = f"v{seed}".encode() * (1 + seed)
            expected: list[Any] = [value, value, value, len(value)]
            for i in range(40):
                pipe: Any
                async with r.pipeline(transaction=i % 2 == 0) as pipe:
                    pipe.get(f"p{seed}").get(f"p{seed}").get(f"p{seed}")
                    pipe.strlen(f"p{seed}")
                    timeout = None if i % 8 == 7 else rng.uniform(0, 0.003)
                    try:
                        result = await asyncio.wait_for(pipe.execute(), timeout)
                    except TimeoutError:  # the builtin, from wait_for
                        continue
                assert result == expected, f"task {seed} got {result!r}"
                ok += 1
            return ok

        results = await asyncio.gather(*(hammer(seed) for seed in range(25)))
        assert sum(results) >= 25 * 5  # the calls without a deadline
        assert pool.in_use_count == 0
    await pool.aclose()


# -- a stalled huge bulk through the full client ----------------------------------


async def test_stalled_huge_bulk_through_the_client() -> None:
    got_second = asyncio.Event()

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        try:
            while line := await reader.readline():
                if b"GET" in line.upper():
                    await reader.readline()  # $len
                    key = (await reader.readline()).strip()
                    if key == b"stall":
                        # Announce 100 MB, send 5 bytes, then nothing.
                        writer.write(b"$100000000\r\nhello")
                    else:
                        writer.write(b"$2\r\nok\r\n")
                        got_second.set()
                    await writer.drain()
        finally:
            writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    try:
        async with Redis(  # a scripted RESP2 server: no HELLO
            host="127.0.0.1",
            port=port,
            socket_timeout=0.2,
            retry=None,
            protocol=2,
            driver_info=None,
        ) as r:
            with pytest.raises(RedisTimeoutError) as info:
                await r.get("stall")
            assert isinstance(info.value, aio.errors.AioTimeoutError)
            assert r.connection_pool.in_use_count == 0
            # The stalled connection is gone; the next GET has its own reply.
            assert await r.get("other") == b"ok"
            assert got_second.is_set()
    finally:
        server.close()
        await server.wait_closed()
