"""Behaviour that redis-py's own asyncio suite found missing or different in aio.

Each test pins one fix made while running ``tests/test_asyncio`` of redis-py
against ``aio.redis`` (``redispy_async_suite.py``), with redis-py's
``redis.asyncio`` as the oracle where both can run the same calls.
"""

from __future__ import annotations

import asyncio
import re
import warnings
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redis_exceptions
from redis.asyncio import Subscription

import aio.redis as aio_redis
from aio.redis import Redis


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_client_shares_the_pool_on_one_connection(
    redis_url: str, lib: Any
) -> None:
    parent = lib.from_url(redis_url)
    try:
        single = parent.client()
        assert type(single) is type(parent)
        assert single.connection_pool is parent.connection_pool
        assert single.single_connection_client is True
        await single.initialize()
        assert single.connection is not None
        first = await single.client_id()
        assert await single.client_id() == first  # one connection throughout
        await single.aclose()
        assert single.connection is None
        assert await parent.ping()  # the shared pool stays open
    finally:
        await parent.aclose()


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_single_connection_recovers_from_a_cancelled_blocking_command(
    redis_url: str, lib: Any
) -> None:
    # The BRPOP reply never comes: left pending on the dedicated connection, it
    # used to stall every later command of the client.
    r = lib.from_url(redis_url, single_connection_client=True)
    try:
        started = asyncio.Event()

        async def block() -> None:
            started.set()
            await r.brpop(["parity:never-pushed"])

        task = asyncio.create_task(block())
        await started.wait()
        await asyncio.sleep(0.05)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with asyncio.timeout(5):
            assert await r.set("parity:after", "1")
            assert await r.get("parity:after") == b"1"
            assert await r.delete("parity:after") == 1
    finally:
        await r.aclose()


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_response_callbacks_take_any_case(redis_url: str, lib: Any) -> None:
    r = lib.from_url(redis_url)
    try:
        callbacks = r.response_callbacks
        assert callbacks["ping"] is callbacks["PING"]
        assert "ping" in callbacks and callbacks.get("Ping") is callbacks["PING"]
        callbacks["get"] = lambda reply, **options: ("seen", reply)
        assert callbacks["GET"] is callbacks["get"]
        await r.set("parity:cb", "v")
        assert await r.get("parity:cb") == ("seen", b"v")
        del callbacks["Get"]
        assert "GET" not in callbacks
        assert await r.get("parity:cb") == b"v"
        assert await r.delete("parity:cb") == 1
    finally:
        await r.aclose()


# -- pools ---------------------------------------------------------------------


@pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])
def test_pool_repr_names_the_arguments_and_hides_secrets(lib: Any) -> None:
    pool = lib.ConnectionPool(
        host="localhost", port=6379, db=1, client_name="c", password="sesame"
    )
    text = repr(pool)
    match = re.fullmatch(r"<\S*\.ConnectionPool\(<\S*\.Connection\((.+)\)>\)>", text)
    assert match is not None, text
    shown = match.group(1)
    for piece in ("host=localhost", "port=6379", "db=1", "client_name=c"):
        assert piece in shown
    assert "sesame" not in text and "password=<REDACTED>" in shown
    unix = repr(lib.Redis.from_url("unix:///tmp/parity.sock").connection_pool)
    assert unix.endswith(".UnixDomainSocketConnection(path=/tmp/parity.sock)>)>")


@pytest.mark.parametrize("lib", [aio_redis, redispy], ids=["aio", "redis-py"])
async def test_pool_as_async_context_manager_closes_it(
    redis_url: str, lib: Any
) -> None:
    pool = lib.ConnectionPool.from_url(redis_url)
    async with pool as entered:
        assert entered is pool
        conn = await pool.get_connection()
        assert conn.is_connected
        await pool.release(conn)
    assert not conn.is_connected


async def test_pool_disconnect_calls_disconnect_without_arguments(
    redis_url: str,
) -> None:
    # redis-py's pool calls disconnect() bare: a connection class overriding it
    # without ``nowait`` must still be closable by the pool.
    closed: list[bool] = []

    class Quiet(aio_redis.Connection):
        async def disconnect(self) -> None:  # type: ignore[override]
            closed.append(True)
            await super().disconnect()

    pool = aio_redis.ConnectionPool.from_url(redis_url, connection_class=Quiet)
    conn = await pool.get_connection()
    await pool.disconnect()
    assert closed == [True] and not conn.is_connected


# -- pipelines -------------------------------------------------------------------


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_pipeline_discard_as_redispy(redis_url: str, lib: Any) -> None:
    r = lib.from_url(redis_url)
    try:
        async with r.pipeline() as pipe:
            pipe.set("parity:d", "1")
            await pipe.discard()  # queued: closes the MULTI before EXEC
            with pytest.raises(lib_error(lib, "ResponseError")):
                await pipe.execute()
            pipe.set("parity:d", "2")
            assert await pipe.execute() == [True]
        assert await r.get("parity:d") == b"2"
        async with r.pipeline() as pipe:
            await pipe.watch("parity:d")
            # immediate while WATCHing: DISCARD without MULTI is refused
            with pytest.raises(lib_error(lib, "ResponseError")):
                await pipe.discard()
        assert await r.delete("parity:d") == 1
    finally:
        await r.aclose()


def lib_error(lib: Any, name: str) -> type[Exception]:
    """The exception class ``name`` of the library ``lib`` belongs to."""
    return getattr(aio_redis.exceptions if lib is Redis else redis_exceptions, name)  # type: ignore[no-any-return]


# -- pub/sub ---------------------------------------------------------------------


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_subscription_objects_attach_handlers_to_binary_names(
    redis_url: str, lib: Any
) -> None:
    r = lib.from_url(redis_url)
    p = r.pubsub()
    seen: list[dict[str, Any]] = []
    try:
        channel, pattern = b"parity-\x80\x81", b"parity-\xfe*"
        await p.subscribe(Subscription(channel, seen.append))
        await p.psubscribe([Subscription(pattern, seen.append)])
        assert set(p.channels) == {channel} and set(p.patterns) == {pattern}
        for _ in range(2):  # the two confirmations
            assert (await p.get_message(timeout=5))["type"].endswith("subscribe")
        assert await r.publish(channel, b"hi") == 1
        assert await r.publish(b"parity-\xfe2", b"ho") == 1
        async with asyncio.timeout(5):
            while len(seen) < 2:
                assert await p.get_message(timeout=1) is None  # went to a handler
        assert [(m["type"], m["data"]) for m in seen] == [
            ("message", b"hi"),
            ("pmessage", b"ho"),
        ]
    finally:
        await p.aclose()
        await r.aclose()


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
@pytest.mark.parametrize("alias", ["close", "reset"])
async def test_pubsub_close_and_reset_are_deprecated(
    redis_url: str, lib: Any, alias: str
) -> None:
    r = lib.from_url(redis_url)
    p = r.pubsub()
    try:
        await p.subscribe("parity")
        with pytest.deprecated_call():
            await getattr(p, alias)()
        assert not p.subscribed and p.connection is None
    finally:
        await r.aclose()


def test_blocking_pubsub_reset_is_not_deprecated(redis_url: str) -> None:
    # sync redis-py's PubSub.reset() is no alias to deprecate: the facade's
    # must not pass the async one's warning on.
    import sync_shims.redis

    r = sync_shims.redis.Redis.from_url(redis_url)
    p = r.pubsub()
    try:
        p.subscribe("parity")
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            p.reset()
        assert not p.subscribed
    finally:
        r.close()


async def test_pubsub_run_lets_other_tasks_run_between_errors(
    redis_url: str,
) -> None:
    # A get_message that fails at once, every time, used to spin run() without
    # ever yielding: the task waiting for the handler's report never woke.
    r = Redis.from_url(redis_url)
    p = r.pubsub()
    errors: asyncio.Queue[BaseException] = asyncio.Queue()
    try:
        await p.subscribe(parity=lambda message: None)

        async def fail_at_once(*args: Any, **kwargs: Any) -> None:
            raise RuntimeError("no message")

        p.get_message = fail_at_once  # type: ignore[method-assign]
        task = asyncio.create_task(
            p.run(exception_handler=lambda exc, ps: errors.put_nowait(exc))
        )
        async with asyncio.timeout(5):
            assert str(await errors.get()) == "no message"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
    finally:
        await p.aclose()
        await r.aclose()


# -- locks -----------------------------------------------------------------------


@pytest.mark.parametrize("lib", [Redis, redispy.Redis], ids=["aio", "redis-py"])
async def test_lock_raise_on_release_error_governs_the_with_block_only(
    redis_url: str, lib: Any
) -> None:
    r = lib.from_url(redis_url)
    lock_error = lib_error(lib, "LockError")
    not_owned = lib_error(lib, "LockNotOwnedError")
    try:
        # released inside the block: leaving it raises only when asked to
        async with r.lock("parity:lock", raise_on_release_error=False) as lock:
            await lock.release()
        with pytest.raises(lock_error):
            async with r.lock("parity:lock") as lock:
                await lock.release()
        # expired inside the block
        async with r.lock(
            "parity:lock", timeout=0.05, sleep=0.01, raise_on_release_error=False
        ):
            await asyncio.sleep(0.1)
        with pytest.raises(not_owned):
            async with r.lock("parity:lock", timeout=0.05, sleep=0.01):
                await asyncio.sleep(0.1)
        # an explicit release of an expired lock raises whatever the flag says
        lock = r.lock(
            "parity:lock", timeout=0.05, sleep=0.01, raise_on_release_error=False
        )
        assert await lock.acquire()
        await asyncio.sleep(0.1)
        with pytest.raises(not_owned):
            await lock.release()
        assert lock.local.token is None
    finally:
        await r.delete("parity:lock")
        await r.aclose()
