"""``retry_on_timeout`` as ``redis.asyncio`` 8.1 has it: ignored by the client
(redis-py deprecates it there; its default policy retries ``TimeoutError``), so
``Redis(retry=None, retry_on_timeout=True)`` has no policy and retries nothing;
still honoured by a pool or a URL, whose connections add ``TimeoutError`` with
one immediate retry. Each test runs one body with both libraries (``lib``).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exceptions

import aio.redis as aio_redis

LIBS = pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])


def _errors(lib: Any) -> Any:
    return aio_redis.exceptions if lib is aio_redis else redispy_exceptions


def _redis(lib: Any, **kwargs: Any) -> Any:
    # redis-py warns that the client's retry_on_timeout is deprecated.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        return lib.Redis(**kwargs)


@LIBS
async def test_the_client_ignores_retry_on_timeout(lib: Any) -> None:
    r = _redis(lib, retry=None, retry_on_timeout=True)
    try:
        assert r.get_retry() is None
        assert "retry_on_timeout" not in r.connection_pool.connection_kwargs
        conn = r.connection_pool.make_connection()
        assert conn.retry_on_timeout is False
        assert conn.retry.get_retries() == 0
    finally:
        await r.aclose()


@LIBS
async def test_a_url_or_pool_still_sets_it_on_connections(lib: Any) -> None:
    r = lib.Redis.from_url("redis://127.0.0.1/9?retry_on_timeout=yes")
    pool = lib.ConnectionPool(retry_on_timeout=True)
    try:
        assert r.get_retry() is None
        for conn in (
            r.connection_pool.make_connection(),
            pool.make_connection(),
        ):
            assert conn.retry_on_timeout is True
            assert conn.retry.get_retries() == 1
            assert _errors(lib).TimeoutError in conn.retry_on_error
    finally:
        await r.aclose()
        await pool.disconnect()


@LIBS
async def test_a_timed_out_command_is_not_retried(
    private_redis_server: Any, lib: Any
) -> None:
    # The server sleeps longer than socket_timeout: a retry would send the
    # DEBUG SLEEP again, which the server's command statistics would count.
    server = private_redis_server("--enable-debug-command", "yes")
    admin = aio_redis.Redis(host=server.host, port=server.port, retry=None)
    r = _redis(
        lib,
        host=server.host,
        port=server.port,
        socket_timeout=0.05,
        retry=None,
        retry_on_timeout=True,
    )
    try:
        with pytest.raises(_errors(lib).TimeoutError):
            await r.execute_command("DEBUG", "SLEEP", "0.3")
        stats = await admin.info("commandstats")  # waits out the sleep
        assert stats["cmdstat_debug"]["calls"] == 1
    finally:
        await r.aclose()
        await admin.aclose()
