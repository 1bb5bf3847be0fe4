"""RedisBloom on ``RedisCluster`` against redis-py's ``redis.asyncio.RedisCluster``.

Two scripted nodes answer as a two-shard cluster whose ``COMMAND`` table lists
the RedisBloom commands with their key positions (first key 1, as RedisBloom
registers them), which is how redis-py routes a module command; aio routes by
the keys its commands name. Every single-key call of
:mod:`tests.redis.scripted_bloom` runs on both clients: the same node must get
the same words and the same value come back, on RESP2 and RESP3, also in a
cluster pipeline. The merges (several keys) are checked on the real cluster in
``tests/redis/test_bloom_cluster.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import RedisCluster
from aio.redis.cluster import key_slot
from tests.redis import scripted_cluster as scripted
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_bloom import CASES, Case, shown
from tests.redis.scripted_cluster import (
    KEY_A,
    KEY_B,
    ScriptedClusterNode,
    ScriptedNodes,
    command_entry,
    received_by,
    scripted_cluster,
)
from tests.redis.scripted_server import OK

SINGLE_KEY = [c for c in CASES if "merge" not in c.id]

#: ``COMMAND`` as a node with RedisBloom lists its commands (first key 1).
BLOOM_COMMANDS = [
    command_entry(f"{family}.{name}", -2, "write", 1, 1)
    for family, names in {
        "bf": "reserve add madd insert exists mexists scandump loadchunk info card",
        "cf": "reserve add addnx insert insertnx exists mexists del count scandump "
        "loadchunk info",
        "cms": "initbydim initbyprob incrby query info",
        "topk": "reserve add incrby query count list info",
        "tdigest": "create reset add cdf quantile min max info trimmed_mean rank "
        "revrank byrank byrevrank",
    }.items()
    for name in names.split()
]
Nodes = tuple[ScriptedClusterNode, ScriptedClusterNode]


@pytest.fixture(scope="module")
def cluster() -> Iterator[Nodes]:
    """The scripted cluster, with RedisBloom's ``COMMAND`` table."""
    with scripted_cluster(BLOOM_COMMANDS) as nodes:
        yield nodes


# The scripted cluster's other fixtures (protocol, clusters), used here by name.
protocol, clusters = scripted.protocol, scripted.clusters


async def outcome(
    nodes: Nodes, reply: object, fn: Callable[..., Any], obj: Any
) -> tuple[list[tuple[int, list[bytes]]], Any]:
    """(node index and words of what was sent, the result as shown() or the
    error's class name; topk().count's warning is let be)."""
    sent, seen, _ = await oracle.outcome(
        ScriptedNodes(nodes), [reply], functools.partial(fn, obj), show=shown
    )
    return sent, seen


@pytest.mark.parametrize("case", SINGLE_KEY, ids=[c.id for c in SINGLE_KEY])
async def test_routed_and_converted_as_redispy(
    case: Case,
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    results = {
        lib: await outcome(
            cluster, case.reply(protocol[2]), case.call, getattr(rc, case.family)()
        )
        for lib, rc in clusters.items()
    }
    assert results["aio"] == results["redis-py"]
    sent, seen = results["aio"]
    assert not str(seen).startswith("raised"), seen
    [(node, words)] = sent
    assert node == (0 if key_slot(words[1]) < 8192 else 1)


async def test_pipeline_as_redispy(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    """``pipe.bf()``... on a cluster pipeline: queued, sent per node."""
    quantiles = [b"1.5"] if protocol[2] == 2 else [1.5]
    results = {}
    for lib, rc in clusters.items():
        pipe = rc.pipeline()
        assert pipe.bf().add(KEY_A, "x") is pipe
        pipe.topk().list(KEY_A, withcount=True)
        pipe.tdigest().quantile(KEY_B, 0.5)
        pipe.cms().initbydim(KEY_B, 10, 2)
        cluster[0].script(1, [b"x", 2])
        cluster[1].script(quantiles, OK)
        results[lib] = (shown(await pipe.execute()), received_by(cluster))
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values == [1, ["x", 2], [1.5], True]
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"BF.ADD"),
        (0, b"TOPK.LIST"),
        (1, b"TDIGEST.QUANTILE"),
        (1, b"CMS.INITBYDIM"),
    ]


async def test_callbacks_registered_on_the_cluster_client(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    theirs: Any = redispy.RedisCluster(host="127.0.0.1", port=cluster[0].port)
    _ = await theirs.initialize()
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        for family in ("bf", "cf", "cms", "topk", "tdigest"):
            prefix = f"{family.upper()}."
            getattr(rc.pipeline(), family)()  # a pipeline's registers on rc
            getattr(theirs, family)()
            ours = {n for n in rc.response_callbacks if str(n).startswith(prefix)}
            assert ours == {
                n for n in theirs.response_callbacks if str(n).startswith(prefix)
            }
    await theirs.aclose()
