"""permessage-deflate (RFC 7692): negotiation and per-message (de)compression.

Theory of operation
-------------------
Negotiation happens in the opening handshake through ``Sec-WebSocket-Extensions``.
The client offers ``permessage-deflate`` with parameters; the server accepts one
offer by echoing the extension name with the parameters it agrees to, or ignores
the offers. Four parameters exist (§7.1): ``server_no_context_takeover`` and
``client_no_context_takeover`` forbid one side to keep its LZ77 window between
messages; ``server_max_window_bits`` and ``client_max_window_bits`` (8-15) cap
one side's window. ``client_max_window_bits`` without a value in an offer only
says the client understands the parameter.

Once negotiated, a compressed message has RSV1 set on its first frame. The sender
compresses the message with raw DEFLATE, ends it with a sync flush, and removes the
final ``00 00 ff ff`` (§7.2.1); the receiver appends those four bytes back before
inflating the last piece (§7.2.2). Without "no context takeover" the compressor and
decompressor live across messages, so repeated content shrinks further.

We inflate with the window the peer agreed to (15 bits when it agreed to none):
that is enough for anything it may send, and smaller windows save memory. zlib
cannot deflate with an 8-bit raw window, so we never agree to let our own
compressor be capped at 8 bits (we decline that offer, or fail a client handshake
that imposes it). The decompressed size is checked while inflating, through
``decompress(data, max_length)``, so a small "zip bomb" frame cannot make us
allocate more than the message size limit.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from aio.proto.websocket._errors import (
    InvalidHandshakeError,
    PayloadTooBigError,
    WebSocketProtocolError,
)
from aio.proto.websocket._headers import parse_extensions

__all__ = (
    "EXTENSION_NAME",
    "DeflateParams",
    "PerMessageDeflate",
    "client_accept_deflate",
    "client_deflate_offer",
    "server_negotiate_deflate",
)

EXTENSION_NAME = "permessage-deflate"
_TAIL = b"\x00\x00\xff\xff"
_PARAMS = frozenset(
    {
        "server_no_context_takeover",
        "client_no_context_takeover",
        "server_max_window_bits",
        "client_max_window_bits",
    }
)


@dataclass(frozen=True, slots=True)
class DeflateParams:
    """The agreed permessage-deflate parameters (as in the server's response)."""

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int | None = None
    client_max_window_bits: int | None = None

    def to_header(self) -> str:
        """The ``Sec-WebSocket-Extensions`` value a server answers with."""
        parts = [EXTENSION_NAME]
        if self.server_no_context_takeover:
            parts.append("server_no_context_takeover")
        if self.client_no_context_takeover:
            parts.append("client_no_context_takeover")
        if self.server_max_window_bits is not None:
            parts.append(f"server_max_window_bits={self.server_max_window_bits}")
        if self.client_max_window_bits is not None:
            parts.append(f"client_max_window_bits={self.client_max_window_bits}")
        return "; ".join(parts)


def _window_bits(name: str, value: str | None) -> int:
    if value is None or not value.isdigit() or value.startswith("0"):
        raise ValueError(f"{name} needs a value from 8 to 15")
    bits = int(value)
    if not 8 <= bits <= 15:
        raise ValueError(f"{name}={bits} is outside 8-15")
    return bits


def _read_params(
    params: Sequence[tuple[str, str | None]], *, is_offer: bool
) -> tuple[bool, bool, int | None, int | None, bool]:
    """Validate one parameter list. Returns the four values and whether
    ``client_max_window_bits`` was present (with or without a value)."""
    seen: set[str] = set()
    snct = cnct = False
    smwb: int | None = None
    cmwb: int | None = None
    cmwb_present = False
    for name, value in params:
        if name not in _PARAMS:
            raise ValueError(f"unknown parameter {name!r}")
        if name in seen:
            raise ValueError(f"duplicate parameter {name!r}")
        seen.add(name)
        if name == "server_no_context_takeover":
            if value is not None:
                raise ValueError(f"{name} takes no value")
            snct = True
        elif name == "client_no_context_takeover":
            if value is not None:
                raise ValueError(f"{name} takes no value")
            cnct = True
        elif name == "server_max_window_bits":
            smwb = _window_bits(name, value)
        else:
            cmwb_present = True
            # In an offer the value is optional (§7.1.2.2); in a response it is not.
            if value is not None or not is_offer:
                cmwb = _window_bits(name, value)
    return snct, cnct, smwb, cmwb, cmwb_present


def server_negotiate_deflate(
    header_values: Sequence[str],
    *,
    server_max_window_bits: int | None = None,
    client_max_window_bits: int | None = None,
) -> DeflateParams | None:
    """Pick the first acceptable permessage-deflate offer of a client.

    :param header_values: the request's ``Sec-WebSocket-Extensions`` values.
    :param server_max_window_bits: cap our compressor's window (9-15) even if the
        client did not ask: less memory per connection (a server may announce
        it, §7.1.2.1).
    :param client_max_window_bits: ask the client to cap its window (8-15), when
        its offer says it understands the parameter; we then inflate with that
        smaller window too.
    :returns: the parameters to answer with (:meth:`DeflateParams.to_header`), or
        ``None`` when no offer can be accepted.
    :raises InvalidHandshakeError: the header does not parse.
    :raises ValueError: a preference out of range.
    """
    if server_max_window_bits is not None and not 9 <= server_max_window_bits <= 15:
        raise ValueError("server_max_window_bits must be 9-15 (zlib cannot use 8)")
    if client_max_window_bits is not None and not 8 <= client_max_window_bits <= 15:
        raise ValueError("client_max_window_bits must be 8-15")
    for name, params in parse_extensions(header_values):
        if name != EXTENSION_NAME:
            continue
        try:
            snct, cnct, smwb, cmwb, cmwb_ok = _read_params(params, is_offer=True)
        except ValueError:
            continue  # an offer we cannot accept: try the next one (§7.1)
        if smwb == 8:
            continue  # zlib cannot deflate with an 8-bit raw window
        if server_max_window_bits is not None:
            smwb = min(smwb or 15, server_max_window_bits)
        if cmwb_ok and client_max_window_bits is not None:
            cmwb = min(cmwb or 15, client_max_window_bits)
        return DeflateParams(
            server_no_context_takeover=snct,
            client_no_context_takeover=cnct,
            server_max_window_bits=smwb,
            client_max_window_bits=cmwb,
        )
    return None


def client_deflate_offer() -> str:
    """The ``Sec-WebSocket-Extensions`` value a client offers."""
    return f"{EXTENSION_NAME}; client_max_window_bits"


def client_accept_deflate(header_values: Sequence[str]) -> DeflateParams | None:
    """Validate a server's answer to :func:`client_deflate_offer`.

    :returns: the agreed parameters, or ``None`` if the server declined.
    :raises InvalidHandshakeError: the server accepted something we did not offer.
    """
    agreed: DeflateParams | None = None
    for name, params in parse_extensions(header_values):
        if name != EXTENSION_NAME:
            raise InvalidHandshakeError(f"server accepted unoffered extension {name!r}")
        if agreed is not None:
            raise InvalidHandshakeError("server accepted permessage-deflate twice")
        try:
            snct, cnct, smwb, cmwb, _ = _read_params(params, is_offer=False)
        except ValueError as exc:
            raise InvalidHandshakeError(f"permessage-deflate response: {exc}") from exc
        if cmwb == 8:
            raise InvalidHandshakeError("client_max_window_bits=8 is not supported")
        agreed = DeflateParams(snct, cnct, smwb, cmwb)
    return agreed


class PerMessageDeflate:
    """Compression state of one connection, for one role.

    :param params: the negotiated parameters.
    :param is_client: our role; it decides which parameters bind our compressor.
    :param compression_level: zlib level, 0-9 (-1 for zlib's default).
    :param mem_level: zlib memory level, 1-9: lower saves memory per connection
        (a server with many connections may prefer 5) at some compression cost.
    """

    def __init__(
        self,
        params: DeflateParams,
        *,
        is_client: bool,
        compression_level: int = -1,
        mem_level: int = 8,
    ) -> None:
        self.params = params
        if is_client:
            self._send_no_takeover = params.client_no_context_takeover
            self._recv_no_takeover = params.server_no_context_takeover
            bits, recv_bits = (
                params.client_max_window_bits,
                params.server_max_window_bits,
            )
        else:
            self._send_no_takeover = params.server_no_context_takeover
            self._recv_no_takeover = params.client_no_context_takeover
            bits, recv_bits = (
                params.server_max_window_bits,
                params.client_max_window_bits,
            )
        self._send_bits = bits if bits is not None else 15
        # The peer promised this window; a larger one would inflate anything too,
        # the promised one saves memory. 9 also decodes 8-bit-window data.
        self._recv_bits = max(9, recv_bits) if recv_bits is not None else 15
        self._level = compression_level
        self._mem_level = mem_level
        self._compressor: zlib._Compress | None = None
        self._decompressor: zlib._Decompress | None = None
        self._inflated = 0

    def compress(self, data: bytes, *, final: bool) -> bytes:
        """Compress one fragment of an outgoing message (the whole message when
        ``final`` is true on the first call)."""
        if self._compressor is None:
            self._compressor = zlib.compressobj(
                self._level, zlib.DEFLATED, -self._send_bits, self._mem_level
            )
        out = self._compressor.compress(data) + self._compressor.flush(
            zlib.Z_SYNC_FLUSH
        )
        if final:
            # A sync flush always ends with the empty stored block 00 00 ff ff.
            out = out[:-4]
            if self._send_no_takeover:
                self._compressor = None
        return out

    def decompress(self, data: bytes, *, final: bool, max_size: int | None) -> bytes:
        """Inflate one fragment of an incoming compressed message.

        :param max_size: limit of the whole message's inflated size, or ``None``.
        :raises PayloadTooBigError: the message inflates past ``max_size``.
        :raises WebSocketProtocolError: the data is not valid DEFLATE (1007).
        """
        if self._decompressor is None:
            self._decompressor = zlib.decompressobj(-self._recv_bits)
            self._inflated = 0
        d = self._decompressor
        if final:
            data += _TAIL
        try:
            if max_size is None:
                out = d.decompress(data)
            else:
                # Ask for one byte more than allowed: getting it proves overflow
                # without inflating the rest of the bomb.
                out = d.decompress(data, max_size - self._inflated + 1)
        except zlib.error as exc:
            raise WebSocketProtocolError(
                f"invalid compressed data: {exc}", close_code=1007
            ) from exc
        self._inflated += len(out)
        if max_size is not None and self._inflated > max_size:
            raise PayloadTooBigError(
                f"message inflates past the limit of {max_size} bytes"
            )
        # A sender may end a message with a BFINAL block (§7.2.3.4); whatever
        # follows the end of the DEFLATE stream (the appended tail, padding) is
        # not message data, and zlib keeps it in ``unused_data``.
        if final:
            self._inflated = 0
            if self._recv_no_takeover or d.eof:
                self._decompressor = None
        return out
