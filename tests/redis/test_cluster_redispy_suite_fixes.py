"""What redis-py's own cluster tests found different in ``aio.redis.RedisCluster``,
checked against ``redis.asyncio.RedisCluster`` on the private three-master cluster
(``redis_cluster``): the default node, where keyless commands go, the default
retry policy, ``address_remap``, ``redis_connect_func``, a node without cluster
mode (a partial map's words: ``test_cluster_route.test_require_full_coverage``).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import (
    BlockingConnectionPool,
    Connection,
    Redis,
    RedisCluster,
    SSLConnection,
)
from aio.redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from aio.redis.exceptions import ConnectionError, RedisClusterException

Nodes = list[tuple[str, int]]


@pytest.fixture
async def rc(redis_cluster: Nodes) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    async with RedisCluster(host=host, port=port, decode_responses=True) as client:
        yield client


async def _calls(admin: dict[str, Redis], command: str) -> dict[str, int]:
    """How many times each node ran ``command`` (INFO commandstats)."""
    counts = {}
    for name, client in admin.items():
        stats = await client.info("commandstats")
        entry = stats.get(f"cmdstat_{command}", {})
        counts[name] = int(entry.get("calls", 0)) if isinstance(entry, dict) else 0
    return counts


async def _reset(admin: dict[str, Redis]) -> None:
    for client in admin.values():
        await client.config_resetstat()


async def test_default_node_is_redis_py_first_primary(
    rc: RedisCluster, cluster_oracle: Any
) -> None:
    # The first primary the slot map names, as redis-py's: the same node.
    first = rc.get_primaries()[0]
    assert rc.get_default_node() is first
    assert cluster_oracle.get_default_node().name == first.name
    # Chosen again when the map is read again, whatever was set (redis-py too).
    other = rc.get_primaries()[1]
    rc.set_default_node(other)
    cluster_oracle.set_default_node(cluster_oracle.get_node(node_name=other.name))
    await rc.nodes_manager.initialize()
    await cluster_oracle.nodes_manager.initialize()
    assert rc.get_default_node().name == first.name
    assert cluster_oracle.get_default_node().name == first.name


@pytest.mark.parametrize(
    ("call", "command"),
    [
        (lambda c: c.ping(), "ping"),
        (lambda c: c.keys(), "keys"),
        (lambda c: c.dbsize(), "dbsize"),
        (lambda c: c.config_set("maxmemory-policy", "noeviction"), "config|set"),
        (lambda c: c.info(), "info"),
    ],
)
async def test_keyless_commands_go_where_redis_py_sends_them(
    rc: RedisCluster,
    cluster_oracle: Any,
    cluster_admin: dict[str, Redis],
    call: Any,
    command: str,
) -> None:
    hits = []
    for client in (cluster_oracle, rc):
        await _reset(cluster_admin)
        result = await call(client)
        assert result is not None
        hits.append(await _calls(cluster_admin, command))
    theirs, ours = hits
    assert ours == theirs
    assert ours == {n: int(n == rc.get_default_node().name) for n in ours}


async def test_default_retry_is_redis_py_policy(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    ours = RedisCluster(host=host, port=port)
    theirs = redispy.RedisCluster(host=host, port=port)
    for client in (ours, theirs):
        backoff = client.retry._backoff
        assert client.retry.get_retries() == 10
        assert type(backoff).__name__ == "ExponentialWithJitterBackoff"
        assert (backoff._base, backoff._cap) == (0.01, 1)
    assert isinstance(ours.retry._backoff, ExponentialWithJitterBackoff)
    assert ours.cluster_error_retry_attempts == 10
    with pytest.warns(DeprecationWarning, match="cluster_error_retry_attempts"):
        fewer = RedisCluster(host=host, port=port, cluster_error_retry_attempts=2)
    assert fewer.retry.get_retries() == 2


async def test_connection_class_among_connection_kwargs() -> None:
    # As redis-py's (its own test_from_url reads it).
    rc = RedisCluster.from_url("rediss://localhost:16379")
    assert rc.connection_kwargs["connection_class"] is SSLConnection
    assert rc.get_connection_kwargs()["connection_class"] is SSLConnection
    plain = RedisCluster.from_url("redis://localhost:16379")
    assert plain.connection_kwargs["connection_class"] is Connection


async def test_response_callbacks_take_any_case(rc: RedisCluster) -> None:
    assert (
        rc.response_callbacks["cluster slots"] is rc.response_callbacks["CLUSTER SLOTS"]
    )
    rc.set_response_callback("get", lambda reply, **_: f"<{reply}>")
    await rc.set("k", "v")
    assert await rc.get("k") == "<v>"


class _Proxy:
    """Forwards one local port to one node, counting the connections."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.connections = 0
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _handle(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.connections += 1
        up_reader, up_writer = await asyncio.open_connection(*self.target)

        async def pump(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(ConnectionError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pump(reader, up_writer), pump(up_reader, writer))

    async def aclose(self) -> None:
        assert self.server is not None
        self.server.close()


async def test_address_remap_reaches_the_nodes_through_proxies(
    redis_cluster: Nodes,
) -> None:
    proxies = {port: _Proxy((host, port)) for host, port in redis_cluster}
    for proxy in proxies.values():
        await proxy.start()
    seen: list[tuple[str, int]] = []

    def remap(address: tuple[str, int]) -> tuple[str, int]:
        seen.append(address)
        return "127.0.0.1", proxies[address[1]].port

    host, port = redis_cluster[0]
    try:
        async with RedisCluster(host=host, port=port, address_remap=remap) as rc:
            # Every node of the map is known by its proxy's address.
            assert {n.port for n in rc.get_nodes()} == {
                p.port for p in proxies.values()
            }
            for i in range(30):
                assert await rc.set(f"remap:{i}", i) is True
            assert await rc.get("remap:7") == b"7"
            # A redirection's target is remapped too (redis-py leaves it).
            node = rc.nodes_manager.get_or_create(host, redis_cluster[1][1])
            assert node.port == proxies[redis_cluster[1][1]].port
        assert {address[1] for address in seen} == {p for _, p in redis_cluster}
        assert all(p.connections > 0 for p in proxies.values())
    finally:
        for proxy in proxies.values():
            await proxy.aclose()


async def test_redis_connect_func_sees_each_new_connection(
    redis_cluster: Nodes,
) -> None:
    connected: list[Connection] = []

    async def on_connect(connection: Connection) -> None:
        connected.append(connection)
        # The connection is usable from the callback (redis-py's runs its own
        # handshake before it).
        await connection.send_command("CLIENT", "SETNAME", "seen")
        assert await connection.read_response() == b"OK"

    host, port = redis_cluster[0]
    async with RedisCluster(host=host, port=port, redis_connect_func=on_connect) as rc:
        for node in rc.get_primaries():
            await rc.ping(target_nodes=node)
        assert len(connected) == len({id(c) for c in connected})
        names = {(c.host, c.port) for c in connected}
        assert {(n.host, n.port) for n in rc.get_primaries()} <= names
        second = rc.get_primaries()[1]
        assert await rc.client_getname(target_nodes=second) == "seen"
    # a plain function does too
    calls: list[Connection] = []
    async with RedisCluster(host=host, port=port, redis_connect_func=calls.append):
        pass
    assert calls and all(isinstance(c, Connection) for c in calls)


async def test_a_standalone_server_is_not_a_cluster(redis_url: str) -> None:
    ours = RedisCluster.from_url(redis_url.rsplit("/", 1)[0])
    theirs = redispy.RedisCluster.from_url(redis_url.rsplit("/", 1)[0])
    message = "Cluster mode is not enabled on this node"
    with pytest.raises(RedisClusterException, match=message):
        await ours.initialize()
    with pytest.raises(Exception, match=message):
        await theirs.initialize()
    await ours.aclose()
    await theirs.aclose()


async def test_default_node_replaced_after_it_fails(
    rc: RedisCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # redis-py's test_default_node_is_replaced_after_exception (its mocks are
    # of its own connections): a keyless command whose default node fails is
    # retried on another primary, which stays the default.
    failed = rc.get_default_node()

    async def down(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("down")

    monkeypatch.setattr(failed.connection_pool, "get_connection", down)
    nodes = await rc.cluster_nodes()
    assert rc.get_default_node() != failed
    assert rc.get_default_node() in rc.get_primaries()
    assert "myself" in nodes[rc.get_default_node().name]["flags"]
    assert "myself" not in nodes[failed.name]["flags"]
    # A command sent to a node by name is not retried elsewhere.
    with pytest.raises(ConnectionError):
        await rc.ping(target_nodes=failed)


async def test_node_connections_do_not_retry(rc: RedisCluster) -> None:
    # As redis-py's: the client retries (the map re-read first), not the nodes.
    for node in rc.get_nodes():
        connection = await node.connection_pool.get_connection()
        try:
            assert connection.retry.get_retries() == 0
            assert isinstance(connection.retry._backoff, NoBackoff)
        finally:
            await node.connection_pool.release(connection)


async def test_client_tracking_on_every_node(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    # redis-py's cluster client_tracking_on/off default to target_nodes="all".
    await _reset(cluster_admin)
    assert await rc.client_tracking_on()
    assert await rc.client_tracking_off()
    calls = await _calls(cluster_admin, "client|tracking")
    assert calls == dict.fromkeys(cluster_admin, 2)
    node = rc.get_default_node()
    client_id = await rc.client_id(target_nodes=node)
    assert await rc.client_tracking_on(clientid=client_id, target_nodes=node)
    assert await rc.client_tracking_off(clientid=client_id, target_nodes=node)


async def test_nodes_take_a_connection_pool_class(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    async with RedisCluster(
        host=host, port=port, connection_pool_class=BlockingConnectionPool, timeout=3
    ) as rc:
        for node in rc.get_nodes():
            pool = node.connection_pool
            assert isinstance(pool, BlockingConnectionPool)
            assert pool.timeout == 3
        assert await rc.set("pooled", 1) is True
