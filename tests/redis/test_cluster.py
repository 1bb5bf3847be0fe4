"""RedisCluster against a private three-master cluster (``redis_cluster`` fixture).

The cluster is shared by the session: every test flushes it first, and the tests
that migrate a slot use a slot of their own (a hash tag) and give it back.
"""

from __future__ import annotations

import asyncio
import pathlib
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest

from aio.redis import Redis
from aio.redis.cluster import ClusterNode, RedisCluster
from aio.redis.exceptions import (
    ClusterDownError,
    ConnectionError,
    CrossSlotTransactionError,
    RedisClusterException,
    ResponseError,
    TryAgainError,
)

Nodes = list[tuple[str, int]]


@pytest.fixture
async def rc(redis_cluster: Nodes) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(host=host, port=port, decode_responses=True)
    await client.initialize()
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def admin(redis_cluster: Nodes) -> AsyncIterator[dict[str, Redis]]:
    """One plain client per node (no routing), by node name."""
    clients = {
        f"{h}:{p}": Redis(host=h, port=p, decode_responses=True)
        for h, p in redis_cluster
    }
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


async def _myid(client: Redis) -> str:
    return str(await client.execute_command("CLUSTER MYID"))


async def begin_migration(
    admin: dict[str, Redis], slot: int, src: ClusterNode, dst: ClusterNode
) -> tuple[Redis, Redis]:
    """Mark ``slot`` IMPORTING on ``dst`` and MIGRATING on ``src`` (redis-cli's
    first step: from now on ``src`` answers ASK for the keys it no longer has).

    :returns: the plain clients of ``src`` and ``dst``.
    """
    a, b = admin[src.name], admin[dst.name]
    src_id, dst_id = await _myid(a), await _myid(b)
    await b.execute_command("CLUSTER SETSLOT", slot, "IMPORTING", src_id)
    await a.execute_command("CLUSTER SETSLOT", slot, "MIGRATING", dst_id)
    return a, b


async def migrate_slot(
    admin: dict[str, Redis], slot: int, src: ClusterNode, dst: ClusterNode
) -> None:
    """Move ``slot`` with its keys from ``src`` to ``dst`` the way redis-cli does."""
    a, b = await begin_migration(admin, slot, src, dst)
    dst_id = await _myid(b)
    while keys := await a.execute_command("CLUSTER GETKEYSINSLOT", slot, 100):
        await a.execute_command(
            "MIGRATE", dst.host, dst.port, "", 0, 5000, "KEYS", *keys
        )
    # The importing side first: it bumps its epoch, so its claim wins.
    await b.execute_command("CLUSTER SETSLOT", slot, "NODE", dst_id)
    await a.execute_command("CLUSTER SETSLOT", slot, "NODE", dst_id)
    for name, other in admin.items():
        if name not in (src.name, dst.name):
            await other.execute_command("CLUSTER SETSLOT", slot, "NODE", dst_id)


def _other_primary(rc: RedisCluster, node: ClusterNode) -> ClusterNode:
    return next(n for n in rc.get_primaries() if n.name != node.name)


def slot_and_nodes(rc: RedisCluster, key: str) -> tuple[int, ClusterNode, ClusterNode]:
    """``key``'s slot, the primary owning it, and another primary to move it to."""
    src = rc.get_node_from_key(key)
    assert src is not None
    return rc.keyslot(key), src, _other_primary(rc, src)


async def test_initialize_reads_three_primaries(
    rc: RedisCluster, redis_cluster: Nodes
) -> None:
    names = sorted(n.name for n in rc.get_primaries())
    assert names == sorted(f"{h}:{p}" for h, p in redis_cluster)
    assert rc.get_replicas() == []
    assert len(rc.nodes_manager.slots_cache) == 16384
    host, port = redis_cluster[1]
    node = rc.get_node(host, port)
    assert node is not None and node.server_type == "primary"
    assert rc.get_node(node_name=f"{host}:{port}") is node


async def test_keys_spread_over_every_node(rc: RedisCluster) -> None:
    keys = [f"key:{i}" for i in range(200)]
    for i, key in enumerate(keys):
        assert await rc.set(key, i) is True
    for i, key in enumerate(keys):
        assert await rc.get(key) == str(i)
    owners = {rc.get_node_from_key(k).name for k in keys}  # type: ignore[union-attr]
    assert len(owners) == 3
    # Each node holds exactly the keys of its slots.
    per_node = await rc.dbsize(target_nodes=RedisCluster.ALL_NODES)
    assert isinstance(per_node, int) and per_node == 200
    for node in rc.get_primaries():
        mine = [k for k in keys if rc.get_node_from_key(k) == node]
        assert await rc.dbsize(target_nodes=node) == len(mine)
    # Without target_nodes, DBSIZE and KEYS ask the default node, as redis-py.
    default = rc.get_default_node()
    assert await rc.dbsize() == await rc.dbsize(target_nodes=default) < 200
    everywhere = await rc.keys("key:*", target_nodes=RedisCluster.PRIMARIES)
    assert sorted(everywhere) == sorted(keys)


async def test_key_slot_matches_server(rc: RedisCluster) -> None:
    for key in ["", "a", "foo", "{user1000}.following", "{}x", "a{b}c{d}", "é"]:
        expected = await rc.execute_command("CLUSTER KEYSLOT", key)
        assert rc.keyslot(key) == int(expected)


async def test_hash_tags_colocate_and_multikey(rc: RedisCluster) -> None:
    assert rc.keyslot("{user}:a") == rc.keyslot("{user}:b")
    assert await rc.mset({"{user}:a": "1", "{user}:b": "2"}) is True
    assert await rc.mget("{user}:a", "{user}:b", "{user}:c") == ["1", "2", None]
    with pytest.raises(RedisClusterException, match="same key slot"):
        await rc.mget("a", "b")
    with pytest.raises(RedisClusterException, match="same key slot"):
        await rc.mset({"a": "1", "b": "2"})
    with pytest.raises(RedisClusterException):
        await rc.rename("a", "b")
    # The nonatomic variants split per slot.
    await rc.mset_nonatomic({"a": "1", "b": "2", "c": "3"})
    assert await rc.mget_nonatomic(["c", "a", "nope", "b"]) == ["3", "1", None, "2"]
    # DEL/EXISTS/TOUCH/UNLINK across slots are split and summed.
    assert await rc.exists("a", "b", "c", "nope") == 3
    assert await rc.touch("a", "b") == 2
    assert await rc.unlink("a") == 1
    assert await rc.delete("b", "c", "{user}:a", "{user}:b") == 4


async def test_keyless_commands(rc: RedisCluster) -> None:
    assert await rc.ping() is True
    pings = await rc.ping(target_nodes=RedisCluster.PRIMARIES)
    assert pings is True
    info = await rc.info(target_nodes=RedisCluster.ALL_NODES)
    assert sorted(info) == sorted(n.name for n in rc.get_nodes())
    node = rc.get_primaries()[0]
    rc.set_default_node(node)
    assert rc.get_default_node() is node
    assert await rc.echo("hi") == "hi"
    # Scripts: keys from numkeys, or any node without keys.
    script = "return redis.call('SET', KEYS[1], ARGV[1])"
    assert await rc.eval(script, 1, "scripted", "v") == "OK"
    assert await rc.get("scripted") == "v"
    assert await rc.eval("return 7", 0) == 7
    # Commands whose keys only the server knows are asked with COMMAND GETKEYS.
    await rc.set("{s}src", "x")
    assert await rc.copy("{s}src", "{s}dst") is True
    assert await rc.get("{s}dst") == "x"


async def test_scan_iter_lock_and_scripts(rc: RedisCluster) -> None:
    keys = {f"scan:{i}" for i in range(60)}
    await rc.mset_nonatomic(dict.fromkeys(keys, "1"))
    assert {k async for k in rc.scan_iter(match="scan:*", count=7)} == keys
    lock = rc.lock("cluster-lock", timeout=5)
    assert await lock.acquire(blocking=False) is True
    assert await rc.lock("cluster-lock").acquire(blocking=False) is False
    await lock.release()
    assert await rc.exists("cluster-lock") == 0
    incr_by = rc.register_script("return redis.call('INCRBY', KEYS[1], ARGV[1])")
    assert await incr_by(keys=["{s}n"], args=[5]) == 5
    await rc.script_flush()
    assert await incr_by(keys=["{s}n"], args=[2]) == 7  # reloaded after NOSCRIPT


async def test_from_url_and_resp3(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[2]
    client = RedisCluster.from_url(f"redis://{host}:{port}/0?protocol=3")
    try:
        await client.set("resp3", "x")
        assert await client.get("resp3") == b"x"
        await client.hset("{h}", mapping={"a": "1"})
        assert await client.hgetall("{h}") == {b"a": b"1"}
    finally:
        await client.delete("resp3", "{h}")
        await client.aclose()
    with pytest.raises(RedisClusterException):
        RedisCluster(host=host, port=port, db=1)
    with pytest.raises(RedisClusterException):
        RedisCluster()


async def test_pipeline_of_1000_across_slots(rc: RedisCluster) -> None:
    async with rc.pipeline() as pipe:
        for i in range(1000):
            pipe.set(f"p:{i}", i)
        for i in range(1000):
            pipe.get(f"p:{i}")
        pipe.incr("p:0")
        results = await pipe.execute()
    assert results[:1000] == [True] * 1000
    assert results[1000:2000] == [str(i) for i in range(1000)]
    assert results[2000] == 1
    assert await rc.dbsize(target_nodes=RedisCluster.PRIMARIES) == 1000


async def test_pipeline_errors(rc: RedisCluster) -> None:
    pipe = rc.pipeline()
    pipe.set("x", "a").lpush("x", 1).get("x")
    with pytest.raises(ResponseError, match="Command # 2"):
        await pipe.execute()
    pipe.set("x", "a").lpush("x", 1).get("x")
    results = await pipe.execute(raise_on_error=False)
    assert results[0] is True and results[2] == "a"
    assert isinstance(results[1], ResponseError)
    pipe.mget("a", "b")
    with pytest.raises(RedisClusterException):
        await pipe.execute()
    assert await pipe.execute() == []


async def test_transaction_in_one_slot(rc: RedisCluster) -> None:
    async with rc.pipeline(transaction=True) as pipe:
        pipe.set("{t}a", 1).incr("{t}a").get("{t}a")
        assert await pipe.execute() == [True, 2, "2"]
    async with rc.pipeline(transaction=True) as pipe:
        pipe.set("{t}a", 1).set("{u}b", 2)
        with pytest.raises(CrossSlotTransactionError):
            await pipe.execute()


async def test_moved_after_slot_migration(
    rc: RedisCluster, admin: dict[str, Redis], redis_cluster: Nodes
) -> None:
    tag = "{moved}"
    slot, src, dst = slot_and_nodes(rc, tag)
    keys = [f"{tag}:{i}" for i in range(20)]
    for key in keys:
        await rc.set(key, key)
    # A second client whose map goes stale too, for the pipeline path.
    host, port = redis_cluster[0]
    stale = RedisCluster(host=host, port=port, decode_responses=True)
    await stale.initialize()
    await migrate_slot(admin, slot, src, dst)
    try:
        assert rc.get_node_from_key(tag) == src  # the client does not know yet
        for key in keys:
            assert await rc.get(key) == key  # MOVED followed
        assert rc.get_node_from_key(tag) == dst  # and the map patched
        assert await rc.set(f"{tag}:new", "n") is True
        pipe = stale.pipeline()
        for key in keys:
            pipe.get(key)
        pipe.set(f"{tag}:p", "p").get(f"{tag}:p")
        assert await pipe.execute() == [*keys, True, "p"]
        assert stale.get_node_from_key(tag) == dst
        # The whole map is re-read before the next command.
        await stale.ping()
        assert not stale._refresh_needed
    finally:
        await stale.aclose()
        await migrate_slot(admin, slot, dst, src)
    assert await rc.get(keys[0]) == keys[0]
    assert rc.get_node_from_key(tag) == src


async def test_ask_during_migration(rc: RedisCluster, admin: dict[str, Redis]) -> None:
    tag = "{ask}"
    slot, src, dst = slot_and_nodes(rc, tag)
    await rc.set(f"{tag}:moved", "m")
    await rc.set(f"{tag}:stays", "s")
    a, b = await begin_migration(admin, slot, src, dst)
    try:
        await a.execute_command("MIGRATE", dst.host, dst.port, f"{tag}:moved", 0, 5000)
        assert await rc.get(f"{tag}:moved") == "m"  # ASK followed
        assert await rc.get(f"{tag}:stays") == "s"
        # Keys split between the two nodes: TRYAGAIN, retried, then raised.
        with pytest.raises(TryAgainError):
            await rc.mget(f"{tag}:moved", f"{tag}:stays")
        assert await rc.set(f"{tag}:new", "n") is True  # created on the target
        count = await b.execute_command("CLUSTER COUNTKEYSINSLOT", slot)
        assert int(count) == 2
        assert rc.get_node_from_key(tag) == src  # ASK changes no map
        pipe = rc.pipeline()
        pipe.get(f"{tag}:moved").get(f"{tag}:stays").get(f"{tag}:new")
        assert await pipe.execute() == ["m", "s", "n"]
        # Clean up the keys on the target (via ASK) before giving the slot back.
        for key in (f"{tag}:moved", f"{tag}:new", f"{tag}:stays"):
            assert await rc.delete(key) == 1
        assert int(await b.execute_command("CLUSTER COUNTKEYSINSLOT", slot)) == 0
    finally:
        await a.execute_command("CLUSTER SETSLOT", slot, "STABLE")
        await b.execute_command("CLUSTER SETSLOT", slot, "STABLE")
    assert await rc.get(f"{tag}:stays") is None


async def test_connection_error_refreshes_and_retries(
    rc: RedisCluster, redis_cluster: Nodes
) -> None:
    await rc.set("refresh", "v")
    slot = rc.keyslot("refresh")
    dead = ClusterNode("127.0.0.1", _closed_port())
    rc.nodes_manager.slots_cache[slot] = [dead]
    assert await rc.get("refresh") == "v"
    assert rc.get_node_from_key("refresh") != dead
    # Without retries the error surfaces.
    rc.cluster_error_retry_attempts = 0
    rc.nodes_manager.slots_cache[slot] = [dead]
    with pytest.raises(ConnectionError):
        await rc.get("refresh")


async def test_pipeline_retries_commands_of_a_failed_node(rc: RedisCluster) -> None:
    keys = [f"pf:{i}" for i in range(30)]
    for key in keys:
        await rc.set(key, key)
    dead = ClusterNode("127.0.0.1", _closed_port())
    victim = rc.keyslot(keys[0])
    rc.nodes_manager.slots_cache[victim] = [dead]
    pipe = rc.pipeline()
    for key in keys:
        pipe.get(key)
    assert await pipe.execute() == keys
    assert rc.get_node_from_key(keys[0]) != dead


async def test_clusterdown_is_retried_after_a_refresh(
    rc: RedisCluster, monkeypatch: pytest.MonkeyPatch
) -> None:
    await rc.set("down", "v")
    real = rc._execute_on
    failures = [ClusterDownError("The cluster is down")] * 2
    refreshes = []

    async def flaky(node: ClusterNode, args: Any, options: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(node, args, options)

    real_refresh = rc.nodes_manager.initialize

    async def counted() -> None:
        refreshes.append(1)
        await real_refresh()

    monkeypatch.setattr(rc, "_execute_on", flaky)
    monkeypatch.setattr(rc.nodes_manager, "initialize", counted)
    assert await rc.get("down") == "v"
    assert len(refreshes) == 2
    # One more than the retries (redis-py's default: 10).
    assert rc.cluster_error_retry_attempts == 10
    failures.extend([ClusterDownError("still down")] * 11)
    with pytest.raises(ClusterDownError):
        await rc.get("down")


async def test_startup_nodes_fallback_and_unreachable(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[1]
    dead = ClusterNode("127.0.0.1", _closed_port())
    client = RedisCluster(startup_nodes=[dead, ClusterNode(host, port)])
    try:
        await client.initialize()
        assert len(client.get_primaries()) == 3
    finally:
        await client.aclose()
    with pytest.warns(DeprecationWarning, match="cluster_error_retry_attempts"):
        nobody = RedisCluster(startup_nodes=[dead], cluster_error_retry_attempts=0)
    with pytest.raises(RedisClusterException, match="cannot be connected"):
        await nobody.initialize()
    await nobody.aclose()


async def test_concurrent_commands(rc: RedisCluster) -> None:
    await asyncio.gather(*(rc.set(f"c:{i}", i) for i in range(300)))
    values = await asyncio.gather(*(rc.get(f"c:{i}") for i in range(300)))
    assert values == [str(i) for i in range(300)]


async def test_cancellation_never_misdelivers(rc: RedisCluster) -> None:
    keys = [f"cancel:{i}" for i in range(120)]
    await rc.mset_nonatomic({k: k for k in keys})
    for round_ in range(3):
        tasks = [asyncio.ensure_future(rc.get(k)) for k in keys]
        pipe_task = asyncio.ensure_future(_pipeline_gets(rc, keys))
        for _ in range(round_ + 1):
            await asyncio.sleep(0)
        for task in tasks[::3]:
            task.cancel()
        if round_ == 1:
            pipe_task.cancel()
        results = await asyncio.gather(*tasks, pipe_task, return_exceptions=True)
        for key, result in zip(keys, results, strict=False):
            assert isinstance(result, asyncio.CancelledError) or result == key
        assert isinstance(results[-1], asyncio.CancelledError) or results[-1] == keys
    # Every connection left in an unknown state was closed, not reused.
    assert await asyncio.gather(*(rc.get(k) for k in keys)) == keys
    for node in rc.get_nodes():
        assert node.connection_pool.in_use_count == 0


async def _pipeline_gets(rc: RedisCluster, keys: list[str]) -> list[str]:
    pipe = rc.pipeline()
    for key in keys:
        pipe.get(key)
    return await pipe.execute()


async def test_read_from_replicas_without_replicas(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    with pytest.warns(DeprecationWarning, match="read_from_replicas"):
        client = RedisCluster(host=host, port=port, read_from_replicas=True)
    try:
        await client.set("r", "1")
        assert await client.get("r") == b"1"
    finally:
        await client.delete("r")
        await client.aclose()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_docs_example(
    redis_cluster: Nodes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port = redis_cluster[0]
    monkeypatch.setenv("AIO_REDIS_CLUSTER_HOST", host)
    monkeypatch.setenv("AIO_REDIS_CLUSTER_PORT", str(port))
    exec(compile(doc_example("cluster"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.split("\n")[:5] == [
        "hello",
        "['Ada', 'en']",
        "True",
        "100",
        "True",
    ]


async def test_cluster_client_side_caching(redis_cluster: Nodes) -> None:
    from aio.redis import CacheConfig

    host, port = redis_cluster[0]
    cached = RedisCluster(host=host, port=port, protocol=3, cache_config=CacheConfig())
    try:
        await cached.set("cc", "1")
        assert await cached.get("cc") == b"1"
        assert await cached.get("cc") == b"1"
        node = cached.get_node_from_key("cc")
        assert node is not None
        assert node.connection_pool.cache.stats.hits == 1
    finally:
        await cached.delete("cc")
        await cached.aclose()


def doc_example(name: str) -> str:
    """The python block of docs/redis.md marked ``# example: <name>``."""
    doc = pathlib.Path(__file__).parents[2] / "docs" / "redis.md"
    for block in re.findall(r"```python\n(.*?)```", doc.read_text(), re.S):
        if block.startswith(f"# example: {name}\n"):
            return str(block)
    raise AssertionError(f"no example {name!r} in {doc}")


async def test_mget_of_no_keys_is_empty_like_standalone(rc: RedisCluster) -> None:
    # Nothing to route by: answered without a round trip, as Redis.mget([]).
    assert await rc.mget([]) == []
    assert await rc.execute_command("MGET") == []
    await rc.set("{m}:a", "1")
    for transaction in (False, True):
        async with rc.pipeline(transaction=transaction) as pipe:
            pipe.mget([])
            pipe.mget(["{m}:a", "{m}:b"])
            pipe.mget([])
            assert await pipe.execute() == [[], ["1", None], []]
        async with rc.pipeline(transaction=transaction) as pipe:
            pipe.mget([])
            assert await pipe.execute() == [[]]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cluster-transaction", ["[True, 70]", "[True, 1]", "50"]),
        (
            "cluster-pubsub",
            [
                "['orders:eu', 'orders:us']",
                "1",
                "orders:eu order 1",
                "subscribe",
                "hello",
            ],
        ),
    ],
)
def test_docs_examples_transaction_and_pubsub(
    name: str,
    expected: list[str],
    redis_cluster: Nodes,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port = redis_cluster[1]
    monkeypatch.setenv("AIO_REDIS_CLUSTER_HOST", host)
    monkeypatch.setenv("AIO_REDIS_CLUSTER_PORT", str(port))
    exec(compile(doc_example(name), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == expected


async def test_pipeline_without_redirections_keeps_moved_as_errors(
    rc: RedisCluster, admin: dict[str, Redis], redis_cluster: Nodes
) -> None:
    from aio.redis.exceptions import MovedError

    tag = "{noredirect}"
    slot, src, dst = slot_and_nodes(rc, tag)
    await rc.set(f"{tag}a", "1")
    host, port = redis_cluster[0]
    stale = RedisCluster(host=host, port=port, decode_responses=True)
    await stale.initialize()
    await migrate_slot(admin, slot, src, dst)
    try:
        async with stale.pipeline() as pipe:
            pipe.get(f"{tag}a").get("elsewhere")
            replies = await pipe.execute(raise_on_error=False, allow_redirections=False)
        assert isinstance(replies[0], MovedError) and replies[1] is None
        assert replies[0].slot_id == slot
        async with stale.pipeline() as pipe:
            pipe.get(f"{tag}a")
            with pytest.raises(MovedError, match="Command # 1"):
                await pipe.execute(allow_redirections=False)
        async with stale.pipeline() as pipe:
            pipe.get(f"{tag}a").get("elsewhere")
            assert await pipe.execute() == ["1", None]  # followed by default
    finally:
        await stale.aclose()
        await migrate_slot(admin, slot, dst, src)
