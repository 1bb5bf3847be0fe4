"""Set and HyperLogLog commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

from typing import Any


async def test_set_basics(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.sadd("a", 1, 2, 3, "x"),
            await r.sadd("b", 2, 3, 4),
            await r.sadd("c", 3),
            await r.smembers("a"),
            await r.smembers("nope"),
            await r.scard("a"),
            await r.sismember("a", 1),
            await r.sismember("a", 9),
            await r.smismember("a", 1, 9, "x"),
            await r.smismember("a", [2, 3]),
            await r.srem("a", "x", "nope"),
            await r.smove("a", "b", 1),
            await r.smove("a", "b", 99),
            await r.sinter("a", "b"),
            await r.sinter(["a", "b", "c"]),
            await r.sunion("a", "c"),
            await r.sdiff("b", "a"),
            await r.sdiff(["nope", "a"]),
            await r.sinterstore("d", "a", "b"),
            await r.sunionstore("e", ["a", "b"]),
            await r.sdiffstore("f", "b", "c"),
            await r.smembers("f"),
            await r.sintercard(2, ["a", "b"]),
            await r.sintercard(2, ["a", "b"], limit=1),
            await r.srandmember("c"),
            await r.srandmember("c", 2),
            await r.srandmember("c", -2),
            await r.srandmember("nope"),
            await r.spop("c"),
            await r.spop("nope"),
            await r.spop("nope", 2),
        ]

    await oracle.check(scenario)


async def test_spop_count_is_a_list(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.sadd("s", "a", "b", "c")
        popped = await r.spop("s", 5)
        return [type(popped).__name__, sorted(popped)]

    await oracle.check(scenario)


async def test_sscan(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.sadd("s", *[f"m{i}" for i in range(25)])
        cursor, items = await r.sscan("s", 0, match="m1*", count=100)
        return [
            cursor,
            sorted(items),
            sorted([m async for m in r.sscan_iter("s", count=4)]),
            await r.sscan("nope"),
        ]

    await oracle.check(scenario)


async def test_decoded_sets(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.sadd("s", "é", "a")
        return [await r.smembers("s"), await r.sinter("s", "s")]

    await oracle_decoded.check(scenario)


async def test_hyperloglog(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.pfadd("h1", "a", "b", "c"),
            await r.pfadd("h1", "a"),
            await r.pfadd("h2", "c", "d"),
            await r.pfcount("h1"),
            await r.pfcount("h1", "h2"),
            await r.pfmerge("h3", "h1", "h2"),
            await r.pfcount("h3"),
            await r.pfcount("nope"),
        ]

    await oracle.check(scenario)
