"""Review findings on aio.redis.multidb: a cancelled aclose() still closes every
connection, and a removed database's health-check client is closed and never
reused for another database."""

from __future__ import annotations

import asyncio

import anyio
import pytest

from aio.redis.multidb.client import MultiDBClient
from tests.redis.multidb_setup import clients_connected
from tests.redis.test_multidb import Factory, make_config, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


async def test_a_cancelled_aclose_still_closes_every_connection(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    before = set(asyncio.all_tasks())
    client = MultiDBClient(make_config(servers, [1.0, 0.5]))
    await client.set("k", "v")
    assert clients_connected(servers[0]) >= 2  # the command and its health check
    with anyio.CancelScope() as scope:
        scope.cancel()  # the caller is cancelled while closing
        await client.aclose()
    for server in servers:
        assert clients_connected(server) == 0
    assert set(asyncio.all_tasks()) - before == set()


async def test_a_removed_database_loses_its_health_check_client(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    async with MultiDBClient(make_config(servers, [1.0, 0.5])) as client:
        removed = client.get_databases()[1][0]
        # Only the health checks talk to the database that is not active.
        assert clients_connected(servers[1]) >= 1
        await client.remove_database(removed)

        async def closed() -> bool:
            return clients_connected(servers[1]) == 0

        await wait_for(closed, timeout=3)


async def test_a_health_check_client_is_held_with_its_database(
    private_redis_server: Factory,
) -> None:
    # Keyed by id(database): the policy holds the database too, so that a
    # dropped database's id is not reused by another one (whose checks would
    # then go to this one's server); release() closes and forgets it.
    server = private_redis_server()
    async with MultiDBClient(make_config([server], [1.0])) as client:
        database = client.get_databases()[0][0]
        policy = client._health_check_policy
        hc_client = await policy.get_client(database)
        assert await policy.get_client(database) is hc_client
        await hc_client.ping()
        await policy.release(database)
        assert await policy.get_client(database) is not hc_client
