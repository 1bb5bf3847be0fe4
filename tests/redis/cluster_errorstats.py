"""Which node of the test cluster ran a command, told by its ``errorstats``.

The test cluster (``redis_cluster``: Redis 7.0, no modules) answers a module
command with an unknown-command error, which the node counts in its
``errorstats``: the node whose count grew is the one the command was sent to.
The module-command cluster tests check their routing that way.

The fixtures are used by name: a test module binds them as its own attributes
(``rc, admin = errorstats.FIXTURES``).

- ``rc``: an initialized :class:`~aio.redis.cluster.RedisCluster` on the cluster.
- ``admin``: one plain client per node (no routing), by node name.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from aio.redis import Redis
from aio.redis.cluster import RedisCluster
from aio.redis.exceptions import ResponseError

__all__ = ("FIXTURES", "admin", "errors_by_node", "nodes_that_ran", "owner_of", "rc")

Nodes = list[tuple[str, int]]


@pytest.fixture
async def rc(redis_cluster: Nodes) -> AsyncIterator[RedisCluster]:
    host, port = redis_cluster[0]
    client = RedisCluster(host=host, port=port)
    _ = await client.initialize()
    try:
        yield client
    finally:
        await client.aclose()


@pytest.fixture
async def admin(redis_cluster: Nodes) -> AsyncIterator[dict[str, Redis]]:
    """One plain client per node (no routing), by node name."""
    clients = {f"{h}:{p}": Redis(host=h, port=p) for h, p in redis_cluster}
    try:
        yield clients
    finally:
        for client in clients.values():
            await client.aclose()


#: The fixtures, for a test module to bind by their names.
FIXTURES = (rc, admin)


async def errors_by_node(admin: dict[str, Redis]) -> dict[str, int]:
    """How many ``ERR`` errors each node has counted."""
    counts = {}
    for name, client in admin.items():
        stats = await client.info("errorstats")
        counts[name] = int(stats.get("errorstat_ERR", {}).get("count", 0))
    return counts


async def nodes_that_ran(admin: dict[str, Redis], call: Callable[[], Any]) -> list[str]:
    """The nodes whose error count grew while ``call()`` failed."""
    before = await errors_by_node(admin)
    with pytest.raises(ResponseError, match="unknown command"):
        await call()
    after = await errors_by_node(admin)
    return [name for name in admin if after[name] > before[name]]


def owner_of(rc: RedisCluster, key: str) -> str:
    """The name of the node serving ``key``."""
    node = rc.get_node_from_key(key)
    assert node is not None
    return node.name
