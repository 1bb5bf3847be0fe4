"""The blocking ``RedisCluster.ft()`` against redis-py's blocking cluster, on
the scripted two-shard cluster of :mod:`tests.redis.test_search_cluster`."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterator
from typing import Any

import pytest
import redis

import sync_shims.redis as shim
from aio.redis.commands.search._cluster import ClusterSearch
from aio.redis.exceptions import RedisClusterException
from sync_shims.redis.commands.search import Search
from sync_shims.redis.commands.search.aggregation import AggregateRequest
from tests.redis.scripted_cluster import (
    KEY_B,
    ScriptedClusterNode,
    script_both,
    scripted_cluster,
)
from tests.redis.scripted_search import modules, shape
from tests.redis.test_search_cluster import CLUSTER_CASES, SEARCH_COMMANDS, sent


@pytest.fixture(scope="module")
def nodes() -> Iterator[tuple[ScriptedClusterNode, ScriptedClusterNode]]:
    with scripted_cluster(SEARCH_COMMANDS) as pair:
        yield pair


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def clusters(
    request: pytest.FixtureRequest,
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> Iterator[dict[str, Any]]:
    protocol = 2 if request.param == 2 else None
    made: dict[str, Any] = {
        "sync_shims": shim.RedisCluster(
            host="127.0.0.1", port=nodes[0].port, protocol=protocol
        ),
        "redis-py": redis.RedisCluster(
            host="127.0.0.1", port=nodes[0].port, protocol=protocol
        ),
    }
    made["wire"] = request.param
    yield made
    made["sync_shims"].close()
    made["redis-py"].close()


@pytest.mark.parametrize("case", CLUSTER_CASES, ids=[c.id for c in CLUSTER_CASES])
def test_cluster_command_and_reply_as_redispy(
    case: Any,
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
) -> None:
    results = {}
    for lib in ("sync_shims", "redis-py"):
        m = modules("sync_shims" if lib == "sync_shims" else "redis-py")
        call = functools.partial(case.call, clusters[lib].ft(), m)
        script_both(nodes, *case.replies(clusters["wire"]))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                shown = shape(call())
            except Exception as exc:  # compared by class and text
                shown = f"raised {type(exc).__name__}: {exc}"
        results[lib] = (
            sent(nodes),
            shown,
            sorted({w.category.__name__ for w in caught}),
        )
    assert results["sync_shims"] == results["redis-py"]


def test_cluster_search_object(
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode], clusters: dict[str, Any]
) -> None:
    rc = clusters["sync_shims"]
    s = rc.ft("books")
    assert isinstance(s, Search) and isinstance(s._async, ClusterSearch)
    assert s.index_name == "books" and s.client is rc
    agg = [[1, [b"n", b"1"]], 42] if clusters["wire"] == 2 else [
        {"total_results": 1, "results": [{"extra_attributes": {"n": b"1"}}]}, 42
    ]  # fmt: skip
    script_both(nodes, agg)
    result = s.aggregate(AggregateRequest("*").cursor())
    assert result.cursor.cid == 42
    with pytest.raises(RedisClusterException):
        s.pipeline()
    pipe: Any = clusters["sync_shims"].pipeline()
    assert pipe.ft().suglen(KEY_B) is pipe
    script_both(nodes, 2)
    assert pipe.execute() == [2]
