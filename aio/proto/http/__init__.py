"""``aio.proto.http``: the sans-I/O HTTP/1.1 core, for servers and clients.

Bytes in, events out, bytes to send; no sockets, no asyncio. A server shell::

    conn = Connection(SERVER)
    conn.receive_data(sock_bytes)
    event = conn.next_event()          # Request, Data, EndOfMessage, NEED_DATA...
    sock.write(conn.send_response(200, [(b"content-type", b"text/plain")], b"hi"))

See ``docs/proto-http.md`` and the theory of operation in ``_connection.py``.
"""

from __future__ import annotations

from ._connection import Connection as Connection
from ._errors import BodyTooLarge as BodyTooLarge
from ._errors import HeaderBlockTooLarge as HeaderBlockTooLarge
from ._errors import HTTPProtocolError as HTTPProtocolError
from ._errors import IncompleteMessage as IncompleteMessage
from ._errors import InvalidChunk as InvalidChunk
from ._errors import InvalidContentLength as InvalidContentLength
from ._errors import InvalidHeader as InvalidHeader
from ._errors import InvalidRequestLine as InvalidRequestLine
from ._errors import InvalidStatusLine as InvalidStatusLine
from ._errors import LocalHTTPProtocolError as LocalHTTPProtocolError
from ._errors import RequestLineTooLong as RequestLineTooLong
from ._errors import RequestSmugglingError as RequestSmugglingError
from ._errors import TooManyHeaders as TooManyHeaders
from ._errors import UnsupportedTransferEncoding as UnsupportedTransferEncoding
from ._events import NEED_DATA as NEED_DATA
from ._events import PAUSED as PAUSED
from ._events import ConnectionClosed as ConnectionClosed
from ._events import Data as Data
from ._events import EndOfMessage as EndOfMessage
from ._events import Event as Event
from ._events import Headers as Headers
from ._events import InformationalResponse as InformationalResponse
from ._events import Request as Request
from ._events import Response as Response
from ._events import Sentinel as Sentinel
from ._fast import field_lines as field_lines
from ._fast import parse_simple_request as parse_simple_request
from ._fast import simple_response as simple_response
from ._limits import Limits as Limits
from ._state import CLIENT as CLIENT
from ._state import CLOSED as CLOSED
from ._state import DONE as DONE
from ._state import ERROR as ERROR
from ._state import IDLE as IDLE
from ._state import MIGHT_SWITCH_PROTOCOL as MIGHT_SWITCH_PROTOCOL
from ._state import MUST_CLOSE as MUST_CLOSE
from ._state import SEND_BODY as SEND_BODY
from ._state import SEND_RESPONSE as SEND_RESPONSE
from ._state import SERVER as SERVER
from ._state import SWITCHED_PROTOCOL as SWITCHED_PROTOCOL
from ._state import State as State
from ._status import STATUS_PHRASES as STATUS_PHRASES
from ._url import percent_decode_path as percent_decode_path
from ._url import split_target as split_target

__all__ = (
    "CLIENT",
    "CLOSED",
    "DONE",
    "ERROR",
    "IDLE",
    "MIGHT_SWITCH_PROTOCOL",
    "MUST_CLOSE",
    "NEED_DATA",
    "PAUSED",
    "SEND_BODY",
    "SEND_RESPONSE",
    "SERVER",
    "STATUS_PHRASES",
    "SWITCHED_PROTOCOL",
    "BodyTooLarge",
    "Connection",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "HTTPProtocolError",
    "HeaderBlockTooLarge",
    "Headers",
    "IncompleteMessage",
    "InformationalResponse",
    "InvalidChunk",
    "InvalidContentLength",
    "InvalidHeader",
    "InvalidRequestLine",
    "InvalidStatusLine",
    "Limits",
    "LocalHTTPProtocolError",
    "Request",
    "RequestLineTooLong",
    "RequestSmugglingError",
    "Response",
    "Sentinel",
    "State",
    "TooManyHeaders",
    "UnsupportedTransferEncoding",
    "field_lines",
    "parse_simple_request",
    "percent_decode_path",
    "simple_response",
    "split_target",
)
