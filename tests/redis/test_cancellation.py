"""Cancellation safety and pool behaviour under load.

A caller cancelled while its reply is outstanding must never make another caller
receive that reply, and no connection may leak from the pool.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import pytest

from aio.redis import BlockingConnectionPool, ConnectionError, ConnectionPool, Redis
from tests.plugins.fix_redis import DB

TASKS = 50
PER_TASK = 200  # 10,000 commands in all


def _value(seed: int) -> bytes:
    return f"value-{seed}".encode() * (1 + seed % 7)


async def _hammer(r: Redis, seed: int) -> tuple[int, int]:
    """Each task GETs its own key (a value distinct per task), cancelled at random."""
    rng = random.Random(seed)
    ok = cancelled = 0
    key = f"cancel:{seed}"
    expected = _value(seed)
    for i in range(PER_TASK):
        # Every tenth call has no deadline, so some calls succeed however slow the
        # machine is; the others are cancelled at a random point (or not at all).
        timeout = None if i % 10 == 9 else rng.uniform(0, 0.002)
        try:
            value = await asyncio.wait_for(r.get(key), timeout)
        except TimeoutError:
            cancelled += 1
            continue
        assert value == expected, f"task {seed} got someone else's reply: {value!r}"
        ok += 1
    return ok, cancelled


@pytest.mark.parametrize("mode", ["pool", "blocking-pool", "single-connection"])
async def test_random_cancellation_never_misdelivers(
    private_redis_server: Any, mode: str
) -> None:
    # A private server: other test runs sharing the service cannot flush our keys.
    redis_url = private_redis_server().url
    if mode == "blocking-pool":
        pool = BlockingConnectionPool.from_url(
            redis_url, max_connections=8, timeout=None
        )
    else:
        pool = ConnectionPool.from_url(redis_url)
    r = Redis(
        connection_pool=pool, single_connection_client=mode == "single-connection"
    )
    try:
        async with r:
            for seed in range(TASKS):
                await r.set(f"cancel:{seed}", _value(seed))
            results = await asyncio.gather(*(_hammer(r, seed) for seed in range(TASKS)))
            ok = sum(o for o, _ in results)
            cancelled = sum(c for _, c in results)
            assert ok + cancelled == TASKS * PER_TASK
            assert ok >= TASKS * PER_TASK // 10
            # Every connection came back (a cancelled one is closed, not leaked).
            assert pool.in_use_count == (1 if r.connection else 0)
            # And the client still answers correctly afterwards.
            for seed in range(TASKS):
                assert await r.get(f"cancel:{seed}") == _value(seed)
            await r.delete(*(f"cancel:{seed}" for seed in range(TASKS)))
    finally:
        # A pool passed in is not closed by the client (as in redis-py).
        await pool.aclose()


async def test_cancelled_pipeline_does_not_leak(r: Redis) -> None:
    async def run(size: int) -> Any:
        async with r.pipeline() as pipe:
            for i in range(size):
                pipe.set(f"c{i}", i)
            return await pipe.execute()

    # Cancelled before its replies can possibly have arrived.
    with pytest.raises(asyncio.TimeoutError):
        await asyncio.wait_for(run(20000), 0)
    # Cancelled at whatever point a short deadline falls: either outcome is fine,
    # but no reply may go astray and no connection may leak.
    for delay in (0.0002, 0.0005, 0.001, 0.002, 0.004):
        try:
            result = await asyncio.wait_for(run(2000), delay)
        except TimeoutError:
            continue
        assert result == [True] * 2000
    assert r.connection_pool.in_use_count == 0
    assert await r.set("after", 1) is True
    assert await r.get("after") == b"1"


async def test_pool_of_two_serves_1000_concurrent_gets(
    private_redis_server: Any,
) -> None:
    redis_url = private_redis_server().url
    pool = BlockingConnectionPool.from_url(redis_url, max_connections=2, timeout=None)
    try:
        async with Redis(connection_pool=pool) as r:
            await r.mset({f"g{i}": i for i in range(1000)})
            values = await asyncio.gather(*(r.get(f"g{i}") for i in range(1000)))
            assert values == [str(i).encode() for i in range(1000)]
            assert pool.in_use_count == 0
            assert pool.available_count <= 2
            await r.delete(*(f"g{i}" for i in range(1000)))
    finally:
        await pool.aclose()


async def test_blocking_pool_timeout_and_waiter_cancellation(redis_url: str) -> None:
    pool = BlockingConnectionPool.from_url(redis_url, max_connections=1, timeout=0.05)
    held = await pool.get_connection()
    with pytest.raises(ConnectionError, match="No connection available"):
        await pool.get_connection()
    # A waiter cancelled while waiting does not take the connection with it.
    waiter = asyncio.create_task(pool.get_connection())
    await asyncio.sleep(0)
    waiter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiter
    await pool.release(held)
    assert pool.in_use_count == 0
    again = await pool.get_connection()
    assert again is held
    # A waiter is served first come, first served when a connection is released.
    pool.timeout = None
    first = asyncio.create_task(pool.get_connection())
    await asyncio.sleep(0)
    await pool.release(again)
    conn = await first
    assert conn is held
    await pool.release(conn)
    assert pool.in_use_count == 0
    await pool.aclose()


async def test_connection_reused_when_clean(redis_url: str) -> None:
    async with Redis.from_url(redis_url) as r:
        for _ in range(10):
            await r.ping()
        assert r.connection_pool.available_count == 1
        info = await r.client_info()
        assert int(info["db"]) == DB
