"""Command encoding: types, zero-copy for big values, refusals."""

from __future__ import annotations

import pytest

from aio.errors import LocalProtocolError
from aio.proto.resp import (
    NEED_DATA,
    ErrorReply,
    Push,
    RESPEncodeError,
    RESPParser,
    encode_command,
    encode_commands,
    encode_reply,
)


def joined(parts: list[bytes | bytearray | memoryview]) -> bytes:
    return b"".join(bytes(p) for p in parts)


def test_encode_command_types() -> None:
    wire = joined(encode_command("SET", b"k", 12, 1.5, "é", bytearray(b"x")))
    assert wire == (
        b"*6\r\n$3\r\nSET\r\n$1\r\nk\r\n$2\r\n12\r\n$3\r\n1.5\r\n"
        b"$2\r\n\xc3\xa9\r\n$1\r\nx\r\n"
    )


def test_small_command_is_one_buffer() -> None:
    assert len(encode_command("GET", "key")) == 1


def test_big_value_is_not_copied() -> None:
    value = b"v" * (1 << 20)
    parts = encode_command("SET", "k", value)
    assert any(p is value for p in parts)
    assert (
        joined(parts) == b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1048576\r\n" + value + b"\r\n"
    )
    view = memoryview(value)
    parts = encode_command("SET", "k", view, "tail")
    assert any(p is view for p in parts)
    assert joined(parts).endswith(b"\r\n$4\r\ntail\r\n")


def test_encode_commands_pipeline() -> None:
    wire = joined(encode_commands([("PING",), ("GET", "a")]))
    assert wire == b"*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$1\r\na\r\n"


@pytest.mark.parametrize("bad", [None, True, False, object(), [1], {"a": 1}])
def test_refused_argument_types(bad: object) -> None:
    with pytest.raises(RESPEncodeError) as info:
        encode_command("SET", "k", bad)
    assert isinstance(info.value, LocalProtocolError)
    assert isinstance(info.value, TypeError)


def test_encode_reply_round_trip_both_protocols() -> None:
    value = [b"a", 1, None, [b"x", ErrorReply("ERR e")]]
    for protocol in (2, 3):
        parser = RESPParser()
        parser.feed(encode_reply(value, protocol=protocol))
        assert parser.gets() == value
    parser = RESPParser()
    parser.feed(encode_reply({b"k": 1.5, b"s": {b"m"}, b"b": True}))
    parser.feed(encode_reply(Push([b"message"])))
    assert parser.gets() == {b"k": 1.5, b"s": {b"m"}, b"b": True}
    assert type(parser.gets()) is Push
    assert parser.gets() is NEED_DATA
    parser.feed(encode_reply({b"k": 2.5}, protocol=2))
    assert parser.gets() == [b"k", b"2.5"]
    with pytest.raises(RESPEncodeError):
        encode_reply(object())
