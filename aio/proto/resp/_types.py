"""Values and errors shared by the RESP parser and encoder."""

from __future__ import annotations

from typing import Final, TypeAlias, final

from aio.errors import LocalProtocolError, RemoteProtocolError

__all__ = (
    "NEED_DATA",
    "ErrorReply",
    "NeedData",
    "Push",
    "RESPEncodeError",
    "RESPProtocolError",
    "Reply",
)

#: Any value a reply can hold (see :class:`~aio.proto.resp.RESPParser`).
Reply: TypeAlias = object


@final
class NeedData:
    """The type of :data:`NEED_DATA`: no complete reply is buffered yet."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "NEED_DATA"


#: Returned by :meth:`RESPParser.gets` when more bytes are needed.
NEED_DATA: Final = NeedData()


@final
class ErrorReply(str):
    """The text of an error reply (``-ERR ...`` or RESP3 ``!``), as a value."""

    __slots__ = ()

    @property
    def prefix(self) -> str:
        """The first word of the message, which names the error kind."""
        return self.partition(" ")[0]


@final
class Push(list[object]):
    """A RESP3 push message (``>``): out-of-band data such as pub/sub messages."""

    __slots__ = ()


class RESPProtocolError(RemoteProtocolError):
    """The peer sent bytes that are not valid RESP.

    :param message: what was wrong.
    :param offset: the stream offset (bytes since the parser was created or reset)
        where the offending element starts.
    """

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(f"{message} (at offset {offset})")
        self.offset = offset


class RESPEncodeError(LocalProtocolError, TypeError):
    """A command argument cannot be encoded (it is not bytes, str, int or float)."""

    def __init__(self, message: str) -> None:
        LocalProtocolError.__init__(self, message)
