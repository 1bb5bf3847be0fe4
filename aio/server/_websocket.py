"""The server's WebSocket connections: ``aio.proto.websocket`` under ASGI.

The HTTP protocol hands a connection over when a request asks for
``Upgrade: websocket`` (:func:`start_websocket`); from then on
:class:`WebSocketProtocol` is the transport's protocol. Life of one connection::

    handshake   validate the upgrade (400/426 without calling the app), run the
                app, answer its first receive() with websocket.connect
                ├─ websocket.accept ─────────▶ 101, frames flow
                ├─ websocket.close ──────────▶ 403
                ├─ websocket.http.response.* ▶ the app's own response (denial)
                └─ app fails / returns ──────▶ 500
    open        frames in → websocket.receive; websocket.send → frames out; a
                ping every ``ws_ping_interval``, closed with 1011 when no pong
                comes within ``ws_ping_timeout``
    closing     whoever sends the first close frame, the server closes TCP once
                both are exchanged (RFC 6455 §7.1.1), or after a timeout

Errors in the peer's frames close with the code the core chose (1002, 1007,
1009) and reach the app as ``websocket.disconnect`` with that code; an app that
raises after accepting gets its connection closed with 1011. Graceful shutdown
closes open connections with 1012.

Backpressure: at most ``ws_max_queue`` messages wait for the app's receive();
past that the transport stops reading until the app catches up. send() waits
while the transport's write buffer is above its high-water mark.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, cast

from aio.proto.http import STATUS_PHRASES
from aio.proto.websocket import (
    BytesMessage,
    CloseReceived,
    ConnectionState,
    InvalidHandshakeError,
    PerMessageDeflate,
    Pong,
    Role,
    TextMessage,
    UpgradeRequest,
    WebSocketConnection,
    WebSocketProtocolError,
    build_accept_response,
    parse_upgrade_request,
    server_negotiate_deflate,
)
from aio.server._cycle import ClientDisconnected, error_response
from aio.server._ws_responses import denial_head

if TYPE_CHECKING:
    from aio.server._config import Config
    from aio.server._state import ServerState
    from aio.server._types import ASGIApp, Message, Scope

logger = logging.getLogger("aio.server")

#: bytes a client may send before the app accepts, before we stop reading
PENDING_HIGH_WATER = 65536
#: seconds to wait for the peer's close frame once ours is sent, when pings are off
DEFAULT_CLOSE_TIMEOUT = 10.0
DENIAL = "websocket.http.response"
# Compression state costs memory on every connection: with 4 KiB windows and
# memLevel 5 a connection needs about 40 KiB of zlib state instead of ~300 KiB,
# for a small loss of ratio (uvicorn, through websockets, makes the same trade).
DEFLATE_WINDOW_BITS = 12
DEFLATE_MEM_LEVEL = 5


def start_websocket(
    *,
    transport: asyncio.Transport,
    scope: dict[str, Any],
    leftover: bytes,
    app: ASGIApp,
    config: Config,
    server_state: object,
) -> asyncio.Protocol:
    """Take over an upgraded connection; install the result with
    ``transport.set_protocol``.

    :param scope: the ASGI scope built by the HTTP side (``type`` websocket);
        ``subprotocols`` and the denial-response extension are filled in here.
    :param leftover: bytes received after the request head.
    :param server_state: the server's :class:`~aio.server._state.ServerState`;
        the connection registers in its ``connections`` and ``tasks``.
    """
    state = cast("ServerState", server_state)
    loop = asyncio.get_running_loop()
    protocol = WebSocketProtocol(transport, scope, app, config, state, loop)
    headers = scope.get("headers", [])
    method = scope.pop("method", "GET")
    try:
        request = parse_upgrade_request(
            method, scope.get("http_version", "1.1"), headers
        )
    except InvalidHandshakeError as exc:
        logger.debug("Invalid WebSocket upgrade: %s", exc)
        extra = [(b"sec-websocket-version", b"13")] if exc.status_hint == 426 else []
        protocol.reject(exc.status_hint, str(exc).encode(), extra)
        return protocol
    scope["subprotocols"] = list(request.subprotocols)
    scope.setdefault("extensions", {})[DENIAL] = {}
    protocol.start(request, leftover)
    return protocol


class WebSocketProtocol(asyncio.Protocol):
    """One WebSocket connection between the transport and an ASGI app."""

    def __init__(
        self,
        transport: asyncio.Transport,
        scope: Scope,
        app: ASGIApp,
        config: Config,
        server_state: ServerState,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.transport = transport
        self.scope = scope
        self.app = app
        self.config = config
        self.server_state = server_state
        self.loop = loop
        self.request: UpgradeRequest | None = None
        self.conn: WebSocketConnection | None = None
        self.task: asyncio.Task[None] | None = None
        # Handshake: done once the app accepted, closed, or finished a denial.
        self.handshake_done = False
        self.connect_delivered = False
        self.denial_status: int | None = None
        self.denial_headers: list[tuple[bytes, bytes]] = []
        self.denial_head_sent = False
        self.pending = bytearray()  # frames that arrived before the accept
        # Messages for receive(); the disconnect message ends the stream.
        self.queue: deque[Message] = deque()
        self.disconnect: Message | None = None
        self.receive_waiter: asyncio.Future[None] | None = None
        self.lost = False
        self.read_paused = False
        self.write_paused = False
        self.drain_waiters: list[asyncio.Future[None]] = []
        self.ping_handle: asyncio.TimerHandle | None = None
        self.pong_handle: asyncio.TimerHandle | None = None
        self.close_handle: asyncio.TimerHandle | None = None
        self.ping_count = 0
        self.ping_payload = b""
        self.max_queue = max(1, config.ws_max_queue)

    # -- set-up ---------------------------------------------------------------

    def start(self, request: UpgradeRequest, leftover: bytes) -> None:
        """Register with the server and run the application."""
        self.request = request
        if leftover:
            self.pending += leftover
        self.server_state.connections.add(self)
        task = self.loop.create_task(self.run_app())
        self.task = task
        tasks = self.server_state.tasks
        tasks.add(task)
        task.add_done_callback(tasks.discard)

    def reject(
        self, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
    ) -> None:
        """Answer the upgrade request with an HTTP error and close."""
        self.handshake_done = True
        if not self.lost and not self.transport.is_closing():
            headers = [*self.server_state.default_headers, *(extra or [])]
            phrase = STATUS_PHRASES.get(status, b"Error")
            self.transport.write(error_response(status, phrase, body, headers))
            self.transport.close()

    # -- asyncio.Protocol -------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        conn = self.conn
        if conn is None:
            if not self.handshake_done:
                # Frames before the 101 are kept for after the accept.
                self.pending += data
                if len(self.pending) > PENDING_HIGH_WATER:
                    self._pause_reading()
            return
        conn.receive_data(data)
        self._process()

    def eof_received(self) -> bool | None:
        if self.conn is not None:
            self.conn.receive_data(b"")
            self._process()
        return None  # let the transport close itself

    def connection_lost(self, exc: Exception | None) -> None:
        self.lost = True
        self.server_state.connections.discard(self)
        for handle in (self.ping_handle, self.pong_handle, self.close_handle):
            if handle is not None:
                handle.cancel()
        self.ping_handle = self.pong_handle = self.close_handle = None
        self._set_disconnect(1006, "")
        self._wake_drainers()

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        self._wake_drainers()

    def _wake_drainers(self) -> None:
        for waiter in self.drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self.drain_waiters.clear()

    # -- frames in ----------------------------------------------------------------

    def _process(self) -> None:
        conn = self.conn
        assert conn is not None
        queue = self.queue
        try:
            for event in conn.events():
                if isinstance(event, TextMessage):
                    queue.append({"type": "websocket.receive", "text": event.data})
                elif isinstance(event, BytesMessage):
                    queue.append({"type": "websocket.receive", "bytes": event.data})
                elif isinstance(event, CloseReceived):
                    self._set_disconnect(event.code, event.reason)
                elif isinstance(event, Pong) and event.payload == self.ping_payload:
                    if self.pong_handle is not None:
                        self.pong_handle.cancel()
                        self.pong_handle = None
                # Ping: the core queued the pong already.
        except WebSocketProtocolError as exc:
            logger.debug("WebSocket protocol error: %s", exc)
            self._write(conn.bytes_to_send())
            self._set_disconnect(exc.close_code, "")
            self.transport.close()
            return
        self._write(conn.bytes_to_send())
        if conn.state is ConnectionState.CLOSED:
            # Both close frames are exchanged: the server closes TCP first.
            self.transport.close()
        elif len(queue) >= self.max_queue:
            self._pause_reading()
        self._wake_receiver()

    def _set_disconnect(self, code: int, reason: str) -> None:
        if self.disconnect is None:
            self.disconnect = {
                "type": "websocket.disconnect",
                "code": code,
                "reason": reason,
            }
            self._wake_receiver()

    def _wake_receiver(self) -> None:
        waiter = self.receive_waiter
        if waiter is not None:
            self.receive_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def _pause_reading(self) -> None:
        if not self.read_paused and not self.lost:
            self.read_paused = True
            self.transport.pause_reading()

    def _resume_reading(self) -> None:
        if self.read_paused and not self.lost:
            self.read_paused = False
            self.transport.resume_reading()

    # -- the ASGI callables ---------------------------------------------------------

    async def receive(self) -> Message:
        """ASGI ``receive``: connect, then messages, then disconnect (repeated)."""
        if not self.connect_delivered:
            self.connect_delivered = True
            return {"type": "websocket.connect"}
        while not self.queue and self.disconnect is None:
            # Shared, should two tasks of one app both wait in receive().
            waiter = self.receive_waiter
            if waiter is None:
                waiter = self.receive_waiter = self.loop.create_future()
            await waiter
        if self.queue:
            message = self.queue.popleft()
            if len(self.queue) < self.max_queue // 2 + 1 and self.conn is not None:
                self._resume_reading()
            return message
        assert self.disconnect is not None
        return self.disconnect

    async def send(self, message: Message) -> None:
        """ASGI ``send``: accept/close/denial during the handshake, then
        ``websocket.send`` and ``websocket.close``.

        :raises ClientDisconnected: the connection is gone (an ``OSError``).
        """
        kind = message["type"]
        if self.write_paused and not self.lost:
            waiter = self.loop.create_future()
            self.drain_waiters.append(waiter)
            await waiter
        if self.lost:
            raise ClientDisconnected("the WebSocket connection is closed")
        if not self.handshake_done:
            self._handshake_message(kind, message)
            return
        conn = self.conn
        if conn is None or conn.close_sent:
            raise ClientDisconnected("the WebSocket connection is closed")
        if kind == "websocket.send":
            data: bytes | None = message.get("bytes")
            text: str | None = message.get("text")
            if data is not None and text is None:
                self._write(conn.send_bytes(data))
            elif text is not None and data is None:
                self._write(conn.send_text(text))
            else:
                raise RuntimeError("websocket.send needs exactly one of bytes or text")
        elif kind == "websocket.close":
            self._send_close(message.get("code") or 1000, message.get("reason") or "")
        else:
            raise RuntimeError(
                f"Expected ASGI message 'websocket.send' or 'websocket.close', "
                f"but got {kind!r}."
            )

    def _handshake_message(self, kind: str, message: Message) -> None:
        if kind == "websocket.accept" and self.denial_status is None:
            self._accept(message.get("subprotocol"), message.get("headers") or [])
        elif kind == "websocket.close" and self.denial_status is None:
            self.reject(403, b"")
        elif kind == "websocket.http.response.start" and self.denial_status is None:
            self.denial_status = int(message["status"])
            self.denial_headers = list(message.get("headers") or [])
        elif kind == "websocket.http.response.body" and self.denial_status is not None:
            body = message.get("body", b"")
            more = bool(message.get("more_body", False))
            if not self.denial_head_sent:
                self.denial_head_sent = True
                self._write(
                    denial_head(
                        self.denial_status,
                        self.denial_headers,
                        self.server_state.default_headers,
                        body,
                        more,
                    )
                )
            self._write(body)
            if not more:
                self.handshake_done = True
                self.transport.close()
        else:
            raise RuntimeError(
                f"Unexpected ASGI message {kind!r} during the handshake."
            )

    def _accept(
        self, subprotocol: str | None, headers: list[tuple[bytes, bytes]]
    ) -> None:
        request = self.request
        assert request is not None
        params = None
        if self.config.ws_per_message_deflate:
            params = server_negotiate_deflate(
                request.extensions,
                server_max_window_bits=DEFLATE_WINDOW_BITS,
                client_max_window_bits=DEFLATE_WINDOW_BITS,
            )
        head = build_accept_response(
            request,
            subprotocol=subprotocol,
            extensions=params.to_header() if params is not None else None,
            extra_headers=[*self.server_state.default_headers, *headers],
        )
        self.handshake_done = True
        self.conn = WebSocketConnection(
            Role.SERVER,
            deflate=(
                PerMessageDeflate(params, is_client=False, mem_level=DEFLATE_MEM_LEVEL)
                if params
                else None
            ),
            max_message_size=self.config.ws_max_size,
        )
        self._write(head)
        client = self.scope.get("client")
        logger.info(
            '%s - "WebSocket %s" [accepted]',
            f"{client[0]}:{client[1]}" if client else "-",
            self.scope.get("path", ""),
        )
        self._schedule_ping()
        pending, self.pending = bytes(self.pending), bytearray()
        self._resume_reading()
        if self.server_state.shutting_down:
            self._send_close(1012, "server shutting down")
        if pending:
            self.conn.receive_data(pending)
            self._process()

    # -- frames out -------------------------------------------------------------------

    def _write(self, data: bytes) -> None:
        if data and not self.lost and not self.transport.is_closing():
            self.transport.write(data)

    def _send_close(self, code: int, reason: str) -> None:
        conn = self.conn
        if conn is None or conn.close_sent or self.lost:
            return
        self._write(conn.send_close(code, reason))
        if conn.state is ConnectionState.CLOSED:
            self.transport.close()
            return
        timeout = self.config.ws_ping_timeout or DEFAULT_CLOSE_TIMEOUT
        self.close_handle = self.loop.call_later(timeout, self._close_timed_out)

    def _close_timed_out(self) -> None:
        # The peer never answered our close frame: it may not be reading at all,
        # so do not wait for the write buffer to drain either.
        self.close_handle = None
        if not self.lost:
            self.transport.abort()

    def _schedule_ping(self) -> None:
        interval = self.config.ws_ping_interval
        if interval:
            self.ping_handle = self.loop.call_later(interval, self._ping)

    def _ping(self) -> None:
        self.ping_handle = None
        conn = self.conn
        if conn is None or conn.close_sent or self.lost:
            return
        if self.pong_handle is None:  # no ping outstanding
            self.ping_count += 1
            self.ping_payload = self.ping_count.to_bytes(4, "big")
            self._write(conn.send_ping(self.ping_payload))
            timeout = self.config.ws_ping_timeout
            if timeout:
                self.pong_handle = self.loop.call_later(timeout, self._pong_missing)
        self._schedule_ping()

    def _pong_missing(self) -> None:
        self.pong_handle = None
        logger.info("WebSocket closed: no pong within %ss", self.config.ws_ping_timeout)
        self._set_disconnect(1011, "keepalive ping timeout")
        conn = self.conn
        if conn is not None and not conn.close_sent:
            self._write(conn.send_close(1011, "keepalive ping timeout"))
        self.transport.close()
        # A peer that stopped answering may also have stopped reading.
        timeout = self.config.ws_ping_timeout or DEFAULT_CLOSE_TIMEOUT
        self.close_handle = self.loop.call_later(timeout, self._close_timed_out)

    # -- the application task -----------------------------------------------------------

    async def run_app(self) -> None:
        """Run the app; answer for it if it fails or returns too early."""
        try:
            # typed as returning None, but a broken app may return anything
            call = cast("Callable[..., Awaitable[object]]", self.app)
            result = await call(self.scope, self.receive, self.send)
        except ClientDisconnected:
            result = None  # raised by our send(): the peer left, nothing to report
        except Exception as exc:
            logger.error("Exception in ASGI application", exc_info=exc)
            self._app_failed()
            return
        if result is not None:
            logger.error("ASGI callable should return None, but returned %r.", result)
        if not self.handshake_done:
            if self.denial_head_sent:
                self.transport.close()  # a denial body left unfinished
            else:
                logger.error("ASGI callable returned without sending handshake.")
                self.reject(500, b"Internal Server Error")
        else:
            self._send_close(1000, "")

    def _app_failed(self) -> None:
        if not self.handshake_done:
            if self.denial_head_sent:
                self.transport.close()
            else:
                self.reject(500, b"Internal Server Error")
        else:
            self._send_close(1011, "")

    # -- server shutdown -----------------------------------------------------------------

    def shutdown(self) -> None:
        """Graceful shutdown: close an open connection with 1012 (service restart);
        refuse a handshake still waiting for the app with 503."""
        if self.conn is not None:
            self._send_close(1012, "server shutting down")
        elif not self.handshake_done and not self.denial_head_sent:
            self.reject(503, b"Service Unavailable")

    def abort(self) -> None:
        """Forced shutdown: cancel the app and drop the connection."""
        if self.task is not None:
            self.task.cancel()
        if not self.lost:
            self.transport.close()
