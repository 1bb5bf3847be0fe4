"""The multi-database client's pub/sub when the new active database cannot be
reached as the pub/sub moves to it (its server refuses connections: maxclients
reached). As redis-py's asyncio client (the oracle): the change of active
database raises the connection error, the database is active all the same, and
the old pub/sub stays the client's with its subscriptions. Then ours (not
redis-py's, which stays on the old database until the next change) moves the
pub/sub on its next call, once the database takes connections again."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis
import redis.asyncio
import redis.asyncio.multidb.client as rp_client
import redis.asyncio.multidb.config as rp_config
from redis.asyncio.retry import Retry as RpRetry
from redis.backoff import ConstantBackoff as RpConstantBackoff

from aio.redis.backoff import ConstantBackoff
from aio.redis.exceptions import ConnectionError as OurConnectionError
from aio.redis.multidb import config as our_config
from aio.redis.multidb.client import MultiDBClient
from aio.redis.retry import Retry
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import FAST, port_of

Factory = Callable[..., PrivateRedis]

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")

# No fallback: the database made active stays so.
OPTIONS = {**FAST, "auto_fallback_interval": 0}


def make_client(
    name: str, servers: list[PrivateRedis], weights: list[float], **overrides: Any
) -> Any:
    config_module: Any = rp_config if name == "redis" else our_config
    retry = (
        RpRetry(RpConstantBackoff(0.05), 3)
        if name == "redis"
        else Retry(ConstantBackoff(0.05), 3)
    )
    config = config_module.MultiDbConfig(
        databases_config=[
            config_module.DatabaseConfig(
                weight=w,
                client_kwargs={"host": s.host, "port": s.port, "socket_timeout": 2},
            )
            for s, w in zip(servers, weights, strict=True)
        ],
        command_retry=retry,
        **{**OPTIONS, **overrides},
    )
    return (rp_client.MultiDBClient if name == "redis" else MultiDBClient)(config)


class Full:
    """Makes a server refuse new connections while in the ``with`` block."""

    def __init__(self, server: PrivateRedis) -> None:
        self._admin = redis.Redis(host=server.host, port=server.port)

    def __enter__(self) -> Full:
        # Every client now connected (the health checks', this one) is kept.
        self._limit = self._admin.config_get("maxclients")["maxclients"]
        self._admin.config_set("maxclients", len(self._admin.client_list()))
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._admin.config_set("maxclients", self._limit)
        self._admin.close()


@pytest.fixture
def servers(private_redis_server: Factory) -> Iterator[list[PrivateRedis]]:
    yield [private_redis_server(), private_redis_server()]


@pytest.mark.parametrize("name", ["redis", "ours"])
async def test_a_failed_move_keeps_the_old_pubsub(
    name: str, servers: list[PrivateRedis]
) -> None:
    client = make_client(name, servers, [1.0, 0.5])
    try:
        await client.initialize()
        pubsub = await client.pubsub()
        await pubsub.subscribe("news")
        old = client.command_executor.active_pubsub
        second = [db for db, w in client.get_databases() if w == 0.5][0]
        with Full(servers[1]):
            with pytest.raises((redis.ConnectionError, OurConnectionError)):
                await client.set_active_database(second)
        # Active all the same; the pub/sub is the old one, still subscribed.
        assert port_of(client.command_executor.active_database) == servers[1].port
        assert client.command_executor.active_pubsub is old
        assert [bytes(c) for c in old.channels] == [b"news"]
    finally:
        await client.aclose()


async def test_the_pubsub_moves_on_its_next_call(servers: list[PrivateRedis]) -> None:
    # The failed calls do not open the second's circuit (which would fail
    # over to the first, and move the pub/sub there).
    client = make_client("ours", servers, [1.0, 0.5], min_num_failures=1000)
    async with client:
        pubsub = await client.pubsub()
        await pubsub.subscribe("news")
        message = await pubsub.get_message(timeout=2)
        assert message is not None and message["type"] == "subscribe"
        old = client.command_executor.active_pubsub
        second = [db for db, w in client.get_databases() if w == 0.5][0]
        with Full(servers[1]):
            with pytest.raises(OurConnectionError):
                await client.set_active_database(second)
            # While the new database refuses connections, a pub/sub call
            # fails (after the command retry) and leaves the old one in place.
            with pytest.raises(OurConnectionError):
                await pubsub.get_message(timeout=0)
            assert client.command_executor.active_pubsub is old
            assert pubsub.subscribed
        # It takes connections again: the next call moves the pub/sub there,
        # subscribed, and closes the old one.
        confirmed = await pubsub.get_message(timeout=2)
        assert confirmed is not None
        assert (confirmed["type"], confirmed["channel"]) == ("subscribe", b"news")
        moved = client.command_executor.active_pubsub
        assert moved is not old and old.connection is None
        assert moved.connection_pool is second.client.connection_pool
        assert await client.publish("news", "hello") == 1  # on the second
        got = await pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
        assert got is not None and got["data"] == b"hello"
        await pubsub.aclose()


async def _subscribed_connections(server: PrivateRedis, expected: int) -> int:
    """How many connections to ``server`` are subscribed, once it is
    ``expected`` (a closed one is gone when the server has read the close),
    or after a few seconds."""
    async with redis.asyncio.Redis(host=server.host, port=server.port) as admin:
        for _ in range(100):
            found = sum(1 for c in await admin.client_list() if int(c["sub"]) > 0)
            if found == expected:
                break
            await asyncio.sleep(0.05)
        return found


async def test_concurrent_moves_leave_one_pubsub(servers: list[PrivateRedis]) -> None:
    # After a failed move, two pub/sub calls at once each move the pub/sub
    # (each makes one on the new database): one is kept, the other closed,
    # not left subscribed (and its connection in use) for ever. The change's
    # listener racing a call is the same race.
    client = make_client("ours", servers, [1.0, 0.5], min_num_failures=1000)
    async with client:
        pubsub = await client.pubsub()
        await pubsub.subscribe("news")
        message = await pubsub.get_message(timeout=2)
        assert message is not None and message["type"] == "subscribe"
        second = [db for db, w in client.get_databases() if w == 0.5][0]
        with Full(servers[1]), pytest.raises(OurConnectionError):
            await client.set_active_database(second)
        await asyncio.gather(
            pubsub.get_message(timeout=0), pubsub.get_message(timeout=0)
        )

        moved = client.command_executor.active_pubsub
        assert moved.connection_pool is second.client.connection_pool
        assert await _subscribed_connections(servers[1], 1) == 1
        assert await _subscribed_connections(servers[0], 0) == 0
        await pubsub.aclose()
        assert await _subscribed_connections(servers[1], 0) == 0
