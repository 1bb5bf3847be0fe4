"""A pipeline command read as bytes on a decoding client (redis-py's NEVER_DECODE).

redis-py's non-transaction pipelines read each reply as its command asks:
``DUMP`` (whose payload is binary) stays bytes while the other replies are
decoded. Its transactions decode every reply. redis.asyncio is the oracle.
"""

from __future__ import annotations

from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import Redis, RedisCluster


async def _run(client: Any, transaction: bool) -> list[Any]:
    async with client.pipeline(transaction=transaction) as pipe:
        pipe.set("nd:k", "v")
        pipe.dump("nd:k")
        pipe.get("nd:k")
        pipe.set("nd:bin", b"\xff\xfe")
        pipe.dump("nd:bin")
        return list(await pipe.execute())


async def test_pipeline_keeps_never_decode_replies_in_bytes(redis_url: str) -> None:
    ours = Redis.from_url(redis_url, decode_responses=True)
    theirs = redispy.Redis.from_url(redis_url, decode_responses=True)
    try:
        expected = await _run(theirs, transaction=False)
        got = await _run(ours, transaction=False)
        assert got == expected
        assert isinstance(got[1], bytes) and got[2] == "v"
        # The connection is in step afterwards: a plain read decodes.
        assert await ours.get("nd:k") == "v"
        # The payload restores: it was not mangled by a decode.
        await ours.delete("nd:copy")
        assert await ours.restore("nd:copy", 0, got[4])
        raw = Redis.from_url(redis_url)
        assert await raw.get("nd:copy") == b"\xff\xfe"
        await raw.aclose()
    finally:
        await ours.delete("nd:k", "nd:bin", "nd:copy")
        await ours.aclose()
        await theirs.aclose()


async def test_transaction_decodes_every_reply_as_redis_py(redis_url: str) -> None:
    ours = Redis.from_url(redis_url, decode_responses=True)
    theirs = redispy.Redis.from_url(redis_url, decode_responses=True)
    try:
        async with ours.pipeline(transaction=True) as pipe:
            pipe.set("nd:k", "v").get("nd:k")
            assert await pipe.execute() == [True, "v"]
        async with theirs.pipeline(transaction=True) as pipe:
            pipe.set("nd:k", "v").get("nd:k")
            assert await pipe.execute() == [True, "v"]
    finally:
        await ours.delete("nd:k")
        await ours.aclose()
        await theirs.aclose()


@pytest.mark.usefixtures("redis_cluster")
async def test_cluster_pipeline_keeps_never_decode_replies_in_bytes(
    redis_cluster: Any,
) -> None:
    host, port = redis_cluster[0]
    ours = RedisCluster(host=host, port=port, decode_responses=True)
    theirs = redispy.RedisCluster(host=host, port=port, decode_responses=True)
    try:
        async with ours.pipeline() as pipe:
            pipe.set("{nd}k", "v").dump("{nd}k").get("{nd}k")
            got = await pipe.execute()
        async with theirs.pipeline() as pipe:
            pipe.set("{nd}k", "v").dump("{nd}k").get("{nd}k")
            expected = await pipe.execute()
        assert got == expected
        assert isinstance(got[1], bytes) and got[2] == "v"
    finally:
        await ours.delete("{nd}k")
        await ours.aclose()
        await theirs.aclose()
