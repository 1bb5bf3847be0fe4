"""``aio.redis`` against ``redis.asyncio`` 8.1 on the same calls: pub/sub before
any subscription, ``retry_on_error`` on commands and pipelines, the connection
defaults, scripts in a pipeline after WATCH.

Each test runs one body with both libraries (``lib``) on the real server and
asserts the same outcome; redis-py is the oracle.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exceptions
from redis.asyncio.retry import Retry as RedispyRetry
from redis.backoff import NoBackoff as RedispyNoBackoff

import aio.redis as aio_redis
from aio.redis.backoff import NoBackoff
from aio.redis.retry import Retry

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
