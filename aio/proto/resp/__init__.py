"""Sans-I/O Redis serialization protocol (RESP2 and RESP3).

Feed received bytes to a :class:`RESPParser` and take replies out with ``gets()``;
encode commands with :func:`encode_command` (a list of buffers for
``transport.writelines``). No sockets, no event loop: the same core serves the
asyncio client, fake servers and fuzzers.

.. versionadded:: 0.1
"""

from __future__ import annotations

from aio.proto.resp._encoder import encode_command as encode_command
from aio.proto.resp._encoder import encode_commands as encode_commands
from aio.proto.resp._encoder import encode_reply as encode_reply
from aio.proto.resp._parser import RESPParser as RESPParser
from aio.proto.resp._types import NEED_DATA as NEED_DATA
from aio.proto.resp._types import ErrorReply as ErrorReply
from aio.proto.resp._types import NeedData as NeedData
from aio.proto.resp._types import Push as Push
from aio.proto.resp._types import Reply as Reply
from aio.proto.resp._types import RESPEncodeError as RESPEncodeError
from aio.proto.resp._types import RESPProtocolError as RESPProtocolError

__all__ = (
    "NEED_DATA",
    "ErrorReply",
    "NeedData",
    "Push",
    "RESPEncodeError",
    "RESPParser",
    "RESPProtocolError",
    "Reply",
    "encode_command",
    "encode_commands",
    "encode_reply",
)
