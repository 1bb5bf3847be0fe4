"""One request/response exchange: the ASGI ``receive``/``send`` pair and the task
that runs the application.

The protocol (:mod:`aio.server._http`) parses bytes and pushes body pieces into the
cycle; the application pulls them with ``receive()`` and answers with ``send()``.
``http.response.start`` is held back until the first body message, so that a
response whose body comes in one message goes out in one ``transport.write``, with a
``content-length`` computed here when the application gave none.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import TYPE_CHECKING, cast

from aio.errors import BrokenResourceError
from aio.proto.http import InformationalResponse, simple_response
from aio.server._logging import log_access
from aio.server._types import ASGIApp, Message, Scope

if TYPE_CHECKING:
    from aio.server._http import HTTPProtocol

logger = logging.getLogger("aio.server.error")

DISCONNECT: Message = {"type": "http.disconnect"}
CONTINUE_100 = InformationalResponse(100, [])


class ClientDisconnected(BrokenResourceError, OSError):
    """``send()`` was called after the client went away (ASGI spec 2.4)."""


def error_response(
    status: int,
    phrase: bytes,
    body: bytes,
    headers: Iterable[tuple[bytes, bytes]] = (),
) -> bytes:
    """A complete ``connection: close`` text response for errors found outside
    the app; ``headers`` (already valid) go first."""
    return b"".join(
        [
            b"HTTP/1.1 %d %s\r\n" % (status, phrase),
            *[name + b": " + value + b"\r\n" for name, value in headers],
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: %d\r\n" % len(body),
            b"connection: close\r\n\r\n",
            body,
        ]
    )


class RequestCycle:
    """The state of one request as its application sees it."""

    __slots__ = (
        "access_started",
        "app_headers",
        "body_length",
        "buffered",
        "chunks",
        "conn",
        "coro",
        "disconnected",
        "expect_100",
        "final_body_sent",
        "head_sent",
        "keep_alive",
        "more_body",
        "protocol",
        "response_complete",
        "response_started",
        "scope",
        "status",
        "task",
        "timed_out",
        "transport",
        "waiter",
    )

    def __init__(
        self,
        protocol: HTTPProtocol,
        scope: Scope,
        expect_100: bool,
        access_log: bool,
    ) -> None:
        self.protocol = protocol
        self.conn = protocol.conn
        self.transport = protocol.transport
        self.scope = scope
        self.chunks: list[bytes] = []
        self.buffered = 0
        self.more_body = True
        self.final_body_sent = False
        self.disconnected = False
        self.response_started = False
        self.head_sent = False
        self.response_complete = False
        self.keep_alive = True
        self.expect_100 = expect_100
        self.timed_out = False
        self.waiter: asyncio.Future[None] | None = None
        self.status = 0
        self.app_headers: Iterable[tuple[bytes, bytes]] = ()
        self.body_length = 0
        self.task: asyncio.Task[None] | None = None
        self.coro: object = None
        self.access_started = time.perf_counter() if access_log else 0.0

    # -- called by the protocol ------------------------------------------------

    def wake(self) -> None:
        """Wake a ``receive()`` waiting for body or disconnect."""
        waiter = self.waiter
        if waiter is not None:
            self.waiter = None
            if not waiter.done():
                waiter.set_result(None)

    # -- the ASGI callables ----------------------------------------------------

    async def receive(self) -> Message:
        """ASGI ``receive``: body pieces, then ``http.disconnect``."""
        if self.expect_100:
            self.expect_100 = False
            # 100 Continue only when the app asks for the body: an app that
            # answers without reading it saves the client the upload.
            if self.conn.they_are_waiting_for_100_continue and not self.disconnected:
                self.transport.write(self.conn.send(CONTINUE_100))
        if self._must_wait():
            self.protocol.resume_body()  # may parse body bytes held back
            if self._must_wait():
                waiter = self.protocol.loop.create_future()
                self.waiter = waiter
                await waiter
        if self.disconnected or self.response_complete:
            return DISCONNECT
        chunks = self.chunks
        if len(chunks) == 1:
            body = chunks[0]
        else:
            body = b"".join(chunks)
        chunks.clear()
        more = self.more_body
        if self.buffered:
            self.buffered = 0
            self.protocol.resume_body()
        if not more:
            self.final_body_sent = True
        return {"type": "http.request", "body": body, "more_body": more}

    def _must_wait(self) -> bool:
        return (
            not self.chunks
            and (self.more_body or self.final_body_sent)
            and not self.disconnected
            and not self.response_complete
        )

    async def send(self, message: Message) -> None:
        """ASGI ``send``: ``http.response.start`` then ``http.response.body``."""
        if self.protocol.write_paused and not self.disconnected:
            await self.protocol.drain()
        if self.disconnected:
            raise ClientDisconnected("the client closed the connection")
        kind = message["type"]
        if not self.response_started:
            if kind != "http.response.start":
                raise RuntimeError(
                    f"Expected ASGI message 'http.response.start', but got {kind!r}."
                )
            self.response_started = True
            self.status = message["status"]
            self.app_headers = message.get("headers", ())
            return
        if self.response_complete:
            raise RuntimeError(
                f"Unexpected ASGI message {kind!r} sent, after response already completed."
            )
        if kind != "http.response.body":
            raise RuntimeError(
                f"Expected ASGI message 'http.response.body', but got {kind!r}."
            )
        body = message.get("body", b"")
        more = message.get("more_body", False)
        protocol = self.protocol
        if protocol.unsynced is not None:
            # The request took the fast path; so may a whole, plain response.
            lines = protocol.state.default_lines
            if not more and lines is not None and type(body) is bytes:
                headers = self.app_headers
                if type(headers) is not list:
                    # read twice (validated, then written), and again on fallback
                    headers = self.app_headers = list(headers)
                out = simple_response(
                    self.status, headers, body, lines, self.keep_alive
                )
                if out is not None:
                    if self.access_started:
                        self.app_headers = [
                            *protocol.state.default_headers,
                            *headers,
                            *([] if self.keep_alive else [(b"connection", b"close")]),
                        ]
                    else:
                        self.app_headers = headers
                    self.head_sent = True
                    self.body_length = len(body)
                    self.response_complete = True
                    self.transport.write(out)
                    self.wake()
                    protocol.response_done(self)
                    return
            protocol.sync_connection()
        if not self.head_sent:
            headers = [*self.protocol.state.default_headers, *self.app_headers]
            if not self.keep_alive:
                headers.append((b"connection", b"close"))
            self.app_headers = headers  # the access log reads them
            # Head and body in one write; with the whole body known the core
            # adds content-length when the app gave no framing.
            out = self.conn.send_response(self.status, headers, body, end=not more)
            self.head_sent = True
        else:
            out = self.conn.send_data(body, end=not more)
        self.body_length += len(body)
        if out:
            self.transport.write(out)
        if not more:
            self.response_complete = True
            self.wake()
            self.protocol.response_done(self)

    # -- access log ------------------------------------------------------------

    def log_access(self, fmt: str | None) -> None:
        """Write this exchange's access line (the caller checked the logger)."""
        log_access(
            fmt,
            self.scope,
            self.status,
            self.app_headers,
            self.body_length,
            self.access_started,
        )


async def run_asgi(app: ASGIApp, cycle: RequestCycle) -> None:
    """Run the application for one request and clean up whatever it left undone."""
    try:
        # typed as returning None, but a broken app may return anything
        call = cast("Callable[..., Awaitable[object]]", app)
        result = await call(cycle.scope, cycle.receive, cycle.send)
    except asyncio.CancelledError:
        if cycle.timed_out:
            return  # we cancelled it ourselves; the 504 is already out
        raise
    except ClientDisconnected:
        return  # raised by our send(): the client left, nothing to report
    except Exception as exc:
        logger.error("Exception in ASGI application", exc_info=exc)
        if not cycle.head_sent:
            cycle.protocol.fail(500)
        else:
            cycle.protocol.close()
        return
    if result is not None:
        logger.error("ASGI callable should return None, but returned %r.", result)
    if cycle.disconnected or cycle.response_complete:
        return
    if not cycle.head_sent:
        logger.error("ASGI callable returned without sending a complete response.")
        cycle.protocol.fail(500)
    else:
        logger.error("ASGI callable returned without completing response.")
        cycle.protocol.close()
