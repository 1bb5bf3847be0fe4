"""Keyspace notifications of the private three-master cluster (``redis_cluster``),
with redis-py's ``AsyncClusterKeyspaceNotifications`` as the oracle: one pub/sub
per primary, the same notifications for keys spread over every node; handlers
and ``run()``; a killed node connection, a node that could not be subscribed,
a primary that leaves and comes back (``refresh_subscriptions``); malformed
messages skipped.
"""

from __future__ import annotations

import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import anyio
import pytest
import redis.asyncio.keyspace_notifications as theirs
import redis.keyspace_notifications as theirs_sync

from aio.redis import ConnectionPool, PubSub, Redis, RedisCluster
from aio.redis import _keyspace_cluster as keyspace_cluster
from aio.redis.keyspace_notifications import (
    AsyncClusterKeyspaceNotifications,
    KeyNotification,
    KeyspaceChannel,
)
from tests.redis.test_keyspace_notifications import confirmed

Nodes = list[tuple[str, int]]


@pytest.fixture
async def notify(cluster_admin: dict[str, Redis]) -> AsyncIterator[None]:
    """Every node sends keyspace and keyevent notifications during the test."""
    old = {}
    for name, client in cluster_admin.items():
        old[name] = (await client.config_get("notify-keyspace-events"))[
            "notify-keyspace-events"
        ]
        await client.config_set("notify-keyspace-events", "KEA")
    try:
        yield
    finally:
        for name, client in cluster_admin.items():
            await client.config_set("notify-keyspace-events", old[name])


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def rc(
    redis_cluster: Nodes, notify: None, request: pytest.FixtureRequest
) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(
        host=host, port=port, decode_responses=True, protocol=request.param
    )
    _ = await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
def prefix() -> str:
    return f"ksn:{uuid.uuid4().hex[:10]}:"


def spread_keys(rc: RedisCluster, prefix: str) -> list[str]:
    """Keys under ``prefix`` on every primary (two per node)."""
    per_node: dict[str, list[str]] = {}
    i = 0
    while min((len(v) for v in per_node.values()), default=0) < 2 or len(per_node) < 3:
        key = f"{prefix}{i}"
        node = rc.get_node_from_key(key)
        assert node is not None
        per_node.setdefault(node.name, []).append(key)
        i += 1
    return sorted(k for keys in per_node.values() for k in keys[:2])


async def all_confirmed(ksn: Any, count: int) -> None:
    for pubsub in ksn._node_pubsubs.values():
        await confirmed(pubsub, count)


async def collect(ksn: Any, count: int) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    with anyio.fail_after(10):
        while len(out) < count:
            n = await ksn.get_message(timeout=1)
            if n is not None:
                out.append(dataclasses.asdict(n))
    assert await ksn.get_message(timeout=0.2) is None
    return sorted(out, key=lambda n: (n["key"], n["event_type"]))


async def test_every_primary_as_redis_py(
    rc: RedisCluster, cluster_oracle: Any, prefix: str
) -> None:
    keys = spread_keys(rc, prefix)
    mine = AsyncClusterKeyspaceNotifications(rc)
    other: Any = theirs.AsyncClusterKeyspaceNotifications(cluster_oracle)
    try:
        await mine.subscribe(KeyspaceChannel(f"{prefix}*"))
        await other.subscribe(theirs_sync.KeyspaceChannel(f"{prefix}*"))
        assert sorted(mine._node_pubsubs) == sorted(other._node_pubsubs)
        assert len(mine._node_pubsubs) == 3
        await all_confirmed(mine, 1)
        await all_confirmed(other, 1)
        for key in keys:
            await rc.set(key, "v")
            await rc.delete(key)
        got = await collect(mine, 2 * len(keys))
        assert got == await collect(other, 2 * len(keys))
    finally:
        await mine.aclose()
        await other.aclose()
    assert [(n["key"], n["event_type"]) for n in got[:2]] == [
        (keys[0], "del"),
        (keys[0], "set"),
    ]
    assert {n["database"] for n in got} == {0}
    assert not mine.subscribed and mine._node_pubsubs == {}


async def test_keyevent_with_key_prefix_and_unsubscribe(
    rc: RedisCluster, cluster_oracle: Any, prefix: str
) -> None:
    keys = spread_keys(rc, prefix)
    mine = AsyncClusterKeyspaceNotifications(rc, key_prefix=prefix)
    other: Any = theirs.AsyncClusterKeyspaceNotifications(
        cluster_oracle, key_prefix=prefix
    )
    try:
        for manager in (mine, other):
            await manager.subscribe_keyevent("set")
            await manager.subscribe_keyevent("del")
            await all_confirmed(manager, 2)
        await rc.set(f"other{prefix}", "x")  # not under the prefix
        for key in keys:
            await rc.set(key, "v")
        got = await collect(mine, len(keys))
        assert got == await collect(other, len(keys))
        assert sorted(n["key"] for n in got) == sorted(k[len(prefix) :] for k in keys)
        for manager in (mine, other):
            await manager.unsubscribe("__keyevent@0__:set")
            assert manager.subscribed
        await rc.delete(f"other{prefix}", *keys)
        dels = await collect(mine, len(keys))
        assert dels == await collect(other, len(keys))
        assert {n["event_type"] for n in dels} == {"del"}
    finally:
        await mine.aclose()
        await other.aclose()


async def test_handlers_with_run(rc: RedisCluster, prefix: str) -> None:
    keys = spread_keys(rc, prefix)
    seen: list[str] = []
    done = anyio.Event()

    async def on_set(n: KeyNotification) -> None:
        seen.append(n.key)
        if len(seen) == len(keys):
            done.set()

    ksn = AsyncClusterKeyspaceNotifications(rc)
    await ksn.subscribe_keyspace(f"{prefix}*", handler=on_set)
    await all_confirmed(ksn, 1)
    # A read whose message went to the handler returns None.
    await rc.set(keys[0], "v")
    with anyio.fail_after(5):
        while not seen:
            assert await ksn.get_message(timeout=0.5) is None
    async with anyio.create_task_group() as tg:
        tg.start_soon(ksn.run, 0.1)
        for key in keys[1:]:
            await rc.set(key, "v")
        with anyio.fail_after(5):
            await done.wait()
        await ksn.aclose()  # run() ends
    assert sorted(seen) == keys
    await rc.delete(*keys)


async def read_until(rc: RedisCluster, ksn: Any, key: str) -> KeyNotification:
    """SET ``key`` until its notification comes (a re-made subscription may
    not be in place yet when the first SET runs)."""
    with anyio.fail_after(10):
        while True:
            await rc.set(key, "v")
            n: KeyNotification | None = await ksn.get_message(timeout=0.3)
            while n is not None and n.key != key:
                n = await ksn.get_message(timeout=0.3)
            if n is not None:
                return n


async def test_killed_connections_are_made_again(
    rc: RedisCluster, cluster_admin: dict[str, Redis], prefix: str
) -> None:
    keys = spread_keys(rc, prefix)
    async with AsyncClusterKeyspaceNotifications(rc) as ksn:
        await ksn.subscribe_keyevent("set")
        await all_confirmed(ksn, 1)
        for client in cluster_admin.values():
            assert await client.client_kill_filter(_type="pubsub") >= 1
        for key in keys:
            n = await read_until(rc, ksn, key)
            assert n.event_type == "set"
    await rc.delete(*keys)


async def test_primaries_leaving_and_joining(
    rc: RedisCluster, prefix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = spread_keys(rc, prefix)
    primaries = rc.get_primaries()
    gone = rc.get_node_from_key(keys[0])
    assert gone is not None
    async with AsyncClusterKeyspaceNotifications(rc) as ksn:
        await ksn.subscribe_keyevent("set")
        await all_confirmed(ksn, 1)
        # The map no longer names one primary: its pub/sub is closed.
        monkeypatch.setattr(
            rc, "get_primaries", lambda: [p for p in primaries if p is not gone]
        )
        await ksn.refresh_subscriptions()
        assert sorted(ksn._node_pubsubs) == sorted(
            p.name for p in primaries if p is not gone
        )
        await rc.set(keys[0], "v")  # its node is not listened to
        assert await ksn.get_message(timeout=0.3) is None
        # It is back: subscribed again, with every subscription.
        monkeypatch.undo()
        await ksn.refresh_subscriptions()
        assert len(ksn._node_pubsubs) == 3
        assert (await read_until(rc, ksn, keys[0])).key == keys[0]
        # A lost connection is replaced by a refresh too.
        pubsub = ksn._node_pubsubs[gone.name]
        assert pubsub.connection is not None
        await pubsub.connection.disconnect()
        await ksn.refresh_subscriptions()
        assert ksn._node_pubsubs[gone.name] is not pubsub
        assert (await read_until(rc, ksn, keys[0])).key == keys[0]
    await rc.delete(*keys)


async def test_a_node_that_cannot_be_subscribed_is_tried_again(
    rc: RedisCluster,
    prefix: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    keys = spread_keys(rc, prefix)
    broken = rc.get_node_from_key(keys[0])
    assert broken is not None
    ksn = AsyncClusterKeyspaceNotifications(rc)
    real = ksn._ensure_node_pubsub
    nowhere = ConnectionPool(host="127.0.0.1", port=1, retry=None)

    def ensure(node: Any) -> PubSub:
        if node is broken and node.name not in ksn._node_pubsubs:
            ksn._node_pubsubs[node.name] = PubSub(nowhere)
        return real(node)

    monkeypatch.setattr(ksn, "_ensure_node_pubsub", ensure)
    monkeypatch.setattr(keyspace_cluster, "RETRY_INTERVAL", 0.2)
    caplog.set_level(logging.WARNING, logger="aio.redis")
    try:
        await ksn.subscribe_keyevent("set")
        assert ksn.subscribed and broken.name not in ksn._node_pubsubs
        assert any("Subscribing failed" in r.getMessage() for r in caplog.records)
        await all_confirmed(ksn, 1)
        # The other nodes deliver.
        assert (await read_until(rc, ksn, keys[-1])).key == keys[-1]
        # While the node stays unreachable, reads go on (and try it again).
        await rc.set(keys[0], "v")
        assert await ksn.get_message(timeout=0.5) is None
        # Reachable again: a later read subscribes it.
        monkeypatch.setattr(ksn, "_ensure_node_pubsub", real)
        assert (await read_until(rc, ksn, keys[0])).key == keys[0]
        assert len(ksn._node_pubsubs) == 3
    finally:
        await ksn.aclose()
        await nowhere.aclose()
    await rc.delete(*keys)


async def test_malformed_notifications_are_skipped(
    rc: RedisCluster, prefix: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="aio.redis")
    async with AsyncClusterKeyspaceNotifications(rc) as ksn:
        await ksn.subscribe_subkeyspace(f"{prefix}*")
        await all_confirmed(ksn, 1)
        channel = f"__subkeyspace@0__:{prefix}h"
        # PUBLISH reaches every node of a cluster: three copies of each.
        await rc.publish(channel, "no pipe")
        await rc.publish(channel, "hset|1:f")
        got = await collect(ksn, 3)
    assert [n["subkeys"] for n in got] == [["f"], ["f"], ["f"]]
    assert sum("skipped" in r.getMessage() for r in caplog.records) == 3


async def test_reading_with_nothing_subscribed(rc: RedisCluster) -> None:
    ksn = AsyncClusterKeyspaceNotifications(rc)
    assert await ksn.get_message(timeout=0.05) is None
    assert [n async for n in ksn.listen()] == []
    await ksn.subscribe()  # nothing: no node pub/sub
    assert ksn._node_pubsubs == {}
    await ksn.aclose()
    assert await ksn.get_message(timeout=1) is None


async def test_accessor_as_redis_py(rc: RedisCluster, cluster_oracle: Any) -> None:
    mine = rc.keyspace_notifications(key_prefix="p:", ignore_subscribe_messages=False)
    other = cluster_oracle.keyspace_notifications(
        key_prefix="p:", ignore_subscribe_messages=False
    )
    assert isinstance(mine, AsyncClusterKeyspaceNotifications)
    assert isinstance(other, theirs.AsyncClusterKeyspaceNotifications)
    for manager in (mine, other):
        assert manager.cluster is not None
        assert (manager.key_prefix, manager.ignore_subscribe_messages) == ("p:", False)
        assert not manager.subscribed
    assert mine.cluster is rc
