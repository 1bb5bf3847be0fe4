"""aio.redis.multidb under faults and on clusters: a server that hangs (SIGSTOP)
instead of dying, many commands in flight during a failover, pub/sub handlers
run by ``run()`` across a failover, bad URLs, and databases that are Redis
Clusters."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import anyio
import pytest
import redis.asyncio.multidb.client as rp_client
import redis.asyncio.multidb.config as rp_config

from aio.redis.backoff import ConstantBackoff
from aio.redis.cluster import RedisCluster
from aio.redis.multidb.circuit import State
from aio.redis.multidb.client import MultiDBClient
from aio.redis.multidb.config import DatabaseConfig, MultiDbConfig
from aio.redis.multidb.event import (
    AsyncEventListenerInterface,
    AsyncOnCommandsFailEvent,
)
from aio.redis.retry import Retry
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_multidb import active_port, make_config, wait_for

Factory = Callable[..., PrivateRedis]

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


async def test_a_hung_server_is_failed_over(private_redis_server: Factory) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5], health_check_timeout=0.3)
    # Replies must come within 0.5 s (the default is 5 s).
    for db_config in config.databases_config:
        db_config.client_kwargs["socket_timeout"] = 0.5
    async with MultiDBClient(config) as client:
        await client.set("kept", "before")
        assert primary.process is not None
        primary.process.send_signal(signal.SIGSTOP)
        try:
            # The command times out on the hung primary (or the health check
            # times out first), and runs on the secondary.
            await client.set("k", "during")
            assert active_port(client) == secondary.port
            db_primary = client.get_databases()[0][0]
            assert db_primary.circuit.state != State.CLOSED
        finally:
            primary.process.send_signal(signal.SIGCONT)

        async def back() -> bool:
            await client.ping()
            return active_port(client) == primary.port

        await wait_for(back)
        assert await client.get("kept") == b"before"  # the primary kept its data


async def test_many_commands_in_flight_during_failover(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5])
    results: list[Any] = []
    async with MultiDBClient(config) as client:

        async def worker(n: int) -> None:
            for i in range(20):
                results.append(await client.incr(f"counter:{n}"))
                if n == 0 and i == 5:
                    primary.kill()
                await anyio.sleep(0.001)

        async with anyio.create_task_group() as tg:
            for n in range(10):
                tg.start_soon(worker, n)
        assert len(results) == 200
        assert active_port(client) == secondary.port
        # Every counter ended on the secondary, counting from where it started
        # there: the commands after the failover all went to it.
        for n in range(10):
            assert int(await client.get(f"counter:{n}")) >= 1


async def test_pubsub_run_dispatches_across_a_failover(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    received: list[Any] = []
    # Failover by the health checks only: with a detector that opens a circuit
    # on one failure, the reader's errors on the dead primary would open the new
    # database's circuit as well (redis-py's client does the same).
    config = make_config([primary, secondary], [1, 0.5], min_num_failures=1000)
    async with MultiDBClient(config) as client:
        pubsub = await client.pubsub()

        async def handler(message: dict[str, Any]) -> None:
            received.append(message["data"])

        await pubsub.subscribe(news=handler)
        async with anyio.create_task_group() as tg:
            tg.start_soon(lambda: pubsub.run(poll_timeout=0.05))

            async def delivered(data: bytes) -> bool:
                await client.publish("news", data)
                await anyio.sleep(0.05)
                return data in received

            await wait_for(lambda: delivered(b"one"))
            primary.kill()
            await client.ping()
            await wait_for(lambda: delivered(b"two"))
            tg.cancel_scope.cancel()
        await pubsub.aclose()


@pytest.mark.parametrize("url", ["bogus://127.0.0.1:1", "redis://127.0.0.1:notaport"])
def test_bad_url_raises_as_redis_py(url: str) -> None:
    errors: list[str | None] = []
    for config_module, client_module in (
        (rp_config, rp_client),
        (__import__("aio.redis.multidb.config", fromlist=["x"]), None),
    ):
        try:
            config = config_module.MultiDbConfig(
                databases_config=[config_module.DatabaseConfig(from_url=url)]
            )
            if client_module is not None:
                client_module.MultiDBClient(config)
            else:
                MultiDBClient(config)
        except Exception as exc:
            errors.append(type(exc).__name__)
        else:
            errors.append(None)
    assert errors[0] is not None
    assert errors[0] == errors[1]


async def test_cluster_databases(redis_cluster: list[tuple[str, int]]) -> None:
    (host_a, port_a), (host_b, port_b) = redis_cluster[0], redis_cluster[1]
    config = MultiDbConfig(
        databases_config=[
            DatabaseConfig(weight=1.0, client_kwargs={"host": host_a, "port": port_a}),
            DatabaseConfig(weight=0.5, client_kwargs={"host": host_b, "port": port_b}),
        ],
        client_class=RedisCluster,
        command_retry=Retry(ConstantBackoff(0.05), 10),
        health_check_interval=0.1,
        health_check_probes=1,
    )
    async with MultiDBClient(config) as client:
        active = client.command_executor.active_database
        assert active is not None and active.weight == 1.0
        assert isinstance(active.client, RedisCluster)
        for i in range(20):  # keys on every shard
            assert await client.set(f"multidb:{i}", i)
        assert await client.get("multidb:7") == b"7"
        pipe = client.pipeline()
        pipe.get("multidb:1")
        pipe.get("multidb:2")
        assert await pipe.execute() == [b"1", b"2"]
        # A round of health checks PINGs every node of both.
        healthy = await client._check_databases_health()
        assert list(healthy.values()) == [True, True]
        with pytest.raises(
            ValueError, match="PubSub is not supported for RedisCluster"
        ):
            await client.pubsub()
        for i in range(20):
            await client.delete(f"multidb:{i}")


async def test_unix_socket_and_tls_databases(
    private_redis_server: Factory, tmp_path: Any
) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    paths = {n: str(tmp_path / f"{n}.pem") for n in ("cert", "key", "ca")}
    ca.cert_pem.write_to_path(paths["ca"])
    cert.cert_chain_pems[0].write_to_path(paths["cert"])
    cert.private_key_pem.write_to_path(paths["key"])
    tls_port = _free_port()
    private_redis_server(
        "--tls-port", str(tls_port),
        "--tls-cert-file", paths["cert"],
        "--tls-key-file", paths["key"],
        "--tls-ca-cert-file", paths["ca"],
        "--tls-auth-clients", "no",
    )  # fmt: skip
    unix = private_redis_server()
    config = MultiDbConfig(
        databases_config=[
            DatabaseConfig(weight=1.0, from_url=f"unix://{unix.unix_socket}"),
            DatabaseConfig(
                weight=0.5,
                client_kwargs={
                    "host": "127.0.0.1",
                    "port": tls_port,
                    "ssl": True,
                    "ssl_ca_certs": paths["ca"],
                },
            ),
        ],
        health_check_probes=1,
        command_retry=Retry(ConstantBackoff(0.05), 20),
    )
    async with MultiDBClient(config) as client:
        healthy = await client._check_databases_health()
        assert list(healthy.values()) == [True, True]
        assert await client.set("where", "unix")
        tls_db = client.get_databases()[1][0]
        await client.set_active_database(tls_db)
        assert await client.set("where", "tls")
        assert await client.get("where") == b"tls"
        assert await tls_db.client.get("where") == b"tls"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_failure_on_the_old_database_does_not_open_the_new_one(
    private_redis_server: Factory,
) -> None:
    primary, secondary = private_redis_server(), private_redis_server()
    config = make_config([primary, secondary], [1.0, 0.5], health_check_interval=60)
    failures: list[Any] = []

    class Recorder(AsyncEventListenerInterface):
        async def listen(self, event: object) -> None:
            failures.append(event)

    config.event_dispatcher.register_listeners({AsyncOnCommandsFailEvent: [Recorder()]})
    async with MultiDBClient(config) as client:
        db_primary, db_secondary = (db for db, _ in client.get_databases())
        popped: list[Any] = []
        async with anyio.create_task_group() as tg:

            async def pop() -> None:
                popped.append(await client.blpop(["q"], timeout=10))

            tg.start_soon(pop)
            await anyio.sleep(0.2)  # the BLPOP waits on the primary
            db_primary.circuit.state = State.OPEN
            await client.ping()  # fails over
            assert active_port(client) == secondary.port
            primary.kill()  # the BLPOP in flight fails: on the old database
            await anyio.sleep(0.2)
            await client.rpush("q", "job")  # its retry waits on the secondary
        assert popped == [(b"q", b"job")]
        assert db_secondary.circuit.state == State.CLOSED
        assert failures == []
