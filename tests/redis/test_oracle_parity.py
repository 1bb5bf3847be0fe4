"""``aio.redis`` against ``redis.asyncio`` 8.1 on the same calls: pub/sub before
any subscription, ``retry_on_error`` on commands and pipelines, the connection
defaults, scripts in a pipeline after WATCH.

Each test runs one body with both libraries (``lib``) on the real server and
asserts the same outcome; redis-py is the oracle.
"""

from __future__ import annotations

import asyncio
import inspect
import socket
from typing import Any
from urllib.parse import urlsplit

import pytest
import redis.asyncio as redispy
import redis.asyncio.connection as redispy_connection
import redis.exceptions as redispy_exceptions
from redis.asyncio.retry import Retry as RedispyRetry
from redis.backoff import NoBackoff as RedispyNoBackoff

import aio.redis as aio_redis
from aio.redis._core import RedisCore
from aio.redis.backoff import NoBackoff
from aio.redis.retry import Retry
from tests.plugins.fix_redis import db_lock
from tests.plugins.fix_services import require_service
from tests.redis.test_docs_core import example

LIBS = [aio_redis, redispy]
IDS = ["aio", "redis-py"]


def _errors(lib: Any) -> Any:
    return aio_redis.exceptions if lib is aio_redis else redispy_exceptions


def _client(lib: Any, redis_url: str, **kwargs: Any) -> Any:
    """``lib.Redis(host=..., port=..., db=..., **kwargs)``: a client that makes
    its own pool, where ``retry``/``retry_on_error`` are the client's."""
    url = urlsplit(redis_url)
    return lib.Redis(
        host=url.hostname, port=url.port, db=int(url.path.strip("/")), **kwargs
    )


def _retry(lib: Any, retries: int) -> Any:
    if lib is aio_redis:
        return Retry(NoBackoff(), retries)
    return RedispyRetry(RedispyNoBackoff(), retries)


# -- pub/sub before any subscription --------------------------------------------


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_get_message_before_any_subscription_raises(
    redis_url: str, lib: Any
) -> None:
    r = lib.Redis.from_url(redis_url)
    p = r.pubsub()
    try:
        with pytest.raises(RuntimeError, match=r"did you forget to call subscribe"):
            await p.get_message(timeout=0.01)
        await p.subscribe("parity:ch")
        message = await p.get_message(timeout=5)
        assert message is not None and message["type"] == "subscribe"
        # Closed, the pub/sub has no connection again: the same error.
        await p.aclose()
        with pytest.raises(RuntimeError, match=r"pubsub connection not set"):
            await p.get_message()
    finally:
        await p.aclose()
        await r.aclose()


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_listen_before_any_subscription_ends_at_once(
    redis_url: str, lib: Any
) -> None:
    r = lib.Redis.from_url(redis_url)
    p = r.pubsub()
    try:
        assert [m async for m in p.listen()] == []
    finally:
        await p.aclose()
        await r.aclose()


# -- retry_on_error --------------------------------------------------------------

# Each call increments a counter and answers READONLY until the counter reaches
# ARGV[1]: a command that fails with ReadOnlyError a known number of times.
FLAKY = """
local n = redis.call('INCR', KEYS[1])
if n < tonumber(ARGV[1]) then return redis.error_reply('READONLY not yet') end
return n
"""


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_retry_on_error_widens_the_command_policy(
    redis_url: str, lib: Any
) -> None:
    # The policy of a pool given to the client (retry_on_error from the pool).
    errors = _errors(lib)
    r = lib.Redis.from_url(redis_url)
    flaky = lib.Redis(
        connection_pool=lib.ConnectionPool.from_url(
            redis_url, retry=_retry(lib, 3), retry_on_error=[errors.ReadOnlyError]
        )
    )
    try:
        await r.delete("parity:flaky")
        assert await flaky.eval(FLAKY, 1, "parity:flaky", 3) == 3  # 2 retries
        await r.delete("parity:flaky")
        with pytest.raises(errors.ReadOnlyError):
            await flaky.eval(FLAKY, 1, "parity:flaky", 99)
        assert await r.get("parity:flaky") == b"4"  # the call and 3 retries
        # A client without retry_on_error does not retry READONLY.
        await r.delete("parity:flaky")
        with pytest.raises(errors.ReadOnlyError):
            await r.eval(FLAKY, 1, "parity:flaky", 99)
        assert await r.get("parity:flaky") == b"1"
    finally:
        await r.delete("parity:flaky")
        await flaky.aclose()
        await flaky.connection_pool.disconnect()
        await r.aclose()


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_retry_on_error_given_to_the_client(redis_url: str, lib: Any) -> None:
    errors = _errors(lib)
    r = _client(
        lib, redis_url, retry=_retry(lib, 2), retry_on_error=[errors.ReadOnlyError]
    )
    try:
        # get_retry() shows the policy as given: the connections widen copies.
        supported = {e.__name__ for e in r.get_retry()._supported_errors}
        assert "ReadOnlyError" not in supported
        await r.delete("parity:flaky")
        assert await r.eval(FLAKY, 1, "parity:flaky", 3) == 3
        await r.delete("parity:flaky")
        with pytest.raises(errors.ReadOnlyError):
            await r.eval(FLAKY, 1, "parity:flaky", 99)
        assert await r.get("parity:flaky") == b"3"  # the call and 2 retries
    finally:
        await r.delete("parity:flaky")
        await r.aclose()


@pytest.mark.parametrize("transaction", [False, True], ids=["pipeline", "multi"])
@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_retry_on_error_retries_pipelines(
    redis_url: str, lib: Any, transaction: bool
) -> None:
    errors = _errors(lib)
    r = _client(
        lib, redis_url, retry=_retry(lib, 3), retry_on_error=[errors.ReadOnlyError]
    )
    try:
        await r.delete("parity:flaky")
        async with r.pipeline(transaction=transaction) as pipe:
            pipe.eval(FLAKY, 1, "parity:flaky", 3)
            assert await pipe.execute() == [3]  # the batch sent three times
        # While WATCHing, an error the policy retries gives WatchError: the
        # connection is dropped with its WATCH.
        await r.delete("parity:flaky")
        async with r.pipeline() as pipe:
            await pipe.watch("parity:watched")
            with pytest.raises(errors.WatchError):
                await pipe.eval(FLAKY, 1, "parity:flaky", 3)
        assert await r.get("parity:flaky") == b"1"
    finally:
        await r.delete("parity:flaky")
        await r.aclose()


# -- scripts in a pipeline after WATCH ---------------------------------------------


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_script_in_a_watching_pipeline_is_loaded_before_multi(
    redis_url: str, lib: Any
) -> None:
    r = lib.Redis.from_url(redis_url)
    script = r.register_script("return redis.call('GET', KEYS[1])")
    try:
        await r.set("parity:k", "v")
        await r.script_flush()
        async with r.pipeline() as pipe:
            await pipe.watch("parity:k")
            # Between WATCH and MULTI the call runs at once: NOSCRIPT makes it
            # SCRIPT LOAD on the watching connection and run again.
            assert await script(keys=["parity:k"], client=pipe) == b"v"
            pipe.multi()
            await r.script_flush()
            await script(keys=["parity:k"], client=pipe)  # queued
            # execute() loads the script (SCRIPT EXISTS, SCRIPT LOAD) before
            # MULTI, on the same connection: the WATCH still holds.
            assert await pipe.execute() == [b"v"]
        assert await r.script_exists(script.sha) == [True]
        # A watched key changed: WatchError, the script loading did not hide it.
        await r.script_flush()
        async with r.pipeline() as pipe:
            await pipe.watch("parity:k")
            pipe.multi()
            await script(keys=["parity:k"], client=pipe)
            await r.set("parity:k", "changed")
            with pytest.raises(_errors(lib).WatchError):
                await pipe.execute()
    finally:
        await r.delete("parity:k")
        await r.aclose()


# -- defaults ------------------------------------------------------------------------

_DEFAULTED = ("socket_timeout", "socket_connect_timeout", "socket_keepalive")


def _defaults(func: Any) -> dict[str, Any]:
    params = inspect.signature(func).parameters
    return {name: params[name].default for name in _DEFAULTED if name in params}


def test_signature_defaults_are_redis_pys() -> None:
    theirs = _defaults(redispy.Redis.__init__)
    assert theirs == {
        "socket_timeout": 5,
        "socket_connect_timeout": 5,
        "socket_keepalive": True,
    }
    assert _defaults(RedisCore.__init__) == theirs
    # redis-py splits its connection's arguments over two classes.
    theirs_conn = {
        **_defaults(redispy_connection.AbstractConnection.__init__),
        **_defaults(redispy_connection.Connection.__init__),
    }
    assert _defaults(aio_redis.Connection.__init__) == theirs_conn == theirs


def _settings(conn: Any) -> tuple[Any, ...]:
    return (
        conn.socket_timeout,
        conn.socket_connect_timeout,
        getattr(conn, "socket_keepalive", None),
        dict(getattr(conn, "socket_keepalive_options", None) or {}),
    )


@pytest.mark.parametrize(
    "make",
    [
        lambda lib, url: lib.Redis().connection_pool.make_connection(),
        lambda lib, url: lib.Redis.from_url(url).connection_pool.make_connection(),
        lambda lib, url: lib.ConnectionPool().make_connection(),
        lambda lib, url: lib.Connection(),
        lambda lib, url: lib.Redis(
            socket_timeout=None
        ).connection_pool.make_connection(),
        lambda lib, url: lib.UnixDomainSocketConnection(path="/tmp/nowhere.sock"),
    ],
    ids=["client", "from_url", "pool", "connection", "timeout-off", "unix"],
)
def test_connections_get_redis_pys_defaults(make: Any) -> None:
    url = "redis://127.0.0.1:6379/9"
    ours, theirs = make(aio_redis, url), make(redispy, url)
    if isinstance(ours, aio_redis.UnixDomainSocketConnection):
        # redis-py's has no keepalive attributes (aio's are never applied to
        # a unix socket): the timeouts only.
        assert _settings(ours)[:2] == _settings(theirs)[:2] == (5, 5)
    else:
        assert _settings(ours) == _settings(theirs)


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_keepalive_is_on_by_default(redis_url: str, lib: Any) -> None:
    r = lib.Redis.from_url(redis_url)
    conn = await r.connection_pool.get_connection()
    try:
        # Each library's own way to its socket.
        transport = conn._transport if lib is aio_redis else conn._writer.transport
        sock = transport.get_extra_info("socket")
        assert sock.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE) == 1
        idle = getattr(socket, "TCP_KEEPIDLE", None)
        if idle is not None:
            assert sock.getsockopt(socket.IPPROTO_TCP, idle) == 30
    finally:
        await r.connection_pool.release(conn)
        await r.aclose()


@pytest.mark.parametrize("lib", LIBS, ids=IDS)
async def test_pubsub_reads_are_not_cut_by_the_socket_timeout(
    redis_url: str, lib: Any
) -> None:
    r = lib.Redis.from_url(redis_url, socket_timeout=0.2)
    p = r.pubsub()
    try:
        await p.subscribe("parity:quiet")
        assert (await p.get_message(timeout=5))["type"] == "subscribe"
        # Nothing is published: both waits outlast socket_timeout and end only
        # when cancelled (builtin TimeoutError from asyncio.timeout), never
        # with the client's TimeoutError.
        with pytest.raises(TimeoutError) as waited:
            async with asyncio.timeout(0.6):
                await p.get_message(timeout=None)
        assert type(waited.value) is TimeoutError
        with pytest.raises(TimeoutError) as listened:
            async with asyncio.timeout(0.6):
                async for _ in p.listen():
                    pass
        assert type(listened.value) is TimeoutError
        # A bounded read gives None at its own timeout.
        assert await p.get_message(timeout=0.5) is None
    finally:
        await p.aclose()
        await r.aclose()


async def test_blocking_commands_outlive_the_socket_timeout_unlike_redis_py(
    redis_url: str,
) -> None:
    # A deliberate difference (docs/redis.md): aio waits for the blocking
    # command's own timeout on top of socket_timeout; redis.asyncio cuts the
    # read at socket_timeout (TimeoutError), BLPOP 0 included.
    ours = aio_redis.Redis.from_url(redis_url, socket_timeout=0.2)
    theirs = redispy.Redis.from_url(redis_url, socket_timeout=0.2)
    try:
        assert await ours.blpop(["parity:never"], 1) is None
        assert await ours.xread({"parity:no-stream": "$"}, block=600) == []
        with pytest.raises(redispy_exceptions.TimeoutError):
            await theirs.blpop(["parity:never"], 1)
    finally:
        await ours.aclose()
        await theirs.aclose()


def test_defaults_example_runs_as_documented(
    capsys: pytest.CaptureFixture[str],
) -> None:
    require_service("redis")
    with db_lock():  # the example uses database 9
        exec(compile(example("defaults"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "5 5 True",
        "pubsub connection not set: "
        "did you forget to call subscribe() or psubscribe()?",
        "subscribe",
        "None",
    ]
