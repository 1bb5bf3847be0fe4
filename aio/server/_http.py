"""The HTTP/1.1 connection: an ``asyncio.Protocol`` feeding ``aio.proto.http``.

Phases of a connection (``phase``)::

    IDLE ──first byte──▶ HEAD ──Request──▶ BUSY ──response done──▶ IDLE (keep-alive)
                                             └──Upgrade: websocket──▶ handed over

One request runs at a time; pipelined requests wait in the parser's buffer (it
answers ``PAUSED``) until the response in flight is complete.

Fast path: a read that holds exactly one simple HTTP/1.1 request (see
``aio.proto.http.parse_simple_request``) skips the ``Connection``, which stays
IDLE; the request is then ``unsynced``. Bytes arriving meanwhile wait in ``held``.
If the response needs the general path (it streams, or its framing is unusual)
``sync_connection`` feeds the head to the ``Connection`` after all; either way the
held bytes go to the ``Connection`` once the exchange ends. ``clean`` says the
``Connection`` buffers nothing, the condition for trying the fast path.

Timeouts use one lazily re-armed timer per connection: the hot path only stores a
new ``deadline`` float, and the timer, when it fires early, re-arms itself for the
current deadline. IDLE waits ``timeout_keep_alive``; HEAD allows
``timeout_header_read`` from the first byte of the head (slowloris); BUSY allows
``timeout_request`` (when set) before the handler is cancelled with a 504. Once a
graceful shutdown begins, an IDLE connection (a fresh one included) gets at most
``SHUTDOWN_IDLE_GRACE`` more: a request that arrives meanwhile is answered, with
``connection: close``.

Backpressure: a request body that the app does not consume is buffered up to
``HIGH_WATER`` bytes, then reading pauses until ``receive()`` takes it; a full
transport write buffer (``pause_writing``) makes ``send()`` wait for
``resume_writing``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import math
import traceback
from typing import TYPE_CHECKING, Any, cast

from aio.proto.http import (
    NEED_DATA,
    PAUSED,
    SERVER,
    STATUS_PHRASES,
    Connection,
    Data,
    EndOfMessage,
    HTTPProtocolError,
    Limits,
    Request,
    parse_simple_request,
    percent_decode_path,
    split_target,
)
from aio.server._cycle import RequestCycle, error_response, run_asgi
from aio.server._logging import access_logger
from aio.server._proxy import apply_proxy_headers
from aio.server._runner import HandlerRunner

if TYPE_CHECKING:
    from aio.server._config import Config
    from aio.server._state import ServerState
    from aio.server._types import ASGIApp, Receive, Scope, Send

logger = logging.getLogger("aio.server")

HIGH_WATER = 65536
# How long an idle connection stays open once a graceful shutdown begins, so
# that a request already on its way is answered rather than cut off.
SHUTDOWN_IDLE_GRACE = 0.5
IDLE, HEAD, BUSY, UPGRADED = 0, 1, 2, 3
INF = math.inf

_ERRORS: dict[int, bytes] = {}
_SPECIAL_HEADERS = frozenset(
    (b"upgrade", b"x-forwarded-for", b"x-forwarded-proto", b"forwarded")
)
_METHODS = {
    m.encode(): m
    for m in ("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE")
}


def _error_bytes(status: int) -> bytes:
    cached = _ERRORS.get(status)
    if cached is None:
        phrase = STATUS_PHRASES.get(status, b"Error")
        cached = _ERRORS[status] = error_response(status, phrase, phrase)
    return cached


async def service_unavailable(scope: Scope, receive: Receive, send: Send) -> None:
    """The stand-in app answering 503 when ``limit_concurrency`` is exceeded."""
    await send(
        {
            "type": "http.response.start",
            "status": 503,
            "headers": [(b"content-type", b"text/plain; charset=utf-8")],
        }
    )
    await send({"type": "http.response.body", "body": b"Service Unavailable"})


def coroutine_stack(coro: Any) -> str:
    """The await chain of a suspended coroutine, outermost call first.

    ``Task.print_stack`` shows only the task's own coroutine frame; the handler
    that hangs is usually several ``await``s deeper, so follow ``cr_await``.
    """
    frames = []
    while coro is not None:
        frame = getattr(coro, "cr_frame", None) or getattr(coro, "gi_frame", None)
        if frame is not None:
            frames.append((frame, frame.f_lineno))
        coro = getattr(coro, "cr_await", None) or getattr(coro, "gi_yieldfrom", None)
    return "".join(traceback.StackSummary.extract(frames).format())


@functools.lru_cache(maxsize=8)
def _shared_limits(
    max_request_line: int,
    max_header_count: int,
    max_header_block: int,
    max_body: int | None,
) -> Limits:
    # Limits is frozen: the connections of a server share one.
    return Limits(
        max_request_line=max_request_line,
        max_header_count=max_header_count,
        max_header_block=max_header_block,
        max_body=max_body,
    )


class HTTPProtocol(asyncio.Protocol):
    """One client connection speaking HTTP/1.x to an ASGI application."""

    # Slotted: an idle keep-alive connection is mostly this object, and past
    # 30 attributes an instance __dict__ no longer shares its keys (1.6 KiB).
    __slots__ = (
        "access_fmt",
        "access_log",
        "app",
        "app_state",
        "clean",
        "client",
        "config",
        "conn",
        "cycle",
        "deadline",
        "drain_waiter",
        "head_timed",
        "held",
        "limits",
        "loop",
        "pending",
        "phase",
        "processing",
        "read_paused",
        "root_path",
        "root_path_bytes",
        "runner",
        "scheme",
        "server",
        "state",
        "timer",
        "timer_at",
        "transport",
        "trusted_peer",
        "unsynced",
        "websocket",
        "write_paused",
    )

    def __init__(
        self,
        config: Config,
        state: ServerState,
        app_state: dict[str, Any],
        loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.config = config
        assert config.loaded_app is not None, "call Config.load() first"
        self.app: ASGIApp = config.loaded_app
        self.state = state
        self.app_state = app_state
        self.loop = loop or asyncio.get_running_loop()
        self.limits = _shared_limits(
            config.max_request_line,
            config.max_header_count,
            config.max_header_block,
            config.max_body_size,
        )
        self.conn = Connection(SERVER, limits=self.limits)
        self.transport: asyncio.Transport = None  # type: ignore[assignment]
        self.cycle: RequestCycle | None = None
        self.phase = IDLE
        self.head_timed = False
        self.read_paused = False
        self.write_paused = False
        self.drain_waiter: asyncio.Future[None] | None = None
        self.deadline = INF
        self.timer: asyncio.TimerHandle | None = None
        self.timer_at = INF
        self.client: tuple[str, int] | None = None
        self.server: tuple[str, int | None] | None = None
        self.scheme = "http"
        self.trusted_peer = False
        self.access_log = config.access_log
        self.access_fmt = config.access_log_format
        self.root_path = config.root_path
        self.root_path_bytes = config.root_path.encode("ascii")
        self.websocket: Any = None
        self.processing = False
        self.pending: RequestCycle | None = None
        # The fast path (aio.proto.http._fast): the head of a request parsed
        # without the Connection, which stays IDLE until the request is done
        # (or syncs when the response needs the general path), and the bytes
        # received meanwhile. "clean": the Connection holds no bytes, so the
        # next read may be parsed on its own.
        self.unsynced: bytes | None = None
        # One runner per server: its pool of handler tasks is shared, so an
        # idle connection holds no task.
        runner = state.runner
        if runner is None:
            runner = state.runner = HandlerRunner(self.loop, state.tasks)
        self.runner = runner
        self.held: bytearray | None = None  # made when bytes must wait
        self.clean = True

    # -- asyncio.Protocol ------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        # uvloop's transports do not subclass asyncio.Transport: no isinstance.
        transport = cast(asyncio.Transport, transport)
        self.transport = transport
        self.state.connections.add(self)
        peer = transport.get_extra_info("peername")
        if isinstance(peer, tuple | list) and len(peer) >= 2:
            self.client = (str(peer[0]), int(peer[1]))
        sock = transport.get_extra_info("sockname")
        server: tuple[str, int | None] | None = None
        if isinstance(sock, tuple | list) and len(sock) >= 2:
            server = (str(sock[0]), int(sock[1]))
        elif isinstance(sock, str | bytes) and sock:
            server = (sock if isinstance(sock, str) else sock.decode(), None)
        # Every connection to one listener has the same address: share one
        # tuple rather than keep a copy per connection.
        self.server = self.state.intern_address(server)
        if transport.get_extra_info("sslcontext") is not None:
            self.scheme = "https"
        config = self.config
        if config.proxy_headers:
            # A Unix-socket peer has no address: trusted, as only local
            # processes can connect to it.
            host = self.client[0] if self.client else None
            self.trusted_peer = host is None or host in config.trusted_hosts
        deadline = self.loop.time() + config.timeout_keep_alive
        if self.state.shutting_down:
            # Accepted just before the listener closed: its request may be on
            # the way, and the client cannot tell it was never read.
            deadline = min(deadline, self.loop.time() + SHUTDOWN_IDLE_GRACE)
        self._arm(deadline)

    def connection_lost(self, exc: Exception | None) -> None:
        self.state.connections.discard(self)
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        cycle = self.cycle
        if cycle is not None and not cycle.response_complete:
            cycle.disconnected = True
        if cycle is not None:
            cycle.wake()
        waiter = self.drain_waiter
        if waiter is not None:
            self.drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    def eof_received(self) -> bool | None:
        # The client half-closed: treat it as gone (as uvicorn does).
        return None

    def data_received(self, data: bytes) -> None:
        if self.unsynced is not None:
            # Bytes after a fast-path request (pipelined) wait here until it
            # is done: the Connection has not seen that request yet.
            held = self.held
            if held is None:
                held = self.held = bytearray(data)
            else:
                held += data
            if len(held) >= HIGH_WATER and not self.read_paused:
                self.read_paused = True
                self.transport.pause_reading()
            return
        if self.phase == IDLE:
            if self.clean:
                parsed = parse_simple_request(data, self.limits)
                if parsed is not None:
                    self.unsynced = data
                    method, target, headers, body = parsed
                    cycle = self._start_cycle(method, target, headers, "1.1", False)
                    if cycle is not None:
                        cycle.more_body = False
                        if body:
                            cycle.chunks.append(body)
                        self._run(cycle)
                    return
            if not data:
                return  # never from asyncio (EOF is eof_received); not an EOF
            self.phase = HEAD
            self.head_timed = False
        elif not data:
            return
        self.clean = False
        self.conn.receive_data(data)
        self._process()

    def pause_writing(self) -> None:
        self.write_paused = True

    def resume_writing(self) -> None:
        self.write_paused = False
        waiter = self.drain_waiter
        if waiter is not None:
            self.drain_waiter = None
            if not waiter.done():
                waiter.set_result(None)

    # -- event processing ------------------------------------------------------

    def _process(self) -> None:
        # Re-entrant calls (an eagerly run app calling receive() or finishing
        # its response inside this loop) return at once: the running loop
        # re-reads the state on its next turn.
        if self.processing or self.unsynced is not None:
            return
        self.processing = True
        try:
            self._process_events()
        except HTTPProtocolError as exc:
            self._on_protocol_error(exc)
        finally:
            self.processing = False
        if self.pending is not None:
            self._start_pending()

    def _process_events(self) -> None:
        conn = self.conn
        while True:
            cycle = self.cycle
            if cycle is not None and cycle.buffered >= HIGH_WATER:
                if not self.read_paused:
                    self.read_paused = True
                    self.transport.pause_reading()
                return
            event = conn.next_event()
            if event is NEED_DATA:
                if self.phase == IDLE:
                    # Between requests with nothing buffered: the next read
                    # may take the fast path.
                    self.clean = not conn.trailing_data[0]
                elif self.phase == HEAD and not self.head_timed:
                    self.head_timed = True
                    timeout = self.config.timeout_header_read
                    if timeout is not None:
                        self._arm(self.loop.time() + timeout)
                return
            if event is PAUSED:
                return
            kind = type(event)
            if kind is Data:
                assert cycle is not None
                if cycle.response_complete:
                    continue  # the app answered without reading: discard
                data: bytes = event.data  # type: ignore[union-attr]
                cycle.chunks.append(data)
                cycle.buffered += len(data)
                cycle.wake()
            elif kind is EndOfMessage:
                assert cycle is not None
                cycle.more_body = False
                if cycle.response_complete:
                    self._next_cycle()
                    if self.transport.is_closing():
                        return
                elif self.pending is not None:
                    # The whole request is here: run the app now, so a simple
                    # handler answers before this loop parses the next request.
                    self._start_pending()
                    if self.transport.is_closing():
                        return
                else:
                    cycle.wake()
            elif kind is Request:
                self._on_request(event)  # type: ignore[arg-type]
                if self.phase == UPGRADED:
                    return
            else:  # ConnectionClosed: the peer is done with us
                self.transport.close()
                return

    def _on_protocol_error(self, exc: HTTPProtocolError) -> None:
        cycle = self.cycle
        logger.debug("Invalid HTTP request: %s", exc)
        if cycle is None or not cycle.response_started:
            self.transport.write(_error_bytes(exc.status_hint))
        if cycle is not None:
            cycle.disconnected = True
            cycle.wake()
        self.transport.close()

    def _on_request(self, request: Request) -> None:
        cycle = self._start_cycle(
            request.method,
            request.target,
            request.headers,
            "1.1" if request.http_version == b"1.1" else "1.0",
            self.conn.they_are_waiting_for_100_continue,
        )
        # Started once the body's end is parsed, or when this parsing pass ends.
        self.pending = cycle

    def _start_cycle(
        self,
        method: bytes,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        http_version: str,
        expect_100: bool,
    ) -> RequestCycle | None:
        """Build the scope and the cycle of a parsed request (``None``: upgraded)."""
        self.phase = BUSY
        config = self.config
        timeout = config.timeout_request
        if timeout is not None:
            self._arm(self.loop.time() + timeout)
        else:
            self.deadline = INF
        raw_path, query = split_target(target)
        client = self.client
        scheme = self.scheme
        # One pass over the headers finds both the upgrade and proxy headers.
        upgrade: bytes | None = None
        proxied = False
        for name, value in headers:
            if name in _SPECIAL_HEADERS:
                if name == b"upgrade":
                    upgrade = value
                else:
                    proxied = True
        if proxied and self.trusted_peer:
            client, scheme = apply_proxy_headers(
                config.trusted_hosts, headers, client, scheme
            )
        path = percent_decode_path(raw_path)
        root_path = self.root_path
        if root_path:
            path = root_path + path
            raw_path = self.root_path_bytes + raw_path
        scope: dict[str, Any] = {
            "type": "http",
            "asgi": {"version": "3.0", "spec_version": "2.4"},
            "http_version": http_version,
            "server": self.server,
            "client": client,
            "scheme": scheme,
            "method": _METHODS.get(method) or method.decode("ascii"),
            "root_path": root_path,
            "path": path,
            "raw_path": raw_path,
            "query_string": query,
            "headers": headers,
            "state": self.app_state.copy(),
            "extensions": {},
        }
        if upgrade is not None and b"websocket" in upgrade.lower():
            if self._upgrade(scope):
                return None
        cycle = RequestCycle(self, scope, expect_100, self.log_enabled())
        if self.state.shutting_down:
            cycle.keep_alive = False
        self.cycle = cycle
        return cycle

    def log_enabled(self) -> bool:
        """Whether this request gets an access-log line."""
        return self.access_log and access_logger.isEnabledFor(logging.INFO)

    def _start_pending(self) -> None:
        cycle = self.pending
        assert cycle is not None
        self.pending = None
        if cycle.disconnected:
            return  # the request failed to parse: the app never sees it
        self._run(cycle)

    def _run(self, cycle: RequestCycle) -> None:
        app = self.app
        limit = self.config.limit_concurrency
        if limit is not None and (
            len(self.state.connections) > limit or len(self.state.tasks) >= limit
        ):
            app = service_unavailable
        coro = run_asgi(app, cycle)
        cycle.coro = coro
        cycle.task = self.runner.start(coro)

    def _upgrade(self, scope: dict[str, Any]) -> bool:
        if self.config.ws == "none":
            logger.warning("Unsupported upgrade request.")
            return False
        # Imported on the first upgrade, not at start-up.
        from aio.server._websocket import start_websocket

        scope["type"] = "websocket"
        # "method" stays in the scope: start_websocket removes it after checking GET.
        scope["scheme"] = "wss" if scope["scheme"] == "https" else "ws"
        self.phase = UPGRADED
        self.deadline = INF
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        self.state.connections.discard(self)
        leftover, _ = self.conn.trailing_data
        protocol = start_websocket(
            transport=self.transport,
            scope=scope,
            leftover=leftover,
            app=self.app,
            config=self.config,
            server_state=self.state,
        )
        self.websocket = protocol
        self.transport.set_protocol(protocol)
        return True

    # -- called by the request cycle -------------------------------------------

    def resume_body(self) -> None:
        """The app wants more body: resume reading and parse what is buffered."""
        if self.read_paused:
            self.read_paused = False
            if not self.transport.is_closing():
                self.transport.resume_reading()
        self._process()

    async def drain(self) -> None:
        """Wait until the transport's write buffer is below its low-water mark."""
        waiter = self.drain_waiter
        if waiter is None:
            waiter = self.drain_waiter = self.loop.create_future()
        await waiter

    def response_done(self, cycle: RequestCycle) -> None:
        """The app sent its last body message."""
        state = self.state
        state.total_requests += 1
        if cycle.access_started:
            cycle.log_access(self.access_fmt)
        if self.transport.is_closing():
            return
        if not cycle.keep_alive or not self.conn.keep_alive:
            self.transport.close()
            return
        if cycle.more_body:
            if cycle.expect_100:
                # We never asked for the body: the client may never send it.
                self.transport.close()
                return
            # Read and discard the rest of the body, then start the next cycle.
            cycle.chunks.clear()
            cycle.buffered = 0
            self.resume_body()
            return
        self._next_cycle()
        if not self.clean and not self.transport.is_closing():
            self._process()

    def sync_connection(self) -> None:
        """Let the Connection parse the fast-path request after all (its
        response needs the general path); it accepts the same head."""
        head = self.unsynced
        assert head is not None
        self.unsynced = None
        self.clean = False
        conn = self.conn
        conn.receive_data(head)
        event = conn.next_event()
        assert type(event) is Request, event
        while type(event) is not EndOfMessage:  # the body is the cycle's already
            event = conn.next_event()
            assert type(event) in (Data, EndOfMessage), event
        held = self.held
        if held is not None:
            self.held = None
            conn.receive_data(bytes(held))

    def _next_cycle(self) -> None:
        self.cycle = None
        if self.state.shutting_down:
            self.transport.close()
            return
        if self.unsynced is not None:
            # A fast-path request: the Connection never left IDLE. What came
            # in meanwhile goes to it now, to be parsed as usual.
            self.unsynced = None
            held = self.held
            if held is not None:
                self.held = None
                self.conn.receive_data(bytes(held))
                self.clean = False
        else:
            self.conn.start_next_cycle()
        self.phase = IDLE
        if self.read_paused:
            self.read_paused = False
            self.transport.resume_reading()
        self._arm(self.loop.time() + self.config.timeout_keep_alive)

    def fail(self, status: int) -> None:
        """Answer ``status`` (nothing was sent yet) and close the connection."""
        cycle = self.cycle
        if cycle is not None:
            cycle.response_complete = True
            cycle.status = status
            self.state.total_requests += 1
        if not self.transport.is_closing():
            self.transport.write(_error_bytes(status))
            self.transport.close()

    def close(self) -> None:
        """Close the connection (a response was cut short)."""
        if not self.transport.is_closing():
            self.transport.close()

    def shutdown(self) -> None:
        """Graceful shutdown: finish the request in flight, or one that arrives
        within ``SHUTDOWN_IDLE_GRACE``, answering with ``connection: close``."""
        cycle = self.cycle
        if cycle is not None:
            if cycle.response_complete:
                self.transport.close()  # answered; the rest of its body is moot
            else:
                cycle.keep_alive = False
        elif self.phase == IDLE:
            # Closing an idle connection at once loses a request already sent
            # on it (a connection accepted a moment ago gets a bare close for
            # its first request): close it only if it stays quiet a moment.
            self._arm(min(self.deadline, self.loop.time() + SHUTDOWN_IDLE_GRACE))
        # HEAD: part of a request is here; it is served once the rest arrives
        # (timeout_header_read still applies), then the connection closes.

    def abort(self) -> None:
        """Forced shutdown: cancel the handler and drop the connection."""
        cycle = self.cycle
        if cycle is not None and cycle.task is not None:
            cycle.task.cancel()
        if not self.transport.is_closing():
            self.transport.close()

    # -- timeouts ----------------------------------------------------------------

    def _arm(self, deadline: float) -> None:
        self.deadline = deadline
        if self.timer is None or deadline < self.timer_at:
            if self.timer is not None:
                self.timer.cancel()
            self.timer_at = deadline
            self.timer = self.loop.call_at(deadline, self._on_timer)

    def _on_timer(self) -> None:
        self.timer = None
        deadline = self.deadline
        if deadline == INF or self.transport.is_closing():
            return
        if deadline > self.loop.time():
            self.timer_at = deadline
            self.timer = self.loop.call_at(deadline, self._on_timer)
            return
        if self.phase == BUSY:
            self._request_timed_out()
        else:
            if self.phase == HEAD:
                logger.debug("Closing connection: request head not received in time")
            self.transport.close()

    def _request_timed_out(self) -> None:
        cycle = self.cycle
        if cycle is None or cycle.response_complete or cycle.task is None:
            return
        task = cycle.task
        # before cancelling: where it is stuck now
        stack = coroutine_stack(cycle.coro)
        logger.error(
            "Request %s %s timed out after %ss; cancelling the handler. Its stack:\n%s",
            cycle.scope["method"],
            cycle.scope["path"],
            self.config.timeout_request,
            stack,
        )
        cycle.timed_out = True
        cycle.disconnected = True
        if not cycle.head_sent:
            self.fail(504)
        else:
            self.close()
        cycle.wake()
        task.cancel()
