"""The client core after the issue-3 audit: cleanup under cancel scopes, redis-py's
EMPTY_RESPONSE, and redis-py 8's default retry policy.

redis-py (the installed 8.1) is the oracle where a behaviour is compared.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import redis.asyncio as redispy
import redis.backoff as redispy_backoff

from aio.redis import (
    BlockingConnectionPool,
    ConnectionError,
    ConnectionPool,
    Redis,
    ResponseError,
    TimeoutError,
)
from aio.redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from aio.redis.retry import Retry
from tests.plugins.fix_services import require_service

DB = 12


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Redis, Any]]:
    host, port = require_service("redis")
    ours = Redis(host=host, port=port, db=DB, decode_responses=True)
    theirs = redispy.Redis(host=host, port=port, db=DB, decode_responses=True)
    try:
        yield ours, theirs
    finally:
        await ours.aclose()
        await theirs.aclose()


def _one_connection(server: Any) -> tuple[BlockingConnectionPool, Redis]:
    pool = BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.5
    )
    return pool, Redis(connection_pool=pool)


# -- EMPTY_RESPONSE ---------------------------------------------------------------


async def test_mget_of_no_keys_everywhere(pair: tuple[Redis, Any]) -> None:
    ours, theirs = pair
    await ours.set("e:k", "v")
    for client in (theirs, ours):
        assert await client.mget([]) == []
        for transaction in (True, False):
            pipe: Any
            async with client.pipeline(transaction=transaction) as pipe:
                got = await pipe.mget([]).get("e:k").mget([]).execute()
                assert got == [[], "v", []]
        async with client.pipeline() as pipe:
            assert await pipe.mget([]).execute() == [[]]
        # Immediate mode (after WATCH) and then the transaction block.
        async with client.pipeline() as pipe:
            await pipe.watch("e:k")
            assert await pipe.mget([]) == []
            pipe.multi()
            pipe.mget([])
            pipe.get("e:k")
            assert await pipe.execute() == [[], "v"]


async def test_explicit_empty_response_option(pair: tuple[Redis, Any]) -> None:
    ours, theirs = pair
    await ours.set("e:n", "not a list")
    for client in (theirs, ours):
        # An error reply becomes the given value; a normal reply stays itself.
        got = await client.execute_command("LLEN", "e:n", EMPTY_RESPONSE=-1)
        assert got == -1
        assert await client.execute_command("GET", "e:n", EMPTY_RESPONSE=0) == (
            "not a list"
        )
        pipe: Any
        async with client.pipeline(transaction=False) as pipe:
            pipe.execute_command("LLEN", "e:n", EMPTY_RESPONSE=-1)
            pipe.execute_command("GET", "e:n")
            assert await pipe.execute() == [-1, "not a list"]
    # Other errors are untouched.
    with pytest.raises(ResponseError):
        await ours.execute_command("LLEN", "e:n")


# -- default retry ---------------------------------------------------------------


def _policy(retry: Any) -> tuple[int, str, float, float, set[str]] | None:
    if retry is None or retry.get_retries() == 0:
        return None
    backoff = retry._backoff
    return (
        retry.get_retries(),
        type(backoff).__name__,
        backoff._base,
        backoff._cap,
        {e.__name__ for e in retry._supported_errors},
    )


async def test_default_retry_policy_is_redis_py_8s() -> None:
    theirs = redispy.Redis()
    ours = Redis()
    assert _policy(ours.get_retry()) == _policy(theirs.get_retry())
    assert _policy(ours.get_retry()) == (
        10,
        "ExponentialWithJitterBackoff",
        0.01,
        1.0,
        {"ConnectionError", "TimeoutError"},
    )
    # No default policy: retry=None, a given pool, from_url (as redis-py).
    assert ours.connection_pool.connection_kwargs["retry"] is ours.get_retry()
    assert Redis(retry=None).get_retry() is None
    assert Redis(connection_pool=ConnectionPool()).get_retry() is None
    assert Redis.from_url("redis://localhost").get_retry() is None
    assert _policy(redispy.Redis(retry=None).get_retry()) is None
    assert _policy(redispy.Redis.from_url("redis://localhost").get_retry()) is None
    # retry_on_timeout on the client is ignored, as redis-py 8 ignores it (see
    # tests/redis/test_retry_on_timeout.py): no policy appears. It warns, as
    # redis-py's (tests/redis/test_parity_fixes_client.py).
    with pytest.warns(DeprecationWarning, match="retry_on_timeout"):
        unretried = Redis(retry=None, retry_on_timeout=True)
    assert unretried.get_retry() is None
    for client in (ours, theirs):
        await client.aclose()


def test_exponential_with_jitter_matches_redis_py() -> None:
    ours = ExponentialWithJitterBackoff(cap=1, base=0.01)
    theirs = redispy_backoff.ExponentialWithJitterBackoff(cap=1, base=0.01)
    for failures in range(1, 40):
        random.seed(failures)
        expected = theirs.compute(failures)
        random.seed(failures)
        assert ours.compute(failures) == pytest.approx(expected)


async def test_default_retry_reconnects_to_a_flaky_server() -> None:
    # The first three connections are dropped at once; the fourth answers.
    accepted = 0

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        nonlocal accepted
        accepted += 1
        if accepted > 3:
            while await reader.readuntil(b"PING\r\n"):
                writer.write(b"+PONG\r\n")
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    try:
        async with Redis(
            host="127.0.0.1", port=port, protocol=2, driver_info=None
        ) as r:
            assert await r.ping() is True
        assert accepted == 4
        accepted = 0
        async with Redis(
            host="127.0.0.1", port=port, retry=None, protocol=2, driver_info=None
        ) as r:
            with pytest.raises(ConnectionError):
                await r.ping()
        assert accepted == 1
        # A policy of its own is honoured (and counted like redis-py's).
        accepted = 0
        retry = Retry(NoBackoff(), 1)
        async with Redis(
            host="127.0.0.1", port=port, retry=retry, protocol=2, driver_info=None
        ) as r:
            with pytest.raises(ConnectionError):
                await r.ping()
        assert accepted == 2
    finally:
        server.close()
        await server.wait_closed()


async def test_default_retry_does_not_hide_a_timeout_forever() -> None:
    # A server that never answers: every attempt times out; the error comes out
    # after the retries (the caller's own deadline is the way to bound that).
    connections = 0

    async def handler(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        nonlocal connections
        connections += 1
        await reader.read()
        writer.close()

    server = await asyncio.start_server(handler, "127.0.0.1", 0)
    port = int(server.sockets[0].getsockname()[1])
    retry = Retry(NoBackoff(), 2)
    try:
        async with Redis(
            host="127.0.0.1", port=port, socket_timeout=0.05, retry=retry
        ) as r:
            with pytest.raises(TimeoutError):
                await r.get("k")
        assert connections == 3
    finally:
        server.close()
        await server.wait_closed()


# -- cleanup under anyio cancel scopes --------------------------------------------


async def test_watch_then_execute_cancelled_by_a_scope(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    pool, r = _one_connection(server)
    try:
        with anyio.CancelScope() as scope:
            pipe: Any
            async with r.pipeline() as pipe:
                await pipe.watch("k")
                pipe.multi()
                pipe.set("k", "v")
                scope.cancel()
                await pipe.execute()
        assert scope.cancelled_caught
        assert pool.in_use_count == 0
        # The connection that held WATCH was closed, not reused: a fresh one
        # has no watched key, so this transaction is not aborted.
        async with r.pipeline() as pipe:
            assert await pipe.set("k", "w").execute() == [True]
        assert await r.get("k") == b"w"
    finally:
        await r.aclose()
        await pool.aclose()


async def test_watch_block_cancelled_by_a_task_cancel(
    private_redis_server: Any,
) -> None:
    # asyncio cancellation is edge-triggered: the UNWATCH in cleanup completes
    # and the connection goes back to the pool in a clean state.
    server = private_redis_server()
    pool, r = _one_connection(server)
    entered = asyncio.Event()

    async def body() -> None:
        pipe: Any
        async with r.pipeline() as pipe:
            await pipe.watch("k")
            entered.set()
            await asyncio.Event().wait()

    try:
        task = asyncio.ensure_future(body())
        await entered.wait()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert pool.in_use_count == 0
        assert await r.set("k", "v")
    finally:
        await r.aclose()
        await pool.aclose()


async def test_lock_and_script_cancelled_by_a_scope(private_redis_server: Any) -> None:
    server = private_redis_server()
    pool, r = _one_connection(server)
    try:
        with anyio.CancelScope() as scope:
            async with r.lock("l", timeout=5):
                scope.cancel()
                await anyio.sleep(0)
        assert pool.in_use_count == 0
        script = r.register_script("return 1")
        await r.script_flush()
        with anyio.CancelScope() as scope:
            scope.cancel()
            await script()
        assert pool.in_use_count == 0
        assert await script() == 1
    finally:
        await r.aclose()
        await pool.aclose()


# -- large values (in-place receive, direct write) -----------------------------------


async def _large_values(host: str, port: int) -> None:
    async with Redis(host=host, port=port, db=DB) as r:
        values = [
            bytes(range(256)) * 4096,  # 1 MiB
            b"b" * (3 << 20 | 5),  # odd size, reuses then outgrows the buffer
            b"c" * 70_000,
            b"d" * (9 << 20),  # above the in-place limit: collected in chunks
        ]
        got = []
        for i, value in enumerate(values):
            assert await r.set(f"big:{i}", value)
            got.append(await r.get(f"big:{i}"))
        # Each reply is its own bytes, untouched by the later receives.
        assert got == values
        assert all(type(g) is bytes for g in got)
        pipe: Any
        async with r.pipeline(transaction=False) as pipe:
            for i in range(len(values)):
                pipe.get(f"big:{i}")
            pipe.set("big:after", "ok").get("big:after")
            assert await pipe.execute() == [*values, True, b"ok"]
        assert await r.mget(["big:0", "big:2"]) == [values[0], values[2]]
        await r.delete(*(f"big:{i}" for i in range(len(values))), "big:after")


async def test_large_values_round_trip_on_asyncio() -> None:
    await _large_values(*require_service("redis"))


def test_large_values_round_trip_on_uvloop() -> None:
    uvloop = pytest.importorskip("uvloop")
    uvloop.run(_large_values(*require_service("redis")))
