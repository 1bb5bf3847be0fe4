"""Keyspace notifications of a cluster: :class:`AsyncClusterKeyspaceNotifications`.

A cluster node publishes the notifications of its own keys only, to its own
subscribers (they are not broadcast as PUBLISH is), so the manager holds one
:class:`~aio.redis.PubSub` per primary, each subscribed to every channel and
pattern. The subscriptions are recorded here (``_subscribed_patterns`` and
``_subscribed_channels``, name -> message handler): they are what a node that
joins, or whose connection is re-made, gets subscribed to.

Reading takes one message per node per pass, starting from another node each
time so that a busy node does not starve the others, and waits on all of the
nodes at once when none has anything (no polling).

Failures: a dropped connection is re-made by the node's ``PubSub`` itself (and
re-subscribed). When that fails too, the slot map is re-read and
:meth:`AsyncClusterKeyspaceNotifications.refresh_subscriptions` brings the set
of pub/subs in line with the current primaries; a node that could not be
subscribed is tried again, at most once a second, by the next reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import TYPE_CHECKING

import anyio

from aio.redis._cluster_pubsub import _wait_any
from aio.redis._keyspace_base import (
    AbstractAsyncKeyspaceNotifications,
    MessageHandler,
    subscriptions,
)
from aio.redis._pubsub import PubSub
from aio.redis.exceptions import ConnectionError, TimeoutError

if TYPE_CHECKING:
    from aio.redis._cluster_slots import ClusterNode
    from aio.redis._keyspace_parse import KeyNotification
    from aio.redis.cluster import RedisCluster

__all__ = ("AsyncClusterKeyspaceNotifications",)

logger = logging.getLogger("aio.redis")

#: Seconds between two attempts to subscribe nodes that could not be.
RETRY_INTERVAL = 1.0

# What a pass over the node pub/subs found, besides a notification.
_HANDLED = "handled"  # a handler took a notification
_FAILED = "failed"  # a node's connection failed
_NOTHING = "nothing"


class AsyncClusterKeyspaceNotifications(AbstractAsyncKeyspaceNotifications):
    """Keyspace notifications of every primary of a cluster
    (``rc.keyspace_notifications()``; redis-py's
    ``AsyncClusterKeyspaceNotifications``).

    :param redis_cluster: the cluster client (initialized on first use).
    :param key_prefix: keep only the keys with this prefix, stripped.
    :param ignore_subscribe_messages: the default of ``get_message``'s argument.
    """

    def __init__(
        self,
        redis_cluster: RedisCluster,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> None:
        super().__init__(key_prefix, ignore_subscribe_messages)
        self.cluster = redis_cluster
        self._subscribed_patterns: dict[str, MessageHandler | None] = {}
        self._subscribed_channels: dict[str, MessageHandler | None] = {}
        self._node_pubsubs: dict[str, PubSub] = {}
        self._refresh_lock = asyncio.Lock()
        self._poll_index = 0
        self._handled = 0
        # When to try again the nodes that could not be subscribed (None: none).
        self._retry_at: float | None = None

    @property
    def subscribed(self) -> bool:
        """True while anything is subscribed and the manager is open."""
        return not self._closed and bool(
            self._subscribed_patterns or self._subscribed_channels
        )

    def _on_handled(self) -> None:
        self._handled += 1

    def _track_subscribe(
        self,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        self._subscribed_patterns.update(patterns)
        self._subscribed_channels.update(exact_channels)

    def _untrack_subscribe(
        self, patterns: list[str], exact_channels: list[str]
    ) -> None:
        for name in patterns:
            self._subscribed_patterns.pop(name, None)
        for name in exact_channels:
            self._subscribed_channels.pop(name, None)

    # -- the node pub/subs ----------------------------------------------------------

    async def _primaries(self) -> list[ClusterNode]:
        if not self.cluster._initialized:
            _ = await self.cluster.initialize()
        return self.cluster.get_primaries()

    def _ensure_node_pubsub(self, node: ClusterNode) -> PubSub:
        pubsub = self._node_pubsubs.get(node.name)
        if pubsub is None:
            # On the node's own pool: closing the PubSub disconnects its
            # connection before it goes back, never subscribed.
            pubsub = PubSub(node.connection_pool, ignore_subscribe_messages=False)
            self._node_pubsubs[node.name] = pubsub
        return pubsub

    async def _cleanup_node(self, node_name: str) -> None:
        pubsub = self._node_pubsubs.pop(node_name, None)
        if pubsub is not None:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    async def _subscribe_node(
        self,
        pubsub: PubSub,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        if patterns:
            await pubsub.psubscribe(*subscriptions(patterns))
        if exact_channels:
            await pubsub.subscribe(*subscriptions(exact_channels))

    def _retry_later(self, failed: list[str], what: str) -> None:
        if failed:
            logger.warning(
                "%s failed on cluster nodes %s; retrying within %.0f s",
                what,
                ", ".join(failed),
                RETRY_INTERVAL,
            )
            self._retry_at = asyncio.get_running_loop().time() + RETRY_INTERVAL

    async def _execute_subscribe(
        self,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        """Subscribe every primary, best effort: a node that fails is logged,
        and subscribed by a later refresh."""
        if not patterns and not exact_channels:
            return
        failed: list[str] = []
        for node in await self._primaries():
            is_new = node.name not in self._node_pubsubs
            pubsub = self._ensure_node_pubsub(node)
            try:
                if is_new:
                    # Catch a new node up with what the others have.
                    await self._subscribe_node(
                        pubsub, self._subscribed_patterns, self._subscribed_channels
                    )
                await self._subscribe_node(pubsub, patterns, exact_channels)
            except Exception:
                await self._cleanup_node(node.name)
                failed.append(node.name)
            except BaseException:
                await self._drop_half_subscribed(node.name)
                raise
        self._retry_later(failed, "Subscribing")

    async def _drop_half_subscribed(self, node_name: str) -> None:
        # Cancelled mid-subscription: what the node got is unknown, and a
        # pub/sub kept would never be caught up. Dropped, the node is
        # subscribed to everything by the next subscription or read.
        with anyio.CancelScope(shield=True):
            await self._cleanup_node(node_name)
        self._retry_at = asyncio.get_running_loop().time()

    async def _execute_unsubscribe(
        self, patterns: list[str], exact_channels: list[str]
    ) -> None:
        """Unsubscribe on every node, best effort: a node that fails is closed
        (a refresh re-creates it with the remaining subscriptions)."""
        failed: list[str] = []
        for name, pubsub in list(self._node_pubsubs.items()):
            try:
                if patterns:
                    await pubsub.punsubscribe(*patterns)
                if exact_channels:
                    await pubsub.unsubscribe(*exact_channels)
            except Exception:
                await self._cleanup_node(name)
                failed.append(name)
        self._retry_later(failed, "Unsubscribing")

    # -- reading --------------------------------------------------------------------

    async def get_message(
        self,
        ignore_subscribe_messages: bool | None = None,
        timeout: float | None = 0.0,  # noqa: ASYNC109 - redis-py's signature
    ) -> KeyNotification | None:
        """The next notification without a handler from any primary, or None:
        none came within ``timeout`` seconds (``None`` waits), a handler took
        one, or the manager is closed. A node whose connection fails is
        replaced (see :meth:`refresh_subscriptions`) and reading goes on.
        """
        if self._closed:
            return None
        if ignore_subscribe_messages is None:
            ignore_subscribe_messages = self.ignore_subscribe_messages
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            if self._retry_at is not None and loop.time() >= self._retry_at:
                await self._refresh_on_error()
            pubsubs = self._rotated()
            if not pubsubs:
                # Nothing to read (every node failed, or nothing subscribed):
                # wait as a read would, so that callers in a loop do not spin.
                await asyncio.sleep(RETRY_INTERVAL if timeout is None else timeout)
                return None
            found = await self._poll(pubsubs, ignore_subscribe_messages)
            if found is _HANDLED:
                return None
            if not isinstance(found, str):
                return found
            if found is _FAILED:
                await self._refresh_on_error()
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return None
            if found is _NOTHING:
                await _wait_any(pubsubs, remaining)
            elif self._retry_at is not None:
                # Still broken: pause until the next attempt, not spin on it.
                pause = max(0.0, self._retry_at - loop.time())
                await asyncio.sleep(
                    pause if remaining is None else min(pause, remaining)
                )

    def _rotated(self) -> list[PubSub]:
        pubsubs = list(self._node_pubsubs.values())
        if not pubsubs:
            return []
        start = self._poll_index % len(pubsubs)
        self._poll_index = start + 1
        return pubsubs[start:] + pubsubs[:start]

    async def _poll(
        self, pubsubs: list[PubSub], ignore_subscribe_messages: bool
    ) -> KeyNotification | str:
        """One message from each node that has one, without waiting: the first
        notification, else _HANDLED, _FAILED or _NOTHING."""
        failed = False
        for pubsub in pubsubs:
            handled = self._handled
            try:
                message = await pubsub.get_message(
                    ignore_subscribe_messages=ignore_subscribe_messages, timeout=0
                )
            except (ConnectionError, TimeoutError) as exc:
                logger.info("keyspace notifications: a node failed (%s)", exc)
                failed = True
                continue
            if self._handled != handled:
                return _HANDLED
            notification = None if message is None else self._parse(message)
            if notification is not None:
                return notification
        return _FAILED if failed else _NOTHING

    # -- topology -------------------------------------------------------------------

    async def _refresh_on_error(self) -> None:
        self._poll_index = 0
        self.cluster._refresh_needed = True
        try:
            await self.cluster._refresh()
            await self.refresh_subscriptions()
        except Exception:
            logger.warning(
                "refreshing the cluster's keyspace subscriptions failed; "
                "retrying later",
                exc_info=True,
            )
            self._retry_at = asyncio.get_running_loop().time() + RETRY_INTERVAL

    async def refresh_subscriptions(self) -> None:
        """Bring the node pub/subs in line with the cluster's primaries: close
        those of nodes that are no longer primaries and those whose connection
        is lost, and subscribe the primaries without one to every subscription.

        :raises ConnectionError: some primaries could not be subscribed (the
            others are); the next reads try them again.
        """
        async with self._refresh_lock:
            primaries = {node.name: node for node in await self._primaries()}
            for name in list(self._node_pubsubs):
                pubsub = self._node_pubsubs[name]
                conn = pubsub.connection
                if name not in primaries or conn is None or not conn.is_connected:
                    await self._cleanup_node(name)
            failed: list[str] = []
            if self.subscribed:
                for name, node in primaries.items():
                    if name in self._node_pubsubs:
                        continue
                    pubsub = self._ensure_node_pubsub(node)
                    try:
                        await self._subscribe_node(
                            pubsub,
                            self._subscribed_patterns,
                            self._subscribed_channels,
                        )
                    except Exception:
                        await self._cleanup_node(name)
                        failed.append(name)
                    except BaseException:
                        await self._drop_half_subscribed(name)
                        raise
            self._retry_at = None
            if failed:
                self._retry_at = asyncio.get_running_loop().time() + RETRY_INTERVAL
                raise ConnectionError(
                    f"Failed to subscribe to cluster nodes: {', '.join(failed)}"
                )

    # -- closing --------------------------------------------------------------------

    async def aclose(self) -> None:
        """Close every node's connection and forget the subscriptions."""
        self._closed = True
        for name in list(self._node_pubsubs):
            await self._cleanup_node(name)
        self._subscribed_patterns.clear()
        self._subscribed_channels.clear()
