"""Cluster pub/sub against the private three-master cluster (``redis_cluster``).

Classic channels on one node, shard channels on the nodes owning their slots,
with redis-py's ``redis.asyncio.cluster.ClusterPubSub`` as the oracle for the
messages, and faults: a node's pub/sub connection killed, a shard channel's slot
migrated to another node, and a subscription sent to a stale owner (MOVED).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aio.redis import ConnectionError, DataError, Redis, RedisCluster
from aio.redis.cluster import ClusterPubSub
from aio.redis.exceptions import PubSubError, RedisClusterException
from tests.redis.test_cluster import Nodes, migrate_slot, slot_and_nodes

# Shard channels in six slots: with redis-cli's even split of the slots over
# the three nodes, ch:c lives on the first node, ch:a, ch:b, ch:e and ch:f on the
# second, ch:d on the third.
SPREAD = ["ch:a", "ch:b", "ch:c", "ch:d", "ch:e", "ch:f"]


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def rc(
    redis_cluster: Nodes, request: pytest.FixtureRequest
) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(
        host=host, port=port, decode_responses=True, protocol=request.param
    )
    await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


async def drain_sharded(pubsub: Any, count: int, timeout: float = 2.0) -> list[Any]:
    """``count`` shard messages (type, channel, data), or fewer after ``timeout``."""
    out = []
    for _ in range(count * 4):
        message = await pubsub.get_sharded_message(timeout=timeout)
        if message is not None:
            out.append((message["type"], message["channel"], message["data"]))
        if len(out) == count:
            break
    return out


async def drain(pubsub: Any, count: int) -> list[Any]:
    out = []
    for _ in range(count * 4):
        message = await pubsub.get_message(timeout=2.0)
        if message is not None:
            out.append((message["type"], message["channel"], message["data"]))
        if len(out) == count:
            break
    return out


async def sharded_scenario(client: Any) -> list[Any]:
    """Subscribe to channels on every node, publish, unsubscribe: every message."""
    pubsub = client.pubsub()
    try:
        await pubsub.ssubscribe(*SPREAD[:4])
        confirmations = await drain_sharded(pubsub, 4)
        counts = [await client.spublish(ch, f"to {ch}") for ch in SPREAD[:4]]
        messages = await drain_sharded(pubsub, 4)
        await pubsub.sunsubscribe(SPREAD[0])
        goodbye = await drain_sharded(pubsub, 1)
        still = sorted(pubsub.shard_channels)
        return [sorted(confirmations), counts, sorted(messages), goodbye, still]
    finally:
        await pubsub.aclose()


async def test_sharded_pubsub_matches_redis_py(
    rc: RedisCluster, cluster_oracle: Any
) -> None:
    nodes = {rc.get_node_from_key(ch).name for ch in SPREAD[:4]}  # type: ignore[union-attr]
    assert len(nodes) == 3  # the scenario spans every node
    ours = await sharded_scenario(rc)
    theirs = await sharded_scenario(cluster_oracle)
    assert ours == theirs
    assert ours[1] == [1, 1, 1, 1]
    assert ("smessage", "ch:a", "to ch:a") in ours[2]


async def test_one_connection_per_node_and_one_ssubscribe_per_slot(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    pubsub = rc.pubsub()
    # Six channels in several slots of each node: SSUBSCRIBE refuses channels
    # of two slots (CROSSSLOT), so they must go one slot at a time.
    await pubsub.ssubscribe(*SPREAD)
    got = await drain_sharded(pubsub, 6)
    assert sorted(ch for _, ch, _ in got) == sorted(SPREAD)
    assert sorted(pubsub.node_pubsub_mapping) == sorted(cluster_admin)
    for name, client in cluster_admin.items():
        mine = [ch for ch in SPREAD if rc.get_node_from_key(ch).name == name]  # type: ignore[union-attr]
        numsub = dict(await client.pubsub_shardnumsub(*SPREAD))
        assert {ch for ch, n in numsub.items() if n} == set(mine)
    # target_node reads one node only.
    node = rc.get_node_from_key("ch:a")
    assert node is not None
    assert rc.get_node_from_key("ch:c") != node
    await rc.spublish("ch:c", "elsewhere")
    await rc.spublish("ch:a", "here")
    message = await pubsub.get_sharded_message(timeout=2, target_node=node)
    assert message is not None and message["data"] == "here"
    await pubsub.sunsubscribe()
    rest = await drain_sharded(pubsub, 7)  # ch:c's message, then 6 goodbyes
    assert rest[0] == ("smessage", "ch:c", "elsewhere")
    assert sorted(ch for kind, ch, _ in rest if kind == "sunsubscribe") == sorted(
        SPREAD
    )
    assert pubsub.shard_channels == {}
    assert pubsub.node_pubsub_mapping == {}  # idle node connections are closed
    await pubsub.aclose()
    for node in rc.get_nodes():
        assert node.connection_pool.in_use_count == 0


async def test_handlers_and_ignored_confirmations(rc: RedisCluster) -> None:
    seen: list[Any] = []

    async def on_a(message: dict[str, Any]) -> None:
        seen.append(("async", message["channel"], message["data"]))

    pubsub = rc.pubsub(ignore_subscribe_messages=True)
    await pubsub.ssubscribe("ch:c", **{"ch:a": on_a, "ch:b": seen.append})
    assert await pubsub.get_sharded_message(timeout=0.2) is None  # confirmations
    await rc.spublish("ch:a", "1")
    await rc.spublish("ch:b", "2")
    await rc.spublish("ch:c", "3")
    returned = []
    for _ in range(20):
        message = await pubsub.get_sharded_message(timeout=0.5)
        if message is not None:
            returned.append(message["data"])
        if returned and len(seen) == 2:
            break
    assert returned == ["3"]
    assert ("async", "ch:a", "1") in seen
    assert any(isinstance(m, dict) and m["data"] == "2" for m in seen)
    await pubsub.aclose()


async def test_classic_pubsub_on_one_node_hears_the_whole_cluster(
    rc: RedisCluster, cluster_oracle: Any, redis_cluster: Nodes
) -> None:
    async def scenario(client: Any, pubsub: Any) -> list[Any]:
        try:
            await pubsub.subscribe("news")
            await pubsub.psubscribe("news.*")
            first = await drain(pubsub, 2)
            # PUBLISH on every node: the cluster bus broadcasts each one.
            for node in client.get_primaries():
                await client.publish("news", f"from {node.port}", target_nodes=node)
            await client.publish("news.sport", "goal")
            rest = await drain(pubsub, len(client.get_primaries()) + 1)
            return [first, sorted(rest)]
        finally:
            await pubsub.aclose()

    host, port = redis_cluster[1]
    ours_node = rc.get_node(host, port)
    ours = await scenario(rc, rc.pubsub(node=ours_node))
    theirs = await scenario(cluster_oracle, cluster_oracle.pubsub(host=host, port=port))
    assert ours == theirs
    assert len(ours[1]) == 4


async def test_pubsub_node_choice(rc: RedisCluster, redis_cluster: Nodes) -> None:
    host, port = redis_cluster[2]
    pubsub = rc.pubsub(host=host, port=port)
    assert isinstance(pubsub, ClusterPubSub)
    assert pubsub.get_pubsub_node() == rc.get_node(host, port)
    with pytest.raises(RedisClusterException, match="doesn't exist"):
        rc.pubsub(host="127.0.0.1", port=1)
    with pytest.raises(DataError):
        rc.pubsub(host=host)
    with pytest.raises(PubSubError):
        await pubsub.ssubscribe()
    # Without a node, the first channel's slot decides (as redis-py).
    lazy = rc.pubsub()
    assert lazy.get_pubsub_node() is None
    await lazy.subscribe("ch:a")
    assert lazy.get_pubsub_node() == rc.get_node_from_key("ch:a")
    assert lazy.get_redis_connection() is not None
    await lazy.aclose()
    await pubsub.aclose()


async def test_killed_node_connection_resubscribes(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    pubsub = rc.pubsub()
    await pubsub.ssubscribe(*SPREAD)
    await drain_sharded(pubsub, 6)
    node = rc.get_node_from_key("ch:a")
    assert node is not None
    killed = await cluster_admin[node.name].execute_command(
        "CLIENT KILL", "TYPE", "pubsub"
    )
    assert killed == 1
    on_node = sorted(ch for ch in SPREAD if rc.get_node_from_key(ch) == node)
    # The drop may surface once (the node pools retry nothing, as redis-py's
    # default); the next reads reconnect and re-subscribe, one slot at a time.
    errors = 0
    again: list[Any] = []
    for _ in range(20):
        try:
            message = await pubsub.get_sharded_message(timeout=0.5)
        except ConnectionError:
            errors += 1
            continue
        if message is not None:
            again.append((message["type"], message["channel"]))
        if len(again) == len(on_node):
            break
    assert errors <= 1
    assert sorted(again) == [("ssubscribe", ch) for ch in on_node]
    assert await rc.spublish("ch:a", "after the kill") == 1
    assert await drain_sharded(pubsub, 1) == [("smessage", "ch:a", "after the kill")]
    await pubsub.aclose()


async def test_shard_channel_follows_its_slot_when_migrated(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    channel = "{pubsubmig}news"
    slot, src, dst = slot_and_nodes(rc, channel)
    pubsub = rc.pubsub()
    await pubsub.ssubscribe(channel)
    assert await drain_sharded(pubsub, 1) == [("ssubscribe", channel, 1)]
    await migrate_slot(cluster_admin, slot, src, dst)
    try:
        # The old owner drops the subscription (an sunsubscribe we did not ask
        # for); it is made again on the new owner.
        moved = await drain_sharded(pubsub, 2)
        assert moved == [("sunsubscribe", channel, 0), ("ssubscribe", channel, 1)]
        assert list(pubsub.node_pubsub_mapping) == [dst.name]
        assert await rc.spublish(channel, "on the new owner") == 1
        assert await drain_sharded(pubsub, 1) == [
            ("smessage", channel, "on the new owner")
        ]
    finally:
        await migrate_slot(cluster_admin, slot, dst, src)
    assert await drain_sharded(pubsub, 2) == [
        ("sunsubscribe", channel, 0),
        ("ssubscribe", channel, 1),
    ]
    assert list(pubsub.node_pubsub_mapping) == [src.name]
    assert await rc.spublish(channel, "home again") == 1
    assert await drain_sharded(pubsub, 1) == [("smessage", channel, "home again")]
    await pubsub.aclose()


async def test_ssubscribe_to_a_stale_owner_follows_moved(
    rc: RedisCluster, cluster_admin: dict[str, Redis], redis_cluster: Nodes
) -> None:
    channel = "{pubsubstale}news"
    slot, src, dst = slot_and_nodes(rc, channel)
    host, port = redis_cluster[0]
    stale = RedisCluster(host=host, port=port, decode_responses=True, protocol=2)
    await stale.initialize()
    await migrate_slot(cluster_admin, slot, src, dst)
    try:
        pubsub = stale.pubsub()
        await pubsub.ssubscribe(channel)  # sent to src, which answers MOVED
        assert await drain_sharded(pubsub, 1) == [("ssubscribe", channel, 1)]
        assert stale.get_node_from_key(channel) == dst
        assert list(pubsub.node_pubsub_mapping) == [dst.name]
        assert await rc.spublish(channel, "found") == 1
        assert await drain_sharded(pubsub, 1) == [("smessage", channel, "found")]
        await pubsub.aclose()
    finally:
        await stale.aclose()
        await migrate_slot(cluster_admin, slot, dst, src)


async def test_get_sharded_message_waits_for_any_node(rc: RedisCluster) -> None:
    pubsub = rc.pubsub()
    await pubsub.ssubscribe(*SPREAD[:3])
    assert len(await drain_sharded(pubsub, 3)) == 3
    # A blocking read (timeout=None) wakes for a message on any node, not only
    # the first one it looks at.
    reader = asyncio.ensure_future(pubsub.get_sharded_message(timeout=None))
    await asyncio.sleep(0.05)
    assert not reader.done()
    last = SPREAD[2]
    await rc.spublish(last, "late")
    message = await asyncio.wait_for(reader, 5)
    assert message is not None and message["channel"] == last
    # Nothing subscribed: no wait for ever.
    await pubsub.sunsubscribe()
    await pubsub.aclose()
    assert await pubsub.get_sharded_message(timeout=None) is None


async def test_bytes_channels(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    async with RedisCluster(host=host, port=port, protocol=3) as rc:
        pubsub = rc.pubsub()
        await pubsub.ssubscribe(b"ch:a", "ch:b")
        got = await drain_sharded(pubsub, 2)
        # One connection to their node: the second confirmation counts two.
        assert sorted(got) == [("ssubscribe", b"ch:a", 1), ("ssubscribe", b"ch:b", 2)]
        await rc.spublish(b"ch:a", b"\x00\xff")
        assert await drain_sharded(pubsub, 1) == [("smessage", b"ch:a", b"\x00\xff")]
        await pubsub.aclose()


async def test_an_interrupted_move_is_finished_by_the_next_read(
    rc: RedisCluster, cluster_admin: dict[str, Redis], monkeypatch: pytest.MonkeyPatch
) -> None:
    channel = "{pubsubcut}news"
    slot, src, dst = slot_and_nodes(rc, channel)
    pubsub = rc.pubsub()
    await pubsub.ssubscribe(channel)
    assert await drain_sharded(pubsub, 1) == [("ssubscribe", channel, 1)]
    real_refresh = rc._refresh
    failures = [RedisClusterException("map unreadable for a moment")]

    async def flaky_refresh() -> None:
        if failures:
            raise failures.pop()
        await real_refresh()

    monkeypatch.setattr(rc, "_refresh", flaky_refresh)
    await migrate_slot(cluster_admin, slot, src, dst)
    try:
        # The unasked sunsubscribe arrives; finding the new owner fails once.
        with pytest.raises(RedisClusterException, match="unreadable"):
            await drain_sharded(pubsub, 1)
        # The next read finishes the move before reading on.
        assert await drain_sharded(pubsub, 1) == [("ssubscribe", channel, 1)]
        assert list(pubsub.node_pubsub_mapping) == [dst.name]
        assert await rc.spublish(channel, "made it") == 1
        assert await drain_sharded(pubsub, 1) == [("smessage", channel, "made it")]
    finally:
        await migrate_slot(cluster_admin, slot, dst, src)
        await pubsub.aclose()
