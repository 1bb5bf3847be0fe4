"""Pub/sub on a cluster: :class:`ClusterPubSub`, redis-py's ``ClusterPubSub``.

Two kinds of channels, two kinds of connections:

* **Classic** channels and patterns (SUBSCRIBE, PSUBSCRIBE): a cluster broadcasts
  every PUBLISH to all its nodes, so one connection to one node hears them all.
  That is the :class:`ClusterPubSub` itself, a :class:`~aio.redis.PubSub` on the
  node given to ``rc.pubsub(node=...)`` (or ``host``/``port``), else on the node
  of the first channel's slot, else a random node. ``get_message``, ``listen``,
  ``run`` and the handlers are ``PubSub``'s.
* **Shard** channels (SSUBSCRIBE, Redis 7): a shard channel lives in the slot of
  its name, and SPUBLISH only reaches the subscribers on that slot's node. Each
  node that owns a subscribed shard channel gets a ``PubSub`` of its own (in
  ``node_pubsub_mapping``); :meth:`ClusterPubSub.get_sharded_message` reads them
  in turn, and ``RedisCluster.spublish`` is routed by slot like any keyed command.

The server refuses an SSUBSCRIBE whose channels hash to different slots
(CROSSSLOT), so subscriptions are sent, and re-sent after a reconnect, one slot at
a time.

When a shard channel's slot moves, its subscription follows:

* the connection to a node drops: the next read reconnects and re-subscribes
  (``PubSub``'s reconnect, with this module's per-slot re-subscription);
* the slot migrates to another node: the old owner tells its subscribers with an
  ``sunsubscribe`` message they did not ask for. The slot map is re-read and the
  channel subscribed on its new owner (the message is passed on, as redis-py does);
* an SSUBSCRIBE reaches a node that no longer owns the slot: it answers MOVED; the
  map is patched and the channel subscribed where MOVED points;
* a node cannot be reconnected: the map is re-read and its channels move to their
  current owners; if none moved, the connection error is raised.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

import anyio

from aio.redis._cluster_slots import ClusterNode, encode_key, key_slot
from aio.redis._pubsub import Handler, PubSub
from aio.redis.exceptions import (
    ConnectionError,
    DataError,
    MovedError,
    PubSubError,
    RedisClusterException,
    TimeoutError,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from aio.redis._connection import Connection
    from aio.redis.cluster import RedisCluster

__all__ = ("ClusterPubSub",)

_SHARD_COMMANDS = ("SSUBSCRIBE", "SUNSUBSCRIBE", "SPUBLISH")
_SUBSCRIBE_CONFIRMATIONS = ("ssubscribe", "sunsubscribe")

# What one pass over the node connections found, besides a message.
_HANDLED = "handled"  # a message went to its handler
_UPKEEP = "upkeep"  # subscriptions moved to other nodes: look again at once
_NOTHING = "nothing"  # nothing to read yet


def _by_slot(names: Iterable[Any], encoding: str) -> dict[int, list[Any]]:
    groups: dict[int, list[Any]] = {}
    for name in names:
        groups.setdefault(key_slot(encode_key(name, encoding)), []).append(name)
    return groups


class _ShardPubSub(PubSub):
    """The shard-channel subscriptions held on one node's connection."""

    async def on_connect(self, connection: Connection) -> None:
        """Re-issue the shard subscriptions, one SSUBSCRIBE per slot."""
        self.pending_unsubscribe_shard_channels.clear()
        for names in _by_slot(self.shard_channels, self._encoding).values():
            connection._write(connection._pack(("SSUBSCRIBE", *names)))


class ClusterPubSub(PubSub):
    """Pub/sub on a :class:`~aio.redis.RedisCluster` (``rc.pubsub()``).

    Classic channels and patterns on one node (``subscribe``, ``psubscribe``,
    ``get_message``, ``listen``, ``run``), shard channels on the nodes owning
    their slots (``ssubscribe``, ``sunsubscribe``, :meth:`get_sharded_message`).

    :param redis_cluster: the cluster client.
    :param node: the node for classic pub/sub (else ``host`` and ``port``; else
        chosen by the first channel's slot).
    :raises RedisClusterException: the node is not part of the cluster.
    :raises DataError: only one of ``host`` and ``port`` was given.
    """

    def __init__(
        self,
        redis_cluster: RedisCluster,
        node: ClusterNode | None = None,
        host: str | None = None,
        port: int | None = None,
        push_handler_func: Any = None,
        **kwargs: Any,
    ) -> None:
        self.cluster = redis_cluster
        self.node: ClusterNode | None = None
        self.set_pubsub_node(redis_cluster, node, host, port)
        # Until the node is chosen, any node's pool gives the encoder (they all
        # share the client's connection arguments).
        if self.node is not None:
            pool = self.node.connection_pool
        else:
            startup = next(iter(redis_cluster.nodes_manager.startup_nodes.values()))
            pool = startup.connection_pool
        super().__init__(pool, push_handler_func=push_handler_func, **kwargs)
        self.node_pubsub_mapping: dict[str, PubSub] = {}
        # Shard channel (as messages carry it) -> name of the node subscribed to.
        self._shard_channel_to_node: dict[Any, str] = {}
        # Shard channels taken off a node that lost their slot, not yet
        # subscribed on the new owner.
        self._homeless: set[Any] = set()
        self._next_pubsub = 0

    def __repr__(self) -> str:
        return (
            f"<ClusterPubSub node={self.node!r} channels={list(self.channels)} "
            f"shard_channels={list(self.shard_channels)}>"
        )

    # -- the classic pub/sub node ------------------------------------------------------

    def set_pubsub_node(
        self,
        cluster: RedisCluster,
        node: ClusterNode | None = None,
        host: str | None = None,
        port: int | None = None,
    ) -> None:
        """Use ``node`` (or the node at ``host:port``) for classic pub/sub; with
        neither, the node is chosen by the first channel's slot.

        :raises RedisClusterException: the node is not part of the cluster.
        :raises DataError: only one of ``host`` and ``port`` was given.
        """
        if node is not None:
            chosen = node
        elif host is not None and port is not None:
            found = cluster.get_node(host=host, port=port)
            if found is None:
                raise RedisClusterException(
                    f"Node {host}:{port} doesn't exist in the cluster"
                )
            chosen = found
        elif host is not None or port is not None:
            raise DataError("Specify both host and port")
        else:
            self.node = None
            return
        if cluster.get_node(node_name=chosen.name) is None:
            raise RedisClusterException(
                f"Node {chosen.host}:{chosen.port} doesn't exist in the cluster"
            )
        self.node = chosen

    def get_pubsub_node(self) -> ClusterNode | None:
        """The node of classic pub/sub (None until chosen)."""
        return self.node

    def get_redis_connection(self) -> Connection | None:
        """The classic pub/sub connection (None before the first command)."""
        return self.connection

    async def _choose_node(self, channel: Any) -> None:
        cluster = self.cluster
        if not cluster._initialized:
            _ = await cluster.initialize()
        if channel is None:
            node = cluster.get_random_node()
        else:
            slot = cluster.keyslot(channel)
            # As redis-py: one of the slot's nodes as the strategy says.
            node = cluster.nodes_manager.get_node_from_slot(
                slot, cluster.read_from_replicas, cluster.load_balancing_strategy
            )
        self.node = node
        self.connection_pool = node.connection_pool

    async def connect(self) -> None:
        """Connect to the classic pub/sub node (a random one if none is chosen)."""
        if self.connection is None and self.node is None:
            await self._choose_node(None)
        await super().connect()

    async def on_connect(self, connection: Connection) -> None:
        """Re-issue the classic subscriptions after a reconnect (the shard ones
        live on the per-node connections)."""
        self.pending_unsubscribe_channels.clear()
        self.pending_unsubscribe_patterns.clear()
        for command, subs in (
            ("SUBSCRIBE", self.channels),
            ("PSUBSCRIBE", self.patterns),
        ):
            if subs:
                connection._write(connection._pack((command, *subs)))

    async def execute_command(self, *args: Any) -> None:
        """Write a command: shard commands on their channel's node, the others on
        the classic pub/sub connection."""
        name = args[0].upper() if isinstance(args[0], str) else args[0]
        if name in _SHARD_COMMANDS and len(args) > 1:
            node = await self._owner(args[1])
            await self._node_pubsub(node).execute_command(*args)
            return
        if self.connection is None and self.node is None:
            await self._choose_node(args[1] if len(args) > 1 else None)
        await super().execute_command(*args)

    # -- shard channels ----------------------------------------------------------------

    async def _owner(self, channel: Any) -> ClusterNode:
        cluster = self.cluster
        if not cluster._initialized:
            _ = await cluster.initialize()
        node = cluster.get_node_from_key(channel)
        assert node is not None  # a primary always leads a covered slot
        return node

    def _node_pubsub(self, node: ClusterNode) -> PubSub:
        pubsub = self.node_pubsub_mapping.get(node.name)
        if pubsub is None:
            pubsub = _ShardPubSub(
                node.connection_pool, push_handler_func=self.push_handler_func
            )
            self.node_pubsub_mapping[node.name] = pubsub
        return pubsub

    async def ssubscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to shard channels, each on the node owning its slot;
        ``name=handler`` keyword arguments attach handlers."""
        subs = self._normalize(args, kwargs)
        if not subs:
            raise PubSubError("ssubscribe() needs at least one channel")
        await self._subscribe_shards(subs)
        self.shard_channels.update(subs)
        self.pending_unsubscribe_shard_channels.difference_update(subs)

    async def _subscribe_shards(self, subs: dict[Any, Handler | None]) -> None:
        """SSUBSCRIBE ``subs`` on their slots' owners (moving any that is
        subscribed elsewhere), one command per slot."""
        per_node: dict[str, tuple[ClusterNode, dict[Any, Handler | None]]] = {}
        for name, handler in subs.items():
            node = await self._owner(name)
            per_node.setdefault(node.name, (node, {}))[1][name] = handler
            old = self._shard_channel_to_node.get(name)
            if old is not None and old != node.name:
                await self._leave(old, [name])
        for node, group in per_node.values():
            pubsub = self._node_pubsub(node)
            for names in _by_slot(group, self._encoding).values():
                await pubsub.ssubscribe(*names)
            pubsub.shard_channels.update(group)  # with their handlers
            for name in group:
                self._shard_channel_to_node[name] = node.name

    async def _leave(self, node_name: str, names: list[Any]) -> None:
        """Stop listening to ``names`` on a node they moved away from (best
        effort: that node may be gone, or may have dropped them already)."""
        pubsub = self.node_pubsub_mapping.get(node_name)
        if pubsub is None:
            return
        for name in names:
            pubsub.shard_channels.pop(name, None)
            pubsub.pending_unsubscribe_shard_channels.discard(name)
        conn = pubsub.connection
        if conn is not None and conn.is_connected:
            for group in _by_slot(names, self._encoding).values():
                try:
                    await pubsub.execute_command("SUNSUBSCRIBE", *group)
                except (ConnectionError, TimeoutError):
                    break
        await self._drop_if_idle(node_name)

    async def _drop_if_idle(self, node_name: str) -> None:
        pubsub = self.node_pubsub_mapping.get(node_name)
        if pubsub is not None and not pubsub.shard_channels:
            del self.node_pubsub_mapping[node_name]
            await pubsub.aclose()

    async def sunsubscribe(self, *args: Any) -> None:
        """Unsubscribe from the given shard channels, or from all of them."""
        names = list(self._normalize(args, {})) if args else list(self.shard_channels)
        self.pending_unsubscribe_shard_channels.update(names)
        per_node: dict[str, list[Any]] = {}
        for name in names:
            node_name = self._shard_channel_to_node.get(name)
            if node_name is None:
                node_name = (await self._owner(name)).name
            per_node.setdefault(node_name, []).append(name)
        for node_name, group in per_node.items():
            pubsub = self.node_pubsub_mapping.get(node_name)
            if pubsub is None:
                continue
            for slot_names in _by_slot(group, self._encoding).values():
                await pubsub.sunsubscribe(*slot_names)

    # -- reading -----------------------------------------------------------------------

    async def get_sharded_message(
        self,
        ignore_subscribe_messages: bool = False,
        timeout: float | None = 0.0,  # noqa: ASYNC109 - redis-py's signature
        target_node: ClusterNode | None = None,
    ) -> dict[str, Any] | None:
        """The next shard-channel message (``smessage``, ``ssubscribe``,
        ``sunsubscribe``) from any subscribed node, or from ``target_node``; None
        when none arrives within ``timeout`` seconds (``None`` waits for ever while
        anything is subscribed). Messages of channels with a handler go to the
        handler and are not returned.

        :raises ConnectionError: a node stayed unreachable and its channels have
            nowhere else to go.
        """
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            await self._rehome()  # channels whose move was interrupted
            pubsubs = self._readable(target_node)
            if not pubsubs:
                if timeout:
                    await asyncio.sleep(timeout)
                return None
            message = await self._poll(pubsubs)
            if message is _HANDLED:
                return None
            if isinstance(message, dict):
                if message["type"] in _SUBSCRIBE_CONFIRMATIONS and (
                    ignore_subscribe_messages or self.ignore_subscribe_messages
                ):
                    return None
                return message
            if message is _UPKEEP:
                continue
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return None
            await _wait_any([p for _, p in pubsubs], remaining)

    def _readable(self, target_node: ClusterNode | None) -> list[tuple[str, PubSub]]:
        """The node pub/subs to read, rotated so that a busy node does not starve
        the others."""
        if target_node is not None:
            pubsub = self.node_pubsub_mapping.get(target_node.name)
            return [] if pubsub is None else [(target_node.name, pubsub)]
        items = list(self.node_pubsub_mapping.items())
        if not items:
            return []
        start = self._next_pubsub % len(items)
        self._next_pubsub = start + 1
        return items[start:] + items[:start]

    async def _poll(self, pubsubs: list[tuple[str, PubSub]]) -> Any:
        """One pass over ``pubsubs`` without waiting: the first message, or
        :data:`_HANDLED` (a handler took it), :data:`_UPKEEP` (subscriptions were
        moved: look again at once) or :data:`_NOTHING`."""
        for name, pubsub in pubsubs:
            try:
                message = await pubsub.get_message(timeout=0)
            except MovedError as exc:
                await self._follow_moved(name, exc)
                return _UPKEEP
            except (ConnectionError, TimeoutError) as exc:
                await self._node_failed(name, exc)
                return _UPKEEP
            if message is None:
                # A read that found nothing clears ``_ready`` (PubSub's wake-up
                # flag); one that took a reply, which a handler consumed, does not.
                if pubsub._ready.is_set():
                    return _HANDLED
                continue
            await self._after_message(name, pubsub, message)
            return message
        return _NOTHING

    async def _after_message(
        self, name: str, pubsub: PubSub, message: dict[str, Any]
    ) -> None:
        if message["type"] != "sunsubscribe":
            return
        channel = message["channel"]
        if channel in pubsub.shard_channels:
            # Not asked for: the node gave the slot away. Find the new owner.
            self.cluster._refresh_needed = True
            self._unhome(name, [channel])
            await self._rehome()
        elif self._shard_channel_to_node.get(channel) == name:
            # Asked for: forget it here too.
            del self._shard_channel_to_node[channel]
            self.shard_channels.pop(channel, None)
            self.pending_unsubscribe_shard_channels.discard(channel)
            await self._drop_if_idle(name)

    def _unhome(self, name: str, channels: Iterable[Any]) -> None:
        """Take ``channels`` off the node ``name`` (which no longer serves them)
        and remember to subscribe them where they live now.

        Bookkeeping first, network later: a read cancelled (or failing) in between
        leaves them in ``_homeless``, and the next read subscribes them.
        """
        pubsub = self.node_pubsub_mapping.get(name)
        for channel in channels:
            if pubsub is not None:
                pubsub.shard_channels.pop(channel, None)
            if channel in self.shard_channels:
                self._homeless.add(channel)

    async def _rehome(self) -> None:
        """Subscribe the channels taken off a node on their slots' owners."""
        if not self._homeless:
            return
        if self.cluster._refresh_needed:
            await self.cluster._refresh()
        channels = [c for c in self._homeless if c in self.shard_channels]
        await self._subscribe_shards({c: self.shard_channels[c] for c in channels})
        self._homeless.difference_update(channels)
        for name in list(self.node_pubsub_mapping):
            await self._drop_if_idle(name)

    async def _follow_moved(self, name: str, moved: MovedError) -> None:
        """An SSUBSCRIBE went to a node that no longer owns the slot: patch the
        map and subscribe its channels where MOVED points."""
        manager = self.cluster.nodes_manager
        via = manager.get_node(node_name=name)
        if via is not None:
            host = manager.redirection_host(moved.host, via)
        else:
            host = moved.host or name.rpartition(":")[0]
        manager.update_moved(moved.slot_id, host, moved.port)
        self.cluster._refresh_needed = True
        self._unhome(
            name,
            [
                channel
                for channel, node in self._shard_channel_to_node.items()
                if node == name
                and key_slot(encode_key(channel, self._encoding)) == moved.slot_id
            ],
        )
        await self._rehome()

    async def _node_failed(self, name: str, error: Exception) -> None:
        """A node's connection could not be re-made: move its channels to their
        current owners, or raise ``error`` when the map still names that node."""
        self.cluster._refresh_needed = True
        await self.cluster._refresh()
        gone = []
        for channel, node in self._shard_channel_to_node.items():
            if node == name and (await self._owner(channel)).name != name:
                gone.append(channel)
        if not gone:
            raise error
        self._unhome(name, gone)
        await self._rehome()

    # -- closing -----------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close every connection (classic and per node); forget every
        subscription."""
        pubsubs = list(self.node_pubsub_mapping.values())
        self.node_pubsub_mapping = {}
        self._shard_channel_to_node = {}
        self._homeless = set()
        try:
            for pubsub in pubsubs:
                await pubsub.aclose()
        finally:
            await super().aclose()


async def _wait_any(pubsubs: list[PubSub], timeout: float | None) -> None:  # noqa: ASYNC109
    """Wait until one of ``pubsubs`` has something to read, or ``timeout``.

    Reads nothing: each ``PubSub`` flags its ``_ready`` event when its connection
    hands it a reply (or an error), so no message can be lost to a cancelled read.
    """
    events = [pubsub._ready for pubsub in pubsubs]
    if any(event.is_set() for event in events):
        return
    with anyio.move_on_after(timeout):
        async with anyio.create_task_group() as tg:

            async def wait(event: asyncio.Event) -> None:
                await event.wait()
                tg.cancel_scope.cancel()

            for event in events:
                tg.start_soon(wait, event)
