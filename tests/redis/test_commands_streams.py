"""Stream commands: aio vs redis-py, on RESP2 and RESP3.

Entry IDs are explicit (``1-1``, ``2-1``...) so both runs see the same values.
"""

from __future__ import annotations

from typing import Any

import pytest


async def _fill(r: Any) -> None:
    await r.xadd("s", {"a": 1}, id="1-1")
    await r.xadd("s", {"b": "two", "c": 3}, id="2-1")
    await r.xadd("s", {"d": b"\x00"}, id="3-1")


async def test_add_range_trim(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        return [
            await r.xlen("s"),
            await r.xrange("s"),
            await r.xrange("s", "2-0", "+", count=1),
            await r.xrevrange("s"),
            await r.xrevrange("s", "+", "2-1", count=5),
            await r.xrange("nope"),
            await r.xadd("s", {"e": 5}, id="4-1", maxlen=3, approximate=False),
            await r.xlen("s"),
            await r.xadd("s", {"f": 6}, id="5-1", minid="3-0", approximate=False),
            await r.xrange("s"),
            await r.xadd("nope", {"x": 1}, nomkstream=True),
            await r.xadd("s", {"g": 7}, id="6-1", maxlen=100, limit=10),
            await r.xtrim("s", maxlen=2, approximate=False),
            await r.xtrim("s", minid="6-0", approximate=False),
            await r.xtrim("s", maxlen=0, approximate=True, limit=100),
            await r.xdel("s", "6-1", "9-9"),
            await r.xlen("s"),
        ]

    await oracle.check(scenario)


@pytest.mark.parametrize(
    "call",
    [
        lambda r: r.xadd("s", {}),
        lambda r: r.xadd("s", {"a": 1}, maxlen=1, minid="0-1"),
        lambda r: r.xadd("s", {"a": 1}, maxlen=-1),
        lambda r: r.xtrim("s"),
        lambda r: r.xrange("s", count=0),
        lambda r: r.xread({}),
        lambda r: r.xread({"s": 0}, block=-1),
        lambda r: r.xread({"s": 0}, count=0),
        lambda r: r.xclaim("s", "g", "c", 0, []),
        lambda r: r.xclaim("s", "g", "c", -1, ["1-1"]),
        lambda r: r.xautoclaim("s", "g", "c", 0, count=0),
        lambda r: r.xadd("s", {"a": 1}, id="0-0"),
    ],
)
async def test_stream_argument_errors(oracle: Any, call: Any) -> None:
    async def scenario(r: Any) -> Any:
        return await call(r)

    await oracle.check(scenario, raises=True)


async def test_xread(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        await r.xadd("t", {"t": 1}, id="1-5")
        return [
            await r.xread({"s": 0}),
            await r.xread({"s": "1-1", "t": "0-0"}, count=1),
            await r.xread({"s": "$"}, block=10),
            await r.xread({"s": "3-1"}),
            await r.xread({"nope": 0}),
        ]

    await oracle.check(scenario)


async def test_consumer_groups(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        return [
            await r.xgroup_create("s", "g", id="0"),
            await r.xgroup_create("new", "g", mkstream=True),
            await r.xgroup_createconsumer("s", "g", "c1"),
            await r.xreadgroup("g", "c1", {"s": ">"}, count=2),
            await r.xreadgroup("g", "c2", {"s": ">"}, noack=True),
            await r.xreadgroup("g", "c1", {"s": ">"}, block=10),
            await r.xreadgroup("g", "c1", {"s": "0"}),
            await r.xpending("s", "g"),
            [
                {k: v for k, v in row.items() if k != "time_since_delivered"}
                for row in await r.xpending_range("s", "g", "-", "+", 10)
            ],
            len(await r.xpending_range("s", "g", "-", "+", 10, consumername="c1")),
            await r.xpending_range("s", "g", "-", "+", 10, idle=10_000_000),
            await r.xclaim("s", "g", "c3", 0, ["1-1"]),
            await r.xclaim("s", "g", "c3", 0, ("2-1",), justid=True),
            await r.xclaim(
                "s", "g", "c1", 0, ["1-1"], idle=5, retrycount=3, force=True
            ),
            await r.xautoclaim("s", "g", "c4", 0),
            await r.xautoclaim("s", "g", "c4", 0, start_id="0-0", count=1, justid=True),
            await r.xack("s", "g", "1-1", "9-9"),
            await r.xgroup_delconsumer("s", "g", "c4"),
            await r.xgroup_setid("s", "g", "0", entries_read=0),
            await r.xgroup_destroy("s", "g"),
            await r.xgroup_destroy("s", "g"),
            await r.xpending("new", "g"),
        ]

    await oracle.check(scenario)


def _stable(value: Any) -> Any:
    """XINFO output without the fields that depend on the clock."""
    clock = {"seen-time", "idle", "inactive", "active-time", "delivery-time"}
    if isinstance(value, dict):
        return {k: _stable(v) for k, v in value.items() if k not in clock}
    if isinstance(value, list):
        return [_stable(v) for v in value]
    return value


async def test_xinfo(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        await r.xgroup_create("s", "g", id="0")
        await r.xreadgroup("g", "c1", {"s": ">"}, count=1)
        await r.xadd("empty", {"x": 1}, id="1-1")
        await r.xdel("empty", "1-1")
        full = await r.xinfo_stream("s", full=True)
        for group in full["groups"]:
            for consumer in group["consumers"]:
                for entry in consumer.get("pending", []):
                    entry[1:3] = []  # delivery time and count move with the clock
            for entry in group.get("pending", []):
                entry[2:3] = []
        return [
            _stable(await r.xinfo_stream("s")),
            _stable(await r.xinfo_stream("empty")),
            _stable(full),
            _stable(await r.xinfo_groups("s")),
            _stable(await r.xinfo_consumers("s", "g")),
        ]

    await oracle.check(scenario)


async def test_decoded_streams(oracle_decoded: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        await _fill(r)
        await r.xgroup_create("s", "g", id="0")
        return [
            await r.xrange("s"),
            await r.xread({"s": 0}, count=1),
            await r.xreadgroup("g", "c", {"s": ">"}, count=1),
            _stable(await r.xinfo_stream("s")),
            await r.xpending("s", "g"),
        ]

    await oracle_decoded.check(scenario)
