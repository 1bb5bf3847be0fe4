"""Re-authentication of a cluster client's node connections.

A :class:`~aio.redis.RedisCluster` given a
:class:`~aio.redis.credentials.StreamingCredentialProvider` re-authenticates
every node's connections with each token the provider pushes, through the
standalone client's machinery (:mod:`aio.redis._reauth`): idle connections
send AUTH at once, those in use when they come back to their node's pool.

The nodes are not known when the client is made (the slot map is read at
``initialize``) and change with each refresh of the map (a node learnt from
``CLUSTER SLOTS``, a redirection's target, a replica's read-only pool). So the
client does not subscribe pools: it subscribes a :class:`ClusterPools`, which
the subscription asks for the pools of the nodes known at each token. redis-py
does the same in its two ways: its asyncio cluster re-reads the nodes it knows
(idle connections only), its blocking one has each new node's pool subscribed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aio.redis._reauth import ReAuthSubscription, subscribe_source
from aio.redis.credentials import StreamingCredentialProvider

if TYPE_CHECKING:
    from aio.redis._cluster_slots import NodesManager
    from aio.redis._pool import ConnectionPool

__all__ = ("ClusterPools", "subscribe_cluster")


class ClusterPools:
    """The pools of the nodes one cluster client knows, read when asked.

    The client holds it; the subscription only weakly, so a client let go
    is no longer re-authenticated (nor kept alive by its provider).
    """

    __slots__ = ("__weakref__", "_manager")

    def __init__(self, manager: NodesManager) -> None:
        self._manager = manager

    def re_auth_pools(self) -> list[ConnectionPool]:
        """Each known node's pool: the startup nodes' (the map is read on
        their connections) and the map's, once each."""
        manager = self._manager
        nodes = [*manager.startup_nodes.values(), *manager.nodes_cache.values()]
        return list(dict.fromkeys(node.connection_pool for node in nodes))


def subscribe_cluster(
    manager: NodesManager, connection_kwargs: Mapping[str, Any]
) -> tuple[ReAuthSubscription, ClusterPools] | None:
    """Subscribe the re-authentication of ``manager``'s nodes to the
    streaming provider among ``connection_kwargs``, if there is one.

    :returns: the subscription and the source it reads the pools from (to
        be held by the client as long as it lives), or None.
    """
    provider = connection_kwargs.get("credential_provider")
    if not isinstance(provider, StreamingCredentialProvider):
        return None
    source = ClusterPools(manager)
    return subscribe_source(provider, source), source
