"""Sentinel against a real sentinel (``redis_sentinel`` fixture) and private servers.

Failover itself takes a sentinel seconds; the failover paths of the pool (address
change, demoted master, role check) are driven with a stand-in sentinel manager
over private ``redis-server`` processes instead.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aio.redis import Redis
from aio.redis.exceptions import ConnectionError, ResponseError
from aio.redis.sentinel import (
    MasterNotFoundError,
    Sentinel,
    SentinelConnectionPool,
    SlaveNotFoundError,
    _address,
    _state,
)
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_cluster import doc_example

Topology = dict[str, tuple[str, int]]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_discover_master_and_slaves(redis_sentinel: Topology) -> None:
    sentinel = Sentinel([redis_sentinel["sentinel"]], socket_timeout=5)
    try:
        assert await sentinel.discover_master("mymaster") == redis_sentinel["master"]
        assert await sentinel.discover_slaves("mymaster") == []
        with pytest.raises(MasterNotFoundError, match="nosuch"):
            await sentinel.discover_master("nosuch")
    finally:
        await sentinel.aclose()


async def test_resp3_sentinel_replies(redis_sentinel: Topology) -> None:
    sentinel = Sentinel([redis_sentinel["sentinel"]], sentinel_kwargs={"protocol": 3})
    try:
        assert await sentinel.discover_master("mymaster") == redis_sentinel["master"]
    finally:
        await sentinel.aclose()


async def test_min_other_sentinels(redis_sentinel: Topology) -> None:
    sentinel = Sentinel([redis_sentinel["sentinel"]], min_other_sentinels=1)
    try:
        with pytest.raises(MasterNotFoundError):
            await sentinel.discover_master("mymaster")
    finally:
        await sentinel.aclose()


async def test_dead_sentinel_skipped(redis_sentinel: Topology) -> None:
    dead = ("127.0.0.1", _closed_port())
    sentinel = Sentinel([dead, redis_sentinel["sentinel"]])
    try:
        assert await sentinel.discover_master("mymaster") == redis_sentinel["master"]
        # The sentinel that answered is asked first from now on.
        first = sentinel.sentinels[0].connection_pool.connection_kwargs["port"]
        assert first == redis_sentinel["sentinel"][1]
        # Commands go to every sentinel, as redis-py's: the dead one fails them.
        with pytest.raises(ConnectionError):
            await sentinel.execute_command("PING")
    finally:
        await sentinel.aclose()
    nobody = Sentinel([dead])
    with pytest.raises(MasterNotFoundError):
        await nobody.discover_master("mymaster")
    await nobody.aclose()


async def test_master_for_and_slave_for(redis_sentinel: Topology) -> None:
    sentinel = Sentinel([redis_sentinel["sentinel"]], decode_responses=True)
    master = sentinel.master_for("mymaster", db=3)
    replica = sentinel.slave_for("mymaster", db=3)
    try:
        assert await master.set("sentinel-key", "v") is True
        assert await master.get("sentinel-key") == "v"
        # No replica is up: reads fall back to the master.
        assert await replica.get("sentinel-key") == "v"
        pool = master.connection_pool
        assert isinstance(pool, SentinelConnectionPool)
        assert pool.master_address == redis_sentinel["master"]
        assert "mymaster" in repr(pool)
        await master.delete("sentinel-key")
    finally:
        await master.aclose()
        await replica.aclose()
        await sentinel.aclose()


async def test_master_for_unknown_service(redis_sentinel: Topology) -> None:
    sentinel = Sentinel([redis_sentinel["sentinel"]])
    master = sentinel.master_for("nosuch")
    replica = sentinel.slave_for("nosuch")
    try:
        with pytest.raises(MasterNotFoundError):
            await master.ping()
        with pytest.raises(SlaveNotFoundError):
            await replica.ping()
    finally:
        await master.aclose()
        await replica.aclose()
        await sentinel.aclose()


class FakeSentinel(Sentinel):
    """A sentinel manager whose answers the test sets."""

    def __init__(self, master: tuple[str, int], slaves: list[tuple[str, int]]) -> None:
        super().__init__([])
        self.master = master
        self.slaves = slaves

    async def discover_master(self, service_name: str) -> tuple[str, int]:
        return self.master

    async def discover_slaves(self, service_name: str) -> list[tuple[str, int]]:
        return list(self.slaves)


def _addr(server: PrivateRedis) -> tuple[str, int]:
    return (server.host, server.port)


async def test_failover_follows_new_master(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    a = private_redis_server()
    b = private_redis_server()
    manager = FakeSentinel(_addr(a), [])
    client = manager.master_for("svc", decode_responses=True)
    direct_b = Redis(host=b.host, port=b.port, decode_responses=True)
    try:
        await client.set("where", "a")
        # a is demoted to a replica of b: the next write is refused with READONLY.
        await direct_b.set("where", "b")
        direct_a = Redis(host=a.host, port=a.port)
        await direct_a.execute_command("REPLICAOF", b.host, b.port)
        await direct_a.aclose()
        with pytest.raises(ConnectionError, match="previous master"):
            await client.set("x", "1")
        # The sentinel now names b: new connections go there.
        manager.master = _addr(b)
        assert await client.get("where") == "b"
        assert await client.set("x", "1") is True
        assert client.connection_pool.master_address == _addr(b)  # type: ignore[attr-defined]
    finally:
        await client.aclose()
        await direct_b.aclose()


async def test_role_checked_on_connect(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    primary = private_redis_server()
    replica = private_redis_server("--replicaof", primary.host, str(primary.port))
    wrong = FakeSentinel(_addr(replica), [])
    client = wrong.master_for("svc")
    try:
        with pytest.raises(ConnectionError, match="not the master"):
            await client.ping()
    finally:
        await client.aclose()
    # As a replica it serves the replica pool.
    manager = FakeSentinel(
        _addr(primary), [_addr(replica), ("127.0.0.1", _closed_port())]
    )
    reader = manager.slave_for("svc")
    try:
        for _ in range(4):
            assert await reader.ping() is True
            await reader.connection_pool.disconnect()
        info = await reader.execute_command("ROLE")
        assert info[0] == b"slave"
    finally:
        await reader.aclose()


async def test_address_change_closes_idle_connections(
    private_redis_server: Callable[..., PrivateRedis],
) -> None:
    a = private_redis_server()
    b = private_redis_server()
    manager = FakeSentinel(_addr(a), [])
    client = manager.master_for("svc")
    try:
        await client.set("k", "on-a")
        pool = client.connection_pool
        assert isinstance(pool, SentinelConnectionPool)
        manager.master = _addr(b)
        assert await pool.get_master_address() == _addr(b)
        # The idle connection to a was closed; the next command reaches b.
        assert await client.get("k") is None
    finally:
        await client.aclose()


_values = st.one_of(
    st.none(), st.integers(), st.binary(max_size=6), st.text(max_size=6)
)
_replies = st.one_of(
    _values,
    st.lists(_values, max_size=8),
    st.dictionaries(st.text(max_size=5), _values, max_size=5),
)


@given(_replies)
def test_sentinel_reply_parser_raises_only_typed_errors(reply: Any) -> None:
    try:
        _address(_state(reply))
    except ResponseError:
        pass


def test_sentinel_reply_parser() -> None:
    state = _state(
        [b"name", b"m", b"ip", b"10.0.0.1", b"port", b"6380", b"flags", b"master"]
    )
    assert _address(state) == ("10.0.0.1", 6380)
    assert Sentinel([]).check_master_state(state, "m")
    assert not Sentinel([]).check_master_state({**state, "flags": "master,s_down"}, "m")
    with pytest.raises(ResponseError):
        _state([b"odd"])
    with pytest.raises(ResponseError):
        _address({"ip": "h", "port": "x"})


def test_docs_example(
    redis_sentinel: Topology,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port = redis_sentinel["sentinel"]
    monkeypatch.setenv("AIO_REDIS_SENTINEL_HOST", host)
    monkeypatch.setenv("AIO_REDIS_SENTINEL_PORT", str(port))
    exec(compile(doc_example("sentinel"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.split("\n")[:3] == [
        str(redis_sentinel["master"]),
        "[]",
        "ok",
    ]
