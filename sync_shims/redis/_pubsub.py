"""redis-py's blocking ``PubSub`` (and its ``run_in_thread`` worker), on aio's
engine: handlers run in the calling or worker thread, never on the loop, and a
user's push handler runs in a worker thread (:func:`off_the_loop`). Imported
from :mod:`sync_shims.redis.client`, redis-py's module for them."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Any, Self

from aio.redis import PubSub as AsyncPubSub
from aio.redis.exceptions import PubSubError
from sync_shims._generated_redis import PubSubTwin
from sync_shims._portal import call, to_thread
from sync_shims.redis._worker import PollingThread
from sync_shims.redis.connection import Connection, ConnectionPool, Encoder

Handler = Callable[[dict[str, Any]], Any]


class _OffTheLoop:
    """A user's push handler wrapped by :func:`off_the_loop` (a class of its
    own, not ``__wrapped__``, which a user's own decorated handler has too)."""

    __slots__ = ("handler",)

    def __init__(self, handler: Callable[[Any], Any]) -> None:
        self.handler = handler

    async def __call__(self, reply: Any) -> Any:
        return await to_thread(self.handler, reply)


def off_the_loop(
    handler: Callable[[Any], Any] | None,
) -> Callable[[Any], Any] | None:
    """A user's push handler as the core calls it: in a worker thread, not on
    the engine's shared loop thread, where a slow handler would stall every
    client of the process (redis-py calls it in the reading thread, which here
    is blocked in the portal meanwhile). :func:`user_handler` gives the user's
    back.
    """
    if handler is None or isinstance(handler, _OffTheLoop):
        return handler
    return _OffTheLoop(handler)


def user_handler(
    handler: Callable[[Any], Any] | None,
) -> Callable[[Any], Any] | None:
    """The user's handler that :func:`off_the_loop` wrapped (or ``handler``)."""
    return handler.handler if isinstance(handler, _OffTheLoop) else handler


class PubSub(PubSubTwin):
    """Subscribe to channels and patterns; read with :meth:`get_message`,
    :meth:`listen` or :meth:`run_in_thread`.

    Handlers given as keywords (``p.subscribe(news=handler)``) run in the thread
    that reads the message (the caller, or the worker of ``run_in_thread``).
    """

    _async: AsyncPubSub

    PUBLISH_MESSAGE_TYPES = AsyncPubSub.PUBLISH_MESSAGE_TYPES
    UNSUBSCRIBE_MESSAGE_TYPES = AsyncPubSub.UNSUBSCRIBE_MESSAGE_TYPES
    HEALTH_CHECK_MESSAGE = AsyncPubSub.HEALTH_CHECK_MESSAGE

    def __init__(
        self, async_pubsub: AsyncPubSub, connection_pool: ConnectionPool | None = None
    ) -> None:
        super().__init__(async_pubsub)
        async_pubsub.push_handler_func = off_the_loop(async_pubsub.push_handler_func)
        self._pool = connection_pool
        self._handlers: dict[Any, Handler] = {}
        #: Set by each subscription: what a :meth:`get_message` called while
        #: nothing is subscribed waits on (redis-py's attribute).
        self.subscribed_event = threading.Event()
        encoding, errors, self._decode = async_pubsub.connection_pool.get_encoder()
        self._encoding = (encoding, errors)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def reset(self) -> None:
        """Same as :meth:`close` (not deprecated in sync redis-py, unlike the
        async ``PubSub.reset``)."""
        self.close()

    def close(self) -> None:
        """Unsubscribe from everything, forget the handlers, release the connection."""
        super().close()
        self._handlers.clear()

    def _follow(self, async_pubsub: AsyncPubSub) -> None:
        """Read the subscriptions from ``async_pubsub`` from now on (the
        multi-database client's pub/sub moves to another database's)."""
        self._async = async_pubsub

    def _subscribed(self, key: Any) -> bool:
        core = self._async
        return (
            key in core.channels or key in core.patterns or key in core.shard_channels
        )

    # -- redis-py's attributes, the async core's --------------------------------

    @property
    def connection_pool(self) -> ConnectionPool:
        """The pool the dedicated connection comes from (the client's)."""
        if self._pool is None or self._pool._async is not self._async.connection_pool:
            self._pool = ConnectionPool._wrap(self._async.connection_pool)
        return self._pool

    @property
    def ignore_subscribe_messages(self) -> bool:
        """Whether (un)subscribe confirmations are dropped by every read."""
        return self._async.ignore_subscribe_messages

    @ignore_subscribe_messages.setter
    def ignore_subscribe_messages(self, value: bool) -> None:
        self._async.ignore_subscribe_messages = value

    @property
    def shard_hint(self) -> Any:
        """The ``shard_hint`` given (unused, as in redis-py)."""
        return self._async.shard_hint

    @property
    def encoder(self) -> Encoder:
        """The :class:`~sync_shims.redis.connection.Encoder` channel names are
        keyed with."""
        return self._async.encoder

    @property
    def push_handler_func(self) -> Callable[[Any], Any] | None:
        """With RESP3, called with every push the connection receives (in a
        worker thread: see :func:`off_the_loop`)."""
        return user_handler(self._async.push_handler_func)

    @push_handler_func.setter
    def push_handler_func(self, value: Callable[[Any], Any] | None) -> None:
        self._async.push_handler_func = off_the_loop(value)

    @property
    def shard_channels(self) -> dict[Any, Any]:
        """Subscribed shard channels."""
        return self._async.shard_channels

    @property
    def pending_unsubscribe_channels(self) -> set[Any]:
        """Channels whose unsubscribe is sent but not yet confirmed."""
        return self._async.pending_unsubscribe_channels

    @property
    def pending_unsubscribe_patterns(self) -> set[Any]:
        """Patterns whose unsubscribe is sent but not yet confirmed."""
        return self._async.pending_unsubscribe_patterns

    @property
    def pending_unsubscribe_shard_channels(self) -> set[Any]:
        """Shard channels whose unsubscribe is sent but not yet confirmed."""
        return self._async.pending_unsubscribe_shard_channels

    @property
    def health_check_response_b(self) -> bytes | memoryview:
        """:attr:`HEALTH_CHECK_MESSAGE`, encoded: the reply to the health-check
        PING while nothing is subscribed (without ``decode_responses``)."""
        return self.encoder.encode(self.HEALTH_CHECK_MESSAGE)

    @property
    def health_check_response(self) -> list[Any]:
        """The reply to the health-check PING while subscribed, as sync redis-py
        has it: ``["pong", message]`` (bytes without ``decode_responses``)."""
        if self.encoder.decode_responses:
            return ["pong", self.HEALTH_CHECK_MESSAGE]
        return [b"pong", self.health_check_response_b]

    def is_health_check_response(self, response: Any) -> bool:
        """Whether ``response`` (a raw reply) answers the health-check PING,
        subscribed or not."""
        alone = (
            self.HEALTH_CHECK_MESSAGE
            if self.encoder.decode_responses
            else self.health_check_response_b
        )
        return response in (self.health_check_response, alone)

    def execute_command(self, *args: Any) -> None:
        """Send a command on the pub/sub connection (taken on first use); its
        reply comes as a message, as in redis-py."""
        call(self._async.execute_command, *args)

    def check_health(self) -> None:
        """PING with :attr:`HEALTH_CHECK_MESSAGE` when the connection has been
        idle past ``health_check_interval``; the pong never comes out as a
        message.

        :raises RuntimeError: nothing was ever subscribed (no connection yet).
        """
        call(self._async.check_health)

    def handle_message(
        self, response: Any, ignore_subscribe_messages: bool = False
    ) -> dict[str, Any] | None:
        """Turn a raw reply into a message dict, keeping the subscription
        bookkeeping; a message of a channel with a handler goes to the handler
        (in this thread) and gives None, as do health-check pongs and, when
        ignored, (un)subscribe confirmations."""
        message = call(self._async.handle_message, response, ignore_subscribe_messages)
        return self._dispatch(message)

    # -- subscriptions ------------------------------------------------------------

    @property
    def connection(self) -> Connection | None:
        """The dedicated connection (None until the first subscription)."""
        conn = self._async.connection
        return None if conn is None else Connection._wrap(conn)

    @property
    def channels(self) -> dict[Any, Any]:
        """Subscribed channels (as the server names them in messages)."""
        return self._async.channels

    @property
    def patterns(self) -> dict[Any, Any]:
        """Subscribed patterns."""
        return self._async.patterns

    def _key(self, name: Any) -> Any:
        # Messages name channels as bytes, or str with decode_responses.
        if self._decode:
            return name.decode(*self._encoding) if isinstance(name, bytes) else name
        return name.encode(*self._encoding) if isinstance(name, str) else name

    def _register(
        self, args: tuple[Any, ...], handlers: dict[str, Handler]
    ) -> list[Any]:
        # As redis-py's channels dict: a handler lives while its channel is
        # subscribed (the core drops a name when its unsubscribe is confirmed),
        # and subscribing again without one takes the old one away.
        for key in [k for k in self._handlers if not self._subscribed(k)]:
            del self._handlers[key]
        names: list[Any] = []
        for arg in args:
            # redis-py 8's ``Subscription(name, handler)`` (any object with a
            # ``name`` and a ``handler``): binary names need not be keywords.
            name, handler = getattr(arg, "name", arg), getattr(arg, "handler", None)
            if isinstance(arg, str | bytes | bytearray | memoryview):
                name, handler = arg, None
            self._set_handler(name, handler)
            names.append(name)
        for key, handler in handlers.items():
            self._set_handler(key, handler)
            names.append(key)
        return names

    def _set_handler(self, name: Any, handler: Handler | None) -> None:
        if handler is None:
            self._handlers.pop(self._key(name), None)
        else:
            self._handlers[self._key(name)] = handler

    def subscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to channels (names or ``Subscription(name, handler)``);
        keyword arguments name a channel's handler."""
        super().subscribe(*self._register(args, kwargs))
        self.subscribed_event.set()

    def psubscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to glob patterns; as :meth:`subscribe`."""
        super().psubscribe(*self._register(args, kwargs))
        self.subscribed_event.set()

    def ssubscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to shard channels; as :meth:`subscribe`."""
        super().ssubscribe(*self._register(args, kwargs))
        self.subscribed_event.set()

    def _dispatch(self, message: dict[str, Any] | None) -> dict[str, Any] | None:
        if message is None or message["type"] not in AsyncPubSub.PUBLISH_MESSAGE_TYPES:
            return message
        key = (
            message["pattern"] if message["type"] == "pmessage" else message["channel"]
        )
        handler = self._handlers.get(key)
        if handler is None:
            return message
        handler(message)
        return None

    def get_message(
        self, ignore_subscribe_messages: bool = False, timeout: float | None = 0.0
    ) -> dict[str, Any] | None:
        """The next message, or None when none came within ``timeout`` seconds
        (``None``: wait). Messages with a handler go to it and give None.

        While nothing is subscribed it waits up to ``timeout`` for a subscription
        (made in another thread) and returns None if none comes, as sync redis-py
        does; the time spent waiting counts against ``timeout``.
        """
        if not self.subscribed:
            # The core forgets the last subscription when its confirmation is
            # read: clear, then look again, so that a subscription made in
            # between (which sets the event after it took effect) is not missed.
            self.subscribed_event.clear()
            if not self.subscribed:
                start = time.monotonic()
                if not self.subscribed_event.wait(timeout):
                    return None
                if timeout is not None:
                    timeout = max(0.0, timeout - (time.monotonic() - start))
        return self._dispatch(super().get_message(ignore_subscribe_messages, timeout))

    def get_sharded_message(
        self,
        ignore_subscribe_messages: bool = False,
        timeout: float | None = 0.0,
        target_node: Any = None,
    ) -> dict[str, Any] | None:
        """Same as :meth:`get_message` (shard-channel messages share its queue)."""
        return self.get_message(ignore_subscribe_messages, timeout)

    def listen(self) -> Iterator[dict[str, Any]]:
        """Messages for as long as anything is subscribed."""
        for message in super().listen():
            if self._dispatch(message) is not None:
                yield message

    def run_in_thread(
        self,
        sleep_time: float = 0.0,
        daemon: bool = False,
        exception_handler: Callable[[BaseException, PubSub, PubSubWorkerThread], None]
        | None = None,
        pubsub: PubSub | None = None,
        sharded_pubsub: bool = False,
    ) -> PubSubWorkerThread:
        """Start a thread that feeds every message to its handler; ``.stop()`` it.

        :param sleep_time: how long each read waits.
        :param daemon: make the thread a daemon.
        :param exception_handler: called with an error, the pub/sub and the
            thread; without one, the error ends the thread.
        :param pubsub: the pub/sub the thread reads (this one by default); the
            handlers checked are still this one's.
        :param sharded_pubsub: read with :meth:`get_sharded_message`.
        :raises PubSubError: a subscription has no handler.
        """
        # As redis-py: channels, then patterns, then shard channels.
        for kind, names in (
            ("Channel", self._async.channels),
            ("Pattern", self._async.patterns),
            ("Shard Channel", self._async.shard_channels),
        ):
            for name in names:
                if self._key(name) not in self._handlers:
                    raise PubSubError(f"{kind}: '{name}' has no handler registered")
        thread = PubSubWorkerThread(
            self if pubsub is None else pubsub,
            sleep_time,
            daemon=daemon,
            exception_handler=exception_handler,
            sharded_pubsub=sharded_pubsub,
        )
        thread.start()
        return thread


class PubSubWorkerThread(PollingThread["PubSub"]):
    """The thread of :meth:`PubSub.run_in_thread`: reads until :meth:`stop`,
    then closes the pub/sub.

    :param pubsub: the pub/sub it reads.
    :param sleep_time: how long each read waits.
    :param daemon: make the thread a daemon.
    :param exception_handler: called with an error, the pub/sub and the thread;
        without one, the error ends the thread.
    :param sharded_pubsub: read with :meth:`PubSub.get_sharded_message`.
    """

    def __init__(
        self,
        pubsub: PubSub,
        sleep_time: float,
        daemon: bool = False,
        exception_handler: Callable[[BaseException, PubSub, PubSubWorkerThread], None]
        | None = None,
        sharded_pubsub: bool = False,
    ) -> None:
        super().__init__(daemon, exception_handler)
        self.pubsub = pubsub
        self.sleep_time = sleep_time
        self.sharded_pubsub = sharded_pubsub

    def _start_reading(self) -> tuple[PubSub, Callable[[], object]]:
        pubsub, sleep_time = self.pubsub, self.sleep_time

        def read_once() -> object:
            # sharded_pubsub is looked up on every read, as redis-py does.
            if self.sharded_pubsub:
                return pubsub.get_sharded_message(
                    ignore_subscribe_messages=True, timeout=sleep_time
                )
            return pubsub.get_message(
                ignore_subscribe_messages=True, timeout=sleep_time
            )

        return pubsub, read_once
