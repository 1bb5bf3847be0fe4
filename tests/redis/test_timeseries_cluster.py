"""RedisTimeSeries on ``RedisCluster``: each keyed command goes to the node of
its keys, the label-selected ones (TS.MGET, TS.MRANGE, TS.QUERYINDEX...) to the
default node.

The test cluster (``redis_cluster``: Redis 7.0, no modules) answers every TS
command with an unknown-command error, which the node counts in its
``errorstats``: the node that counted it is the one the command was sent to.
redis-py cannot be the oracle here: it routes module commands by the server's
``COMMAND`` table, which without the module has no entry for them; aio's TS
commands name their keys, so they route as redis-py does on a server with
RedisTimeSeries (whose key specs give the same keys).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

import pytest

from aio.redis import Redis
from aio.redis._cluster_slots import key_slot
from aio.redis.cluster import RedisCluster
from aio.redis.commands.timeseries import (
    ClusterPipeline,
    ClusterTimeSeries,
    TimeSeriesClusterPipeline,
)
from aio.redis.exceptions import RedisClusterException, ResponseError
from tests.redis import cluster_errorstats as errorstats
from tests.redis.cluster_errorstats import errors_by_node, nodes_that_ran, owner_of

# The cluster's errorstats fixtures, used here by name.
rc, admin = errorstats.FIXTURES


KEYS = ["alpha", "beta", "gamma", "{sensor:7}.temp", "delta"]


@pytest.mark.parametrize("key", KEYS)
async def test_each_keyed_command_goes_to_its_keys_node(
    rc: RedisCluster, admin: dict[str, Redis], key: str
) -> None:
    owner = owner_of(rc, key)
    ts = rc.ts()
    calls = [
        lambda: ts.create(key, labels={"a": "1"}),
        lambda: ts.alter(key, retention_msecs=1),
        lambda: ts.add(key, 1, 2.5),
        lambda: ts.madd([(key, 1, 1), (key, 2, 2)]),
        lambda: ts.incrby(key, 1),
        lambda: ts.decrby(key, 1, timestamp=5),
        lambda: ts.delete(key, 0, 10),
        lambda: ts.range(key, "-", "+"),
        lambda: ts.revrange(key, 0, 5, count=1),
        lambda: ts.read(key, 0),
        lambda: ts.nrange([key, key], "-", "+"),
        lambda: ts.nrevrange([key], "-", "+"),
        lambda: ts.get(key),
        lambda: ts.info(key),
    ]
    for call in calls:
        assert await nodes_that_ran(admin, call) == [owner]


async def test_rules_route_by_both_keys(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    owner = owner_of(rc, "{t}")
    ts = rc.ts()
    ran = await nodes_that_ran(admin, lambda: ts.createrule("{t}a", "{t}b", "avg", 10))
    assert ran == [owner]
    assert await nodes_that_ran(admin, lambda: ts.deleterule("{t}a", "{t}b")) == [owner]


async def test_keys_in_several_slots_are_refused_before_sending(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    assert key_slot(b"a") != key_slot(b"b")
    before = await errors_by_node(admin)
    ts = rc.ts()
    calls: list[Callable[[], Any]] = [
        lambda: ts.createrule("a", "b", "avg", 10),
        lambda: ts.madd([("a", 1, 1), ("b", 1, 1)]),
        lambda: ts.nrange(["a", "b"], 0, 1),
    ]
    for call in calls:
        with pytest.raises(RedisClusterException, match="same key slot"):
            await call()
    assert await errors_by_node(admin) == before


async def test_label_selected_commands_go_to_the_default_node(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    default = rc.get_default_node()
    assert default is not None
    ts = rc.ts()
    for call in (
        lambda: ts.mget(["a=1"]),
        lambda: ts.mrange("-", "+", ["a=1"]),
        lambda: ts.mrevrange("-", "+", ["a=1"], groupby="a", reduce="max"),
        lambda: ts.queryindex(["a=1"]),
        lambda: ts.querylabels(),
    ):
        assert await nodes_that_ran(admin, call) == [default.name]


async def test_objects_callbacks_and_pipelines(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    ts = rc.ts()
    assert isinstance(ts, ClusterTimeSeries)
    assert ts.client is cast(Any, rc)
    assert "TS.RANGE" in rc.response_callbacks
    assert "TS.INFO" in rc.response_callbacks
    # pipe.ts() queues on the cluster pipeline, each command to its node.
    pipe = rc.pipeline()
    assert isinstance(pipe.ts(), ClusterTimeSeries)
    for _ in range(2):  # the first run also connects (CLIENT SETINFO errors)
        assert pipe.ts().add("alpha", 1, 1) is pipe
        assert pipe.ts().get("beta") is pipe
        if not _:
            await pipe.execute(raise_on_error=False)
    before = await errors_by_node(admin)
    replies = await pipe.execute(raise_on_error=False)
    after = await errors_by_node(admin)
    assert all(isinstance(r, ResponseError) for r in replies)
    grown = {name: after[name] - before[name] for name in admin}
    expected: dict[str, int] = dict.fromkeys(admin, 0)
    for key in ("alpha", "beta"):
        expected[owner_of(rc, key)] += 1
    assert grown == expected
    # rc.ts().pipeline(): the TS commands in place of get/delete/info, never a
    # transaction (as redis-py's).
    tpipe = rc.ts().pipeline(transaction=True)
    assert isinstance(tpipe, TimeSeriesClusterPipeline)
    assert ClusterPipeline is TimeSeriesClusterPipeline
    assert not tpipe.is_transaction
    assert tpipe.cluster_client is rc
    assert pipe.ts().pipeline().cluster_client is rc
    tpipe.get("gamma")
    tpipe.delete("gamma", 0, 1)
    tpipe.info("gamma")
    stack: Any = tpipe.command_stack
    assert [c[0][0] for c in stack] == ["TS.GET", "TS.DEL", "TS.INFO"]
    replies = await tpipe.execute(raise_on_error=False)
    assert len(replies) == 3
    assert all(isinstance(r, ResponseError) for r in replies)
