"""Close frame payloads and close codes (RFC 6455 §5.5.1, §7.4).

A close payload is empty (no status: reported as 1005) or a 2-byte code followed
by a UTF-8 reason; the whole payload fits a control frame, so the reason is at
most 123 bytes. Some codes are only for reporting and never travel on the wire:
1005 (no status), 1006 (abnormal closure) and 1015 (TLS failure); 1004 is
reserved, 1016-2999 are reserved for future RFCs, 3000-3999 are registered with
IANA and 4000-4999 are private: both of those ranges are allowed.
"""

from __future__ import annotations

import struct

from aio.proto.websocket._errors import LocalWebSocketError, WebSocketProtocolError

__all__ = (
    "NO_STATUS",
    "ABNORMAL_CLOSURE",
    "is_valid_wire_code",
    "build_close_payload",
    "parse_close_payload",
)

NO_STATUS = 1005
ABNORMAL_CLOSURE = 1006

# The codes defined by RFC 6455 and the IANA registry that may be sent.
_WIRE_CODES = frozenset(
    {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014}
)


def is_valid_wire_code(code: int) -> bool:
    """Whether ``code`` may appear in a close frame."""
    return code in _WIRE_CODES or 3000 <= code <= 4999


def build_close_payload(code: int | None, reason: str) -> bytes:
    """Serialize a close payload; ``code=None`` sends an empty one (read as 1005).

    :raises LocalWebSocketError: the code may not be sent, or the reason is too
        long or given without a code.
    """
    if code is None:
        if reason:
            raise LocalWebSocketError("a close reason needs a close code")
        return b""
    if not is_valid_wire_code(code):
        raise LocalWebSocketError(f"close code {code} may not be sent")
    encoded = reason.encode("utf-8")
    if len(encoded) > 123:
        raise LocalWebSocketError("close reason longer than 123 bytes")
    return struct.pack("!H", code) + encoded


def parse_close_payload(payload: bytes) -> tuple[int, str]:
    """Decode a received close payload into ``(code, reason)``.

    :raises WebSocketProtocolError: 1002 for a 1-byte payload or a code not
        allowed on the wire, 1007 for a reason that is not UTF-8.
    """
    if not payload:
        return NO_STATUS, ""
    if len(payload) == 1:
        raise WebSocketProtocolError("close payload of one byte")
    (code,) = struct.unpack_from("!H", payload)
    if not is_valid_wire_code(code):
        raise WebSocketProtocolError(f"invalid close code {code}")
    try:
        reason = payload[2:].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WebSocketProtocolError(
            "close reason is not valid UTF-8", close_code=1007
        ) from exc
    return code, reason
