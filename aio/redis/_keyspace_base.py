"""What the standalone and the cluster notification managers share.

:class:`AsyncKeyspaceNotificationsInterface` is the API (redis-py's), and
:class:`AbstractAsyncKeyspaceNotifications` writes it once over two hooks,
``_execute_subscribe`` and ``_execute_unsubscribe``: channel names with glob
characters are subscribed with PSUBSCRIBE, the others with SUBSCRIBE, in one
command each, and a handler is wrapped into a pub/sub message handler that
parses the message and calls it with the :class:`KeyNotification`.

A message on a notification channel that cannot be parsed (a client may PUBLISH
anything there) is logged and skipped, for ``get_message``, ``listen`` and the
handlers alike: one bad message must not end a listener.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, Self, TypeAlias

from aio.redis._keyspace_channels import (
    ChannelT,
    KeyeventChannel,
    KeyspaceChannel,
    SubkeyeventChannel,
    SubkeyspaceChannel,
    SubkeyspaceeventChannel,
    SubkeyspaceitemChannel,
    split_by_glob,
)
from aio.redis._keyspace_parse import KeyNotification, KeyNotificationError

__all__ = (
    "AbstractAsyncKeyspaceNotifications",
    "AsyncHandlerT",
    "AsyncKeyspaceNotificationsInterface",
    "MessageHandler",
    "Subscription",
    "parse_or_skip",
    "subscriptions",
)

logger = logging.getLogger("aio.redis")

#: A notification handler: a function (or coroutine function) of the notification.
AsyncHandlerT: TypeAlias = Callable[[KeyNotification], None | Awaitable[None]]
#: What the pub/sub object calls with a raw message.
MessageHandler: TypeAlias = Callable[[dict[str, Any]], Awaitable[None]]
#: ``run()``'s error callback: the error and the manager (may be a coroutine).
ExceptionHandlerT: TypeAlias = Callable[
    [BaseException, "AsyncKeyspaceNotificationsInterface"], None | Awaitable[None]
]


@dataclass(frozen=True)
class Subscription:
    """A channel name with its handler, as ``PubSub.subscribe`` accepts them
    (one command for names with and without handlers)."""

    name: str
    handler: MessageHandler | None


def subscriptions(subs: Mapping[str, MessageHandler | None]) -> list[Subscription]:
    """``{name: handler}`` as arguments of one (P)SUBSCRIBE."""
    return [Subscription(name, handler) for name, handler in subs.items()]


def parse_or_skip(
    message: Mapping[str, Any] | None, key_prefix: str | bytes | None
) -> KeyNotification | None:
    """The notification of ``message``; None for a message that is none, and for
    a malformed one (logged)."""
    try:
        return KeyNotification.from_message(message, key_prefix=key_prefix)
    except KeyNotificationError as exc:
        logger.warning("keyspace notification skipped: %s (data %r)", exc, exc.data)
        return None


class AsyncKeyspaceNotificationsInterface(ABC):
    """The API of the notification managers, standalone and cluster (redis-py's
    ``AsyncKeyspaceNotificationsInterface``)."""

    @abstractmethod
    async def subscribe(
        self, *channels: ChannelT, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to notification channels (patterns detected)."""

    @abstractmethod
    async def unsubscribe(self, *channels: ChannelT) -> None:
        """Unsubscribe from notification channels."""

    @abstractmethod
    async def subscribe_keyspace(
        self, key_or_pattern: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to the events on keys."""

    @abstractmethod
    async def subscribe_keyevent(
        self, event: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to an event on any key."""

    @abstractmethod
    async def subscribe_subkeyspace(
        self, key_or_pattern: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to the subkey events on keys."""

    @abstractmethod
    async def subscribe_subkeyevent(
        self, event: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to a subkey event on any key."""

    @abstractmethod
    async def subscribe_subkeyspaceitem(
        self,
        key_or_pattern: str,
        subkey_or_pattern: str,
        db: int = 0,
        handler: AsyncHandlerT | None = None,
    ) -> None:
        """Subscribe to the events on one subkey."""

    @abstractmethod
    async def subscribe_subkeyspaceevent(
        self,
        event: str,
        key_or_pattern: str,
        db: int = 0,
        handler: AsyncHandlerT | None = None,
    ) -> None:
        """Subscribe to one event on keys, with its subkeys."""

    @abstractmethod
    async def get_message(
        self,
        ignore_subscribe_messages: bool | None = None,
        timeout: float | None = 0.0,  # noqa: ASYNC109 - redis-py's signature
    ) -> KeyNotification | None:
        """The next notification, if one comes within ``timeout`` seconds."""

    @abstractmethod
    def listen(self) -> AsyncIterator[KeyNotification]:
        """The notifications, for as long as anything is subscribed."""

    @abstractmethod
    async def aclose(self) -> None:
        """Close the connections and forget the subscriptions."""

    @abstractmethod
    async def __aenter__(self) -> Self: ...

    @abstractmethod
    async def __aexit__(self, *exc_info: object) -> Literal[False]: ...

    @property
    @abstractmethod
    def subscribed(self) -> bool:
        """True while anything is subscribed and the manager is open."""

    @abstractmethod
    async def run(
        self,
        poll_timeout: float = 1.0,
        exception_handler: ExceptionHandlerT | None = None,
    ) -> None:
        """Read notifications for the handlers until nothing is subscribed."""


class AbstractAsyncKeyspaceNotifications(AsyncKeyspaceNotificationsInterface):
    """The shared part of the managers (redis-py's
    ``AbstractAsyncKeyspaceNotifications``): subclasses write
    ``_execute_subscribe``, ``_execute_unsubscribe``, ``get_message``,
    ``subscribed`` and ``aclose``.

    :param key_prefix: keep only the keys with this prefix, stripped.
    :param ignore_subscribe_messages: the default of ``get_message``'s argument.
    """

    def __init__(
        self,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> None:
        self.key_prefix = key_prefix
        self.ignore_subscribe_messages = ignore_subscribe_messages
        self._closed = False

    @property
    def _is_closed(self) -> bool:
        """Whether :meth:`aclose` was called (read-only). Internal, for the
        blocking facade: redis-py's managers have no public name for it."""
        return self._closed

    # -- subscribing ----------------------------------------------------------------

    def _message_handler(self, handler: AsyncHandlerT) -> MessageHandler:
        # The prefix as it is now, as redis-py captures it at subscription time.
        key_prefix = self.key_prefix

        async def on_message(message: dict[str, Any]) -> None:
            notification = parse_or_skip(message, key_prefix)
            if notification is None:
                return
            self._on_handled()
            result = handler(notification)
            if inspect.isawaitable(result):
                await result

        return on_message

    def _on_handled(self) -> None:
        """A handler got a notification (the cluster reader counts them)."""

    async def subscribe(
        self, *channels: ChannelT, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to notification channels: names (text or bytes) or channel
        objects (:class:`KeyspaceChannel`...); a name with glob characters is a
        pattern (PSUBSCRIBE).

        :param handler: called (awaited if it returns an awaitable) with each
            notification of these channels, which ``get_message`` and ``listen``
            then do not return. A plain function runs on the event loop: it must
            not block.
        """
        wrapped = None if handler is None else self._message_handler(handler)
        pattern_names, exact_names = split_by_glob(channels)
        patterns: dict[str, MessageHandler | None] = dict.fromkeys(
            pattern_names, wrapped
        )
        exact: dict[str, MessageHandler | None] = dict.fromkeys(exact_names, wrapped)
        # The command first: if it fails, nothing is recorded as subscribed.
        await self._execute_subscribe(patterns, exact)
        self._track_subscribe(patterns, exact)

    async def unsubscribe(self, *channels: ChannelT) -> None:
        """Unsubscribe from notification channels (as :meth:`subscribe` names them)."""
        patterns, exact = split_by_glob(channels)
        await self._execute_unsubscribe(patterns, exact)
        self._untrack_subscribe(patterns, exact)

    @abstractmethod
    async def _execute_subscribe(
        self,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        """Send PSUBSCRIBE for ``patterns``, SUBSCRIBE for ``exact_channels``."""

    @abstractmethod
    async def _execute_unsubscribe(
        self, patterns: list[str], exact_channels: list[str]
    ) -> None:
        """Send PUNSUBSCRIBE for ``patterns``, UNSUBSCRIBE for ``exact_channels``."""

    def _track_subscribe(
        self,
        patterns: dict[str, MessageHandler | None],
        exact_channels: dict[str, MessageHandler | None],
    ) -> None:
        """Record new subscriptions (the standalone pub/sub records its own)."""

    def _untrack_subscribe(
        self, patterns: list[str], exact_channels: list[str]
    ) -> None:
        """Forget subscriptions (the standalone pub/sub forgets its own)."""

    async def subscribe_keyspace(
        self, key_or_pattern: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to the events on a key or on the keys matching a pattern
        (:class:`KeyspaceChannel`)."""
        await self.subscribe(KeyspaceChannel(key_or_pattern, db=db), handler=handler)

    async def subscribe_keyevent(
        self, event: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to an event (or the events matching a pattern) on any key
        (:class:`KeyeventChannel`)."""
        await self.subscribe(KeyeventChannel(event, db=db), handler=handler)

    async def subscribe_subkeyspace(
        self, key_or_pattern: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to the subkey events on keys (:class:`SubkeyspaceChannel`)."""
        await self.subscribe(SubkeyspaceChannel(key_or_pattern, db=db), handler=handler)

    async def subscribe_subkeyevent(
        self, event: str, db: int = 0, handler: AsyncHandlerT | None = None
    ) -> None:
        """Subscribe to a subkey event on any key (:class:`SubkeyeventChannel`)."""
        await self.subscribe(SubkeyeventChannel(event, db=db), handler=handler)

    async def subscribe_subkeyspaceitem(
        self,
        key_or_pattern: str,
        subkey_or_pattern: str,
        db: int = 0,
        handler: AsyncHandlerT | None = None,
    ) -> None:
        """Subscribe to the events on one subkey of a key
        (:class:`SubkeyspaceitemChannel`)."""
        channel = SubkeyspaceitemChannel(key_or_pattern, subkey_or_pattern, db=db)
        await self.subscribe(channel, handler=handler)

    async def subscribe_subkeyspaceevent(
        self,
        event: str,
        key_or_pattern: str,
        db: int = 0,
        handler: AsyncHandlerT | None = None,
    ) -> None:
        """Subscribe to one event on a key, with the subkeys it touched
        (:class:`SubkeyspaceeventChannel`)."""
        channel = SubkeyspaceeventChannel(event, key_or_pattern, db=db)
        await self.subscribe(channel, handler=handler)

    # -- reading --------------------------------------------------------------------

    def _parse(self, message: Mapping[str, Any] | None) -> KeyNotification | None:
        return parse_or_skip(message, self.key_prefix)

    async def listen(self) -> AsyncIterator[KeyNotification]:
        """The notifications without a handler, for as long as anything is
        subscribed (``async for n in ksn.listen():``); it ends, within a
        second, once everything is unsubscribed or the manager closed."""
        while self.subscribed:
            notification = await self.get_message(timeout=1.0)
            if notification is not None:
                yield notification

    async def run(
        self,
        poll_timeout: float = 1.0,
        exception_handler: ExceptionHandlerT | None = None,
    ) -> None:
        """Read notifications for their handlers until nothing is subscribed
        (run it as a task: ``tg.start_soon(ksn.run)``).

        :param poll_timeout: how long each read waits.
        :param exception_handler: called (awaited if it returns an awaitable)
            with an error and this manager, and the loop goes on; without one
            the error ends the loop. Cancellation always ends it.
        """
        while self.subscribed:
            try:
                _ = await self.get_message(timeout=poll_timeout)
            except Exception as exc:
                if exception_handler is None:
                    raise
                result = exception_handler(exc, self)
                if inspect.isawaitable(result):
                    await result
                # An error that comes back at once must not starve the loop.
                await asyncio.sleep(0)

    # -- closing --------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> Literal[False]:
        await self.aclose()
        return False
