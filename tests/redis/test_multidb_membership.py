"""aio.redis.multidb lets go of the databases it removes: every database added
has its circuit watched, even one made where a removed one was (the same
``id()``); a removed database that failed is not half-opened and checked again
(which would make it a health-check client and keep it for ever); and one
removed while its health check was underway does not keep the health-check
client that check made."""

from __future__ import annotations

import gc
import logging
import weakref
from typing import Any

import pytest

from aio.redis.multidb.circuit import State
from aio.redis.multidb.client import MultiDBClient
from aio.redis.multidb.config import DatabaseConfig
from aio.redis.multidb.healthcheck import PingHealthCheck
from tests.redis.multidb_setup import clients_connected
from tests.redis.test_multidb import Factory, make_config, wait_for

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


@pytest.fixture(autouse=True)
def quiet(caplog: pytest.LogCaptureFixture) -> None:
    # The records captured would hold the databases their messages name.
    caplog.set_level(logging.ERROR, logger="aio.redis.multidb")


def collected(ref: weakref.ref[Any]) -> bool:
    gc.collect()
    return ref() is None


def weighing(client: MultiDBClient, weight: float) -> Any:
    (database,) = [db for db, w in client.get_databases() if w == weight]
    return database


async def test_every_added_database_has_its_circuit_watched(
    private_redis_server: Factory,
) -> None:
    a, b = private_redis_server(), private_redis_server()
    # No health-check rounds: only the half-open check closes an open circuit,
    # and only a watched circuit is half-opened.
    config = make_config([a], [1.0], health_check_interval=60)
    async with MultiDBClient(config) as client:
        # Each database is collected before the next is made, which CPython
        # often puts at the same address (the same id()).
        for _ in range(12):
            await client.add_database(
                DatabaseConfig(
                    weight=0.5,
                    client_kwargs={"host": b.host, "port": b.port},
                    grace_period=0.01,
                )
            )
            added = weighing(client, 0.5)
            added.circuit.state = State.OPEN

            async def closed_again(db: Any = added) -> bool:
                return bool(db.circuit.state == State.CLOSED)

            await wait_for(closed_again)
            await client.remove_database(added)
            await added.client.aclose()
            ref = weakref.ref(added)
            del added, closed_again
            assert collected(ref)


async def test_a_removed_failed_database_is_not_checked_again(
    private_redis_server: Factory,
) -> None:
    a, b = private_redis_server(), private_redis_server()
    async with MultiDBClient(make_config([a, b], [1.0, 0.5])) as client:
        failed = weighing(client, 0.5)
        failed.circuit.grace_period = 1.0  # ends well after the removal
        changes: list[State] = []
        failed.circuit.on_state_changed(lambda _c, _o, new: changes.append(new))
        b.kill()

        async def opened(db: Any = failed) -> bool:
            return bool(db.circuit.state == State.OPEN)

        await wait_for(opened)
        await client.remove_database(failed)
        await failed.client.aclose()
        changes.clear()

        # The grace period ends: half-opened by the pending timer, and left so.
        async def half_opened() -> bool:
            return State.HALF_OPEN in changes

        await wait_for(half_opened)
        ref = weakref.ref(failed)
        del failed, opened
        assert collected(ref)


async def test_a_database_removed_during_its_check_keeps_no_check_client(
    private_redis_server: Factory,
) -> None:
    a, b = private_redis_server(), private_redis_server()
    target: list[Any] = []

    class RemovesItsDatabase(PingHealthCheck):
        """Removes the database it checks (once): its other check has not
        started yet, and makes the health-check client again."""

        async def check_health(self, database: Any, hc_client: Any) -> bool:
            if target and database is target[0]:
                target.clear()
                await client.remove_database(database)
                return True
            return await super().check_health(database, hc_client)

    config = make_config(
        [a, b],
        [1.0, 0.5],
        health_checks=[RemovesItsDatabase(1, 0.01), PingHealthCheck(1, 0.01)],
    )
    async with MultiDBClient(config) as client:
        removed = weighing(client, 0.5)
        target.append(removed)

        async def gone() -> bool:
            return not target and clients_connected(b) == 0

        # Only the health checks talk to the database that is not active.
        await wait_for(gone)
        await removed.client.aclose()
        ref = weakref.ref(removed)
        del removed
        assert collected(ref)


async def test_a_database_removed_during_its_half_open_check_keeps_no_check_client(
    private_redis_server: Factory,
) -> None:
    a, b = private_redis_server(), private_redis_server()
    # No health-check rounds: only the half-open check talks to b after
    # the initial round.
    config = make_config([a, b], [1.0, 0.5], health_check_interval=60)
    async with MultiDBClient(config) as client:
        removed = weighing(client, 0.5)
        # Half-opened (its check spawned, not yet run), then removed.
        removed.circuit.state = State.HALF_OPEN
        await client.remove_database(removed)

        async def gone() -> bool:
            return clients_connected(b) == 0

        await wait_for(gone)
        await removed.client.aclose()
        ref = weakref.ref(removed)
        del removed
        assert collected(ref)
