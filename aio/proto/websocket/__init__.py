"""Sans-I/O WebSocket protocol: RFC 6455 frames and handshake, RFC 7692 deflate.

Both roles share one core. A server validates the upgrade request with
:func:`parse_upgrade_request`, negotiates compression with
:func:`server_negotiate_deflate`, answers with :func:`build_accept_response`,
then drives a :class:`WebSocketConnection` with ``Role.SERVER``. A client uses
:class:`ClientHandshake` and gets its connection from
:meth:`HandshakeResult.connection`. No I/O happens here: bytes in, events out,
bytes to send back. See ``docs/websocket.md``.
"""

from __future__ import annotations

from aio.proto.websocket._close import is_valid_wire_code as is_valid_wire_code
from aio.proto.websocket._connection import ConnectionState as ConnectionState
from aio.proto.websocket._connection import Role as Role
from aio.proto.websocket._connection import WebSocketConnection as WebSocketConnection
from aio.proto.websocket._deflate import DeflateParams as DeflateParams
from aio.proto.websocket._deflate import PerMessageDeflate as PerMessageDeflate
from aio.proto.websocket._deflate import client_accept_deflate as client_accept_deflate
from aio.proto.websocket._deflate import client_deflate_offer as client_deflate_offer
from aio.proto.websocket._deflate import (
    server_negotiate_deflate as server_negotiate_deflate,
)
from aio.proto.websocket._errors import InvalidHandshakeError as InvalidHandshakeError
from aio.proto.websocket._errors import LocalWebSocketError as LocalWebSocketError
from aio.proto.websocket._errors import PayloadTooBigError as PayloadTooBigError
from aio.proto.websocket._errors import WebSocketError as WebSocketError
from aio.proto.websocket._errors import WebSocketProtocolError as WebSocketProtocolError
from aio.proto.websocket._events import BytesMessage as BytesMessage
from aio.proto.websocket._events import CloseReceived as CloseReceived
from aio.proto.websocket._events import Event as Event
from aio.proto.websocket._events import Ping as Ping
from aio.proto.websocket._events import Pong as Pong
from aio.proto.websocket._events import TextMessage as TextMessage
from aio.proto.websocket._frame import Frame as Frame
from aio.proto.websocket._frame import FrameParser as FrameParser
from aio.proto.websocket._frame import Opcode as Opcode
from aio.proto.websocket._frame import encode_frame as encode_frame
from aio.proto.websocket._handshake import ClientHandshake as ClientHandshake
from aio.proto.websocket._handshake import HandshakeResult as HandshakeResult
from aio.proto.websocket._handshake import UpgradeRequest as UpgradeRequest
from aio.proto.websocket._handshake import accept_key as accept_key
from aio.proto.websocket._handshake import (
    build_accept_response as build_accept_response,
)
from aio.proto.websocket._handshake import is_upgrade_request as is_upgrade_request
from aio.proto.websocket._handshake import (
    parse_upgrade_request as parse_upgrade_request,
)

__all__ = (
    "BytesMessage",
    "ClientHandshake",
    "CloseReceived",
    "ConnectionState",
    "DeflateParams",
    "Event",
    "Frame",
    "FrameParser",
    "HandshakeResult",
    "InvalidHandshakeError",
    "LocalWebSocketError",
    "Opcode",
    "PayloadTooBigError",
    "PerMessageDeflate",
    "Ping",
    "Pong",
    "Role",
    "TextMessage",
    "UpgradeRequest",
    "WebSocketConnection",
    "WebSocketError",
    "WebSocketProtocolError",
    "accept_key",
    "build_accept_response",
    "client_accept_deflate",
    "client_deflate_offer",
    "encode_frame",
    "is_upgrade_request",
    "is_valid_wire_code",
    "parse_upgrade_request",
    "server_negotiate_deflate",
)
