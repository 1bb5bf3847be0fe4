"""Pool limits as ``redis.asyncio`` 8.1 has them: the default sizes (100 for a
``ConnectionPool`` and a client's own pool, 50 for a ``BlockingConnectionPool``,
``None`` meaning 100 everywhere) and what happens at the limit
(``MaxConnectionsError``, or waiting and ``ConnectionError`` after ``timeout``),
including a pipeline on a full pool, which redis-py does not retry.

Each test runs one body with both libraries (``lib``); redis-py is the oracle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exceptions
from redis.asyncio.retry import Retry as RedispyRetry
from redis.backoff import NoBackoff as RedispyNoBackoff

import aio.redis as aio_redis
from aio.redis.backoff import NoBackoff
from aio.redis.retry import Retry
from tests.redis.test_docs_core import example

LIBS = pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])
URL = "redis://127.0.0.1:6379/9"


def _errors(lib: Any) -> Any:
    return aio_redis.exceptions if lib is aio_redis else redispy_exceptions


def _retry(lib: Any, retries: int) -> Any:
    if lib is aio_redis:
        return Retry(NoBackoff(), retries)
    return RedispyRetry(RedispyNoBackoff(), retries)


async def _close(made: Any) -> None:
    if isinstance(made, aio_redis.Redis | redispy.Redis):
        await made.aclose()
    else:
        await made.disconnect()


def _pool_of(made: Any) -> Any:
    return getattr(made, "connection_pool", made)


# (what is built, the size redis.asyncio 8.1 gives it)
DEFAULTS: list[tuple[str, Callable[[Any], Any], int]] = [
    ("ConnectionPool()", lambda lib: lib.ConnectionPool(), 100),
    ("ConnectionPool(None)", lambda lib: lib.ConnectionPool(max_connections=None), 100),
    ("ConnectionPool(0)", lambda lib: lib.ConnectionPool(max_connections=0), 100),
    ("ConnectionPool(7)", lambda lib: lib.ConnectionPool(max_connections=7), 7),
    ("ConnectionPool.from_url", lambda lib: lib.ConnectionPool.from_url(URL), 100),
    (
        "ConnectionPool.from_url(?max_connections=7)",
        lambda lib: lib.ConnectionPool.from_url(URL + "?max_connections=7"),
        7,
    ),
    ("BlockingConnectionPool()", lambda lib: lib.BlockingConnectionPool(), 50),
    (
        "BlockingConnectionPool(None)",
        lambda lib: lib.BlockingConnectionPool(max_connections=None),
        100,
    ),
    (
        "BlockingConnectionPool.from_url",
        lambda lib: lib.BlockingConnectionPool.from_url(URL),
        50,
    ),
    (
        "BlockingConnectionPool.from_url(None)",
        lambda lib: lib.BlockingConnectionPool.from_url(URL, max_connections=None),
        100,
    ),
    ("Redis()", lambda lib: lib.Redis(), 100),
    ("Redis(max_connections=7)", lambda lib: lib.Redis(max_connections=7), 7),
    ("Redis.from_url", lambda lib: lib.Redis.from_url(URL), 100),
    ("from_url", lambda lib: lib.from_url(URL), 100),
    (
        "Sentinel.master_for",
        lambda lib: lib.Sentinel([("127.0.0.1", 1)]).master_for("svc"),
        100,
    ),
    (
        "Sentinel.slave_for",
        lambda lib: lib.Sentinel([("127.0.0.1", 1)]).slave_for("svc"),
        100,
    ),
]


@pytest.mark.parametrize(
    ("build", "expected"),
    [(build, expected) for _, build, expected in DEFAULTS],
    ids=[name for name, _, _ in DEFAULTS],
)
async def test_default_pool_sizes_are_redis_asyncio_s(
    build: Callable[[Any], Any], expected: int
) -> None:
    sizes = {}
    for lib in (aio_redis, redispy):
        made = build(lib)
        try:
            sizes[lib.__name__] = _pool_of(made).max_connections
        finally:
            await _close(made)
    assert sizes == {"aio.redis": expected, "redis.asyncio": expected}


@LIBS
@pytest.mark.parametrize("bad", [-1, "10", 2.5])
def test_a_bad_limit_is_refused(lib: Any, bad: Any) -> None:
    with pytest.raises(
        ValueError, match='"max_connections" must be a positive integer'
    ):
        lib.ConnectionPool(max_connections=bad)


@LIBS
async def test_a_full_pool_raises_max_connections_error(
    redis_url: str, lib: Any
) -> None:
    errors = _errors(lib)
    pool = lib.ConnectionPool.from_url(redis_url, max_connections=2)
    try:
        held = [await pool.get_connection(), await pool.get_connection()]
        with pytest.raises(errors.MaxConnectionsError) as caught:
            await pool.get_connection()
        assert str(caught.value) == "Too many connections"
        assert isinstance(caught.value, errors.ConnectionError)
        await pool.release(held.pop())
        again = await pool.get_connection()  # a slot freed: served at once
        await pool.release(again)
        await pool.release(held.pop())
    finally:
        await pool.disconnect()


def test_max_connections_error_is_exported_as_redis_py_s() -> None:
    from aio.redis.exceptions import MaxConnectionsError

    assert aio_redis.MaxConnectionsError is MaxConnectionsError
    assert issubclass(MaxConnectionsError, aio_redis.ConnectionError)
    # redis-py's place for it: redis.exceptions (and the top-level redis).
    assert issubclass(
        redispy_exceptions.MaxConnectionsError, redispy_exceptions.ConnectionError
    )


def _count_asks(pool: Any) -> list[int]:
    """Count the calls of ``pool.get_connection`` from now on (one cell)."""
    asked = [0]
    real = pool.get_connection

    async def counting(*args: Any, **kwargs: Any) -> Any:
        asked[0] += 1
        return await real(*args, **kwargs)

    pool.get_connection = counting
    return asked


@LIBS
async def test_commands_on_a_full_pool_fail_at_once(redis_url: str, lib: Any) -> None:
    # The client's own pool retries by default (10 times); a full pool is no
    # connection error to retry: redis-py takes its connection first, so the
    # pool is asked once per call (counted here), for commands and pipelines.
    errors = _errors(lib)
    r = lib.Redis.from_url(redis_url, max_connections=1, retry=_retry(lib, 3))
    pool = r.connection_pool
    held = await pool.get_connection()
    asked = _count_asks(pool)
    try:
        with pytest.raises(errors.MaxConnectionsError):
            await r.ping()
        assert asked == [1]
        for transaction in (False, True):
            pipe = r.pipeline(transaction=transaction)
            pipe.ping()
            with pytest.raises(errors.MaxConnectionsError):
                await pipe.execute()
            await pipe.reset()
        assert asked == [3]
        await pool.release(held)
        assert await r.ping() is True
    finally:
        await r.aclose()


@LIBS
async def test_a_full_blocking_pool_times_out_with_connection_error(
    redis_url: str, lib: Any
) -> None:
    errors = _errors(lib)
    pool = lib.BlockingConnectionPool.from_url(
        redis_url, max_connections=1, timeout=0.05, retry=_retry(lib, 3)
    )
    r = lib.Redis(connection_pool=pool)
    held = await pool.get_connection()
    try:
        with pytest.raises(errors.ConnectionError) as caught:
            await pool.get_connection()
        assert type(caught.value) is errors.ConnectionError
        assert str(caught.value) == "No connection available."
        # Neither a command nor a pipeline retries the wait (the pool's
        # connections retry 3 times): one wait each, one error.
        asked = _count_asks(pool)
        for call in (r.ping, r.pipeline().ping().execute):
            with pytest.raises(errors.ConnectionError, match="No connection available"):
                await call()
        assert asked == [2]
    finally:
        await pool.release(held)
        await r.aclose()
        await pool.disconnect()


@LIBS
async def test_a_blocking_pool_hands_a_freed_connection_to_its_waiter(
    redis_url: str, lib: Any
) -> None:
    pool = lib.BlockingConnectionPool.from_url(
        redis_url, max_connections=1, timeout=None
    )
    try:
        held = await pool.get_connection()
        waiter = asyncio.ensure_future(pool.get_connection())
        for _ in range(5):
            await asyncio.sleep(0)
        assert not waiter.done()  # timeout=None: it waits, no error
        await pool.release(held)
        handed = await waiter
        assert handed is held  # the connection freed, not a new one
        await pool.release(handed)
    finally:
        await pool.disconnect()


def test_docs_example(redis_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    # redis_url holds database 9, which the example uses.
    exec(compile(example("pool-limits"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "1 Too many connections",
        "True",
        "100 50",
    ]
