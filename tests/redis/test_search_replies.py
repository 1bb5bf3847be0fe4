"""The search reply converters alone (no server): any reply, however wrong its
shape, gives a value or :class:`SearchReplyError`, never another exception;
and the few shapes the oracle tests do not reach."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.redis.commands.search._replies import SearchReplyError, convert
from aio.redis.commands.search.aggregation import AggregateRequest, Cursor
from aio.redis.commands.search.query import Query

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False, allow_infinity=False),
    st.binary(max_size=6),
    st.text(max_size=6),
)
replies = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=6),
        st.dictionaries(
            st.one_of(st.binary(max_size=4), st.text(max_size=4)), inner, max_size=4
        ),
    ),
    max_leaves=20,
)

QUERIES: list[tuple[str, dict[str, Any]]] = [
    ("FT.INFO", {}),
    ("FT.SEARCH", {"query": Query("x")}),
    ("FT.SEARCH", {"query": Query("x").with_scores().with_payloads()}),
    ("FT.SEARCH", {"query": Query("x").no_content()}),
    ("FT.AGGREGATE", {"query": AggregateRequest(), "has_cursor": False}),
    ("FT.AGGREGATE", {"query": AggregateRequest().with_schema(), "has_cursor": False}),
    ("FT.AGGREGATE", {"query": Cursor(1), "has_cursor": True}),
    ("FT.PROFILE", {"query": Query("x")}),
    ("FT.PROFILE", {"query": AggregateRequest()}),
    ("FT.SPELLCHECK", {}),
    ("FT.CONFIG", {}),
    ("FT.SYNDUMP", {}),
    ("FT.ALIASLIST", {}),
    ("FT.HYBRID", {}),
    ("FT.HYBRID", {"cursor": True}),
]  # fmt: skip


@pytest.mark.parametrize("protocol", [2, 3])
@pytest.mark.parametrize(
    ("command", "options"),
    QUERIES,
    ids=[f"{c}-{i}" for i, (c, _) in enumerate(QUERIES)],
)
@settings(max_examples=150, deadline=None)
@given(reply=replies)
def test_any_reply_converts_or_raises_search_reply_error(
    protocol: int, command: str, options: dict[str, Any], reply: Any
) -> None:
    try:
        convert(protocol, command, reply, **options)
    except SearchReplyError as exc:
        assert exc.command == command and exc.reply is reply


def test_profile_of_an_older_server_on_resp3_reads_as_resp2() -> None:
    """Before RediSearch aligned its RESP3 profile, the reply was RESP2's pair."""
    result, profile = convert(
        3,
        "FT.PROFILE",
        [[1, b"doc:1", [b"t", b"x"]], [[b"Total profile time", b"1"]]],
        query=Query("x"),
    )
    assert result.total == 1 and result.docs[0].t == "x"
    assert profile.info == [[b"Total profile time", b"1"]]


def test_profile_lists_spread_as_redis_does() -> None:
    """A list of maps in the RESP3 profile becomes siblings in RESP2's list."""
    _, profile = convert(
        3,
        "FT.PROFILE",
        {
            "Results": [],
            "Profile": {
                "Iterators profile": [{"Type": b"UNION"}, {"Type": b"TEXT"}],
                "Parsing time": 0.5,
            },
        },
        query=Query("x"),
    )
    assert profile.info == [
        ["Iterators profile", ["Type", "UNION"], ["Type", "TEXT"]],
        ["Parsing time", 0.5],
    ]


def test_error_names_the_command_and_keeps_the_cause() -> None:
    with pytest.raises(
        SearchReplyError, match=r"FT\.SEARCH reply could not be read"
    ) as caught:
        convert(2, "FT.SEARCH", [1, b"doc"], query=Query("x").with_scores())
    assert isinstance(caught.value.__cause__, IndexError)
    assert isinstance(caught.value, ValueError)
