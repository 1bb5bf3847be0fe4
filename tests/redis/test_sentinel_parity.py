"""Sentinel where it used to differ from redis-py 8.1's ``redis.asyncio.sentinel``,
with redis-py as the oracle against the real sentinel (``redis_sentinel``):
``execute_command`` (every sentinel, or one at random with ``once``; a bool, or
the replies with ``return_responses``), the ``sentinel_*`` command methods, the
Redis 5 aliases, ``async with``, and TLS to the master
(``SentinelManagedSSLConnection``) against a private TLS server."""

from __future__ import annotations

import socket
import ssl
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
import redis.asyncio.sentinel as redispy_sentinel
import redis.exceptions as redispy_errors
from redis.backoff import NoBackoff
from redis.retry import Retry

from aio.redis import Redis
from aio.redis.exceptions import ConnectionError, RedisError
from aio.redis.sentinel import (
    ReplicaNotFoundError,
    Sentinel,
    SentinelConnectionPool,
    SentinelManagedConnection,
    SentinelManagedSSLConnection,
    SlaveNotFoundError,
)
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.test_sentinel import FakeSentinel

Topology = dict[str, tuple[str, int]]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def pair(redis_sentinel: Topology) -> AsyncIterator[tuple[Sentinel, Any]]:
    ours = Sentinel([redis_sentinel["sentinel"]], socket_timeout=5)
    theirs = redispy_sentinel.Sentinel([redis_sentinel["sentinel"]], socket_timeout=5)
    try:
        yield ours, theirs
    finally:
        await ours.aclose()
        await theirs.aclose()


async def _outcome(call: Any) -> Any:
    try:
        return await call
    except (RedisError, redispy_errors.RedisError) as exc:
        return (type(exc).__name__, str(exc))


async def test_execute_command_as_redis_py(pair: tuple[Sentinel, Any]) -> None:
    ours, theirs = pair
    for args, kwargs in [
        (("PING",), {}),
        (("PING",), {"once": True}),
        (("PING",), {"return_responses": True}),
        (("PING",), {"once": True, "return_responses": True}),
        (("SENTINEL GET-MASTER-ADDR-BY-NAME", "mymaster"), {"once": True}),
        (
            ("SENTINEL GET-MASTER-ADDR-BY-NAME", "mymaster"),
            {"return_responses": True},
        ),
        (("SENTINEL GET-MASTER-ADDR-BY-NAME", "nosuch"), {}),
        (("SENTINEL MASTER", "nosuch"), {}),
    ]:
        got = await _outcome(ours.execute_command(*args, **kwargs))
        expected = await _outcome(theirs.execute_command(*args, **kwargs))
        assert got == expected, (args, kwargs)
    assert await ours.execute_command("PING") is True


async def test_execute_command_reaches_every_sentinel(
    redis_sentinel: Topology,
) -> None:
    dead = ("127.0.0.1", _closed_port())
    # No retries: a refused connection fails at once.
    ours = Sentinel([redis_sentinel["sentinel"], dead], sentinel_kwargs={"retry": None})
    theirs = redispy_sentinel.Sentinel(
        [redis_sentinel["sentinel"], dead],
        sentinel_kwargs={"retry": Retry(NoBackoff(), 0)},
    )
    try:
        with pytest.raises(ConnectionError):
            await ours.execute_command("PING")
        with pytest.raises(redispy_errors.ConnectionError):
            await theirs.execute_command("PING")
        # once=True picks one at random: over enough calls, both answers come.
        seen = set()
        for _ in range(40):
            seen.add((await _outcome(ours.execute_command("PING", once=True))) is True)
        assert seen == {True, False}
    finally:
        await ours.aclose()
        await theirs.aclose()


async def test_sentinel_command_methods_as_redis_py(
    pair: tuple[Sentinel, Any],
) -> None:
    ours, theirs = pair

    async def calls(s: Any) -> list[Any]:
        return [
            await s.sentinel_get_master_addr_by_name("mymaster"),
            await s.sentinel_get_master_addr_by_name("mymaster", return_responses=True),
            await s.sentinel_get_master_addr_by_name("nosuch"),
            await s.sentinel_master("mymaster"),
            await s.sentinel_masters(),
            await s.sentinel_sentinels("mymaster"),
            await s.sentinel_sentinels("mymaster", return_responses=True),
            await s.sentinel_slaves("mymaster"),
            await s.sentinel_ckquorum("mymaster"),
            await s.sentinel_set("mymaster", "down-after-milliseconds", 2000),
            await s.sentinel_reset("nosuch*"),
            await _outcome(s.sentinel_remove("nosuch")),
            await _outcome(s.sentinel_failover("nosuch")),
        ]

    assert await calls(ours) == await calls(theirs)
    state = await ours.sentinel_master("mymaster", return_responses=True)
    assert state[0]["port"] == (await ours.discover_master("mymaster"))[1]


async def test_aliases_and_context_manager(redis_sentinel: Topology) -> None:
    assert ReplicaNotFoundError is SlaveNotFoundError
    async with Sentinel([redis_sentinel["sentinel"]]) as sentinel:
        assert await sentinel.discover_replicas("mymaster") == []
        assert sentinel.filter_replicas(
            [{"ip": "h", "port": "1", "flags": "slave"}]
        ) == [("h", 1)]
        replica = sentinel.replica_for("mymaster")
        pool = replica.connection_pool
        assert isinstance(pool, SentinelConnectionPool) and not pool.is_master
        async for address in pool.rotate_replicas():
            assert address == redis_sentinel["master"]  # no replica: the master
            break
        assert await replica.ping() is True
        await replica.aclose()
        client = sentinel.sentinels[0]
        assert await client.ping() is True
    # Leaving the block closed the sentinels' connections.
    assert not any(c.is_connected for c in client.connection_pool._available)


def _tls_server(
    private_redis_server: Callable[..., PrivateRedis], tmp_path: Path
) -> tuple[PrivateRedis, int, str]:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file, key_file = tmp_path / "server.pem", tmp_path / "server.key"
    ca_file = tmp_path / "ca.pem"
    cert.cert_chain_pems[0].write_to_path(cert_file)
    cert.private_key_pem.write_to_path(key_file)
    ca.cert_pem.write_to_path(ca_file)
    tls_port = _closed_port()
    server = private_redis_server(
        "--tls-port", str(tls_port),
        "--tls-cert-file", str(cert_file),
        "--tls-key-file", str(key_file),
        "--tls-ca-cert-file", str(ca_file),
        "--tls-auth-clients", "no",
    )  # fmt: skip
    return server, tls_port, str(ca_file)


async def test_ssl_pools_use_the_tls_connection_class(
    private_redis_server: Callable[..., PrivateRedis], tmp_path: Path
) -> None:
    # The class redis-py picks for ssl=True, and whether it is a TLS one.
    theirs = redispy_sentinel.SentinelConnectionPool(
        "svc", redispy_sentinel.Sentinel([]), ssl=True
    )
    assert theirs.connection_class.__name__ == "SentinelManagedSSLConnection"
    server, tls_port, ca_file = _tls_server(private_redis_server, tmp_path)
    manager = FakeSentinel((server.host, tls_port), [])
    master = manager.master_for("svc", ssl=True, ssl_ca_certs=ca_file)
    pool = master.connection_pool
    assert pool.connection_class is SentinelManagedSSLConnection
    assert issubclass(SentinelManagedSSLConnection, SentinelManagedConnection)
    try:
        assert await master.set("over", "tls") is True
        assert await master.get("over") == b"tls"
        conn = await pool.get_connection()
        try:
            assert conn.ssl_context is not None  # type: ignore[attr-defined]
        finally:
            pool._release(conn)
    finally:
        await master.aclose()
    # The same data through the plain port: it was this server.
    async with Redis(host=server.host, port=server.port) as plain:
        assert await plain.get("over") == b"tls"
    # Plain text to the TLS port, and TLS with an unknown CA, both fail.
    for kwargs in ({}, {"ssl": True}):
        client = manager.master_for("svc", socket_timeout=2, retry=None, **kwargs)
        with pytest.raises((ConnectionError, ssl.SSLError)):
            await client.ping()
        await client.aclose()
