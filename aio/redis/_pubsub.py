"""Publish/subscribe and MONITOR: connections that receive without asking.

A :class:`PubSub` takes a connection of its own from the pool and sets itself as
the connection's ``message_sink`` (and ``push_handler`` for RESP3), so every message
the server pushes lands in a local queue that :meth:`PubSub.get_message` and
:meth:`PubSub.listen` read. Commands (SUBSCRIBE, PING...) are written without
waiting: their confirmations arrive as messages too.

The subscriptions are remembered. When the connection drops, the sink receives the
error; the next read reconnects, the connect callback re-issues every SUBSCRIBE,
PSUBSCRIBE and SSUBSCRIBE, and reading continues.
"""

from __future__ import annotations

import asyncio
import builtins
import inspect
import logging
import re
import warnings
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

from aio.proto.resp import Push
from aio.redis._connection import Connection
from aio.redis._encoder import Encoder
from aio.redis._pool import ConnectionPool
from aio.redis.backoff import NoBackoff
from aio.redis.exceptions import ConnectionError, PubSubError, RedisError, TimeoutError
from aio.redis.retry import Retry

__all__ = ("Monitor", "PubSub")

logger = logging.getLogger("aio.redis")

Handler = Callable[[dict[str, Any]], Any]

# The policy of a connection made without one (redis-py's Connection default).
_NO_RETRY = Retry(NoBackoff(), 0)

_SUBSCRIBE = {"subscribe", "psubscribe", "ssubscribe"}
# The commands answered with pushes on RESP3 (the others get a plain reply).
_PUSHED = {
    "SUBSCRIBE",
    "PSUBSCRIBE",
    "SSUBSCRIBE",
    "UNSUBSCRIBE",
    "PUNSUBSCRIBE",
    "SUNSUBSCRIBE",
}


def _send(conn: Connection, args: tuple[Any, ...]) -> None:
    """Write a pub/sub command; its confirmation or reply comes as a message.

    On RESP3 a command other than (un)subscribing gets a plain reply, which
    takes its turn among the replies awaited on the connection
    (``send_to_sink``): an AUTH re-authenticating the connection is written
    without waiting, and must not be answered by this one's reply.
    """
    if conn.protocol == 3:
        name = args[0]
        if isinstance(name, bytes | bytearray | memoryview):
            name = bytes(name).decode("latin-1")
        if str(name).upper() not in _PUSHED:
            conn.send_to_sink(args)
            return
    conn._write(conn._pack(args))


class PubSub:
    """Subscribe to channels and patterns and read the messages published to them.

    :param connection_pool: where the dedicated connection comes from.
    :param ignore_subscribe_messages: drop (un)subscribe confirmations.
    :param push_handler_func: with RESP3, called with every push the connection
        receives (pub/sub messages and (un)subscribe confirmations included), as
        in redis-py; what it returns (awaited if awaitable) is then handled as the
        message, so a handler returning ``None`` consumes it.
    """

    PUBLISH_MESSAGE_TYPES = ("message", "pmessage", "smessage")
    UNSUBSCRIBE_MESSAGE_TYPES = ("unsubscribe", "punsubscribe", "sunsubscribe")
    HEALTH_CHECK_MESSAGE = "redis-py-health-check"

    def __init__(
        self,
        connection_pool: ConnectionPool,
        shard_hint: Any = None,
        ignore_subscribe_messages: bool = False,
        encoder: Any = None,
        push_handler_func: Callable[[Any], Any] | None = None,
    ) -> None:
        self.connection_pool = connection_pool
        self.shard_hint = shard_hint
        self.ignore_subscribe_messages = ignore_subscribe_messages
        self.push_handler_func = push_handler_func
        if encoder is None:
            encoder_class = getattr(connection_pool, "encoder_class", Encoder)
            encoder = encoder_class(*connection_pool.get_encoder())
        #: The :class:`~aio.redis._encoder.Encoder` channel names are keyed
        #: with (the ``encoder`` given, else one of the pool's settings).
        self.encoder: Encoder = encoder
        self._encoding = encoder.encoding
        self._errors = encoder.encoding_errors
        self._decode = bool(encoder.decode_responses)
        message = self.HEALTH_CHECK_MESSAGE
        #: The replies to the health-check PING, while subscribed and not (as
        #: the messages carry them: str with ``decode_responses``, else bytes).
        self.health_check_response: list[Any] = (
            [["pong", message], message]
            if self._decode
            else [[b"pong", encoder.encode(message)], encoder.encode(message)]
        )
        self.connection: Connection | None = None
        self.channels: dict[Any, Handler | None] = {}
        self.patterns: dict[Any, Handler | None] = {}
        self.shard_channels: dict[Any, Handler | None] = {}
        self.pending_unsubscribe_channels: set[Any] = set()
        self.pending_unsubscribe_patterns: set[Any] = set()
        self.pending_unsubscribe_shard_channels: set[Any] = set()
        self._queue: deque[Any] = deque()
        self._ready = asyncio.Event()
        self._reconnect_lock = asyncio.Lock()

    async def __aenter__(self) -> PubSub:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"<PubSub channels={list(self.channels)} patterns={list(self.patterns)}>"

    @property
    def subscribed(self) -> bool:
        """True while any channel, pattern or shard channel is subscribed."""
        return bool(self.channels or self.patterns or self.shard_channels)

    async def aclose(self) -> None:
        """Close the connection and forget every subscription."""
        conn = self.connection
        if conn is not None:
            self.connection = None
            conn.deregister_connect_callback(self.on_connect)
            await conn.disconnect(nowait=True)
            conn.message_sink = None
            conn.push_handler = None
            self.connection_pool._release(conn)
        self.channels = {}
        self.patterns = {}
        self.shard_channels = {}
        self.pending_unsubscribe_channels = set()
        self.pending_unsubscribe_patterns = set()
        self.pending_unsubscribe_shard_channels = set()
        self._queue.clear()

    async def reset(self) -> None:
        """Deprecated alias of :meth:`aclose` (as in redis-py's ``redis.asyncio``).

        .. deprecated:: 0.1 Use :meth:`aclose`.
        """
        warnings.warn(
            "PubSub.reset() is deprecated, use aclose()", DeprecationWarning, 2
        )
        await self.aclose()

    async def close(self) -> None:
        """Deprecated alias of :meth:`aclose` (as in redis-py's ``redis.asyncio``).

        .. deprecated:: 0.1 Use :meth:`aclose`.
        """
        warnings.warn(
            "PubSub.close() is deprecated, use aclose()", DeprecationWarning, 2
        )
        await self.aclose()

    # -- connection ------------------------------------------------------------------

    def _sink(self, reply: Any) -> None:
        self._queue.append(reply)
        self._ready.set()

    async def connect(self) -> None:
        """Take a connection (once) and make sure it is connected."""
        if self.connection is None:
            conn = await self.connection_pool.get_connection()
            conn.message_sink = self._sink
            conn.push_handler = self._sink
            conn.register_connect_callback(self.on_connect)
            self.connection = conn
        elif not self.connection.is_connected:
            await self.connection.connect()

    async def on_connect(self, connection: Connection) -> None:
        """Re-issue every subscription (runs after each reconnect)."""
        self.pending_unsubscribe_channels.clear()
        self.pending_unsubscribe_patterns.clear()
        self.pending_unsubscribe_shard_channels.clear()
        for command, subs in (
            ("SUBSCRIBE", self.channels),
            ("PSUBSCRIBE", self.patterns),
            ("SSUBSCRIBE", self.shard_channels),
        ):
            if subs:
                connection._write(connection._pack((command, *subs)))

    async def execute_command(self, *args: Any) -> None:
        """Write a command on the pub/sub connection (its reply arrives as a message)."""
        await self.connect()
        conn = self.connection
        assert conn is not None
        if conn.health_check_interval and not self._replies_expected():
            # Not in pub/sub mode yet, nothing in flight: a plain PING round trip
            # checks a connection idle past the interval (redis-py's
            # send_command(check_health=True)); a dead one is re-made here.
            await conn.check_health()
            if not conn.is_connected:
                await conn.connect()
        _send(conn, args)
        conn._touch()
        await conn.drain()

    def _replies_expected(self) -> bool:
        # Confirmations or messages may still arrive: a PING's reply could not be
        # told from them (RESP2).
        return self.subscribed or bool(
            self.pending_unsubscribe_channels
            or self.pending_unsubscribe_patterns
            or self.pending_unsubscribe_shard_channels
        )

    def _send_health_check(self) -> None:
        """While subscribed, PING with :attr:`HEALTH_CHECK_MESSAGE` once the
        connection was idle past ``health_check_interval`` (as redis-py does when
        polling); the answering pong is consumed where replies are read."""
        conn = self.connection
        if conn is None or not conn.health_check_interval or not conn.is_connected:
            return
        if asyncio.get_running_loop().time() <= conn._next_health_check:
            return
        _send(conn, ("PING", self.HEALTH_CHECK_MESSAGE))
        conn._touch()

    async def check_health(self) -> None:
        """PING with :attr:`HEALTH_CHECK_MESSAGE` when the connection has been
        idle past ``health_check_interval`` (nothing otherwise); the pong is
        consumed by :meth:`get_message`, as redis-py.

        :raises RuntimeError: nothing was ever subscribed (no connection yet).
        """
        conn = self.connection
        if conn is None:
            raise RuntimeError(
                "pubsub connection not set: "
                "did you forget to call subscribe() or psubscribe()?"
            )
        self._send_health_check()
        if conn.is_connected:
            await conn.drain()

    def _key(self, name: Any) -> Any:
        # Channel names are keyed as the messages will carry them.
        if isinstance(name, memoryview):
            name = bytes(name)
        if self._decode:
            return (
                name.decode(self._encoding, self._errors)
                if isinstance(name, bytes)
                else str(name)
            )
        return (
            name.encode(self._encoding, self._errors)
            if isinstance(name, str)
            else bytes(name)
        )

    def _normalize(
        self, args: tuple[Any, ...], kwargs: dict[str, Handler]
    ) -> dict[Any, Handler | None]:
        subs: dict[Any, Handler | None] = {}
        for arg in args:
            for item in arg if isinstance(arg, list | tuple | set) else (arg,):
                if isinstance(item, str | bytes | bytearray | memoryview):
                    subs[self._key(item)] = None
                else:
                    # redis-py 8's ``Subscription(name, handler)`` (any object
                    # with both): a binary name needs no keyword argument.
                    name = getattr(item, "name", item)
                    subs[self._key(name)] = getattr(item, "handler", None)
        for name, handler in kwargs.items():
            subs[self._key(name)] = handler
        return subs

    # -- subscriptions ---------------------------------------------------------------

    async def subscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to channels; ``name=handler`` keyword arguments, or redis-py
        8's ``Subscription(name, handler)`` objects, attach a handler (sync or
        async) that receives the channel's messages instead of the reader."""
        subs = self._normalize(args, kwargs)
        if not subs:
            raise PubSubError("subscribe() needs at least one channel")
        await self.execute_command("SUBSCRIBE", *subs)
        self.channels.update(subs)
        self.pending_unsubscribe_channels.difference_update(subs)

    async def unsubscribe(self, *args: Any) -> None:
        """Unsubscribe from the given channels, or from all of them."""
        names = list(self._normalize(args, {})) if args else list(self.channels)
        self.pending_unsubscribe_channels.update(names)
        await self.execute_command("UNSUBSCRIBE", *names)

    async def psubscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to glob patterns (``news.*``); keyword arguments attach handlers."""
        subs = self._normalize(args, kwargs)
        if not subs:
            raise PubSubError("psubscribe() needs at least one pattern")
        await self.execute_command("PSUBSCRIBE", *subs)
        self.patterns.update(subs)
        self.pending_unsubscribe_patterns.difference_update(subs)

    async def punsubscribe(self, *args: Any) -> None:
        """Unsubscribe from the given patterns, or from all of them."""
        names = list(self._normalize(args, {})) if args else list(self.patterns)
        self.pending_unsubscribe_patterns.update(names)
        await self.execute_command("PUNSUBSCRIBE", *names)

    async def ssubscribe(self, *args: Any, **kwargs: Handler) -> None:
        """Subscribe to shard channels (Redis 7 sharded pub/sub)."""
        subs = self._normalize(args, kwargs)
        if not subs:
            raise PubSubError("ssubscribe() needs at least one channel")
        await self.execute_command("SSUBSCRIBE", *subs)
        self.shard_channels.update(subs)
        self.pending_unsubscribe_shard_channels.difference_update(subs)

    async def sunsubscribe(self, *args: Any) -> None:
        """Unsubscribe from the given shard channels, or from all of them."""
        names = list(self._normalize(args, {})) if args else list(self.shard_channels)
        self.pending_unsubscribe_shard_channels.update(names)
        await self.execute_command("SUNSUBSCRIBE", *names)

    async def ping(self, message: Any = None) -> None:
        """Send PING; the answer arrives as a ``pong`` message."""
        args = ("PING",) if message is None else ("PING", message)
        await self.execute_command(*args)

    # -- reading ---------------------------------------------------------------------

    async def _reconnect(self) -> None:
        async with self._reconnect_lock:
            conn = self.connection
            if conn is not None and not conn.is_connected:
                logger.info("pub/sub connection lost; reconnecting and re-subscribing")
                await conn.connect()

    async def _reconnect_quietly(self, error: Exception) -> None:
        # One attempt right after a failure, as redis-py's PubSub makes in its
        # retry callback; if it fails too, the retry policy decides what's next.
        try:
            await self._reconnect()
        except (ConnectionError, TimeoutError, OSError):
            pass

    async def _recover(self, error: Exception) -> None:
        """Re-make the connection after it dropped with ``error``, under the
        connection's retry policy, as redis-py does: with retries left the drop is
        invisible (re-subscribed, reading goes on); with none (``retry=None``, or a
        pool made without ``retry``) ``error`` is raised once and the connection,
        re-subscribed, keeps delivering on the next read."""
        assert self.connection is not None
        retry: Retry | None = self.connection.retry  # pool.set_retry(None) too
        if retry is None:
            retry = _NO_RETRY
        await retry.retry_after(error, self._reconnect, self._reconnect_quietly)

    async def _next_reply(self, timeout: float | None) -> Any:  # noqa: ASYNC109
        """The next raw reply, or None after ``timeout`` seconds (None: wait)."""
        loop = asyncio.get_running_loop()
        deadline = None if timeout is None else loop.time() + timeout
        while True:
            if self._queue:
                reply = self._queue.popleft()
                if isinstance(reply, ConnectionError | TimeoutError):
                    if self.connection is None:
                        raise reply
                    await self._recover(reply)
                    continue
                return reply
            self._ready.clear()
            if self.connection is not None and not self.connection.is_connected:
                await self._reconnect()
                continue
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                return None
            try:
                async with asyncio.timeout(remaining):
                    await self._ready.wait()
            except builtins.TimeoutError:
                return None

    async def get_message(
        self,
        ignore_subscribe_messages: bool = False,
        timeout: float | None = 0.0,  # noqa: ASYNC109 - redis-py's signature
    ) -> dict[str, Any] | None:
        """The next message, or ``None`` when none arrives within ``timeout`` seconds
        (``None`` waits for ever). Messages of channels with a handler go to the
        handler and are not returned.

        :raises ConnectionError: the connection dropped and could not be re-made.
        :raises RuntimeError: nothing was ever subscribed (no connection yet), as
            ``redis.asyncio`` raises; the blocking facade waits instead, as sync
            redis-py does.
        """
        if self.connection is None:
            raise RuntimeError(
                "pubsub connection not set: "
                "did you forget to call subscribe() or psubscribe()?"
            )
        if self.subscribed:
            self._send_health_check()
        reply = await self._next_reply(timeout)
        if reply is None:
            return None
        reply = await self._through_push_handler(reply)
        if reply is None or self._is_health_check_reply(reply):
            return None
        return await self.handle_message(reply, ignore_subscribe_messages)

    async def _through_push_handler(self, reply: Any) -> Any:
        # redis-py hands every RESP3 push except invalidations to the handler at
        # the parser, and reads its return value as the reply.
        handler = self.push_handler_func
        if handler is None or type(reply) is not Push or not reply:
            return reply
        if self._text(reply[0]) == "invalidate":
            return reply
        result = handler(list(reply))
        if inspect.isawaitable(result):
            result = await result
        return result

    def _text(self, value: Any) -> str:
        if isinstance(value, bytes):
            return value.decode("utf-8", "replace")
        return str(value)

    def _is_health_check_reply(self, reply: Any) -> bool:
        # The answer to our health-check PING: ["pong", message] in pub/sub
        # mode, the bare message outside it. Consumed where replies are read
        # (as redis-py's parse_response), so handle_message() called on one
        # still makes it a pong message, as redis-py's does.
        if isinstance(reply, list):
            return (
                len(reply) == 2
                and self._text(reply[0]).lower() == "pong"
                and self._text(reply[1]) == self.HEALTH_CHECK_MESSAGE
            )
        if isinstance(reply, bytes | str):
            return self._text(reply) == self.HEALTH_CHECK_MESSAGE
        return False

    async def handle_message(
        self, response: Any, ignore_subscribe_messages: bool = False
    ) -> dict[str, Any] | None:
        """Turn a raw reply into a message dict, running handlers and bookkeeping
        (None for no reply)."""
        if response is None:
            return None
        if isinstance(response, RedisError):
            raise response
        if not isinstance(response, list):
            # A RESP3 reply to PING outside the push channel: a bare PONG is the
            # empty-payload pong RESP2 sends as ["pong", ""], as redis-py reads it.
            if response == b"PONG" or response == "PONG":
                response = response[:0]
            response = ["pong", response]
        kind = self._text(response[0]).lower()
        if kind == "pmessage":
            message = {
                "type": kind,
                "pattern": response[1],
                "channel": response[2],
                "data": response[3],
            }
        elif kind == "pong":
            message = {
                "type": kind,
                "pattern": None,
                "channel": None,
                "data": response[1] if len(response) > 1 else None,
            }
        elif len(response) >= 3:
            message = {
                "type": kind,
                "pattern": None,
                "channel": response[1],
                "data": response[2],
            }
        else:
            return None

        if kind in self.UNSUBSCRIBE_MESSAGE_TYPES:
            name = response[1]
            if kind == "punsubscribe":
                subs, pending = self.patterns, self.pending_unsubscribe_patterns
            elif kind == "sunsubscribe":
                subs, pending = (
                    self.shard_channels,
                    self.pending_unsubscribe_shard_channels,
                )
            else:
                subs, pending = self.channels, self.pending_unsubscribe_channels
            if name in pending:
                pending.discard(name)
                subs.pop(name, None)

        if kind in self.PUBLISH_MESSAGE_TYPES:
            if kind == "pmessage":
                handler = self.patterns.get(message["pattern"])
            elif kind == "smessage":
                handler = self.shard_channels.get(message["channel"])
            else:
                handler = self.channels.get(message["channel"])
            if handler is not None:
                result = handler(message)
                if inspect.isawaitable(result):
                    await result
                return None
        elif kind == "pong":
            pass
        elif kind in _SUBSCRIBE or kind in self.UNSUBSCRIBE_MESSAGE_TYPES:
            if ignore_subscribe_messages or self.ignore_subscribe_messages:
                return None
        return message

    async def listen(self) -> AsyncIterator[dict[str, Any]]:
        """Yield messages for as long as anything is subscribed."""
        while self.subscribed:
            reply = await self._through_push_handler(await self._next_reply(None))
            if reply is None or self._is_health_check_reply(reply):
                continue
            message = await self.handle_message(reply)
            if message is not None:
                yield message

    async def run(
        self,
        *,
        exception_handler: Callable[[BaseException, PubSub], Awaitable[None] | None]
        | None = None,
        poll_timeout: float = 1.0,
    ) -> None:
        """Dispatch messages to the registered handlers until cancelled.

        Run it as a task (``asyncio.create_task(p.run())`` or in a task group);
        every subscription must have a handler. Errors go to ``exception_handler``
        when given, and otherwise end the loop.
        """
        for name, handler in (*self.channels.items(), *self.patterns.items()):
            if handler is None:
                raise PubSubError(f"Channel: '{name!r}' has no handler registered")
        await self.connect()
        while True:
            try:
                await self.get_message(
                    ignore_subscribe_messages=True, timeout=poll_timeout
                )
            except Exception as exc:
                if exception_handler is None:
                    raise
                result = exception_handler(exc, self)
                if inspect.isawaitable(result):
                    await result
                # An error raised without awaiting (again and again, say) must
                # not starve the loop: let the other tasks run, as redis-py does.
                await asyncio.sleep(0)


_MONITOR_RE = re.compile(r"\[(\d+) (.*?)\] (.*)")
_ARG_RE = re.compile(r'"(.*?)(?<!\\)"')


class Monitor:
    """Stream the commands the server executes (MONITOR).

    ``async with r.monitor() as m: async for command in m.listen(): ...``; each item
    is a dict with ``time``, ``db``, ``client_address``, ``client_port``,
    ``client_type`` and ``command``.
    """

    def __init__(self, connection_pool: ConnectionPool) -> None:
        self.connection_pool = connection_pool
        self.connection: Connection | None = None
        self._queue: deque[Any] = deque()
        self._ready = asyncio.Event()

    def _sink(self, reply: Any) -> None:
        self._queue.append(reply)
        self._ready.set()

    async def connect(self) -> None:
        """Take a connection and send MONITOR."""
        if self.connection is None:
            conn = await self.connection_pool.get_connection()
            self.connection = conn
            conn.message_sink = self._sink
            reply = await conn.send_request(("MONITOR",), timeout=conn.socket_timeout)
            if reply not in (b"OK", "OK"):
                raise RedisError(f"MONITOR failed: {reply!r}")

    async def __aenter__(self) -> Monitor:
        await self.connect()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop monitoring (closes the connection)."""
        conn = self.connection
        if conn is not None:
            self.connection = None
            await conn.disconnect(nowait=True)
            conn.message_sink = None
            self.connection_pool._release(conn)

    async def next_command(self) -> dict[str, Any]:
        """Wait for the next command the server runs.

        :raises TimeoutError: none came within the connection's
            ``socket_timeout`` (``None``: no limit); the connection is closed
            then, as redis.asyncio's read closes it, so later calls raise
            ``ConnectionError``.
        :raises ConnectionError: the connection was lost.
        """
        await self.connect()
        conn = self.connection
        if not self._queue and conn is not None:
            await self._wait(conn)
        reply = self._queue.popleft()
        if isinstance(reply, Exception):
            raise reply
        text = (
            reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        )
        stamp, _, rest = text.partition(" ")
        match = _MONITOR_RE.match(rest)
        if match is None:
            return {
                "time": float(stamp),
                "db": None,
                "client_address": None,
                "client_port": None,
                "client_type": None,
                "command": rest,
            }
        db, client, args = match.groups()
        client_type = "tcp"
        address, _, port = client.rpartition(":")
        # redis-py's shapes: a unix client's socket path in client_port, and
        # "unknown" for a command with no client (redis.py's sync Monitor).
        if client == "lua":
            client_type, address, port = "lua", "lua", ""
        elif client.startswith("unix"):
            client_type, address, port = "unix", "unix", client[5:]
        elif not client:
            client_type = "unknown"
        command = " ".join(a.replace('\\"', '"') for a in _ARG_RE.findall(args))
        return {
            "time": float(stamp),
            "db": int(db),
            "client_address": address,
            "client_port": port,
            "client_type": client_type,
            "command": command,
        }

    async def _wait(self, conn: Connection) -> None:
        """Wait for the sink to queue a reply, up to ``socket_timeout``."""
        try:
            async with asyncio.timeout(conn.socket_timeout):
                while not self._queue:
                    if not conn.is_connected:
                        # Lost and already reported once (or closed after a
                        # timeout): redis.asyncio's next read fails the same way.
                        raise ConnectionError("Connection closed by server.")
                    self._ready.clear()
                    await self._ready.wait()
        except builtins.TimeoutError as exc:
            if self._queue:
                return  # a reply came as the timeout fired: it wins
            error = TimeoutError(f"Timeout reading from {conn._description()}")
            # The loss is this error: the sink must not queue it for the next call.
            conn.message_sink = None
            conn._abort(error)
            raise error from exc

    async def listen(self) -> AsyncIterator[dict[str, Any]]:
        """Yield commands as the server runs them."""
        while True:
            yield await self.next_command()
