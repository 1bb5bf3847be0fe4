"""Audit of issue 3, item 6 (connections): health checks against a half-open
connection, ``client_name`` and ``db`` after a reconnect, the blocking pool's
timeout seen through the client, ``from_url`` against redis-py's own parser,
TLS variants (client certificates, ``ssl_cert_reqs=none``, host-name checks,
RESP3) and ``unix://`` variants (password in the URL, RESP3, pub/sub).

Private servers only, except the URL parser, which needs no server.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import redis.asyncio as redispy
from redis.connection import parse_url as _redispy_parse_url

from aio.redis import (
    AuthenticationError,
    BlockingConnectionPool,
    ConnectionError,
    Redis,
    TimeoutError,
)
from aio.redis._pool import parse_url

# -- a TCP proxy that can go silent (a half-open connection) --------------------


@dataclass
class _Pipe:
    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    frozen: bool = False


class FreezingProxy:
    """Forwards 127.0.0.1:port to a server; ``freeze()`` makes the connections
    open so far swallow everything in both directions without closing, as a
    peer that vanished behind a NAT does. Later connections forward normally."""

    def __init__(self, upstream_port: int) -> None:
        self.upstream_port = upstream_port
        self.pipes: list[_Pipe] = []
        self.tasks: set[asyncio.Task[None]] = set()
        self.server: asyncio.Server | None = None
        self.port = 0

    async def start(self) -> FreezingProxy:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        self.port = int(self.server.sockets[0].getsockname()[1])
        return self

    def freeze(self) -> None:
        for pipe in self.pipes:
            pipe.frozen = True

    async def _accept(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        up_reader, up_writer = await asyncio.open_connection(
            "127.0.0.1", self.upstream_port
        )
        pipe = _Pipe([writer, up_writer])
        self.pipes.append(pipe)
        forward = [
            asyncio.ensure_future(self._copy(reader, up_writer, pipe)),
            asyncio.ensure_future(self._copy(up_reader, writer, pipe)),
        ]
        self.tasks.update(forward)
        await asyncio.gather(*forward, return_exceptions=True)

    @staticmethod
    async def _copy(
        reader: asyncio.StreamReader, writer: asyncio.StreamWriter, pipe: _Pipe
    ) -> None:
        try:
            while data := await reader.read(65536):
                if not pipe.frozen:
                    writer.write(data)
                    await writer.drain()
        finally:
            writer.close()

    async def aclose(self) -> None:
        assert self.server is not None
        self.server.close()
        for pipe in self.pipes:
            for writer in pipe.writers:
                writer.close()
        await asyncio.gather(*self.tasks, return_exceptions=True)


@pytest.fixture
async def proxy(private_redis_server: Any) -> AsyncIterator[FreezingProxy]:
    server = private_redis_server()
    proxy = await FreezingProxy(server.port).start()
    try:
        yield proxy
    finally:
        await proxy.aclose()


async def test_health_check_replaces_a_half_open_connection(
    proxy: FreezingProxy,
) -> None:
    async with Redis(
        host="127.0.0.1", port=proxy.port, health_check_interval=0.05, socket_timeout=1
    ) as r:
        assert await r.set("k", "v")
        proxy.freeze()
        # Idle past the interval (the thing under test is time-based).
        await asyncio.sleep(0.1)
        # The health-check PING gets no answer: the connection is dropped and a
        # fresh one (through the proxy again, now forwarding) serves the GET.
        assert await r.get("k") == b"v"
        assert r.connection_pool.in_use_count == 0
        assert len(proxy.pipes) == 2


async def test_without_health_check_a_half_open_connection_times_out(
    proxy: FreezingProxy,
) -> None:
    # The contrast that shows what the health check is for.
    async with Redis(
        host="127.0.0.1", port=proxy.port, socket_timeout=0.3, retry=None
    ) as r:
        assert await r.set("k", "v")
        proxy.freeze()
        with pytest.raises(TimeoutError):
            await r.get("k")
        assert r.connection_pool.in_use_count == 0
        # The timed-out connection was closed, not reused: the next one works.
        assert await r.get("k") == b"v"


async def test_health_check_pings_only_after_idle(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port) as admin:

        async def pings() -> int:
            stats = await admin.info("commandstats")
            return int(stats.get("cmdstat_ping", {}).get("calls", 0))

        # The fixture's readiness probe was a PING: count from zero.
        await admin.config_resetstat()

        async with Redis(
            host=server.host, port=server.port, health_check_interval=30
        ) as busy:
            for _ in range(20):
                await busy.get("k")
            assert await pings() == 0  # never idle for 30 s: no PING
        async with Redis(
            host=server.host, port=server.port, health_check_interval=0.01
        ) as idle:
            await idle.get("k")
            await asyncio.sleep(0.05)
            await idle.get("k")
            assert await pings() == 1


# -- client_name and db survive a reconnect -------------------------------------


@pytest.mark.parametrize("protocol", [2, 3])
async def test_client_name_and_db_are_restored_after_reconnect(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server()
    async with (
        Redis(host=server.host, port=server.port) as admin,
        Redis(
            host=server.host,
            port=server.port,
            db=3,
            client_name="audit-name",
            protocol=protocol,
        ) as r,
    ):
        await r.set("k", "db3")
        first = await r.client_id()
        assert await admin.execute_command("CLIENT KILL", "ID", first) in (1, True)
        # The pool notices the loss; the new connection does SETNAME and SELECT.
        assert await r.get("k") == b"db3"
        assert await r.client_id() != first
        assert await r.client_getname() in ("audit-name", b"audit-name")
        names = [c["name"] for c in await admin.client_list()]
        assert "audit-name" in names


# -- the blocking pool's timeout, through the client ----------------------------


async def test_blocking_pool_timeout_through_the_client(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    ours = BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.05
    )
    theirs = redispy.BlockingConnectionPool(
        host=server.host, port=server.port, max_connections=1, timeout=0.05
    )
    pairs: list[tuple[Any, Any]] = [(ours, Redis), (theirs, redispy.Redis)]
    for pool, lib in pairs:
        r = lib(connection_pool=pool)
        held = await pool.get_connection()
        with pytest.raises(Exception) as info:
            await r.get("k")
        assert type(info.value).__name__ == "ConnectionError"
        assert str(info.value) == "No connection available."
        if lib is Redis:
            assert isinstance(info.value, ConnectionError)  # aio's class
        await pool.release(held)
        assert await r.get("k") is None
        await r.aclose()
        await pool.aclose()


# -- from_url: the same keyword arguments as redis-py's parser ------------------

URLS = [
    "redis://localhost",
    "redis://:pw@h:1/2",
    "redis://u:p%40ss@h/3?protocol=3&client_name=x&max_connections=5",
    "redis://h?socket_connect_timeout=1&socket_keepalive=true&retry_on_timeout=yes",
    "redis://h/0?encoding=latin-1&socket_timeout=2.5",
    "redis://[::1]:7000/1",
    "redis://h/?db=7",
    "redis://%2Fuser:p%20w@h",
    "rediss://h:6380/0?ssl_cert_reqs=none&ssl_check_hostname=false",
    "rediss://u:p@h",
    "unix:///tmp/s.sock?db=3&password=pw",
    "unix://u:p@/tmp/s.sock",
]


def redispy_parse_url(url: str) -> dict[str, Any]:
    return dict(_redispy_parse_url(url))  # type: ignore[no-untyped-call]


def _comparable(kwargs: dict[str, Any]) -> dict[str, Any]:
    out = dict(kwargs)
    cls = out.pop("connection_class", None)
    if cls is not None:
        out["connection_class"] = cls.__name__
    return out


@pytest.mark.parametrize("url", URLS)
def test_parse_url_agrees_with_redis_py(url: str) -> None:
    assert _comparable(parse_url(url)) == _comparable(redispy_parse_url(url))


def test_parse_url_booleans_are_parsed_not_kept_as_text() -> None:
    # redis-py keeps "False" as a (truthy) string; we parse it.
    assert parse_url("redis://h?decode_responses=False")["decode_responses"] is False
    assert parse_url("redis://h?decode_responses=1")["decode_responses"] is True


async def test_from_url_query_arguments_reach_the_connection(
    private_redis_server: Any,
) -> None:
    server = private_redis_server("--requirepass", "pw")
    url = (
        f"redis://:pw@{server.host}:{server.port}/4"
        "?protocol=3&client_name=from-url&decode_responses=true"
    )
    async with Redis.from_url(url) as r:
        info = await r.client_info()
        assert int(info["resp"]) == 3
        assert int(info["db"]) == 4
        assert await r.client_getname() == "from-url"
        assert await r.set("k", "v") and await r.get("k") == "v"
    # What the URL says wins over keyword arguments, as in redis-py; others apply.
    async with Redis.from_url(
        url, protocol=2, decode_responses=False, client_name="kw"
    ) as r:
        assert int((await r.client_info())["resp"]) == 3
        assert await r.get("k") == "v"
        assert await r.client_getname() == "from-url"
    async with Redis.from_url(
        f"redis://:pw@{server.host}:{server.port}/4", protocol=2
    ) as r:
        assert int((await r.client_info())["resp"]) == 2
        assert await r.get("k") == b"v"


# -- unix:// --------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [2, 3])
async def test_unix_url_with_password_and_pubsub(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server("--requirepass", "pw", "--unixsocketperm", "700")
    url = f"unix://{server.unix_socket}?db=5&password=pw&protocol={protocol}"
    async with Redis.from_url(url) as r:
        assert await r.set("k", "unix")
        assert int((await r.client_info())["db"]) == 5
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.subscribe("unix-chan")
            while await r.publish("unix-chan", "hi") != 1:
                await asyncio.sleep(0.01)
            message = None
            while message is None:
                message = await p.get_message(timeout=5)
            assert message["data"] == b"hi"
    async with Redis.from_url(f"unix://{server.unix_socket}?password=no") as r:
        with pytest.raises(AuthenticationError):
            await r.ping()


# -- rediss:// --------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def tls(private_redis_server: Any, tmp_path: Any) -> dict[str, Any]:
    """A private server with TLS that requires client certificates."""
    trustme = pytest.importorskip("trustme")
    ca = trustme.CA()
    server_cert = ca.issue_cert("localhost")  # NOT 127.0.0.1: host-name tests
    client_cert = ca.issue_cert("client@example.org")
    files = {
        name: str(tmp_path / f"{name}.pem")
        for name in ("ca", "cert", "key", "client_cert", "client_key")
    }
    ca.cert_pem.write_to_path(files["ca"])
    server_cert.cert_chain_pems[0].write_to_path(files["cert"])
    server_cert.private_key_pem.write_to_path(files["key"])
    client_cert.cert_chain_pems[0].write_to_path(files["client_cert"])
    client_cert.private_key_pem.write_to_path(files["client_key"])
    port = _free_port()
    server = private_redis_server(
        "--tls-port", str(port),
        "--tls-cert-file", files["cert"],
        "--tls-key-file", files["key"],
        "--tls-ca-cert-file", files["ca"],
        "--tls-auth-clients", "yes",
    )  # fmt: skip
    return {"port": port, "server": server, **files}


@pytest.mark.parametrize("protocol", [2, 3])
async def test_tls_with_client_certificate(tls: dict[str, Any], protocol: int) -> None:
    async with Redis(
        host="localhost",
        port=tls["port"],
        ssl=True,
        ssl_ca_certs=tls["ca"],
        ssl_certfile=tls["client_cert"],
        ssl_keyfile=tls["client_key"],
        protocol=protocol,
    ) as r:
        assert await r.set("k", "tls")
        assert await r.get("k") == b"tls"
        pipe: Any
        async with r.pipeline() as pipe:
            assert await pipe.incr("n").incr("n").execute() == [1, 2]


async def test_tls_without_client_certificate_is_refused(tls: dict[str, Any]) -> None:
    r = Redis(
        host="localhost", port=tls["port"], ssl=True, ssl_ca_certs=tls["ca"], retry=None
    )
    with pytest.raises(ConnectionError):
        await r.ping()
    assert r.connection_pool.in_use_count == 0
    await r.aclose()


async def test_tls_host_name_is_checked(tls: dict[str, Any]) -> None:
    client = {"ssl_certfile": tls["client_cert"], "ssl_keyfile": tls["client_key"]}
    # The certificate names "localhost", not "127.0.0.1".
    r = Redis(
        host="127.0.0.1",
        port=tls["port"],
        ssl=True,
        ssl_ca_certs=tls["ca"],
        retry=None,
        **client,
    )
    with pytest.raises(ConnectionError):
        await r.ping()
    await r.aclose()
    # Without host-name checking the same address is accepted.
    url = f"rediss://127.0.0.1:{tls['port']}/0?ssl_check_hostname=false"
    async with Redis.from_url(url, ssl_ca_certs=tls["ca"], **client) as r:
        assert await r.ping()
    # And with ssl_cert_reqs=none the CA is not needed at all.
    url = f"rediss://127.0.0.1:{tls['port']}/0?ssl_cert_reqs=none"
    async with Redis.from_url(url, **client) as r:
        assert await r.ping()
