"""A pool subclass whose ``get_connection`` takes no argument, as redis-py 8's
signature has become (it warns when given one), is called for every way a
client takes a connection: commands, a single-connection client, pub/sub,
MONITOR and pipelines, as redis.asyncio calls it (the oracle). aio's commands
take a free connection without a coroutine only from a pool whose
``get_connection`` is its own."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import redis.asyncio as redispy

import aio.redis as aio_redis


def _counting_pool(lib: ModuleType, url: str) -> Any:
    class CountingPool(lib.ConnectionPool):  # type: ignore[name-defined,misc]
        taken = 0

        async def get_connection(self) -> Any:  # no command name: redis-py 8's
            CountingPool.taken += 1
            return await super().get_connection()

    return CountingPool.from_url(url)


@pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])
async def test_pool_subclass_without_arguments(lib: ModuleType, redis_url: str) -> None:
    pool = _counting_pool(lib, redis_url)
    plain = lib.Redis(connection_pool=pool)
    single = lib.Redis(connection_pool=pool, single_connection_client=True)
    try:
        assert await plain.ping() is True
        assert await single.ping() is True
        pubsub = plain.pubsub()
        await pubsub.subscribe("pool-subclass")
        message = await pubsub.get_message(timeout=5)
        assert message is not None and message["type"] == "subscribe"
        await pubsub.aclose()
        async with plain.monitor() as monitor:
            assert monitor is not None
        before = type(pool).taken
        async with plain.pipeline() as pipe:
            pipe.ping()
            assert await pipe.execute() == [True]
        assert type(pool).taken == before + 1
        # one per way: the command, the single connection, pub/sub, MONITOR
        assert before >= 4
    finally:
        await single.aclose()
        await plain.aclose()
        await pool.disconnect()
