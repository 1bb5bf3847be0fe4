"""Cluster transactions: ``rc.pipeline(transaction=True)``, WATCH, ``rc.transaction``.

Against the private three-master cluster, with redis-py's asyncio cluster
pipeline as the oracle for the plain cases, and faults: a slot migrated while a
transaction is queued or its keys are watched (MOVED, ASK), and the transaction's
connection killed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.exceptions as redispy_errors

from aio.redis import Connection, Redis, RedisCluster
from aio.redis.exceptions import (
    CrossSlotTransactionError,
    RedisClusterException,
    RedisError,
    ResponseError,
    WatchError,
)
from tests.redis.test_cluster import (
    Nodes,
    begin_migration,
    migrate_slot,
    slot_and_nodes,
)


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
async def rc(
    redis_cluster: Nodes, request: pytest.FixtureRequest
) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(
        host=host, port=port, decode_responses=True, protocol=request.param
    )
    await client.initialize()
    await client.flushdb()
    try:
        yield client
    finally:
        await client.aclose()


# Errors of both clients (redis-py's cluster errors are not RedisErrors).
ERRORS = (RedisError, redispy_errors.RedisError, redispy_errors.RedisClusterException)


def outcome(exc: BaseException) -> tuple[str, str]:
    name = type(exc).__name__
    # aio's WRONGTYPE class is a ResponseError, which is what redis-py raises.
    return ("ResponseError" if name == "WrongTypeError" else name), str(exc)


async def scenario(client: Any) -> list[Any]:
    """Transactions that succeed and fail, recorded as values or (error, text)."""
    out: list[Any] = []

    async def record(call: Any) -> None:
        # A call, not a coroutine: redis-py raises some errors at call time.
        try:
            out.append(await call())
        except ERRORS as exc:
            out.append(outcome(exc))

    await client.delete("{tx}n", "{tx}s", "{tx}l", "{tx}h")
    async with client.pipeline(transaction=True) as pipe:
        pipe.set("{tx}n", 1).incr("{tx}n").get("{tx}n")
        pipe.hset("{tx}h", mapping={"f": "v"}).hget("{tx}h", "f")
        await record(pipe.execute)
    async with client.pipeline(transaction=True) as pipe:
        pipe.set("{tx}s", "text").lpush("{tx}s", 1).get("{tx}s")
        await record(pipe.execute)  # a runtime error: raised, annotated
        pipe.set("{tx}s", "text").lpush("{tx}s", 1).get("{tx}s")
        results = await pipe.execute(raise_on_error=False)
        out.append([outcome(r) if isinstance(r, Exception) else r for r in results])
        pipe.set("{tx}s", "x").execute_command("LPUSH", "{tx}l")
        await record(pipe.execute)  # refused while queueing: EXECABORT
        assert await client.get("{tx}s") == "text"  # nothing ran
    async with client.pipeline(transaction=True) as pipe:
        pipe.set("{tx}a", 1).set("{other}b", 2)
        await record(pipe.execute)  # two slots
    async with client.pipeline(transaction=True) as pipe:
        await pipe.watch("{tx}n")
        out.append(await pipe.get("{tx}n"))  # immediate mode
        await record(lambda: pipe.get("{elsewhere}k"))  # another slot
        pipe.multi()
        pipe.incr("{tx}n")
        out.append(await pipe.execute())
    async with client.pipeline(transaction=True) as pipe:
        await pipe.watch("{tx}n")
        await client.set("{tx}n", 100)  # changed by someone else
        pipe.multi()
        pipe.incr("{tx}n")
        await record(pipe.execute)
        out.append(await client.get("{tx}n"))
    async with client.pipeline(transaction=True) as pipe:
        pipe.multi()
        try:
            pipe.multi()
        except ERRORS as exc:
            out.append(outcome(exc))
    async with client.pipeline(transaction=False) as pipe:
        await record(lambda: pipe.watch("k"))
        await record(pipe.unwatch)
    return out


async def test_transactions_match_redis_py(
    rc: RedisCluster, cluster_oracle: Any
) -> None:
    ours = await scenario(rc)
    theirs = await scenario(cluster_oracle)
    assert ours == theirs
    assert ours[0] == [True, 2, "2", 1, "v"]
    assert ours[1][0] == "ResponseError"
    assert "Command # 2" in ours[1][1]
    assert ours[4][0] == "CrossSlotTransactionError"


async def test_watch_conflict_and_transaction_helper(rc: RedisCluster) -> None:
    await rc.set("{acct}balance", 10)
    calls = []

    async def spend(pipe: Any) -> int:
        balance = int(await pipe.get("{acct}balance"))
        calls.append(balance)
        if len(calls) == 1:
            await rc.incrby("{acct}balance", 5)  # a concurrent writer
        pipe.multi()
        pipe.set("{acct}balance", balance - 3)
        return balance - 3

    result = await rc.transaction(spend, "{acct}balance", value_from_callable=True)
    assert calls == [10, 15]  # ran again after the conflict
    assert result == 12
    assert await rc.get("{acct}balance") == "12"

    def sync_func(pipe: Any) -> None:  # a plain function works too
        pipe.multi()
        pipe.incr("{acct}balance")

    assert await rc.transaction(sync_func, "{acct}balance") == [13]
    for node in rc.get_nodes():
        assert node.connection_pool.in_use_count == 0


async def test_watch_rules(rc: RedisCluster) -> None:
    pipe = rc.pipeline(transaction=True)
    with pytest.raises(RedisClusterException, match="Cannot identify slot"):
        await pipe.execute_command("WATCH")
    await pipe.watch("{w}a", "{w}b")
    assert pipe.watching
    with pytest.raises(CrossSlotTransactionError):
        await pipe.watch("{v}a")
    assert await pipe.unwatch() is True
    assert not pipe.watching
    pipe.multi()
    with pytest.raises(RedisError, match="WATCH after a MULTI"):
        await pipe.watch("{w}a")
    pipe.set("{w}a", 1)
    assert await pipe.execute() == [True]
    # A watch with nothing queued still checks the key at EXEC.
    await pipe.watch("{w}a")
    assert await pipe.execute() == []
    await pipe.watch("{w}a")
    await pipe.discard()  # UNWATCH, connection back
    assert not pipe.watching
    for node in rc.get_nodes():
        assert node.connection_pool.in_use_count == 0
    with pytest.raises(NotImplementedError):
        pipe.mset_nonatomic({"{w}a": 1})
    with pytest.raises(RedisClusterException, match="shard_hint"):
        rc.pipeline(transaction=True, shard_hint="x")


async def test_moved_during_a_queued_transaction_is_followed(
    rc: RedisCluster, cluster_admin: dict[str, Redis], redis_cluster: Nodes
) -> None:
    tag = "{txmoved}"
    slot, src, dst = slot_and_nodes(rc, tag)
    await rc.set(f"{tag}n", 1)
    host, port = redis_cluster[0]
    stale = RedisCluster(host=host, port=port, decode_responses=True, protocol=2)
    await stale.initialize()
    await migrate_slot(cluster_admin, slot, src, dst)
    try:
        async with stale.pipeline(transaction=True) as pipe:
            pipe.incr(f"{tag}n").get(f"{tag}n")
            # Sent to src, which refuses each command with MOVED (EXECABORT);
            # the whole transaction goes to dst.
            assert await pipe.execute() == [2, "2"]
        assert stale.get_node_from_key(tag) == dst
        assert await cluster_admin[dst.name].get(f"{tag}n") == "2"
    finally:
        await stale.aclose()
        await migrate_slot(cluster_admin, slot, dst, src)


async def test_moved_while_watching_starts_the_transaction_over(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    tag = "{txwatch}"
    slot, src, dst = slot_and_nodes(rc, tag)
    await rc.set(f"{tag}n", 1)
    attempts: list[str] = []

    async def bump(pipe: Any) -> None:
        value = int(await pipe.get(f"{tag}n"))
        attempts.append(pipe._transaction.node.name)
        if len(attempts) == 1:
            # The slot moves while its key is watched on src.
            await migrate_slot(cluster_admin, slot, src, dst)
        pipe.multi()
        pipe.set(f"{tag}n", value + 10)

    try:
        assert await rc.transaction(bump, f"{tag}n") == [True]
        assert attempts == [src.name, dst.name]
        assert await rc.get(f"{tag}n") == "11"
        # A watched pipeline whose slot moves away raises WatchError itself.
        async with rc.pipeline(transaction=True) as pipe:
            await pipe.watch(f"{tag}n")
            await migrate_slot(cluster_admin, slot, dst, src)
            pipe.multi()
            pipe.incr(f"{tag}n")
            with pytest.raises(WatchError, match="Slot rebalancing"):
                await pipe.execute()
        assert rc.get_node_from_key(tag) == src  # the map followed MOVED
        assert await rc.get(f"{tag}n") == "11"
    finally:
        if rc.get_node_from_key(tag) != src:
            await migrate_slot(cluster_admin, slot, dst, src)
    for node in rc.get_nodes():
        assert node.connection_pool.in_use_count == 0


async def test_ask_during_migration_sends_the_transaction_to_the_target(
    rc: RedisCluster, cluster_admin: dict[str, Redis]
) -> None:
    tag = "{txask}"
    slot, src, dst = slot_and_nodes(rc, tag)
    await rc.set(f"{tag}moved", "m")
    a, b = await begin_migration(cluster_admin, slot, src, dst)
    try:
        await a.execute_command("MIGRATE", dst.host, dst.port, f"{tag}moved", 0, 5000)
        async with rc.pipeline(transaction=True) as pipe:
            pipe.get(f"{tag}moved").append(f"{tag}moved", "!")
            # src answers ASK for the key it no longer has: the transaction
            # runs on dst, after ASKING.
            assert await pipe.execute() == ["m", 2]
        assert rc.get_node_from_key(tag) == src  # ASK changes no map
        async with rc.pipeline(transaction=True) as pipe:
            # While migrating, the keys being watched may move: start over.
            with pytest.raises(WatchError):
                await pipe.watch(f"{tag}moved")
        assert await rc.delete(f"{tag}moved") == 1
    finally:
        await a.execute_command("CLUSTER SETSLOT", slot, "STABLE")
        await b.execute_command("CLUSTER SETSLOT", slot, "STABLE")


async def _client_id(cluster_admin: Redis, command: str) -> int:
    for client in await cluster_admin.client_list():
        if client["cmd"] == command:
            return int(client["id"])
    raise AssertionError(f"no client whose last command was {command}")


async def test_dropped_connection_retried_unless_watching(
    rc: RedisCluster, cluster_admin: dict[str, Redis], monkeypatch: pytest.MonkeyPatch
) -> None:
    key = "{txkill}n"
    node = rc.get_node_from_key(key)
    assert node is not None
    await rc.set(key, 1)
    # Not watching: the connection drops right after MULTI..EXEC was written
    # (before any reply); the transaction is sent again on a new connection,
    # after the map is re-read, as redis-py does.
    sends: list[int] = []
    real_send = Connection.send_requests

    def send_then_drop(self: Connection, commands: Any, **kwargs: Any) -> Any:
        future = real_send(self, commands, **kwargs)
        sends.append(len(commands))
        if len(sends) == 1:
            assert self._transport is not None
            self._transport.abort()
        return future

    refreshes = []
    real_refresh = rc._refresh

    async def counted() -> None:
        refreshes.append(1)
        await real_refresh()

    monkeypatch.setattr(Connection, "send_requests", send_then_drop)
    monkeypatch.setattr(rc, "_refresh", counted)
    async with rc.pipeline(transaction=True) as pipe:
        pipe.set(key, 5).get(key)
        assert await pipe.execute() == [True, "5"]
    assert sends == [4, 4] and refreshes == [1]
    # Watching: the WATCH died with the connection; WatchError, no retry.
    monkeypatch.setattr(Connection, "send_requests", real_send)
    async with rc.pipeline(transaction=True) as pipe:
        await pipe.watch(key)
        watcher = await _client_id(cluster_admin[node.name], "watch")
        await cluster_admin[node.name].execute_command("CLIENT KILL", "ID", watcher)
        pipe.multi()
        pipe.incr(key)
        with pytest.raises(WatchError, match="occurred while watching"):
            await pipe.execute()
    assert await rc.get(key) == "5"
    for each in rc.get_nodes():
        assert each.connection_pool.in_use_count == 0


async def test_queued_errors_keep_their_position(rc: RedisCluster) -> None:
    async with rc.pipeline(transaction=True) as pipe:
        pipe.set("{q}a", "v").mget([]).get("{q}a")
        assert await pipe.execute() == [True, [], "v"]  # MGET of nothing: not sent
    async with rc.pipeline(transaction=True) as pipe:
        pipe.set("{q}a", "v").mget([]).execute_command("LPUSH", "{q}a")
        with pytest.raises(ResponseError, match="Command # 3"):
            await pipe.execute()
