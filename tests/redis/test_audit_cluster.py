"""Audit of issue 3, item 6 (Cluster) against the cancellation clause, with anyio's
level-triggered cancel scopes at random points (the cluster's own test cancels
asyncio tasks once): single-key commands routed to every node and pipelines
split by slot never return another caller's reply, and no node's pool keeps a
connection in use. Uses the session's local three-master cluster."""

from __future__ import annotations

import random
from typing import Any

import anyio

from aio.redis import RedisCluster

Nodes = list[tuple[str, int]]


async def test_random_cancel_scopes_on_the_cluster(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    async with RedisCluster(host=host, port=port) as rc:
        keys = [f"audit:{i}" for i in range(60)]
        await rc.mset_nonatomic({k: k.encode() * 3 for k in keys})
        outcome = {"ok": 0, "cancelled": 0}

        async def single(seed: int) -> None:
            rng = random.Random(seed)
            for i in range(60):
                key = keys[rng.randrange(len(keys))]
                deadline = None if i % 6 == 5 else rng.uniform(0, 0.003)
                with anyio.move_on_after(deadline) as scope:
                    value = await rc.get(key)
                if scope.cancelled_caught:
                    outcome["cancelled"] += 1
                    continue
                assert value == key.encode() * 3
                outcome["ok"] += 1

        async def piped(seed: int) -> None:
            rng = random.Random(1000 + seed)
            for i in range(20):
                chosen = rng.sample(keys, 10)
                deadline = None if i % 4 == 3 else rng.uniform(0, 0.004)
                with anyio.move_on_after(deadline) as scope:
                    pipe: Any = rc.pipeline()
                    for key in chosen:
                        pipe.get(key)
                    values = await pipe.execute()
                if scope.cancelled_caught:
                    outcome["cancelled"] += 1
                    continue
                assert values == [k.encode() * 3 for k in chosen]
                outcome["ok"] += 1

        async with anyio.create_task_group() as tg:
            for seed in range(12):
                tg.start_soon(single, seed)
            for seed in range(4):
                tg.start_soon(piped, seed)
        assert outcome["ok"] + outcome["cancelled"] == 12 * 60 + 4 * 20
        assert outcome["ok"] >= 12 * 10 + 4 * 5  # the calls without a deadline
        for node in rc.get_nodes():
            assert node.connection_pool.in_use_count == 0
        values = await rc.mget_nonatomic(keys)
        assert values == [k.encode() * 3 for k in keys]
        await rc.delete(*keys)
