"""The node accessors of :class:`~aio.redis.RedisCluster`, redis-py's: which nodes
there are, which one a key or keyless command goes to (the default node).

A mixin over the client's :class:`~aio.redis._cluster_slots.NodesManager`; the
routing itself (a command's keys, node flags, redirections) is the client's.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from aio.redis._cluster_slots import (
    PRIMARY,
    REPLICA,
    ClusterNode,
    NodesManager,
    encode_key,
    key_slot,
)
from aio.redis.exceptions import DataError, RedisClusterException, SlotNotCoveredError

if TYPE_CHECKING:
    from aio.redis._cluster_route import CommandInfo

__all__ = ("ClusterNodes",)


class ClusterNodes:
    """redis-py's node methods of a cluster client (``get_nodes()``,
    ``get_default_node()``, ``keyslot()``...)."""

    # Provided by the client class; declared for the type checker.
    nodes_manager: NodesManager
    encoding: str
    read_from_replicas: bool
    commands_info: CommandInfo

    def get_nodes(self) -> list[ClusterNode]:
        """Every known node."""
        return list(self.nodes_manager.nodes_cache.values())

    def get_primaries(self) -> list[ClusterNode]:
        """The primary nodes."""
        return self.nodes_manager.get_nodes_by_server_type(PRIMARY)

    def get_replicas(self) -> list[ClusterNode]:
        """The replica nodes."""
        return self.nodes_manager.get_nodes_by_server_type(REPLICA)

    def get_random_node(self) -> ClusterNode:
        """Any known node."""
        return random.choice(self.get_nodes())

    def get_default_node(self) -> ClusterNode:
        """The node keyless commands go to."""
        node = self.nodes_manager.default_node
        if node is None:
            raise RedisClusterException("The cluster client is not initialized")
        return node

    def set_default_node(self, node: ClusterNode | None) -> None:
        """Send keyless commands to ``node`` from now on (returns None, as
        redis-py's asyncio client; its blocking client returns True/False).

        :raises DataError: ``node`` is None or not a node of the cluster.
        """
        if node is None or node.name not in self.nodes_manager.nodes_cache:
            raise DataError("The requested node does not exist in the cluster.")
        self.nodes_manager.default_node = node

    def get_node(
        self,
        host: str | None = None,
        port: int | None = None,
        node_name: str | None = None,
    ) -> ClusterNode | None:
        """The node at ``host:port`` (or named ``"host:port"``), or None."""
        return self.nodes_manager.get_node(host, port, node_name)

    def keyslot(self, key: Any) -> int:
        """The slot of ``key`` (its ``{hash tag}`` only, when it has one)."""
        return key_slot(encode_key(key, self.encoding))

    def get_node_from_key(self, key: Any, replica: bool = False) -> ClusterNode | None:
        """The primary serving ``key`` (or one of its replicas, None if none)."""
        slot = self.keyslot(key)
        nodes = self.nodes_manager.slots_cache.get(slot)
        if not nodes:
            raise SlotNotCoveredError(f'Slot "{slot}" is not covered by the cluster.')
        if replica:
            return nodes[1] if len(nodes) > 1 else None
        return nodes[0]

    def replace_default_node(self, target_node: ClusterNode | None = None) -> None:
        """Make ``target_node`` the default node, else another primary (a
        replica when there is no other primary)."""
        if target_node is not None:
            self.nodes_manager.default_node = target_node
            return
        current = self.nodes_manager.default_node
        others = [n for n in self.get_primaries() if n != current]
        others = others or [n for n in self.get_replicas() if n != current]
        if others:
            self.nodes_manager.default_node = random.choice(others)

    def get_random_primary_node(self) -> ClusterNode:
        """Any primary."""
        return random.choice(self.get_primaries())

    def get_random_primary_or_all_nodes(self, command_name: str) -> ClusterNode:
        """Any node for a read-only command when reading from replicas, else any
        primary."""
        if self.read_from_replicas and self.commands_info.is_readonly((command_name,)):
            return self.get_random_node()
        return self.get_random_primary_node()
