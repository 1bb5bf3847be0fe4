"""redis-py's blocking ``redis.cluster``: :class:`RedisCluster`, on aio's engine.

Every command method comes from the generated twin (``RedisClusterTwin``): it
runs :class:`aio.redis.RedisCluster`'s method on the engine's loop and blocks for
the reply, so routing, redirections (MOVED, ASK, TRYAGAIN) and retries are the
async client's. What is hand-written here is what differs between the two
worlds: construction (redis-py reads the slot map in the constructor),
pipelines (commands are queued in the calling thread), ``transaction()`` (the
callable runs in the calling thread), pub/sub (handlers run in the reading
thread), scripts, locks, and ``fork`` (the per-node pools of a client made in
the parent are reset in the child, as for :class:`~sync_shims.redis.Redis`).
"""

from __future__ import annotations

import os
import textwrap
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, Self, cast

from aio.engine import to_thread
from aio.redis import ClusterNode as AsyncClusterNode
from aio.redis import ClusterPipeline as AsyncClusterPipeline
from aio.redis import ClusterPubSub as AsyncClusterPubSub
from aio.redis import RedisCluster as AsyncRedisCluster
from aio.redis._connection import Connection as AsyncConnection
from aio.redis._pool import ConnectionPool as AsyncConnectionPool
from aio.redis.cluster import LoadBalancingStrategy as LoadBalancingStrategy
from aio.redis.commands import BitFieldOperation
from aio.redis.exceptions import RedisError, WatchError
from aio.redis.himport import HImportRegistry
from aio.redis.retry import Retry as AsyncRetry
from sync_shims._generated_redis import MonitorTwin
from sync_shims._generated_redis_cluster import ClusterPipelineTwin, RedisClusterTwin
from sync_shims._portal import call
from sync_shims.redis._client_mixin import (
    BlockingClientMixin,
    BlockingPipelineMixin,
)
from sync_shims.redis._fork import track_pool
from sync_shims.redis.backoff import ExponentialWithJitterBackoff
from sync_shims.redis.client import PubSub, Redis, Script
from sync_shims.redis.commands.modules import ClusterModuleCommands
from sync_shims.redis.connection import (
    BlockingConnectionPool,
    Connection,
    ConnectionPool,
    Encoder,
)
from sync_shims.redis.exceptions import AskError as AskError
from sync_shims.redis.exceptions import ClusterCrossSlotError as ClusterCrossSlotError
from sync_shims.redis.exceptions import ClusterDownError as ClusterDownError
from sync_shims.redis.exceptions import ClusterError as ClusterError
from sync_shims.redis.exceptions import (
    CrossSlotTransactionError as CrossSlotTransactionError,
)
from sync_shims.redis.exceptions import MovedError as MovedError
from sync_shims.redis.exceptions import RedisClusterException as RedisClusterException
from sync_shims.redis.exceptions import SlotNotCoveredError as SlotNotCoveredError
from sync_shims.redis.exceptions import TryAgainError as TryAgainError
from sync_shims.redis.lock import Lock
from sync_shims.redis.retry import Retry

if TYPE_CHECKING:
    from aio.redis.cache import CacheInterface
    from aio.redis.maint_notifications import MaintNotificationsConfig
    from sync_shims.redis.keyspace_notifications import (
        ClusterKeyspaceNotifications,
    )

__all__ = (
    "AskError",
    "ClusterCrossSlotError",
    "ClusterDownError",
    "ClusterError",
    "ClusterNode",
    "ClusterPipeline",
    "ClusterPubSub",
    "CrossSlotTransactionError",
    "LoadBalancingStrategy",
    "MovedError",
    "RedisCluster",
    "RedisClusterException",
    "SlotNotCoveredError",
    "TryAgainError",
)


class ClusterNode(AsyncClusterNode):
    """A node of a cluster, as redis-py's blocking ``ClusterNode``: ``host``,
    ``port``, ``name`` (``"host:port"``), ``server_type`` (``"primary"``,
    ``"replica"``), and :attr:`redis_connection`."""

    _redis: Redis | None = None

    @property
    def redis_connection(self) -> Redis:
        """A blocking :class:`~sync_shims.redis.Redis` on this node's own pool
        (no routing: every command goes to this node); the same one each time."""
        if self._redis is None:
            self._redis = Redis(connection_pool=_pool_view(self.connection_pool))
        return self._redis


def _pool_view(pool: AsyncConnectionPool) -> ConnectionPool:
    """The facade of a node's pool, of the facade's class for its kind."""
    if isinstance(pool, BlockingConnectionPool._async_class):
        return BlockingConnectionPool._wrap(pool)
    return ConnectionPool._wrap(pool)


class _AsyncCluster(AsyncRedisCluster):
    # The async client under the facade: its nodes are the facade's.
    _node_class = ClusterNode
    # redis-py's blocking nodes have pools, whose limit has these words.
    _max_connections_words = ("Too many connections",)


def _in_a_thread(
    on_connect: Callable[[Connection], Any],
) -> Callable[[AsyncConnection], Any]:
    """A user's ``redis_connect_func`` as the async core calls it: on a worker
    thread (it may block, even on the connection it is given), with the
    blocking view of the connection."""

    async def call_on_connect(connection: AsyncConnection) -> None:
        await to_thread(on_connect, Connection._wrap(connection))

    return call_on_connect


class RedisCluster(BlockingClientMixin, ClusterModuleCommands, RedisClusterTwin):
    """A blocking Redis Cluster client with redis-py's API (``redis.RedisCluster``).

    ``RedisCluster(host=None, port=6379, startup_nodes=None, *, url=None,
    require_full_coverage=True, read_from_replicas=False,
    load_balancing_strategy=None, reinitialize_steps=5,
    cluster_error_retry_attempts=10, max_connections=100, retry=None,
    address_remap=None, **connection_kwargs)``: the arguments of
    :class:`aio.redis.RedisCluster` (``connection_kwargs`` are a node
    connection's: ``password``, ``decode_responses``, ``protocol``...). The
    default ``retry`` is redis-py's, a blocking :class:`~sync_shims.redis.retry.Retry`;
    ``redis_connect_func`` is called in a worker thread, with the blocking
    :class:`~sync_shims.redis.connection.Connection`.

    As redis-py's, the constructor reads the slot map (so :meth:`get_nodes` is
    filled at once). Every command method blocks for its reply; ``target_nodes=``
    (a :class:`ClusterNode`, a list of them, or :attr:`PRIMARIES`,
    :attr:`REPLICAS`, :attr:`ALL_NODES`, :attr:`RANDOM`, :attr:`DEFAULT_NODE`)
    overrides the routing where the async client takes it. Safe to share between
    threads, usable from a thread running its own event loop and in a forked
    child (the parent's connections are dropped there).

    :raises RedisClusterException: no node given, or no node reachable.
    """

    PRIMARIES = AsyncRedisCluster.PRIMARIES
    REPLICAS = AsyncRedisCluster.REPLICAS
    ALL_NODES = AsyncRedisCluster.ALL_NODES
    RANDOM = AsyncRedisCluster.RANDOM
    DEFAULT_NODE = AsyncRedisCluster.DEFAULT_NODE
    NODE_FLAGS = AsyncRedisCluster.NODE_FLAGS
    RedisClusterRequestTTL = AsyncRedisCluster.RedisClusterRequestTTL
    ERRORS_ALLOW_RETRY = AsyncRedisCluster.ERRORS_ALLOW_RETRY

    def __init__(
        self,
        host: str | None = None,
        port: int | str = 6379,
        startup_nodes: Iterable[AsyncClusterNode] | None = None,
        *,
        url: str | None = None,
        **kwargs: Any,
    ) -> None:
        if kwargs.get("retry") is None:
            # redis-py's default policy, as this module's (blocking) Retry; the
            # attempts stay in kwargs for the core's DeprecationWarning
            attempts = kwargs.get("cluster_error_retry_attempts", 10)
            backoff = ExponentialWithJitterBackoff(base=0.01, cap=1.0)
            kwargs["retry"] = Retry(backoff, attempts)
        on_connect = kwargs.get("redis_connect_func")
        if on_connect is not None:
            kwargs["redis_connect_func"] = _in_a_thread(on_connect)
        pool_class = kwargs.get("connection_pool_class")
        if isinstance(pool_class, type) and issubclass(pool_class, ConnectionPool):
            # the facade's pools stand for the core's: the nodes make those
            kwargs["connection_pool_class"] = pool_class._async_class
        if url is not None:
            client = _AsyncCluster.from_url(url, **kwargs)
        else:
            client = _AsyncCluster(host, port, startup_nodes, **kwargs)
        super().__init__(client)
        self._start()

    def _start(self) -> None:
        _clusters.add(self._async)
        re_auth = self._async._re_auth
        if re_auth is not None:
            # As the blocking Redis: a streaming provider calls the callbacks
            # from its own thread; they run the nodes' re-authentication on
            # the engine's loop and return when it is done (or raise).
            re_auth.use_blocking(call)
        try:
            _ = call(self._async.initialize)
        except BaseException:
            call(self._async.aclose)
            raise

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Self:
        """A cluster client whose startup node is the ``redis://`` (or
        ``rediss://``) URL's host; URL options and ``kwargs`` configure the nodes.

        :raises RedisClusterException: no node reachable.
        """
        return cls(url=url, **kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self._async!r})>"

    def disconnect_connection_pools(self) -> None:
        """Close every node's connections (the pools make new ones on demand)."""
        call(self._async.aclose)

    @property
    def himport_registry(self) -> HImportRegistry:
        """The HIMPORT fieldsets declared on this cluster client, shared by every
        node's connections (change it through ``himport_prepare``/``himport_discard``)."""
        return self._async.himport_registry

    @property
    def maint_notifications_config(self) -> MaintNotificationsConfig | None:
        """The maintenance notifications configuration, as redis-py's: the
        ``maint_notifications_config`` given, else an ``"auto"`` one with
        ``protocol=3`` (an ``SMIGRATED`` on any node then re-reads the slot map),
        else None."""
        return self._async.maint_notifications_config

    def get_cache(self) -> CacheInterface | None:
        """The client-side cache every node shares (``protocol=3`` with
        ``cache_config=``, ``cache=`` or ``cache_factory=``:
        :mod:`sync_shims.redis.cache`), or None. A read through any node is
        cached there, and the nodes' invalidations remove it."""
        cache: CacheInterface | None = self._async.get_cache()
        return cache

    @property
    def cluster_error_retry_attempts(self) -> int:
        """How many times a command is retried after a connection error,
        CLUSTERDOWN or an uncovered slot."""
        return self._async.cluster_error_retry_attempts

    @cluster_error_retry_attempts.setter
    def cluster_error_retry_attempts(self, value: int) -> None:
        self._async.cluster_error_retry_attempts = value

    @property
    def nodes_manager(self) -> Any:
        """The slot map and the known nodes (``slots_cache``, ``nodes_cache``)."""
        return self._async.nodes_manager

    @property
    def load_balancing_strategy(self) -> LoadBalancingStrategy | None:
        """Where read-only commands go among a shard's nodes (None: the primary,
        unless ``read_from_replicas``)."""
        return self._async.load_balancing_strategy

    @load_balancing_strategy.setter
    def load_balancing_strategy(self, value: LoadBalancingStrategy | None) -> None:
        self._async.load_balancing_strategy = value

    @property
    def read_from_replicas(self) -> bool:
        """Whether read-only commands go round-robin to replicas too."""
        return self._async.read_from_replicas

    @read_from_replicas.setter
    def read_from_replicas(self, value: bool) -> None:
        self._async.read_from_replicas = value

    @property
    def retry(self) -> AsyncRetry:
        """The retry policy: its number of retries is
        :attr:`cluster_error_retry_attempts` (replace it with :meth:`set_retry`)."""
        return self._async.retry

    @property
    def response_callbacks(self) -> dict[str, Callable[..., Any]]:
        """Reply converters by command name, in any case (edit to change one)."""
        return self._async.response_callbacks

    @property
    def cluster_response_callbacks(self) -> dict[str, Callable[..., Any]]:
        """redis-py's name for the reply converters of the cluster client: the
        same dict as :attr:`response_callbacks` (command names in any case)."""
        return self._async.response_callbacks

    def get_encoder(self) -> Encoder:
        """The :class:`~sync_shims.redis.connection.Encoder` of the node connections."""
        return Encoder(*self._async.get_encoder())

    # redis-py's blocking client answers True/False where its asyncio one (and
    # so the generated twin) returns None.
    def set_default_node(self, node: AsyncClusterNode | None) -> bool:  # type: ignore[override]
        """Send keyless commands to ``node`` from now on.

        :returns: as redis-py's blocking client, True, or False (nothing
            changed) when ``node`` is None or not a node of the cluster (the
            async client raises ``DataError`` there).
        """
        if node is None or self.get_node(node_name=node.name) is None:
            return False
        self._async.set_default_node(node)
        return True

    def get_nodes_from_slot(self, command: str, *args: Any) -> list[AsyncClusterNode]:
        """The node serving the slot of a command's keys, as redis-py's blocking
        client: ``args`` is the whole command, its name repeated
        (``get_nodes_from_slot("GET", "GET", key)``; the async client takes
        the arguments after the name).

        :raises RedisClusterException: no key in the command, or keys in
            several slots.
        """
        if not args:
            raise RedisClusterException(
                "No way to dispatch this command to Redis Cluster. Missing key.\n"
                "You can execute the command by specifying target nodes.\n"
                "Command: ()"
            )
        nodes: list[AsyncClusterNode] = call(
            self._async.get_nodes_from_slot, args[0], *args[1:]
        )
        return nodes

    def monitor(self, target_node: AsyncClusterNode | None = None) -> MonitorTwin:
        """A MONITOR of one node (the default node unless ``target_node``), on a
        connection of its own: ``with rc.monitor() as m: m.next_command()``."""
        node = target_node if target_node is not None else self.get_default_node()
        return self.get_redis_connection(node).monitor()

    def get_redis_connection(self, node: AsyncClusterNode) -> Redis:
        """A blocking :class:`~sync_shims.redis.Redis` on ``node``'s own pool
        (no routing: every command goes to that node): the node's
        :attr:`ClusterNode.redis_connection`."""
        if isinstance(node, ClusterNode):
            return node.redis_connection
        return Redis(connection_pool=_pool_view(node.connection_pool))

    def bitfield(
        self, key: Any, default_overflow: str | None = None
    ) -> BitFieldOperation:
        """A BITFIELD builder; its ``execute()`` blocks for the reply (on a
        pipeline: queues the command)."""
        # The builder only calls execute_command on what it is given.
        return BitFieldOperation(cast(Any, self), key, default_overflow)

    def pipeline(
        self, transaction: bool | None = None, shard_hint: Any = None
    ) -> ClusterPipeline:
        """A :class:`ClusterPipeline`: commands are queued in the calling thread,
        grouped by node and sent in parallel by ``execute()``.

        :param transaction: MULTI/EXEC; every key must then be in one slot.
        """
        return ClusterPipeline._wrap(self._async.pipeline(transaction, shard_hint))

    def pubsub(
        self,
        node: AsyncClusterNode | None = None,
        host: str | None = None,
        port: int | None = None,
        **kwargs: Any,
    ) -> ClusterPubSub:
        """A :class:`ClusterPubSub`: classic channels and patterns on one node
        (``node``, or ``host``/``port``, else chosen by the first channel), shard
        channels (``ssubscribe``) on the nodes owning their slots.

        :raises RedisClusterException: the node is not part of the cluster.
        """
        return ClusterPubSub(
            self._async.pubsub(node=node, host=host, port=port, **kwargs)
        )

    def keyspace_notifications(
        self,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> ClusterKeyspaceNotifications:
        """A :class:`~sync_shims.redis.keyspace_notifications.ClusterKeyspaceNotifications`:
        one pub/sub connection per primary; handlers run in the thread that reads.

        :param key_prefix: keep only the keys with this prefix, stripped.
        :param ignore_subscribe_messages: the default of its ``get_message``.
        """
        from sync_shims.redis.keyspace_notifications import (
            ClusterKeyspaceNotifications,
        )

        return ClusterKeyspaceNotifications(
            self,
            key_prefix=key_prefix,
            ignore_subscribe_messages=ignore_subscribe_messages,
        )

    def transaction(
        self,
        func: Callable[[ClusterPipeline], Any],
        *watches: Any,
        shard_hint: Any = None,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
    ) -> Any:
        """Run ``func(pipe)`` (in the calling thread) in a transaction, again
        while WATCHed keys change. Watched and queued keys must share one slot; a
        slot that moves while its keys are watched counts as a change.

        :returns: the EXEC results, or ``func``'s value with ``value_from_callable``.
        """
        with self.pipeline(True, shard_hint) as pipe:
            while True:
                try:
                    if watches:
                        pipe.watch(*watches)
                    func_value = func(pipe)
                    exec_value = pipe.execute()
                    return func_value if value_from_callable else exec_value
                except WatchError:
                    if watch_delay is not None and watch_delay > 0:
                        time.sleep(watch_delay)

    def lock(
        self,
        name: str | bytes,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
        lock_class: type[Lock] | None = None,
        thread_local: bool = True,
        raise_on_release_error: bool = True,
    ) -> Lock:
        """A :class:`~sync_shims.redis.lock.Lock` named ``name`` (on the node of
        its key)."""
        # Lock and Script only use the client's ``_async``, which the async
        # Lock and Script accept from a cluster client as from a Redis.
        return (lock_class or Lock)(
            cast(Redis, self),
            name,
            timeout=timeout,
            sleep=sleep,
            blocking=blocking,
            blocking_timeout=blocking_timeout,
            thread_local=thread_local,
            raise_on_release_error=raise_on_release_error,
        )

    def register_script(self, script: str | bytes) -> Script:
        """A callable :class:`~sync_shims.redis.client.Script` (EVALSHA on the node
        of its keys, loaded again on NOSCRIPT); called with ``client=`` a
        :class:`ClusterPipeline`, it is queued there, and the pipeline loads it
        on the nodes that run it before it sends its commands."""
        return _ClusterScript(cast(Redis, self), script)


class _ClusterScript(Script):
    """A Script that can also be queued on a blocking :class:`ClusterPipeline`."""

    def __call__(
        self,
        keys: list[Any] | tuple[Any, ...] | None = None,
        args: list[Any] | tuple[Any, ...] | None = None,
        client: Any = None,
    ) -> Any:
        """Run the script (or queue it on a pipeline ``client``)."""
        if isinstance(client, ClusterPipeline):
            # The async Script queues on an async ClusterPipeline as on a
            # pipeline; its annotation names only the standalone clients.
            result = call(self._async, keys, args, cast(Any, client._async))
            return client if result is client._async else result
        return super().__call__(keys, args, client)


def _annotate(error: RedisError, number: int, args: tuple[Any, ...]) -> None:
    """Prefix ``error``'s message with its command, as redis-py's blocking
    cluster pipeline does (its asyncio one quotes the message's ``args``)."""
    words = (
        bytes(a).decode("utf-8", "replace")
        if isinstance(a, bytes | bytearray | memoryview)
        else str(a)
        for a in args
    )
    command = textwrap.shorten(
        " ".join(words), width=100, placeholder="...", break_long_words=True
    )
    first = error.args[0] if error.args else ""
    message = f"Command # {number} ({command}) of pipeline caused error: {first}"
    error.args = (message, *error.args[1:])


class ClusterPipeline(
    BlockingPipelineMixin, ClusterModuleCommands, ClusterPipelineTwin
):
    """Commands queued in the calling thread, sent by :meth:`execute`: grouped by
    node, each node's batch written at once, all nodes in parallel.

    Command methods return the pipeline (they chain). Use it as a context manager
    (``with rc.pipeline() as pipe:``), which resets it on exit.
    """

    _async: AsyncClusterPipeline

    # The async pipeline splits these per slot and returns itself: queue them
    # through the dispatch hook so that the blocking pipeline is what chains.
    def delete(self, *names: Any) -> Any:
        """DEL, one command (and result) per slot of ``names``."""
        return self._execute(self._async.delete, *names)

    def unlink(self, *names: Any) -> Any:
        """UNLINK, one command (and result) per slot of ``names``."""
        return self._execute(self._async.unlink, *names)

    def exists(self, *names: Any) -> Any:
        """EXISTS, one command (and result) per slot of ``names``."""
        return self._execute(self._async.exists, *names)

    def touch(self, *args: Any) -> Any:
        """TOUCH, one command (and result) per slot of the keys."""
        return self._execute(self._async.touch, *args)

    def mset_nonatomic(self, mapping: Mapping[Any, Any]) -> Any:
        """MSET, one command (and result) per slot; not in a transaction."""
        return self._execute(self._async.mset_nonatomic, mapping)

    @property
    def himport_registry(self) -> HImportRegistry:
        """The client's HIMPORT fieldsets (its ``himport_registry``)."""
        return self._async.himport_registry

    def get_connection_kwargs(self) -> dict[str, Any]:
        """The arguments the cluster client's node connections are made with."""
        return self._async.get_connection_kwargs()

    def execute(
        self, raise_on_error: bool = True, allow_redirections: bool = True
    ) -> list[Any]:
        """Send every queued command (per node, in parallel); return the replies
        in queue order.

        :param raise_on_error: raise the first error reply, annotated as redis-py's
            blocking client does (``Command # 2 (LPUSH k 1) of pipeline caused
            error: WRONGTYPE ...``), instead of returning it, unannotated, in the
            list.
        :param allow_redirections: retry commands answered with MOVED, ASK or
            TRYAGAIN on their own (else they are errors).
        """
        stack = list(self._async.command_stack)
        results: list[Any] = call(self._async.execute, False, allow_redirections)
        if raise_on_error:
            for number, (result, (args, _)) in enumerate(
                zip(results, stack, strict=True), 1
            ):
                if isinstance(result, RedisError):
                    _annotate(result, number, args)
                    raise result
        return results

    @property
    def command_stack(self) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """The queued ``(args, options)``."""
        return self._async.command_stack

    @property
    def is_transaction(self) -> bool:
        """Whether :meth:`execute` wraps the commands in MULTI/EXEC."""
        return self._async.is_transaction

    def close(self) -> None:
        """Same as :meth:`reset` (the connections belong to the client)."""
        self.reset()


class ClusterPubSub(PubSub):
    """Pub/sub on a :class:`RedisCluster` (``rc.pubsub()``), blocking.

    Classic channels and patterns live on one node (``subscribe``,
    ``psubscribe``, ``get_message``, ``listen``, ``run_in_thread``), shard
    channels on the nodes owning their slots (``ssubscribe``, ``sunsubscribe``,
    :meth:`get_sharded_message`). Handlers run in the thread that reads the
    message, as with :class:`~sync_shims.redis.client.PubSub`.
    """

    _async: AsyncClusterPubSub

    @property
    def shard_channels(self) -> dict[Any, Any]:
        """Subscribed shard channels."""
        return self._async.shard_channels

    def get_sharded_message(
        self,
        ignore_subscribe_messages: bool = False,
        timeout: float | None = 0.0,
        target_node: AsyncClusterNode | None = None,
    ) -> dict[str, Any] | None:
        """The next shard-channel message from any subscribed node (or from
        ``target_node``), or None when none came within ``timeout`` seconds
        (``None``: wait). Messages with a handler go to it and give None."""
        message = call(
            self._async.get_sharded_message,
            ignore_subscribe_messages,
            timeout,
            target_node,
        )
        return self._dispatch(message)

    def get_redis_connection(self) -> Redis | None:
        """As redis-py's blocking ``ClusterPubSub``: the
        :attr:`ClusterNode.redis_connection` of the classic pub/sub node (None
        until the node is chosen)."""
        node = self._async.get_pubsub_node()
        return node.redis_connection if isinstance(node, ClusterNode) else None

    def get_pubsub_node(self) -> AsyncClusterNode | None:
        """The node of classic pub/sub (None until chosen)."""
        return self._async.get_pubsub_node()

    def set_pubsub_node(
        self,
        cluster: RedisCluster,
        node: AsyncClusterNode | None = None,
        host: str | None = None,
        port: int | None = None,
    ) -> None:
        """Use ``node`` (or the node at ``host:port``) for classic pub/sub.

        :raises RedisClusterException: the node is not part of the cluster.
        """
        self._async.set_pubsub_node(cluster._async, node, host, port)


# -- fork ----------------------------------------------------------------------
# A cluster client makes node pools on the loop as it learns the topology, so
# they cannot be registered with ``_fork`` when made: just before a fork, every
# node pool of a live client is registered, and ``_fork``'s hook resets them in
# the child. The client's lock is bound to the parent's loop (and may be held
# there): the child gets a new one.
_clusters: weakref.WeakSet[AsyncRedisCluster] = weakref.WeakSet()


def _before_fork() -> None:
    for client in list(_clusters):
        manager = client.nodes_manager
        for node in (*manager.startup_nodes.values(), *manager.nodes_cache.values()):
            track_pool(node.connection_pool)


def _after_fork_in_child() -> None:
    for client in list(_clusters):
        client._lock = None


os.register_at_fork(before=_before_fork, after_in_child=_after_fork_in_child)
