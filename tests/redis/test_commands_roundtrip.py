"""Random binary data through aio and redis-py: the same values come back.

A hypothesis property over real round trips: arbitrary bytes as keys, fields,
members and values, arbitrary finite scores, on RESP2 and RESP3.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

import redis.asyncio as redis_asyncio
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.plugins.fix_redis_commands import DB, db_lock_sync
from tests.plugins.fix_services import require_service

blobs = st.binary(max_size=40)
scores = st.floats(allow_nan=False, width=64).filter(
    lambda f: f != 0.0 or math.copysign(1.0, f) > 0
)


async def _scenario(r: Any, data: dict[str, Any]) -> list[Any]:
    await r.execute_command("FLUSHDB")
    if data["hash"]:
        await r.hset("h", mapping=data["hash"])
    if data["members"]:
        await r.sadd("s", *data["members"])
    if data["zset"]:
        await r.zadd("z", data["zset"])
    if data["fields"]:
        await r.xadd("x", data["fields"], id="1-1")
    key = b"str:" + data["key"]  # never one of the fixed key names above
    await r.set(key, data["value"])
    return [
        await r.hgetall("h"),
        await r.smembers("s"),
        await r.zrange("z", 0, -1, withscores=True),
        await r.zrange("z", 0, -1, withscores=True, score_cast_func=bytes),
        # Random, so only where there is one member to pick.
        await r.zrandmember("z", -1, withscores=True) if len(data["zset"]) == 1 else 0,
        await r.xrange("x"),
        await r.get(key),
        await r.mget(key, b"missing"),
    ]


async def _compare(host: str, port: int, data: dict[str, Any]) -> None:
    from aio.redis import Redis

    theirs = redis_asyncio.Redis(host=host, port=port, db=DB, protocol=2)
    try:
        expected = await _scenario(theirs, data)
        for protocol in (2, 3):
            async with Redis(host=host, port=port, db=DB, protocol=protocol) as ours:
                assert await _scenario(ours, data) == expected, protocol
    finally:
        await theirs.execute_command("FLUSHDB")
        await theirs.aclose()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.fixed_dictionaries(
        {
            "hash": st.dictionaries(blobs, blobs, max_size=5),
            "members": st.lists(blobs, max_size=5),
            "zset": st.dictionaries(blobs, scores, max_size=5),
            "fields": st.dictionaries(blobs, blobs, max_size=3),
            "key": blobs,
            "value": blobs,
        }
    )
)
def test_binary_round_trips_match_redis_py(data: dict[str, Any]) -> None:
    host, port = require_service("redis")
    with db_lock_sync():
        asyncio.run(_compare(host, port, data))
