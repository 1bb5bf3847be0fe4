"""The command mixins inside pipelines, and blocking commands vs socket timeouts."""

from __future__ import annotations

from typing import Any

from tests.plugins.fix_redis_commands import db_lock, outcome
from tests.plugins.fix_services import require_service


async def test_converted_replies_in_a_pipeline(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        async with r.pipeline(transaction=True) as pipe:
            pipe.set("a", 1).get("a").hset("h", mapping={"f": "v"}).hgetall("h")
            pipe.zadd("z", {"m": 1.5}).zrange("z", 0, -1, withscores=True)
            pipe.sadd("s", "x").smembers("s").exists("a", "nope").info("server")
            pipe.xadd("st", {"a": 1}, id="1-1").xrange("st").set("a", "2", get=True)
            replies = await pipe.execute()
        replies[9] = replies[9]["redis_version"]  # INFO: a dict, one stable field
        return replies

    await oracle.check(scenario)


async def test_pipeline_without_transaction_and_errors(oracle: Any) -> None:
    async def scenario(r: Any) -> list[Any]:
        async with r.pipeline(transaction=False) as pipe:
            pipe.set("s", "x").lpush("s", 1).zscore("nope", "m").ttl("s")
            replies = await pipe.execute(raise_on_error=False)
        return [outcome(x).name if isinstance(x, Exception) else x for x in replies]

    await oracle.check(scenario)


async def test_blocking_commands_outlive_the_socket_timeout() -> None:
    # A blocking command waits server-side for longer than socket_timeout: the
    # timeout= option tells the connection to wait for it instead of failing.
    # (The server may answer up to 1/hz = 100 ms after the timeout: the gap between
    # the two timeouts here leaves room for that.)
    from aio.redis import Redis

    host, port = require_service("redis")
    async with db_lock():
        r = Redis(host=host, port=port, db=10, socket_timeout=0.25)
        try:
            await r.delete("empty-list", "empty-stream", "empty-zset")
            assert await r.blpop("empty-list", timeout=0.3) is None
            assert await r.bzpopmin("empty-zset", timeout=0.3) is None
            assert await r.blmpop(0.3, 1, "empty-list", direction="LEFT") is None
            assert await r.xread({"empty-stream": "$"}, block=300) == []
            assert await r.ping() is True
        finally:
            await r.aclose()
