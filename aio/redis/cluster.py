"""Redis Cluster client: :class:`RedisCluster`, redis-py's ``redis.asyncio.cluster``.

Theory of operation
-------------------
The client keeps the cluster's slot map (:class:`~aio.redis._cluster_slots.NodesManager`)
and one connection pool per node. A command is sent to the node serving the slot of
its keys (found by :mod:`aio.redis._cluster_route`); keyless commands go to the
default node, or to every primary (or a random node) where redis-py does so, and
their replies are combined.

The cluster corrects a stale map with redirections, which the client follows:

* ``MOVED <slot> <host:port>``: the slot has a new owner. The map is patched for
  that slot, the command is retried there, and the whole map is re-read before the
  next command.
* ``ASK <slot> <host:port>``: the slot is being migrated and this key is already on
  the target. The command is sent there once, preceded by ``ASKING``; the map is
  not changed.
* ``TRYAGAIN`` (a multi-key command during a migration) is retried after a pause;
  ``CLUSTERDOWN`` and connection errors re-read the map and retry the command
  (``cluster_error_retry_attempts`` times, with a growing pause).

Multi-key commands must stay within one slot (else
:class:`~aio.redis.exceptions.RedisClusterException`), except DEL, UNLINK, EXISTS
and TOUCH, which are split per slot and summed as redis-py does
(:mod:`aio.redis._cluster_multikey`, with MGET/MSET across slots and SCAN).

Pipelines and transactions (with WATCH) are in :mod:`aio.redis._cluster_pipeline`
and :mod:`aio.redis._cluster_transaction`, pub/sub (classic and sharded) in
:mod:`aio.redis._cluster_pubsub`, the CLUSTER commands in
:mod:`aio.redis._cluster_commands`, the node accessors (``get_nodes()``, the
default node...) in :mod:`aio.redis._cluster_nodes`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from aio.redis._client_watch import WarnsWatch
from aio.redis._cluster_cache import share_cache
from aio.redis._cluster_commands import CLUSTER_RESPONSE_CALLBACKS, ClusterCommands
from aio.redis._cluster_deprecated import warns_deprecated_cluster_args
from aio.redis._cluster_himport import ClusterHImport, himport_set_on
from aio.redis._cluster_multikey import ClusterMultiKeyCommands, gather_all
from aio.redis._cluster_nodes import ClusterNodes
from aio.redis._cluster_reauth import subscribe_cluster
from aio.redis._cluster_route import (
    ALL_NODES,
    DEFAULT_NODE,
    NODE_FLAGS,
    PRIMARIES,
    RANDOM,
    REPLICAS,
    RESULT_CALLBACKS,
    SLOT_ID,
    CommandInfo,
    node_flag,
)
from aio.redis._cluster_slots import (
    REPLICA,
    AddressRemap,
    ClusterNode,
    LoadBalancingStrategy,
    NodesManager,
    calling_on_connect,
    convert_reply,
    encode_key,
    key_slot,
)
from aio.redis._cluster_slots import ClusterUnreachableError as _TopologyError
from aio.redis._connection import (
    NEVER_DECODE,
    Connection,
    SSLConnection,
    resp_version,
)
from aio.redis._core import (
    _EMPTY_WHEN_BARE,
    EMPTY_RESPONSE,
    ResponseCallbacks,
    ScriptsAndLocks,
    _caller_stacklevel,
    empty_response_option,
    run_transaction,
)
from aio.redis._maint import cluster_maintenance
from aio.redis._pool import parse_url
from aio.redis._reauth import release_after_re_auth
from aio.redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from aio.redis.commands import (
    RESP3_RESPONSE_CALLBACKS,
    RESPONSE_CALLBACKS,
    CoreCommands,
)
from aio.redis.commands.modules import ClusterModuleCommands, refuse_unified_modules
from aio.redis.driver_info import UNSET, driver_info_from_args
from aio.redis.exceptions import (
    AskError,
    ClusterDownError,
    ClusterError,
    ConnectionError,
    MaxConnectionsError,
    MovedError,
    RedisClusterException,
    RedisError,
    ResponseError,
    SlotNotCoveredError,
    TimeoutError,
    TryAgainError,
)
from aio.redis.himport import HImportRegistry, may_be_himport, parse_himport_set_args
from aio.redis.retry import Retry

if TYPE_CHECKING:
    from aio.redis._cluster_pipeline import ClusterPipeline
    from aio.redis._cluster_pubsub import ClusterPubSub
    from aio.redis._cluster_reauth import ClusterPools
    from aio.redis._reauth import ReAuthSubscription
    from aio.redis.cache import CacheInterface
    from aio.redis.commands.search._cluster import ClusterSearch
    from aio.redis.keyspace_notifications import (
        AsyncClusterKeyspaceNotifications,
    )

__all__ = (
    "ClusterNode",
    "ClusterPipeline",
    "ClusterPubSub",
    "LoadBalancingStrategy",
    "RedisCluster",
    "key_slot",
)

_C = TypeVar("_C", bound="RedisCluster")


class _ReadOnlyConnection(Connection):
    """A replica connection: ``READONLY`` in the handshake, so reads are served."""

    def _handshake_commands(self) -> list[tuple[Any, ...]]:
        return [*super()._handshake_commands(), ("READONLY",)]


# ClusterCommands' readonly()/readwrite() take redis-py's cluster arguments
# (target_nodes=), which mypy sees as incompatible with the standalone ones
# where the command mixins have them.
class RedisCluster(  # type: ignore[misc, unused-ignore]
    WarnsWatch,
    ClusterHImport,
    ClusterNodes,
    ClusterMultiKeyCommands,
    ClusterCommands,
    ClusterModuleCommands,
    CoreCommands,
    ScriptsAndLocks,
):
    """An asyncio Redis Cluster client with redis-py's API.

    ``RedisCluster(host=None, port=6379, startup_nodes=None,
    require_full_coverage=True, read_from_replicas=False,
    load_balancing_strategy=None, reinitialize_steps=5,
    cluster_error_retry_attempts=10, max_connections=100, retry=None,
    address_remap=None, **connection_kwargs)``; ``connection_kwargs`` are those
    of :class:`~aio.redis.Redis` (``password``, ``username``,
    ``decode_responses``, ``protocol``, ``socket_timeout``, ``ssl``...), and
    ``redis_connect_func``, called with each new node connection once it is
    connected, as redis-py's.

    Use ``async with RedisCluster(...) as rc:`` (or ``await rc.initialize()``;
    the first command initializes too) and :meth:`aclose`.

    :param startup_nodes: :class:`ClusterNode` objects to read the map from
        (``host``/``port`` add one more).
    :param read_from_replicas: send read-only commands round-robin to the
        primary and its replicas.
    :param load_balancing_strategy: a :class:`LoadBalancingStrategy`: where
        read-only commands go among the primary and replicas of their shard
        (rather than to the primary).
    :param require_full_coverage: refuse a map in which a slot has no node.
    :param retry: replaces the default
        ``Retry(ExponentialWithJitterBackoff(base=0.01, cap=1),
        cluster_error_retry_attempts)``: how many times, and after which pause, a
        command is retried after an error of :attr:`ERRORS_ALLOW_RETRY`.
    :param max_connections: per node.
    :param address_remap: ``f((host, port)) -> (host, port)``: where to reach a
        node the cluster names (in ``CLUSTER SLOTS``, MOVED and ASK), for
        nodes behind a proxy or NAT.
    :raises RedisClusterException: no node given, or none reachable.
    """

    RESPONSE_CALLBACKS = RESPONSE_CALLBACKS
    RESP3_RESPONSE_CALLBACKS = RESP3_RESPONSE_CALLBACKS

    PRIMARIES = PRIMARIES
    REPLICAS = REPLICAS
    ALL_NODES = ALL_NODES
    RANDOM = RANDOM
    DEFAULT_NODE = DEFAULT_NODE
    NODE_FLAGS = NODE_FLAGS
    #: Redirections followed for one command before giving up.
    RedisClusterRequestTTL = 16
    #: Errors after which a command is retried (the map re-read first), up to
    #: :attr:`cluster_error_retry_attempts` times: these classes exactly, as
    #: redis-py compares them (a subclass, such as BusyLoadingError, is raised).
    ERRORS_ALLOW_RETRY: tuple[type[Exception], ...] = (
        ConnectionError,
        TimeoutError,
        ClusterDownError,
        SlotNotCoveredError,
    )
    # The nodes' class (the blocking facade's adds redis-py's redis_connection).
    _node_class: type[ClusterNode] = ClusterNode
    # MaxConnectionsError's words at a node's limit: none, as redis.asyncio's
    # (redis-py's blocking cluster, whose nodes have pools, says more).
    _max_connections_words: tuple[str, ...] = ()

    @warns_deprecated_cluster_args
    def __init__(
        self,
        host: str | None = None,
        port: int | str = 6379,
        startup_nodes: Iterable[ClusterNode] | None = None,
        require_full_coverage: bool = True,
        read_from_replicas: bool = False,
        load_balancing_strategy: LoadBalancingStrategy | None = None,
        reinitialize_steps: int = 5,
        cluster_error_retry_attempts: int = 10,
        connection_error_retry_attempts: int = 3,
        max_connections: int = 100,
        retry: Retry | None = None,
        db: int = 0,
        ssl: bool = False,
        connection_class: type[Connection] | None = None,
        address_remap: AddressRemap | None = None,
        **connection_kwargs: Any,
    ) -> None:
        if "lib_name" in connection_kwargs or "lib_version" in connection_kwargs:
            # As redis.asyncio's cluster: warned about once, by the constructor
            # (before anything is checked), and resolved for every node.
            connection_kwargs["driver_info"] = driver_info_from_args(
                connection_kwargs.pop("driver_info", UNSET),
                connection_kwargs.pop("lib_name", UNSET),
                connection_kwargs.pop("lib_version", UNSET),
                stacklevel=_caller_stacklevel() + 1,
            )
        if db:
            raise RedisClusterException(
                "Argument 'db' must be 0 or None in cluster mode"
            )
        node_class = self._node_class
        nodes = list(startup_nodes or ())
        if host is not None:
            nodes.append(node_class(host, port))
        if not nodes:
            raise RedisClusterException(
                "RedisCluster requires at least one node to discover the "
                "cluster. Please provide one of the followings:\n"
                "1. host and port, for example:\n"
                " RedisCluster(host='localhost', port=6379)\n"
                "2. list of startup nodes, for example:\n"
                " RedisCluster(startup_nodes=[ClusterNode('localhost', 6379),"
                " ClusterNode('localhost', 6378)])"
            )
        if connection_class is None:
            connection_class = SSLConnection if ssl else Connection
        connection_kwargs.pop("connection_pool", None)
        on_connect = connection_kwargs.pop("redis_connect_func", None)
        # As redis-py's: one HIMPORT registry for every node's connections.
        self._himport_registry = HImportRegistry()
        connection_kwargs["himport_registry"] = self._himport_registry
        # As redis-py's: one client-side cache for every node (get_cache()).
        self._cache = share_cache(connection_kwargs)
        # As redis-py's: an SMIGRATED push (RESP3) on any node's connection
        # refreshes the slot map, through one handler they all hold.
        (
            self.maint_notifications_config,
            self._oss_cluster_maint_notifications_handler,
        ) = cluster_maintenance(self, connection_kwargs)
        # As redis-py's: the nodes' connection class is among the arguments.
        self.connection_kwargs = {
            **connection_kwargs,
            "connection_class": connection_class,
        }
        if on_connect is not None:
            connection_class = calling_on_connect(connection_class, on_connect)
        self.encoding: str = connection_kwargs.get("encoding", "utf-8")
        self.read_from_replicas = read_from_replicas
        self.load_balancing_strategy = load_balancing_strategy
        self.reinitialize_steps = reinitialize_steps
        self.retry = retry or Retry(
            ExponentialWithJitterBackoff(base=0.01, cap=1.0),
            cluster_error_retry_attempts,
        )
        self.connection_error_retry_attempts = connection_error_retry_attempts
        protocol = resp_version(connection_kwargs.get("protocol"))
        if connection_kwargs.get("legacy_responses", True):
            self.response_callbacks: dict[str, Any] = ResponseCallbacks(
                self.RESPONSE_CALLBACKS
            )
            if protocol == 3:
                self.response_callbacks.update(self.RESP3_RESPONSE_CALLBACKS)
            self.response_callbacks.update(CLUSTER_RESPONSE_CALLBACKS)
        else:
            # redis-py 8's unified shapes (legacy_responses=False), chosen once
            # (imported here, as in RedisCore: opt-in, costly to import).
            from aio.redis.commands._unified import unified_callbacks

            self.response_callbacks = ResponseCallbacks(
                unified_callbacks(
                    {**self.RESPONSE_CALLBACKS, **CLUSTER_RESPONSE_CALLBACKS},
                    protocol,
                )
            )
        node_kwargs: dict[str, Any] = {
            "max_connections": max_connections,
            "connection_class": connection_class,
            # The same dict: set_response_callback reaches the nodes too.
            "response_callbacks": self.response_callbacks,
            # As redis-py's: a node's connections do not retry; the client
            # retries a command with the map re-read (a ConnectionError closes
            # the connection).
            "retry": Retry(NoBackoff(), 0, supported_errors=(ConnectionError,)),
            **connection_kwargs,
        }
        self._replica_kwargs = {
            **node_kwargs,
            "connection_class": type(
                "ReadOnly" + connection_class.__name__,
                (_ReadOnlyConnection, connection_class),
                {},
            ),
        }
        self.nodes_manager = NodesManager(
            [node_class(n.host, n.port, **node_kwargs) for n in nodes],
            require_full_coverage,
            node_kwargs,
            address_remap,
            node_class,
        )
        self.commands_info = CommandInfo()
        self._initialized = False
        self._refresh_needed = False
        self._moved_count = 0
        self._lock: asyncio.Lock | None = None
        # A streaming provider re-authenticates the connections of every node
        # known at each token, those of nodes learnt later included.
        self._re_auth: ReAuthSubscription | None = None
        self._re_auth_source: ClusterPools | None = None
        subscribed = subscribe_cluster(self.nodes_manager, connection_kwargs)
        if subscribed is not None:
            self._re_auth, self._re_auth_source = subscribed

    @classmethod
    def from_url(cls: type[_C], url: str, **kwargs: Any) -> _C:
        """A cluster client whose startup node is the ``redis://`` (or
        ``rediss://``) URL's host; URL options and ``kwargs`` configure the nodes."""
        options = parse_url(url)
        connection_class = options.pop("connection_class", None)
        if connection_class is SSLConnection:
            options["ssl"] = True
        options.update(kwargs)
        options.setdefault("host", "localhost")
        return cls(**options)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self.get_nodes()})>"

    # -- lifecycle ---------------------------------------------------------------

    async def initialize(self: _C) -> _C:
        """Read the slot map and the command table (once; later calls are no-ops).

        :raises RedisClusterException: no startup node answered.
        """
        if self._initialized:
            return self
        async with self._get_lock():
            if self._initialized:
                return self
            await self.nodes_manager.initialize()
            self._use_replica_pools()
            node = self.get_default_node()
            self.commands_info.load(await node.execute_raw("COMMAND"))
            self._initialized = True
        return self

    def _get_lock(self) -> asyncio.Lock:
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    def _use_replica_pools(self) -> None:
        # Replicas need READONLY on every connection; recreate their pools once.
        manager = self.nodes_manager
        for node in list(manager.nodes_cache.values()):
            if node.server_type == REPLICA and not issubclass(
                node.connection_class, _ReadOnlyConnection
            ):
                replica = self._node_class(
                    node.host, node.port, REPLICA, **self._replica_kwargs
                )
                manager.nodes_cache[node.name] = replica
                for members in manager.slots_cache.values():
                    for i, member in enumerate(members):
                        if member is node:
                            members[i] = replica

    async def _refresh(self) -> None:
        """Re-read the map when a redirection or an error said it is stale."""
        if not self._refresh_needed:
            return
        async with self._get_lock():
            if not self._refresh_needed:
                return
            self._refresh_needed = False
            try:
                await self.nodes_manager.initialize()
            except RedisClusterException:
                self._refresh_needed = True
                raise
            self._use_replica_pools()

    async def _refresh_after_migration(
        self, additional_startup_nodes_info: list[tuple[str, int]]
    ) -> None:
        """Re-read the map now (an SMIGRATED said slots moved), asking the nodes
        they went to after the known ones, as redis-py."""
        async with self._get_lock():
            self._refresh_needed = False
            try:
                await self.nodes_manager.initialize(additional_startup_nodes_info)
            except RedisClusterException:
                self._refresh_needed = True
                raise
            self._use_replica_pools()

    def __await__(self: _C) -> Any:
        return self.initialize().__await__()

    async def __aenter__(self: _C) -> _C:
        return await self.initialize()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections to every node (and end the SMIGRATED refreshes
        under way)."""
        handler = self._oss_cluster_maint_notifications_handler
        if handler is not None:
            await handler.aclose()
        await self.nodes_manager.aclose()

    async def close(self) -> None:
        """Alias of :meth:`aclose`, as redis-py has it."""
        await self.aclose()

    def get_encoder(self) -> tuple[str, str, bool]:
        """``(encoding, errors, decode_responses)`` of the node connections."""
        kw = self.connection_kwargs
        return (
            self.encoding,
            kw.get("encoding_errors", "strict"),
            bool(kw.get("decode_responses", False)),
        )

    def get_connection_kwargs(self) -> dict[str, Any]:
        """The arguments the node connections are made with."""
        return self.connection_kwargs

    def get_cache(self) -> CacheInterface | None:
        """The client-side cache every node shares (``cache=``,
        ``cache_config=`` or ``cache_factory=``, with ``protocol=3``), or None."""
        return self._cache

    def set_response_callback(self, command: str, callback: Callable[..., Any]) -> None:
        """Convert the replies of ``command`` with ``callback(reply, **options)``."""
        self.response_callbacks[command.upper()] = callback

    def ft(self, index_name: str = "idx") -> ClusterSearch:
        """The search commands of the index ``index_name`` (``await
        rc.ft("idx").search("hello")``): the autocomplete ones sent to their
        key's node, ``FT.CURSOR`` to its ``FT.AGGREGATE``'s, the others as
        keyless commands. See :mod:`aio.redis.commands.search`."""
        from aio.redis.commands.search._cluster import ClusterSearch

        refuse_unified_modules(self)
        return ClusterSearch(self, index_name)

    @property
    def cluster_error_retry_attempts(self) -> int:
        """How many times a command is retried after a connection error,
        CLUSTERDOWN or an uncovered slot (the retries of :attr:`retry`)."""
        return self.retry.get_retries()

    @cluster_error_retry_attempts.setter
    def cluster_error_retry_attempts(self, value: int) -> None:
        self.retry.update_retries(value)

    @property
    def reinitialize_counter(self) -> int:
        """MOVED replies seen since the map was last re-read (every
        ``reinitialize_steps`` of them, it is)."""
        return self._moved_count

    def set_retry(self, retry: Retry) -> None:
        """Use ``retry``'s number of retries from now on."""
        self.retry = retry

    async def get_nodes_from_slot(self, command: str, *args: Any) -> list[ClusterNode]:
        """The node serving the slot of the command's keys (a replica for reads
        with ``read_from_replicas``), as redis-py's asyncio client:
        ``get_nodes_from_slot("GET", key)``, the arguments after the command name
        (redis-py's blocking client repeats the name).

        :raises RedisClusterException: the command has no key (it cannot be
            routed by slot), or keys in several slots.
        """
        if not self._initialized:
            _ = await self.initialize()
        command_args = (command, *args)
        slot = await self._slot_of_command(command_args, {})
        if slot is None:
            raise self._missing_key(command_args)
        return [self._slot_node(slot, command_args)]

    # -- routing ---------------------------------------------------------------

    def _flag_nodes(self, flag: str) -> list[ClusterNode]:
        if flag == PRIMARIES:
            return self.get_primaries()
        if flag == REPLICAS:
            return self.get_replicas()
        if flag == ALL_NODES:
            return self.get_nodes()
        if flag == RANDOM:
            return [self.get_random_node()]
        return [self.get_default_node()]

    def _explicit_nodes(self, target: Any) -> list[ClusterNode]:
        if isinstance(target, ClusterNode):
            return [target]
        if isinstance(target, str) and target in NODE_FLAGS:
            return self._flag_nodes(target)
        if isinstance(target, Mapping):
            return list(target.values())
        if isinstance(target, list | tuple) and all(
            isinstance(n, ClusterNode) for n in target
        ):
            return list(target)
        raise TypeError(f"target_nodes type can be one of the followings: {target!r}")

    async def _command_keys(self, args: tuple[Any, ...]) -> list[Any]:
        keys = self.commands_info.keys_of(args)
        if keys is not None:
            return keys
        try:
            found = await self.get_default_node().execute_raw("COMMAND GETKEYS", *args)
        except ResponseError:
            return []  # e.g. EVAL with no keys: any node will do
        return list(found or ())

    def slot_of_keys(self, name: str, keys: list[Any]) -> int:
        """The one slot of ``keys``.

        :raises RedisClusterException: they map to different slots.
        """
        slots = {key_slot(encode_key(k, self.encoding)) for k in keys}
        if len(slots) != 1:
            raise RedisClusterException(
                f"{name} - all keys must map to the same key slot"
            )
        return slots.pop()

    @staticmethod
    def _missing_key(args: tuple[Any, ...]) -> RedisClusterException:
        # redis-py's words; like it, the arguments after the command name.
        return RedisClusterException(
            "No way to dispatch this command to Redis Cluster. Missing key.\n"
            "You can execute the command by specifying target nodes.\n"
            f"Command: {args[1:]}"
        )

    async def _slot_of_command(
        self, args: tuple[Any, ...], options: dict[str, Any], name: str | None = None
    ) -> int | None:
        """The slot a command goes to: the one it names (CLUSTER COUNTKEYSINSLOT)
        or its keys'; None for a command without keys.

        :raises RedisClusterException: keys in several slots, or a command that
            takes keys sent without any (GET with no key).
        """
        if name is None:
            name = self.commands_info.table_name(args)
        if node_flag(name) == SLOT_ID:
            words = (*name.split("|"), *args[1:]) if "|" in name else args
            return int(words[2])
        keys = options.get("keys") or await self._command_keys(args)
        if keys:
            return self.slot_of_keys(name, keys)
        if self.commands_info.needs_keys(args):
            raise self._missing_key(args)
        return None

    async def _targets(
        self, args: tuple[Any, ...], options: dict[str, Any], name: str | None = None
    ) -> list[ClusterNode]:
        target = options.get("target_nodes")
        if target is not None:
            return self._explicit_nodes(target)
        if name is None:
            name = self.commands_info.table_name(args)
        flag = node_flag(name)
        if flag is not None and flag != SLOT_ID:
            return self._flag_nodes(flag)
        slot = await self._slot_of_command(args, options, name)
        if slot is None:
            # Keyless (ECHO, PUBLISH, EVAL with no key...): the default node.
            return [self.get_default_node()]
        return [self._slot_node(slot, args)]

    def _slot_node(self, slot: int, args: tuple[Any, ...]) -> ClusterNode:
        """The node of ``slot`` for ``args``: for a read-only command, the one
        ``read_from_replicas``/``load_balancing_strategy`` choose, as redis-py."""
        if self.read_from_replicas or self.load_balancing_strategy is not None:
            if self.commands_info.is_readonly(args):
                return self.nodes_manager.get_node_from_slot(
                    slot, self.read_from_replicas, self.load_balancing_strategy
                )
        return self.nodes_manager.get_node_from_slot(slot)

    # -- execution ---------------------------------------------------------------

    def _convert(
        self, args: tuple[Any, ...], reply: Any, options: dict[str, Any]
    ) -> Any:
        return convert_reply(self.response_callbacks, args, reply, options)

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Send a command to the node(s) it belongs to and return its reply.

        ``target_nodes=`` (a node, a list or dict of nodes, or one of
        ``RedisCluster.PRIMARIES/REPLICAS/ALL_NODES/RANDOM/DEFAULT_NODE``)
        overrides the routing. Replies from several nodes are combined where
        redis-py combines them, else returned as ``{node name: reply}``.

        :raises RedisClusterException: keys in different slots.
        :raises ConnectionError: the node stayed unreachable after the retries.
        """
        empty_response_option(args, options)
        if EMPTY_RESPONSE in options:
            return await self._execute_or_empty(args, options)
        return await self._execute_routed(args, options, convert=True)

    async def _execute_or_empty(
        self, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        # As the standalone client: a bare MGET (``mget([])``) is answered
        # without a round trip (it has no key to route by), and redis-py's
        # EMPTY_RESPONSE option turns an error reply into that value.
        empty = options.pop(EMPTY_RESPONSE)
        if len(args) == 1 and args[0] in _EMPTY_WHEN_BARE:
            return empty
        try:
            return await self._execute_routed(args, options, convert=True)
        except ResponseError:
            return empty

    async def _execute_routed(
        self, args: tuple[Any, ...], options: dict[str, Any], convert: bool = False
    ) -> Any:
        """Route, run and retry one command; the raw reply unless ``convert``
        (replies of several nodes are always converted and combined)."""
        if not self._initialized:
            _ = await self.initialize()
        explicit = options.get("target_nodes") is not None
        attempts = 0 if explicit else self.cluster_error_retry_attempts
        name = self.commands_info.table_name(args)
        # As redis-py: the classes listed, not their subclasses (a LOADING or
        # MASTERDOWN reply, an AuthenticationError are raised at once).
        retried = {*self.ERRORS_ALLOW_RETRY, _TopologyError}
        backoff = self.retry._backoff
        backoff.reset()
        failed_default: ClusterNode | None = None
        nodes: list[ClusterNode] = []
        for attempt in range(attempts + 1):
            try:
                if self._refresh_needed:
                    await self._refresh()
                default = self.nodes_manager.default_node
                if failed_default is not None and failed_default is default:
                    # As redis-py: after an error on the default node, keyless
                    # commands go to another primary (the map re-read first).
                    self.replace_default_node()
                failed_default = None
                nodes = await self._targets(args, options, name)
                if len(nodes) == 1:
                    raws = [await self._execute_on(nodes[0], args, options)]
                    if not convert:
                        return raws[0]
                else:
                    raws = await gather_all(
                        *(self._execute_on(n, args, options) for n in nodes)
                    )
            except Exception as exc:
                if type(exc) not in retried or attempt >= attempts:
                    raise
                self._refresh_needed = True
                if nodes == [self.nodes_manager.default_node]:
                    failed_default = nodes[0]
                nodes = []
                await asyncio.sleep(backoff.compute(attempt + 1))
                continue
            return self._combine(name, args, nodes, raws, options)
        raise AssertionError("unreachable")  # pragma: no cover

    def _combine(
        self,
        name: str,
        args: tuple[Any, ...],
        nodes: list[ClusterNode],
        raws: list[Any],
        options: dict[str, Any],
    ) -> Any:
        """The converted reply of one node, or the nodes' replies combined."""
        combine = RESULT_CALLBACKS.get(name)
        if combine is None and len(nodes) == 1:
            return self._convert(args, raws[0], options)
        replies = {
            n.name: self._convert(args, r, options)
            for n, r in zip(nodes, raws, strict=True)
        }
        # As redis-py: the result callback sees every node's reply, even when
        # one node answered; without one, several nodes give {node name: reply}.
        return combine(replies) if combine is not None else replies

    async def _execute_on(
        self, node: ClusterNode, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        """Run a command on ``node``, following MOVED/ASK/TRYAGAIN; raw reply."""
        asking = False
        last_error: TryAgainError | None = None
        ttl = self.RedisClusterRequestTTL
        # An HIMPORT SET needs its fieldset prepared on the connection that runs it.
        himport = parse_himport_set_args(args) if may_be_himport(args[0]) else None
        while ttl > 0:
            ttl -= 1
            pool = node.connection_pool
            try:
                conn = await pool.get_connection()
            except MaxConnectionsError:
                # As redis-py: the client's own limit, not a failure of the node
                # (no map refresh, no retry), in the words of the client's kind.
                raise MaxConnectionsError(*self._max_connections_words) from None
            try:
                if himport is not None:
                    was_asking, asking = asking, False
                    return await himport_set_on(
                        conn, args, himport, options, was_asking
                    )
                if asking:
                    asking = False
                    decode = NEVER_DECODE not in options
                    future = conn.send_requests(
                        [("ASKING",), args], timeout=conn.socket_timeout, decode=decode
                    )
                    await conn.drain()
                    replies = await future
                    for reply in replies:
                        if isinstance(reply, RedisError):
                            raise reply
                    return replies[1]
                return await conn.execute(args, options)
            except MovedError as exc:
                self._moved_count += 1
                if self._moved_count >= self.reinitialize_steps:
                    self._moved_count = 0
                    self._refresh_needed = True
                host = self.nodes_manager.redirection_host(exc.host, node)
                node = self.nodes_manager.update_moved(exc.slot_id, host, exc.port)
            except AskError as exc:
                host = self.nodes_manager.redirection_host(exc.host, node)
                node = self.nodes_manager.get_or_create(host, exc.port)
                asking = True
            except TryAgainError as exc:
                last_error = exc
                if ttl < self.RedisClusterRequestTTL // 2:
                    await asyncio.sleep(0.05)
            except (ConnectionError, TimeoutError, ClusterDownError):
                self._refresh_needed = True
                raise
            finally:
                # A token streamed while the command ran: AUTH before release.
                if conn._re_auth_token is None:
                    pool._release(conn)
                else:
                    await release_after_re_auth(pool, conn)
        if last_error is not None:
            raise last_error
        raise ClusterError("TTL exhausted.")

    def pipeline(
        self, transaction: bool | None = None, shard_hint: Any = None
    ) -> ClusterPipeline:
        """A :class:`~aio.redis.cluster.ClusterPipeline`: commands are grouped by
        node and sent in parallel by ``execute()``.

        :param transaction: MULTI/EXEC, with WATCH; every key must then be in one
            slot.
        :raises RedisClusterException: a ``shard_hint`` (not used in a cluster).
        """
        from aio.redis._cluster_pipeline import ClusterPipeline

        if shard_hint:
            raise RedisClusterException("shard_hint is deprecated in cluster mode")
        return ClusterPipeline(self, transaction=transaction)

    async def transaction(
        self, func: Callable[[ClusterPipeline], Any], *watches: Any, **kwargs: Any
    ) -> Any:
        """Run ``func(pipe)`` in a transaction, again while WATCHed keys change.

        As :meth:`aio.redis.Redis.transaction` (``shard_hint=``,
        ``value_from_callable=``, ``watch_delay=``): ``func`` (sync or async) runs
        after WATCH on the node of the watched keys, may read them, calls
        ``pipe.multi()`` and queues commands; the pipeline is executed after it.
        Watched and queued keys must share one slot. A slot that moves while its
        keys are watched counts as a change: ``func`` runs again, on the new owner.

        :returns: the EXEC results, or ``func``'s value with ``value_from_callable``.
        """
        shard_hint = kwargs.pop("shard_hint", None)
        value_from_callable = kwargs.pop("value_from_callable", False)
        watch_delay = kwargs.pop("watch_delay", None)
        return await run_transaction(
            self.pipeline(True, shard_hint),
            func,
            watches,
            value_from_callable=value_from_callable,
            watch_delay=watch_delay,
        )

    def pubsub(
        self,
        node: ClusterNode | None = None,
        host: str | None = None,
        port: int | None = None,
        **kwargs: Any,
    ) -> ClusterPubSub:
        """A :class:`~aio.redis.cluster.ClusterPubSub`: classic pub/sub on one node
        (``node``, or ``host``/``port``, else chosen by the first channel), shard
        channels (``ssubscribe``) on the nodes owning their slots.

        :raises RedisClusterException: the node is not part of the cluster.
        """
        from aio.redis._cluster_pubsub import ClusterPubSub

        return ClusterPubSub(self, node=node, host=host, port=port, **kwargs)

    def keyspace_notifications(
        self,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> AsyncClusterKeyspaceNotifications:
        """An :class:`~aio.redis.keyspace_notifications.AsyncClusterKeyspaceNotifications`:
        one pub/sub connection per primary (a node publishes only its own keys'
        notifications; every node's ``notify-keyspace-events`` must ask for them).

        :param key_prefix: keep only the keys with this prefix, stripped.
        :param ignore_subscribe_messages: the default of its ``get_message``.
        """
        from aio.redis.keyspace_notifications import (
            AsyncClusterKeyspaceNotifications,
        )

        return AsyncClusterKeyspaceNotifications(
            self,
            key_prefix=key_prefix,
            ignore_subscribe_messages=ignore_subscribe_messages,
        )


from aio.redis._cluster_pipeline import ClusterPipeline as ClusterPipeline  # noqa: E402
from aio.redis._cluster_pubsub import ClusterPubSub as ClusterPubSub  # noqa: E402
