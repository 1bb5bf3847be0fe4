"""Sorted-set commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

from typing import Any

import pytest


async def _fill(r: Any) -> None:
    await r.zadd("z", {"a": 1, "b": 2.5, "c": 3, "d": 0.1, "e": 1e20})


async def test_zadd_variants(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.zadd("z", {"a": 1, "b": 2}),
            await r.zadd("z", {"a": 5}, nx=True),
            await r.zadd("z", {"a": 5, "c": 1}, xx=True, ch=True),
            await r.zadd("z", {"a": 4}, gt=True, ch=True),
            await r.zadd("z", {"a": 3}, lt=True, ch=True),
            await r.zadd("z", {"a": 2}, incr=True),
            await r.zadd("z", {"x": 2}, incr=True, xx=True),
            await r.zrange("z", 0, -1, withscores=True),
        ]

    await oracle.check(scenario)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"mapping": {}},
        {"mapping": {"a": 1}, "nx": True, "xx": True},
        {"mapping": {"a": 1}, "gt": True, "lt": True},
        {"mapping": {"a": 1}, "nx": True, "gt": True},
        {"mapping": {"a": 1, "b": 2}, "incr": True},
    ],
)
async def test_zadd_errors(oracle: Any, kwargs: dict[str, Any]) -> None:
    async def scenario(r: Any) -> Any:
        return await r.zadd("z", **kwargs)

    await oracle.check(scenario, raises=True)


async def test_ranges(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        return [
            await r.zrange("z", 0, -1),
            await r.zrange("z", 0, -1, withscores=True),
            await r.zrange("z", 0, 1, desc=True, withscores=True),
            await r.zrange("z", 0, -1, withscores=True, score_cast_func=int),
            await r.zrange("z", 0, -1, withscores=True, score_cast_func=str),
            await r.zrange("z", 1, 3, byscore=True, withscores=True),
            await r.zrange("z", "(1", "+inf", byscore=True, offset=1, num=2),
            await r.zrange("z", 3, 1, byscore=True, desc=True),
            await r.zrange("z", "[a", "[c", bylex=True),
            await r.zrange("z", "[c", "-", bylex=True, desc=True, offset=0, num=2),
            await r.zrevrange("z", 0, 2),
            await r.zrevrange("z", 0, 2, withscores=True, score_cast_func=int),
            await r.zrangebyscore("z", 1, 3),
            await r.zrangebyscore("z", "-inf", "+inf", 1, 2, withscores=True),
            await r.zrevrangebyscore("z", 3, "(1", withscores=True),
            await r.zrevrangebyscore("z", "+inf", "-inf", start=0, num=1),
            await r.zrangebylex("z", "-", "+", 1, 2),
            await r.zrevrangebylex("z", "+", "[b"),
            await r.zrangestore("dst", "z", 0, 1),
            await r.zrangestore("dst", "z", 1, 3, byscore=True, desc=False),
            await r.zrange("dst", 0, -1, withscores=True),
            await r.zrange("nope", 0, -1, withscores=True),
        ]

    await oracle.check(scenario)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"byscore": True, "bylex": True},
        {"offset": 1},
        {"bylex": True, "withscores": True},
    ],
)
async def test_zrange_errors(oracle: Any, kwargs: dict[str, Any]) -> None:
    async def scenario(r: Any) -> Any:
        return await r.zrange("z", 0, 1, **kwargs)

    await oracle.check(scenario, raises=True)


async def test_scores_ranks_counts(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        return [
            await r.zscore("z", "b"),
            await r.zscore("z", "e"),
            await r.zscore("z", "nope"),
            await r.zmscore("z", ["a", "nope", "d"]),
            await r.zincrby("z", 2, "a"),
            await r.zincrby("z", 0.5, "new"),
            await r.zrank("z", "a"),
            await r.zrank("z", "nope"),
            await r.zrevrank("z", "a"),
            await r.zcard("z"),
            await r.zcount("z", 1, 3),
            await r.zcount("z", "(1", "+inf"),
            await r.zlexcount("z", "-", "+"),
            await r.zrem("z", "new", "nope"),
            await r.zremrangebyrank("z", 0, 0),
            await r.zremrangebyscore("z", 2, 3),
            await r.zremrangebylex("z", "-", "+"),
            await r.zcard("z"),
        ]

    await oracle.check(scenario)


async def test_zmscore_requires_members(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await r.zmscore("z", [])

    await oracle.check(scenario, raises=True)


async def test_pops(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        await r.zadd("other", {"o": 7})
        return [
            await r.zpopmin("z"),
            await r.zpopmax("z"),
            await r.zpopmin("z", 2),
            await r.zpopmax("nope"),
            await r.zpopmin("nope", 3),
            await r.bzpopmin("z"),
            await r.bzpopmax(["nope", "other"], timeout=1),
            await r.bzpopmin("nope", timeout=0.01),
            await r.zadd("z", {"p": 1.5, "q": 2}),
            await r.zmpop(2, ["nope", "z"], min=True),
            await r.zmpop(1, ["z"], max=True, count=5),
            await r.zmpop(1, ["z"], max=True),
            await r.zadd("z", {"r": 0.1}),
            await r.bzmpop(1, 1, ["z"], min=True, count=2),
            await r.bzmpop(0.01, 1, ["nope"], max=True),
        ]

    async def bad_direction(r: Any) -> Any:
        return await r.zmpop(1, ["z"], min=True, max=True)

    await oracle.check(scenario)
    await oracle.check(bad_direction, raises=True)


async def test_set_algebra(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.zadd("a", {"x": 1, "y": 2, "z": 3})
        await r.zadd("b", {"y": 10, "z": 20, "w": 30})
        return [
            await r.zunionstore("u", ["a", "b"]),
            await r.zrange("u", 0, -1, withscores=True),
            await r.zunionstore("u", {"a": 2, "b": 0.5}, aggregate="MAX"),
            await r.zrange("u", 0, -1, withscores=True),
            await r.zinterstore("i", ["a", "b"], aggregate="min"),
            await r.zrange("i", 0, -1, withscores=True),
            await r.zinterstore("i", {"a": 1, "b": 3}),
            await r.zunion(["a", "b"]),
            await r.zunion({"a": 1, "b": 2}, withscores=True),
            await r.zunion(
                ["a", "b"], aggregate="MIN", withscores=True, score_cast_func=int
            ),
            await r.zinter(["a", "b"]),
            await r.zinter(["a", "b"], withscores=True),
            await r.zintercard(2, ["a", "b"]),
            await r.zintercard(2, ["a", "b"], limit=1),
            await r.zdiff(["a", "b"]),
            await r.zdiff(["a", "b"], withscores=True),
            await r.zdiffstore("d", ["a", "b"]),
            await r.zrange("d", 0, -1, withscores=True),
        ]

    async def bad_aggregate(r: Any) -> Any:
        return await r.zunionstore("u", ["a"], aggregate="AVG")

    await oracle.check(scenario)
    await oracle.check(bad_aggregate, raises=True)


async def test_zrandmember_and_zscan(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.zadd("one", {"m": 0.1})
        await r.zadd("z", {f"m{i}": i / 2 for i in range(20)})
        cursor, items = await r.zscan("z", 0, match="m1*", count=100)
        return [
            await r.zrandmember("one"),
            await r.zrandmember("one", 2),
            await r.zrandmember("one", -2, withscores=True),
            await r.zrandmember("nope"),
            cursor,
            sorted(items),
            sorted([p async for p in r.zscan_iter("z", count=3)]),
            sorted([p async for p in r.zscan_iter("z", score_cast_func=int)]),
            await r.zscan("nope"),
        ]

    await oracle.check(scenario)


async def test_decoded_zsets(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.zadd("z", {"é": 1.5, "b": 0.1})
        return [
            await r.zrange("z", 0, -1, withscores=True),
            await r.zrange("z", 0, -1, withscores=True, score_cast_func=str),
            await r.zpopmin("z"),
            await r.zrandmember("z", -1, withscores=True),
            await r.zscan("z"),
        ]

    await oracle_decoded.check(scenario)
