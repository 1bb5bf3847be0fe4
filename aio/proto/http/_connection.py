"""The HTTP/1.1 connection object: one class for both roles, no I/O.

Theory of operation
===================

A :class:`Connection` is driven by its owner (a server or client shell) with
three calls: ``receive_data(bytes)`` appends what the socket produced (``b""``
for EOF), ``next_event()`` parses the next event out of the buffer, and
``send(event)`` (or the fast ``send_response``/``send_data``) returns the bytes
the owner must write. The object never blocks, reads a clock or touches a socket.

States (see :mod:`._state`): each side has its own state; the server role calls
the peer "client" and vice versa. One request/response exchange is a *cycle*.
After both sides reach DONE with keep-alive on, ``start_next_cycle()`` returns
both to IDLE. Bytes that arrive early (pipelined requests, RFC 9112 section 9.3.2)
stay buffered, and ``next_event`` answers ``PAUSED`` until the new cycle starts.

Invariants:

- ``next_event`` never returns an event the state machine would refuse: a
  received event is checked first, and a peer error moves the peer to ERROR and
  raises a typed :class:`HTTPProtocolError` (with ``status_hint``). After that,
  the server may still ``send`` an error response; reading further is refused.
- ``send`` validates our caller's event before producing bytes. An invalid head
  leaves the state untouched (nothing was written); a body that breaks its
  framing (too long or short for Content-Length) moves our side to ERROR.
- Keep-alive (RFC 9112 section 9.3) is off when either head says
  ``Connection: close``, when an HTTP/1.0 head lacks ``Connection: keep-alive``,
  when a body is delimited by close, and after any error. When it is off, the
  server adds ``Connection: close`` to its response.
- Framing of our response (RFC 9112 section 6): HEAD/204/304 carry no body
  (bytes given are dropped); an explicit Content-Length or ``chunked`` is used
  as given; otherwise a 1.1 peer gets ``transfer-encoding: chunked`` and a 1.0
  peer a close-delimited body. ``send_response(..., end=True)`` instead adds a
  Content-Length, since the whole body is known. A 2xx to CONNECT carries no
  framing at all (RFC 9110 section 9.3.6): the tunnel starts after its head.
- Where the pieces live: heads are found and parsed in ``_head``, bodies read
  in ``_body``, framing of received messages decided in ``_framing``, of sent
  ones in ``_outgoing``, and bytes produced in ``_writer``.
- Protocol switch (RFC 9110 section 7.8, RFC 9112 section 9.3.1 CONNECT): a
  request with ``Connection: upgrade`` + ``Upgrade`` or method CONNECT makes the
  client MIGHT_SWITCH_PROTOCOL after its body; a 101 (or a 2xx to CONNECT)
  moves both sides to SWITCHED_PROTOCOL and the bytes after the head are in
  ``trailing_data``. Any other final response refuses the switch.
- ``Expect: 100-continue`` (RFC 9110 section 10.1.1): a server-role connection
  reports ``they_are_waiting_for_100_continue`` until we send any response or
  the client starts its body anyway.
"""

from __future__ import annotations

from typing import Final, final

from ._body import BodyReader, ChunkedReader, CloseReader, LengthReader
from ._errors import (
    HTTPProtocolError,
    IncompleteMessage,
    InvalidHeader,
    LocalHTTPProtocolError,
)
from ._events import (
    NEED_DATA,
    PAUSED,
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    Headers,
    InformationalResponse,
    Request,
    Response,
    Sentinel,
)
from ._framing import CHUNKED, CLOSE, request_framing, response_framing, scan_headers
from ._head import HeadScanner, parse_request_head, parse_response_head
from ._headers import NAME_CACHE, comma_tokens
from ._limits import DEFAULT_LIMITS, Limits
from ._outgoing import (
    STATUS_LINES,
    plan_request,
    plan_response,
    status_line,
    switch_proposal,
)
from ._state import (
    CLIENT,
    CLOSED,
    DONE,
    ERROR,
    IDLE,
    MUST_CLOSE,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    State,
    StateMachine,
)
from ._writer import BodyWriter, build_head, validate_headers

__all__ = ("Connection",)

_HOST_CHARS: Final = (
    b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+;=:[]%"
)
_QUIET: Final = frozenset((DONE, MUST_CLOSE, IDLE))
_FRAMING_NAMES: Final = frozenset(
    (b"content-length", b"transfer-encoding", b"connection")
)


@final
class Connection:
    """One HTTP/1.1 connection, seen from ``our_role`` (:data:`CLIENT` or :data:`SERVER`).

    :param our_role: :data:`SERVER` to parse requests and send responses,
        :data:`CLIENT` for the reverse.
    :param limits: the parsing limits (:class:`Limits`).
    :param require_host: reject HTTP/1.1 requests without exactly one Host
        header (RFC 9112 section 3.2). Only turn off for testing.

    .. versionadded:: 0.1
    """

    __slots__ = (
        "_buf",
        "_client_waiting_100",
        "_eof",
        "_limits",
        "_peer_version",
        "_reader",
        "_request_method",
        "_require_host",
        "_scanner",
        "_sm",
        "_their_waiting_100",
        "_writer",
        "our_role",
        "their_role",
    )

    def __init__(
        self,
        our_role: str,
        *,
        limits: Limits = DEFAULT_LIMITS,
        require_host: bool = True,
    ) -> None:
        if our_role not in (CLIENT, SERVER):
            raise ValueError(f"role must be CLIENT or SERVER, not {our_role!r}")
        # Normalised to the module constants, so hot paths can compare with "is".
        self.our_role = SERVER if our_role == SERVER else CLIENT
        self.their_role = SERVER if our_role == CLIENT else CLIENT
        self._limits = limits
        self._require_host = require_host
        self._buf = bytearray()
        self._eof = False
        self._sm = StateMachine()
        self._scanner = HeadScanner()
        self._reader: BodyReader | None = None
        self._writer: BodyWriter | None = None
        # The method of the current cycle's request: decides response framing.
        self._request_method: bytes | None = None
        # The version of the client's request (server role), for our framing.
        self._peer_version = b"1.1"
        self._their_waiting_100 = False
        self._client_waiting_100 = False

    def __repr__(self) -> str:
        return (
            f"<Connection {self.our_role} our_state={self.our_state.value} "
            f"their_state={self.their_state.value} keep_alive={self.keep_alive} "
            f"buffered={len(self._buf)} eof={self._eof}>"
        )

    # ------------------------------------------------------------------ state

    @property
    def our_state(self) -> State:
        """Our side's :class:`State`."""
        return self._sm.client if self.our_role == CLIENT else self._sm.server

    @property
    def their_state(self) -> State:
        """The peer's :class:`State`."""
        return self._sm.server if self.our_role == CLIENT else self._sm.client

    @property
    def keep_alive(self) -> bool:
        """Whether the connection may carry another exchange after this one."""
        return self._sm.keep_alive

    @property
    def they_are_waiting_for_100_continue(self) -> bool:
        """Server role: the client sent ``Expect: 100-continue`` and is waiting
        for a ``100 Continue`` (or any response) before sending its body."""
        return self._their_waiting_100

    @property
    def client_is_waiting_for_100_continue(self) -> bool:
        """Client role: we sent ``Expect: 100-continue`` and got no response yet."""
        return self._client_waiting_100

    @property
    def trailing_data(self) -> tuple[bytes, bool]:
        """``(unparsed bytes, whether the peer sent EOF)``: after a protocol
        switch, these bytes belong to the new protocol."""
        return bytes(self._buf), self._eof

    def start_next_cycle(self) -> None:
        """Reset both sides to IDLE after a complete keep-alive exchange.

        :raises LocalHTTPProtocolError: a side is not DONE (or keep-alive is off).
        """
        self._sm.start_next_cycle()
        self._reader = None
        self._writer = None
        self._request_method = None
        self._their_waiting_100 = False
        self._client_waiting_100 = False

    # -------------------------------------------------------------- receiving

    def receive_data(self, data: bytes) -> None:
        """Add bytes received from the peer; ``b""`` means the peer closed.

        :raises LocalHTTPProtocolError: data after EOF.
        """
        if data:
            if self._eof:
                raise LocalHTTPProtocolError("received data after EOF")
            self._buf += data
        else:
            self._eof = True

    def next_event(self) -> Event | Sentinel:
        """Parse the next event from the received bytes.

        :returns: an event, :data:`NEED_DATA` (call ``receive_data`` first) or
            :data:`PAUSED` (call ``start_next_cycle``, or read
            ``trailing_data`` after a protocol switch).
        :raises HTTPProtocolError: the peer broke the protocol; their state is
            now ERROR and ``status_hint`` says how a server should answer.
        :raises LocalHTTPProtocolError: called again after such an error.
        """
        sm = self._sm
        their = sm.client if self.our_role is SERVER else sm.server
        if their is ERROR:
            raise LocalHTTPProtocolError("cannot read: the peer broke the protocol")
        try:
            if self.our_role is SERVER:
                return self._next_as_server(their)
            return self._next_as_client(their)
        except HTTPProtocolError:
            self._sm.error(self.their_role)
            raise
        except LocalHTTPProtocolError as exc:
            # The state machine refused an event the peer sent.
            self._sm.error(self.their_role)
            raise HTTPProtocolError(str(exc)) from None

    def _next_as_server(self, their: State) -> Event | Sentinel:
        if their is SEND_BODY:
            return self._read_body()
        # A new request is parsed only when both sides are IDLE: after an error
        # response sent from IDLE (400, 408) the server is not, and nothing the
        # client sends afterwards is read.
        if their is IDLE and self._sm.server is IDLE:
            head = self._scanner.extract(self._buf, self._limits, is_request=True)
            if head is None:
                return self._no_head()
            request = parse_request_head(head, self._limits)
            self._on_request(request)
            return request
        return self._between_messages(their)

    def _next_as_client(self, their: State) -> Event | Sentinel:
        if their is SEND_BODY:
            return self._read_body()
        if their is SEND_RESPONSE:
            head = self._scanner.extract(self._buf, self._limits, is_request=False)
            if head is None:
                if self._eof:
                    raise IncompleteMessage(
                        "server closed the connection before responding"
                    )
                return NEED_DATA
            response = parse_response_head(head, self._limits)
            self._on_response(response)
            return response
        # Bytes from a server that was asked nothing cannot belong to a
        # request (an unsolicited 408, garbage): the connection is unusable.
        if their is IDLE and self._buf:
            raise HTTPProtocolError("server sent data before any request")
        return self._between_messages(their)

    def _no_head(self) -> Sentinel | ConnectionClosed:
        if not self._eof:
            return NEED_DATA
        # EOF between messages is an orderly close; EOF inside a head is not.
        if self._buf:
            raise IncompleteMessage("connection closed in the middle of a message head")
        self._sm.closed(self.their_role)
        return ConnectionClosed()

    def _between_messages(self, their: State) -> Event | Sentinel:
        # Bytes after a finished message wait for the next cycle (pipelining,
        # RFC 9112 section 9.3.2); EOF here is an orderly close.
        if their in _QUIET:
            if self._buf:
                return PAUSED
            if self._eof:
                self._sm.closed(self.their_role)
                return ConnectionClosed()
            return NEED_DATA
        if their is CLOSED:
            return ConnectionClosed()
        # MIGHT_SWITCH_PROTOCOL, SWITCHED_PROTOCOL, or a server that has
        # answered from IDLE while the client never sent a request.
        return PAUSED

    def _read_body(self) -> Event | Sentinel:
        reader = self._reader
        assert reader is not None
        event = reader.read(self._buf)
        if event is None:
            if not self._eof:
                return NEED_DATA
            event = reader.read_eof()
        # Any body byte, or its end, means the client stopped waiting for
        # 100 Continue.
        if self._their_waiting_100:
            self._their_waiting_100 = False
        if type(event) is EndOfMessage:
            self._sm.end(self.their_role)
            self._reader = None
        return event

    def _on_request(self, request: Request) -> None:
        info = scan_headers(request.headers)
        version = request.http_version
        # RFC 9112 section 3.2: one Host in HTTP/1.1, at most one in HTTP/1.0.
        if info.host_count > 1:
            raise InvalidHeader("more than one Host header")
        if info.host.translate(None, _HOST_CHARS):
            # RFC 9112 section 3.2: a Host that is not uri-host[:port] gets a
            # 400. Checked by charset (RFC 3986 reg-name, IP literal, port),
            # which rules out whitespace, "/", "@", "?", "#" and ",".
            raise InvalidHeader(f"invalid Host header value {info.host[:80]!r}")
        # RFC 9112 section 9.3: persistence is the default in HTTP/1.1 and
        # opt-in (Connection: keep-alive) in HTTP/1.0.
        if version == b"1.1":
            if self._require_host and info.host_count != 1:
                raise InvalidHeader("missing Host header")
            keep_alive = not info.close
        else:
            keep_alive = info.keep_alive and not info.close
        kind, length = request_framing(info, version)
        reader: BodyReader
        if request.method == b"CONNECT":
            # RFC 9110 section 9.3.6: CONNECT has no content; what follows the
            # head is tunnel data (llhttp agrees), whatever the headers claim.
            reader = LengthReader(0, self._limits)
        elif kind == CHUNKED:
            reader = ChunkedReader(self._limits)
        else:
            reader = LengthReader(length, self._limits)
        # Only CONNECT, or Upgrade with Connection: upgrade, proposes a switch.
        self._sm.request(
            switch_proposal(request.method, version, info)
            if info.upgrade or request.method == b"CONNECT"
            else None
        )
        self._reader = reader
        self._request_method = request.method
        self._peer_version = version
        self._their_waiting_100 = info.expect_continue and version == b"1.1"
        if not keep_alive:
            self._sm.disable_keep_alive()

    def _on_response(self, response: Response | InformationalResponse) -> None:
        self._client_waiting_100 = False
        status = response.status_code
        # A 1xx does not end the exchange: the final response still follows.
        if type(response) is InformationalResponse:
            self._sm.informational(status)
            return
        info = scan_headers(response.headers)
        kind, length = response_framing(info, self._request_method, status)
        if response.http_version == b"1.1":
            keep_alive = not info.close
        else:
            keep_alive = info.keep_alive and not info.close
        self._sm.response(status)
        if self._sm.server is SWITCHED_PROTOCOL:
            return
        reader: BodyReader
        if kind == CHUNKED:
            reader = ChunkedReader(self._limits)
        elif kind == CLOSE:
            reader = CloseReader(self._limits)
            keep_alive = False
        else:
            reader = LengthReader(length, self._limits)
        self._reader = reader
        if not keep_alive:
            self._sm.disable_keep_alive()

    # ---------------------------------------------------------------- sending

    def send(self, event: Event) -> bytes:
        """Serialise one of our events and return the bytes to write.

        :raises LocalHTTPProtocolError: the event is invalid, or not allowed in
            our current state.
        """
        # Dispatch on the exact type: events are plain final dataclasses, and
        # this is the hot path.
        if type(event) is Data:
            return self.send_data(event.data)
        if type(event) is EndOfMessage:
            return self._send_end(event.headers)
        if type(event) is Response:
            if self.our_role != SERVER:
                raise LocalHTTPProtocolError("only a server sends responses")
            return self._send_response_head(
                event.status_code, event.headers, event.reason, None
            )
        if type(event) is Request:
            return self._send_request(event)
        if type(event) is InformationalResponse:
            return self._send_informational(event)
        if type(event) is ConnectionClosed:
            self._sm.closed(self.our_role)
            return b""
        raise LocalHTTPProtocolError(f"cannot send {event!r}")

    def send_response(
        self,
        status_code: int,
        headers: Headers,
        body: bytes | None = None,
        *,
        end: bool = True,
        reason: bytes = b"",
    ) -> bytes:
        """Server fast path: a response head, optional body, optional end, in one
        bytes object.

        With ``end=True`` the body is complete, so a ``content-length`` header
        is added when ``headers`` has no framing of their own.

        :param status_code: 200 to 599.
        :param headers: ``(name, value)`` byte pairs.
        :param body: body bytes (dropped for HEAD, 204 and 304).
        :param end: also end the message.
        :param reason: reason phrase; the standard one when empty.
        :raises LocalHTTPProtocolError: as :meth:`send`.
        """
        if self.our_role != SERVER:
            raise LocalHTTPProtocolError("only a server sends responses")
        if end:
            fast = self._complete_response(status_code, headers, body, reason)
            if fast is not None:
                return fast
            head = self._send_response_head(
                status_code, headers, reason, len(body) if body else 0
            )
            if self._writer is None:  # a 2xx to CONNECT: the tunnel is open
                return head
            return head + self.send_data(body or b"", end=True)
        head = self._send_response_head(status_code, headers, reason, None)
        if body:
            return head + self.send_data(body)
        return head

    def _complete_response(
        self, status: int, headers: Headers, body: bytes | None, reason: bytes
    ) -> bytes | None:
        # The common case of send_response(end=True), flattened: a 2xx-5xx
        # answer with a body to a request that is not HEAD or CONNECT, whose
        # headers carry no framing but (at most) a matching Content-Length.
        # Anything else returns None and takes the general path, which gives
        # the same bytes (test_fast_path_equals_general_path checks it).
        sm = self._sm
        method = self._request_method
        if (
            sm.server is not SEND_RESPONSE
            or type(status) is not int
            or not 200 <= status < 600
            or status == 204
            or status == 304
            or method == b"HEAD"
            or method == b"CONNECT"
        ):
            return None
        validate_headers(headers)
        start = STATUS_LINES.get(status) if not reason else None
        if start is None:
            start = status_line(status, reason) + b"\r\n"
        length = len(body) if body else 0
        known = NAME_CACHE.get
        close = keep_alive_token = has_length = False
        for name, value in headers:
            lowered = known(name) or name.lower()
            if lowered not in _FRAMING_NAMES:
                continue
            if lowered == b"connection":
                tokens = comma_tokens(value)
                close = close or b"close" in tokens
                keep_alive_token = keep_alive_token or b"keep-alive" in tokens
            elif (
                lowered == b"content-length"
                and not has_length
                and value == b"%d" % length
            ):
                has_length = True
            else:
                return None
        keep_alive = sm.keep_alive and not close
        parts = [start]
        for name, value in headers:
            parts += (name, b": ", value, b"\r\n")
        if not has_length:
            parts.append(b"content-length: %d\r\n" % length)
        if not keep_alive:
            if not close:
                parts.append(b"connection: close\r\n")
        elif self._peer_version == b"1.0" and not keep_alive_token:
            parts.append(b"connection: keep-alive\r\n")
        parts.append(b"\r\n")
        if body:
            parts.append(body)
        sm.response(status)
        if not keep_alive:
            sm.disable_keep_alive()
        sm.end(SERVER)
        self._their_waiting_100 = False
        self._writer = None
        return b"".join(parts)

    def send_data(
        self, data: bytes | bytearray | memoryview, *, end: bool = False
    ) -> bytes:
        """Send a piece of our body (and, with ``end=True``, finish it).

        :raises LocalHTTPProtocolError: not in SEND_BODY, or more bytes than the
            Content-Length allows.
        """
        self._sm.body(self.our_role)
        writer = self._writer
        assert writer is not None
        if type(data) is not bytes:
            # bytearray/memoryview are fine; str and others are our caller's bug.
            try:
                data = bytes(data)
            except TypeError:
                raise LocalHTTPProtocolError(
                    f"body data must be bytes, not {type(data).__name__}"
                ) from None
        try:
            out = writer.write(data)
        except LocalHTTPProtocolError:
            self._sm.error(self.our_role)
            raise
        # Once a client sends body bytes it has stopped waiting for 100.
        if self.our_role == CLIENT:
            self._client_waiting_100 = False
        if end:
            return out + self._send_end([])
        return out

    def _send_end(self, trailers: Headers) -> bytes:
        writer = self._writer
        if writer is None or (self.our_state is not SEND_BODY):
            raise LocalHTTPProtocolError(
                f"cannot end a message in state {self.our_state.value}"
            )
        try:
            out = writer.end(trailers)
        except LocalHTTPProtocolError:
            self._sm.error(self.our_role)
            raise
        self._sm.end(self.our_role)
        self._writer = None
        if self.our_role == CLIENT:
            self._client_waiting_100 = False
        return out

    def _send_informational(self, event: InformationalResponse) -> bytes:
        if self.our_role != SERVER:
            raise LocalHTTPProtocolError("only a server sends responses")
        status = event.status_code
        if not 100 <= status < 200:
            raise LocalHTTPProtocolError(
                f"informational status must be 1xx, not {status}"
            )
        validate_headers(event.headers)
        start = status_line(status, event.reason)
        self._sm.informational(status)
        self._their_waiting_100 = False
        return build_head(start, event.headers)

    def _send_response_head(
        self,
        status: int,
        headers: Headers,
        reason: bytes,
        body_length: int | None,
    ) -> bytes:
        if type(status) is not int or not 200 <= status < 600:
            raise LocalHTTPProtocolError(
                f"final response status must be 2xx-5xx, not {status!r}"
            )
        start = status_line(status, reason)
        sm = self._sm
        # From IDLE a server may only answer a request that could not be parsed
        # (client ERROR) or never came (client IDLE: a 408).
        if not (
            sm.server is SEND_RESPONSE
            or (sm.server is IDLE and sm.client in (IDLE, ERROR))
        ):
            raise LocalHTTPProtocolError(
                f"cannot send a response in state {sm.server.value}"
            )
        writer, headers, keep_alive = plan_response(
            status,
            headers,
            self._request_method,
            self._peer_version,
            sm.keep_alive,
            body_length,
        )
        # Nothing can fail from here on: only now does the state move.
        sm.response(status)
        if not keep_alive:
            sm.disable_keep_alive()
        self._their_waiting_100 = False
        self._writer = writer
        return build_head(start, headers)

    def _send_request(self, event: Request) -> bytes:
        if self.our_role != CLIENT:
            raise LocalHTTPProtocolError("only a client sends requests")
        writer, info, keep_alive = plan_request(event)
        method, version = event.method, event.http_version
        self._sm.request(switch_proposal(method, version, info))
        self._writer = writer
        self._request_method = method
        self._client_waiting_100 = info.expect_continue
        if not keep_alive:
            self._sm.disable_keep_alive()
        return build_head(
            b"%b %b HTTP/%b" % (method, event.target, version), event.headers
        )
