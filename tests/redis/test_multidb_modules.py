"""``MultiDBClient.ft()`` (async and blocking) against private redis-server
processes, with redis-py 8.1's multi-database clients as the oracle.

redis-py's ``MultiDBClient`` inherits every module accessor, but only ``ft()``
works on it (the others register response callbacks, which it has no table
for: AttributeError), so ``ft()`` is what aio's offers. Redis 7.0 has no search
module: an ``FT.*`` command fails with "unknown command", whose message quotes
the words sent; the database whose ``errorstats`` count grew is the one that
ran it. ``load_document`` (an HGETALL) runs for real.
"""

from __future__ import annotations

import socket
import warnings
from collections.abc import Callable
from typing import Any

import pytest
import redis
import redis.asyncio.multidb.client as oracle_async
import redis.asyncio.multidb.config as oracle_async_config
import redis.multidb.client as oracle_sync
import redis.multidb.config as oracle_sync_config

import sync_shims.redis.multidb.client as shim_client
import sync_shims.redis.multidb.config as shim_config
from aio.redis.exceptions import DataError, ResponseError
from aio.redis.multidb.client import MultiDBClient
from tests.plugins.fix_redis import PrivateRedis
from tests.redis.multidb_setup import eventually
from tests.redis.test_multidb import active_port, make_config

Factory = Callable[..., PrivateRedis]

#: A health check interval no test waits for: between two counts of errors only
#: the command under test runs, on a connection opened before (see ``warm``).
QUIET = 60.0

pytestmark = pytest.mark.filterwarnings("ignore:MultiDBClient is an experimental")


def errors(server: PrivateRedis) -> int:
    """How many ``ERR`` replies ``server`` has given, asked on a bare socket
    (a client's handshake would add its own: Redis 7.0 refuses CLIENT SETINFO)."""
    with socket.create_connection((server.host, server.port), timeout=5) as sock:
        sock.sendall(b"INFO errorstats\r\n")
        data = b""
        while b"\r\n" not in data:
            data += sock.recv(4096)
        header, _, body = data.partition(b"\r\n")
        size = int(header[1:])
        while len(body) < size + 2:
            body += sock.recv(4096)
    for line in body[:size].decode().splitlines():
        if line.startswith("errorstat_ERR:count="):
            return int(line.split("=")[1].split(",")[0])
    return 0


def counts(servers: list[PrivateRedis]) -> list[int]:
    return [errors(s) for s in servers]


def database_configs(lib: Any, servers: list[PrivateRedis], **client: Any) -> Any:
    """``lib``'s config of ``servers``, weights 0.2 and 0.9 (the second active)."""
    return lib.MultiDbConfig(
        databases_config=[
            lib.DatabaseConfig(
                weight=weight,
                client_kwargs={"host": s.host, "port": s.port, **client},
            )
            for s, weight in zip(servers, [0.2, 0.9], strict=True)
        ],
        health_check_interval=QUIET,
    )


async def unknown_command_async(client: Any, call: Callable[[Any], Any]) -> str:
    with pytest.raises(Exception, match="unknown command") as info:
        await call(client.ft("books"))
    return str(info.value)


SEARCHES: list[Any] = [
    pytest.param(lambda s: s.search("hello"), id="search"),
    pytest.param(lambda s: s.info(), id="info"),
    pytest.param(lambda s: s.explain("hello"), id="explain"),
    pytest.param(lambda s: s.tagvals("genre"), id="tagvals"),
    pytest.param(lambda s: s.dropindex(delete_documents=True), id="dropindex"),
]


@pytest.mark.parametrize("call", SEARCHES)
async def test_ft_runs_on_the_active_database_as_redis_py_sends_it(
    private_redis_server: Factory, call: Callable[[Any], Any]
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    config = make_config(servers, [0.2, 0.9], health_check_interval=QUIET)
    async with MultiDBClient(config) as client:
        assert active_port(client) == servers[1].port
        assert await client.ping()  # the command connection, opened now
        before = counts(servers)
        mine = await unknown_command_async(client, call)
        assert counts(servers) == [before[0], before[1] + 1]
    oracle = oracle_async.MultiDBClient(database_configs(oracle_async_config, servers))
    try:
        theirs = await unknown_command_async(oracle, call)
    finally:
        await oracle.aclose()  # type: ignore[no-untyped-call]
    # The server quotes the words it was sent: the same from both.
    assert mine == theirs
    assert "'books'" in mine


async def test_ft_follows_a_failover(private_redis_server: Factory) -> None:
    secondary, primary = private_redis_server(), private_redis_server()
    async with MultiDBClient(make_config([secondary, primary], [0.5, 1.0])) as client:
        search = client.ft()  # made before the failover, used after it
        primary.kill()
        before = errors(secondary)
        with pytest.raises(ResponseError, match="unknown command 'FT.INFO'"):
            await search.info()
        # The primary is dead: only the secondary can have answered (its
        # count also has the new command connection's handshake).
        assert active_port(client) == secondary.port
        assert errors(secondary) > before


async def test_load_document_reads_the_active_database(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    for server, title in zip(servers, ["other", "Dune"], strict=True):
        with redis.Redis(host=server.host, port=server.port) as direct:
            direct.hset("book:1", mapping={"title": title, "year": 1965})
    async with MultiDBClient(make_config(servers, [0.2, 0.9])) as client:
        doc = await client.ft("books").load_document("book:1")
        assert (doc.id, doc.title, doc.year) == ("book:1", "Dune", "1965")


@pytest.mark.parametrize("protocol", [2, 3])
async def test_replies_are_read_in_the_databases_protocol(
    private_redis_server: Factory, protocol: int
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    config = make_config(servers, [0.2, 0.9])
    for database in config.databases_config:
        database.client_kwargs["protocol"] = protocol
    async with MultiDBClient(config) as client:
        search = client.ft()
        assert search._protocol == protocol
        assert search.index_name == "idx" and search.client is client


async def test_sugadd_sends_each_suggestion_on_the_active_database(
    private_redis_server: Factory,
) -> None:
    from aio.redis.commands.search.suggestion import Suggestion

    servers = [private_redis_server(), private_redis_server()]
    config = make_config(servers, [0.2, 0.9], health_check_interval=QUIET)
    async with MultiDBClient(config) as client:
        assert await client.ping()
        before = counts(servers)
        with pytest.raises(ResponseError, match="unknown command 'FT.SUGADD'"):
            await client.ft().sugadd("ac", Suggestion("ada"), Suggestion("bob"))
        # The first FT.SUGADD failed: the second was never sent.
        assert counts(servers) == [before[0], before[1] + 1]


async def test_search_pipeline_and_batch_indexer_are_refused(
    private_redis_server: Factory,
) -> None:
    server = private_redis_server()
    async with MultiDBClient(make_config([server], [1.0])) as client:
        with pytest.raises(DataError, match="client.pipeline()"):
            client.ft().pipeline()
        with pytest.raises(DataError, match="client.pipeline()"):
            client.ft().batch_indexer()


def test_blocking_ft_runs_on_the_active_database(
    private_redis_server: Factory,
) -> None:
    servers = [private_redis_server(), private_redis_server()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        client = shim_client.MultiDBClient(database_configs(shim_config, servers))
        oracle = oracle_sync.MultiDBClient(
            database_configs(oracle_sync_config, servers)
        )
    try:
        eventually(lambda: client.ping() is True)
        assert oracle.execute_command("PING")  # type: ignore[no-untyped-call]
        before = counts(servers)
        with pytest.raises(ResponseError, match="unknown command") as mine:
            client.ft("books").search("hello")
        assert counts(servers) == [before[0], before[1] + 1]
        with pytest.raises(redis.ResponseError) as theirs:
            oracle.ft("books").search("hello")
        assert str(mine.value) == str(theirs.value)
        for server, title in zip(servers, ["other", "Dune"], strict=True):
            with redis.Redis(host=server.host, port=server.port) as direct:
                direct.hset("book:1", "title", title)
        assert client.ft().load_document("book:1").title == "Dune"
        with pytest.raises(DataError):
            client.ft().pipeline()
        with pytest.raises(DataError):
            client.ft().batch_indexer()
    finally:
        client.close()
        oracle.close()  # type: ignore[no-untyped-call]
