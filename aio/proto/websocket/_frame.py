"""RFC 6455 §5 frames: encoding, incremental decoding and masking.

Theory of operation
-------------------
A frame is ``FIN RSV1 RSV2 RSV3 opcode(4) | MASK len(7) | [len16 | len64] |
[mask key(4)] | payload``. :class:`FrameParser` keeps one growing buffer; each
call to :meth:`FrameParser.next_frame` looks at the front of the buffer and
either returns a whole frame (removing its bytes) or ``None`` when more bytes
are needed. It validates everything that can be judged from one frame alone:
reserved bits not claimed by an extension, unknown opcodes, fragmented or
oversized control frames, the minimal length encoding, the mask bit required of
the peer's role, and the per-frame size limit (checked from the header, before
the payload is buffered, so a peer cannot make us buffer a huge frame). Rules
that need history (continuation without a start, interleaving) live in the
connection.

Masking (§5.3) XORs the payload with a 4-byte key repeated; we do it with one
big-integer XOR, which is C-speed for any payload length.
"""

from __future__ import annotations

import enum
import struct
from dataclasses import dataclass

from aio.proto.websocket._errors import PayloadTooBigError, WebSocketProtocolError

__all__ = ("Frame", "FrameParser", "Opcode", "apply_mask", "encode_frame")


class Opcode(enum.IntEnum):
    """Frame opcodes (RFC 6455 §5.2); 0x3-0x7 and 0xB-0xF are reserved."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA

    @property
    def is_control(self) -> bool:
        """Control opcodes have the high bit set (§5.5)."""
        return self.value >= 0x8


_OPCODES = {op.value: op for op in Opcode}
# Control frames carry at most 125 bytes and cannot be fragmented (§5.5).
MAX_CONTROL_PAYLOAD = 125


@dataclass(frozen=True, slots=True)
class Frame:
    """One decoded frame, payload already unmasked."""

    opcode: Opcode
    payload: bytes
    fin: bool = True
    rsv1: bool = False
    rsv2: bool = False
    rsv3: bool = False


def apply_mask(data: bytes, key: bytes) -> bytes:
    """XOR ``data`` with the 4-byte ``key`` repeated (masking and unmasking are the same)."""
    n = len(data)
    if n == 0:
        return b""
    repeated = (key * (n // 4 + 1))[:n]
    value = int.from_bytes(data, "little") ^ int.from_bytes(repeated, "little")
    return value.to_bytes(n, "little")


def encode_frame(
    opcode: Opcode,
    payload: bytes,
    *,
    fin: bool = True,
    rsv1: bool = False,
    mask_key: bytes | None = None,
) -> bytes:
    """Serialize one frame.

    :param mask_key: four bytes to mask with (a client must mask, §5.3), or
        ``None`` to send unmasked (a server must not mask).
    :returns: the frame's bytes.
    """
    first = (0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode.value
    mask_bit = 0x80 if mask_key is not None else 0
    n = len(payload)
    # The shortest length encoding is mandatory (§5.2, "the minimal number of bytes").
    if n < 126:
        head = struct.pack("!BB", first, mask_bit | n)
    elif n < 1 << 16:
        head = struct.pack("!BBH", first, mask_bit | 126, n)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, n)
    if mask_key is None:
        return head + payload
    if len(mask_key) != 4:
        raise ValueError("a mask key is exactly 4 bytes")
    return head + mask_key + apply_mask(payload, mask_key)


class FrameParser:
    """Incremental frame decoder for one direction of a connection.

    :param expect_masked: ``True`` on a server (client frames must be masked),
        ``False`` on a client (server frames must not be).
    :param allowed_rsv1: whether RSV1 is claimed by a negotiated extension
        (permessage-deflate).
    :param max_frame_size: largest payload accepted in one data frame, or ``None``.
    """

    def __init__(
        self,
        *,
        expect_masked: bool,
        allowed_rsv1: bool = False,
        max_frame_size: int | None = None,
    ) -> None:
        self._buffer = bytearray()
        # Start of the unconsumed bytes: frames are read at an offset and the
        # buffer is compacted only now and then, so that many small frames in
        # one big read do not cost a memmove each.
        self._pos = 0
        self._expect_masked = expect_masked
        self._allowed_rsv1 = allowed_rsv1
        self._max_frame_size = max_frame_size

    def feed(self, data: bytes) -> None:
        """Append received bytes."""
        if self._pos:
            del self._buffer[: self._pos]
            self._pos = 0
        self._buffer += data

    @property
    def buffered(self) -> int:
        """Number of bytes received but not yet consumed as frames."""
        return len(self._buffer) - self._pos

    def next_frame(self) -> Frame | None:
        """Return the next complete frame, or ``None`` if more bytes are needed.

        :raises WebSocketProtocolError: the frame breaks §5 (close code 1002).
        :raises PayloadTooBigError: the frame's payload exceeds ``max_frame_size``.
        """
        buf = self._buffer
        start = self._pos
        avail = len(buf) - start
        if avail < 2:
            return None
        first, second = buf[start], buf[start + 1]
        fin = bool(first & 0x80)
        rsv1, rsv2, rsv3 = bool(first & 0x40), bool(first & 0x20), bool(first & 0x10)
        opcode = _OPCODES.get(first & 0x0F)
        # Validate the first two bytes before waiting for the rest, so garbage
        # fails fast instead of stalling for a payload that never comes.
        if opcode is None:
            raise WebSocketProtocolError(f"unknown opcode {first & 0x0F:#x}")
        if rsv2 or rsv3 or (rsv1 and not self._allowed_rsv1):
            raise WebSocketProtocolError(
                "reserved bit set without a negotiated extension"
            )
        masked = bool(second & 0x80)
        if masked != self._expect_masked:
            raise WebSocketProtocolError(
                "client frames must be masked"
                if self._expect_masked
                else "server frames must not be masked"
            )
        length = second & 0x7F
        if first & 0x08:  # control opcodes have the high bit set (§5.5)
            if not fin:
                raise WebSocketProtocolError("fragmented control frame")
            if length > MAX_CONTROL_PAYLOAD:
                raise WebSocketProtocolError("control frame payload over 125 bytes")
        pos = 2
        if length == 126:
            if avail < 4:
                return None
            (length,) = struct.unpack_from("!H", buf, start + 2)
            pos = 4
            if length < 126:
                raise WebSocketProtocolError("frame length not minimally encoded")
        elif length == 127:
            if avail < 10:
                return None
            (length,) = struct.unpack_from("!Q", buf, start + 2)
            pos = 10
            if length >> 63:
                raise WebSocketProtocolError("64-bit frame length has the top bit set")
            if length < 1 << 16:
                raise WebSocketProtocolError("frame length not minimally encoded")
        if self._max_frame_size is not None and length > self._max_frame_size:
            raise PayloadTooBigError(
                f"frame of {length} bytes exceeds the limit of {self._max_frame_size}"
            )
        key = b""
        if masked:
            if avail < pos + 4:
                return None
            key = bytes(buf[start + pos : start + pos + 4])
            pos += 4
        end = pos + length
        if avail < end:
            return None
        payload = bytes(buf[start + pos : start + end])
        if start + end == len(buf):
            buf.clear()  # all consumed: release the memory now
            self._pos = 0
        else:
            self._pos = start + end
        if masked:
            payload = apply_mask(payload, key)
        return Frame(opcode, payload, fin, rsv1, rsv2, rsv3)
