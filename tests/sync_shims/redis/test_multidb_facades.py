"""The blocking multi-database client's databases over the async core's: a
database the client removed is not kept alive by it (after add/remove cycles,
removing the active database, closing), events about a database it has just
removed name the user's database, a database whose addition failed after
the core took it stays in the client's list, and a pub/sub that could not move
to the new active database stays subscribed where it was and moves on its next
call. Where redis-py's ``redis.multidb``
can say the same, it runs too, as the oracle."""

from __future__ import annotations

import gc
import importlib
import weakref
from collections.abc import Callable, Iterator, Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from aio.redis.exceptions import ConnectionError as OurConnectionError
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import FAST, GRACE, port_of
from tests.redis.test_multidb_pubsub_switch import Full

Factory = Callable[..., PrivateRedis]

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


def _library(name: str) -> SimpleNamespace:
    mod = importlib.import_module
    base = "redis" if name == "redis" else "sync_shims.redis"
    event = mod(f"{base}.multidb.event")
    return SimpleNamespace(
        name=name,
        client=mod(f"{base}.multidb.client"),
        config=mod(f"{base}.multidb.config"),
        event=event,
        listener=(
            mod("redis.event") if name == "redis" else event
        ).EventListenerInterface,
        Retry=mod(f"{base}.retry").Retry,
        ConstantBackoff=mod(f"{base}.backoff").ConstantBackoff,
    )


@pytest.fixture(params=["redis", "sync_shims"])
def lib(request: pytest.FixtureRequest) -> SimpleNamespace:
    return _library(request.param)


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Clients to close at the end of the test (even when it fails)."""
    clients: list[Any] = []
    yield clients
    for client in clients:
        client.close()


def db_config(lib: SimpleNamespace, server: PrivateRedis, weight: float) -> Any:
    return lib.config.DatabaseConfig(
        weight=weight,
        client_kwargs={"host": server.host, "port": server.port, "socket_timeout": 2},
        grace_period=GRACE,
    )


def make_client(
    lib: SimpleNamespace,
    servers: list[PrivateRedis],
    weights: list[float],
    opened: list[Any],
    listeners: Sequence[Any] = (),
    **overrides: Any,
) -> Any:
    config = lib.config.MultiDbConfig(
        databases_config=[
            db_config(lib, s, w) for s, w in zip(servers, weights, strict=True)
        ],
        **{
            "command_retry": lib.Retry(lib.ConstantBackoff(0.05), 40),
            **FAST,
            **overrides,
        },
    )
    if listeners:
        config.event_dispatcher.register_listeners(
            {lib.event.ActiveDatabaseChanged: list(listeners)}
        )
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    return client


def weighing(client: Any, weight: float) -> Any:
    (database,) = [db for db, w in client.get_databases() if w == weight]
    return database


def collected(refs: list[weakref.ref[Any]]) -> bool:
    gc.collect()
    return all(ref() is None for ref in refs)


def test_removed_databases_are_collected(
    private_redis_server: Factory, opened: list[Any]
) -> None:
    lib = _library("sync_shims")
    a, b, c = (private_redis_server() for _ in range(3))
    client = make_client(lib, [a, b], [1.0, 0.5], opened)
    client.ping()
    refs: list[weakref.ref[Any]] = []

    def forget(database: Any) -> None:
        # The database and the async core's database behind it.
        refs.extend((weakref.ref(database), weakref.ref(database._core)))

    # Databases added then removed, again and again (a heavier one is made
    # active by its addition, and leaves the active role on its removal).
    for weight in (0.2, 2.0, 0.2, 2.0):
        client.add_database(db_config(lib, c, weight))
        added = weighing(client, weight)
        client.ping()
        assert (port_of(client.active_database) == c.port) == (weight > 1)
        client.remove_database(added)
        client.ping()
        forget(added)
        added.client.close()
        del added
    # One of the config's, not active; then the active one.
    for weight in (0.5, 1.0):
        removed = weighing(client, weight)
        if weight == 1.0:
            client.add_database(db_config(lib, c, 0.1))  # one must remain
        client.remove_database(removed)
        client.ping()
        forget(removed)
        removed.client.close()
        del removed
    assert port_of(client.active_database) == c.port
    assert collected(refs)
    assert client.active_database is weighing(client, 0.1)


def test_a_client_dropped_after_close_is_collected_with_its_databases(
    private_redis_server: Factory,
) -> None:
    lib = _library("sync_shims")
    server = private_redis_server()
    client = make_client(lib, [server], [1.0], [])
    client.ping()
    refs = [weakref.ref(client), weakref.ref(weighing(client, 1.0))]
    client.close()
    del client
    assert collected(refs)


def test_the_event_of_removing_the_active_database_names_it(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    a, b = private_redis_server(), private_redis_server()
    seen: list[tuple[Any, Any]] = []

    class Record(lib.listener):  # type: ignore[misc,name-defined]
        def listen(self, event: Any) -> None:
            seen.append((event.old_database, event.new_database))

    client = make_client(lib, [a, b], [1.0, 0.5], opened, [Record()])
    client.ping()
    first, second = weighing(client, 1.0), weighing(client, 0.5)
    client.remove_database(first)
    # The user's own database objects: the removed one, then the next.
    assert len(seen) == 1
    assert seen[0][0] is first and seen[0][1] is second
    assert client.set("k", "v")
    assert port_of(client.command_executor.active_database) == b.port
    # The removed database, added again, is the client's once more (and
    # active, as the heavier one).
    client.add_database(db_config(lib, a, 1.0))
    readded = weighing(client, 1.0)
    assert len(seen) == 2
    assert seen[1][0] is second and seen[1][1] is readded
    assert client.set("k", "v")
    assert port_of(client.command_executor.active_database) == a.port


class ListenerFailed(Exception):
    pass


def test_a_database_added_despite_a_failing_listener_is_the_clients(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    a, b = private_redis_server(), private_redis_server()

    class Fails(lib.listener):  # type: ignore[misc,name-defined]
        def listen(self, event: Any) -> None:
            raise ListenerFailed("listener failed")

    client = make_client(lib, [a], [1.0], opened, [Fails()])
    client.ping()
    # The core made it active, then the user's listener raised.
    with pytest.raises(ListenerFailed):
        client.add_database(db_config(lib, b, 2.0))
    added = weighing(client, 2.0)
    assert [w for _, w in client.get_databases()] == [2.0, 1.0]
    assert port_of(client.command_executor.active_database) == b.port
    if lib.name == "sync_shims":
        assert client.active_database is added
    assert client.set("k", "v")


def test_a_pubsub_that_could_not_move_moves_on_its_next_call(
    private_redis_server: Factory, opened: list[Any]
) -> None:
    lib = _library("sync_shims")
    a, b = private_redis_server(), private_redis_server()
    # No fallback, and no circuit opened by the failed calls.
    client = make_client(
        lib,
        [a, b],
        [1.0, 0.5],
        opened,
        auto_fallback_interval=0,
        min_num_failures=1000,
        command_retry=lib.Retry(lib.ConstantBackoff(0.05), 2),
    )
    pubsub = client.pubsub()
    pubsub.subscribe("news")
    first = pubsub.get_message(timeout=2)
    assert first is not None and first["type"] == "subscribe"
    second = weighing(client, 0.5)
    with Full(b):
        with pytest.raises(OurConnectionError):
            client.set_active_database(second)
        assert client.active_database is second
        with pytest.raises(OurConnectionError):
            pubsub.get_message(timeout=0)
        assert list(pubsub.channels) == [b"news"]
    confirmed = pubsub.get_message(timeout=2)
    assert confirmed is not None
    assert (confirmed["type"], confirmed["channel"]) == ("subscribe", b"news")
    assert client.publish("news", "hello") == 1  # on the second
    got = pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
    assert got is not None and got["data"] == b"hello"
    pubsub.close()
