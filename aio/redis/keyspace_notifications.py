"""Keyspace notifications: redis-py 8.1's ``redis.asyncio.keyspace_notifications``.

Redis can publish an event whenever a key changes (once the server's
``notify-keyspace-events`` setting asks for them, e.g. ``"KEA"``). A manager
subscribes to the notification channels and turns each message into a
:class:`KeyNotification` (key, event, database, subkeys)::

    async with r.keyspace_notifications(key_prefix="user:") as ksn:
        await ksn.subscribe_keyspace("user:*")
        async for notification in ksn.listen():
            print(notification.key, notification.event_type)

:class:`AsyncKeyspaceNotifications` (``Redis.keyspace_notifications()``) uses one
pub/sub connection; :class:`AsyncClusterKeyspaceNotifications`
(``RedisCluster.keyspace_notifications()``) one per primary, since a cluster
node publishes only the events of its own keys. Notifications are read with
``get_message()``, ``listen()``, or given to handlers (``handler=`` of the
``subscribe*`` methods) while ``run()`` or a reader runs.

The channel classes, :class:`EventType`, :class:`ChannelType` and
:func:`get_channel_type` are redis-py's ``redis.keyspace_notifications`` names,
here in the same module.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aio.redis._keyspace_base import (
    AbstractAsyncKeyspaceNotifications as AbstractAsyncKeyspaceNotifications,
)
from aio.redis._keyspace_base import AsyncHandlerT as AsyncHandlerT
from aio.redis._keyspace_base import (
    AsyncKeyspaceNotificationsInterface as AsyncKeyspaceNotificationsInterface,
)
from aio.redis._keyspace_base import MessageHandler, subscriptions
from aio.redis._keyspace_channels import ChannelT as ChannelT
from aio.redis._keyspace_channels import ChannelType as ChannelType
from aio.redis._keyspace_channels import EventType as EventType
from aio.redis._keyspace_channels import KeyeventChannel as KeyeventChannel
from aio.redis._keyspace_channels import KeyspaceChannel as KeyspaceChannel
from aio.redis._keyspace_channels import SubkeyeventChannel as SubkeyeventChannel
from aio.redis._keyspace_channels import SubkeyspaceChannel as SubkeyspaceChannel
from aio.redis._keyspace_channels import (
    SubkeyspaceeventChannel as SubkeyspaceeventChannel,
)
from aio.redis._keyspace_channels import (
    SubkeyspaceitemChannel as SubkeyspaceitemChannel,
)
from aio.redis._keyspace_channels import get_channel_type as get_channel_type
from aio.redis._keyspace_cluster import (
    AsyncClusterKeyspaceNotifications as AsyncClusterKeyspaceNotifications,
)
from aio.redis._keyspace_parse import KeyNotification as KeyNotification
from aio.redis._keyspace_parse import KeyNotificationError as KeyNotificationError

if TYPE_CHECKING:
    from aio.redis._pubsub import PubSub
    from aio.redis.client import Redis

__all__ = (
    "AbstractAsyncKeyspaceNotifications",
    "AsyncClusterKeyspaceNotifications",
    "AsyncHandlerT",
    "AsyncKeyspaceNotifications",
    "AsyncKeyspaceNotificationsInterface",
    "ChannelT",
    "ChannelType",
    "EventType",
    "KeyNotification",
    "KeyNotificationError",
    "KeyeventChannel",
    "KeyspaceChannel",
    "SubkeyeventChannel",
    "SubkeyspaceChannel",
    "SubkeyspaceeventChannel",
    "SubkeyspaceitemChannel",
    "get_channel_type",
)


class AsyncKeyspaceNotifications(AbstractAsyncKeyspaceNotifications):
    """Keyspace notifications of one Redis server, on one pub/sub connection
    (``r.keyspace_notifications()``; redis-py's ``AsyncKeyspaceNotifications``).

    :param redis_client: the client whose pool gives the connection.
    :param key_prefix: keep only the keys with this prefix, stripped.
    :param ignore_subscribe_messages: the default of ``get_message``'s argument.
    """

    def __init__(
        self,
        redis_client: Redis,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> None:
        super().__init__(key_prefix, ignore_subscribe_messages)
        self.redis = redis_client
        # Confirmations kept, so that get_message's own argument decides.
        self._pubsub: PubSub = redis_client.pubsub(ignore_subscribe_messages=False)

    async def _execute_subscribe(
        self,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        if patterns:
            await self._pubsub.psubscribe(*subscriptions(patterns))
        if exact_channels:
            await self._pubsub.subscribe(*subscriptions(exact_channels))

    async def _execute_unsubscribe(
        self, patterns: list[str], exact_channels: list[str]
    ) -> None:
        if patterns:
            await self._pubsub.punsubscribe(*patterns)
        if exact_channels:
            await self._pubsub.unsubscribe(*exact_channels)

    async def get_message(
        self,
        ignore_subscribe_messages: bool | None = None,
        timeout: float | None = 0.0,  # noqa: ASYNC109 - redis-py's signature
    ) -> KeyNotification | None:
        """The next notification without a handler, or None: none came within
        ``timeout`` seconds (``None`` waits), the message was another one (a
        confirmation, a malformed notification: logged) or went to its handler,
        or the manager is closed.

        :raises RuntimeError: nothing was ever subscribed (as redis.asyncio).
        :raises ConnectionError: the connection dropped and could not be re-made.
        """
        if ignore_subscribe_messages is None:
            ignore_subscribe_messages = self.ignore_subscribe_messages
        if self._closed:
            return None
        message = await self._pubsub.get_message(
            ignore_subscribe_messages=ignore_subscribe_messages, timeout=timeout
        )
        return None if message is None else self._parse(message)

    @property
    def subscribed(self) -> bool:
        """True while anything is subscribed and the manager is open."""
        return not self._closed and self._pubsub.subscribed

    async def aclose(self) -> None:
        """Close the pub/sub connection; later reads return None."""
        self._closed = True
        await self._pubsub.aclose()
