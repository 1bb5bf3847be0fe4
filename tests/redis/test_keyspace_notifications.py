"""Keyspace notifications of the shared Redis (127.0.0.1:6379), with redis-py's
``redis.asyncio.keyspace_notifications`` as the oracle: the same subscriptions
and the same writes give the same :class:`KeyNotification` objects, on RESP2
and RESP3, with and without ``decode_responses``.

The server's ``notify-keyspace-events`` is set for each test and restored after,
under a cross-process lock (:func:`notify_keyspace_events`); the keys live in
database 13 (14 for the "other database"), under a prefix of their own.
"""

from __future__ import annotations

import asyncio
import dataclasses
import fcntl
import logging
import os
import tempfile
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Any

import anyio
import pytest
import redis.asyncio as redispy
import redis.asyncio.keyspace_notifications as theirs
import redis.keyspace_notifications as theirs_sync

from aio.redis import ConnectionError, Redis
from aio.redis.keyspace_notifications import (
    AsyncKeyspaceNotifications,
    EventType,
    KeyeventChannel,
    KeyNotification,
    KeyspaceChannel,
    SubkeyspaceChannel,
)
from tests.plugins.fix_services import require_service

DB = 13
OTHER_DB = 14
LOCK_PATH = os.path.join(tempfile.gettempdir(), "aio-tests-redis-notify-keyspace.lock")


@contextmanager
def notify_keyspace_events(host: str, port: int, flags: str = "KEA") -> Iterator[None]:
    """``notify-keyspace-events`` set to ``flags`` on ``host:port`` for the block,
    then restored; one block at a time across processes."""
    import redis

    fd = os.open(LOCK_PATH, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        admin = redis.Redis(host=host, port=port)
        try:
            old = admin.config_get("notify-keyspace-events")["notify-keyspace-events"]
            admin.config_set("notify-keyspace-events", flags)
            try:
                yield
            finally:
                admin.config_set("notify-keyspace-events", old or "")
        finally:
            admin.close()
    finally:
        os.close(fd)  # closing releases the lock


@pytest.fixture
def notify() -> Iterator[tuple[str, int]]:
    host, port = require_service("redis")
    with notify_keyspace_events(host, port):
        yield host, port


@pytest.fixture
def prefix() -> str:
    return f"ksn:{uuid.uuid4().hex[:10]}:"


@pytest.fixture(
    params=[(2, False), (3, False), (2, True), (3, True)],
    ids=["resp2", "resp3", "resp2-decoded", "resp3-decoded"],
)
async def pair(
    notify: tuple[str, int], request: pytest.FixtureRequest
) -> AsyncIterator[tuple[Redis, Any]]:
    """Our client and redis.asyncio's, on database 13, same options."""
    host, port = notify
    protocol, decode = request.param
    kwargs = {"db": DB, "protocol": protocol, "decode_responses": decode}
    ours = Redis(host=host, port=port, **kwargs)
    oracle = redispy.Redis(host=host, port=port, **kwargs)
    try:
        yield ours, oracle
    finally:
        await ours.aclose()
        await oracle.aclose()


async def confirmed(pubsub: Any, count: int) -> None:
    """Wait until ``pubsub`` read ``count`` (p)subscribe confirmations: then
    the server has the subscriptions, and later writes are notified."""
    seen = 0
    with anyio.fail_after(5):
        while seen < count:
            message = await pubsub.get_message(
                ignore_subscribe_messages=False, timeout=1
            )
            if message is not None and message["type"] in ("subscribe", "psubscribe"):
                seen += 1


async def collect(ksn: Any, count: int) -> list[dict[str, Any]]:
    """``count`` notifications (as dicts), then make sure no more come."""
    out: list[dict[str, Any]] = []
    with anyio.fail_after(10):
        while len(out) < count:
            n = await ksn.get_message(timeout=1)
            if n is not None:
                out.append(dataclasses.asdict(n))
    assert await ksn.get_message(timeout=0.2) is None
    return out


async def writes(client: Any, prefix: str) -> int:
    """Commands on keys under ``prefix``; returns how many events they make."""
    await client.set(f"{prefix}s", "v")
    await client.append(f"{prefix}s", "w")
    await client.incr(f"{prefix}n")
    await client.expire(f"{prefix}s", 100)
    await client.persist(f"{prefix}s")
    await client.rpush(f"{prefix}l", "a", "b")
    await client.hset(f"{prefix}h", mapping={"f": "1", "g": "2"})
    await client.rename(f"{prefix}l", f"{prefix}l2")
    await client.delete(f"{prefix}s", f"{prefix}n", f"{prefix}h", f"{prefix}l2")
    return 13  # rename: rename_from + rename_to; del: one per key


async def test_keyspace_pattern_notifications_as_redis_py(
    pair: tuple[Redis, Any], prefix: str
) -> None:
    ours, oracle = pair
    mine = AsyncKeyspaceNotifications(ours)
    other: Any = theirs.AsyncKeyspaceNotifications(oracle)
    try:
        await mine.subscribe(KeyspaceChannel(f"{prefix}*", db=DB))
        await other.subscribe(theirs_sync.KeyspaceChannel(f"{prefix}*", db=DB))
        await confirmed(mine._pubsub, 1)
        await confirmed(other._pubsub, 1)
        count = await writes(ours, prefix)
        got = await collect(mine, count)
        assert got == await collect(other, count)
    finally:
        await mine.aclose()
        await other.aclose()
    events = [(n["key"], n["event_type"]) for n in got]
    assert events[:3] == [
        (f"{prefix}s", "set"),
        (f"{prefix}s", "append"),
        (f"{prefix}n", "incrby"),
    ]
    assert (f"{prefix}l", "rename_from") in events
    assert (f"{prefix}l2", "rename_to") in events
    assert {n["database"] for n in got} == {DB}
    assert all(n["is_keyspace"] and n["subkeys"] == [] for n in got)
    assert got[0]["channel"] == f"__keyspace@{DB}__:{prefix}s"


async def test_keyevent_with_key_prefix_as_redis_py(
    pair: tuple[Redis, Any], prefix: str
) -> None:
    ours, oracle = pair
    mine = ours.keyspace_notifications(key_prefix=prefix)
    other = oracle.keyspace_notifications(key_prefix=prefix)
    assert isinstance(mine, AsyncKeyspaceNotifications)
    assert mine.key_prefix == prefix and mine.ignore_subscribe_messages
    try:
        await mine.subscribe_keyevent(EventType.SET, db=DB)
        await other.subscribe_keyevent("set", db=DB)
        await confirmed(mine._pubsub, 1)
        await confirmed(other._pubsub, 1)
        await ours.set(f"{prefix}a", "1")
        await ours.set(f"other:{prefix}", "1")  # no prefix: filtered out
        await ours.set(f"{prefix}b", "2")
        await ours.delete(f"{prefix}a", f"{prefix}b", f"other:{prefix}")
        got = await collect(mine, 2)
        assert got == await collect(other, 2)
    finally:
        await mine.aclose()
        await other.aclose()
    assert [(n["key"], n["event_type"], n["is_keyspace"]) for n in got] == [
        ("a", "set", False),
        ("b", "set", False),
    ]
    assert got[0]["data"] == f"{prefix}a"


async def test_only_the_subscribed_database(
    notify: tuple[str, int], prefix: str
) -> None:
    host, port = notify
    async with (
        Redis(host=host, port=port, db=DB) as r,
        Redis(host=host, port=port, db=OTHER_DB) as elsewhere,
    ):
        async with r.keyspace_notifications() as ksn:
            await ksn.subscribe_keyspace(f"{prefix}*", db=DB)
            await confirmed(ksn._pubsub, 1)
            await elsewhere.set(f"{prefix}k", "x")
            await r.set(f"{prefix}k", "y")
            got = await collect(ksn, 1)
        assert not ksn.subscribed
        await elsewhere.delete(f"{prefix}k")
        await r.delete(f"{prefix}k")
    assert got[0]["database"] == DB and got[0]["key"] == f"{prefix}k"


async def test_handlers_with_run(notify: tuple[str, int], prefix: str) -> None:
    host, port = notify
    seen: list[tuple[str, str]] = []
    done = anyio.Event()

    def on_set(n: KeyNotification) -> None:
        seen.append(("sync", n.key))

    async def on_del(n: KeyNotification) -> None:
        seen.append(("async", n.key))
        done.set()

    async with Redis(host=host, port=port, db=DB) as r:
        ksn = r.keyspace_notifications(key_prefix=prefix)
        await ksn.subscribe(KeyeventChannel("set", db=DB), handler=on_set)
        await ksn.subscribe_keyevent("del", db=DB, handler=on_del)
        await confirmed(ksn._pubsub, 2)
        async with anyio.create_task_group() as tg:
            tg.start_soon(ksn.run, 0.1)
            await r.set(f"{prefix}x", "1")
            await r.delete(f"{prefix}x")
            with anyio.fail_after(5):
                await done.wait()
            await ksn.aclose()  # run() ends once nothing is subscribed
    assert seen == [("sync", "x"), ("async", "x")]


async def handled_scenario(client: Any, ksn: Any, key: str) -> list[Any]:
    """A notification with a handler: what the handler got, what the reads gave."""
    got: list[str] = []
    await ksn.subscribe_keyspace(key, db=DB, handler=lambda n: got.append(n.event_type))
    await confirmed(ksn._pubsub, 1)
    await client.set(key, "1")
    results = set()
    with anyio.fail_after(5):
        while not got:
            results.add(await ksn.get_message(timeout=0.5))
    await ksn.aclose()
    await client.delete(key)
    return [got, results]


async def test_handled_notifications_are_not_returned(
    pair: tuple[Redis, Any], prefix: str
) -> None:
    ours, oracle = pair
    mine = await handled_scenario(ours, AsyncKeyspaceNotifications(ours), f"{prefix}k")
    other: Any = theirs.AsyncKeyspaceNotifications(oracle)
    assert mine == await handled_scenario(oracle, other, f"{prefix}k")
    assert mine == [["set"], {None}]


async def test_listen_until_unsubscribed(notify: tuple[str, int], prefix: str) -> None:
    host, port = notify
    async with Redis(host=host, port=port, db=DB, decode_responses=True) as r:
        ksn = r.keyspace_notifications()
        channel = KeyspaceChannel(f"{prefix}*", db=DB)
        await ksn.subscribe(channel)
        await confirmed(ksn._pubsub, 1)
        await r.set(f"{prefix}a", "1")
        await r.set(f"{prefix}b", "1")
        keys = []
        with anyio.fail_after(5):
            async for n in ksn.listen():
                keys.append(n.key)
                if len(keys) == 2:
                    break
        assert keys == [f"{prefix}a", f"{prefix}b"]
        await ksn.unsubscribe(channel)
        with anyio.fail_after(5):
            rest = [n async for n in ksn.listen()]  # ends: nothing subscribed
        assert rest == [] and not ksn.subscribed
        await ksn.aclose()
        await r.delete(f"{prefix}a", f"{prefix}b")


async def test_get_message_before_subscribing_and_after_closing(
    notify: tuple[str, int],
) -> None:
    host, port = notify
    async with Redis(host=host, port=port, db=DB) as r:
        ksn = r.keyspace_notifications()
        other: Any = theirs.AsyncKeyspaceNotifications(
            redispy.Redis(host=host, port=port)
        )
        for manager in (ksn, other):
            with pytest.raises(RuntimeError, match="pubsub connection not set"):
                await manager.get_message()
            await manager.aclose()
            assert await manager.get_message(timeout=0.1) is None
            assert not manager.subscribed
        await other.redis.aclose()


async def test_subkey_notifications_as_redis_py(
    pair: tuple[Redis, Any], prefix: str
) -> None:
    # Redis 7 sends no subkey notifications: publish them as Redis 8 does.
    ours, oracle = pair
    mine = AsyncKeyspaceNotifications(ours)
    other: Any = theirs.AsyncKeyspaceNotifications(oracle)
    published = [
        (f"__subkeyspace@{DB}__:{prefix}h", "hset|2:f1,3:f22"),
        (f"__subkeyevent@{DB}__:hdel", f"{len(prefix) + 1}:{prefix}h|2:f1"),
        (f"__subkeyspaceitem@{DB}__:{prefix}h\nf1", "hset"),
        (f"__subkeyspaceevent@{DB}__:hset|{prefix}h", "2:f1"),
    ]
    try:
        for manager in (mine, other):
            await manager.subscribe_subkeyspace(f"{prefix}*", db=DB)
            await manager.subscribe_subkeyevent("hdel", db=DB)
            await manager.subscribe_subkeyspaceitem(f"{prefix}h", "*", db=DB)
            await manager.subscribe_subkeyspaceevent("hset", f"{prefix}h", db=DB)
            await confirmed(manager._pubsub, 4)
        for channel, data in published:
            assert await ours.publish(channel, data) == 2
        got = await collect(mine, 4)
        assert got == await collect(other, 4)
    finally:
        await mine.aclose()
        await other.aclose()
    assert [(n["key"], n["event_type"], n["subkeys"]) for n in got] == [
        (f"{prefix}h", "hset", ["f1", "f22"]),
        (f"{prefix}h", "hdel", ["f1"]),
        (f"{prefix}h", "hset", ["f1"]),
        (f"{prefix}h", "hset", ["f1"]),
    ]


async def test_non_ascii_subkeys(notify: tuple[str, int], prefix: str) -> None:
    host, port = notify
    for decode in (False, True):
        async with Redis(host=host, port=port, db=DB, decode_responses=decode) as r:
            async with r.keyspace_notifications() as ksn:
                await ksn.subscribe(SubkeyspaceChannel(f"{prefix}h", db=DB))
                await confirmed(ksn._pubsub, 1)
                await r.publish(f"__subkeyspace@{DB}__:{prefix}h", "hset|3:fé,1:a")
                got = await collect(ksn, 1)
        assert got[0]["subkeys"] == ["fé", "a"]


MALFORMED = ["no pipe", "hset|x:a", "hset|-3:ab", "hset|9:short"]


async def test_malformed_notifications_are_skipped_not_fatal(
    notify: tuple[str, int], prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    host, port = notify
    channel = f"__subkeyspace@{DB}__:{prefix}h"
    caplog.set_level(logging.WARNING, logger="aio.redis")
    async with Redis(host=host, port=port, db=DB) as r:
        # get_message: None for each bad one, then the good one.
        async with r.keyspace_notifications() as ksn:
            await ksn.subscribe_subkeyspace(f"{prefix}*", db=DB)
            await confirmed(ksn._pubsub, 1)
            for data in [*MALFORMED, "hset|1:f"]:
                await r.publish(channel, data)
            got = await collect(ksn, 1)
        assert got[0]["subkeys"] == ["f"]
        skipped = [rec for rec in caplog.records if "skipped" in rec.getMessage()]
        assert len(skipped) == len(MALFORMED)
        # A handler and run(): the loop goes on past the bad ones.
        seen: list[list[str]] = []
        errors: list[BaseException] = []
        async with r.keyspace_notifications() as ksn:
            await ksn.subscribe_subkeyspace(
                f"{prefix}*", db=DB, handler=lambda n: seen.append(n.subkeys)
            )
            await confirmed(ksn._pubsub, 1)
            async with anyio.create_task_group() as tg:
                tg.start_soon(ksn.run, 0.1, lambda exc, _: errors.append(exc))
                for data in [*MALFORMED, "hset|1:g"]:
                    await r.publish(channel, data)
                with anyio.fail_after(5):
                    while not seen:
                        await asyncio.sleep(0.01)
                tg.cancel_scope.cancel()
        assert seen == [["g"]] and errors == []


async def test_redis_py_raises_on_a_malformed_one(
    notify: tuple[str, int], prefix: str
) -> None:
    # What we differ from: redis-py's get_message raises ValueError.
    host, port = notify
    oracle = redispy.Redis(host=host, port=port, db=DB)
    ksn: Any = oracle.keyspace_notifications()
    try:
        await ksn.subscribe_subkeyspace(f"{prefix}*", db=DB)
        await confirmed(ksn._pubsub, 1)
        await oracle.publish(f"__subkeyspace@{DB}__:{prefix}h", "no pipe")
        with pytest.raises(ValueError), anyio.fail_after(5):
            while True:
                await ksn.get_message(timeout=1)
    finally:
        await ksn.aclose()
        await oracle.aclose()


async def test_subscribing_nothing_or_failing_records_nothing(
    notify: tuple[str, int],
) -> None:
    host, port = notify
    async with Redis(host=host, port=port, db=DB) as r:
        ksn = r.keyspace_notifications()
        await ksn.subscribe()  # nothing to subscribe: no command, no error
        assert not ksn.subscribed
        await ksn.aclose()
    async with Redis(host="127.0.0.1", port=1, retry=None) as nowhere:
        ksn = nowhere.keyspace_notifications()
        with pytest.raises(ConnectionError):
            await ksn.subscribe_keyspace("k")
        assert not ksn.subscribed
        await ksn.aclose()
