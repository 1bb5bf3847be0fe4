"""``RedisCluster.json()`` against redis-py's ``redis.asyncio.RedisCluster``.

The local cluster has no RedisJSON, so two scripted nodes
(:mod:`tests.redis.scripted_cluster`) answer as a two-shard cluster with the module:
``CLUSTER SLOTS``, and a ``COMMAND`` table with RedisJSON's key positions, which
is how both clients route a module command by its key. Every JSON call of
:mod:`tests.redis.scripted_json` runs on both clients; the same node must get
the same words, and the same value come back, on RESP2 and RESP3. Then what
redis-py's asyncio cluster cannot do: ``rc.json().pipeline()``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import RedisCluster
from aio.redis.cluster import key_slot
from aio.redis.commands.json import JSON
from aio.redis.commands.json._cluster import ClusterJSON, JSONClusterPipeline
from aio.redis.exceptions import RedisClusterException
from tests.redis import scripted_cluster as scripted
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_cluster import (
    KEY_A,
    KEY_B,
    ScriptedClusterNode,
    ScriptedNodes,
    received_by,
    script_both,
)
from tests.redis.scripted_json import CASES, Case
from tests.redis.scripted_server import OK, ScriptedServer, Simple

# The scripted cluster's fixtures, used here by name.
cluster, protocol, clusters = scripted.FIXTURES


async def outcome(
    nodes: tuple[ScriptedServer, ...], reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[tuple[int, list[bytes]]], str]:
    """(node index and words of what was sent, repr of the result or the
    error's class name; the deprecated aliases' warnings are let be)."""
    sent, shown, _ = await oracle.outcome(
        ScriptedNodes(nodes), [reply], functools.partial(fn, *args)
    )
    return sent, shown


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_json_routed_and_converted_as_redispy(
    case: Case,
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    results = {
        lib: await outcome(cluster, case.reply(protocol[2]), case.call, rc.json())
        for lib, rc in clusters.items()
    }
    if case.id == "debug-help":
        # JSON.DEBUG HELP has no key where the table puts one: aio refuses it
        # unsent ("Missing key"), redis-py fails on it with an IndexError.
        assert results["redis-py"] == ([], "raised IndexError")
        assert results["aio"] == ([], "raised RedisClusterException")
        return
    assert results["aio"] == results["redis-py"]
    sent, shown = results["aio"]
    if shown == "raised RedisClusterException":
        # Keys in several slots (JSON.MGET of d1, d2, none): refused unsent.
        assert sent == []
        return
    assert not shown.startswith("raised"), shown
    assert len(sent) == 1 and sent[0][1][0].startswith(b"JSON.")


@pytest.mark.parametrize(
    ("key", "node"), [(KEY_A, 0), (KEY_B, 1)], ids=["node-a", "node-b"]
)
async def test_each_command_goes_to_its_keys_node(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode], key: str, node: int
) -> None:
    assert (key_slot(key.encode()) < 8192) == (node == 0)
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        j = rc.json()
        assert isinstance(j, ClusterJSON)
        assert issubclass(ClusterJSON, JSON)
        calls: list[tuple[object, Callable[[], Any]]] = [
            (OK, lambda: j.set(key, "$", {"a": 1})),
            (b'[{"a":1}]', lambda: j.get(key, "$")),
            (1, lambda: j.delete(key, "$.a")),
            ([2], lambda: j.arrappend(key, "$.l", 1)),
            ([b"[1]"], lambda: j.mget([key, f"{key}:2{{{key[2]}}}"], "$")),
            (OK, lambda: j.mset([(key, "$", 1), (f"x{{{key[2]}}}", "$", 2)])),
            (72, lambda: j.debug("MEMORY", key)),
        ]
        for reply, call in calls:
            script_both(cluster, reply)
            await call()
            [(got, words)] = received_by(cluster)
            assert got == node, words


async def test_cross_slot_mget_is_refused_unsent(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        script_both(cluster)
        with pytest.raises(RedisClusterException, match="same key slot"):
            await rc.json().mget([KEY_A, KEY_B], "$")
        assert received_by(cluster) == []


async def test_pipeline_json_as_redispy(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    """``pipe.json()`` on a cluster pipeline: queued, sent per node."""
    numincr = b"3" if protocol[2] == 2 else [3]
    results = {}
    for lib, rc in clusters.items():
        pipe = rc.pipeline()
        j = pipe.json()
        assert j.set(KEY_A, "$", {"n": 1}) is pipe
        j.numincrby(KEY_A, ".n", 2)
        j.get(KEY_B, "$")
        pipe.exists(KEY_B)
        # Node A answers the first two, node B the last two.
        cluster[0].script(OK, numincr)
        cluster[1].script(b'[{"n":1}]', 1)
        results[lib] = (await pipe.execute(), received_by(cluster))
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values == [True, 3, [{"n": 1}], 1]
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"JSON.SET"),
        (0, b"JSON.NUMINCRBY"),
        (1, b"JSON.GET"),
        (1, b"EXISTS"),
    ]


async def test_json_object_pipeline_on_a_cluster(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    """``rc.json().pipeline()``: a cluster pipeline whose set/get/delete are the
    JSON commands, as redis-py's blocking cluster gives (redis.asyncio's fails:
    it builds a standalone pipeline on the cluster's missing pool)."""
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        made = rc.json().pipeline()
        assert isinstance(made, JSONClusterPipeline)
        assert not made.is_transaction
        pipe: Any = made
        pipe.set(KEY_A, "$", {"n": 7})
        pipe.get(KEY_B)
        pipe.delete(KEY_A, "$.n")
        pipe.type(KEY_B)
        cluster[0].script(OK, 1)
        cluster[1].script(b'{"n":7}', Simple("object"))
        assert await pipe.execute() == [True, {"n": 7}, 1, b"object"]
        assert [(i, c[0]) for i, c in received_by(cluster)] == [
            (0, b"JSON.SET"),
            (0, b"JSON.DEL"),
            (1, b"JSON.GET"),
            (1, b"JSON.TYPE"),
        ]
        # From a pipeline's json() too: a pipeline of the same cluster client.
        assert rc.pipeline().json().pipeline().cluster_client is rc
    theirs: Any = redispy.RedisCluster(host="127.0.0.1", port=cluster[0].port)
    _ = await theirs.initialize()
    with pytest.raises(AttributeError):
        theirs.json().pipeline()
    await theirs.aclose()


async def test_callbacks_registered_on_the_cluster_client(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port, protocol=2) as rc:
        assert "JSON.GET" not in rc.response_callbacks
        j = rc.json()
        assert rc.response_callbacks["JSON.GET"] is j._MODULE_CALLBACKS["JSON.GET"]
        # The pipeline's json() registers them on its client too.
        pipe = rc.pipeline()
        assert pipe.get_connection_kwargs() is rc.get_connection_kwargs()
        pj = pipe.json()
        assert rc.response_callbacks["JSON.GET"] is pj._MODULE_CALLBACKS["JSON.GET"]
