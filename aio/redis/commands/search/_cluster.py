"""``rc.ft()`` on a :class:`~aio.redis.RedisCluster`: where each command goes.

The search commands are :class:`~aio.redis.commands.search.Search`'s; only their
routing is the cluster's concern, decided here as redis-py 8.1 decides it:

* the autocomplete commands (``FT.SUGADD``, ``FT.SUGGET``, ``FT.SUGDEL``,
  ``FT.SUGLEN``) name a key: they go to its node;
* ``FT.CURSOR`` goes to the node of the client's last ``FT.AGGREGATE`` (the
  cursor lives there), and without one raises ``RedisClusterException`` as
  redis-py does;
* every other command names an index, not a key: a keyless command, sent where
  the cluster sends keyless commands (its default node; redis-py picks a
  random primary each time). A RediSearch cluster answers for the whole index
  on any primary.

The node of the last ``FT.AGGREGATE`` is kept per cluster client (as redis-py
keeps it on the client), so ``rc.ft().aggregate(result.cursor)`` finds it from
another ``rc.ft()`` object too.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.search._client import Search
from aio.redis.exceptions import RedisClusterException

if TYPE_CHECKING:
    from aio.redis.cluster import ClusterNode, RedisCluster

__all__ = ("ClusterSearch",)

_KEYED = frozenset({"FT.SUGADD", "FT.SUGGET", "FT.SUGDEL", "FT.SUGLEN"})

# Cluster client -> the node its last FT.AGGREGATE ran on.
_AGGREGATE_NODES: weakref.WeakKeyDictionary[Any, ClusterNode] = (
    weakref.WeakKeyDictionary()
)


class ClusterSearch(Search):
    """The search commands of one index on a cluster client (``rc.ft()``).

    :param client: a :class:`~aio.redis.RedisCluster`.
    :param index_name: the index (``"idx"`` by default).

    .. versionadded:: 0.1
    """

    client: RedisCluster

    def __init__(self, client: RedisCluster, index_name: str = "idx") -> None:
        super().__init__(cast(Any, client), index_name)
        self.execute_command = self._routed

    async def _routed(self, *args: Any, **options: Any) -> Any:
        client = self.client
        name = str(args[0]).upper()
        if name in _KEYED and len(args) > 1:
            options.setdefault("keys", [args[1]])
        elif name == "FT.AGGREGATE":
            _ = await client.initialize()
            options.setdefault("target_nodes", client.get_default_node())
            _AGGREGATE_NODES[client] = options["target_nodes"]
        elif name == "FT.CURSOR":
            last = _AGGREGATE_NODES.get(client)
            if last is None:
                raise RedisClusterException(
                    "Cannot execute FT.CURSOR commands without FT.AGGREGATE"
                )
            options.setdefault("target_nodes", last)
        return await client.execute_command(*args, **options)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Any:
        """Not on a cluster: redis-py's fails too (it looks for the client's
        connection pool). Queue search commands on ``rc.pipeline().ft()``.

        :raises RedisClusterException: always.
        """
        raise RedisClusterException(
            "r.ft().pipeline() is not supported on a cluster: use rc.pipeline().ft()"
        )
