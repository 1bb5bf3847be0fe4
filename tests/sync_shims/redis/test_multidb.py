"""The blocking multi-database client, each test run against redis-py's
``redis.multidb`` (the oracle) and ``sync_shims.redis.multidb`` on the same
private redis-servers: same choice of database, same failover and fallback,
same events, same errors."""

from __future__ import annotations

import importlib
import threading
import time
from collections.abc import Callable, Iterator
from types import SimpleNamespace
from typing import Any

import pytest

from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import (
    FAST,
    GRACE,
    clients_connected,
    eventually,
    port_of,
)

Factory = Callable[..., PrivateRedis]

# Both libraries warn that the API is experimental, on every client made.
pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


def _library(name: str) -> SimpleNamespace:
    """The blocking multi-database API of redis-py (``redis``) or ours."""
    mod = importlib.import_module
    base = "redis" if name == "redis" else "sync_shims.redis"
    event = mod(f"{base}.multidb.event")
    return SimpleNamespace(
        name=name,
        client=mod(f"{base}.multidb.client"),
        config=mod(f"{base}.multidb.config"),
        event=event,
        exception=mod(f"{base}.multidb.exception"),
        circuit=mod(f"{base}.multidb.circuit"),
        listener=(
            mod("redis.event") if name == "redis" else event
        ).EventListenerInterface,
        Retry=mod(f"{base}.retry").Retry,
        ConstantBackoff=mod(f"{base}.backoff").ConstantBackoff,
    )


@pytest.fixture(params=["redis", "sync_shims"])
def lib(request: pytest.FixtureRequest) -> SimpleNamespace:
    return _library(request.param)


def make_config(
    lib: SimpleNamespace,
    servers: list[PrivateRedis],
    weights: list[float],
    **overrides: Any,
) -> Any:
    options = {**FAST, **overrides}
    options.setdefault("command_retry", lib.Retry(lib.ConstantBackoff(0.05), 40))
    return lib.config.MultiDbConfig(
        databases_config=[
            lib.config.DatabaseConfig(
                weight=weight,
                client_kwargs={"host": s.host, "port": s.port, "socket_timeout": 2},
                grace_period=GRACE,
            )
            for s, weight in zip(servers, weights, strict=True)
        ],
        **options,
    )


@pytest.fixture
def opened() -> Iterator[list[Any]]:
    """Clients to close at the end of the test (even when it fails)."""
    clients: list[Any] = []
    yield clients
    for client in clients:
        client.close()


def active_port(client: Any) -> int:
    return port_of(client.command_executor.active_database)


def direct_get(server: PrivateRedis, key: str) -> Any:
    import redis

    with redis.Redis(host=server.host, port=server.port) as direct:
        return direct.get(key)


def test_highest_weight_then_failover_then_fallback(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    changes: list[tuple[int, int]] = []

    class Recorder(lib.listener):  # type: ignore[misc,name-defined]
        def listen(self, event: Any) -> None:
            changes.append((port_of(event.old_database), port_of(event.new_database)))

    config = make_config(lib, [secondary, primary], [0.5, 1.0])
    config.event_dispatcher.register_listeners(
        {lib.event.ActiveDatabaseChanged: [Recorder()]}
    )
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    assert [db.weight for db, _ in client.get_databases()] == [1.0, 0.5]
    assert client.set("k", "1")
    assert active_port(client) == primary.port
    assert direct_get(primary, "k") == b"1"

    primary.kill()
    assert client.set("k", "2")  # fails over within the command's retries
    assert active_port(client) == secondary.port
    assert direct_get(secondary, "k") == b"2"
    assert changes == [(primary.port, secondary.port)]

    primary.start()

    def back() -> bool:
        client.ping()
        return active_port(client) == primary.port

    eventually(back)
    assert changes == [(primary.port, secondary.port), (secondary.port, primary.port)]


def test_initial_health_check_fails(
    lib: SimpleNamespace, private_redis_server: Factory
) -> None:
    up, down = private_redis_server(), private_redis_server()
    down.kill()
    client = lib.client.MultiDBClient(make_config(lib, [up, down], [1.0, 0.5]))
    try:
        with pytest.raises(lib.exception.InitialHealthCheckFailedError):
            client.ping()
    finally:
        client.close()
    policy = lib.config.InitialHealthCheck.ONE_AVAILABLE
    config = make_config(
        lib, [down, up], [1.0, 0.5], initial_health_check_policy=policy
    )
    client = lib.client.MultiDBClient(config)
    try:
        assert client.ping()
        assert active_port(client) == up.port
    finally:
        client.close()


def test_pipeline_transaction_and_pubsub(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    # Failover by the health checks only: with a detector that opens a circuit
    # on one failure, redis-py's pub/sub worker (which keeps reading while the
    # client fails over) also opens the new database's circuit.
    config = make_config(lib, [primary, secondary], [1, 0.5], min_num_failures=1000)
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    with client.pipeline() as pipe:
        pipe.set("a", 1).incr("a").get("a")
        assert pipe.execute() == [True, 2, b"2"]

    def bump(p: Any) -> None:
        value = int(p.get("a"))
        p.multi()
        p.set("a", value + 40)

    assert client.transaction(bump, "a") == [True]
    assert client.get("a") == b"42"

    received: list[Any] = []
    got = threading.Event()

    def handler(message: dict[str, Any]) -> None:
        received.append(message["data"])
        got.set()

    pubsub = client.pubsub()
    pubsub.subscribe(news=handler)
    worker = pubsub.run_in_thread(sleep_time=0.05, daemon=True)
    try:
        eventually(lambda: bool(client.publish("news", "one")) and got.wait(0.1))
        primary.kill()
        client.ping()  # fails over; the pub/sub is moved to the new database
        assert active_port(client) == secondary.port
        got.clear()
        eventually(lambda: bool(client.publish("news", "two")) and got.wait(0.1))
    finally:
        worker.stop()
        worker.join(5)
    assert b"one" in received and b"two" in received
    with client.pipeline() as pipe:
        pipe.set("b", 1).get("b")
        assert pipe.execute() == [True, b"1"]
    assert direct_get(secondary, "b") == b"1"


def test_membership_errors(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    a, b = private_redis_server(), private_redis_server()
    client = lib.client.MultiDBClient(make_config(lib, [a], [1.0]))
    other = lib.client.MultiDBClient(make_config(lib, [b], [1.0]))
    opened += [client, other]
    client.ping()
    stranger = other.get_databases()[0][0]
    with pytest.raises(ValueError, match="not a member of database list"):
        client.set_active_database(stranger)
    with pytest.raises(ValueError, match="not a member of database list"):
        client.update_database_weight(stranger, 2)
    with pytest.raises(ValueError, match="Item not found"):
        client.remove_database(stranger)
    with pytest.raises(ValueError, match="health_check_probes must be greater than 0"):
        lib.client.MultiDBClient(make_config(lib, [a], [1.0], health_check_probes=0))
    client.add_database(
        lib.config.DatabaseConfig(
            weight=2.0, client_kwargs={"host": b.host, "port": b.port}
        )
    )
    assert active_port(client) == b.port
    assert [db.weight for db, _ in client.get_databases()] == [2.0, 1.0]


def test_close_leaves_no_connection(private_redis_server: Factory) -> None:
    lib = _library("sync_shims")
    servers = [private_redis_server(), private_redis_server()]
    client = lib.client.MultiDBClient(make_config(lib, servers, [1.0, 0.5]))
    client.set("k", "v")
    assert clients_connected(servers[0]) >= 1
    client.close()
    for server in servers:
        assert clients_connected(server) == 0


def test_own_strategy_detector_and_listener(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    high, low = private_redis_server(), private_redis_server()
    failover_mod = importlib.import_module(
        "redis.multidb.failover"
        if lib.name == "redis"
        else "sync_shims.redis.multidb.failover"
    )
    detector_mod = importlib.import_module(
        "redis.multidb.failure_detector"
        if lib.name == "redis"
        else "sync_shims.redis.multidb.failure_detector"
    )

    class Lightest(failover_mod.FailoverStrategy):  # type: ignore[misc,name-defined]
        """The healthy database of lowest weight."""

        def set_databases(self, databases: Any) -> None:
            self.databases = databases

        def database(self) -> Any:
            healthy = [
                db
                for db, _ in self.databases
                if db.circuit.state == lib.circuit.State.CLOSED
            ]
            return healthy[-1]

    class Counting(detector_mod.FailureDetector):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self.executed = 0
            self.failed = 0

        def register_failure(self, exception: Exception, cmd: tuple[Any, ...]) -> None:
            self.failed += 1

        def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
            self.executed += 1

        def set_command_executor(self, command_executor: Any) -> None:
            pass

    seen: list[Any] = []

    class CallsBack(lib.listener):  # type: ignore[misc,name-defined]
        def listen(self, event: Any) -> None:
            # A listener may use the client (ours runs in a worker thread).
            seen.append((port_of(event.new_database), client.ping()))

    counting = Counting()
    config = make_config(
        lib,
        [high, low],
        [1.0, 0.5],
        failover_strategy=Lightest(),
        failure_detectors=[counting],
    )
    config.event_dispatcher.register_listeners(
        {lib.event.ActiveDatabaseChanged: [CallsBack()]}
    )
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    assert client.set("k", "v")
    assert active_port(client) == high.port  # initialization: by weight
    assert counting.executed >= 1

    def moved() -> bool:
        client.ping()  # the fallback asks the strategy: the lightest
        return active_port(client) == low.port

    eventually(moved)
    assert seen == [(low.port, True)]


def test_pubsub_get_message(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    server = private_redis_server()
    client = lib.client.MultiDBClient(make_config(lib, [server], [1.0]))
    opened.append(client)
    pubsub = client.pubsub()
    pubsub.subscribe("news")
    first = pubsub.get_message(timeout=2)
    assert first is not None and first["type"] == "subscribe"
    assert pubsub.subscribed
    client.publish("news", "hello")
    message = pubsub.get_message(ignore_subscribe_messages=True, timeout=2)
    assert message is not None
    assert (message["type"], message["channel"], message["data"]) == (
        "message",
        b"news",
        b"hello",
    )
    pubsub.unsubscribe("news")
    gone = pubsub.get_message(timeout=2)
    assert gone is not None and gone["type"] == "unsubscribe"
    pubsub.close()


def test_facade_context_manager_loop_guard_and_tasks(
    private_redis_server: Factory,
) -> None:
    import asyncio

    from sync_shims._portal import EngineThreadError, call

    lib = _library("sync_shims")
    server = private_redis_server()

    async def engine_tasks() -> set[asyncio.Task[Any]]:
        return set(asyncio.all_tasks()) - {asyncio.current_task()}

    before = call(engine_tasks)
    with lib.client.MultiDBClient(make_config(lib, [server], [1.0])) as client:
        assert client.ping()
        assert call(engine_tasks) - before  # the background health checks

        async def from_the_loop() -> None:
            client.ping()

        with pytest.raises(EngineThreadError):
            call(from_the_loop)
    assert call(engine_tasks) - before == set()


def test_a_dropped_facade_stops_its_health_checks(
    private_redis_server: Factory,
) -> None:
    import asyncio
    import gc

    from sync_shims._portal import call

    lib = _library("sync_shims")
    server = private_redis_server()

    async def engine_tasks() -> set[asyncio.Task[Any]]:
        return set(asyncio.all_tasks()) - {asyncio.current_task()}

    before = call(engine_tasks)
    client = lib.client.MultiDBClient(make_config(lib, [server], [1.0]))
    assert client.ping()
    assert call(engine_tasks) - before
    del client
    gc.collect()
    eventually(lambda: not call(engine_tasks) - before)


COMMANDS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("set", ("k", "v"), {}),
    ("get", ("k",), {}),
    ("hset", ("h",), {"mapping": {"a": 1, "b": 2}}),
    ("hgetall", ("h",), {}),
    ("zadd", ("z", {"a": 1.5, "b": 2}), {}),
    ("zrange", ("z", 0, -1), {"withscores": True}),
    ("incrbyfloat", ("f", 1.5), {}),
    ("rpush", ("l", "a", "b"), {}),
    ("lrange", ("l", 0, -1), {}),
    ("sadd", ("s", "x", "y"), {}),
    ("smembers", ("s",), {}),
    ("eval", ("return {KEYS[1], ARGV[1]}", 1, "x", "y"), {}),
    ("xadd", ("st", {"f": "v"}), {"id": "1-0"}),
    ("xrange", ("st",), {}),
    ("expire", ("k", 100), {}),
    ("ttl", ("k",), {}),
    ("type", ("h",), {}),
    ("exists", ("k", "h", "nope"), {}),
    ("delete", ("k",), {}),
]


def test_commands_reply_as_redis_pys(
    private_redis_server: Factory, opened: list[Any]
) -> None:
    replies = []
    for name in ("redis", "sync_shims"):
        lib = _library(name)
        server = private_redis_server()
        client = lib.client.MultiDBClient(make_config(lib, [server], [1.0]))
        opened.append(client)
        got = [getattr(client, m)(*args, **kw) for m, args, kw in COMMANDS]
        got.append(sorted(client.scan_iter(match="*")))
        replies.append(got)
    assert replies[0] == replies[1]


def test_threads_share_the_client_through_a_failover(
    private_redis_server: Factory, opened: list[Any]
) -> None:
    lib = _library("sync_shims")
    primary, secondary = private_redis_server(), private_redis_server()
    client = lib.client.MultiDBClient(make_config(lib, [primary, secondary], [1, 0.5]))
    opened.append(client)
    client.ping()
    errors: list[BaseException] = []
    finished: list[int] = []

    def worker(n: int) -> None:
        try:
            for i in range(30):
                client.incr(f"t:{n}")
                if n == 0 and i == 5:
                    primary.kill()
            finished.append(n)
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert sorted(finished) == list(range(6))
    assert active_port(client) == secondary.port


def test_run_in_thread_wants_a_handler_for_every_subscription(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    server = private_redis_server()
    client = lib.client.MultiDBClient(make_config(lib, [server], [1.0]))
    opened.append(client)
    pubsub = client.pubsub()
    pubsub.subscribe("bare")
    errors = importlib.import_module(
        "redis.exceptions" if lib.name == "redis" else "sync_shims.redis.exceptions"
    )
    with pytest.raises(errors.PubSubError, match="^Channel: .*bare.* has no handler"):
        pubsub.run_in_thread(sleep_time=0.01)
    pubsub.close()
    pubsub = client.pubsub()
    pubsub.psubscribe("bare-*")
    with pytest.raises(errors.PubSubError, match="^Pattern: .*bare-.* has no handler"):
        pubsub.run_in_thread(sleep_time=0.01)
    pubsub.close()


def test_run_in_thread_reads_shard_channels_when_asked(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    server = private_redis_server()
    client = lib.client.MultiDBClient(make_config(lib, [server], [1.0]))
    opened.append(client)
    got: list[Any] = []
    pubsub = client.pubsub()
    pubsub.ssubscribe(**{"shard-news": got.append})
    worker = pubsub.run_in_thread(sleep_time=0.05, daemon=True, sharded_pubsub=True)
    try:
        assert worker.sharded_pubsub is True
        for _ in range(100):
            if client.spublish("shard-news", "hello") == 1 and got:
                break
            time.sleep(0.05)
        assert got and got[0]["data"] in (b"hello", "hello")
    finally:
        worker.stop()
        worker.join(5)
        pubsub.close()


def test_from_pool_and_from_url(
    lib: SimpleNamespace, private_redis_server: Factory, opened: list[Any]
) -> None:
    a, b = private_redis_server(), private_redis_server()
    base = "redis" if lib.name == "redis" else "sync_shims.redis"
    pool_class = importlib.import_module(base).ConnectionPool
    pool = pool_class(host=a.host, port=a.port)
    config = lib.config.MultiDbConfig(
        databases_config=[
            lib.config.DatabaseConfig(weight=1.0, from_pool=pool),
            lib.config.DatabaseConfig(
                weight=0.5, from_url=f"redis://{b.host}:{b.port}/0"
            ),
        ],
        **FAST,
    )
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    assert client.set("k", "pooled")
    assert direct_get(a, "k") == b"pooled"
    second = client.get_databases()[1][0]
    client.set_active_database(second)
    assert client.set("k", "url")
    assert direct_get(b, "k") == b"url"
    # The databases' own retries are off: the client's command_retry retries.
    assert pool.connection_kwargs["retry"].get_retries() == 0


def test_cluster_databases(
    lib: SimpleNamespace, redis_cluster: list[tuple[str, int]], opened: list[Any]
) -> None:
    base = "redis" if lib.name == "redis" else "sync_shims.redis"
    cluster_class = importlib.import_module(base).RedisCluster
    (host_a, port_a), (host_b, port_b) = redis_cluster[0], redis_cluster[1]
    config = lib.config.MultiDbConfig(
        databases_config=[
            lib.config.DatabaseConfig(
                weight=1.0, client_kwargs={"host": host_a, "port": port_a}
            ),
            lib.config.DatabaseConfig(
                weight=0.5, client_kwargs={"host": host_b, "port": port_b}
            ),
        ],
        client_class=cluster_class,
        **FAST,
    )
    client = lib.client.MultiDBClient(config)
    opened.append(client)
    keys = [f"multidb-sync:{lib.name}:{i}" for i in range(10)]
    for i, key in enumerate(keys):
        assert client.set(key, i)
    assert [client.get(key) for key in keys] == [str(i).encode() for i in range(10)]
    with client.pipeline() as pipe:
        pipe.get(keys[0]).get(keys[1])
        assert pipe.execute() == [b"0", b"1"]
    assert client.command_executor.active_database.weight == 1.0
    for key in keys:
        client.delete(key)
