"""String and bit commands: aio vs redis-py, on RESP2 and RESP3."""

from __future__ import annotations

import datetime
from typing import Any

import pytest


async def test_get_set_options(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.set("a", "1"),
            await r.set("a", "2", nx=True),
            await r.set("a", "3", xx=True),
            await r.set("b", "x", xx=True),
            await r.set("a", "4", get=True),
            await r.set("missing", "v", get=True),
            await r.get("a"),
            await r.get("nope"),
            await r.set("e", 1, ex=100),
            await r.ttl("e"),
            await r.set("p", 1.5, px=datetime.timedelta(seconds=50)),
            await r.pttl("p") > 40_000,
            await r.set("k", "v", exat=4102444800),
            await r.expiretime("k"),
            await r.set("k", "w", keepttl=True),
            await r.expiretime("k"),
            await r.set("pa", b"\x00\x7f", pxat=4102444800000),
            await r.get("pa"),
        ]

    await oracle.check(scenario)


async def test_set_errors(oracle: Any) -> None:
    async def both_expiries(r: Any) -> Any:
        return await r.set("a", 1, ex=1, px=1)

    async def wrong_type(r: Any) -> Any:
        await r.rpush("l", 1)
        return await r.get("l")

    await oracle.check(both_expiries, raises=True)
    await oracle.check(wrong_type, raises=True)


async def test_multi_and_counters(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.mset({"a": 1, "b": "two", b"c": b"3"}),
            await r.mget("a", "b", "nope", "c"),
            await r.mget(["a", "b"]),
            await r.msetnx({"a": 9, "z": 1}),
            await r.msetnx({"y": 9, "z": 1}),
            await r.incr("n"),
            await r.incr("n", 5),
            await r.incrby("n", 10),
            await r.decr("n"),
            await r.decrby("n", 3),
            await r.incrbyfloat("f", 1.25),
            await r.incrbyfloat("f"),
            await r.append("s", "hello"),
            await r.append("s", " world"),
            await r.strlen("s"),
            await r.getrange("s", 0, 4),
            await r.substr("s", 6),
            await r.setrange("s", 6, "there"),
            await r.get("s"),
            await r.setnx("s", "x"),
            await r.setnx("new", "x"),
            await r.setex("sx", 100, "v"),
            await r.ttl("sx"),
            await r.psetex("psx", datetime.timedelta(seconds=100), "v"),
            await r.getset("s", "replaced"),
            await r.getdel("s"),
            await r.exists("s"),
        ]

    await oracle.check(scenario)


async def test_getex_and_lcs(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await r.set("k", "v")
        await r.set("k1", "ohmytext")
        await r.set("k2", "mynewtext")
        return [
            await r.getex("k", ex=100),
            await r.ttl("k"),
            await r.getex("k", persist=True),
            await r.ttl("k"),
            await r.getex("k", px=100_000),
            await r.getex("k", exat=4102444800),
            await r.getex("k", pxat=4102444800000),
            await r.getex("nope"),
            await r.lcs("k1", "k2"),
            await r.lcs("k1", "k2", len=True),
            await r.lcs("k1", "k2", idx=True),
            await r.lcs("k1", "k2", idx=True, minmatchlen=4, withmatchlen=True),
        ]

    await oracle.check(scenario)


async def test_decoded_strings(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.set("a", "é"),
            await r.get("a"),
            await r.mget("a", "b"),
            await r.set("a", "x", get=True),
            await r.incrbyfloat("f", 0.1),
        ]

    await oracle_decoded.check(scenario)


async def test_bits(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        return [
            await r.setbit("b", 7, 1),
            await r.setbit("b", 7, True),
            await r.getbit("b", 7),
            await r.getbit("b", 100),
            await r.set("s", "foobar"),
            await r.bitcount("s"),
            await r.bitcount("s", 1, 1),
            await r.bitcount("s", 5, 30, mode="BIT"),
            await r.bitpos("s", 1),
            await r.bitpos("s", 0, 2),
            await r.bitpos("s", 1, 2, -1),
            await r.bitpos("s", 1, 7, 15, mode="BIT"),
            await r.set("x", b"\xf0"),
            await r.set("y", b"\x3c"),
            await r.bitop("AND", "d", "x", "y"),
            await r.get("d"),
            await r.bitop("NOT", "n", "x"),
            await r.get("n"),
            await r.bitfield("bf")
            .set("u8", 0, 255)
            .get("u8", 0)
            .incrby("u8", 0, 10)
            .execute(),
            await r.bitfield("bf", default_overflow="SAT")
            .incrby("u8", 0, 300)
            .overflow("FAIL")
            .incrby("u8", "#1", 300)
            .get("i4", 0)
            .execute(),
            await r.bitfield_ro("bf", "u8", 0, items=[("u4", 4), ("i8", "#1")]),
        ]

    await oracle.check(scenario)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.bitcount("s", 1),
        lambda r: r.bitpos("s", 2),
        lambda r: r.bitpos("s", 1, end=3),
        lambda r: r.getex("k", ex=1, persist=True),
    ],
)
async def test_bit_argument_errors(oracle: Any, call: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await call(r)

    await oracle.check(scenario, raises=True)
