"""RESP parser: every type, every split point, malformed, truncated, oversized."""

from __future__ import annotations

import math

import pytest

from aio.errors import RemoteProtocolError
from aio.proto.resp import NEED_DATA, ErrorReply, Push, RESPParser, RESPProtocolError

# (wire bytes, expected value) for every RESP2 and RESP3 type.
CASES: list[tuple[bytes, object]] = [
    (b"+OK\r\n", b"OK"),
    (b"+\r\n", b""),
    (b"-ERR unknown command\r\n", ErrorReply("ERR unknown command")),
    (b":0\r\n", 0),
    (b":-42\r\n", -42),
    (b":9223372036854775807\r\n", 9223372036854775807),
    (b"$5\r\nhello\r\n", b"hello"),
    (b"$0\r\n\r\n", b""),
    (b"$4\r\na\r\nb\r\n", b"a\r\nb"),
    (b"$-1\r\n", None),
    (b"*-1\r\n", None),
    (b"*0\r\n", []),
    (b"*3\r\n:1\r\n$1\r\nx\r\n*1\r\n+y\r\n", [1, b"x", [b"y"]]),
    (b"*2\r\n$-1\r\n-WRONGTYPE x\r\n", [None, ErrorReply("WRONGTYPE x")]),
    (b"_\r\n", None),
    (b"#t\r\n", True),
    (b"#f\r\n", False),
    (b",1.5\r\n", 1.5),
    (b",-2\r\n", -2.0),
    (b",1e3\r\n", 1000.0),
    (b",inf\r\n", math.inf),
    (b",-inf\r\n", -math.inf),
    (
        b"(3492890328409238509324850943850943825024385\r\n",
        3492890328409238509324850943850943825024385,
    ),
    (b"(-1\r\n", -1),
    (b"=15\r\ntxt:Some string\r\n", b"Some string"),
    (b"!21\r\nSYNTAX invalid syntax\r\n", ErrorReply("SYNTAX invalid syntax")),
    (b"%2\r\n+first\r\n:1\r\n+second\r\n:2\r\n", {b"first": 1, b"second": 2}),
    (b"%0\r\n", {}),
    (b"~3\r\n+a\r\n+b\r\n+a\r\n", {b"a", b"b"}),
    (b"~1\r\n*1\r\n:1\r\n", [[1]]),
    (b"%1\r\n*2\r\n:1\r\n:2\r\n+v\r\n", {(1, 2): b"v"}),
    (b">3\r\n+message\r\n+chan\r\n$2\r\nhi\r\n", Push([b"message", b"chan", b"hi"])),
    (
        b"|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*2\r\n:2039123\r\n:9543892\r\n",
        [2039123, 9543892],
    ),
    (b"*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n", [1, 2]),
    (b"|0\r\n:7\r\n", 7),
    (b"*?\r\n:1\r\n:2\r\n.\r\n", [1, 2]),
    (b"*?\r\n.\r\n", []),
    (b"%?\r\n+a\r\n:1\r\n.\r\n", {b"a": 1}),
]


def parse_all(chunks: list[bytes], **kw: object) -> list[object]:
    parser = RESPParser(**kw)  # type: ignore[arg-type]
    out: list[object] = []
    for chunk in chunks:
        parser.feed(chunk)
        while (reply := parser.gets()) is not NEED_DATA:
            out.append(reply)
    assert parser.buffered == 0
    return out


@pytest.mark.parametrize(("wire", "expected"), CASES)
def test_every_type_at_every_split_point(wire: bytes, expected: object) -> None:
    for i in range(len(wire) + 1):
        got = parse_all([wire[:i], wire[i:]])
        assert got == [expected]
        assert type(got[0]) is type(expected)
    # byte by byte, and two replies back to back in one chunk
    assert parse_all([bytes([b]) for b in wire]) == [expected]
    assert parse_all([wire + wire]) == [expected, expected]


def test_nan_double() -> None:
    (value,) = parse_all([b",nan\r\n"])
    assert isinstance(value, float) and math.isnan(value)


def test_push_is_distinguishable_from_array() -> None:
    (push, array) = parse_all([b">1\r\n+a\r\n*1\r\n+a\r\n"])
    assert type(push) is Push and type(array) is list


def test_attributes_are_kept() -> None:
    parser = RESPParser()
    parser.feed(b"|1\r\n+ttl\r\n:5\r\n+OK\r\n")
    assert parser.gets() == b"OK"
    assert parser.attributes == {b"ttl": 5}


def test_decoding() -> None:
    got = parse_all(
        [b"$3\r\n\xc3\xa9a\r\n+OK\r\n=7\r\ntxt:abc\r\n:1\r\n"], encoding="utf-8"
    )
    assert got == ["éa", "OK", "abc", 1]


def test_encoding_can_change_between_replies() -> None:
    parser = RESPParser(encoding="utf-8")
    parser.feed(b"$1\r\na\r\n$1\r\nb\r\n")
    assert parser.gets() == "a"
    parser.encoding = None
    assert parser.gets() == b"b"


def test_undecodable_value_is_a_protocol_error() -> None:
    parser = RESPParser(encoding="utf-8")
    parser.feed(b"$1\r\n\xff\r\n")
    with pytest.raises(RESPProtocolError):
        parser.gets()


def test_error_factory() -> None:
    parser = RESPParser(error_factory=lambda text: ValueError(text))
    parser.feed(b"*1\r\n-ERR boom\r\n")
    (err,) = parser.gets()  # type: ignore[misc]
    assert isinstance(err, ValueError) and str(err) == "ERR boom"


def test_large_bulk_in_small_chunks_is_linear() -> None:
    value = bytes(range(256)) * 4096  # 1 MiB
    wire = b"$%d\r\n%s\r\n" % (len(value), value)
    chunks = [wire[i : i + 1000] for i in range(0, len(wire), 1000)]
    assert parse_all(chunks) == [value]


def test_large_array_in_small_chunks_resumes() -> None:
    items = [b"item%d" % i for i in range(20000)]
    wire = b"*%d\r\n" % len(items) + b"".join(
        b"$%d\r\n%s\r\n" % (len(x), x) for x in items
    )
    chunks = [wire[i : i + 777] for i in range(0, len(wire), 777)]
    assert parse_all(chunks) == [items]


def test_many_replies_compact_the_buffer() -> None:
    parser = RESPParser()
    parser.feed(b"$1\r\n")  # a reply spanning chunks forces the growable buffer
    parser.feed(b"x\r\n" + b"+OK\r\n" * 30000 + b"$3\r\nab")
    assert parser.gets() == b"x"
    for _ in range(30000):
        assert parser.gets() == b"OK"
    assert parser.gets() is NEED_DATA
    assert parser.buffered == len(b"$3\r\nab")
    parser.feed(b"c\r\n")
    assert parser.gets() == b"abc"
    assert parser.offset == 4 + 3 + 5 * 30000 + 9


MALFORMED = [
    b"?what\r\n",
    b"\r\n",
    b"$abc\r\n",
    b"$-2\r\n",
    b"$ 3\r\nabc\r\n",
    b"$+3\r\nabc\r\n",
    b"$1_0\r\n",
    b"$3\r\nabcXY",
    b"$3\r\nabc\rX",
    b":12a\r\n",
    b":\r\n",
    b": 1\r\n",
    b"*x\r\n",
    b"*-2\r\n",
    b"%-1\r\n",
    b"~-1\r\n",
    b"#x\r\n",
    b",1.2.3\r\n",
    b", 1\r\n",
    b"(12x\r\n",
    b"_x\r\n",
    b"=2\r\nab\r\n",
    b"=5\r\ntxtab\r\n",
    b"!-1\r\n",
    b".\r\n",
    b"*1\r\n.\r\n",
    b"$?\r\n;4\r\nabcd\r\n;0\r\n",
    b"%1\r\n%0\r\n:1\r\n",
    b":" + b"9" * 30 + b"\r\n",
]


@pytest.mark.parametrize("wire", MALFORMED)
def test_malformed_is_a_typed_error_and_sticky(wire: bytes) -> None:
    parser = RESPParser()
    parser.feed(wire)
    with pytest.raises(RESPProtocolError) as info:
        parser.gets()
    assert isinstance(info.value, RemoteProtocolError)
    assert info.value.offset >= 0
    with pytest.raises(RESPProtocolError):
        parser.gets()
    parser.reset()
    parser.feed(b"+OK\r\n")
    assert parser.gets() == b"OK"


def test_error_offset_points_at_the_element() -> None:
    parser = RESPParser()
    parser.feed(b"+OK\r\n*2\r\n:1\r\n?\r\n")
    assert parser.gets() == b"OK"
    with pytest.raises(RESPProtocolError) as info:
        parser.gets()
    assert info.value.offset == 5 + 4 + 4


@pytest.mark.parametrize(
    "wire",
    [
        b"",
        b"+OK",
        b"+OK\r",
        b"$5\r\nhel",
        b"$5\r\nhello\r",
        b"*2\r\n:1\r\n",
        b"%1\r\n+a\r\n",
        b"*?\r\n:1\r\n",
        b"|1\r\n+a\r\n+b\r\n",
    ],
)
def test_truncated_needs_data(wire: bytes) -> None:
    parser = RESPParser()
    parser.feed(wire)
    assert parser.gets() is NEED_DATA
    assert parser.gets() is NEED_DATA


def test_oversized_bulk_is_refused_before_reading_it() -> None:
    parser = RESPParser(max_bulk_length=1000)
    parser.feed(b"$1001\r\n")
    with pytest.raises(RESPProtocolError, match="exceeds"):
        parser.gets()


def test_huge_announced_bulk_is_not_preallocated() -> None:
    parser = RESPParser()
    parser.feed(b"$500000000\r\nabc")
    assert parser.gets() is NEED_DATA
    assert 0 < parser.buffered <= len(b"$500000000\r\nabc")
    default = RESPParser()
    default.feed(b"$1000000000\r\nabc")
    with pytest.raises(RESPProtocolError):
        default.gets()


def test_oversized_aggregate_is_refused() -> None:
    parser = RESPParser(max_aggregate_length=10)
    parser.feed(b"*11\r\n")
    with pytest.raises(RESPProtocolError, match="aggregate length"):
        parser.gets()
    ok = RESPParser()
    ok.feed(b"*4000000000\r\n:1\r\n")  # announced, not allocated
    assert ok.gets() is NEED_DATA


def test_nesting_too_deep() -> None:
    parser = RESPParser(max_nesting=5)
    parser.feed(b"*1\r\n" * 5 + b":1\r\n")
    assert parser.gets() == [[[[[1]]]]]
    parser.feed(b"*1\r\n" * 6 + b":1\r\n")
    with pytest.raises(RESPProtocolError, match="nested"):
        parser.gets()


def test_line_too_long() -> None:
    parser = RESPParser(max_line_length=100)
    parser.feed(b"+" + b"a" * 50)
    assert parser.gets() is NEED_DATA
    parser.feed(b"a" * 60)
    with pytest.raises(RESPProtocolError, match="too long"):
        parser.gets()


def test_memoryview_and_bytearray_input() -> None:
    parser = RESPParser()
    parser.feed(memoryview(b"$2\r\n"))
    parser.feed(bytearray(b"ab\r\n"))
    assert parser.gets() == b"ab"


BIG = bytes(range(256)) * 300  # 76,800 bytes: collected chunk by chunk when split


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (b"$%d\r\n%s\r\n" % (len(BIG), BIG), BIG),
        (b"*2\r\n$%d\r\n%s\r\n:7\r\n" % (len(BIG), BIG), [BIG, 7]),
        (b"=%d\r\ntxt:%s\r\n" % (len(BIG) + 4, BIG), BIG),
        (
            b"!%d\r\nERR %s\r\n" % (len(BIG) + 4, b"x" * len(BIG)),
            ErrorReply("ERR " + "x" * len(BIG)),
        ),
    ],
)
def test_large_bodies_at_many_split_points(wire: bytes, expected: object) -> None:
    tail = b"+OK\r\n"
    points = sorted(
        {1, 5, 6, 7, 100, 4096, 65536, 70000}
        | {len(wire) - k for k in range(0, 5)}
        | set(range(0, len(wire), 9973))
    )
    for i in points:
        for j in (i, i + 1, min(len(wire), i + 65537)):
            chunks = [wire[:i], wire[i:j], wire[j:] + tail]
            assert parse_all(chunks) == [expected, b"OK"]
    # Many small chunks, then a memoryview chunk.
    pieces = [wire[k : k + 1000] for k in range(0, len(wire), 1000)]
    assert parse_all([*pieces[:-1], memoryview(pieces[-1] + tail)]) == [expected, b"OK"]  # type: ignore[list-item]


def test_large_body_decoded_and_bad_terminator() -> None:
    value = "é" * 40000
    data = value.encode()
    wire = b"$%d\r\n%s\r\n" % (len(data), data)
    assert parse_all([wire[:10], wire[10:50000], wire[50000:]], encoding="utf-8") == [
        value
    ]
    parser = RESPParser()
    bad = b"$%d\r\n%sXY" % (len(BIG), BIG)
    parser.feed(bad[:100])
    assert parser.gets() is NEED_DATA
    assert parser.buffered == 100 - len(b"$76800\r\n")
    parser.feed(bad[100:])
    with pytest.raises(RESPProtocolError, match="CRLF"):
        parser.gets()
    parser.reset()
    assert parser.buffered == 0
