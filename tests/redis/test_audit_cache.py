"""Audit of issue 3, item 7 (client-side caching) against the cancellation
clause: readers on a caching client, cancelled by anyio scopes at random points
while another client keeps writing, never leave a stale entry behind: once the
writes are done, every cached read converges on the server's values."""

from __future__ import annotations

import asyncio
import random
from typing import Any

import anyio

from aio.redis import CacheConfig, Redis


async def test_cancelled_cached_reads_leave_no_stale_entry(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    keys = [f"c{i}" for i in range(10)]
    async with (
        Redis(host=server.host, port=server.port) as writer,
        Redis(
            host=server.host, port=server.port, protocol=3, cache_config=CacheConfig()
        ) as cached,
    ):
        for key in keys:
            await writer.set(key, 0)

        async def write() -> None:
            for n in range(1, 201):
                await writer.incr(keys[n % 10])
                if n % 5 == 0:
                    await anyio.sleep(0)

        async def read(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(120):
                with anyio.move_on_after(rng.uniform(0, 0.001)):
                    await cached.get(keys[rng.randrange(10)])

        async with anyio.create_task_group() as tg:
            tg.start_soon(write)
            for seed in range(6):
                tg.start_soon(read, seed)
        final = {key: await writer.get(key) for key in keys}
        assert sum(int(v) for v in final.values()) == 200
        # Invalidation pushes arrive on their own: allow them a moment.
        got: dict[str, Any] = {}
        for _ in range(100):
            got = {key: await cached.get(key) for key in keys}
            if got == final:
                break
            await asyncio.sleep(0.01)
        assert got == final
        assert cached.connection_pool.in_use_count == 0
