"""Hypothesis: random bytes only ever give replies, NEED_DATA or our typed error;
random values survive an encode/parse round trip at random split points."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.resp import (
    NEED_DATA,
    ErrorReply,
    RESPParser,
    RESPProtocolError,
    encode_command,
    encode_reply,
)

RESP_BYTES = st.lists(
    st.sampled_from(
        [
            b"$",
            b"*",
            b"%",
            b"~",
            b">",
            b"|",
            b"+",
            b"-",
            b":",
            b",",
            b"(",
            b"#",
            b"_",
            b"=",
            b"!",
            b".",
            b"?",
            b"\r\n",
            b"1",
            b"0",
            b"-1",
            b"3",
            b"t",
            b"inf",
            b"x",
        ]
    )
    | st.binary(max_size=8),
    max_size=40,
).map(b"".join)


def drive(chunks: list[bytes]) -> None:
    parser = RESPParser(max_nesting=8, max_bulk_length=1 << 16)
    try:
        for chunk in chunks:
            parser.feed(chunk)
            while parser.gets() is not NEED_DATA:
                pass
    except RESPProtocolError:
        return


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=200), st.lists(st.integers(0, 200), max_size=5))
def test_random_bytes_random_splits(data: bytes, cuts: list[int]) -> None:
    points = sorted({min(c, len(data)) for c in cuts})
    chunks = [
        data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)
    ]
    drive(chunks)


@settings(max_examples=400, deadline=None)
@given(RESP_BYTES, st.integers(0, 100))
def test_resp_like_bytes(data: bytes, cut: int) -> None:
    drive([data[:cut], data[cut:]])


scalars = (
    st.binary(max_size=20)
    | st.integers(-(2**63), 2**63 - 1)
    | st.none()
    | st.booleans()
    | st.floats(allow_nan=False)
    | st.text(max_size=5).map(
        lambda s: ErrorReply("ERR " + s.replace("\r", "").replace("\n", ""))
    )
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.binary(max_size=5), inner, max_size=3)
    ),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(values, st.data())
def test_round_trip_at_random_split(value: object, data: st.DataObject) -> None:
    wire = encode_reply(value, protocol=3)
    cut = data.draw(st.integers(0, len(wire)))
    parser = RESPParser()
    parser.feed(wire[:cut])
    got = parser.gets()
    if got is NEED_DATA:
        parser.feed(wire[cut:])
        got = parser.gets()
    else:
        assert cut == len(wire)
    assert same(got, value)
    assert parser.buffered == 0


def same(a: object, b: object) -> bool:
    if isinstance(b, float) and isinstance(a, float):
        return a == b or (math.isnan(a) and math.isnan(b))
    return a == b and type(a) is type(b)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.binary(max_size=40000) | st.text(max_size=10) | st.integers(),
        min_size=1,
        max_size=6,
    )
)
def test_command_encoding_parses_back(args: list[object]) -> None:
    parser = RESPParser()
    for part in encode_command(*args):
        parser.feed(bytes(part))
    expected = [
        a.encode() if isinstance(a, str) else (b"%d" % a if isinstance(a, int) else a)
        for a in args
    ]
    assert parser.gets() == expected
