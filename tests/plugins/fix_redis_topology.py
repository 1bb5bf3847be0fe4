"""Private Redis topologies started by the tests from the machine's ``redis-server``.

- :func:`redis_cluster`: three masters with ``cluster-enabled yes``, slots assigned by
  ``redis-cli --cluster create``; yields the list of ``(host, port)`` nodes. The same
  cluster, with replicas if asked, outside pytest: :func:`start_cluster`.
- :func:`redis_sentinel`: one master and one sentinel monitoring it as ``mymaster``;
  yields ``{"master": (host, port), "sentinel": (host, port)}``.

Everything listens on 127.0.0.1 on free ports, keeps no data on disk, and is killed at the
end of the session. Without ``redis-server`` the fixtures skip (fail under CI).
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from tests.plugins.fix_services import missing

HOST = "127.0.0.1"


def free_port() -> int:
    """A currently free TCP port on 127.0.0.1 (and port+10000 free for the cluster bus)."""
    for _ in range(50):
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]
        if port + 10000 > 65535:
            continue
        with socket.socket() as bus:
            try:
                bus.bind((HOST, port + 10000))
            except OSError:
                continue
        return int(port)
    raise RuntimeError("no free port pair for a cluster node")


def wait_ping(port: int, deadline: float = 10.0) -> None:
    """Wait until the server on ``port`` answers PING."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            with socket.create_connection((HOST, port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(64).startswith(b"+PONG"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"redis on port {port} did not answer PING")


def redis_binaries() -> tuple[str, str]:
    server, cli = shutil.which("redis-server"), shutil.which("redis-cli")
    if not server or not cli:
        missing("redis-server/redis-cli are not installed")
    assert server and cli
    return server, cli


def start_node(
    server: str, workdir: str, port: int, *extra: str
) -> subprocess.Popen[bytes]:
    args = [
        server,
        "--port",
        str(port),
        "--bind",
        HOST,
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    args += ["--dir", workdir, *extra]
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop_all(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        proc.kill()
    for proc in procs:
        proc.wait(timeout=10)


def free_port_block(count: int) -> int:
    """The first of ``count`` consecutive free ports on 127.0.0.1, each with its
    cluster bus port (+10000) and the port +1000 free as well (redis-py's
    ``test_address_remap`` proxies each node there)."""
    rng = random.Random()
    for _ in range(200):
        # Below the kernel's ephemeral range (32768+) for the nodes and their
        # proxies; the bus ports land in it, checked like the others.
        base = rng.randrange(20000, 22000 - count)
        ports = [p + off for p in range(base, base + count) for off in (0, 1000, 10000)]
        if all(_bindable(port) for port in ports):
            return base
    raise RuntimeError(f"no block of {count} free ports for a cluster")


def _bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
    return True


def _cli(cli: str, port: int, *args: str) -> str:
    return subprocess.run(
        [cli, "-h", HOST, "-p", str(port), *args],
        capture_output=True,
        text=True,
        timeout=5,
    ).stdout


@contextmanager
def start_cluster(
    masters: int = 3, replicas: int = 0
) -> Iterator[list[tuple[str, int]]]:
    """Start a Redis Cluster on 127.0.0.1 with ``masters`` masters and ``replicas``
    replicas of each, on consecutive ports (masters first); yields every node and
    kills them on exit. Usable outside pytest (redis-py's suite runner)."""
    server, cli = redis_binaries()
    count = masters * (1 + replicas)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="aio-redis-cluster-") as root:
        base = free_port_block(count)
        ports = list(range(base, base + count))
        try:
            for port in ports:
                workdir = os.path.join(root, str(port))
                os.mkdir(workdir)
                procs.append(
                    start_node(
                        server,
                        workdir,
                        port,
                        "--cluster-enabled",
                        "yes",
                        "--cluster-config-file",
                        os.path.join(workdir, "nodes.conf"),
                        "--cluster-node-timeout",
                        "2000",
                    )
                )
            for port in ports:
                wait_ping(port)
            nodes = [f"{HOST}:{port}" for port in ports]
            subprocess.run(
                [
                    cli,
                    "--cluster",
                    "create",
                    *nodes,
                    "--cluster-replicas",
                    str(replicas),
                    "--cluster-yes",
                ],
                check=True,
                capture_output=True,
                timeout=30,
            )
            end = time.monotonic() + 30
            pending = set(ports)
            while pending and time.monotonic() < end:
                # Every node must see the cluster up and agree on the epoch of the
                # slot map, or the first commands may get CLUSTERDOWN; a replica
                # must have synced, or reads from it miss the keys just written.
                for port in sorted(pending):
                    info = _cli(cli, port, "cluster", "info")
                    if "cluster_state:ok" not in info:
                        continue
                    if f"cluster_known_nodes:{count}" not in info:
                        continue
                    role = _cli(cli, port, "info", "replication")
                    if "role:slave" in role and "master_link_status:up" not in role:
                        continue
                    pending.discard(port)
                if pending:
                    time.sleep(0.1)
            if pending:
                raise RuntimeError("the test cluster did not reach cluster_state:ok")
            yield [(HOST, port) for port in ports]
        finally:
            stop_all(procs)


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[list[tuple[str, int]]]:
    """Three-master Redis Cluster on 127.0.0.1."""
    with start_cluster() as nodes:
        yield nodes


@pytest.fixture
async def cluster_admin(
    redis_cluster: list[tuple[str, int]],
) -> AsyncIterator[dict[str, Any]]:
    """One plain ``aio.redis.Redis`` per node of :func:`redis_cluster` (no
    routing), by ``"host:port"``: decoded replies, RESP2."""
    from aio.redis import Redis

    clients = {
        f"{h}:{p}": Redis(host=h, port=p, decode_responses=True, protocol=2)
        for h, p in redis_cluster
    }
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


@pytest.fixture
async def cluster_oracle(redis_cluster: list[tuple[str, int]]) -> AsyncIterator[Any]:
    """redis-py's ``redis.asyncio.RedisCluster`` on :func:`redis_cluster`, the
    oracle to compare aio's cluster client with: decoded replies, RESP2."""
    # imported here: the redis-py suite's runner redirects redis.asyncio to aio,
    # which needs to happen before anyone imports it
    import redis.asyncio as redispy

    host, port = redis_cluster[0]
    client = redispy.RedisCluster(
        host=host, port=port, decode_responses=True, protocol=2
    )
    await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture(scope="session")
def redis_sentinel() -> Iterator[dict[str, tuple[str, int]]]:
    """A master and a sentinel monitoring it under the name ``mymaster``."""
    server, _ = redis_binaries()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="aio-redis-sentinel-") as root:
        try:
            master_port = free_port()
            procs.append(start_node(server, root, master_port))
            wait_ping(master_port)
            sentinel_port = free_port()
            conf = os.path.join(root, "sentinel.conf")
            with open(conf, "w") as fh:
                fh.write(
                    f"port {sentinel_port}\nbind {HOST}\n"
                    f"sentinel monitor mymaster {HOST} {master_port} 1\n"
                    "sentinel down-after-milliseconds mymaster 2000\n"
                )
            procs.append(
                subprocess.Popen(
                    [server, conf, "--sentinel"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            wait_ping(sentinel_port)
            yield {"master": (HOST, master_port), "sentinel": (HOST, sentinel_port)}
        finally:
            stop_all(procs)
