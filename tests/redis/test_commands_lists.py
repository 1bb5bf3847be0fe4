"""List commands, blocking pops included: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

from typing import Any


async def test_push_pop_range(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.rpush("l", 1, 2, 3),
            await r.lpush("l", 0, b"-1"),
            await r.lpushx("nope", 1),
            await r.rpushx("l", 4),
            await r.lrange("l", 0, -1),
            await r.llen("l"),
            await r.lindex("l", 2),
            await r.lindex("l", 99),
            await r.lset("l", 0, "first"),
            await r.linsert("l", "BEFORE", "2", "1.5"),
            await r.linsert("l", "after", "nope", "x"),
            await r.lrem("l", 0, "1.5"),
            await r.lpos("l", "3"),
            await r.rpush("l", "3", "3"),
            await r.lpos("l", "3", rank=2),
            await r.lpos("l", "3", count=0),
            await r.lpos("l", "3", count=2, maxlen=10),
            await r.lpos("l", "missing"),
            await r.lpop("l"),
            await r.rpop("l"),
            await r.lpop("l", 2),
            await r.rpop("l", 2),
            await r.lpop("nope"),
            await r.lpop("nope", 3),
            await r.ltrim("l", 0, 0),
            await r.lrange("l", 0, -1),
        ]

    await oracle.check(scenario)


async def test_moves(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.rpush("a", "x", "y", "z")
        return [
            await r.rpoplpush("a", "b"),
            await r.lmove("a", "b"),
            await r.lmove("a", "b", "RIGHT", "LEFT"),
            await r.lmove("a", "b"),
            await r.lrange("b", 0, -1),
            await r.lmpop(2, "nope", "b", direction="LEFT"),
            await r.lmpop(1, "b", direction="RIGHT", count=5),
            await r.lmpop(1, "b", direction="RIGHT"),
        ]

    await oracle.check(scenario)


async def test_blocking_pops_with_data(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.rpush("a", 1, 2, 3, 4, 5, 6)
        return [
            await r.blpop("a"),
            await r.blpop(["nope", "a"], timeout=1),
            await r.brpop(["a"], timeout=0),
            await r.brpoplpush("a", "b", timeout=1),
            await r.blmove("a", "b", 1, "RIGHT", "LEFT"),
            await r.blmpop(1, 2, "nope", "a", direction="LEFT", count=10),
            await r.lrange("b", 0, -1),
        ]

    await oracle.check(scenario)


async def test_blocking_pops_time_out(oracle: Any) -> None:
    # A short server-side timeout: every blocking pop answers "nothing" as None.
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.blpop("nope", timeout=0.01),
            await r.brpop(["nope"], timeout=0.01),
            await r.brpoplpush("nope", "b", timeout=0.01),
            await r.blmove("nope", "b", 0.01),
            await r.blmpop(0.01, 1, "nope", direction="LEFT"),
        ]

    await oracle.check(scenario)


async def test_wrong_type(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        await r.set("s", 1)
        return await r.lpush("s", 1)

    await oracle.check(scenario, raises=True)
