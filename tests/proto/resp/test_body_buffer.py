"""``RESPParser.body_buffer``/``body_received``: large bulk bodies received in place.

A reader that can receive into a buffer (``asyncio.BufferedProtocol``) asks the
parser where the rest of a large body goes, writes there, and reports the count;
every other byte goes through ``feed``. These tests drive that protocol the way
the client does, at random split points, and check the replies equal what plain
``feed`` gives.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.resp import NEED_DATA, RESPParser, RESPProtocolError


def _bulk(value: bytes) -> bytes:
    return b"$%d\r\n%s\r\n" % (len(value), value)


def _drive(parser: RESPParser, stream: bytes, sizes: list[int]) -> list[object]:
    """Deliver ``stream`` in reads of the given sizes (cycled), as the client does."""
    replies: list[object] = []
    pos = 0
    i = 0
    while pos < len(stream):
        want = sizes[i % len(sizes)]
        i += 1
        view = parser.body_buffer()
        if view is not None:
            n = min(want, view.nbytes, len(stream) - pos)
            view[:n] = stream[pos : pos + n]
            pos += n
            if not parser.body_received(n):
                continue
        else:
            n = min(want, len(stream) - pos)
            parser.feed(stream[pos : pos + n])
            pos += n
        while (reply := parser.gets()) is not NEED_DATA:
            replies.append(reply)
    return replies


def test_a_large_body_is_received_in_place() -> None:
    value = bytes(range(256)) * 4096  # 1 MiB
    parser = RESPParser()
    parser.feed(b"$%d\r\n" % len(value) + value[:1000])
    assert parser.gets() is NEED_DATA
    view = parser.body_buffer()
    assert view is not None and view.nbytes == len(value) - 1000
    view[:] = value[1000:]
    assert parser.body_received(view.nbytes) is True
    assert parser.body_buffer() is None  # the body is complete
    assert parser.gets() is NEED_DATA  # its CRLF has not arrived
    parser.feed(b"\r\n+OK\r\n")
    got = parser.gets()
    assert type(got) is bytes and got == value
    assert parser.gets() == b"OK"


def test_replies_stay_intact_when_the_buffer_is_reused() -> None:
    # The in-place buffer is kept for the next large reply: an earlier reply must
    # be its own copy, untouched by what is received later.
    first, second = b"a" * 300_000, b"b" * 200_000
    parser = RESPParser()
    replies = _drive(parser, _bulk(first) + _bulk(second), [65_536])
    assert replies == [first, second]
    third = b"c" * 300_000
    assert _drive(parser, _bulk(third), [100_000]) == [third]
    assert replies[0] == first


def test_feed_after_body_buffer_completes_the_same_body() -> None:
    value = b"xyz" * 100_000
    parser = RESPParser()
    parser.feed(b"$%d\r\n" % len(value) + value[:70_000])
    assert parser.gets() is NEED_DATA
    view = parser.body_buffer()
    assert view is not None
    view[:50_000] = value[70_000:120_000]
    assert parser.body_received(50_000) is False
    parser.feed(value[120_000:] + b"\r\n:5\r\n")  # the rest arrives through feed
    assert parser.gets() == value
    assert parser.gets() == 5


def test_misuse_is_a_value_error() -> None:
    parser = RESPParser()
    with pytest.raises(ValueError):
        parser.body_received(1)
    parser.feed(b"$100000\r\n" + b"x" * 10)
    assert parser.gets() is NEED_DATA
    view = parser.body_buffer()
    assert view is not None
    with pytest.raises(ValueError):
        parser.body_received(view.nbytes + 1)
    with pytest.raises(ValueError):
        parser.body_received(-1)


def test_small_and_huge_bodies_are_not_in_place() -> None:
    small = RESPParser()
    small.feed(b"$1000\r\nabc")
    assert small.gets() is NEED_DATA
    assert small.body_buffer() is None  # below the large-body threshold
    huge = RESPParser()
    huge.feed(b"$100000000\r\nabc")  # 100 MB announced: never allocated up front
    assert huge.gets() is NEED_DATA
    assert huge.body_buffer() is None
    assert 0 < huge.buffered <= len(b"$100000000\r\nabc")


def test_a_bad_terminator_after_an_in_place_body_is_an_error() -> None:
    parser = RESPParser()
    value = b"q" * 100_000
    with pytest.raises(RESPProtocolError, match="CRLF"):
        _drive(parser, b"$%d\r\n%sXX" % (len(value), value), [40_000])


def test_decoded_and_verbatim_bodies_in_place() -> None:
    text = "é" * 60_000  # 120,000 bytes of UTF-8
    parser = RESPParser(encoding="utf-8")
    data = text.encode()
    stream = _bulk(data) + b"=%d\r\ntxt:%s\r\n" % (len(data) + 4, data)
    assert _drive(parser, stream, [30_000]) == [text, text]


@settings(max_examples=60, deadline=None)
@given(
    sizes=st.lists(st.integers(1, 200_000), min_size=1, max_size=6),
    lengths=st.lists(
        st.one_of(st.integers(0, 100), st.integers(65_536, 400_000)),
        min_size=1,
        max_size=4,
    ),
)
def test_in_place_equals_feed_at_random_splits(
    sizes: list[int], lengths: list[int]
) -> None:
    values = [bytes([65 + i % 26]) * n for i, n in enumerate(lengths)]
    stream = b"".join(_bulk(v) + b":%d\r\n" % i for i, v in enumerate(values))
    expected: list[object] = []
    for i, v in enumerate(values):
        expected += [v, i]
    assert _drive(RESPParser(), stream, sizes) == expected
