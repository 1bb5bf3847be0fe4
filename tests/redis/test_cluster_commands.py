"""CLUSTER commands of RedisCluster: the same calls as redis-py 8.1's (arguments
recorded without a server, signatures compared), the same replies against the
private three-master cluster (redis-py on RESP2 is the oracle; ours on RESP2 and
RESP3, bytes and decoded), and the cluster names redis-py has that we must too."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Coroutine
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_errors
from redis.commands.cluster import AsyncClusterManagementCommands

from aio.redis import RedisCluster
from aio.redis._cluster_commands import ClusterCommands
from aio.redis.exceptions import RedisClusterException, RedisError
from tests.redis.test_cluster import Nodes

NODE = object()  # stands for a target node in the recorded calls


class Recorder:
    """Records ``execute_command`` calls; returns coroutines (awaited or not)."""

    read_from_replicas = False

    def __init__(self) -> None:
        self.calls: list[Any] = []
        self.pending: list[Coroutine[Any, Any, Any]] = []

    def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((args, kwargs))

        async def reply() -> bool:
            return True

        coro = reply()
        self.pending.append(coro)
        return coro

    def close(self) -> None:
        for coro in self.pending:
            coro.close()


CALLS: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = [
    ("cluster_myid", (NODE,), {}),
    ("cluster_addslots", (NODE, 1, 2), {}),
    ("cluster_addslotsrange", (NODE, 1, 5), {}),
    ("cluster_countkeysinslot", (7,), {}),
    ("cluster_count_failure_report", ("abc",), {}),
    ("cluster_delslotsrange", (1, 5), {}),
    ("cluster_failover", (NODE,), {}),
    ("cluster_failover", (NODE, "force"), {}),
    ("cluster_info", (), {}),
    ("cluster_info", (), {"target_nodes": NODE}),
    ("cluster_keyslot", ("k",), {}),
    ("cluster_meet", ("h", 7000), {}),
    ("cluster_nodes", (), {}),
    ("cluster_replicate", (NODE, "abc"), {}),
    ("cluster_reset", (), {}),
    ("cluster_reset", (False,), {"target_nodes": NODE}),
    ("cluster_save_config", (), {}),
    ("cluster_get_keys_in_slot", (1, 10), {}),
    ("cluster_set_config_epoch", (3,), {}),
    ("cluster_setslot", (NODE, "abc", 7, "importing"), {}),
    ("cluster_setslot", (NODE, "abc", 7, "NODE"), {}),
    ("cluster_setslot_stable", (7,), {}),
    ("cluster_replicas", ("abc",), {}),
    ("cluster_slots", (), {}),
    ("cluster_shards", (), {"target_nodes": NODE}),
    ("cluster_myshardid", (), {}),
    ("cluster_links", (NODE,), {}),
    ("readonly", (), {}),
    ("readonly", (), {"target_nodes": "replicas"}),
    ("readwrite", (), {}),
]


def record(mixin: Any, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    recorder = Recorder()
    try:
        getattr(mixin, name)(recorder, *args, **kwargs)
    except Exception as exc:
        return ("error", type(exc).__name__, str(exc))
    finally:
        recorder.close()
    return recorder.calls, recorder.read_from_replicas


@pytest.mark.parametrize(("name", "args", "kwargs"), CALLS)
def test_command_arguments_match_redis_py(
    name: str, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    ours = record(ClusterCommands, name, args, kwargs)
    theirs = record(AsyncClusterManagementCommands, name, args, kwargs)
    assert ours == theirs
    assert ours[0]  # something was sent


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("cluster_failover", (NODE, "sideways")),
        ("cluster_setslot", (NODE, "abc", 7, "stable")),
        ("cluster_setslot", (NODE, "abc", 7, "sideways")),
        ("cluster_flushslots", ()),
        ("cluster_bumpepoch", ()),
        ("slaveof", ("h", 1)),
        ("replicaof", ("h", 1)),
        ("swapdb", (0, 1)),
    ],
)
def test_refusals_match_redis_py(name: str, args: tuple[Any, ...]) -> None:
    ours = record(ClusterCommands, name, args, {})
    theirs = record(AsyncClusterManagementCommands, name, args, {})
    assert ours[0] == "error"
    assert ours == theirs


async def test_delslots_sends_one_command_per_slot() -> None:
    ours, theirs = Recorder(), Recorder()
    assert await ClusterCommands.cluster_delslots(ours, 1, 2, 3) == [True] * 3  # type: ignore[arg-type]
    await AsyncClusterManagementCommands.cluster_delslots(theirs, 1, 2, 3)  # type: ignore[arg-type]
    assert (
        ours.calls
        == theirs.calls
        == [(("CLUSTER DELSLOTS", slot), {}) for slot in (1, 2, 3)]
    )


def test_signatures_match_redis_py() -> None:
    names = {n for n in dir(redispy.RedisCluster) if n.startswith("cluster_")}
    names |= {"readonly", "readwrite", "slaveof", "replicaof", "swapdb"}
    for name in sorted(names):
        ours = inspect.signature(getattr(RedisCluster, name))
        theirs = inspect.signature(getattr(redispy.RedisCluster, name))
        assert [(p.name, p.kind, p.default) for p in ours.parameters.values()] == [
            (p.name, p.kind, p.default) for p in theirs.parameters.values()
        ], name


def test_cluster_names_of_redis_py_exist() -> None:
    """Every cluster-specific public name of redis-py's asyncio RedisCluster
    (module clients, Redis 8 commands and redis-py internals aside) is ours too."""
    expected = {n for n in dir(redispy.RedisCluster) if n.startswith("cluster_")}
    expected |= {
        "get_connection_kwargs",
        "get_default_node",
        "get_encoder",
        "get_node",
        "get_node_from_key",
        "get_nodes",
        "get_nodes_from_slot",
        "get_primaries",
        "get_random_node",
        "get_random_primary_node",
        "get_random_primary_or_all_nodes",
        "get_replicas",
        "keyslot",
        "mget_nonatomic",
        "mset_nonatomic",
        "pipeline",
        "pubsub",
        "readonly",
        "readwrite",
        "replace_default_node",
        "set_default_node",
        "set_response_callback",
        "set_retry",
        "spublish",
        "transaction",
    }
    assert expected <= set(dir(RedisCluster))
    for name in ("execute", "watch", "unwatch", "multi", "discard", "reset"):
        assert hasattr(redispy.cluster.ClusterPipeline, name)
        assert hasattr(RedisCluster.pipeline(RedisCluster(host="h"), True), name)


@pytest.fixture
async def oracle(redis_cluster: Nodes) -> AsyncIterator[Any]:
    host, port = redis_cluster[0]
    client = redispy.RedisCluster(host=host, port=port, protocol=2)
    await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture(
    params=[(2, False), (3, False), (2, True), (3, True)],
    ids=["resp2", "resp3", "resp2-decoded", "resp3-decoded"],
)
async def pair(
    redis_cluster: Nodes, request: pytest.FixtureRequest
) -> AsyncIterator[tuple[RedisCluster, Any]]:
    """Ours (by protocol and decoding) and redis-py (RESP2) decoding alike."""
    protocol, decode = request.param
    host, port = redis_cluster[0]
    ours = RedisCluster(
        host=host, port=port, protocol=protocol, decode_responses=decode
    )
    theirs = redispy.RedisCluster(
        host=host, port=port, protocol=2, decode_responses=decode
    )
    await ours.initialize()
    await theirs.initialize()
    # Both clients' default node (keyless commands) is the same node.
    ours.set_default_node(ours.get_primaries()[0])
    name = ours.get_default_node().name
    theirs.set_default_node(theirs.get_node(node_name=name))
    try:
        yield ours, theirs
    finally:
        await ours.aclose()
        await theirs.aclose()


def same_node(theirs: Any, node: Any) -> Any:
    return theirs.get_node(node_name=node.name)


async def both(pair: tuple[RedisCluster, Any], call: Any) -> tuple[Any, Any]:
    """``call(client, node_of_that_client)`` on both clients; values or errors."""
    ours, theirs = pair
    node = ours.get_primaries()[1]
    results = []
    for client, target in ((ours, node), (theirs, same_node(theirs, node))):
        try:
            results.append(await call(client, target))
        except (RedisError, redispy_errors.RedisError) as exc:
            name = type(exc).__name__
            # aio's WRONGTYPE class is a ResponseError, which redis-py raises.
            name = "ResponseError" if name == "WrongTypeError" else name
            results.append((name, str(exc)))
    return results[0], results[1]


async def test_cluster_shards_and_slots(pair: tuple[RedisCluster, Any]) -> None:
    ours, theirs = await both(pair, lambda c, n: c.cluster_shards())
    assert ours == theirs
    assert len(ours) == 3
    assert all(isinstance(r, tuple) for s in ours for r in s["slots"])
    assert sorted(r for s in ours for r in s["slots"])[0][0] == 0
    ours, theirs = await both(pair, lambda c, n: c.cluster_shards(target_nodes=n))
    assert ours == theirs
    ours, theirs = await both(pair, lambda c, n: c.cluster_slots())
    assert ours == theirs and len(ours) == 3
    ours, theirs = await both(
        pair, lambda c, n: c.cluster_slots(target_nodes=c.ALL_NODES)
    )
    assert ours == theirs and len(ours) == 3


def _stable_info(info: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in info.items() if not k.startswith("cluster_stats_")}


def _stable_nodes(nodes: dict[str, Any]) -> dict[str, Any]:
    volatile = ("last_ping_sent", "last_pong_rcvd")
    return {
        address: {k: v for k, v in node.items() if k not in volatile}
        for address, node in nodes.items()
    }


async def test_cluster_info_nodes_links(pair: tuple[RedisCluster, Any]) -> None:
    ours, theirs = await both(pair, lambda c, n: c.cluster_info())
    assert _stable_info(ours) == _stable_info(theirs)
    assert ours["cluster_state"] == "ok" and ours.keys() == theirs.keys()
    ours, theirs = await both(pair, lambda c, n: c.cluster_info(target_nodes=n))
    assert _stable_info(ours) == _stable_info(theirs)
    ours, theirs = await both(pair, lambda c, n: c.cluster_nodes())
    assert _stable_nodes(ours) == _stable_nodes(theirs) and len(ours) == 3
    ours, theirs = await both(pair, lambda c, n: c.cluster_links(n))
    assert len(ours) == len(theirs) == 4  # to and from each of two peers
    for mine, other in zip(ours, theirs, strict=True):
        assert mine[0::2] == other[0::2]  # the field names, in order
        assert mine[:6] == other[:6]  # direction, node, create-time


async def test_cluster_ids_slots_and_keys(pair: tuple[RedisCluster, Any]) -> None:
    client = pair[0]
    tag = "{cmdkeys}"
    slot = client.keyslot(tag)
    await client.mset({f"{tag}{i}": i for i in range(3)})
    try:
        calls = [
            lambda c, n: c.cluster_myid(n),
            lambda c, n: c.cluster_keyslot(f"{tag}x"),
            # Routed to the slot's owner: any other node would count 0.
            lambda c, n: c.cluster_countkeysinslot(slot),
            lambda c, n: c.cluster_get_keys_in_slot(slot, 10),
            lambda c, n: c.readonly(target_nodes=n),
            lambda c, n: c.readwrite(),
            lambda c, n: c.cluster_save_config(target_nodes=n),
            lambda c, n: c.cluster_setslot_stable(slot),
            lambda c, n: c.cluster_myshardid(),  # Redis 7.2: refused by 7.0
            lambda c, n: c.cluster_addslots(n, 0),  # already served
            lambda c, n: c.cluster_set_config_epoch(1, target_nodes=n),
            lambda c, n: c.cluster_replicate(n, "0" * 40),
        ]
        for call in calls:
            ours, theirs = await both(pair, call)
            assert ours == theirs
        ours, _ = await both(pair, lambda c, n: c.cluster_countkeysinslot(slot))
        assert ours == 3
        node_id = await client.cluster_myid(client.get_primaries()[1])
        owner = client.get_node_from_key(tag)
        owner_id = await client.cluster_myid(owner)
        for call in (
            lambda c, n: c.cluster_count_failure_report(node_id),
            lambda c, n: c.cluster_replicas(node_id),
            # Gives the slot to its owner: a no-op that answers OK.
            lambda c, n: c.cluster_setslot(
                c.get_node_from_key(tag), owner_id, slot, "NODE"
            ),
        ):
            ours, theirs = await both(pair, call)
            assert ours == theirs
    finally:
        await client.delete(*(f"{tag}{i}" for i in range(3)))


async def test_readonly_switches_replica_reads(redis_cluster: Nodes) -> None:
    host, port = redis_cluster[0]
    async with RedisCluster(host=host, port=port) as rc:
        assert rc.read_from_replicas is False
        # Replies per node, as redis-py (no result callback for READONLY).
        replies = await rc.readonly(target_nodes=rc.ALL_NODES)
        assert replies == dict.fromkeys((n.name for n in rc.get_nodes()), True)
        assert rc.read_from_replicas is True
        assert await rc.readwrite() is True
        assert rc.read_from_replicas is False


def test_refused_in_cluster_mode() -> None:
    rc = RedisCluster(host="127.0.0.1", port=1)
    with pytest.raises(RedisClusterException, match="SWAPDB"):
        rc.swapdb(0, 1)


def test_retry_object_gives_the_retry_count() -> None:
    from aio.redis import Retry
    from aio.redis.backoff import NoBackoff

    rc = RedisCluster(host="127.0.0.1", port=1, retry=Retry(NoBackoff(), 7))
    assert rc.cluster_error_retry_attempts == 7
    rc.set_retry(Retry(NoBackoff(), 2))
    assert rc.cluster_error_retry_attempts == 2
    with pytest.warns(DeprecationWarning, match="cluster_error_retry_attempts"):
        fewer = RedisCluster(host="h", cluster_error_retry_attempts=4)
    assert fewer.retry.get_retries() == 4
