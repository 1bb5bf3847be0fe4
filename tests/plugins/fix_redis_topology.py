"""Private Redis topologies started by the tests from the machine's ``redis-server``.

- :func:`redis_cluster`: three masters with ``cluster-enabled yes``, slots assigned by
  ``redis-cli --cluster create``; yields the list of ``(host, port)`` nodes.
- :func:`redis_sentinel`: one master and one sentinel monitoring it as ``mymaster``;
  yields ``{"master": (host, port), "sentinel": (host, port)}``.

Everything listens on 127.0.0.1 on free ports, keeps no data on disk, and is killed at the
end of the session. Without ``redis-server`` the fixtures skip (fail under CI).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
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


@pytest.fixture(scope="session")
def redis_cluster() -> Iterator[list[tuple[str, int]]]:
    """Three-master Redis Cluster on 127.0.0.1."""
    server, cli = redis_binaries()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="aio-redis-cluster-") as root:
        ports = []
        try:
            for _ in range(3):
                port = free_port()
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
                ports.append(port)
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
                    "0",
                    "--cluster-yes",
                ],
                check=True,
                capture_output=True,
                timeout=30,
            )
            end = time.monotonic() + 20
            pending = set(ports)
            while pending and time.monotonic() < end:
                # Every node must see the cluster up and agree on the epoch of the
                # slot map, or the first commands may get CLUSTERDOWN.
                for port in sorted(pending):
                    info = subprocess.run(
                        [cli, "-h", HOST, "-p", str(port), "cluster", "info"],
                        capture_output=True,
                        text=True,
                        timeout=5,
                    ).stdout
                    if "cluster_state:ok" in info and "cluster_known_nodes:3" in info:
                        pending.discard(port)
                if pending:
                    time.sleep(0.1)
            if pending:
                raise RuntimeError("the test cluster did not reach cluster_state:ok")
            yield [(HOST, port) for port in ports]
        finally:
            stop_all(procs)


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
