"""Redis Cluster topology: key slots, nodes, and the slot map.

A cluster splits the key space into 16384 slots; a key's slot is the CRC16
(XMODEM variant: polynomial 0x1021, initial value 0, no reflection) of the key
modulo 16384, where a key containing a non-empty ``{hash tag}`` is hashed on the
tag alone so that related keys can be kept together (Redis Cluster specification,
"Keys distribution model").

:class:`NodesManager` holds the slot map read from ``CLUSTER SLOTS``: for each slot
the primary first, then its replicas. The map is refreshed as a whole by
:meth:`NodesManager.initialize` and patched one slot at a time after a ``MOVED``
redirection, which is how the cluster tells a client that its map is stale.
"""

from __future__ import annotations

import logging
import random
from binascii import crc_hqx
from collections.abc import Callable, Iterable
from enum import Enum
from typing import Any

from aio.redis._connection import NEVER_DECODE, Connection
from aio.redis._core import EMPTY_RESPONSE
from aio.redis._pool import ConnectionPool
from aio.redis.exceptions import (
    RedisClusterException,
    RedisError,
    ResponseError,
    SlotNotCoveredError,
)
from aio.redis.himport import may_be_himport, parse_himport_set_args

__all__ = (
    "PRIMARY",
    "AddressRemap",
    "ClusterUnreachableError",
    "REDIS_CLUSTER_HASH_SLOTS",
    "REPLICA",
    "ClusterNode",
    "LoadBalancingStrategy",
    "NodesManager",
    "calling_on_connect",
    "convert_reply",
    "key_slot",
)

logger = logging.getLogger("aio.redis")

REDIS_CLUSTER_HASH_SLOTS = 16384
PRIMARY = "primary"
REPLICA = "replica"


class ClusterUnreachableError(RedisClusterException):
    """No known node answered with a usable slot map."""


def crc16(data: bytes | bytearray | memoryview) -> int:
    """CRC16/XMODEM of ``data`` (the checksum Redis Cluster hashes keys with).

    That is CRC-CCITT with polynomial 0x1021 and a zero start, which the standard
    library computes in C as ``binascii.crc_hqx``: every cluster command hashes
    its keys, so a table loop in Python would be paid per command.
    """
    return crc_hqx(data, 0)


def encode_key(key: Any, encoding: str = "utf-8") -> bytes:
    """The bytes of a key as they go on the wire (str encoded, numbers as text)."""
    if isinstance(key, bytes):
        return key
    if isinstance(key, str):
        return key.encode(encoding)
    if isinstance(key, bytearray | memoryview):
        return bytes(key)
    if isinstance(key, bool):
        raise RedisClusterException(f"Invalid key: {key!r} (a bool)")
    if isinstance(key, int | float):
        return repr(key).encode()
    raise RedisClusterException(f"Invalid key type: {type(key).__name__}")


def key_slot(key: Any, bucket: int = REDIS_CLUSTER_HASH_SLOTS) -> int:
    """The cluster slot of ``key``: CRC16 of the key (or of its ``{hash tag}``).

    :param key: bytes, str (UTF-8) or a number.
    """
    data = encode_key(key)
    start = data.find(b"{")
    if start > -1:
        end = data.find(b"}", start + 1)
        # An empty tag ("{}") does not count: the whole key is hashed.
        if end > start + 1:
            data = data[start + 1 : end]
    return crc16(data) % bucket


def node_name(host: str, port: int) -> str:
    """``host:port``, the identity of a node in the maps."""
    return f"{host}:{port}"


# Options that steer the cluster client, never given to a response callback.
CLIENT_OPTIONS = (NEVER_DECODE, "keys", "target_nodes", EMPTY_RESPONSE)


def convert_reply(
    callbacks: dict[str, Any],
    args: tuple[Any, ...],
    reply: Any,
    options: dict[str, Any],
) -> Any:
    """``reply`` through the response callback of command ``args[0]``, if any."""
    callback = callbacks.get(args[0])
    if callback is None and isinstance(args[0], str):
        callback = callbacks.get(args[0].upper())
    if callback is None:
        return reply
    kwargs = {k: v for k, v in options.items() if k not in CLIENT_OPTIONS}
    return callback(reply, **kwargs)


def calling_on_connect(
    connection_class: type[Connection], on_connect: Callable[[Connection], Any]
) -> type[Connection]:
    """A subclass of ``connection_class`` whose connections call ``on_connect``
    (sync or async) with themselves after each (re)connect: redis-py's
    ``redis_connect_func`` for the nodes of a cluster."""

    def __init__(self: Connection, **kwargs: Any) -> None:
        connection_class.__init__(self, **kwargs)
        self.register_connect_callback(on_connect)

    return type(connection_class.__name__, (connection_class,), {"__init__": __init__})


class ClusterNode:
    """One node of a cluster and the connection pool to it.

    :param host: address of the node (``localhost`` is taken as 127.0.0.1, the
        form the cluster reports).
    :param server_type: ``"primary"``, ``"replica"`` or ``None`` (not yet known).
    :param response_callbacks: the reply converters :meth:`execute_command`
        uses (a cluster client gives its own; default: none, raw replies).
    :param connection_kwargs: for the node's connections (password, protocol...),
        and ``connection_pool_class`` (default :class:`~aio.redis.ConnectionPool`).
    """

    def __init__(
        self,
        host: str,
        port: int | str,
        server_type: str | None = None,
        *,
        max_connections: int = 2**31,
        connection_class: type[Connection] = Connection,
        **connection_kwargs: Any,
    ) -> None:
        if host == "localhost":
            host = "127.0.0.1"
        self.host = host
        self.port = int(port)
        self.name = node_name(host, self.port)
        self.server_type = server_type
        self.max_connections = max_connections
        self.connection_class = connection_class
        self.response_callbacks: dict[str, Any] = connection_kwargs.pop(
            "response_callbacks", {}
        )
        self.connection_kwargs = connection_kwargs
        kwargs = {k: v for k, v in connection_kwargs.items() if k not in ("db",)}
        # redis-py's blocking cluster takes the nodes' pool class too (a
        # BlockingConnectionPool, with its ``timeout``).
        pool_class = kwargs.pop("connection_pool_class", None) or ConnectionPool
        self.connection_pool = pool_class(
            connection_class=connection_class,
            max_connections=max_connections,
            host=host,
            port=self.port,
            **kwargs,
        )

    def __repr__(self) -> str:
        return (
            f"[host={self.host}, port={self.port}, name={self.name}, "
            f"server_type={self.server_type}]"
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClusterNode) and other.name == self.name

    def __hash__(self) -> int:
        return hash(self.name)

    async def execute_raw(self, *args: Any, **options: Any) -> Any:
        """Send one command to this node and return the raw reply."""
        pool = self.connection_pool
        conn = await pool.get_connection()
        try:
            if may_be_himport(args[0]):
                # Its fieldset prepared on this connection first, as redis-py's.
                operands = parse_himport_set_args(args)
                if operands is not None:
                    return await conn.execute_himport_set(operands, options)
            return await conn.execute(args, options)
        finally:
            pool._release(conn)

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Send one command to this node (no routing, no redirection followed)
        and return its reply through the node's response callbacks, as
        redis-py's ``ClusterNode.execute_command``."""
        raw = await self.execute_raw(*args, **options)
        return convert_reply(self.response_callbacks, args, raw, options)

    def get_encoder(self) -> tuple[str, str, bool]:
        """``(encoding, errors, decode_responses)`` of the node's connections."""
        kw = self.connection_kwargs
        return (
            kw.get("encoding", "utf-8"),
            kw.get("encoding_errors", "strict"),
            bool(kw.get("decode_responses", False)),
        )

    async def disconnect(self) -> None:
        """Close the node's connections."""
        await self.connection_pool.disconnect()

    async def disconnect_free_connections(self) -> None:
        """Close the node's idle connections (those in use are left alone)."""
        await self.connection_pool.disconnect(inuse_connections=False)

    def update_active_connections_for_reconnect(self) -> None:
        """Mark the node's connections in use to reconnect when given back (the
        idle ones are left alone), as redis-py's."""
        for conn in self.connection_pool._in_use:
            conn.mark_for_reconnect()


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


class LoadBalancingStrategy(Enum):
    """Where a cluster client sends read-only commands, as redis-py's
    ``redis.cluster.LoadBalancingStrategy``: the nodes of the key's shard in turn
    (``ROUND_ROBIN``, the primary first), its replicas in turn
    (``ROUND_ROBIN_REPLICAS``), any of them (``RANDOM``) or any replica
    (``RANDOM_REPLICA``)."""

    ROUND_ROBIN = "round_robin"
    ROUND_ROBIN_REPLICAS = "round_robin_replicas"
    RANDOM = "random"
    RANDOM_REPLICA = "random_replica"


#: ``address_remap``: where a node the cluster names ``(host, port)`` is reached.
AddressRemap = Callable[[tuple[str, int]], tuple[str, int]]


class NodesManager:
    """The slot map and the known nodes of one cluster client.

    :param startup_nodes: where to ask for the map first.
    :param require_full_coverage: refuse a map in which some slot has no node.
    :param node_kwargs: for every node's pool.
    :param address_remap: maps each address the cluster gives (``CLUSTER
        SLOTS``, MOVED, ASK) to the one to connect to (nodes behind a proxy or
        NAT), as redis-py's.
    :param node_class: the class of the nodes made (a subclass of
        :class:`ClusterNode`; the blocking facade's adds ``redis_connection``).
    """

    def __init__(
        self,
        startup_nodes: Iterable[ClusterNode],
        require_full_coverage: bool,
        node_kwargs: dict[str, Any],
        address_remap: AddressRemap | None = None,
        node_class: type[ClusterNode] = ClusterNode,
    ) -> None:
        self.startup_nodes: dict[str, ClusterNode] = {n.name: n for n in startup_nodes}
        self.require_full_coverage = require_full_coverage
        self.node_kwargs = node_kwargs
        self.address_remap = address_remap
        self.node_class = node_class
        self.nodes_cache: dict[str, ClusterNode] = {}
        self.slots_cache: dict[int, list[ClusterNode]] = {}
        self.default_node: ClusterNode | None = None
        # primary's name -> index of the next node of its shard to read from
        self._replica_index: dict[str, int] = {}
        # name of a remapped node -> the host the cluster calls it by: what an
        # empty host in a redirection from that node stands for.
        self._cluster_hosts: dict[str, str] = {}

    def make_node(
        self, host: str, port: int, server_type: str | None = None
    ) -> ClusterNode:
        """A node with this manager's connection arguments."""
        return self.node_class(host, port, server_type, **self.node_kwargs)

    def remap_host_port(self, host: str, port: int) -> tuple[str, int]:
        """Where to reach the node the cluster calls ``host:port``
        (``address_remap``'s answer, else the same)."""
        if self.address_remap is None:
            return host, port
        cluster_host = host
        host, port = self.address_remap((host, port))
        port = int(port)
        known_as = "127.0.0.1" if host == "localhost" else host
        self._cluster_hosts[node_name(known_as, port)] = cluster_host
        return host, port

    def redirection_host(self, host: str, via: ClusterNode) -> str:
        """The host a MOVED or ASK reply from ``via`` names, as the cluster
        calls it (before ``address_remap``): an empty one is ``via``'s own."""
        if host:
            return host
        return self._cluster_hosts.get(via.name, via.host)

    def get_node(
        self,
        host: str | None = None,
        port: int | None = None,
        node_name: str | None = None,
    ) -> ClusterNode | None:
        """The known node at ``host:port`` (or named ``node_name``), or None."""
        if node_name is None:
            if host is None or port is None:
                return None
            if host == "localhost":
                host = "127.0.0.1"
            node_name = f"{host}:{port}"
        return self.nodes_cache.get(node_name)

    def get_or_create(self, host: str, port: int) -> ClusterNode:
        """The node the cluster calls ``host:port`` (a redirection's target),
        added to the known nodes when new."""
        host, port = self.remap_host_port(host, port)
        node = self.get_node(host, port)
        if node is None:
            node = self.make_node(host, port, PRIMARY)
            self.nodes_cache[node.name] = node
        return node

    def get_nodes_by_server_type(self, server_type: str) -> list[ClusterNode]:
        """Every known node of this type."""
        return [n for n in self.nodes_cache.values() if n.server_type == server_type]

    def get_node_from_slot(
        self,
        slot: int,
        read_from_replicas: bool = False,
        load_balancing_strategy: LoadBalancingStrategy | None = None,
    ) -> ClusterNode:
        """The node serving ``slot``: its primary, or one of its primary and
        replicas chosen by ``load_balancing_strategy`` (``ROUND_ROBIN`` when
        only ``read_from_replicas``), as redis-py's.

        :raises SlotNotCoveredError: the map has no node for the slot.
        """
        nodes = self.slots_cache.get(slot)
        if not nodes:
            raise SlotNotCoveredError(
                f'Slot "{slot}" not covered by the cluster. '
                f'"require_full_coverage={self.require_full_coverage}"'
            )
        if read_from_replicas and load_balancing_strategy is None:
            load_balancing_strategy = LoadBalancingStrategy.ROUND_ROBIN
        if load_balancing_strategy is None or len(nodes) == 1:
            return nodes[0]
        return nodes[
            self._server_index(nodes[0].name, len(nodes), load_balancing_strategy)
        ]

    def _server_index(
        self, primary: str, count: int, strategy: LoadBalancingStrategy
    ) -> int:
        # As redis-py's LoadBalancer: random picks, or a rotation per primary
        # (shared by its slots) that skips the primary for ROUND_ROBIN_REPLICAS.
        if strategy is LoadBalancingStrategy.RANDOM_REPLICA:
            return random.randint(1, count - 1)
        if strategy is LoadBalancingStrategy.RANDOM:
            return random.randint(0, count - 1)
        index = self._replica_index.get(primary, 0)
        if strategy is LoadBalancingStrategy.ROUND_ROBIN_REPLICAS and index == 0:
            index = 1
        self._replica_index[primary] = (index + 1) % count
        return index

    def update_moved(self, slot: int, host: str, port: int) -> ClusterNode:
        """Record that ``slot`` is now served by ``host:port`` (a MOVED reply)."""
        target = self.get_or_create(host, port)
        old = self.slots_cache.get(slot, [])
        if target in old:
            # A replica took over (failover): it leads the slot's list now.
            for node in old:
                if node.server_type == PRIMARY and node is not target:
                    node.server_type = REPLICA
        target.server_type = PRIMARY
        rest = [n for n in old if n is not target and n.server_type != PRIMARY]
        self.slots_cache[slot] = [target, *rest]
        return target

    async def initialize(
        self, additional_startup_nodes_info: Iterable[tuple[str, int]] = ()
    ) -> None:
        """Read the slot map from the first node that answers ``CLUSTER SLOTS``.

        :param additional_startup_nodes_info: ``(host, port)`` of nodes to ask
            after the known ones (as redis-py: the targets an ``SMIGRATED``
            names); those not in the map read are closed again.
        :raises RedisClusterException: no node answered, or (with
            ``require_full_coverage``) some slot is not served.
        """
        candidates = list(self.startup_nodes.values())
        candidates += [n for n in self.nodes_cache.values() if n not in candidates]
        extra: list[ClusterNode] = []
        for host, port in additional_startup_nodes_info:
            host, port = self.remap_host_port(host, int(port))
            if self.get_node(host, port) is None and all(
                n.name != node_name(host, port) for n in candidates
            ):
                extra.append(self.make_node(host, port))
                candidates.append(extra[-1])
        try:
            await self._read_map(candidates)
        finally:
            for node in extra:
                if self.nodes_cache.get(node.name) is not node:
                    await node.disconnect()

    async def _read_map(self, candidates: list[ClusterNode]) -> None:
        errors: list[str] = []
        covered = -1  # the most slots a node's map covered, if any answered
        for startup in candidates:
            try:
                reply = await startup.execute_raw("CLUSTER SLOTS")
            except ResponseError:
                errors.append(
                    f"{startup.name}: Cluster mode is not enabled on this node"
                )
                continue
            except RedisError as exc:
                errors.append(f"{startup.name}: {exc}")
                continue
            slots, nodes = self.parse_slots(reply, startup)
            if self.require_full_coverage and len(slots) < REDIS_CLUSTER_HASH_SLOTS:
                covered = max(covered, len(slots))
                continue
            await self._install(slots, nodes)
            return
        if covered >= 0:
            # redis-py's words, when some node answered with a partial map
            raise RedisClusterException(
                "All slots are not covered after query all startup_nodes. "
                f"{covered} of {REDIS_CLUSTER_HASH_SLOTS} covered..."
            )
        raise ClusterUnreachableError(
            "Redis Cluster cannot be connected. Please provide at least one "
            "reachable node: " + "; ".join(errors)
        )

    def parse_slots(
        self, reply: Any, startup: ClusterNode
    ) -> tuple[dict[int, list[ClusterNode]], dict[str, ClusterNode]]:
        if not isinstance(reply, list):
            raise RedisClusterException(f"Unexpected CLUSTER SLOTS reply: {reply!r}")
        nodes: dict[str, ClusterNode] = {}
        slots: dict[int, list[ClusterNode]] = {}

        def node_for(entry: Any, server_type: str) -> ClusterNode:
            host = _text(entry[0])
            # An empty or unknown host means "the address you reached me at".
            if host in ("", "?"):
                host = startup.host
            host, port = self.remap_host_port(host, int(entry[1]))
            name = node_name("127.0.0.1" if host == "localhost" else host, port)
            node = nodes.get(name)
            if node is None:
                node = (
                    self.nodes_cache.get(name)
                    or self.startup_nodes.get(name)
                    or self.make_node(host, port)
                )
                nodes[name] = node
            node.server_type = server_type
            return node

        try:
            for item in reply:
                start, end = int(item[0]), int(item[1])
                if not 0 <= start <= end < REDIS_CLUSTER_HASH_SLOTS:
                    raise ValueError(f"slot range {start}-{end}")
                members = [node_for(item[2], PRIMARY)]
                members += [node_for(entry, REPLICA) for entry in item[3:]]
                for slot in range(start, end + 1):
                    slots[slot] = members
        except (TypeError, ValueError, IndexError, KeyError, UnicodeError) as exc:
            raise RedisClusterException(
                f"Unexpected CLUSTER SLOTS reply from {startup.name}: {exc}"
            ) from exc
        return slots, nodes

    async def _install(
        self, slots: dict[int, list[ClusterNode]], nodes: dict[str, ClusterNode]
    ) -> None:
        gone = [n for name, n in self.nodes_cache.items() if name not in nodes]
        self.slots_cache = slots
        self.nodes_cache = nodes
        self._replica_index.clear()
        for node in nodes.values():
            self.startup_nodes.setdefault(node.name, node)
        # As redis-py: after every read of the map, the first primary it names
        # (the owner of its first slot range), whatever was set before.
        primaries = self.get_nodes_by_server_type(PRIMARY)
        self.default_node = primaries[0] if primaries else None
        for node in gone:
            if node.name not in self.startup_nodes:
                await node.disconnect()

    async def aclose(self) -> None:
        """Close every node's connections."""
        seen = {**self.startup_nodes, **self.nodes_cache}
        for node in seen.values():
            await node.disconnect()
