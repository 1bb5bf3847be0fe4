"""Hash commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

from typing import Any

import pytest


async def test_hash_basics(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.hset("h", "a", 1),
            await r.hset("h", mapping={"b": "2", b"c": 3.5}),
            await r.hset("h", items=["d", 4, "e", 5], key="f", value=6),
            await r.hgetall("h"),
            await r.hgetall("nope"),
            await r.hget("h", "a"),
            await r.hget("h", "zz"),
            await r.hmget("h", "a", "zz", "c"),
            await r.hmget("h", ["b", "d"]),
            await r.hexists("h", "a"),
            await r.hexists("h", "zz"),
            await r.hdel("h", "a", "zz"),
            await r.hlen("h"),
            sorted(await r.hkeys("h")),
            sorted(await r.hvals("h")),
            await r.hstrlen("h", "c"),
            await r.hsetnx("h", "b", "x"),
            await r.hsetnx("h", "new", "x"),
            await r.hincrby("h", "n"),
            await r.hincrby("h", "n", 10),
            await r.hincrbyfloat("h", "fl", 1.5),
            await r.hincrbyfloat("h", "fl"),
        ]

    await oracle.check(scenario)


async def test_hset_without_pairs(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await r.hset("h")

    await oracle.check(scenario, raises=True)


async def test_hmset_warns_like_redis_py(ours_only: Any) -> None:
    with pytest.warns(DeprecationWarning):
        assert await ours_only.hmset("h", {"a": 1}) is True
    assert await ours_only.hgetall("h") == {b"a": b"1"}


async def test_hrandfield(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.hset("h", "only", "v")
        return [
            await r.hrandfield("h"),
            await r.hrandfield("h", 2),
            await r.hrandfield("h", 1, withvalues=True),
            await r.hrandfield("h", -2, withvalues=True),
            await r.hrandfield("nope"),
            await r.hrandfield("nope", 2, withvalues=True),
        ]

    await oracle.check(scenario)


async def test_hscan_and_iter(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.hset("h", mapping={f"f{i}": i for i in range(20)})
        cursor, data = await r.hscan("h", 0, match="f1*", count=100)
        return [
            cursor,
            data,
            sorted([pair async for pair in r.hscan_iter("h", match="f*", count=3)]),
            await r.hscan("nope"),
        ]

    await oracle.check(scenario)


async def test_decoded_hash(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.hset("h", mapping={"é": "ü", "n": 1})
        return [
            await r.hgetall("h"),
            await r.hscan("h"),
            await r.hrandfield("h", -1, withvalues=True) != [],
        ]

    await oracle_decoded.check(scenario)


async def _server_version(r: Any) -> tuple[int, ...]:
    version = (await r.info("server"))["redis_version"]
    return tuple(int(part) for part in str(version).split(".")[:2])


async def test_field_expiry(oracle: Any) -> None:
    if await _server_version(oracle.theirs) < (7, 4):
        pytest.skip("the server has no per-field expiry (Redis 7.4+)")

    async def scenario(r: Any) -> list[Any]:
        await r.hset("h", mapping={"a": 1, "b": 2})
        return [
            await r.hexpire("h", 100, "a", "zz"),
            await r.httl("h", "a", "b"),
            await r.hpexpire("h", 200_000, "b", nx=True),
            await r.hexpireat("h", 4102444800, "a", gt=True),
            await r.hexpiretime("h", "a"),
            await r.hpexpireat("h", 4102444800000, "b"),
            await r.hpexpiretime("h", "b"),
            await r.hpttl("h", "b"),
            await r.hpersist("h", "a", "b"),
        ]

    await oracle.check(scenario)
