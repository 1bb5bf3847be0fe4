"""Audit of issue 3: error replies of the REAL server become typed exceptions.

Each case provokes one error reply from a real ``redis-server`` and checks that
``aio.redis`` raises the class redis-py asyncio raises (same name, same message),
that the class is a subclass of :class:`aio.redis.RedisError` (and so of
``aio.AioError``), and that the connection still serves the next command.
The shared Redis is used on database 12 only; OOM, READONLY and ACL cases use
private servers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy

import aio.errors
from aio.redis import AuthenticationError, Redis, RedisError, Retry
from aio.redis import exceptions as aio_exceptions
from aio.redis.backoff import ConstantBackoff
from tests.plugins.fix_services import require_service

DB = 12

Case = Callable[[Any], Awaitable[Any]]


async def _wrongtype(r: Any) -> Any:
    await r.rpush("audit:list", "a")
    return await r.get("audit:list")


async def _unknown_command(r: Any) -> Any:
    return await r.execute_command("NOSUCHCOMMAND", "x")


async def _arity(r: Any) -> Any:
    return await r.execute_command("GET")


async def _not_an_integer(r: Any) -> Any:
    await r.set("audit:str", "abc")
    return await r.incr("audit:str")


async def _noscript(r: Any) -> Any:
    return await r.evalsha("0" * 40, 0)


async def _busygroup(r: Any) -> Any:
    await r.xgroup_create("audit:stream", "g", id="0", mkstream=True)
    return await r.xgroup_create("audit:stream", "g", id="0")


async def _script_runtime_error(r: Any) -> Any:
    return await r.eval("return redis.call('INCR', KEYS[1])", 1, "audit:list2")


async def _syntax(r: Any) -> Any:
    return await r.execute_command("SET", "k", "v", "NOSUCHOPTION")


CASES: dict[str, Case] = {
    "wrongtype": _wrongtype,
    "unknown-command": _unknown_command,
    "arity": _arity,
    "not-an-integer": _not_an_integer,
    "noscript": _noscript,
    "busygroup": _busygroup,
    "syntax": _syntax,
}


async def _outcome(client: Any, case: Case) -> tuple[str, str]:
    try:
        await case(client)
    except Exception as exc:
        return type(exc).__name__, str(exc)
    raise AssertionError("no error was raised")


@pytest.fixture
async def clients() -> AsyncIterator[tuple[Redis, Any]]:
    host, port = require_service("redis")
    ours = Redis(host=host, port=port, db=DB)
    theirs = redispy.Redis(host=host, port=port, db=DB)
    await ours.flushdb()
    try:
        yield ours, theirs
    finally:
        await ours.flushdb()
        await ours.aclose()
        await theirs.aclose()


@pytest.mark.parametrize("name", sorted(CASES))
async def test_error_reply_matches_redis_py(
    clients: tuple[Redis, Any], name: str
) -> None:
    ours, theirs = clients
    case = CASES[name]
    expected = await _outcome(theirs, case)
    await ours.flushdb()
    got = await _outcome(ours, case)
    # Same message; our class is redis-py's or a more specific subclass of it
    # (WRONGTYPE: WrongTypeError, a ResponseError), and it is one of ours.
    assert got[1] == expected[1]
    cls = getattr(aio_exceptions, got[0])
    assert issubclass(cls, getattr(aio_exceptions, expected[0]))
    assert issubclass(cls, RedisError)
    assert issubclass(cls, aio.errors.AioError)
    # The connection that carried the error reply is still in sync.
    assert await ours.set("audit:after", "ok")
    assert await ours.get("audit:after") == b"ok"
    assert ours.connection_pool.in_use_count == 0


async def test_wrongtype_keeps_the_servers_whole_message(
    clients: tuple[Redis, Any],
) -> None:
    ours, _ = clients
    with pytest.raises(aio_exceptions.WrongTypeError) as info:
        await _wrongtype(ours)
    assert str(info.value) == (
        "WRONGTYPE Operation against a key holding the wrong kind of value"
    )


async def test_script_runtime_error_is_a_response_error(
    clients: tuple[Redis, Any],
) -> None:
    ours, theirs = clients
    await ours.rpush("audit:list2", "x")
    got = await _outcome(ours, _script_runtime_error)
    expected = await _outcome(theirs, _script_runtime_error)
    # The script's error reply starts with the error's own word, so it maps as
    # that error does (redis-py: ResponseError; ours: its WrongTypeError subclass).
    assert expected[0] == "ResponseError"
    assert got == ("WrongTypeError", expected[1])
    assert got[1].startswith("WRONGTYPE") and "script" in got[1]


async def _both(
    url: str, case: Case, **kwargs: Any
) -> tuple[tuple[str, str], tuple[str, str]]:
    ours = Redis.from_url(url, **kwargs)
    theirs = redispy.Redis.from_url(url, **kwargs)
    try:
        return await _outcome(ours, case), await _outcome(theirs, case)
    finally:
        await ours.aclose()
        await theirs.aclose()


async def test_oom_is_out_of_memory_error(private_redis_server: Any) -> None:
    server = private_redis_server(
        "--maxmemory", "1", "--maxmemory-policy", "noeviction"
    )

    async def write(r: Any) -> Any:
        return await r.set("k", "v")

    got, expected = await _both(server.url, write)
    assert got == expected
    assert got[0] == "OutOfMemoryError"
    assert "maxmemory" in got[1]


async def test_write_to_replica_is_read_only_error(private_redis_server: Any) -> None:
    master = private_redis_server()
    replica = private_redis_server("--replicaof", master.host, str(master.port))

    async def write(r: Any) -> Any:
        return await r.set("k", "v")

    got, expected = await _both(replica.url, write)
    assert got == expected
    assert got[0] == "ReadOnlyError"
    assert "read only replica" in got[1]


async def test_acl_errors(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port) as admin:
        # bob may do anything but write.
        await admin.execute_command(
            "ACL", "SETUSER", "bob", "on", ">builder", "~*", "+@all", "-@write"
        )
    bob = f"redis://bob:builder@{server.host}:{server.port}/0"

    async def write(r: Any) -> Any:
        return await r.set("k", "v")

    got, expected = await _both(bob, write)
    assert got == expected
    assert got[0] == "NoPermissionError"
    assert "no permissions to run the 'set' command" in got[1]

    async def ping(r: Any) -> Any:
        return await r.ping()

    for url in (
        f"redis://bob:wrong@{server.host}:{server.port}/0",
        f"redis://nobody:builder@{server.host}:{server.port}/0",
    ):
        for protocol in (2, 3):
            got, expected = await _both(url, ping, protocol=protocol)
            assert got[0] == expected[0] == "AuthenticationError"
            assert "invalid username-password pair" in got[1]
    # The right password still works on the same server afterwards.
    async with Redis.from_url(bob) as r:
        assert await r.execute_command("ACL WHOAMI") == "bob"  # as redis-py
        assert await r.get("k") is None


async def test_wrong_password_is_not_retried(private_redis_server: Any) -> None:
    # AuthenticationError is a ConnectionError (as in redis-py), but retrying a
    # refused password cannot succeed: the client must fail at once, even with
    # a retry policy (redis-py's asyncio client retries it, here 5 times).
    server = private_redis_server("--requirepass", "pw")
    retry = Retry(ConstantBackoff(0.05), 5)
    r = Redis(host=server.host, port=server.port, password="no", retry=retry)
    with pytest.raises(AuthenticationError):
        await r.ping()
    await r.aclose()
    async with Redis(host=server.host, port=server.port, password="pw") as admin:
        stats = await admin.info("commandstats")
    failed = sum(
        int(stats.get(f"cmdstat_{name}", {}).get("failed_calls", 0))
        for name in ("auth", "hello")
    )
    assert failed == 1
