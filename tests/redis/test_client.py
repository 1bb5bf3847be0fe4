"""The Redis client against the real server: commands, decoding, RESP3, URLs,
errors, authentication, unix sockets, TLS, health checks."""

from __future__ import annotations

import asyncio
import os
import ssl
from typing import Any

import pytest

import aio.errors
from aio.redis import (
    AuthenticationError,
    BlockingConnectionPool,
    ConnectionError,
    ConnectionPool,
    DataError,
    Redis,
    ResponseError,
    SSLConnection,
    UnixDomainSocketConnection,
    WrongTypeError,
    from_url,
)
from aio.redis._pool import parse_url
from tests.plugins.fix_redis import DB


async def test_basic_commands(r: Redis) -> None:
    assert await r.ping() is True
    assert await r.set("k", "v") is True
    assert await r.get("k") == b"v"
    assert await r.get("missing") is None
    assert await r.incr("n") == 1
    assert await r.delete("k", "n") == 2


async def test_binary_and_large_values(r: Redis) -> None:
    value = os.urandom(1 << 20)
    assert await r.set("big", value)
    assert await r.get("big") == value
    assert await r.set("bin", b"\x00\r\n\xff")
    assert await r.get("bin") == b"\x00\r\n\xff"


@pytest.mark.parametrize("protocol", [2, 3])
async def test_decode_responses_and_protocols(redis_url: str, protocol: int) -> None:
    async with Redis.from_url(redis_url, decode_responses=True, protocol=protocol) as r:
        await r.hset("h", mapping={"a": "1", "b": "é"})
        assert await r.hgetall("h") == {"a": "1", "b": "é"}
        await r.zadd("z", {"m": 1.5})
        assert await r.zrange("z", 0, -1, withscores=True) == [("m", 1.5)]
        assert await r.get("missing") is None
        await r.delete("h", "z")


async def test_resp3_hello(redis_url: str) -> None:
    async with Redis.from_url(redis_url, protocol=3) as r:
        info = await r.execute_command("HELLO", 3)
        assert info[b"proto"] == 3


async def test_never_decode(redis_url: str) -> None:
    async with Redis.from_url(redis_url, decode_responses=True) as r:
        await r.set("k", "v")
        assert await r.execute_command("GET", "k") == "v"
        assert await r.execute_command("GET", "k", NEVER_DECODE=True) == b"v"
        assert isinstance(await r.dump("k"), bytes)
        await r.delete("k")


async def test_wrongtype_is_typed_with_server_message(r: Redis) -> None:
    await r.rpush("list", "a")
    with pytest.raises(WrongTypeError) as info:
        await r.get("list")
    assert isinstance(info.value, ResponseError)
    assert isinstance(info.value, aio.errors.AioError)
    assert "WRONGTYPE Operation against a key holding the wrong kind of value" in str(
        info.value
    )
    # The connection is still good afterwards.
    assert await r.lpop("list") == b"a"


async def test_error_reply_message(r: Redis) -> None:
    with pytest.raises(ResponseError, match="unknown command"):
        await r.execute_command("NOSUCHCOMMAND")


@pytest.mark.parametrize("bad", [None, True, {"a": 1}])
async def test_unencodable_argument_is_data_error(r: Redis, bad: Any) -> None:
    with pytest.raises(DataError):
        await r.execute_command("SET", "k", bad)
    assert await r.ping()


async def test_lowercase_command_names_use_callbacks(r: Redis) -> None:
    assert await r.execute_command("set", "k", "v") is True
    assert await r.execute_command("CONFIG GET", "maxmemory-policy")


async def test_single_connection_client(redis_url: str) -> None:
    async with Redis.from_url(redis_url, single_connection_client=True) as r:
        assert r.connection is not None
        # Concurrent commands share the connection and still get their own replies.
        await asyncio.gather(*(r.set(f"s{i}", i) for i in range(50)))
        values = await asyncio.gather(*(r.get(f"s{i}") for i in range(50)))
        assert values == [str(i).encode() for i in range(50)]
        await r.delete(*(f"s{i}" for i in range(50)))
    assert r.connection is None


async def test_single_connection_taken_on_first_command(redis_url: str) -> None:
    r = Redis.from_url(redis_url, single_connection_client=True)
    assert r.connection is None
    assert await r.ping()
    assert r.connection is not None
    assert r.connection_pool.in_use_count == 1
    await r.aclose()
    assert r.connection is None


async def test_await_client_and_close_alias(redis_url: str) -> None:
    r = await Redis.from_url(redis_url)
    assert await r.ping()
    with pytest.deprecated_call():  # as redis.asyncio's since 5.0.1
        await r.close()


async def test_client_name_and_db(redis_url: str) -> None:
    async with Redis.from_url(redis_url, client_name="aio-test") as r:
        assert await r.execute_command("CLIENT GETNAME") == "aio-test"
        info = await r.execute_command("CLIENT INFO")
        assert info["name"] == "aio-test"
        assert int(info["db"]) == DB


def test_parse_url() -> None:
    kw = parse_url(
        "redis://user:p%40ss@example.org:6380/3?socket_timeout=1.5&decode_responses=true"
    )
    assert kw == {
        "username": "user",
        "password": "p@ss",
        "host": "example.org",
        "port": 6380,
        "db": 3,
        "socket_timeout": 1.5,
        "decode_responses": True,
    }
    assert parse_url("redis://h/2?db=5")["db"] == 5
    assert parse_url("rediss://h")["connection_class"] is SSLConnection
    unix = parse_url("unix:///tmp/r.sock?db=4")
    assert unix["connection_class"] is UnixDomainSocketConnection
    assert unix["path"] == "/tmp/r.sock" and unix["db"] == 4
    with pytest.raises(ValueError, match="scheme"):
        parse_url("http://h")
    with pytest.raises(ValueError):
        parse_url("redis://h/x")
    with pytest.raises(ValueError):
        parse_url("redis://h/?socket_timeout=soon")


async def test_from_url_module_function(redis_url: str) -> None:
    r = from_url(redis_url, decode_responses=True)
    assert isinstance(r.connection_pool, ConnectionPool)
    assert await r.ping()
    await r.aclose()
    pool = BlockingConnectionPool.from_url(redis_url, max_connections=3)
    assert pool.max_connections == 3
    await pool.aclose()


async def test_connection_refused_is_typed() -> None:
    port = _closed_port()
    r = Redis(host="127.0.0.1", port=port, retry=None)
    with pytest.raises(ConnectionError) as info:
        await r.ping()
    assert isinstance(info.value, aio.errors.TransportError)
    assert r.connection_pool.in_use_count == 0
    await r.aclose()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_password_and_acl_user(private_redis_server: Any) -> None:
    server = private_redis_server("--requirepass", "s3cret")
    async with Redis(host=server.host, port=server.port, password="s3cret") as r:
        assert await r.ping()
        await r.execute_command(
            "ACL", "SETUSER", "alice", "on", ">wonder", "~*", "+@all"
        )
    for protocol in (2, 3):
        async with Redis(
            host=server.host,
            port=server.port,
            username="alice",
            password="wonder",
            protocol=protocol,
        ) as r:
            assert await r.execute_command("ACL WHOAMI") in (b"alice", "alice")


@pytest.mark.parametrize("protocol", [2, 3])
async def test_wrong_password(private_redis_server: Any, protocol: int) -> None:
    server = private_redis_server("--requirepass", "s3cret")
    r = Redis(host=server.host, port=server.port, password="nope", protocol=protocol)
    with pytest.raises(AuthenticationError):
        await r.ping()
    assert r.connection_pool.in_use_count == 0
    await r.aclose()
    r = Redis(host=server.host, port=server.port, db=1)  # SELECT without AUTH
    with pytest.raises(AuthenticationError):
        await r.ping()
    await r.aclose()


async def test_unix_socket(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with Redis(unix_socket_path=server.unix_socket, db=2) as r:
        assert await r.set("k", "unix")
        assert await r.get("k") == b"unix"
    async with Redis.from_url(f"unix://{server.unix_socket}?db=2") as r:
        assert await r.get("k") == b"unix"


async def test_tls(private_redis_server: Any, tmp_path: Any) -> None:
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1", "localhost")
    cert_file = tmp_path / "server.pem"
    key_file = tmp_path / "server.key"
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
    async with Redis(
        host=server.host, port=tls_port, ssl=True, ssl_ca_certs=str(ca_file)
    ) as r:
        assert await r.set("k", "tls")
        assert await r.get("k") == b"tls"
        # Large bodies are received in place (buffered protocol) under TLS too.
        for size in (1 << 20, 3 << 20 | 7):
            value = bytes(range(256)) * (size // 256) + b"z" * (size % 256)
            assert await r.set("big", value)
            assert await r.get("big") == value
    async with Redis.from_url(
        f"rediss://127.0.0.1:{tls_port}/0", ssl_ca_certs=str(ca_file)
    ) as r:
        assert await r.get("k") == b"tls"
    # An unknown CA is refused.
    r = Redis(host=server.host, port=tls_port, ssl=True, retry=None)
    with pytest.raises((ConnectionError, ssl.SSLError)):
        await r.ping()
    await r.aclose()


async def test_health_check_reconnects_idle_connection(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    async with Redis(
        host=server.host, port=server.port, health_check_interval=0.001
    ) as r:
        assert await r.set("k", "1")
        await r.execute_command("CLIENT KILL TYPE normal SKIPME no")
        await asyncio.sleep(0.01)
        # The idle connection was killed: the health check notices and reconnects.
        assert await r.get("k") == b"1"


async def test_monitor(r: Redis, redis_url: str) -> None:
    async with Redis.from_url(redis_url) as watcher:
        async with watcher.monitor() as m:
            await r.set("monitored", "x")
            async for command in m.listen():
                if "monitored" in command["command"]:
                    assert command["command"] == "SET monitored x"
                    assert command["db"] == DB
                    break
