"""The blocking ``rc.ts()`` on ``sync_shims.redis.RedisCluster``: each keyed
command goes to its keys' node (the node counting the unknown-command error of
the module-less test cluster is the one that ran it), label-selected ones to
the default node; ``pipe.ts()`` queues and ``rc.ts().pipeline()`` is a blocking
cluster pipeline with the TS commands. See tests/redis/test_timeseries_cluster.py
for why redis-py cannot be the oracle here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

import sync_shims.redis as shim
from aio.redis.exceptions import ResponseError
from sync_shims.redis.cluster import RedisCluster
from sync_shims.redis.commands.timeseries import (
    ClusterTimeSeries,
    TimeSeriesClusterPipeline,
)

Nodes = list[tuple[str, int]]


@pytest.fixture
def rc(redis_cluster: Nodes) -> Iterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(host=host, port=port)
    try:
        yield client
    finally:
        client.close()


@pytest.fixture
def admin(redis_cluster: Nodes) -> Iterator[dict[str, shim.Redis]]:
    clients = {f"{h}:{p}": shim.Redis(host=h, port=p) for h, p in redis_cluster}
    try:
        yield clients
    finally:
        for client in clients.values():
            client.close()


def _errors_by_node(admin: dict[str, shim.Redis]) -> dict[str, int]:
    counts = {}
    for name, client in admin.items():
        stats = client.info("errorstats")
        counts[name] = int(stats.get("errorstat_ERR", {}).get("count", 0))
    return counts


def _nodes_that_ran(admin: dict[str, shim.Redis], call: Callable[[], Any]) -> list[str]:
    before = _errors_by_node(admin)
    with pytest.raises(ResponseError, match="unknown command"):
        call()
    after = _errors_by_node(admin)
    return [name for name in admin if after[name] > before[name]]


@pytest.mark.parametrize("key", ["alpha", "beta", "{sensor:7}.temp"])
def test_keyed_commands_go_to_their_keys_node(
    rc: RedisCluster, admin: dict[str, shim.Redis], key: str
) -> None:
    owner = rc.get_node_from_key(key)
    assert owner is not None
    ts = rc.ts()
    calls: list[Callable[[], Any]] = [
        lambda: ts.create(key),
        lambda: ts.add(key, 1, 2.5),
        lambda: ts.range(key, "-", "+"),
        lambda: ts.get(key),
        lambda: ts.info(key),
    ]
    for call in calls:
        assert _nodes_that_ran(admin, call) == [owner.name]


def test_label_selected_commands_go_to_the_default_node(
    rc: RedisCluster, admin: dict[str, shim.Redis]
) -> None:
    default = rc.get_default_node()
    assert default is not None
    ts = rc.ts()
    assert _nodes_that_ran(admin, lambda: ts.mget(["a=1"])) == [default.name]
    assert _nodes_that_ran(admin, lambda: ts.queryindex(["a=1"])) == [default.name]


def test_objects_and_pipelines(rc: RedisCluster) -> None:
    ts = rc.ts()
    assert isinstance(ts, ClusterTimeSeries)
    assert ts.client is rc
    assert "TS.RANGE" in rc.response_callbacks
    pipe = rc.pipeline()
    assert isinstance(pipe.ts(), ClusterTimeSeries)
    assert pipe.ts().add("alpha", 1, 1) is pipe
    assert pipe.ts().get("beta") is pipe
    replies = pipe.execute(raise_on_error=False)
    assert len(replies) == 2
    assert all(isinstance(r, ResponseError) for r in replies)
    tpipe = rc.ts().pipeline()
    assert isinstance(tpipe, TimeSeriesClusterPipeline)
    queued = [tpipe.get("gamma"), tpipe.delete("gamma", 0, 1)]
    assert all(one is tpipe for one in queued)
    replies = tpipe.execute(raise_on_error=False)
    assert len(replies) == 2
    assert all(isinstance(r, ResponseError) for r in replies)
