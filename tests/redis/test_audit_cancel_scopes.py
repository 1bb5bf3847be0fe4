"""Audit of issue 3's cancellation clause under anyio cancel scopes.

The existing cancellation tests cancel with ``asyncio.wait_for``: the task is
cancelled once, and cleanup code after the first ``CancelledError`` may await
freely. aio's engine is anyio (DESIGN.md: structured concurrency through
anyio), whose cancel scopes are level-triggered: while the scope is cancelled,
EVERY await in it (including one in ``__aexit__`` cleanup) is cancelled again.
Cleanup that awaits the server before giving a connection back must survive
that, or the connection leaks from the pool.

Private servers only; pools of one connection, so a leak shows as
"No connection available".
"""

from __future__ import annotations

import random
from typing import Any

import anyio
import pytest

from aio.redis import BlockingConnectionPool, Redis


def _client(server: Any) -> tuple[BlockingConnectionPool, Redis]:
    pool = BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.5
    )
    return pool, Redis(connection_pool=pool)


@pytest.mark.parametrize("single", [False, True], ids=["pool", "single-connection"])
async def test_random_cancel_scopes_never_misdeliver(
    private_redis_server: Any, single: bool
) -> None:
    server = private_redis_server()
    pool = BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=4, timeout=None
    )
    async with Redis(connection_pool=pool, single_connection_client=single) as r:
        for seed in range(20):
            await r.set(f"k{seed}", f"value-{seed}" * (1 + seed % 5))
        done = {"ok": 0, "cancelled": 0}

        async def hammer(seed: int) -> None:
            rng = random.Random(seed)
            expected = f"value-{seed}".encode() * (1 + seed % 5)
            for i in range(100):
                deadline = None if i % 10 == 9 else rng.uniform(0, 0.002)
                with anyio.move_on_after(deadline) as scope:
                    value = await r.get(f"k{seed}")
                if scope.cancelled_caught:
                    done["cancelled"] += 1
                    continue
                assert value == expected, f"task {seed} got {value!r}"
                done["ok"] += 1

        async with anyio.create_task_group() as tg:
            for seed in range(20):
                tg.start_soon(hammer, seed)
        assert done["ok"] + done["cancelled"] == 2000
        assert done["ok"] >= 200
        assert pool.in_use_count == (1 if single else 0)
        assert await r.get("k0") == b"value-0"
    await pool.aclose()


async def test_pipeline_execute_cancelled_by_a_scope(private_redis_server: Any) -> None:
    server = private_redis_server()
    pool, r = _client(server)
    for deadline in (0, 0.0005, 0.001, 0.002, 0.005):
        with anyio.move_on_after(deadline):
            pipe: Any
            async with r.pipeline() as pipe:
                for i in range(2000):
                    pipe.set(f"x{i}", i)
                await pipe.execute()
        assert pool.in_use_count == 0
    assert await r.set("after", 1) and await r.get("after") == b"1"
    await r.aclose()
    await pool.aclose()


async def test_pubsub_monitor_lock_blpop_cancelled_by_a_scope(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    pool, r = _client(server)
    with anyio.CancelScope() as scope:
        async with r.pubsub() as p:
            await p.subscribe("c")
            scope.cancel()
            await anyio.sleep(0)
    assert pool.in_use_count == 0
    with anyio.CancelScope() as scope:
        async with r.monitor():
            scope.cancel()
            await anyio.sleep(0)
    assert pool.in_use_count == 0
    with anyio.move_on_after(0.05):
        await r.blpop("nothing", 0)
    assert pool.in_use_count == 0
    assert await r.get("k") is None
    await r.aclose()
    await pool.aclose()


async def test_pipeline_watch_block_cancelled_by_a_scope(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    pool, r = _client(server)
    try:
        with anyio.CancelScope() as scope:
            pipe: Any
            async with r.pipeline() as pipe:
                await pipe.watch("k")
                scope.cancel()
                await anyio.sleep(0)
        assert pool.in_use_count == 0
        assert await r.get("k") is None
    finally:
        await r.aclose()
        await pool.aclose()


async def test_transaction_helper_cancelled_by_a_scope(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    pool, r = _client(server)

    async def body(pipe: Any) -> None:
        scope.cancel()
        await anyio.sleep(0)

    try:
        with anyio.CancelScope() as scope:
            await r.transaction(body, "k")
        assert pool.in_use_count == 0
    finally:
        await r.aclose()
        await pool.aclose()
