"""redis-py's ``Encoder``: the encoding settings of a pool as an object.

The connections encode and decode on their own (``aio.proto.resp``); this
object is what redis-py's API hands out for them: a pool's ``encoder_class``
(``encoder_class=`` among the connection arguments, as in ``redis.asyncio``),
a pub/sub's ``encoder``, the blocking facade's ``get_encoder()``.
"""

from __future__ import annotations

from typing import Any

from aio.redis.exceptions import DataError

__all__ = ("Encoder",)


class Encoder:
    """Turns command arguments into bytes and, with ``decode_responses``,
    replies into str."""

    def __init__(self, encoding: str, encoding_errors: str, decode_responses: bool):
        self.encoding = encoding
        self.encoding_errors = encoding_errors
        self.decode_responses = decode_responses

    def __repr__(self) -> str:
        return (
            f"Encoder(encoding={self.encoding!r}, errors={self.encoding_errors!r}, "
            f"decode_responses={self.decode_responses!r})"
        )

    def encode(self, value: Any) -> bytes | memoryview:
        """``value`` as it goes on the wire: bytes as given, str encoded, int and
        float as their text; bool, None and other types are refused.

        :raises DataError: a value of another type.
        """
        if isinstance(value, bytes | memoryview):
            return value
        if isinstance(value, bytearray):
            return bytes(value)
        if isinstance(value, str):
            return value.encode(self.encoding, self.encoding_errors)
        # bool is an int: refused like None (a likely mistake, as redis-py says)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return repr(value).encode()
        raise DataError(
            f"Invalid input of type: {type(value).__name__!r}. "
            "Convert to a bytes, string, int or float first."
        )

    def decode(self, value: Any, force: bool = False) -> Any:
        """``value`` as str when decoding responses (or ``force``), else as given."""
        if self.decode_responses or force:
            if isinstance(value, memoryview):
                value = value.tobytes()
            if isinstance(value, bytes):
                return value.decode(self.encoding, self.encoding_errors)
        return value
