"""Review findings on the cluster keyspace notifications: a subscription
cancelled while a node that just joined was being caught up must not leave that
node's pub/sub registered with only part of the subscriptions."""

from __future__ import annotations

from typing import Any, cast

import anyio
import pytest

from aio.redis import ConnectionPool
from aio.redis._pubsub import PubSub
from aio.redis.keyspace_notifications import AsyncClusterKeyspaceNotifications


class Node:
    """What the manager reads of a cluster node (never connected here)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.connection_pool = ConnectionPool(host="127.0.0.1", port=1)


class Cluster:
    """A cluster client whose primaries the test changes."""

    _initialized = True

    def __init__(self, nodes: list[Node]) -> None:
        self.nodes = nodes

    def get_primaries(self) -> list[Node]:
        return list(self.nodes)


async def test_a_cancelled_catch_up_of_a_new_node_is_done_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    nodes = [Node("a:1")]
    ksn = AsyncClusterKeyspaceNotifications(cast(Any, Cluster(nodes)))
    sent: dict[int, set[str]] = {}
    stuck: set[str] = set()

    async def subscribe_node(
        pubsub: PubSub, patterns: dict[str, Any], exact: dict[str, Any]
    ) -> None:
        if patterns or exact:
            if any(ksn._node_pubsubs.get(name) is pubsub for name in stuck):
                await anyio.sleep_forever()  # a node that does not answer
            sent.setdefault(id(pubsub), set()).update(patterns, exact)

    monkeypatch.setattr(ksn, "_subscribe_node", subscribe_node)
    await ksn.subscribe("__keyspace@0__:one")
    nodes.append(Node("b:2"))
    stuck.add("b:2")
    with anyio.move_on_after(0.1) as scope:
        await ksn.subscribe("__keyspace@0__:two")
    assert scope.cancelled_caught
    stuck.clear()
    await ksn.subscribe("__keyspace@0__:three")
    joined = ksn._node_pubsubs["b:2"]
    # The node that joined has what the others had, not only the last one.
    assert {"__keyspace@0__:one", "__keyspace@0__:three"} <= sent[id(joined)]
    await ksn.aclose()
