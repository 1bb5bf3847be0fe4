"""Key-space commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

import datetime
from typing import Any


async def test_delete_exists_type(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.mset({"a": 1, "b": 2, "c": 3})
        await r.rpush("l", 1)
        return [
            await r.exists("a", "b", "nope"),
            await r.exists("a", "a"),
            await r.type("a"),
            await r.type("l"),
            await r.type("nope"),
            await r.delete("a", "nope"),
            await r.unlink("b"),
            await r.touch("c", "l", "nope"),
            sorted(await r.keys()),
            await r.keys("l*"),
            await r.randomkey() in (b"c", b"l"),
            await r.rename("c", "d"),
            await r.renamenx("d", "l"),
            await r.renamenx("d", "e"),
            await r.dbsize(),
        ]

    await oracle.check(scenario)


async def test_rename_missing_key_error(oracle: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await r.rename("nope", "x")

    await oracle.check(scenario, raises=True)


async def test_expiry_family(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.mset({"a": 1, "b": 2})
        return [
            await r.expire("a", 100),
            await r.ttl("a"),
            await r.expire("a", 50, gt=True),
            await r.expire("a", 50, lt=True),
            await r.expire("a", 500, nx=True),
            await r.expire("b", 500, xx=True),
            await r.expire("nope", 5),
            await r.expire("a", datetime.timedelta(seconds=70)),
            await r.ttl("a"),
            await r.pexpire("a", 90_000),
            await r.pttl("a") > 80_000,
            await r.pexpire("a", datetime.timedelta(seconds=95), gt=True),
            await r.expireat("a", 4102444800),
            await r.expiretime("a"),
            await r.expireat("a", datetime.datetime(2100, 1, 2, tzinfo=datetime.UTC)),
            await r.expiretime("a"),
            await r.pexpireat("b", 4102444800123),
            await r.pexpiretime("b"),
            await r.pexpireat(
                "b", datetime.datetime(2100, 1, 3, tzinfo=datetime.UTC), nx=True
            ),
            await r.persist("b"),
            await r.persist("b"),
            await r.ttl("b"),
            await r.ttl("nope"),
            await r.pttl("nope"),
            await r.expiretime("nope"),
        ]

    await oracle.check(scenario)


async def test_scan_and_scan_iter(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.mset({f"k{i}": i for i in range(30)})
        await r.rpush("list", 1)
        cursor, first = await r.scan(0, match="k*", count=5)
        everything = []
        cur = 0
        while True:
            cur, keys = await r.scan(cur, count=7)
            everything += keys
            if cur == 0:
                break
        return [
            isinstance(cursor, int),
            all(k[:1] in (b"k", "k") for k in first),
            sorted(everything),
            sorted([k async for k in r.scan_iter(match="k1*")]),
            [k async for k in r.scan_iter(_type="list")],
            sorted([k async for k in r.scan_iter(count=3)]) == sorted(everything),
        ]

    await oracle.check(scenario)


async def test_dump_restore_copy_move_object(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.set("a", "hello")
        await r.rpush("l", *range(5))
        payload = await r.dump("a")
        return [
            isinstance(payload, bytes),
            await r.dump("nope"),
            await r.restore("b", 0, payload),
            await r.get("b"),
            await r.restore("b", 10_000, payload, replace=True),
            await r.pttl("b") > 0,
            await r.restore("c", 4102444800000, payload, absttl=True),
            await r.restore("d", 0, payload, idletime=10),
            await r.restore("e", 0, payload, frequency=5),
            await r.copy("a", "a2"),
            await r.copy("a", "a2"),
            await r.copy("a", "a2", replace=True),
            await r.copy("a", "a3", destination_db=11, replace=True),
            await r.move("a3", 11),
            await r.object("encoding", "l"),
            await r.object("refcount", "a"),
            await r.object("encoding", "nope"),
        ]

    try:
        await oracle.check(scenario)
    finally:
        # Database 11 was touched by COPY DB: leave it as found.
        await oracle.theirs.execute_command("SELECT", 11)
        await oracle.theirs.delete("a3")
        await oracle.theirs.execute_command("SELECT", 10)


async def test_dump_is_bytes_when_decoding(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.set("a", "é")
        payload = await r.dump("a")
        return [
            type(payload).__name__,
            await r.restore("b", 0, payload),
            await r.get("b"),
        ]

    await oracle_decoded.check(scenario)


async def test_sort(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.rpush("l", 3, 1, 2)
        await r.rpush("s", "b", "a", "c")
        await r.mset(
            {"w_1": 30, "w_2": 20, "w_3": 10, "o_1": "x", "o_2": "y", "o_3": "z"}
        )
        return [
            await r.sort("l"),
            await r.sort("l", desc=True),
            await r.sort("l", start=1, num=1),
            await r.sort("s", alpha=True),
            await r.sort("l", by="w_*"),
            await r.sort("l", by="w_*", get="o_*"),
            await r.sort("l", get=["#", "o_*"], groups=True),
            await r.sort("l", store="sorted"),
            await r.lrange("sorted", 0, -1),
            await r.sort_ro("l", desc=True, get=["o_*"]),
        ]

    async def bad_groups(r: Any) -> Any:
        return await r.sort("l", get="o_*", groups=True)

    async def bad_limit(r: Any) -> Any:
        return await r.sort("l", start=1)

    await oracle.check(scenario)
    await oracle.check(bad_groups, raises=True)
    await oracle.check(bad_limit, raises=True)
