"""The WebSocket connection state machine (RFC 6455 §5-§7), for both roles.

Theory of operation
-------------------
A :class:`WebSocketConnection` sits after the opening handshake. Bytes from the
peer go in through :meth:`~WebSocketConnection.receive_data`; whole messages and
control frames come out of :meth:`~WebSocketConnection.next_event`; our own
messages become bytes through the ``send_*`` methods, which return what to write.
Replies the protocol makes on its own (a pong for a ping with ``auto_pong``, the
echo of the peer's close frame, the close frame that fails a connection) are
queued and handed out by :meth:`~WebSocketConnection.bytes_to_send`: a shell
writes that after each batch of events.

States (``state``)::

    OPEN ──send_close()──▶ CLOSING ──close frame received──▶ CLOSED
      └───close frame received (echo queued)──────────────▶ CLOSED
      └───protocol error / EOF (fail frame queued)─────────▶ CLOSED

Receiving: frames come from a :class:`FrameParser` that checks what one frame
can show (§5.2). Here we add what needs history: a data frame opens a message,
continuation frames extend it, control frames may interleave (§5.4). Text is
decoded with an incremental UTF-8 decoder, so invalid UTF-8 fails as soon as it
arrives, not at the end of a long message (1007). The size limit applies to the
reassembled, decompressed message (1009). Any error fails the connection: the
matching close frame is queued, the state becomes CLOSED, and the typed error is
raised from :meth:`next_event` once (later calls return ``None``).

After the close handshake the TCP connection is closed by the server first
(§7.1.1); that is the shell's job, as is any timing (ping intervals, close
timeouts): this module never reads a clock.
"""

from __future__ import annotations

import codecs
import enum
import os
from collections.abc import Callable, Iterator

from aio.proto.websocket._close import (
    ABNORMAL_CLOSURE,
    NO_STATUS,
    build_close_payload,
    is_valid_wire_code,
    parse_close_payload,
)
from aio.proto.websocket._deflate import PerMessageDeflate
from aio.proto.websocket._errors import (
    LocalWebSocketError,
    PayloadTooBigError,
    WebSocketProtocolError,
)
from aio.proto.websocket._events import (
    BytesMessage,
    CloseReceived,
    Event,
    Ping,
    Pong,
    TextMessage,
)
from aio.proto.websocket._frame import (
    MAX_CONTROL_PAYLOAD,
    Frame,
    FrameParser,
    Opcode,
    encode_frame,
)

__all__ = ("ConnectionState", "Role", "WebSocketConnection")

DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024 * 1024
_Utf8Decoder = codecs.getincrementaldecoder("utf-8")


class Role(enum.Enum):
    """Which end of the connection we are; it decides masking (§5.3)."""

    CLIENT = "client"
    SERVER = "server"


class ConnectionState(enum.Enum):
    """Where the closing handshake stands."""

    OPEN = "open"
    CLOSING = "closing"  # we sent a close frame, the peer's has not arrived
    CLOSED = "closed"  # both close frames exchanged, or the connection failed


class WebSocketConnection:
    """Sans-I/O WebSocket endpoint after the opening handshake.

    :param role: :attr:`Role.CLIENT` masks what it sends and expects unmasked
        frames; :attr:`Role.SERVER` the opposite.
    :param deflate: the permessage-deflate state if the handshake negotiated it.
    :param max_message_size: largest message accepted (after decompression), or
        ``None`` for no limit; a bigger one fails the connection with 1009.
    :param auto_pong: answer pings on our own (the pong goes to
        :meth:`bytes_to_send`).
    :param mask_source: where client mask keys come from (``os.urandom``; tests
        pass a fixed one).

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        role: Role,
        *,
        deflate: PerMessageDeflate | None = None,
        max_message_size: int | None = DEFAULT_MAX_MESSAGE_SIZE,
        auto_pong: bool = True,
        mask_source: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.role = role
        self.deflate = deflate
        self.max_message_size = max_message_size
        self.auto_pong = auto_pong
        self._mask_source = mask_source
        self.state = ConnectionState.OPEN
        #: the peer's close code and reason, once its close frame arrived
        self.close_code: int | None = None
        self.close_reason: str = ""
        self.close_sent = False
        wire_limit = max_message_size
        if wire_limit is not None and deflate is not None:
            # Compressed data can be slightly larger than the plain text (stored
            # blocks); the real limit is enforced on the inflated size.
            wire_limit += wire_limit // 64 + 1024
        self._parser = FrameParser(
            expect_masked=role is Role.SERVER,
            allowed_rsv1=deflate is not None,
            max_frame_size=wire_limit,
        )
        self._eof = False
        self._outgoing = bytearray()
        # The incoming message being reassembled.
        self._msg_opcode: Opcode | None = None
        self._msg_compressed = False
        self._msg_parts: list[bytes] = []
        self._text_parts: list[str] = []
        self._msg_size = 0
        self._utf8: codecs.IncrementalDecoder | None = None
        # The outgoing message being fragmented by send_text/send_bytes(final=False).
        self._send_opcode: Opcode | None = None

    # -- receiving ---------------------------------------------------------

    def receive_data(self, data: bytes) -> None:
        """Feed bytes from the peer; ``b""`` means the peer closed the stream."""
        if not data:
            self._eof = True
        elif self.close_code is None and self.state is not ConnectionState.CLOSED:
            # After the peer's close frame nothing more is meaningful (§5.5.1).
            self._parser.feed(data)

    def next_event(self) -> Event | None:
        """The next event, or ``None`` when more data is needed (or after closing).

        :raises WebSocketProtocolError: the peer broke the protocol; the close
            frame that fails the connection is already in :meth:`bytes_to_send`,
            and ``close_code`` of the error says which code it carries.
        """
        if self.state is ConnectionState.CLOSED:
            return None
        try:
            while True:
                frame = self._parser.next_frame()
                if frame is None:
                    if self._eof:
                        raise WebSocketProtocolError(
                            "connection closed without a close frame",
                            close_code=ABNORMAL_CLOSURE,
                        )
                    return None
                event = self._handle_frame(frame)
                if event is not None:
                    return event
        except WebSocketProtocolError as exc:
            self._fail(exc)
            raise

    def events(self) -> Iterator[Event]:
        """Iterate over the events available now (see :meth:`next_event`)."""
        while (event := self.next_event()) is not None:
            yield event

    def bytes_to_send(self) -> bytes:
        """Take the bytes the protocol queued on its own (pongs, close replies)."""
        data = bytes(self._outgoing)
        self._outgoing.clear()
        return data

    def _fail(self, exc: WebSocketProtocolError) -> None:
        if not self.close_sent and is_valid_wire_code(exc.close_code):
            reason = str(exc).encode("utf-8")[:123].decode("utf-8", "ignore")
            self._outgoing += self._frame(
                Opcode.CLOSE, build_close_payload(exc.close_code, reason)
            )
            self.close_sent = True
        self.state = ConnectionState.CLOSED

    def _handle_frame(self, frame: Frame) -> Event | None:
        op = frame.opcode
        # RFC 7692 §6: RSV1 marks a compressed message on its first frame only.
        if frame.rsv1 and op.is_control:
            raise WebSocketProtocolError("RSV1 set on a control frame")
        if op is Opcode.PING:
            if self.auto_pong and not self.close_sent:
                self._outgoing += self._frame(Opcode.PONG, frame.payload)
            return Ping(frame.payload)
        if op is Opcode.PONG:
            return Pong(frame.payload)
        if op is Opcode.CLOSE:
            return self._handle_close(frame.payload)
        if op is Opcode.CONTINUATION:
            if self._msg_opcode is None:
                raise WebSocketProtocolError("continuation frame without a message")
            if frame.rsv1:
                raise WebSocketProtocolError("RSV1 set on a continuation frame")
        else:
            if self._msg_opcode is not None:
                raise WebSocketProtocolError("new data frame while a message is open")
            if frame.fin and not frame.rsv1:
                return self._whole_message(op, frame.payload)
            self._msg_opcode = op
            self._msg_compressed = frame.rsv1
            if op is Opcode.TEXT:
                self._utf8 = _Utf8Decoder("strict")
        return self._add_fragment(frame.payload, frame.fin)

    def _whole_message(self, op: Opcode, payload: bytes) -> Event:
        # The common case, one uncompressed frame: no reassembly state at all.
        limit = self.max_message_size
        if limit is not None and len(payload) > limit:
            raise PayloadTooBigError(f"message exceeds the limit of {limit} bytes")
        if op is Opcode.BINARY:
            return BytesMessage(payload)
        try:
            return TextMessage(payload.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise WebSocketProtocolError(
                "text message is not valid UTF-8", close_code=1007
            ) from exc

    def _add_fragment(self, payload: bytes, fin: bool) -> Event | None:
        limit = self.max_message_size
        if self._msg_compressed:
            assert self.deflate is not None  # RSV1 is only accepted with deflate
            payload = self.deflate.decompress(payload, final=fin, max_size=limit)
        elif limit is not None and self._msg_size + len(payload) > limit:
            raise PayloadTooBigError(f"message exceeds the limit of {limit} bytes")
        self._msg_size += len(payload)
        if self._msg_opcode is Opcode.TEXT:
            assert self._utf8 is not None
            try:
                text = self._utf8.decode(payload, fin)
            except UnicodeDecodeError as exc:
                raise WebSocketProtocolError(
                    "text message is not valid UTF-8", close_code=1007
                ) from exc
            self._text_parts.append(text)
            if not fin:
                return None
            message = "".join(self._text_parts)
            self._reset_message()
            return TextMessage(message)
        self._msg_parts.append(payload)
        if not fin:
            return None
        data = b"".join(self._msg_parts)
        self._reset_message()
        return BytesMessage(data)

    def _reset_message(self) -> None:
        self._msg_opcode = None
        self._msg_compressed = False
        self._msg_parts = []
        self._text_parts = []
        self._msg_size = 0
        self._utf8 = None

    def _handle_close(self, payload: bytes) -> CloseReceived:
        code, reason = parse_close_payload(payload)
        self.close_code, self.close_reason = code, reason
        if not self.close_sent:
            # Echo the status code, as §5.5.1 suggests; 1005 echoes as empty.
            echo = b"" if code == NO_STATUS else payload[:2]
            self._outgoing += self._frame(Opcode.CLOSE, echo)
            self.close_sent = True
        self.state = ConnectionState.CLOSED
        return CloseReceived(code, reason)

    # -- sending -----------------------------------------------------------

    def _frame(
        self, opcode: Opcode, payload: bytes, *, fin: bool = True, rsv1: bool = False
    ) -> bytes:
        key = self._mask_source(4) if self.role is Role.CLIENT else None
        return encode_frame(opcode, payload, fin=fin, rsv1=rsv1, mask_key=key)

    def _check_can_send(self) -> None:
        if self.close_sent:
            raise LocalWebSocketError("cannot send after the close frame")

    def _send_data(self, opcode: Opcode, payload: bytes, final: bool) -> bytes:
        self._check_can_send()
        if self._send_opcode is None:
            first = True
            if not final:
                self._send_opcode = opcode
        else:
            if self._send_opcode is not opcode:
                raise LocalWebSocketError(
                    "a fragmented message must continue with the same type"
                )
            first = False
            if final:
                self._send_opcode = None
        rsv1 = False
        if self.deflate is not None:
            payload = self.deflate.compress(payload, final=final)
            rsv1 = first  # RSV1 marks a compressed message on its first frame
        return self._frame(
            opcode if first else Opcode.CONTINUATION, payload, fin=final, rsv1=rsv1
        )

    def send_text(self, text: str, *, final: bool = True) -> bytes:
        """Bytes of a text message (or of one fragment, with ``final=False``
        on all but the last).

        :raises LocalWebSocketError: the close frame was sent already, or a
            binary message is being fragmented.
        """
        return self._send_data(Opcode.TEXT, text.encode("utf-8"), final)

    def send_bytes(self, data: bytes, *, final: bool = True) -> bytes:
        """Bytes of a binary message (or fragment; see :meth:`send_text`)."""
        return self._send_data(Opcode.BINARY, bytes(data), final)

    def _control(self, opcode: Opcode, payload: bytes) -> bytes:
        self._check_can_send()
        if len(payload) > MAX_CONTROL_PAYLOAD:
            raise LocalWebSocketError("control frame payload over 125 bytes")
        return self._frame(opcode, bytes(payload))

    def send_ping(self, payload: bytes = b"") -> bytes:
        """Bytes of a ping frame (payload up to 125 bytes)."""
        return self._control(Opcode.PING, payload)

    def send_pong(self, payload: bytes = b"") -> bytes:
        """Bytes of an unsolicited (or manual) pong frame."""
        return self._control(Opcode.PONG, payload)

    def send_close(self, code: int | None = 1000, reason: str = "") -> bytes:
        """Bytes of our close frame; ``code=None`` sends one without a status.

        :raises LocalWebSocketError: already sent, or a code that may not be
            sent (1004-1006, 1015, reserved ranges), or a reason over 123 bytes.
        """
        self._check_can_send()
        frame = self._frame(Opcode.CLOSE, build_close_payload(code, reason))
        self.close_sent = True
        if self.state is ConnectionState.OPEN:
            self.state = ConnectionState.CLOSING
        return frame
