"""RedisCluster with a replica: a private one-shard cluster (a primary serving every
slot and its replica), for ``read_from_replicas`` and replica routing."""

from __future__ import annotations

import asyncio
import os
import subprocess
import tempfile
import time
from collections.abc import Iterator

import pytest
import redis.asyncio.cluster as redispy_cluster

from aio.redis import Redis
from aio.redis.cluster import LoadBalancingStrategy, RedisCluster
from sync_shims.redis.cluster import LoadBalancingStrategy as SyncLoadBalancingStrategy
from sync_shims.redis.cluster import RedisCluster as SyncRedisCluster
from tests.plugins.fix_redis_topology import (
    HOST,
    free_port,
    redis_binaries,
    start_node,
    stop_all,
    wait_ping,
)
from tests.redis.test_cluster import doc_example


def _cli(cli: str, port: int, *args: str) -> str:
    return subprocess.run(
        [cli, "-h", HOST, "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=5,
        check=True,
    ).stdout.strip()


def _wait(what: str, check: object, deadline: float = 20.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.05)
    raise RuntimeError(f"the replica cluster never got there: {what}")


@pytest.fixture(scope="module")
def shard_with_replica() -> Iterator[tuple[int, int]]:
    """``(primary port, replica port)`` of a private one-shard cluster."""
    server, cli = redis_binaries()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="aio-redis-replicas-") as root:
        try:
            ports = []
            for _ in range(2):
                port = free_port()
                workdir = os.path.join(root, str(port))
                os.mkdir(workdir)
                options = [
                    "--cluster-enabled", "yes",
                    "--cluster-config-file", os.path.join(workdir, "nodes.conf"),
                    "--cluster-node-timeout", "2000",
                    # Full sync at once (the default waits 5 s for more replicas).
                    "--repl-diskless-sync-delay", "0",
                    # CLUSTER SLOTS lists a replica once its offset moved, which
                    # the primary's pings (every 10 s by default) make happen.
                    "--repl-ping-replica-period", "1",
                ]  # fmt: skip
                procs.append(start_node(server, workdir, port, *options))
                ports.append(port)
            for port in ports:
                wait_ping(port)
            primary, replica = ports
            _cli(cli, primary, "CLUSTER", "ADDSLOTSRANGE", "0", "16383")
            _cli(cli, primary, "CLUSTER", "MEET", HOST, str(replica))
            primary_id = _cli(cli, primary, "CLUSTER", "MYID")
            _wait(
                "the replica knows the primary",
                lambda: primary_id in _cli(cli, replica, "CLUSTER", "NODES"),
            )
            _cli(cli, replica, "CLUSTER", "REPLICATE", primary_id)
            _wait(
                "replication link up and the replica in CLUSTER SLOTS",
                lambda: (
                    "master_link_status:up" in _cli(cli, replica, "INFO", "replication")
                    and str(replica) in _cli(cli, primary, "CLUSTER", "SLOTS")
                    and "cluster_state:ok" in _cli(cli, replica, "CLUSTER", "INFO")
                    # Both nodes must see the cluster up, or the first command
                    # may get CLUSTERDOWN from the one that is still converging.
                    and "cluster_state:ok" in _cli(cli, primary, "CLUSTER", "INFO")
                ),
            )
            yield primary, replica
        finally:
            stop_all(procs)


async def _gets(port: int) -> int:
    client = Redis(host=HOST, port=port, decode_responses=True)
    try:
        stats = await client.info("commandstats")
    finally:
        await client.aclose()
    entry = stats.get("cmdstat_get", {})
    return int(entry.get("calls", 0)) if isinstance(entry, dict) else 0


async def test_read_from_replicas(shard_with_replica: tuple[int, int]) -> None:
    primary, replica = shard_with_replica
    with pytest.warns(DeprecationWarning, match="read_from_replicas"):
        rc = RedisCluster(host=HOST, port=primary, read_from_replicas=True)
    try:
        await rc.initialize()
        assert [n.port for n in rc.get_primaries()] == [primary]
        assert [n.port for n in rc.get_replicas()] == [replica]
        assert await rc.set("rk", "v") is True
        # Let the write reach the replica before reading there.
        assert await rc.execute_command("WAIT", 1, 5000, keys=["rk"]) == 1
        before = await _gets(replica)
        for _ in range(10):
            assert await rc.get("rk") == b"v"
        # Round-robin over primary and replica: the replica served half.
        assert await _gets(replica) - before == 5
        replica_node = rc.get_node_from_key("rk", replica=True)
        assert replica_node is not None and replica_node.port == replica
        pings = await rc.ping(target_nodes=RedisCluster.REPLICAS)
        assert pings is True
        # Writes never go to the replica.
        for i in range(6):
            assert await rc.incr("counter") == i + 1
    finally:
        await rc.delete("rk", "counter")
        await rc.aclose()


async def test_replicas_not_read_by_default(
    shard_with_replica: tuple[int, int],
) -> None:
    primary, replica = shard_with_replica
    rc = RedisCluster(host=HOST, port=replica)  # the map is read from the replica
    try:
        await rc.set("dk", "v")
        before = await _gets(replica)
        for _ in range(4):
            assert await rc.get("dk") == b"v"
        assert await _gets(replica) == before
    finally:
        await rc.delete("dk")
        await rc.aclose()


@pytest.mark.parametrize(
    ("strategy", "replica_share"),
    [
        # The shard's nodes in turn, the primary first.
        (LoadBalancingStrategy.ROUND_ROBIN, 5),
        # Its replicas only (here the one).
        (LoadBalancingStrategy.ROUND_ROBIN_REPLICAS, 10),
        (LoadBalancingStrategy.RANDOM_REPLICA, 10),
        # Any node of the shard: no fixed share.
        (LoadBalancingStrategy.RANDOM, None),
    ],
)
async def test_load_balancing_strategy_matches_redis_py(
    shard_with_replica: tuple[int, int],
    strategy: LoadBalancingStrategy,
    replica_share: int | None,
) -> None:
    primary, replica = shard_with_replica
    oracle_strategy = redispy_cluster.LoadBalancingStrategy(strategy.value)
    shares = []
    for client in (
        RedisCluster(host=HOST, port=primary, load_balancing_strategy=strategy),
        redispy_cluster.RedisCluster(
            host=HOST, port=primary, load_balancing_strategy=oracle_strategy
        ),
    ):
        try:
            assert await client.set("lb", "v") is True
            assert await client.execute_command("WAIT", 1, 5000) == 1
            before = await _gets(replica), await _gets(primary)
            for _ in range(10):
                assert await client.get("lb") == b"v"
            after = await _gets(replica), await _gets(primary)
            shares.append(after[0] - before[0])
            assert after[0] - before[0] + after[1] - before[1] == 10
            # Writes still go to the primary.
            assert await client.incr("lb:n") >= 1
        finally:
            await client.delete("lb", "lb:n")
            await client.aclose()
    if replica_share is not None:
        assert shares == [replica_share, replica_share]


def test_load_balancing_strategy_of_the_blocking_facade(
    shard_with_replica: tuple[int, int],
) -> None:
    primary, replica = shard_with_replica
    rc = SyncRedisCluster(
        host=HOST,
        port=primary,
        load_balancing_strategy=SyncLoadBalancingStrategy.ROUND_ROBIN_REPLICAS,
    )
    try:
        assert rc.load_balancing_strategy is LoadBalancingStrategy.ROUND_ROBIN_REPLICAS
        rc.set("lbs", "v")
        assert rc.execute_command("WAIT", 1, 5000) == 1
        node = rc.get_node_from_key("lbs")
        assert node.port == primary
        before = asyncio.run(_gets(replica))
        for _ in range(4):
            assert rc.get("lbs") == b"v"
        assert asyncio.run(_gets(replica)) - before == 4
    finally:
        rc.delete("lbs")
        rc.close()


def test_docs_example(
    shard_with_replica: tuple[int, int],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    primary, replica = shard_with_replica
    monkeypatch.setenv("AIO_REDIS_CLUSTER_HOST", HOST)
    monkeypatch.setenv("AIO_REDIS_CLUSTER_PORT", str(primary))
    before = asyncio.run(_gets(replica))
    code = compile(doc_example("cluster-load-balancing"), "docs/redis.md", "exec")
    exec(code, {"__name__": "doc"})
    assert capsys.readouterr().out == "b'hello'\n"
    assert asyncio.run(_gets(replica)) - before == 1  # read from the replica
