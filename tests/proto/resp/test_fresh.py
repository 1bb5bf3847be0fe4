"""Large bulk replies received straight into the returned ``bytes`` (``_fresh``).

The parser hands a reader a writable view of a brand-new ``bytes`` object and
returns that object once every byte is in: no copy in user space. These tests pin
the invariants that make it sound: the reply is a real, immutable-looking
``bytes`` with the right hash, later receives never touch an earlier reply, the
view keeps its object alive, and the parser lets go of the view once complete.
"""

from __future__ import annotations

import gc
import sys

import pytest

from aio.proto.resp import NEED_DATA, RESPParser
from aio.proto.resp._fresh import fresh_bytes

cpython_only = pytest.mark.skipif(
    sys.implementation.name != "cpython", reason="in-place bytes need CPython"
)


@cpython_only
def test_fresh_bytes_is_filled_through_its_view() -> None:
    made = fresh_bytes(100_000)
    assert made is not None
    obj, view = made
    assert type(obj) is bytes and len(obj) == view.nbytes == 100_000
    assert not view.readonly and view.format == "B"
    view[:] = b"ab" * 50_000
    assert obj == b"ab" * 50_000
    assert hash(obj) == hash(b"ab" * 50_000)


@cpython_only
def test_the_view_keeps_its_object_alive() -> None:
    made = fresh_bytes(4096)
    assert made is not None
    obj, view = made
    expected_id = id(obj)
    del obj, made
    gc.collect()
    view[:] = b"z" * 4096  # still the live object's memory, not freed memory
    owner = view.obj._aio_owner  # type: ignore[attr-defined]
    assert id(owner) == expected_id and owner == b"z" * 4096


def test_shared_small_objects_are_never_handed_out() -> None:
    # CPython shares b"" and one-byte objects: writing into them would be fatal.
    assert fresh_bytes(0) is None
    assert fresh_bytes(1) is None


def _in_place(parser: RESPParser, value: bytes, first: int) -> object:
    """Feed a header and ``first`` body bytes, receive the rest in place."""
    parser.feed(b"$%d\r\n" % len(value) + value[:first])
    assert parser.gets() is NEED_DATA
    view = parser.body_buffer()
    assert view is not None and view.nbytes == len(value) - first
    view[:] = value[first:]
    assert parser.body_received(view.nbytes)
    parser.feed(b"\r\n")
    return parser.gets()


@cpython_only
def test_the_reply_is_the_object_received_into() -> None:
    parser = RESPParser()
    value = bytes(range(256)) * 1024
    parser.feed(b"$%d\r\n" % len(value) + value[:5000])
    assert parser.gets() is NEED_DATA
    view = parser.body_buffer()
    assert view is not None
    owner = view.obj._aio_owner  # type: ignore[attr-defined]
    view[:] = value[5000:]
    assert parser.body_received(view.nbytes)
    del view
    parser.feed(b"\r\n")
    reply = parser.gets()
    assert reply is owner and reply == value  # no copy was made
    del owner
    # The parser keeps no writable view of it: only the caller refers to it.
    assert parser.body_buffer() is None
    assert sys.getrefcount(reply) == sys.getrefcount(value)


def test_later_replies_never_change_earlier_ones() -> None:
    parser = RESPParser()
    first = _in_place(parser, b"a" * 200_000, 1000)
    second = _in_place(parser, b"b" * 200_000, 70_000)
    third = _in_place(parser, b"c" * 100_000, 0)
    assert first == b"a" * 200_000
    assert second == b"b" * 200_000
    assert third == b"c" * 100_000
    assert len({id(first), id(second), id(third)}) == 3


def test_decoding_replies_are_still_copied_out_of_a_reused_buffer() -> None:
    parser = RESPParser(encoding="utf-8")
    text = "ü" * 50_000
    assert _in_place(parser, text.encode(), 10) == text
    parser.encoding = None  # bytes again: the in-place bytes path
    assert _in_place(parser, b"q" * 80_000, 10) == b"q" * 80_000
