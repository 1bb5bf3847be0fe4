"""Pipelines under the client's retry policy, as redis-py's ``Pipeline.execute``:
a connection error re-sends the batch on a new connection, unless keys are
WATCHed (then ``WatchError``). A private ``redis-server`` is killed and restarted
under the pipelines; a counting backoff records each retry."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.redis import ConnectionError, Redis, Retry, WatchError
from aio.redis.backoff import ConstantBackoff


class CountingBackoff(ConstantBackoff):
    """A constant wait that counts the retries it was asked about."""

    def __init__(self) -> None:
        super().__init__(0.02)
        self.retries = 0

    def compute(self, failures: int) -> float:
        self.retries += 1
        return super().compute(failures)

    def __deepcopy__(self, memo: dict[int, Any]) -> CountingBackoff:
        # Each connection retries under its own copy of the client's policy
        # (as redis-py's): one counter for all of them.
        return self


def retrying_client(server: Any, retries: int) -> tuple[Redis, CountingBackoff]:
    """A client of ``server`` retrying ``retries`` times, and the backoff
    that counts its retries."""
    backoff = CountingBackoff()
    client = Redis(host=server.host, port=server.port, retry=Retry(backoff, retries))
    return client, backoff


def kill_then_restart(server: Any) -> asyncio.Future[None]:
    """Kill ``server`` now and start it again in a worker thread: await the
    result to know it is back."""
    server.kill()
    return asyncio.ensure_future(asyncio.to_thread(server.start))


async def blocked_clients(server: Any) -> int:
    async with Redis(host=server.host, port=server.port, retry=None) as probe:
        info = await probe.info("clients")
        return int(info["blocked_clients"])


async def wait_blocked(server: Any) -> None:
    for _ in range(1000):
        try:
            if await blocked_clients(server):
                return
        except ConnectionError:
            pass
        await asyncio.sleep(0.005)
    raise AssertionError("the pipeline never blocked in BLPOP")


async def test_pipeline_resent_after_the_server_is_killed_midway(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    r, backoff = retrying_client(server, 200)
    async with r:

        async def blocked_pipeline() -> list[Any]:
            async with r.pipeline(transaction=False) as pipe:
                pipe.set("a", 1).blpop("q", 0).get("a")
                return await pipe.execute()

        task = asyncio.ensure_future(blocked_pipeline())
        await wait_blocked(server)
        server.kill()  # the reply to BLPOP never comes: the connection drops
        await asyncio.to_thread(server.start)
        await wait_blocked(server)  # the whole batch was sent again
        async with Redis(host=server.host, port=server.port) as other:
            await other.lpush("q", "x")
        assert await asyncio.wait_for(task, 10) == [True, (b"q", b"x"), b"1"]
        assert backoff.retries >= 1
        assert r.connection_pool.in_use_count == 0


async def test_transaction_retried_until_the_server_is_back(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    r, backoff = retrying_client(server, 500)
    async with r:
        await r.set("n", 1)
        restart = kill_then_restart(server)
        async with r.pipeline(transaction=True) as pipe:
            pipe.set("n", 41).incr("n")
            assert await pipe.execute() == [True, 42]
        await restart
        assert backoff.retries >= 1
        assert await r.get("n") == b"42"


async def test_watch_is_retried_but_a_lost_watch_is_a_watch_error(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    r, backoff = retrying_client(server, 500)
    async with r:
        await r.set("k", 1)
        async with r.pipeline() as pipe:
            # Before anything is watched, WATCH itself is retried.
            restart = kill_then_restart(server)
            assert await pipe.watch("k") is True
            await restart
            assert backoff.retries >= 1 and pipe.watching
            # Once watched, the server forgets the WATCH with the connection:
            # no retry, the caller must start over.
            before = backoff.retries
            await asyncio.to_thread(server.restart)
            pipe.multi()
            pipe.set("k", 2)
            with pytest.raises(WatchError, match="occurred while watching"):
                await pipe.execute()
            assert backoff.retries == before
            assert not pipe.watching
        assert r.connection_pool.in_use_count == 0
        # An immediate command after WATCH: WatchError too, pipeline reset.
        async with r.pipeline() as pipe:
            await pipe.watch("k")
            await asyncio.to_thread(server.restart)
            with pytest.raises(WatchError):
                await pipe.get("k")
            assert not pipe.watching and pipe.connection is None


async def test_no_retry_policy_raises_at_once(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port, retry=None) as r:
        await r.ping()
        server.kill()
        async with r.pipeline() as pipe:
            pipe.set("a", 1)
            with pytest.raises(ConnectionError):
                await pipe.execute()
        assert r.connection_pool.in_use_count == 0
