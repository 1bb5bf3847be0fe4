"""Audit of issue 3, item 4 (pub/sub) on RESP3, where messages are push frames,
and RESP3 pushes on an ordinary command connection.

- Sharded pub/sub and handlers on both protocols; a PING answered in the middle
  of a stream of pushes neither loses nor reorders messages.
- Re-subscription after a dropped connection covers channels, patterns AND shard
  channels, with their handlers, on both protocols.
- ``get_message`` cancelled by anyio scopes at random points while 300
  messages stream in: none is lost or reordered.
- On a RESP3 command connection with ``CLIENT TRACKING ON`` (no cache), the
  server's invalidation pushes arrive between replies: every command still gets
  its own reply.

Private servers only.
"""

from __future__ import annotations

import asyncio
import random
from typing import Any

import anyio
import pytest

from aio.redis import Redis


async def next_message(p: Any) -> dict[str, Any]:
    message = None
    while message is None:
        message = await p.get_message(timeout=5)
    return dict(message)


@pytest.mark.parametrize("protocol", [2, 3])
async def test_sharded_messages_and_handlers(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port, protocol=protocol) as r:
        got: list[dict[str, Any]] = []
        async with r.pubsub() as p:
            await p.ssubscribe("shard")
            assert await next_message(p) == {
                "type": "ssubscribe",
                "pattern": None,
                "channel": b"shard",
                "data": 1,
            }
            assert await r.execute_command("SPUBLISH", "shard", "one") == 1
            assert await next_message(p) == {
                "type": "smessage",
                "pattern": None,
                "channel": b"shard",
                "data": b"one",
            }
            # A handler consumes the message: get_message returns None for it.
            await p.subscribe(**{"handled": got.append})
            assert (await next_message(p))["type"] == "subscribe"
            await r.publish("handled", "two")
            while not got:
                assert await p.get_message(timeout=5) is None
            assert got == [
                {
                    "type": "message",
                    "pattern": None,
                    "channel": b"handled",
                    "data": b"two",
                }
            ]


@pytest.mark.parametrize("protocol", [2, 3])
async def test_ping_amid_a_stream_of_messages(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server()
    async with Redis(host=server.host, port=server.port, protocol=protocol) as r:
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.subscribe("flood")
            assert await p.get_message(timeout=1) is None  # the confirmation
            pipe: Any
            async with r.pipeline(transaction=False) as pipe:
                for i in range(100):
                    pipe.publish("flood", str(i))
                publishing = asyncio.ensure_future(pipe.execute())
                await p.ping("mid")
                assert await publishing == [1] * 100
            seen: list[Any] = []
            pong = None
            while len(seen) < 100 or pong is None:
                message = await next_message(p)
                if message["type"] == "pong":
                    pong = message
                else:
                    seen.append(message["data"])
            assert seen == [str(i).encode() for i in range(100)]
            assert pong["data"] == b"mid"


@pytest.mark.parametrize("protocol", [2, 3])
async def test_resubscribe_restores_every_kind_with_handlers(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server()
    handled: list[Any] = []
    async with (
        Redis(host=server.host, port=server.port, protocol=protocol) as r,
        Redis(host=server.host, port=server.port) as admin,
    ):
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.subscribe("plain", **{"with-handler": handled.append})
            await p.psubscribe("pat.*")
            await p.ssubscribe("shard")
            assert await p.get_message(timeout=0.5) is None
            kills = await admin.execute_command(
                "CLIENT KILL", "TYPE", "pubsub", "SKIPME", "yes"
            )
            assert kills == 1
            # Drain until the subscriber is back on all four (asynchronous).

            async def all_back() -> bool:
                channels = await admin.pubsub_channels()
                shards = await admin.execute_command("PUBSUB SHARDCHANNELS")
                patterns = await admin.pubsub_numpat()
                return (
                    sorted(channels) == [b"plain", b"with-handler"]
                    and list(shards) == [b"shard"]
                    and patterns == 1
                )

            for _ in range(200):
                await p.get_message(timeout=0.01)
                if await all_back():
                    break
            else:
                raise AssertionError("not re-subscribed")
            await r.publish("plain", "a")
            await r.publish("pat.x", "b")
            await r.execute_command("SPUBLISH", "shard", "c")
            await r.publish("with-handler", "d")
            kinds: list[tuple[str, Any]] = []
            while len(kinds) < 3 or not handled:
                message = await p.get_message(timeout=5)
                if message is not None:
                    kinds.append((message["type"], message["data"]))
            assert kinds == [
                ("message", b"a"),
                ("pmessage", b"b"),
                ("smessage", b"c"),
            ]
            assert [m["data"] for m in handled] == [b"d"]


async def test_resp3_invalidation_pushes_between_replies(
    private_redis_server: Any,
) -> None:
    server = private_redis_server()
    async with (
        Redis(
            host=server.host,
            port=server.port,
            protocol=3,
            single_connection_client=True,
        ) as r,
        Redis(host=server.host, port=server.port) as writer,
    ):
        await r.execute_command("CLIENT TRACKING", "ON")
        for i in range(50):
            await writer.set(f"t{i}", i)
        for round_ in range(3):
            # Read (tracked), then another client writes: the server pushes an
            # invalidation to our connection, interleaved with our replies.
            values = await asyncio.gather(*(r.get(f"t{i}") for i in range(50)))
            assert values == [str(i + round_).encode() for i in range(50)]
            await asyncio.gather(*(writer.incr(f"t{i}") for i in range(50)))
            assert await r.ping() is True
        assert await r.execute_command("CLIENT TRACKING", "OFF")
        assert await r.get("t0") == b"3"


@pytest.mark.parametrize("protocol", [2, 3])
async def test_get_message_cancelled_by_scopes_loses_nothing(
    private_redis_server: Any, protocol: int
) -> None:
    server = private_redis_server()
    rng = random.Random(protocol)
    got: list[int] = []
    async with Redis(host=server.host, port=server.port, protocol=protocol) as r:
        async with r.pubsub(ignore_subscribe_messages=True) as p:
            await p.subscribe("cancel-chan")
            assert await p.get_message(timeout=1) is None  # the confirmation

            async def publish() -> None:
                for i in range(300):
                    await r.publish("cancel-chan", str(i))
                    if i % 10 == 0:
                        await anyio.sleep(0)

            cancelled = 0
            async with anyio.create_task_group() as tg:
                tg.start_soon(publish)
                while len(got) < 300:
                    # Cancelled at random points while messages stream in.
                    deadline = None if len(got) >= 290 else rng.uniform(0, 0.0005)
                    with anyio.move_on_after(deadline) as scope:
                        message = await p.get_message(timeout=5)
                    if scope.cancelled_caught:
                        cancelled += 1
                        continue
                    assert message is not None, f"stalled after {len(got)}"
                    got.append(int(message["data"]))
    assert got == list(range(300))
