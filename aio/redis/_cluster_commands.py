"""CLUSTER commands of :class:`~aio.redis.RedisCluster`, and their reply converters.

The methods mirror redis-py 8.1's ``ClusterManagementCommands``: same names,
arguments and routing (``target_node``/``target_nodes`` where redis-py takes one;
the slot's owner for the commands that name a slot; else the default node).
Replies have redis-py's RESP2 ("legacy") shapes on both protocols, as every
command of :mod:`aio.redis.commands` does: ``cluster_info()`` a dict of strings,
``cluster_nodes()`` a dict by address, ``cluster_slots()`` a dict by slot range,
``cluster_shards()`` a list of ``{"slots": [(start, end), ...], "nodes": [{...}]}``
(node fields keyed by bytes, or str with ``decode_responses``), ``cluster_links()``
flat ``[key, value, ...]`` lists.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from aio.redis._types import EncodableT, KeyT, ResponseT
from aio.redis.commands._convert import bool_ok
from aio.redis.exceptions import RedisClusterException, RedisError

__all__ = (
    "CLUSTER_RESPONSE_CALLBACKS",
    "ClusterCommands",
    "parse_cluster_info",
    "parse_cluster_links",
    "parse_cluster_nodes",
    "parse_cluster_shards",
    "parse_cluster_slots",
)

#: What ``target_node(s)=`` accepts: a node, a list or dict of nodes, or a flag
#: (``RedisCluster.PRIMARIES``...).
TargetNodesT = Any


def _text(value: Any) -> str:
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


def parse_cluster_info(response: Any, **options: Any) -> dict[str, str]:
    """``CLUSTER INFO``'s ``key:value`` lines as a dict of strings."""
    return dict(
        line.split(":", 1) for line in _text(response).splitlines() if ":" in line
    )


def _parse_slot_words(words: list[str]) -> tuple[list[list[str]], list[dict[str, str]]]:
    slots: list[list[str]] = []
    migrations: list[dict[str, str]] = []
    for word in words:
        if "->-" in word:  # [slot->-node]: migrating to node
            slot, node_id = word[1:-1].split("->-", 1)
            migrations.append({"slot": slot, "node_id": node_id, "state": "migrating"})
        elif "-<-" in word:  # [slot-<-node]: importing from node
            slot, node_id = word[1:-1].split("-<-", 1)
            migrations.append({"slot": slot, "node_id": node_id, "state": "importing"})
        else:
            slots.append(word.split("-"))
    return slots, migrations


def _parse_node_line(line: str) -> tuple[str, dict[str, Any]]:
    words = line.split(" ")
    node_id, address, flags, master_id, ping, pong, epoch, link = words[:8]
    # ip:port@cport[,hostname]
    bus = address.split("@", 1)
    hostname = bus[1].split(",")[1] if len(bus) > 1 and "," in bus[1] else ""
    slots, migrations = _parse_slot_words(words[8:])
    return bus[0], {
        "node_id": node_id,
        "hostname": hostname,
        "flags": flags,
        "master_id": master_id,
        "last_ping_sent": ping,
        "last_pong_rcvd": pong,
        "epoch": epoch,
        "slots": slots,
        "migrations": migrations,
        "connected": link == "connected",
    }


def parse_cluster_nodes(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """``CLUSTER NODES`` (one text) or ``CLUSTER REPLICAS`` (a list of lines) as a
    dict keyed by ``ip:port``."""
    lines = (
        _text(response).splitlines()
        if isinstance(response, str | bytes)
        else [_text(line) for line in response]
    )
    return dict(_parse_node_line(line) for line in lines if line)


def parse_cluster_slots(
    response: Any, **options: Any
) -> dict[tuple[int, int], dict[str, Any]]:
    """``CLUSTER SLOTS`` as ``{(start, end): {"primary": (host, port),
    "replicas": [(host, port), ...]}}`` (an empty host is the node asked)."""
    current_host = options.get("current_host", "")

    def server(entry: Any) -> tuple[str, Any]:
        return _text(entry[0]) or current_host, entry[1]

    return {
        (item[0], item[1]): {
            "primary": server(item[2]),
            "replicas": [server(entry) for entry in item[3:]],
        }
        for item in response
    }


def _pairs(value: Any) -> list[Any]:
    # A RESP3 map arrives as a dict; RESP2 sends the same as a flat list.
    if isinstance(value, dict):
        return [item for pair in value.items() for item in pair]
    return list(value)


def _field(shard: Any, name: str) -> Any:
    if isinstance(shard, dict):
        for key, value in shard.items():
            if _text(key) == name:
                return value
        return []
    words = list(shard)
    for i in range(0, len(words) - 1, 2):
        if _text(words[i]) == name:
            return words[i + 1]
    return []


def parse_cluster_shards(response: Any, **options: Any) -> list[dict[str, Any]]:
    """``CLUSTER SHARDS`` as ``[{"slots": [(start, end), ...], "nodes": [{field:
    value}, ...]}]``, the shape redis-py gives on RESP2 (field names stay as the
    connection decodes them)."""
    shards = []
    for shard in response:
        bounds = list(_field(shard, "slots"))
        nodes = []
        for node in _field(shard, "nodes"):
            words = _pairs(node)
            nodes.append({words[i]: words[i + 1] for i in range(0, len(words), 2)})
        shards.append(
            {
                "slots": [(bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)],
                "nodes": nodes,
            }
        )
    return shards


def parse_cluster_links(response: Any, **options: Any) -> Any:
    """``CLUSTER LINKS`` as flat ``[field, value, ...]`` lists (RESP2's shape)."""
    if response is None:
        return None
    return [_pairs(link) for link in response]


def parse_cluster_myshardid(response: Any, **options: Any) -> str:
    """``CLUSTER MYSHARDID`` as text."""
    return _text(response)


def _text_list(response: Any, **options: Any) -> list[str]:
    return [_text(item) for item in response]


CLUSTER_RESPONSE_CALLBACKS: dict[str, Callable[..., Any]] = {
    **dict.fromkeys(
        (
            "CLUSTER ADDSLOTS",
            "CLUSTER ADDSLOTSRANGE",
            "CLUSTER DELSLOTS",
            "CLUSTER DELSLOTSRANGE",
            "CLUSTER FAILOVER",
            "CLUSTER FORGET",
            "CLUSTER MEET",
            "CLUSTER REPLICATE",
            "CLUSTER RESET",
            "CLUSTER SAVECONFIG",
            "CLUSTER SET-CONFIG-EPOCH",
            "CLUSTER SETSLOT",
        ),
        bool_ok,
    ),
    "CLUSTER INFO": parse_cluster_info,
    "CLUSTER NODES": parse_cluster_nodes,
    "CLUSTER REPLICAS": parse_cluster_nodes,
    "CLUSTER SLAVES": parse_cluster_nodes,
    "CLUSTER SLOTS": parse_cluster_slots,
    "CLUSTER SHARDS": parse_cluster_shards,
    "CLUSTER LINKS": parse_cluster_links,
    "CLUSTER MYSHARDID": parse_cluster_myshardid,
    "CLUSTER GETKEYSINSLOT": _text_list,
}


class ClusterCommands:
    """redis-py's cluster management commands (``cluster_*``, ``readonly``...)."""

    # Provided by the client class; declared for the type checker.
    execute_command: Callable[..., Any]
    client_tracking: Callable[..., Any]
    read_from_replicas: bool

    def slaveof(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not in cluster mode (the cluster manages replication)."""
        raise RedisClusterException("SLAVEOF is not supported in cluster mode")

    def replicaof(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not in cluster mode (the cluster manages replication)."""
        raise RedisClusterException("REPLICAOF is not supported in cluster mode")

    def swapdb(self, *args: Any, **kwargs: Any) -> NoReturn:
        """Not in cluster mode (a cluster has one database)."""
        raise RedisClusterException("SWAPDB is not supported in cluster mode")

    def cluster_myid(self, target_node: TargetNodesT) -> ResponseT:
        """The ID of ``target_node``."""
        return self.execute_command("CLUSTER MYID", target_nodes=target_node)

    def cluster_addslots(
        self, target_node: TargetNodesT, *slots: EncodableT
    ) -> ResponseT:
        """Assign ``slots`` to ``target_node``; True."""
        return self.execute_command(
            "CLUSTER ADDSLOTS", *slots, target_nodes=target_node
        )

    def cluster_addslotsrange(
        self, target_node: TargetNodesT, *slots: EncodableT
    ) -> ResponseT:
        """Assign slot ranges (``start, end, start, end...``) to ``target_node``."""
        return self.execute_command(
            "CLUSTER ADDSLOTSRANGE", *slots, target_nodes=target_node
        )

    def cluster_countkeysinslot(self, slot_id: int) -> ResponseT:
        """How many keys ``slot_id`` holds (asked of the slot's owner)."""
        return self.execute_command("CLUSTER COUNTKEYSINSLOT", slot_id)

    def cluster_count_failure_report(self, node_id: str) -> ResponseT:
        """How many failure reports are active for node ``node_id``."""
        return self.execute_command("CLUSTER COUNT-FAILURE-REPORTS", node_id)

    async def cluster_delslots(self, *slots: EncodableT) -> list[bool]:
        """Unassign ``slots``, each on its owner; one result per slot."""
        return list(
            await asyncio.gather(
                *(self.execute_command("CLUSTER DELSLOTS", slot) for slot in slots)
            )
        )

    def cluster_delslotsrange(self, *slots: EncodableT) -> ResponseT:
        """Unassign slot ranges (``start, end, ...``; routed by the first slot)."""
        return self.execute_command("CLUSTER DELSLOTSRANGE", *slots)

    def cluster_failover(
        self, target_node: TargetNodesT, option: str | None = None
    ) -> ResponseT:
        """Make the replica ``target_node`` take over its primary (``option``:
        ``FORCE`` or ``TAKEOVER``).

        :raises RedisError: another option.
        """
        if not option:
            return self.execute_command("CLUSTER FAILOVER", target_nodes=target_node)
        if option.upper() not in ("FORCE", "TAKEOVER"):
            raise RedisError(f"Invalid option for CLUSTER FAILOVER command: {option}")
        return self.execute_command(
            "CLUSTER FAILOVER", option, target_nodes=target_node
        )

    def cluster_info(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """The cluster state as a node sees it (a dict of strings)."""
        return self.execute_command("CLUSTER INFO", target_nodes=target_nodes)

    def cluster_keyslot(self, key: str) -> ResponseT:
        """The slot of ``key``, as the server computes it."""
        return self.execute_command("CLUSTER KEYSLOT", key)

    def cluster_meet(
        self, host: str, port: int, target_nodes: TargetNodesT | None = None
    ) -> ResponseT:
        """Make a node handshake with ``host:port``; True."""
        return self.execute_command(
            "CLUSTER MEET", host, port, target_nodes=target_nodes
        )

    def cluster_nodes(self) -> ResponseT:
        """The cluster's nodes as a node sees them, keyed by ``ip:port``."""
        return self.execute_command("CLUSTER NODES")

    def cluster_replicate(self, target_nodes: TargetNodesT, node_id: str) -> ResponseT:
        """Make ``target_nodes`` replicas of the primary ``node_id``."""
        return self.execute_command(
            "CLUSTER REPLICATE", node_id, target_nodes=target_nodes
        )

    def cluster_reset(
        self, soft: bool = True, target_nodes: TargetNodesT | None = None
    ) -> ResponseT:
        """Reset a node (``SOFT``, or ``HARD`` with ``soft=False``)."""
        return self.execute_command(
            "CLUSTER RESET", b"SOFT" if soft else b"HARD", target_nodes=target_nodes
        )

    def cluster_save_config(
        self, target_nodes: TargetNodesT | None = None
    ) -> ResponseT:
        """Make a node save its cluster configuration; True."""
        return self.execute_command("CLUSTER SAVECONFIG", target_nodes=target_nodes)

    def cluster_get_keys_in_slot(self, slot: int, num_keys: int) -> ResponseT:
        """Up to ``num_keys`` keys of ``slot`` (asked of its owner), as text."""
        return self.execute_command("CLUSTER GETKEYSINSLOT", slot, num_keys)

    def cluster_set_config_epoch(
        self, epoch: int, target_nodes: TargetNodesT | None = None
    ) -> ResponseT:
        """Set the configuration epoch of a new node."""
        return self.execute_command(
            "CLUSTER SET-CONFIG-EPOCH", epoch, target_nodes=target_nodes
        )

    def cluster_setslot(
        self, target_node: TargetNodesT, node_id: str, slot_id: int, state: str
    ) -> ResponseT:
        """``CLUSTER SETSLOT slot IMPORTING|MIGRATING|NODE node_id`` on
        ``target_node``.

        :raises RedisError: ``STABLE`` (use :meth:`cluster_setslot_stable`) or an
            unknown state.
        """
        if state.upper() in ("IMPORTING", "NODE", "MIGRATING"):
            return self.execute_command(
                "CLUSTER SETSLOT", slot_id, state, node_id, target_nodes=target_node
            )
        if state.upper() == "STABLE":
            raise RedisError('For "stable" state please use cluster_setslot_stable')
        raise RedisError(f"Invalid slot state: {state}")

    def cluster_setslot_stable(self, slot_id: int) -> ResponseT:
        """Clear a slot's migrating/importing state (on the slot's owner)."""
        return self.execute_command("CLUSTER SETSLOT", slot_id, "STABLE")

    def cluster_replicas(
        self, node_id: str, target_nodes: TargetNodesT | None = None
    ) -> ResponseT:
        """The replicas of the primary ``node_id``, keyed by ``ip:port``."""
        return self.execute_command(
            "CLUSTER REPLICAS", node_id, target_nodes=target_nodes
        )

    def cluster_slots(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """The slot map: ``{(start, end): {"primary": ..., "replicas": [...]}}``."""
        return self.execute_command("CLUSTER SLOTS", target_nodes=target_nodes)

    def cluster_shards(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """The shards: slot ranges and nodes (``CLUSTER SHARDS``, Redis 7)."""
        return self.execute_command("CLUSTER SHARDS", target_nodes=target_nodes)

    def cluster_myshardid(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """The shard ID of a node (Redis 7.2)."""
        return self.execute_command("CLUSTER MYSHARDID", target_nodes=target_nodes)

    def cluster_links(self, target_node: TargetNodesT) -> ResponseT:
        """The cluster-bus links of ``target_node`` (flat field/value lists)."""
        return self.execute_command("CLUSTER LINKS", target_nodes=target_node)

    def cluster_flushslots(self, target_nodes: TargetNodesT | None = None) -> NoReturn:
        """Not provided, as in redis-py."""
        raise NotImplementedError(
            "CLUSTER FLUSHSLOTS is intentionally not implemented in the client."
        )

    def cluster_bumpepoch(self, target_nodes: TargetNodesT | None = None) -> NoReturn:
        """Not provided, as in redis-py."""
        raise NotImplementedError(
            "CLUSTER BUMPEPOCH is intentionally not implemented in the client."
        )

    def readonly(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """READONLY (reads on replicas); sent to ``REPLICAS`` or ``ALL_NODES`` it
        also turns ``read_from_replicas`` on."""
        if target_nodes in ("replicas", "all"):
            self.read_from_replicas = True
        return self.execute_command("READONLY", target_nodes=target_nodes)

    def readwrite(self, target_nodes: TargetNodesT | None = None) -> ResponseT:
        """READWRITE; turns ``read_from_replicas`` off."""
        self.read_from_replicas = False
        return self.execute_command("READWRITE", target_nodes=target_nodes)

    def client_tracking_on(
        self,
        clientid: int | None = None,
        prefix: Sequence[KeyT] = (),
        bcast: bool = False,
        optin: bool = False,
        optout: bool = False,
        noloop: bool = False,
        target_nodes: TargetNodesT | None = "all",
    ) -> ResponseT:
        """CLIENT TRACKING ON, on every node unless ``target_nodes`` says
        otherwise (with ``clientid``: the node of that client), as redis-py's."""
        return self.client_tracking(
            True, clientid, prefix, bcast, optin, optout, noloop,
            target_nodes=target_nodes,
        )  # fmt: skip

    def client_tracking_off(
        self,
        clientid: int | None = None,
        prefix: Sequence[KeyT] = (),
        bcast: bool = False,
        optin: bool = False,
        optout: bool = False,
        noloop: bool = False,
        target_nodes: TargetNodesT | None = "all",
    ) -> ResponseT:
        """CLIENT TRACKING OFF, on every node unless ``target_nodes`` says
        otherwise, as redis-py's."""
        return self.client_tracking(
            False, clientid, prefix, bcast, optin, optout, noloop,
            target_nodes=target_nodes,
        )  # fmt: skip
