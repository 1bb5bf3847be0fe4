"""Pub/sub: subscribe/psubscribe/ssubscribe, handlers, get_message, listen, run,
RESP3 pushes, and re-subscription after the connection drops."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.redis import ConnectionError, PubSubError, Redis


async def next_message(p: Any, timeout: float = 5.0) -> dict[str, Any]:
    # get_message() returns None for an ignored confirmation: read on, as users do.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        message = await p.get_message(timeout=deadline - loop.time())
        if message is not None:
            return message
    raise AssertionError("no message")


@pytest.mark.parametrize("protocol", [2, 3])
async def test_subscribe_publish_unsubscribe(redis_url: str, protocol: int) -> None:
    async with Redis.from_url(redis_url, protocol=protocol) as r:
        async with r.pubsub() as p:
            await p.subscribe("chan-a", "chan-b")
            assert await next_message(p) == {
                "type": "subscribe",
                "pattern": None,
                "channel": b"chan-a",
                "data": 1,
            }
            assert (await next_message(p))["channel"] == b"chan-b"
            assert p.subscribed
            assert await r.publish("chan-a", "hello") == 1
            assert await next_message(p) == {
                "type": "message",
                "pattern": None,
                "channel": b"chan-a",
                "data": b"hello",
            }
            await p.unsubscribe("chan-a")
            message = await next_message(p)
            assert message["type"] == "unsubscribe" and message["data"] == 1
            assert list(p.channels) == [b"chan-b"]
            await p.unsubscribe()
            assert (await next_message(p))["data"] == 0
            assert not p.subscribed
            assert await p.get_message(timeout=0) is None
        assert r.connection_pool.in_use_count == 0


@pytest.mark.parametrize("protocol", [2, 3])
async def test_patterns_and_decoding(redis_url: str, protocol: int) -> None:
    async with Redis.from_url(redis_url, protocol=protocol, decode_responses=True) as r:
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.psubscribe("news.*")
            await p.ping()
            pong = await next_message(p)
            assert pong == {
                "type": "pong",
                "pattern": None,
                "channel": None,
                "data": "",
            }
            await p.ping("hi")
            assert (await next_message(p))["data"] == "hi"
            await r.publish("news.tech", "chips")
            assert await next_message(p) == {
                "type": "pmessage",
                "pattern": "news.*",
                "channel": "news.tech",
                "data": "chips",
            }
            await p.punsubscribe()
            assert await p.get_message(timeout=0.05) is None  # confirmation ignored
            assert not p.subscribed


async def test_sharded_pubsub(r: Redis) -> None:
    async with r.pubsub() as p:
        await p.ssubscribe("shard-chan")
        assert (await next_message(p))["type"] == "ssubscribe"
        await r.execute_command("SPUBLISH", "shard-chan", "x")
        message = await next_message(p)
        assert message["type"] == "smessage" and message["data"] == b"x"
        await p.sunsubscribe()
        assert (await next_message(p))["type"] == "sunsubscribe"


async def test_handlers_sync_and_async(r: Redis) -> None:
    received: list[Any] = []
    done = asyncio.Event()

    def on_sync(message: dict[str, Any]) -> None:
        received.append(("sync", message["data"]))

    async def on_async(message: dict[str, Any]) -> None:
        received.append(("async", message["data"]))
        done.set()

    async with r.pubsub() as p:
        await p.subscribe(**{"h-sync": on_sync})
        await p.psubscribe(**{"h-async*": on_async})
        await r.publish("h-sync", "1")
        await r.publish("h-async-x", "2")
        seen = []
        while not done.is_set():
            message = await p.get_message(timeout=5)
            if message is not None:
                seen.append(message["type"])
        assert received == [("sync", b"1"), ("async", b"2")]
        assert seen == ["subscribe", "psubscribe"]  # handled messages are not returned


async def test_listen(r: Redis) -> None:
    async with r.pubsub(ignore_subscribe_messages=True) as p:
        await p.subscribe("listen-chan")
        for i in range(3):
            await r.publish("listen-chan", str(i))
        data = []
        async for message in p.listen():
            data.append(message["data"])
            if len(data) == 3:
                await p.unsubscribe()
        assert data == [b"0", b"1", b"2"]


async def test_run_dispatches_to_handlers(r: Redis) -> None:
    got: asyncio.Queue[Any] = asyncio.Queue()
    async with r.pubsub() as p:
        await p.subscribe(**{"run-chan": lambda m: got.put_nowait(m["data"])})
        task = asyncio.create_task(p.run(poll_timeout=0.05))
        await r.publish("run-chan", "a")
        assert await asyncio.wait_for(got.get(), 5) == b"a"
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_run_requires_handlers(r: Redis) -> None:
    async with r.pubsub() as p:
        await p.subscribe("no-handler")
        with pytest.raises(PubSubError, match="no handler"):
            await p.run()


async def test_get_message_without_subscription(r: Redis) -> None:
    p = r.pubsub()
    # As redis.asyncio (tests/redis/test_oracle_parity.py compares them).
    with pytest.raises(RuntimeError, match="did you forget to call subscribe"):
        await p.get_message(timeout=0.01)
    with pytest.raises(PubSubError):
        await p.subscribe()
    await p.aclose()


async def _kill_subscriber(r: Redis, p: Any) -> None:
    # Kill the subscriber's connection from the server side (only ours: the
    # server is shared with other test runs).
    host, port = p.connection._transport.get_extra_info("sockname")[:2]
    killed = await r.execute_command(
        "CLIENT KILL", "ADDR", f"{host}:{port}", "SKIPME", "no"
    )
    assert killed in (1, True, b"OK", "OK")


@pytest.mark.parametrize("protocol", [2, 3])
async def test_resubscribe_after_client_kill(redis_url: str, protocol: int) -> None:
    # Redis(...) without retry= has redis-py 8's retry policy: the drop is
    # invisible to the reader.
    async with Redis.from_url(redis_url) as probe:
        kwargs = probe.get_connection_kwargs()
    async with Redis(
        host=kwargs["host"], port=kwargs["port"], db=kwargs["db"], protocol=protocol
    ) as r:
        async with r.pubsub() as p:
            await p.subscribe("kill-chan")
            await p.psubscribe("kill-pat*")
            assert (await next_message(p))["type"] == "subscribe"
            assert (await next_message(p))["type"] == "psubscribe"
            await _kill_subscriber(r, p)
            # The next read notices, reconnects and re-subscribes.
            kinds = {(await next_message(p))["type"], (await next_message(p))["type"]}
            assert kinds == {"subscribe", "psubscribe"}
            await r.publish("kill-chan", "after")
            assert (await next_message(p))["data"] == b"after"


@pytest.mark.parametrize("protocol", [2, 3])
async def test_client_kill_without_retry_raises_once_then_resubscribes(
    redis_url: str, protocol: int
) -> None:
    # from_url() makes a pool with no retry policy (as redis-py's): the drop is
    # reported once, and the connection, already re-subscribed, goes on.
    async with Redis.from_url(redis_url, protocol=protocol) as r:
        async with r.pubsub() as p:
            await p.subscribe("kill-chan2")
            assert (await next_message(p))["type"] == "subscribe"
            await _kill_subscriber(r, p)
            with pytest.raises(ConnectionError):
                await next_message(p)
            assert (await next_message(p))["type"] == "subscribe"
            await r.publish("kill-chan2", "after")
            assert (await next_message(p))["data"] == b"after"


async def test_resubscribe_after_server_restart(private_redis_server: Any) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port) as r:
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.subscribe("restart-chan")
            assert await p.get_message(timeout=0.1) is None
            server.restart()
            # Drain the loss notice: reconnects and re-subscribes.
            assert await p.get_message(timeout=0.2) is None
            # Publish until the subscriber is back (the re-subscribe is asynchronous).
            for _ in range(100):
                if await r.publish("restart-chan", "back") == 1:
                    break
                await asyncio.sleep(0.01)
            message = await next_message(p)
            assert message["data"] == b"back"


async def _pushes_seen(client_class: Any, redis_url: str, sharded: bool) -> list[Any]:
    """What an async ``push_handler_func`` receives for a (s)subscribe and a publish."""
    seen: list[Any] = []
    delivered = asyncio.Event()

    async def handler(push: Any) -> None:
        seen.append(push)
        delivered.set()

    async def read_until(count: int) -> None:
        for _ in range(10):  # each read hands any push to the handler
            if len(seen) >= count:
                return
            assert await p.get_message(timeout=5) is None  # consumed by the handler
        raise AssertionError(f"the handler got {seen!r}")

    channel = f"push-handler-{client_class.__module__}"
    r = client_class.from_url(redis_url, protocol=3)
    p = r.pubsub(push_handler_func=handler)
    try:
        await (p.ssubscribe if sharded else p.subscribe)(channel)
        await read_until(1)
        await (r.spublish if sharded else r.publish)(channel, "test message")
        await read_until(2)
        assert delivered.is_set()
    finally:
        await p.aclose()
        await r.aclose()
    return [
        [item if item != channel.encode() else b"<chan>" for item in push]
        for push in seen
    ]


@pytest.mark.parametrize("sharded", [False, True])
async def test_push_handler_gets_every_push_like_redis_py(
    redis_url: str, sharded: bool
) -> None:
    import redis.asyncio

    ours = await _pushes_seen(Redis, redis_url, sharded)
    theirs = await _pushes_seen(redis.asyncio.Redis, redis_url, sharded)
    prefix = b"s" if sharded else b""
    assert (
        ours
        == theirs
        == [
            [prefix + b"subscribe", b"<chan>", 1],
            [prefix + b"message", b"<chan>", b"test message"],
        ]
    )


async def test_push_handler_result_is_the_message(redis_url: str) -> None:
    # A plain function works too; what it returns is handled as the reply.
    seen: list[Any] = []

    def handler(push: Any) -> Any:
        seen.append(push)
        return push

    async with Redis.from_url(redis_url, protocol=3) as r:
        async with r.pubsub(push_handler_func=handler) as p:
            await p.subscribe("push-handler-result")
            message = await next_message(p)
            assert message["type"] == "subscribe"
            assert seen == [[b"subscribe", b"push-handler-result", 1]]


@pytest.mark.parametrize("protocol", [2, 3])
async def test_local_disconnect_is_not_an_error(redis_url: str, protocol: int) -> None:
    # A disconnect() asked for by the user is not a loss: even without a retry
    # policy the next read reconnects and re-subscribes, as redis-py's does.
    async with Redis.from_url(redis_url, protocol=protocol, retry=None) as r:
        async with r.pubsub() as p:
            await p.subscribe("local-chan")
            assert (await next_message(p))["type"] == "subscribe"
            assert p.connection is not None
            await p.connection.disconnect()
            assert (await next_message(p))["type"] == "subscribe"
            await r.publish("local-chan", "back")
            assert (await next_message(p))["data"] == b"back"


async def _ping_calls(r: Redis) -> int:
    stats = await r.info("commandstats")
    return int(stats.get("cmdstat_ping", {}).get("calls", 0))


@pytest.mark.parametrize("protocol", [2, 3])
async def test_health_checks_as_redis_py(
    private_redis_server: Any, protocol: int
) -> None:
    # A private server: its PING count is ours alone.
    server = private_redis_server()
    async with (
        Redis(host=server.host, port=server.port, protocol=protocol) as admin,
        Redis(
            host=server.host,
            port=server.port,
            protocol=protocol,
            health_check_interval=0.5,
        ) as r,
    ):
        async with r.pubsub() as p:
            await p.connect()
            await asyncio.sleep(0.6)
            before = await _ping_calls(admin)
            # Idle past the interval and not yet subscribed: PING, then SUBSCRIBE.
            await p.subscribe("hc-chan")
            assert await _ping_calls(admin) == before + 1
            assert (await next_message(p))["type"] == "subscribe"
            # Subscribed and idle past the interval: polling sends
            # PING redis-py-health-check, and its pong is consumed.
            await asyncio.sleep(0.6)
            assert await p.get_message(timeout=0.2) is None
            assert await _ping_calls(admin) == before + 2
            # Within the interval, no further PING; messages flow as usual.
            await admin.publish("hc-chan", "hi")
            assert (await next_message(p))["data"] == b"hi"
            assert await _ping_calls(admin) == before + 2
            # The user's own PING is still a message.
            await p.ping()
            assert (await next_message(p))["type"] == "pong"
