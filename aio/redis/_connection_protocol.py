"""The asyncio side of a redis :class:`~aio.redis._connection.Connection`: bytes
in, futures resolved.

The connection keeps a FIFO of :class:`_Request` entries (a future, the codec to
decode with, how many replies it collects), one per command written, in the order
the replies come back. ``_Protocol.data_received`` feeds the RESP parser and
resolves the futures directly: no reader task, no per-command coroutine switch
beyond the caller's own ``await``.

In pub/sub mode, replies that arrive while no command waits (every message, and in
RESP2 the subscription confirmations) go to ``message_sink``. RESP3 push messages go
to ``push_handler`` when one is set; with maintenance notifications on, those that
are notifications are handled first and go no further (``_maint.py``).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING, Any, cast

from aio.proto.resp import NEED_DATA, Push, RESPProtocolError
from aio.redis.exceptions import ConnectionError, InvalidResponse, RedisError

if TYPE_CHECKING:
    from aio.redis._connection import Connection

#: redis-py's option for a reply kept in bytes even with ``decode_responses``.
NEVER_DECODE = "NEVER_DECODE"

logger = logging.getLogger("aio.redis")

# The receive buffer. Smaller than asyncio's own 256 KiB: the start of a large
# body arrives here and is copied before the rest is received in place.
_READ_SIZE = 1 << 16


class _Request:
    """An entry of the reply FIFO."""

    __slots__ = (
        "count",
        "deadline",
        "encoding",
        "encodings",
        "extra",
        "future",
        "results",
    )

    def __init__(
        self,
        future: asyncio.Future[Any],
        encoding: str | None,
        count: int,
        many: bool,
    ) -> None:
        self.future = future
        self.encoding = encoding
        self.count = count
        # A request for a list of replies (a pipeline) collects them here.
        self.results: list[Any] | None = [] if many else None
        # Per reply of such a request, when they differ (a pipeline command
        # read as bytes on a decoding connection: redis-py's NEVER_DECODE).
        self.encodings: list[str | None] | None = None
        #: The loop time by which its reply must be complete (None: no limit).
        self.deadline: float | None = None
        # Seconds its timeout has beyond the socket timeout (a blocking
        # command's own wait): kept when maintenance moves the deadline.
        self.extra = 0.0


class _SinkRequest(_Request):
    """An entry whose reply goes to ``message_sink`` in its turn: a pub/sub's
    command (PING...) on RESP3, whose reply is a plain one (not a push), so an
    AUTH written after it (re-authentication) is not answered by it. Its
    future is done from the start: the reply takes the dropped replies' path
    (off the hot path), a loss fails nothing (the sink hears of it), and no
    deadline is watched."""

    __slots__ = ()


class _Protocol(asyncio.BufferedProtocol):
    """The asyncio side of a :class:`Connection`: bytes in, futures resolved.

    A buffered protocol, so that the body of a large bulk reply (a 1 MB GET) is
    received straight into the one buffer it is copied out of once complete
    (``RESPParser.body_buffer``): no chunk objects, no join, and reads as large as
    the rest of the body. Everything else is received into a reused buffer and
    handed to the parser as ``bytes``.
    """

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.transport: asyncio.Transport | None = None
        self.closed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.paused = False
        self.drain_waiter: asyncio.Future[None] | None = None
        self._buffer = memoryview(bytearray(_READ_SIZE))
        self._in_place = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport: no isinstance check.
        self.transport = cast(asyncio.Transport, transport)

    def get_buffer(self, sizehint: int) -> memoryview:
        body = self.conn._parser.body_buffer()
        if body is not None:
            self._in_place = True
            return body
        self._in_place = False
        return self._buffer

    def buffer_updated(self, nbytes: int) -> None:
        if self._in_place:
            if self.conn._parser.body_received(nbytes):
                self.data_received(b"")  # the body is complete: parse on
            return
        # A copy: the parser may keep what it is given, and the buffer is reused.
        self.data_received(self._buffer[:nbytes].tobytes())

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        parser = conn._parser
        pending = conn._pending
        if data:
            parser.feed(data)
        default = conn._encoding
        while True:
            if pending:
                head = pending[0]
                encodings = head.encodings
                parser.encoding = (
                    head.encoding
                    if encodings is None
                    else encodings[len(head.results or ())]
                )
            else:
                parser.encoding = default
            try:
                reply = parser.gets()
            except RESPProtocolError as exc:
                conn._abort(InvalidResponse(f"Protocol error: {exc}"))
                return
            if reply is NEED_DATA:
                return
            if type(reply) is Push:
                # Out of band (RESP3): never the reply to a command.
                maintenance = conn._maint_dispatch
                if maintenance is not None and maintenance(reply):
                    continue
                if conn.push_handler is not None:
                    conn.push_handler(reply)
                else:
                    logger.debug("dropping a push message: %.80r", reply)
                continue
            if not pending:
                sink = conn.message_sink
                if sink is not None:
                    sink(reply)
                elif type(reply) is ConnectionError:
                    # A server refusing the connection (at maxclients) says why
                    # before it closes, maybe before the first command is sent:
                    # that is the reason to report for the loss.
                    conn._lost_error = reply
                else:
                    logger.warning(
                        "dropping a reply no command waits for: %.80r", reply
                    )
                continue
            request = pending[0]
            results = request.results
            if results is not None:
                results.append(reply)
                if len(results) < request.count:
                    continue
                reply = results
            pending.popleft()
            future = request.future
            if future.done():
                # The caller was cancelled or timed out: drop its reply; or
                # the reply is a pub/sub's, in its turn among the others.
                if type(request) is _SinkRequest:
                    sink = conn.message_sink
                    if sink is not None:
                        sink(reply)
                continue
            if results is None and isinstance(reply, RedisError):
                future.set_exception(reply)
            else:
                future.set_result(reply)

    def eof_received(self) -> bool | None:
        return None  # close the transport

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(None)
        if self.drain_waiter is not None and not self.drain_waiter.done():
            self.drain_waiter.set_result(None)
        # A late notice from a transport this connection already replaced is ignored.
        if self.conn._protocol is self:
            self.conn._on_lost(exc)

    def pause_writing(self) -> None:
        self.paused = True

    def resume_writing(self) -> None:
        self.paused = False
        if self.drain_waiter is not None and not self.drain_waiter.done():
            self.drain_waiter.set_result(None)
