"""The blocking ``Sentinel`` against a real sentinel (``redis_sentinel`` fixture),
with redis-py's blocking ``redis.sentinel.Sentinel`` as the oracle, and through a
real failover on a private topology (a master, a replica, a sentinel)."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis as redispy
import redis.sentinel as redispy_sentinel

import sync_shims.redis as shim
from aio.engine import EngineThreadError, portal
from sync_shims.redis.sentinel import (
    MasterNotFoundError,
    Sentinel,
    SentinelConnectionPool,
    SentinelManagedConnection,
    SentinelManagedSSLConnection,
    SlaveNotFoundError,
)
from tests.plugins.fix_redis_topology import (
    HOST,
    free_port,
    redis_binaries,
    start_node,
    stop_all,
    wait_ping,
)
from tests.sync_shims.redis.doc_examples import run_doc_example

Topology = dict[str, tuple[str, int]]


@pytest.fixture
def sentinel(redis_sentinel: Topology) -> Iterator[Sentinel]:
    client = Sentinel([redis_sentinel["sentinel"]], socket_timeout=5)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def oracle(redis_sentinel: Topology) -> Iterator[redispy_sentinel.Sentinel]:
    client = redispy_sentinel.Sentinel([redis_sentinel["sentinel"]], socket_timeout=5)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def master(sentinel: Sentinel) -> Iterator[shim.Redis]:
    client = sentinel.master_for("mymaster", decode_responses=True)
    client.flushdb()
    try:
        yield client
    finally:
        client.close()


def test_discovery_matches_redis_py(
    sentinel: Sentinel, oracle: redispy_sentinel.Sentinel, redis_sentinel: Topology
) -> None:
    assert sentinel.discover_master("mymaster") == oracle.discover_master("mymaster")
    assert sentinel.discover_master("mymaster") == redis_sentinel["master"]
    assert sentinel.discover_slaves("mymaster") == oracle.discover_slaves("mymaster")
    assert sentinel.discover_replicas("mymaster") == []
    with pytest.raises(redispy_sentinel.MasterNotFoundError):
        oracle.discover_master("nosuch")
    with pytest.raises(MasterNotFoundError, match="nosuch"):
        sentinel.discover_master("nosuch")
    assert sentinel.execute_command("PING") == oracle.execute_command("PING") is True
    [view] = sentinel.sentinels
    assert isinstance(view, shim.Redis) and view.ping() is True
    state = view.execute_command("SENTINEL MASTER", "mymaster")
    assert state["ip"] == redis_sentinel["master"][0]  # the RESP2 pairs, as a dict
    # the parsed state (is_master, is_sdown... as bools), as redis-py takes it
    assert sentinel.check_master_state(state, "mymaster") is True
    assert oracle.check_master_state(state, "mymaster") is True
    down = {**state, "is_sdown": True}
    assert sentinel.check_master_state(down, "mymaster") is False
    assert oracle.check_master_state(down, "mymaster") is False


def test_master_and_slave_clients_match_redis_py(
    sentinel: Sentinel, oracle: redispy_sentinel.Sentinel
) -> None:
    def scenario(s: Any) -> list[Any]:
        master = s.master_for("mymaster", decode_responses=True, protocol=2)
        replica = s.slave_for("mymaster", decode_responses=True, protocol=2)
        try:
            master.flushdb()
            out = [master.set("k", "v"), master.incr("n"), replica.get("k")]
            with master.pipeline() as pipe:
                out.append(pipe.incr("n").get("n").execute())
            out.append(master.connection_pool.get_master_address())
            out.append(type(master.connection_pool).__name__)
            out.append(master.connection_pool.service_name)
            return out
        finally:
            master.close()
            replica.close()

    ours = scenario(sentinel)
    assert ours == scenario(oracle)
    assert ours[:4] == [True, 1, "v", [2, "2"]]
    client = sentinel.master_for("mymaster")
    pool = client.connection_pool
    assert isinstance(pool, SentinelConnectionPool) and pool.is_master
    assert pool.connection_class is SentinelManagedConnection
    assert type(sentinel.slave_for("mymaster")).__name__ == "Redis"
    client.close()


def test_unknown_service_errors_match_redis_py(
    sentinel: Sentinel, oracle: redispy_sentinel.Sentinel
) -> None:
    with pytest.raises(redispy_sentinel.MasterNotFoundError):
        oracle.master_for("nosuch").ping()
    with pytest.raises(redispy_sentinel.SlaveNotFoundError):
        oracle.slave_for("nosuch").ping()
    with pytest.raises(MasterNotFoundError):
        sentinel.master_for("nosuch", retry=None).ping()
    with pytest.raises(SlaveNotFoundError):
        sentinel.slave_for("nosuch", retry=None).ping()
    assert issubclass(MasterNotFoundError, shim.ConnectionError)
    pool = sentinel.slave_for("mymaster").connection_pool
    assert isinstance(pool, SentinelConnectionPool)
    # No replica: the master's address, then the end.
    rotation = pool.rotate_slaves()
    assert next(rotation) == sentinel.discover_master("mymaster")
    with pytest.raises(SlaveNotFoundError):
        next(rotation)


def test_sentinel_commands_match_redis_py(
    sentinel: Sentinel, oracle: redispy_sentinel.Sentinel, redis_sentinel: Topology
) -> None:
    def scenario(s: Any) -> list[Any]:
        return [
            s.execute_command("PING"),
            s.execute_command("PING", once=True, return_responses=True),
            s.sentinel_get_master_addr_by_name("mymaster"),
            s.sentinel_get_master_addr_by_name("mymaster", return_responses=True),
            s.sentinel_master("mymaster"),
            s.sentinel_masters(),
            s.sentinel_sentinels("mymaster", return_responses=True),
            s.sentinel_slaves("mymaster"),
            s.sentinel_ckquorum("mymaster"),
            s.sentinel_set("mymaster", "down-after-milliseconds", 2000),
            s.sentinel_reset("nosuch*"),
        ]

    assert scenario(sentinel) == scenario(oracle)
    with Sentinel([redis_sentinel["sentinel"]]) as s:
        assert s.execute_command("PING") is True
    pool = SentinelConnectionPool("mymaster", sentinel, ssl=True)
    assert pool._async.connection_class is SentinelManagedSSLConnection
    theirs = redispy_sentinel.SentinelConnectionPool("mymaster", oracle, ssl=True)
    assert theirs.connection_class.__name__ == "SentinelManagedSSLConnection"


def test_killed_connection_is_replaced(
    sentinel: Sentinel, oracle: redispy_sentinel.Sentinel, redis_sentinel: Topology
) -> None:
    host, port = redis_sentinel["master"]
    for s, name in ((oracle, "victim-rp"), (sentinel, "victim-shim")):
        client = s.master_for("mymaster", client_name=name)
        assert client.set("kill", name) is True
        with redispy.Redis(host=host, port=port) as admin:
            ids = [c["id"] for c in admin.client_list() if c["name"] == name]
            assert ids and all(admin.client_kill_filter(_id=i) for i in ids)
        assert client.get("kill") == name.encode()  # reconnected through Sentinel
        client.close()


def test_threads_loop_thread_and_engine_guard(master: shim.Redis) -> None:
    start = threading.Barrier(8)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            for _ in range(25):
                master.incr("hits")
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and master.get("hits") == "200"

    async def notebook_cell() -> Any:
        return master.incr("hits")

    assert asyncio.run(notebook_cell()) == 201
    with pytest.raises(EngineThreadError, match="await"):
        portal().run_sync(master.get, "hits")


def test_master_client_in_forked_child(master: shim.Redis) -> None:
    master.set("parent", "p")  # the parent has a pooled, connected connection
    pid = os.fork()
    if pid == 0:  # the child: the exit code tells the parent what happened
        signal.alarm(30)  # a child stuck on its parent's sockets dies, not hangs
        code = 1
        try:
            if master.get("parent") == "p" and master.set("child", "c"):
                code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert master.get("child") == "c"


# -- a real failover -------------------------------------------------------------


@pytest.fixture
def failover_topology() -> Iterator[dict[str, tuple[str, int]]]:
    """A master, its replica and a sentinel watching them as ``svc`` (private)."""
    server, _ = redis_binaries()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="aio-sync-failover-") as root:
        try:
            ports = [free_port(), free_port()]
            a, b = (os.path.join(root, str(p)) for p in ports)
            os.mkdir(a)
            os.mkdir(b)
            procs.append(start_node(server, a, ports[0]))
            procs.append(
                start_node(server, b, ports[1], "--replicaof", HOST, str(ports[0]))
            )
            sentinel_port = free_port()
            conf = os.path.join(root, "sentinel.conf")
            with open(conf, "w") as fh:
                fh.write(
                    f"port {sentinel_port}\nbind {HOST}\ndir {root}\n"
                    f"sentinel monitor svc {HOST} {ports[0]} 1\n"
                    "sentinel down-after-milliseconds svc 1000\n"
                    "sentinel failover-timeout svc 5000\n"
                )
            procs.append(
                subprocess.Popen(
                    [server, conf, "--sentinel"],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            for port in (*ports, sentinel_port):
                wait_ping(port)
            yield {
                "master": (HOST, ports[0]),
                "replica": (HOST, ports[1]),
                "sentinel": (HOST, sentinel_port),
            }
        finally:
            stop_all(procs)


def _until(what: str, check: Callable[[], bool], deadline: float = 30.0) -> None:
    end = time.monotonic() + deadline
    while not check():
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


@pytest.mark.slow
def test_clients_follow_a_failover(failover_topology: Topology) -> None:
    old, new = failover_topology["master"], failover_topology["replica"]
    sentinel = Sentinel([failover_topology["sentinel"]], socket_timeout=2)
    oracle = redispy_sentinel.Sentinel(
        [failover_topology["sentinel"]], socket_timeout=2
    )
    ours = sentinel.master_for("svc", decode_responses=True)
    theirs = oracle.master_for("svc", decode_responses=True, protocol=2)
    reader = sentinel.slave_for("svc", decode_responses=True)

    def master_is(address: tuple[str, int]) -> Callable[[], bool]:
        def check() -> bool:
            try:
                return sentinel.discover_master("svc") == address
            except MasterNotFoundError:  # not reached yet, or mid-failover
                return False

        return check

    try:
        _until("the sentinel to see the master", master_is(old))
        assert ours.set("before", "1") and theirs.set("before-rp", "1")
        _until("the replica to be seen", lambda: bool(sentinel.discover_slaves("svc")))
        assert sentinel.discover_slaves("svc") == [new]
        _until("the replica to catch up", lambda: reader.get("before") == "1")
        assert reader.execute_command("ROLE")[0] == "slave"

        sentinel.execute_command("SENTINEL FAILOVER", "svc", once=True)
        _until("the failover", master_is(new))
        with redispy.Redis(*old) as demoted:
            _until("the old master's demotion", lambda: demoted.role()[0] == b"slave")

        def write(client: Any, key: str) -> Any:
            # The connection still open to the old master may answer READONLY
            # once (a ConnectionError, as redis-py raises): the next call
            # reconnects through the sentinel.
            for _ in range(3):
                try:
                    return client.set(key, "2")
                except redispy.ConnectionError:
                    continue
                except shim.ConnectionError:
                    continue
            raise AssertionError(f"{key} was never written")

        assert write(theirs, "after-rp") is True
        assert write(ours, "after") is True
        assert ours.connection_pool.master_address == new  # type: ignore[attr-defined]
        assert oracle.discover_master("svc") == sentinel.discover_master("svc")
        with redispy.Redis(*new, decode_responses=True) as promoted:
            assert promoted.mget("after", "after-rp", "before") == ["2", "2", "1"]
    finally:
        ours.close()
        reader.close()
        theirs.close()
        sentinel.close()
        oracle.close()


def test_docs_example_runs(redis_sentinel: Topology) -> None:
    host, port = redis_sentinel["sentinel"]
    lines = run_doc_example(
        "blocking sentinel",
        AIO_REDIS_SENTINEL_HOST=host,
        AIO_REDIS_SENTINEL_PORT=str(port),
    )
    assert lines == [str(redis_sentinel["master"]), "ok"]
