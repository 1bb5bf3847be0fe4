"""``RedisCluster.vset()`` against redis-py's ``redis.asyncio.RedisCluster``, on
the scripted two-shard cluster of :mod:`tests.redis.scripted_cluster` (whose
``COMMAND`` lists the vector-set commands, as a Redis 8 node does; redis-py
routes by it, aio by the key each command names).

Every call of :mod:`tests.redis.scripted_vectorset` runs on both clients: the
same node must get the same words and the same value come back, on RESP2 and
RESP3; pipelines too. Routing by key also holds where the nodes' ``COMMAND``
does not list the commands (Redis before 8), which redis-py refuses.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy
from redis.commands.vectorset.commands import (
    QuantizationOptions as TheirQuantization,
)

from aio.redis import RedisCluster
from aio.redis.commands.vectorset import QuantizationOptions, VectorSet
from tests.redis import scripted_cluster as scripted
from tests.redis.scripted_cluster import (
    KEY_A,
    KEY_B,
    ScriptedClusterNode,
    received_by,
    script_both,
    scripted_cluster,
)
from tests.redis.scripted_vectorset import CASES, Case

QUANTIZATION = {"aio": QuantizationOptions, "redis-py": TheirQuantization}
Nodes = tuple[ScriptedClusterNode, ScriptedClusterNode]

# The scripted cluster's fixtures, used here by name.
cluster, protocol, clusters = scripted.FIXTURES


def vset_of(lib: str, client: Any) -> Any:
    vs = client.vset()
    vs.Q = QUANTIZATION[lib]
    return vs


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_vset_routed_and_converted_as_redispy(
    case: Case,
    cluster: Nodes,
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    results = {}
    for lib, rc in clusters.items():
        script_both(cluster, case.reply(protocol[2]))
        result = case.call(vset_of(lib, rc))
        if inspect.isawaitable(result):
            result = await result
        results[lib] = (received_by(cluster), repr(result))
    assert results["aio"] == results["redis-py"]
    [(_, words)] = results["aio"][0]
    assert words[0].startswith(b"V")


@pytest.mark.parametrize(("key", "node"), [(KEY_A, 0), (KEY_B, 1)])
async def test_each_command_goes_to_its_keys_node(
    cluster: Nodes, key: str, node: int
) -> None:
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        vs = rc.vset()
        assert isinstance(vs, VectorSet)
        assert vs.client is rc
        calls: list[Callable[[], Any]] = [
            lambda: vs.vadd(key, [1.0], "a"),
            lambda: vs.vsim(key, "a", with_scores=True),
            lambda: vs.vemb(key, "a", raw=True),
            lambda: vs.vinfo(key),
            lambda: vs.vrandmember(key, 2),
            lambda: vs.vrange(key, "-", "+"),
        ]
        for call in calls:
            script_both(cluster, None)
            await call()
            [(got, words)] = received_by(cluster)
            assert got == node, words


async def test_pipeline_vset_as_redispy(
    cluster: Nodes,
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    wire = protocol[2]
    results = {}
    for lib, rc in clusters.items():
        pipe = rc.pipeline()
        vs = pipe.vset()
        assert vs.vadd(KEY_A, [1.0, 2.0], "a") is pipe
        vs.vemb(KEY_A, "a")
        vs.vsim(KEY_B, "a", with_scores=True)
        vs.vcard(KEY_B)
        cluster[0].script(
            1 if wire == 2 else True, [b"1", b"2"] if wire == 2 else [1.0, 2.0]
        )
        cluster[1].script([b"a", b"0.5"] if wire == 2 else {b"a": 0.5}, 1)
        results[lib] = (await pipe.execute(), received_by(cluster))
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values[2] == {b"a": 0.5}
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"VADD"),
        (0, b"VEMB"),
        (1, b"VSIM"),
        (1, b"VCARD"),
    ]


async def test_routed_by_key_without_the_servers_command_table() -> None:
    """A node whose ``COMMAND`` does not list the vector-set commands (as
    Redis 7): aio still sends each to its key's node (it names its key);
    redis-py refuses them there (unknown to its command parser)."""
    with scripted_cluster(commands=[]) as (a, b):
        async with RedisCluster(host="127.0.0.1", port=a.port) as rc:
            for key, node in ((KEY_A, 0), (KEY_B, 1)):
                script_both((a, b), 3)
                assert await rc.vset().vcard(key) == 3
                assert received_by((a, b)) == [(node, [b"VCARD", key.encode()])]
        theirs = redispy.RedisCluster(host="127.0.0.1", port=a.port)
        _ = await theirs.initialize()
        with pytest.raises(redispy.RedisError, match="doesn't exist in Redis commands"):
            await theirs.vset().vcard(KEY_A)
        await theirs.aclose()
