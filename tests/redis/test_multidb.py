"""aio.redis.multidb against private redis-server processes: the active database
is the healthy one of highest weight, the client fails over when it dies and
falls back when it returns, pipelines/transactions/pub/sub go through it, and
closing leaves no connection or task behind."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
import pytest

from aio.redis import Redis
from aio.redis.backoff import ConstantBackoff
from aio.redis.exceptions import DataError
from aio.redis.multidb.circuit import State
from aio.redis.multidb.client import MultiDBClient
from aio.redis.multidb.config import DatabaseConfig, InitialHealthCheck, MultiDbConfig
from aio.redis.multidb.event import (
    AsyncActiveDatabaseChanged,
    AsyncEventListenerInterface,
    AsyncOnCommandsFailEvent,
)
from aio.redis.multidb.exception import (
    InitialHealthCheckFailedError,
    NoValidDatabaseException,
    TemporaryUnavailableException,
    UnhealthyDatabaseException,
)
from aio.redis.retry import Retry
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import FAST, GRACE, clients_connected, port_of

Factory = Callable[..., PrivateRedis]

# Both libraries warn that the API is experimental, on every client made.
pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


class Recorder(AsyncEventListenerInterface):
    """Records the events it is given."""

    def __init__(self) -> None:
        self.events: list[Any] = []

    async def listen(self, event: object) -> None:
        self.events.append(event)

    def changes(self) -> list[tuple[int, int]]:
        return [
            (port_of(e.old_database), port_of(e.new_database))
            for e in self.events
            if isinstance(e, AsyncActiveDatabaseChanged)
        ]


def make_config(
    servers: list[PrivateRedis], weights: list[float], **overrides: Any
) -> MultiDbConfig:
    options = {**FAST, **overrides}
    options.setdefault("command_retry", Retry(ConstantBackoff(0.05), 40))
    return MultiDbConfig(
        databases_config=[
            DatabaseConfig(
                weight=weight,
                client_kwargs={"host": s.host, "port": s.port, "socket_timeout": 2},
                grace_period=GRACE,
            )
            for s, weight in zip(servers, weights, strict=True)
        ],
        **options,
    )


async def wait_for(check: Callable[[], Awaitable[bool]], timeout: float = 10) -> None:
    with anyio.fail_after(timeout):
        while not await check():
            await anyio.sleep(0.02)


def active_port(client: MultiDBClient) -> int:
    assert client.command_executor.active_database is not None
    return port_of(client.command_executor.active_database)


async def written_to(server: PrivateRedis, key: str) -> bool:
    async with Redis(host=server.host, port=server.port) as direct:
        return bool(await direct.exists(key))


async def test_commands_go_to_the_highest_weight_database(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server() for _ in range(3)]
    config = make_config(servers, [0.2, 0.9, 0.5])
    async with MultiDBClient(config) as client:
        assert active_port(client) == servers[1].port
        assert [db.weight for db, _ in client.get_databases()] == [0.9, 0.5, 0.2]
        assert await client.set("k", "v")
        assert await client.get("k") == b"v"
        assert [await written_to(s, "k") for s in servers] == [False, True, False]


async def test_failover_and_fallback(private_redis_server: Factory) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    recorder = Recorder()
    config = make_config([primary, secondary], [1.0, 0.5])
    config.event_dispatcher.register_listeners(
        {AsyncActiveDatabaseChanged: [recorder], AsyncOnCommandsFailEvent: [recorder]}
    )
    async with MultiDBClient(config) as client:
        await client.set("before", 1)
        primary.kill()
        # Commands keep working: the failure opens the circuit, the retry
        # runs on the secondary.
        await client.set("during", 2)
        assert active_port(client) == secondary.port
        assert await written_to(secondary, "during")
        assert recorder.changes() == [(primary.port, secondary.port)]
        assert any(isinstance(e, AsyncOnCommandsFailEvent) for e in recorder.events)
        primary.start()

        async def back_on_primary() -> bool:
            await client.ping()
            return active_port(client) == primary.port

        # The health checks close the primary's circuit; the next fallback
        # (auto_fallback_interval) makes it active again.
        await wait_for(back_on_primary)
        assert recorder.changes() == [
            (primary.port, secondary.port),
            (secondary.port, primary.port),
        ]
        await client.set("after", 3)
        assert await written_to(primary, "after")


async def test_no_fallback_while_the_interval_is_off(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5], auto_fallback_interval=0)
    async with MultiDBClient(config) as client:
        primary.kill()
        await client.ping()
        assert active_port(client) == secondary.port
        primary.start()
        db_primary = next(db for db, _ in client.get_databases() if db.weight == 1.0)

        async def closed() -> bool:
            return db_primary.circuit.state == State.CLOSED

        await wait_for(closed)
        await client.ping()
        assert active_port(client) == secondary.port


async def test_health_checks_open_the_circuit_without_commands(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5])
    async with MultiDBClient(config) as client:
        db_primary, db_secondary = (db for db, _ in client.get_databases())
        primary.kill()

        async def opened() -> bool:
            return db_primary.circuit.state != State.CLOSED

        await wait_for(opened)
        assert db_secondary.circuit.state == State.CLOSED
        # The next command fails over before it is sent: no failure at all.
        await client.ping()
        assert active_port(client) == secondary.port


async def test_half_open_after_the_grace_period(private_redis_server: Factory) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    # Background rounds rarely: the half-open check is what closes the circuit.
    config = make_config([primary, secondary], [1.0, 0.5], health_check_interval=60)
    async with MultiDBClient(config) as client:
        db_primary, _ = (db for db, _ in client.get_databases())
        seen: list[tuple[State, State]] = []
        db_primary.circuit.on_state_changed(lambda c, old, new: seen.append((old, new)))
        db_primary.circuit.state = State.OPEN
        started = time.monotonic()

        async def closed() -> bool:
            return db_primary.circuit.state == State.CLOSED

        await wait_for(closed)
        assert time.monotonic() - started >= GRACE * 0.9
        assert seen == [
            (State.CLOSED, State.OPEN),
            (State.OPEN, State.HALF_OPEN),
            (State.HALF_OPEN, State.CLOSED),
        ]


async def test_all_down_is_temporary_then_no_valid_database(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config(
        [primary, secondary],
        [1.0, 0.5],
        command_retry=Retry(ConstantBackoff(0.01), 0),
        failover_attempts=1,
        failover_delay=0.2,
    )
    async with MultiDBClient(config) as client:
        for db, _ in client.get_databases():
            db.circuit.state = State.OPEN
        primary.kill()
        secondary.kill()
        with pytest.raises(TemporaryUnavailableException):
            await client.ping()
        await anyio.sleep(0.25)
        with pytest.raises(NoValidDatabaseException):
            await client.ping()


@pytest.mark.parametrize(
    ("policy", "down", "fails"),
    [
        (InitialHealthCheck.ALL_AVAILABLE, 1, True),
        (InitialHealthCheck.MAJORITY_AVAILABLE, 1, False),
        (InitialHealthCheck.MAJORITY_AVAILABLE, 2, True),
        (InitialHealthCheck.ONE_AVAILABLE, 2, False),
    ],
)
async def test_initial_health_check_policy(
    private_redis_server: Factory, policy: InitialHealthCheck, down: int, fails: bool
) -> None:
    servers = [private_redis_server() for _ in range(3)]
    for server in servers[:down]:
        server.kill()
    config = make_config(servers, [0.9, 0.5, 0.2], initial_health_check_policy=policy)
    client = MultiDBClient(config)
    try:
        if fails:
            with pytest.raises(InitialHealthCheckFailedError):
                await client.initialize()
        else:
            await client.initialize()
            # The healthy database of highest weight.
            assert active_port(client) == servers[down].port
    finally:
        await client.aclose()


async def test_pipeline_and_transaction(private_redis_server: Factory) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    async with MultiDBClient(make_config([primary, secondary], [1, 0.5])) as client:
        pipe = client.pipeline()
        pipe.set("a", 1)
        pipe.incr("a")
        pipe.get("a")
        assert len(pipe) == 3
        assert await pipe.execute() == [True, 2, b"2"]
        assert len(pipe) == 0

        def bump(key: str) -> Callable[[Any], Awaitable[None]]:
            async def run(p: Any) -> None:
                value = int(await p.get(key))
                p.multi()
                p.set(key, value + 40)

            return run

        assert await client.transaction(bump("a"), "a") == [True]
        assert await client.get("a") == b"42"
        primary.kill()
        async with client.pipeline() as pipe:
            pipe.set("b", 1)
            pipe.get("b")
            assert await pipe.execute() == [True, b"1"]
        assert await written_to(secondary, "b")
        assert await client.transaction(bump("b"), "b") == [True]
        assert await client.get("b") == b"41"


async def test_pubsub_moves_to_the_new_database(private_redis_server: Factory) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    async with MultiDBClient(make_config([primary, secondary], [1, 0.5])) as client:
        pubsub = await client.pubsub()
        await pubsub.subscribe("news")
        message = await pubsub.get_message(timeout=2)
        assert message is not None and message["type"] == "subscribe"
        assert pubsub.subscribed
        primary.kill()
        await client.ping()  # fails over, and the pub/sub with it
        assert active_port(client) == secondary.port

        async def delivered() -> bool:
            await client.publish("news", "hello")
            got = await pubsub.get_message(ignore_subscribe_messages=True, timeout=0.2)
            return got is not None and got["data"] == b"hello"

        await wait_for(delivered)
        await pubsub.aclose()


async def test_membership_and_weights(private_redis_server: Factory) -> None:
    servers = [private_redis_server() for _ in range(3)]
    async with MultiDBClient(make_config(servers[:2], [1.0, 0.5])) as client:
        other = MultiDBClient(make_config(servers[2:], [1.0]))
        stranger = next(iter(other.get_databases()))[0]
        with pytest.raises(ValueError, match="not a member of database list"):
            await client.set_active_database(stranger)
        with pytest.raises(ValueError, match="not a member of database list"):
            await client.update_database_weight(stranger, 3)
        with pytest.raises(ValueError, match="Item not found"):
            await client.remove_database(stranger)
        await other.aclose()

        first, second = (db for db, _ in client.get_databases())
        await client.set_active_database(second)
        assert active_port(client) == servers[1].port
        await client.update_database_weight(second, 2.0)
        assert [db for db, _ in client.get_databases()] == [second, first]

        new = DatabaseConfig(
            weight=5.0, client_kwargs={"host": servers[2].host, "port": servers[2].port}
        )
        await client.add_database(new)
        assert active_port(client) == servers[2].port
        top = client.get_databases()[0][0]
        await client.remove_database(top)
        assert active_port(client) == servers[1].port
        servers[0].kill()
        # As redis-py: the health check's error propagates.
        with pytest.raises(UnhealthyDatabaseException):
            await client.set_active_database(first)


async def test_himport_is_refused(private_redis_server: Factory) -> None:
    server = private_redis_server()
    async with MultiDBClient(make_config([server], [1.0])) as client:
        with pytest.raises(DataError, match="HIMPORT is not supported"):
            await client.himport_prepare("fs", ["a"])
        with pytest.raises(DataError, match="HIMPORT is not supported"):
            client.pipeline().himport_set("fs", "k", "v")


async def test_no_database_means_no_active_database() -> None:
    client = MultiDBClient(MultiDbConfig(databases_config=[]))
    with pytest.raises(NoValidDatabaseException, match="no active database found"):
        await client.initialize()
    await client.aclose()


async def test_close_leaves_no_connection_or_task(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    before = set(asyncio.all_tasks())
    client = MultiDBClient(make_config(servers, [1.0, 0.5]))
    await client.set("k", "v")
    pubsub = await client.pubsub()
    await pubsub.subscribe("c")
    assert set(asyncio.all_tasks()) - before  # the health checks run
    assert clients_connected(servers[0]) >= 2  # commands, pub/sub, health checks
    await client.aclose()
    assert set(asyncio.all_tasks()) - before == set()
    for server in servers:
        assert clients_connected(server) == 0


async def test_a_dropped_client_stops_its_health_checks(
    private_redis_server: Factory,
) -> None:
    import gc

    servers = [private_redis_server()]
    before = set(asyncio.all_tasks())
    client = MultiDBClient(make_config(servers, [1.0]))
    await client.ping()
    assert set(asyncio.all_tasks()) - before
    del client
    gc.collect()

    async def no_task_left() -> bool:
        return not set(asyncio.all_tasks()) - before

    await wait_for(no_task_left)


async def test_cancelled_commands_leave_the_client_usable(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    # Slow retries: a command on the dead primary is still retrying when cancelled.
    config = make_config(
        [primary, secondary],
        [1.0, 0.5],
        command_retry=Retry(ConstantBackoff(0.5), 10),
        min_num_failures=1000,
        health_check_interval=60,
    )
    client = MultiDBClient(config)
    # An initialization cancelled (at its first await), then done again.
    with anyio.move_on_after(0):
        await client.initialize()
    assert not client.initialized
    await client.initialize()
    assert active_port(client) == primary.port
    primary.kill()
    with anyio.move_on_after(0.2) as scope:
        await client.set("k", "v")
    assert scope.cancelled_caught
    # The circuit is opened by hand (no health check round comes soon): the
    # next command fails over at once.
    client.get_databases()[0][0].circuit.state = State.OPEN
    assert await client.set("k", "v")
    assert active_port(client) == secondary.port
    tasks_before = len(asyncio.all_tasks())
    await client.aclose()
    assert len(asyncio.all_tasks()) < tasks_before
