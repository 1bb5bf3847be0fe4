"""The protocol a client speaks when none is given (RESP3, as redis-py 8), and
redis-py 8's ``legacy_responses`` switch."""

from __future__ import annotations

import pytest

from aio.redis import ConnectionPool, Redis
from aio.redis._connection import Connection


async def _resp_of_connection(r: Redis) -> int:
    info = await r.client_info()
    return int(info["resp"])


async def test_default_is_resp3_like_redis_py_8(redis_url: str) -> None:
    import redis as redis_py

    async with Redis.from_url(redis_url) as r:
        assert await _resp_of_connection(r) == 3
        assert r.get_connection_kwargs().get("protocol") is None
    # redis-py 8 negotiates RESP3 by default too: same wire, same shapes.
    peer = redis_py.Redis.from_url(redis_url)
    try:
        assert int(peer.client_info()["resp"]) == 3
    finally:
        peer.close()


@pytest.mark.parametrize("protocol", [2, 3])
async def test_explicit_protocol_is_spoken(redis_url: str, protocol: int) -> None:
    async with Redis.from_url(f"{redis_url}?protocol={protocol}") as r:
        assert await _resp_of_connection(r) == protocol
    async with Redis.from_url(redis_url, protocol=protocol) as r:
        assert await _resp_of_connection(r) == protocol


async def test_default_and_resp2_give_the_same_shapes(redis_url: str) -> None:
    async with (
        Redis.from_url(redis_url) as r3,
        Redis.from_url(redis_url, protocol=2) as r2,
    ):
        await r3.delete("proto:h", "proto:z")
        await r3.hset("proto:h", mapping={"a": "1", "b": "2"})
        await r3.zadd("proto:z", {"m": 1.5, "n": 2})
        for r in (r2, r3):
            assert await r.hgetall("proto:h") == {b"a": b"1", b"b": b"2"}
            assert await r.zrange("proto:z", 0, -1, withscores=True) == [
                (b"m", 1.5),
                (b"n", 2.0),
            ]
        await r3.delete("proto:h", "proto:z")


def test_unknown_protocol_is_refused() -> None:
    from aio.redis import ConnectionError

    with pytest.raises(ConnectionError, match="protocol must be 2 or 3"):
        Connection(protocol=4)


def test_legacy_responses_false_is_taken_not_refused() -> None:
    # redis-py 8's unified shapes (tests/redis/test_unified_responses.py).
    assert Connection(legacy_responses=False).extra["legacy_responses"] is False
    pool = ConnectionPool.from_url("redis://127.0.0.1:6379/9?legacy_responses=false")
    assert pool.connection_kwargs["legacy_responses"] is False
    assert (
        Redis(connection_pool=pool).response_callbacks["ZRANGE"]
        is not (Redis().response_callbacks["ZRANGE"])
    )
    assert Connection(legacy_responses=True).protocol == 3
