"""Encode commands (client to server) and replies (server to client, for fakes).

A command is an array of bulk strings. ``encode_command`` returns a list of buffers
for ``transport.writelines``: small pieces are joined into one ``bytes`` (one write,
one allocation), while an argument of at least ``_ZERO_COPY`` bytes is passed through
as it is, so a 1 MB value is never copied into a bigger buffer on its way out.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Final

from aio.proto.resp._types import ErrorReply, Push, RESPEncodeError

__all__ = ("encode_command", "encode_commands", "encode_reply")

Arg = bytes | bytearray | memoryview | str | int | float
_ZERO_COPY: Final = 1 << 14


def _arg_bytes(
    arg: object, encoding: str, errors: str
) -> bytes | bytearray | memoryview:
    if isinstance(arg, bytes | bytearray | memoryview):
        return arg
    if isinstance(arg, str):
        return arg.encode(encoding, errors)
    # bool is an int, and redis-py refuses it (and None) on purpose.
    if isinstance(arg, int) and not isinstance(arg, bool):
        return b"%d" % arg
    if isinstance(arg, float):
        return repr(arg).encode()
    raise RESPEncodeError(
        f"Invalid input of type: {type(arg).__name__!r}. "
        "Convert to a bytes, string, int or float first."
    )


def _encode_into(
    out: list[bytes | bytearray | memoryview],
    small: list[bytes | bytearray | memoryview],
    args: tuple[object, ...] | list[object],
    encoding: str,
    errors: str,
) -> None:
    small.append(b"*%d\r\n" % len(args))
    for arg in args:
        data = _arg_bytes(arg, encoding, errors)
        size = len(data) if not isinstance(data, memoryview) else data.nbytes
        if size >= _ZERO_COPY:
            small.append(b"$%d\r\n" % size)
            out.append(b"".join(small))
            small.clear()
            out.append(data)
            small.append(b"\r\n")
        else:
            small.append(b"$%d\r\n%s\r\n" % (size, data))


def encode_command(
    *args: object, encoding: str = "utf-8", errors: str = "strict"
) -> list[bytes | bytearray | memoryview]:
    """Encode one command as RESP buffers, ready for ``transport.writelines``.

    :param args: the command name and arguments: bytes-like, str, int or float.
    :param encoding: codec for ``str`` arguments.
    :raises RESPEncodeError: an argument of another type (``None``, ``bool``...).
    :returns: a list of buffers whose concatenation is the encoded command.
    """
    # The common command (a few small str/bytes arguments) in one pass and one
    # join; any other argument, or a large one, takes the general path.
    if args:
        bulks: list[bytes] = []
        for arg in args:
            kind = type(arg)
            if kind is str:
                data = arg.encode(encoding, errors)  # type: ignore[attr-defined]
            elif kind is bytes:
                data = arg
            else:
                break
            if len(data) >= _ZERO_COPY:
                break
            bulks.append(b"$%d\r\n%b" % (len(data), data))
        else:
            return [b"*%d\r\n%b\r\n" % (len(args), b"\r\n".join(bulks))]
    out: list[bytes | bytearray | memoryview] = []
    small: list[bytes | bytearray | memoryview] = []
    _encode_into(out, small, args, encoding, errors)
    out.append(b"".join(small))
    return out


def encode_commands(
    commands: Iterable[tuple[object, ...] | list[object]],
    *,
    encoding: str = "utf-8",
    errors: str = "strict",
) -> list[bytes | bytearray | memoryview]:
    """Encode several commands (a pipeline) into one list of buffers."""
    out: list[bytes | bytearray | memoryview] = []
    small: list[bytes | bytearray | memoryview] = []
    for args in commands:
        _encode_into(out, small, args, encoding, errors)
    out.append(b"".join(small))
    return out


def encode_reply(value: object, *, protocol: int = 3) -> bytes:
    """Encode a Python value as a server reply (for fake servers and tests).

    ``bytes``/``str`` become bulk strings, :class:`ErrorReply` an error, ``bool``
    a RESP3 boolean, ``int`` an integer, ``float`` a double, ``None`` a null,
    ``list``/``tuple`` an array, :class:`Push` a push, ``dict`` a map and
    ``set``/``frozenset`` a set. With ``protocol=2`` the RESP3-only types fall back
    to their RESP2 shapes (maps as flat arrays, doubles as bulk strings).
    """
    parts: list[bytes] = []
    _reply_into(parts, value, protocol)
    return b"".join(parts)


def _reply_into(parts: list[bytes], value: object, protocol: int) -> None:
    if isinstance(value, ErrorReply):
        parts.append(b"-%s\r\n" % value.encode())
    elif isinstance(value, str | bytes):
        data = value.encode() if isinstance(value, str) else value
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    elif value is None:
        parts.append(b"_\r\n" if protocol == 3 else b"$-1\r\n")
    elif isinstance(value, bool):
        if protocol == 3:
            parts.append(b"#t\r\n" if value else b"#f\r\n")
        else:
            parts.append(b":1\r\n" if value else b":0\r\n")
    elif isinstance(value, int):
        parts.append(b":%d\r\n" % value)
    elif isinstance(value, float):
        if math.isnan(value):
            text = b"nan"
        elif math.isinf(value):
            text = b"inf" if value > 0 else b"-inf"
        else:
            text = repr(value).encode()
        if protocol == 3:
            parts.append(b",%s\r\n" % text)
        else:
            parts.append(b"$%d\r\n%s\r\n" % (len(text), text))
    elif isinstance(value, Mapping):
        if protocol == 3:
            parts.append(b"%%%d\r\n" % len(value))
        else:
            parts.append(b"*%d\r\n" % (2 * len(value)))
        for key, item in value.items():
            _reply_into(parts, key, protocol)
            _reply_into(parts, item, protocol)
    elif isinstance(value, set | frozenset):
        parts.append((b"~%d\r\n" if protocol == 3 else b"*%d\r\n") % len(value))
        for item in value:
            _reply_into(parts, item, protocol)
    elif isinstance(value, list | tuple):
        marker = b">" if isinstance(value, Push) and protocol == 3 else b"*"
        parts.append(b"%s%d\r\n" % (marker, len(value)))
        for item in value:
            _reply_into(parts, item, protocol)
    else:
        raise RESPEncodeError(f"cannot encode a reply of type {type(value).__name__}")
