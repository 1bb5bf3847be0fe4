"""RedisBloom on ``RedisCluster``: each command goes to the node of its key.

The test cluster (``redis_cluster``: Redis 7.0, no modules) answers every
RedisBloom command with an unknown-command error, which the node counts in its
``errorstats``: the node that counted it is the one the command was sent to.
redis-py cannot be the oracle here: it routes module commands by the server's
``COMMAND`` table, which without the module has no entry for them (it raises
``RedisError: ... doesn't exist in Redis commands`` before sending); aio's
commands name their keys, so they route as redis-py does on a server with
RedisBloom (whose key specs give the same first key).
"""

from __future__ import annotations

import pytest

from aio.redis import Redis
from aio.redis._cluster_slots import key_slot
from aio.redis.cluster import RedisCluster
from aio.redis.commands.bf import BFBloom, TDigestBloom
from aio.redis.exceptions import RedisClusterException, ResponseError
from tests.redis import cluster_errorstats as errorstats
from tests.redis.cluster_errorstats import errors_by_node, nodes_that_ran, owner_of

# The cluster's errorstats fixtures, used here by name.
rc, admin = errorstats.FIXTURES


KEYS = ["alpha", "beta", "gamma", "{user:7}.seen", "delta", "epsilon"]


@pytest.mark.parametrize("key", KEYS)
async def test_each_command_goes_to_its_keys_node(
    rc: RedisCluster, admin: dict[str, Redis], key: str
) -> None:
    owner = owner_of(rc, key)
    calls = [
        lambda: rc.bf().add(key, "x"),
        lambda: rc.cf().insertnx(key, ["x"], capacity=10),
        lambda: rc.cms().query(key, "x"),
        lambda: rc.topk().list(key, withcount=True),
        lambda: rc.tdigest().quantile(key, 0.5),
    ]
    for call in calls:
        assert await nodes_that_ran(admin, call) == [owner]


async def test_merges_route_by_all_their_keys(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    dest, sources = "{m}dest", ["{m}a", "{m}b"]
    owner = owner_of(rc, "{m}")
    ran = await nodes_that_ran(admin, lambda: rc.cms().merge(dest, 2, sources))
    assert ran == [owner]
    ran = await nodes_that_ran(
        admin, lambda: rc.tdigest().merge(dest, 2, *sources, override=True)
    )
    assert ran == [owner]


async def test_keys_in_several_slots_are_refused_before_sending(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    assert key_slot("a") != key_slot("b")
    before = await errors_by_node(admin)
    with pytest.raises(RedisClusterException, match="same key slot"):
        await rc.cms().merge("a", 1, ["b"])
    with pytest.raises(RedisClusterException, match="same key slot"):
        await rc.tdigest().merge("a", 1, "b")
    assert await errors_by_node(admin) == before


async def test_objects_and_callbacks_on_the_cluster(rc: RedisCluster) -> None:
    b = rc.bf()
    assert isinstance(b, BFBloom)
    assert b.client is rc
    assert isinstance(rc.tdigest(), TDigestBloom)
    # RESP3, the default: the t-digest lists pass through, as redis-py's.
    assert "BF.INFO" in rc.response_callbacks
    assert "TDIGEST.MIN" in rc.response_callbacks
    assert "TDIGEST.QUANTILE" not in rc.response_callbacks


async def test_cluster_pipeline_queues_and_routes(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    keys = ["alpha", "beta", "gamma"]
    owners = sorted({owner_of(rc, key) for key in keys})
    assert len(owners) > 1  # the keys span nodes
    pipe = rc.pipeline()
    b = pipe.bf()
    assert b.client is pipe and b.add(keys[0], "x") is pipe
    pipe.cms().query(keys[1], "x")
    pipe.tdigest().min(keys[2])
    before = await errors_by_node(admin)
    results = await pipe.execute(raise_on_error=False)
    after = await errors_by_node(admin)
    assert [type(r) for r in results] == [ResponseError] * 3
    assert sorted(n for n in admin if after[n] > before[n]) == owners
    assert "BF.INFO" in rc.response_callbacks  # registered on the cluster client


async def test_cluster_transaction_in_one_slot(
    rc: RedisCluster, admin: dict[str, Redis]
) -> None:
    owner = owner_of(rc, "{tx}")
    pipe = rc.pipeline(transaction=True)
    pipe.topk().add("{tx}a", "x")
    pipe.cf().exists("{tx}b", "x")
    before = await errors_by_node(admin)
    with pytest.raises(ResponseError):
        await pipe.execute()
    after = await errors_by_node(admin)
    assert [n for n in admin if after[n] > before[n]] == [owner]
