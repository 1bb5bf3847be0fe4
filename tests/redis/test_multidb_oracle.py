"""aio.redis.multidb against redis-py's multidb as the oracle: the building
blocks on the same inputs (failure detector, failover executor, weighted list,
defaults, errors), and one whole failover of both asyncio clients on the same
private servers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import anyio
import pytest
import redis.asyncio.multidb.client as rp_client
import redis.asyncio.multidb.config as rp_config
import redis.asyncio.multidb.failover as rp_failover
import redis.asyncio.multidb.healthcheck as rp_healthcheck
import redis.multidb.exception as rp_exception
import redis.multidb.failure_detector as rp_detector
from hypothesis import given
from hypothesis import strategies as st
from redis.asyncio.multidb.event import AsyncActiveDatabaseChanged as RpChanged
from redis.asyncio.retry import Retry as RpRetry
from redis.backoff import ConstantBackoff as RpConstantBackoff
from redis.data_structure import WeightedList as RpWeightedList
from redis.event import AsyncEventListenerInterface as RpListener
from redis.event import AsyncOnCommandsFailEvent as RpFail
from redis.multidb import circuit as rp_circuit
from redis.multidb.circuit import State as RpState

from aio.redis.backoff import ConstantBackoff
from aio.redis.multidb import circuit, exception, failover, healthcheck
from aio.redis.multidb import client as our_client_module
from aio.redis.multidb import config as our_config
from aio.redis.multidb import failure_detector as our_detector
from aio.redis.multidb._weighted import WeightedList
from aio.redis.multidb.client import MultiDBClient
from aio.redis.multidb.event import (
    AsyncActiveDatabaseChanged,
    AsyncEventListenerInterface,
)
from aio.redis.multidb.event import AsyncOnCommandsFailEvent as OurFail
from aio.redis.retry import Retry
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import FAST, port_of

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


def test_defaults_are_redis_pys() -> None:
    for ours, theirs, names in [
        (healthcheck, rp_healthcheck, ["PROBES", "INTERVAL", "TIMEOUT", "DELAY"]),
    ]:
        for name in names:
            assert getattr(ours, f"DEFAULT_HEALTH_CHECK_{name}") == getattr(
                theirs, f"DEFAULT_HEALTH_CHECK_{name}"
            )
    assert failover.DEFAULT_FAILOVER_ATTEMPTS == rp_failover.DEFAULT_FAILOVER_ATTEMPTS
    assert failover.DEFAULT_FAILOVER_DELAY == rp_failover.DEFAULT_FAILOVER_DELAY
    assert our_config.DEFAULT_AUTO_FALLBACK_INTERVAL == (
        rp_config.DEFAULT_AUTO_FALLBACK_INTERVAL
    )
    assert circuit.DEFAULT_GRACE_PERIOD == rp_circuit.DEFAULT_GRACE_PERIOD
    assert our_detector.DEFAULT_MIN_NUM_FAILURES == rp_detector.DEFAULT_MIN_NUM_FAILURES
    assert our_detector.DEFAULT_FAILURE_RATE_THRESHOLD == (
        rp_detector.DEFAULT_FAILURE_RATE_THRESHOLD
    )
    assert [p.value for p in our_config.InitialHealthCheck] == [
        p.value for p in rp_config.InitialHealthCheck
    ]
    assert [p.name for p in healthcheck.HealthCheckPolicies] == [
        p.name for p in rp_healthcheck.HealthCheckPolicies
    ]
    assert [s.value for s in circuit.State] == [s.value for s in RpState]
    our_cfg, their_cfg = our_config.MultiDbConfig([]), rp_config.MultiDbConfig([])
    for name in ("health_check_interval", "auto_fallback_interval", "min_num_failures"):
        assert getattr(our_cfg, name) == getattr(their_cfg, name)
    assert our_cfg.command_retry.get_retries() == their_cfg.command_retry.get_retries()


@pytest.mark.parametrize("probes", [0, -1])
def test_bad_probes_raise_as_redis_py(probes: int) -> None:
    with pytest.raises(ValueError) as theirs:
        rp_healthcheck.PingHealthCheck(health_check_probes=probes)
    with pytest.raises(ValueError) as ours:
        healthcheck.PingHealthCheck(health_check_probes=probes)
    assert str(ours.value) == str(theirs.value)


class _Circuit:
    def __init__(self) -> None:
        self.opened = 0

    @property
    def state(self) -> Any:
        return None

    @state.setter
    def state(self, value: Any) -> None:
        self.opened += 1


class _Executor:
    def __init__(self) -> None:
        self.active_database = type("Db", (), {"circuit": _Circuit()})()


@given(
    events=st.lists(st.booleans(), max_size=60),
    min_failures=st.integers(1, 5),
    rate=st.sampled_from([0.0, 0.1, 0.5, 1.0]),
)
def test_failure_detector_opens_when_redis_pys_does(
    events: list[bool], min_failures: int, rate: float
) -> None:
    opened = []
    for module in (our_detector, rp_detector):
        detector = module.CommandFailureDetector(
            min_num_failures=min_failures,
            failure_rate_threshold=rate,
            failure_detection_window=3600,
        )
        executor = _Executor()
        detector.set_command_executor(executor)
        trace = []
        for failed in events:
            if failed:
                detector.register_failure(ConnectionError(), ("GET", "k"))
            else:
                detector.register_command_execution(("GET", "k"))
            trace.append(executor.active_database.circuit.opened)
        opened.append(trace)
    assert opened[0] == opened[1]


class _NoneStrategy:
    async def database(self) -> Any:
        raise exception.NoValidDatabaseException("none")

    def set_databases(self, databases: Any) -> None:
        pass


class _RpNoneStrategy(_NoneStrategy):
    async def database(self) -> Any:
        raise rp_exception.NoValidDatabaseException("none")


async def test_failover_executor_attempts_as_redis_py() -> None:
    traces = []
    for module, strategy in (
        (failover, _NoneStrategy()),
        (rp_failover, _RpNoneStrategy()),
    ):
        executor = module.DefaultFailoverStrategyExecutor(
            strategy,
            failover_attempts=3,
            failover_delay=0,
        )
        trace = []
        for _ in range(9):
            try:
                await executor.execute()
            except Exception as exc:
                trace.append(type(exc).__name__)
        traces.append(trace)
    assert traces[0] == traces[1]
    assert "TemporaryUnavailableException" in traces[0]
    assert "NoValidDatabaseException" in traces[0]


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["add", "remove", "update"]),
            st.integers(0, 5),
            st.sampled_from([0.1, 0.5, 0.5, 1.0, 2.0]),
        ),
        max_size=30,
    )
)
def test_weighted_list_orders_as_redis_pys(ops: list[tuple[str, int, float]]) -> None:
    ours: WeightedList[int] = WeightedList()
    theirs: Any = RpWeightedList()  # type: ignore[no-untyped-call]
    for op, item, weight in ops:
        outcomes = []
        for weighted in (ours, theirs):
            try:
                if op == "add":
                    weighted.add(item, weight)
                elif op == "remove":
                    outcomes.append(weighted.remove(item))
                else:
                    outcomes.append(weighted.update_weight(item, weight))
            except ValueError as exc:
                outcomes.append(str(exc))
        assert outcomes[:1] == outcomes[1:]
        assert list(ours) == list(theirs)
        assert ours.get_top_n(2) == theirs.get_top_n(2)
        assert ours.get_by_weight_range(0.4, 1.0) == theirs.get_by_weight_range(
            0.4, 1.0
        )


async def _failover_trace(
    make_client: Callable[[], Any], listener_base: type, servers: list[PrivateRedis]
) -> list[Any]:
    changes: list[tuple[int, int]] = []
    failures: list[tuple[Any, str]] = []

    class Recorder(listener_base):  # type: ignore[misc]
        async def listen(self, event: Any) -> None:
            if hasattr(event, "old_database"):
                changes.append(
                    (port_of(event.old_database), port_of(event.new_database))
                )
            else:
                failures.append((event.commands, type(event.exception).__name__))

    client, event_class, fail_class = make_client()
    client._event_dispatcher.register_listeners(
        {event_class: [Recorder()], fail_class: [Recorder()]}
    )
    try:
        await client.set("k", 1)
        trace: list[Any] = [port_of(client.command_executor.active_database)]
        servers[0].kill()
        await client.set("k", 2)
        trace.append(port_of(client.command_executor.active_database))
        trace.append(list(changes))
        trace.append(list(failures))
        return trace
    finally:
        await client.aclose()


async def test_failover_as_redis_pys_asyncio_client(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    servers = [private_redis_server() for _ in range(3)]
    weights = [1.0, 0.2, 0.6]
    options = {k: v for k, v in FAST.items() if k != "auto_fallback_interval"}

    def ours() -> Any:
        config = our_config.MultiDbConfig(
            databases_config=[
                our_config.DatabaseConfig(
                    weight=w, client_kwargs={"host": s.host, "port": s.port}
                )
                for s, w in zip(servers, weights, strict=True)
            ],
            command_retry=Retry(ConstantBackoff(0.05), 40),
            **options,
        )
        return MultiDBClient(config), AsyncActiveDatabaseChanged, OurFail

    def theirs() -> Any:
        config = rp_config.MultiDbConfig(
            databases_config=[
                rp_config.DatabaseConfig(
                    weight=w, client_kwargs={"host": s.host, "port": s.port}
                )
                for s, w in zip(servers, weights, strict=True)
            ],
            command_retry=RpRetry(RpConstantBackoff(0.05), 40),
            **options,
        )
        return rp_client.MultiDBClient(config), RpChanged, RpFail

    expected = await _failover_trace(theirs, RpListener, servers)
    servers[0].start()
    got = await _failover_trace(ours, AsyncEventListenerInterface, servers)
    assert got == expected
    assert got == [
        servers[0].port,
        servers[2].port,
        [(servers[0].port, servers[2].port)],
        [(("SET", "k", 2), "ConnectionError")],
    ]


Probe = bool | None  # None: the probe raises


class _ScriptedCheck:
    """A health check whose probes answer from a script."""

    def __init__(self, script: list[Probe], probes: int) -> None:
        self._script = list(script)
        self.health_check_probes = probes
        self.health_check_delay = 0
        self.health_check_timeout = 5

    async def check_health(self, database: Any, hc_client: Any) -> bool:
        answer = self._script.pop(0) if self._script else True
        if answer is None:
            raise ConnectionError("probe failed")
        return answer


def _policy(module: Any, name: str) -> Any:
    base = getattr(module, name)

    class Policy(base):  # type: ignore[misc,valid-type]
        async def get_client(self, database: Any) -> Any:
            return None

    return Policy()


@given(
    script=st.lists(st.sampled_from([True, False, None]), min_size=1, max_size=5),
    probes=st.integers(1, 5),
    name=st.sampled_from(
        ["HealthyAllPolicy", "HealthyMajorityPolicy", "HealthyAnyPolicy"]
    ),
)
async def test_health_check_policies_decide_as_redis_pys(
    script: list[Probe], probes: int, name: str
) -> None:
    outcomes = []
    for module, unhealthy in (
        (healthcheck, exception.UnhealthyDatabaseException),
        (rp_healthcheck, rp_exception.UnhealthyDatabaseException),
    ):
        policy = _policy(module, name)
        try:
            outcome: Any = await policy.execute([_ScriptedCheck(script, probes)], "db")
        except unhealthy as exc:
            outcome = ("unhealthy", type(exc.original_exception).__name__)
        outcomes.append(outcome)
    assert outcomes[0] == outcomes[1]


def _error_of(
    build: Callable[[Any, Any], Any], config_mod: Any, client_mod: Any
) -> Any:
    try:
        build(config_mod, client_mod)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return None


async def _aerror_of(
    build: Callable[[Any, Any], Any], config_mod: Any, client_mod: Any
) -> Any:
    try:
        await build(config_mod, client_mod)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    return None


BAD_CONFIGS: dict[str, Callable[[Any, Any], Any]] = {
    "policy not a policy": lambda c, m: m.MultiDBClient(
        c.MultiDbConfig([c.DatabaseConfig()], health_check_policy="all")
    ),
    "probes below one": lambda c, m: m.MultiDBClient(
        c.MultiDbConfig([c.DatabaseConfig()], health_check_probes=0)
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CONFIGS))
def test_bad_configs_raise_as_redis_py(case: str) -> None:
    build = BAD_CONFIGS[case]
    theirs = _error_of(build, rp_config, rp_client)
    ours = _error_of(build, our_config, our_client_module)
    assert theirs is not None
    assert ours is not None
    assert ours == theirs


async def _no_database(c: Any, m: Any) -> None:
    client = m.MultiDBClient(c.MultiDbConfig([]))
    try:
        await client.initialize()
    finally:
        await client.aclose()


async def _all_down(c: Any, m: Any) -> None:
    config = c.MultiDbConfig(
        [c.DatabaseConfig(client_kwargs={"host": "127.0.0.1", "port": 1})],
        health_check_probes=1,
    )
    client = m.MultiDBClient(config)
    try:
        await client.initialize()
    finally:
        await client.aclose()


async def _remove_the_last(c: Any, m: Any) -> None:
    client = m.MultiDBClient(c.MultiDbConfig([c.DatabaseConfig()]))
    try:
        await client.remove_database(client.get_databases()[0][0])
    finally:
        await client.aclose()


@pytest.mark.parametrize("build", [_no_database, _all_down, _remove_the_last])
async def test_bad_setups_raise_as_redis_py(build: Callable[[Any, Any], Any]) -> None:
    theirs = await _aerror_of(build, rp_config, rp_client)
    ours = await _aerror_of(build, our_config, our_client_module)
    assert theirs is not None
    assert ours == theirs


async def _fallback_trace(
    client: Any, event_class: Any, listener_base: type, server: PrivateRedis
) -> list[tuple[int, int]]:
    changes: list[tuple[int, int]] = []

    class Recorder(listener_base):  # type: ignore[misc]
        async def listen(self, event: Any) -> None:
            changes.append((port_of(event.old_database), port_of(event.new_database)))

    client._event_dispatcher.register_listeners({event_class: [Recorder()]})
    try:
        await client.ping()
        server.kill()
        await client.ping()
        server.start()
        with anyio.fail_after(10):
            while port_of(client.command_executor.active_database) != server.port:
                await client.ping()
                await anyio.sleep(0.02)
        return changes
    finally:
        await client.aclose()


async def test_fallback_as_redis_pys_asyncio_client(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    servers = [private_redis_server() for _ in range(2)]
    weights = [1.0, 0.5]

    def kwargs(s: PrivateRedis) -> dict[str, Any]:
        return {"host": s.host, "port": s.port}

    theirs = rp_client.MultiDBClient(
        rp_config.MultiDbConfig(
            [
                rp_config.DatabaseConfig(weight=w, client_kwargs=kwargs(s))
                for s, w in zip(servers, weights, strict=True)
            ],
            command_retry=RpRetry(RpConstantBackoff(0.05), 40),
            **FAST,
        )
    )
    expected = await _fallback_trace(theirs, RpChanged, RpListener, servers[0])
    ours = MultiDBClient(
        our_config.MultiDbConfig(
            [
                our_config.DatabaseConfig(weight=w, client_kwargs=kwargs(s))
                for s, w in zip(servers, weights, strict=True)
            ],
            command_retry=Retry(ConstantBackoff(0.05), 40),
            **FAST,
        )
    )
    got = await _fallback_trace(
        ours, AsyncActiveDatabaseChanged, AsyncEventListenerInterface, servers[0]
    )
    a, b = servers[0].port, servers[1].port
    assert got == expected == [(a, b), (b, a)]


ASYNC_COMMANDS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("set", ("k", "v"), {}),
    ("get", ("k",), {}),
    ("hset", ("h",), {"mapping": {"a": 1, "b": 2}}),
    ("hgetall", ("h",), {}),
    ("zadd", ("z", {"a": 1.5, "b": 2}), {}),
    ("zrange", ("z", 0, -1), {"withscores": True}),
    ("zscore", ("z", "a"), {}),
    ("incrbyfloat", ("f", 1.5), {}),
    ("rpush", ("l", "a", "b"), {}),
    ("lrange", ("l", 0, -1), {}),
    ("smembers", ("nope",), {}),
    ("eval", ("return {KEYS[1], ARGV[1]}", 1, "x", "y"), {}),
    ("xadd", ("st", {"f": "v"}), {"id": "1-0"}),
    ("xrange", ("st",), {}),
    ("config_get", ("maxmemory",), {}),
    ("exists", ("k", "h", "nope"), {}),
]


# RESP2, and the default RESP3 (redis-py 8 gives RESP2's shapes there; asked
# for explicitly, protocol=3, its replies differ from aio's core, which this
# suite of the multi-database client does not cover).
@pytest.mark.parametrize("protocol", [2, None])
async def test_commands_reply_as_through_redis_pys_client(
    private_redis_server: Callable[..., PrivateRedis], protocol: int | None
) -> None:
    replies = []
    for config_mod, client_mod in (
        (rp_config, rp_client),
        (our_config, our_client_module),
    ):
        server = private_redis_server()
        config = config_mod.MultiDbConfig(
            [
                config_mod.DatabaseConfig(
                    client_kwargs={
                        "host": server.host,
                        "port": server.port,
                        "protocol": protocol,
                    }
                )
            ],
            health_check_probes=1,
        )
        client = client_mod.MultiDBClient(config)
        try:
            got = [await getattr(client, m)(*a, **kw) for m, a, kw in ASYNC_COMMANDS]
            got.append(sorted([key async for key in client.scan_iter(match="*")]))
            pipe = client.pipeline()
            pipe.incr("n")
            pipe.hgetall("h")
            got.append(await pipe.execute())
            replies.append(got)
        finally:
            await client.aclose()
    assert replies[0] == replies[1]
