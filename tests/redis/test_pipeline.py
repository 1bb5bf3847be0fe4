"""Pipelines and transactions: chaining, MULTI/EXEC, errors, WATCH, transaction()."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.redis import Pipeline, Redis, RedisError, ResponseError, WatchError


async def test_pipeline_chains_and_converts(r: Redis) -> None:
    async with r.pipeline() as pipe:
        assert isinstance(pipe, Pipeline)
        result = pipe.set("a", 1).incr("a").get("a").hset("h", "f", "v").hgetall("h")
        assert result is pipe
        assert len(pipe) == 5
        assert await pipe.execute() == [True, 2, b"2", 1, {b"f": b"v"}]
        assert len(pipe) == 0
        # An executed pipeline can be reused.
        pipe.get("a")
        assert await pipe.execute() == [b"2"]


async def test_empty_pipeline(r: Redis) -> None:
    async with r.pipeline() as pipe:
        assert await pipe.execute() == []
        assert pipe  # truthy even when empty


@pytest.mark.parametrize("transaction", [True, False])
async def test_large_pipeline_one_write(r: Redis, transaction: bool) -> None:
    async with r.pipeline(transaction=transaction) as pipe:
        for i in range(5000):
            pipe.set(f"k{i}", i)
        assert await pipe.execute() == [True] * 5000
    assert await r.get("k4999") == b"4999"


async def test_transaction_is_atomic_block(r: Redis) -> None:
    async with r.pipeline(transaction=True) as pipe:
        pipe.incr("n").incr("n")
        assert await pipe.execute() == [1, 2]


@pytest.mark.parametrize("transaction", [True, False])
async def test_errors_per_command(r: Redis, transaction: bool) -> None:
    await r.rpush("list", "x")
    async with r.pipeline(transaction=transaction) as pipe:
        pipe.set("a", 1).get("list").incr("a")
        with pytest.raises(
            ResponseError, match=r"Command # 2 \(GET list\) of pipeline"
        ):
            await pipe.execute()
        assert await r.get("a") == b"2"  # the other commands ran
        pipe.set("b", 1).get("list").incr("b")
        result = await pipe.execute(raise_on_error=False)
        assert result[0] is True and result[2] == 2
        assert isinstance(result[1], ResponseError)


async def test_queue_time_error_aborts_transaction(r: Redis) -> None:
    async with r.pipeline() as pipe:
        pipe.set("a", 1).execute_command("SET")  # wrong number of arguments
        with pytest.raises(ResponseError, match="wrong number of arguments"):
            await pipe.execute()
    assert await r.get("a") is None


async def test_watch_multi_exec(r: Redis) -> None:
    await r.set("balance", 10)
    async with r.pipeline() as pipe:
        await pipe.watch("balance")
        assert pipe.watching
        balance = int(await pipe.get("balance"))  # immediate mode
        pipe.multi()
        pipe.set("balance", balance - 3)
        assert await pipe.execute() == [True]
        assert not pipe.watching
    assert await r.get("balance") == b"7"


async def test_watch_error_when_key_changes(r: Redis, redis_url: str) -> None:
    await r.set("k", 1)
    async with Redis.from_url(redis_url) as other, r.pipeline() as pipe:
        await pipe.watch("k")
        await other.set("k", 2)
        pipe.multi()
        pipe.set("k", 3)
        with pytest.raises(WatchError):
            await pipe.execute()
    assert await r.get("k") == b"2"
    assert r.connection_pool.in_use_count == 0


async def test_unwatch_and_reset(r: Redis) -> None:
    async with r.pipeline() as pipe:
        await pipe.watch("a")
        assert await pipe.unwatch() is True
        assert not pipe.watching
        await pipe.watch("a")
        await pipe.reset()
        assert not pipe.watching and pipe.connection is None


async def test_multi_misuse(r: Redis) -> None:
    async with r.pipeline() as pipe:
        pipe.multi()
        with pytest.raises(RedisError, match="nested"):
            pipe.multi()
        with pytest.raises(RedisError, match="WATCH after a MULTI"):
            await pipe.watch("a")
    async with r.pipeline() as pipe:
        pipe.get("a")
        with pytest.raises(RedisError):
            pipe.multi()


async def test_transaction_helper_retries_on_watch_error(
    r: Redis, redis_url: str
) -> None:
    await r.set("counter", 0)
    calls = 0
    async with Redis.from_url(redis_url) as other:

        async def incr(pipe: Any) -> str:
            nonlocal calls
            calls += 1
            value = int(await pipe.get("counter"))
            if calls == 1:
                await other.set("counter", 100)  # makes the first EXEC fail
            pipe.multi()
            pipe.set("counter", value + 1)
            return f"from {value}"

        result = await r.transaction(incr, "counter", watch_delay=0.001)
        assert result == [True]
        assert calls == 2
        assert await r.get("counter") == b"101"
        assert (
            await r.transaction(incr, "counter", value_from_callable=True) == "from 101"
        )

        def sync_func(pipe: Any) -> None:
            pipe.multi()
            pipe.set("x", "y")

        assert await r.transaction(sync_func) == [True]
    assert r.connection_pool.in_use_count == 0


async def test_concurrent_pipelines_do_not_mix(r: Redis) -> None:
    async def run(i: int) -> list[Any]:
        async with r.pipeline(transaction=i % 2 == 0) as pipe:
            for j in range(20):
                pipe.set(f"p{i}:{j}", f"{i}:{j}").get(f"p{i}:{j}")
            return await pipe.execute()

    results = await asyncio.gather(*(run(i) for i in range(30)))
    for i, result in enumerate(results):
        assert result[1::2] == [f"{i}:{j}".encode() for j in range(20)]
    assert r.connection_pool.in_use_count == 0
