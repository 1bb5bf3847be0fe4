"""redis-py's ``redis.keyspace_notifications``: blocking keyspace notifications.

The managers are the async core's (:mod:`aio.redis.keyspace_notifications`),
driven through the engine's portal: :class:`KeyspaceNotifications`
(``r.keyspace_notifications()``) and :class:`ClusterKeyspaceNotifications`
(``rc.keyspace_notifications()``). The parsing and the channel names are the
core's too, and so are these names: :class:`KeyNotification`, the channel
classes, :class:`EventType`, :class:`ChannelType`, :func:`get_channel_type`.

Handlers run in the thread that reads, never on the engine's loop: the core
hands each notification for a handler back to the reader, which calls the
handler once the read returns (in ``get_message``'s caller, or in the
:class:`KeyspaceWorkerThread` of :meth:`~AbstractKeyspaceNotifications.run_in_thread`).
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Literal, Self, TypeAlias

from aio.redis._keyspace_channels import is_glob, split_by_glob, text
from aio.redis.exceptions import RedisError
from aio.redis.keyspace_notifications import (
    AbstractAsyncKeyspaceNotifications,
    AsyncClusterKeyspaceNotifications,
    AsyncHandlerT,
    AsyncKeyspaceNotifications,
    ChannelT,
    ChannelType,
    EventType,
    KeyeventChannel,
    KeyNotification,
    KeyNotificationError,
    KeyspaceChannel,
    SubkeyeventChannel,
    SubkeyspaceChannel,
    SubkeyspaceeventChannel,
    SubkeyspaceitemChannel,
    get_channel_type,
)
from sync_shims._portal import call
from sync_shims.redis._worker import PollingThread

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis
    from sync_shims.redis.cluster import RedisCluster

__all__ = (
    "AbstractKeyspaceNotifications",
    "ChannelT",
    "ChannelType",
    "ClusterKeyspaceNotifications",
    "EventType",
    "KeyNotification",
    "KeyNotificationError",
    "KeyeventChannel",
    "KeyspaceChannel",
    "KeyspaceNotifications",
    "KeyspaceNotificationsInterface",
    "KeyspaceWorkerThread",
    "SubkeyeventChannel",
    "SubkeyspaceChannel",
    "SubkeyspaceeventChannel",
    "SubkeyspaceitemChannel",
    "SyncHandlerT",
    "get_channel_type",
)

#: A notification handler of the blocking managers.
SyncHandlerT: TypeAlias = Callable[[KeyNotification], None]
#: ``run_in_thread``'s error callback: the error, the manager and the thread.
ExceptionHandlerT: TypeAlias = Callable[
    [BaseException, "KeyspaceNotificationsInterface", "KeyspaceWorkerThread"], None
]

# redis-py's module-level helper of the same name (its async module imports it).
_is_pattern = is_glob


class KeyspaceNotificationsInterface(ABC):
    """The API of the blocking managers (redis-py's
    ``KeyspaceNotificationsInterface``)."""

    @abstractmethod
    def subscribe(
        self, *channels: ChannelT, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to notification channels (patterns detected)."""

    @abstractmethod
    def unsubscribe(self, *channels: ChannelT) -> None:
        """Unsubscribe from notification channels."""

    @abstractmethod
    def subscribe_keyspace(
        self, key_or_pattern: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to the events on keys."""

    @abstractmethod
    def subscribe_keyevent(
        self, event: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to an event on any key."""

    @abstractmethod
    def subscribe_subkeyspace(
        self, key_or_pattern: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to the subkey events on keys."""

    @abstractmethod
    def subscribe_subkeyevent(
        self, event: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to a subkey event on any key."""

    @abstractmethod
    def subscribe_subkeyspaceitem(
        self,
        key_or_pattern: str,
        subkey_or_pattern: str,
        db: int = 0,
        handler: SyncHandlerT | None = None,
    ) -> None:
        """Subscribe to the events on one subkey."""

    @abstractmethod
    def subscribe_subkeyspaceevent(
        self,
        event: str,
        key_or_pattern: str,
        db: int = 0,
        handler: SyncHandlerT | None = None,
    ) -> None:
        """Subscribe to one event on keys, with its subkeys."""

    @abstractmethod
    def get_message(
        self, ignore_subscribe_messages: bool | None = None, timeout: float = 0.0
    ) -> KeyNotification | None:
        """The next notification, if one comes within ``timeout`` seconds."""

    @abstractmethod
    def listen(self) -> Iterator[KeyNotification]:
        """The notifications, for as long as anything is subscribed."""

    @abstractmethod
    def close(self) -> None:
        """Close the connections and forget the subscriptions."""

    @abstractmethod
    def __enter__(self) -> Self: ...

    @abstractmethod
    def __exit__(self, *exc_info: object) -> Literal[False]: ...

    @property
    @abstractmethod
    def subscribed(self) -> bool:
        """True while anything is subscribed and the manager is open."""

    @abstractmethod
    def run_in_thread(
        self,
        poll_timeout: float = 0.0,
        daemon: bool = False,
        exception_handler: ExceptionHandlerT | None = None,
    ) -> KeyspaceWorkerThread:
        """Start a thread that reads notifications for their handlers."""


class AbstractKeyspaceNotifications(KeyspaceNotificationsInterface):
    """What both blocking managers are: a core manager driven through the
    portal, with the handlers called in the reading thread.

    :param core: the async manager.
    """

    def __init__(self, core: AbstractAsyncKeyspaceNotifications) -> None:
        self._core = core
        # (handler, notification) the core set aside for the reading thread.
        self._pending: deque[tuple[SyncHandlerT, KeyNotification]] = deque()
        # Subscription name -> whether it has a handler (for run_in_thread).
        self._patterns: dict[str, bool] = {}
        self._channels: dict[str, bool] = {}
        #: Set by each subscription: what a read waits on while nothing is
        #: subscribed (as redis-py's blocking PubSub).
        self._subscribed_event = threading.Event()

    @property
    def key_prefix(self) -> str | bytes | None:
        """Keep only the keys with this prefix, stripped (for later subscriptions'
        handlers and every read)."""
        return self._core.key_prefix

    @key_prefix.setter
    def key_prefix(self, value: str | bytes | None) -> None:
        self._core.key_prefix = value

    @property
    def ignore_subscribe_messages(self) -> bool:
        """The default of :meth:`get_message`'s argument."""
        return self._core.ignore_subscribe_messages

    @ignore_subscribe_messages.setter
    def ignore_subscribe_messages(self, value: bool) -> None:
        self._core.ignore_subscribe_messages = value

    def _deferred(self, handler: SyncHandlerT) -> AsyncHandlerT:
        pending = self._pending

        def set_aside(notification: KeyNotification) -> None:
            # On the loop: only queue it; the reader calls the handler.
            pending.append((handler, notification))

        return set_aside

    def subscribe(
        self, *channels: ChannelT, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to notification channels: names (text or bytes) or channel
        objects; a name with glob characters is a pattern (PSUBSCRIBE).

        :param handler: called, in the thread that reads, with each notification
            of these channels, which :meth:`get_message` then does not return.
        """
        deferred = None if handler is None else self._deferred(handler)
        call(self._core.subscribe, *channels, handler=deferred)
        patterns, exact = split_by_glob(channels)
        self._patterns.update(dict.fromkeys(patterns, handler is not None))
        self._channels.update(dict.fromkeys(exact, handler is not None))
        self._subscribed_event.set()

    def unsubscribe(self, *channels: ChannelT) -> None:
        """Unsubscribe from notification channels."""
        call(self._core.unsubscribe, *channels)
        for channel in channels:
            name = text(channel)
            self._patterns.pop(name, None)
            self._channels.pop(name, None)

    def subscribe_keyspace(
        self, key_or_pattern: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to the events on a key or on the keys matching a pattern."""
        self.subscribe(KeyspaceChannel(key_or_pattern, db=db), handler=handler)

    def subscribe_keyevent(
        self, event: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to an event (or the events matching a pattern) on any key."""
        self.subscribe(KeyeventChannel(event, db=db), handler=handler)

    def subscribe_subkeyspace(
        self, key_or_pattern: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to the subkey events on keys."""
        self.subscribe(SubkeyspaceChannel(key_or_pattern, db=db), handler=handler)

    def subscribe_subkeyevent(
        self, event: str, db: int = 0, handler: SyncHandlerT | None = None
    ) -> None:
        """Subscribe to a subkey event on any key."""
        self.subscribe(SubkeyeventChannel(event, db=db), handler=handler)

    def subscribe_subkeyspaceitem(
        self,
        key_or_pattern: str,
        subkey_or_pattern: str,
        db: int = 0,
        handler: SyncHandlerT | None = None,
    ) -> None:
        """Subscribe to the events on one subkey of a key."""
        channel = SubkeyspaceitemChannel(key_or_pattern, subkey_or_pattern, db=db)
        self.subscribe(channel, handler=handler)

    def subscribe_subkeyspaceevent(
        self,
        event: str,
        key_or_pattern: str,
        db: int = 0,
        handler: SyncHandlerT | None = None,
    ) -> None:
        """Subscribe to one event on a key, with the subkeys it touched."""
        channel = SubkeyspaceeventChannel(event, key_or_pattern, db=db)
        self.subscribe(channel, handler=handler)

    # -- reading --------------------------------------------------------------------

    def get_message(
        self, ignore_subscribe_messages: bool | None = None, timeout: float = 0.0
    ) -> KeyNotification | None:
        """The next notification without a handler, or None: none came within
        ``timeout`` seconds (``None`` waits), the message was another one, or it
        went to its handler (called here, in this thread), or the manager is
        closed. While nothing is subscribed it waits up to ``timeout`` for a
        subscription made in another thread, as redis-py does.
        """
        if self._core._is_closed:
            return None
        if not self._core.subscribed:
            # Clear, then look again: a subscription made in between (which
            # sets the event once it took effect) is not missed.
            self._subscribed_event.clear()
            if not self._core.subscribed:
                start = time.monotonic()
                if not self._subscribed_event.wait(timeout):
                    return None
                if timeout is not None:
                    timeout = max(0.0, timeout - (time.monotonic() - start))
        notification: KeyNotification | None = call(
            self._core.get_message, ignore_subscribe_messages, timeout
        )
        self._run_handlers()
        return notification

    def _run_handlers(self) -> None:
        # Taken, not looked at first: readers in other threads empty the
        # same queue.
        while True:
            try:
                handler, notification = self._pending.popleft()
            except IndexError:
                return
            handler(notification)

    def listen(self) -> Iterator[KeyNotification]:
        """The notifications without a handler, for as long as anything is
        subscribed (it ends within a second of the last unsubscription)."""
        while self.subscribed:
            notification = self.get_message(timeout=1.0)
            if notification is not None:
                yield notification

    @property
    def subscribed(self) -> bool:
        """True while anything is subscribed and the manager is open."""
        return self._core.subscribed

    def run_in_thread(
        self,
        poll_timeout: float = 0.0,
        daemon: bool = False,
        exception_handler: ExceptionHandlerT | None = None,
    ) -> KeyspaceWorkerThread:
        """Start a :class:`KeyspaceWorkerThread` that reads notifications for the
        handlers until its ``stop()``, then closes this manager.

        :param poll_timeout: how long each read waits (0, redis-py's default,
            makes the thread spin: give e.g. 0.1).
        :param daemon: make the thread a daemon.
        :param exception_handler: called with an error, this manager and the
            thread; without one, the error ends the thread.
        :raises RedisError: a subscription has no handler.
        """
        self._validate_all_handlers()
        thread = KeyspaceWorkerThread(
            self, poll_timeout, daemon=daemon, exception_handler=exception_handler
        )
        thread.start()
        return thread

    def _validate_all_handlers(self) -> None:
        # Channels first, then patterns, as redis-py looks.
        for kind, subscriptions in (
            ("Channel", self._channels),
            ("Pattern", self._patterns),
        ):
            for name, has_handler in subscriptions.items():
                if not has_handler:
                    shown = self._shown(name)
                    raise RedisError(f"{kind} '{shown}' has no handler registered")

    def _shown(self, name: str) -> str:
        """``name`` as redis-py's error messages show it."""
        return name

    # -- closing --------------------------------------------------------------------

    def close(self) -> None:
        """Close the connections; later reads return None."""
        call(self._core.aclose)
        self._patterns.clear()
        self._channels.clear()
        self._subscribed_event.set()  # a reader waiting for a subscription

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> Literal[False]:
        self.close()
        return False


class KeyspaceWorkerThread(PollingThread[KeyspaceNotificationsInterface]):
    """The thread of :meth:`~AbstractKeyspaceNotifications.run_in_thread`: reads
    notifications for their handlers until :meth:`stop`, then closes the manager.

    :param notifications: the manager it reads.
    :param poll_timeout: how long each read waits.
    :param daemon: make the thread a daemon.
    :param exception_handler: called with an error, the manager and the thread;
        without one, the error ends the thread.
    """

    def __init__(
        self,
        notifications: KeyspaceNotificationsInterface,
        poll_timeout: float,
        daemon: bool = False,
        exception_handler: ExceptionHandlerT | None = None,
    ) -> None:
        super().__init__(daemon, exception_handler)
        self.notifications = notifications
        self.poll_timeout = poll_timeout

    def _start_reading(
        self,
    ) -> tuple[KeyspaceNotificationsInterface, Callable[[], object]]:
        notifications, poll_timeout = self.notifications, self.poll_timeout

        def read_once() -> object:
            return notifications.get_message(
                ignore_subscribe_messages=True, timeout=poll_timeout
            )

        return notifications, read_once


class KeyspaceNotifications(AbstractKeyspaceNotifications):
    """Keyspace notifications of one Redis server on one pub/sub connection
    (``r.keyspace_notifications()``; redis-py's ``KeyspaceNotifications``).

    :param redis_client: the blocking client whose pool gives the connection.
    :param key_prefix: keep only the keys with this prefix, stripped.
    :param ignore_subscribe_messages: the default of ``get_message``'s argument.
    """

    def __init__(
        self,
        redis_client: Redis,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> None:
        super().__init__(
            AsyncKeyspaceNotifications(
                redis_client._async,
                key_prefix=key_prefix,
                ignore_subscribe_messages=ignore_subscribe_messages,
            )
        )
        self.redis = redis_client
        _, _, self._decode = redis_client._async.connection_pool.get_encoder()

    def _shown(self, name: str) -> str:
        # redis-py names a subscription as its PubSub keys it: bytes (shown
        # as b'...') unless the client decodes responses.
        return name if self._decode else repr(name.encode())


class ClusterKeyspaceNotifications(AbstractKeyspaceNotifications):
    """Keyspace notifications of every primary of a cluster
    (``rc.keyspace_notifications()``; redis-py's ``ClusterKeyspaceNotifications``).

    :param redis_cluster: the blocking cluster client.
    :param key_prefix: keep only the keys with this prefix, stripped.
    :param ignore_subscribe_messages: the default of ``get_message``'s argument.
    """

    _core: AsyncClusterKeyspaceNotifications

    def __init__(
        self,
        redis_cluster: RedisCluster,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> None:
        super().__init__(
            AsyncClusterKeyspaceNotifications(
                redis_cluster._async,
                key_prefix=key_prefix,
                ignore_subscribe_messages=ignore_subscribe_messages,
            )
        )
        self.cluster = redis_cluster

    def refresh_subscriptions(self) -> None:
        """Bring the node connections in line with the cluster's primaries (see
        :meth:`aio.redis.keyspace_notifications.AsyncClusterKeyspaceNotifications.refresh_subscriptions`).

        :raises ConnectionError: some primaries could not be subscribed.
        """
        call(self._core.refresh_subscriptions)
