"""RESPParser(sets_as_lists=True): RESP3 sets as lists in the peer's order
(redis-py's parser's shape), at every and at random split points; the default
unchanged."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.resp import NEED_DATA, RESPParser, RESPProtocolError

# (wire, with sets_as_lists, by default)
CASES: list[tuple[bytes, object, object]] = [
    (b"~3\r\n+c\r\n+a\r\n+b\r\n", [b"c", b"a", b"b"], {b"a", b"b", b"c"}),
    # Duplicates as sent (a set from the server has none, a peer may send them).
    (b"~3\r\n+b\r\n+a\r\n+b\r\n", [b"b", b"a", b"b"], {b"a", b"b"}),
    (b"~0\r\n", [], set()),
    (b"~?\r\n:2\r\n:1\r\n.\r\n", [2, 1], {1, 2}),
    (b"~?\r\n.\r\n", [], set()),
    (b"~1\r\n~2\r\n:2\r\n:1\r\n", [[2, 1]], [{1, 2}]),
    (
        b"%1\r\n+flags\r\n~2\r\n+write\r\n+denyoom\r\n",
        {b"flags": [b"write", b"denyoom"]},
        {b"flags": {b"write", b"denyoom"}},
    ),
    (
        b"*2\r\n~1\r\n$1\r\nx\r\n~0\r\n",
        [[b"x"], []],
        [{b"x"}, set()],
    ),
    (b"|1\r\n+a\r\n~1\r\n:1\r\n~1\r\n:5\r\n", [5], {5}),
    # Arrays and pushes are not touched.
    (b"*2\r\n:2\r\n:1\r\n", [2, 1], [2, 1]),
]


def parse_all(chunks: list[bytes], **kw: Any) -> list[object]:
    parser = RESPParser(**kw)
    out: list[object] = []
    for chunk in chunks:
        parser.feed(chunk)
        while (reply := parser.gets()) is not NEED_DATA:
            out.append(reply)
    assert parser.buffered == 0
    return out


def same(a: object, b: object) -> bool:
    """Equal, with the same container types all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        assert isinstance(b, dict)
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        assert isinstance(b, list)
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize(("wire", "as_lists", "default"), CASES)
def test_sets_as_lists_at_every_split_point(
    wire: bytes, as_lists: object, default: object
) -> None:
    for i in range(len(wire) + 1):
        (got,) = parse_all([wire[:i], wire[i:]], sets_as_lists=True)
        assert same(got, as_lists)
        (got,) = parse_all([wire[:i], wire[i:]])
        assert same(got, default)
    assert parse_all([bytes([b]) for b in wire], sets_as_lists=True) == [as_lists]
    assert parse_all([wire + wire], sets_as_lists=True) == [as_lists, as_lists]


def test_option_changes_between_replies() -> None:
    parser = RESPParser()
    parser.feed(b"~2\r\n:2\r\n:1\r\n" * 3)
    assert parser.gets() == {1, 2}
    parser.sets_as_lists = True
    assert parser.gets() == [2, 1]
    parser.reset()  # configuration, like the encoding: kept
    parser.feed(b"~2\r\n:2\r\n:1\r\n")
    assert parser.gets() == [2, 1]


def test_decoded_members_keep_their_order() -> None:
    got = parse_all(
        [b"~2\r\n$1\r\nz\r\n$1\r\ny\r\n"], encoding="utf-8", sets_as_lists=True
    )
    assert got == [["z", "y"]]


@pytest.mark.parametrize("wire", [b"~-1\r\n", b"~-2\r\n", b"~x\r\n"])
def test_bad_set_length_still_refused(wire: bytes) -> None:
    parser = RESPParser(sets_as_lists=True)
    parser.feed(wire)
    with pytest.raises(RESPProtocolError):
        parser.gets()


# -- random trees of sets, arrays and maps, cut at random points ------------------

Tree = Any  # ("set" | "array" | "map", [children]) or a scalar int/bytes

scalars = st.integers(-1000, 1000) | st.binary(max_size=6)
trees = st.recursive(
    scalars,
    lambda inner: st.tuples(
        st.sampled_from(["set", "array", "stream-set", "map"]),
        st.lists(inner, max_size=5),
    ),
    max_leaves=25,
)


def wire_of(tree: Tree) -> bytes:
    if isinstance(tree, int):
        return b":%d\r\n" % tree
    if isinstance(tree, bytes):
        return b"$%d\r\n%s\r\n" % (len(tree), tree)
    kind, items = tree
    body = b"".join(wire_of(item) for item in items)
    if kind == "set":
        return b"~%d\r\n" % len(items) + body
    if kind == "stream-set":
        return b"~?\r\n" + body + b".\r\n"
    if kind == "map":
        # Keys are the position (ints, hashable): values are the items.
        pairs = b"".join(b":%d\r\n" % i + wire_of(v) for i, v in enumerate(items))
        return b"%%%d\r\n" % len(items) + pairs
    return b"*%d\r\n" % len(items) + body


def value_of(tree: Tree) -> object:
    """What sets_as_lists=True gives: every set a list in wire order."""
    if isinstance(tree, (int, bytes)):
        return tree
    kind, items = tree
    if kind == "map":
        return {i: value_of(v) for i, v in enumerate(items)}
    return [value_of(item) for item in items]


@settings(max_examples=300, deadline=None)
@given(trees, st.lists(st.integers(0, 400), max_size=6))
def test_random_trees_at_random_splits(tree: Tree, cuts: list[int]) -> None:
    wire = wire_of(tree)
    points = sorted({min(c, len(wire)) for c in cuts})
    chunks = [
        wire[a:b] for a, b in zip([0, *points], [*points, len(wire)], strict=True)
    ]
    got = parse_all(chunks, sets_as_lists=True)
    assert len(got) == 1
    assert same(got[0], value_of(tree))
