"""The reply converters on their own: RESP2 and RESP3 replies give the same shapes.

No server here: each case feeds the converter what RESP2 sends and what RESP3
sends for the same data (maps instead of flat arrays, doubles instead of text,
sets instead of arrays) and checks the results are equal. The text parsers (INFO,
CLIENT LIST/INFO, DEBUG OBJECT) also get malformed, truncated, oversized and
random input: they return a value or raise ``InvalidResponse``, nothing else.
"""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aio.redis.commands import RESP3_RESPONSE_CALLBACKS, RESPONSE_CALLBACKS
from aio.redis.commands import _convert as c
from aio.redis.commands import _convert_server as srv
from aio.redis.exceptions import InvalidResponse


def both(name: str, resp2: Any, resp3: Any, **options: Any) -> Any:
    """Convert the two protocols' replies; assert they agree; return the result."""
    # No RESP2 entry means redis-py returns the RESP2 reply as it came.
    left = RESPONSE_CALLBACKS.get(name, lambda reply, **_: reply)(resp2, **options)
    right = RESP3_RESPONSE_CALLBACKS[name](resp3, **options)
    assert left == right
    assert type(left) is type(right)
    return left


def test_hgetall_map_and_array() -> None:
    assert both("HGETALL", [b"a", b"1", b"b", b"2"], {b"a": b"1", b"b": b"2"}) == {
        b"a": b"1",
        b"b": b"2",
    }
    assert both("HGETALL", [], {}) == {}


def test_zrange_withscores_doubles_and_text() -> None:
    result = both(
        "ZRANGE",
        [b"a", b"0.10000000000000001", b"b", b"1e+20", b"c", b"inf"],
        [[b"a", 0.1], [b"b", 1e20], [b"c", math.inf]],
        withscores=True,
    )
    assert result == [(b"a", 0.1), (b"b", 1e20), (b"c", math.inf)]
    assert both("ZRANGE", [b"a"], [b"a"]) == [b"a"]


def test_score_cast_func_sees_resp2_text_on_both_protocols() -> None:
    seen: list[Any] = []

    def cast(value: Any) -> Any:
        seen.append(value)
        return value

    both("ZRANGE", [b"a", b"1.5"], [[b"a", 1.5]], withscores=True, score_cast_func=cast)
    assert seen == [b"1.5", b"1.5"]
    seen.clear()
    both("ZRANGE", ["é", "2"], [["é", 2.0]], withscores=True, score_cast_func=cast)
    assert seen == ["2", "2"]


def test_score_cast_to_int_falls_back_through_float() -> None:
    assert both(
        "ZRANGE", [b"a", b"2.5"], [[b"a", 2.5]], withscores=True, score_cast_func=int
    ) == [(b"a", 2)]


@pytest.mark.parametrize(
    ("score", "text"),
    [
        (0.1, b"0.10000000000000001"),
        (1.0, b"1"),
        (-2.5, b"-2.5"),
        (1e20, b"1e+20"),
        (math.inf, b"inf"),
        (-math.inf, b"-inf"),
    ],
)
def test_resp3_doubles_reencode_like_the_server(score: float, text: bytes) -> None:
    assert c.resp2_score(score) == text
    assert c.resp2_score(score, like="member") == text.decode()


def test_pops_and_ranks() -> None:
    assert both("ZPOPMIN", [b"a", b"1"], [b"a", 1.0]) == [(b"a", 1.0)]
    assert both("ZPOPMAX", [b"a", b"2", b"b", b"1"], [[b"a", 2.0], [b"b", 1.0]]) == [
        (b"a", 2.0),
        (b"b", 1.0),
    ]
    assert both("ZPOPMIN", [], []) == []
    assert both("BZPOPMIN", [b"k", b"m", b"3"], [b"k", b"m", 3.0]) == (b"k", b"m", 3.0)
    assert both("BZPOPMIN", None, None) is None
    assert both("ZRANK", [1, b"2.5"], [1, 2.5], withscore=True) == [1, 2.5]
    assert both("ZRANK", 1, 1) == 1
    assert both("ZMPOP", [b"k", [[b"m", b"1.5"]]], [b"k", [[b"m", 1.5]]]) == [
        b"k",
        [[b"m", b"1.5"]],
    ]
    assert both("ZRANDMEMBER", [b"m", b"1"], [[b"m", 1.0]], withscores=True) == [
        b"m",
        b"1",
    ]
    assert both("ZSCORE", b"1.5", 1.5) == 1.5
    assert both("ZMSCORE", [b"1", None], [1.0, None]) == [1.0, None]
    assert both("ZADD", 1, 1) == 1
    assert both("ZADD", b"2.5", 2.5, as_score=True) == 2.5


def test_sets_and_scans() -> None:
    assert both("SMEMBERS", [b"a", b"b"], {b"a", b"b"}) == {b"a", b"b"}
    assert both("SINTER", [], set()) == set()
    popped = RESP3_RESPONSE_CALLBACKS["SPOP"]({b"a"})
    assert popped == [b"a"]
    assert both("SSCAN", [b"0", [b"a"]], [b"0", [b"a"]]) == (0, [b"a"])
    assert both("HSCAN", [b"7", [b"f", b"v"]], [b"7", [b"f", b"v"]]) == (
        7,
        {b"f": b"v"},
    )
    assert both("HSCAN", [b"0", [b"f"]], [b"0", [b"f"]], no_values=True) == (0, [b"f"])
    assert both("ZSCAN", [b"0", [b"m", b"1"]], [b"0", [b"m", b"1"]]) == (
        0,
        [(b"m", 1.0)],
    )
    assert both("HRANDFIELD", [b"f", b"v"], [[b"f", b"v"]], withvalues=True) == [
        b"f",
        b"v",
    ]


def test_streams_maps_and_arrays() -> None:
    entries2 = [[b"1-1", [b"a", b"1"]]]
    assert both("XREAD", [[b"s", entries2]], {b"s": entries2}) == [
        [b"s", [(b"1-1", {b"a": b"1"})]]
    ]
    assert both("XREAD", None, None) == []
    assert both(
        "XRANGE", [None, [b"1-1", [b"a", b"1"]]], [None, [b"1-1", [b"a", b"1"]]]
    ) == [
        (None, None),
        (b"1-1", {b"a": b"1"}),
    ]
    info2 = [b"length", 1, b"first-entry", [b"1-1", [b"a", b"1"]], b"last-entry", None]
    info3 = {b"length": 1, b"first-entry": [b"1-1", [b"a", b"1"]], b"last-entry": None}
    assert both("XINFO STREAM", info2, info3) == {
        "length": 1,
        "first-entry": (b"1-1", {b"a": b"1"}),
        "last-entry": None,
    }
    assert both("XINFO GROUPS", [[b"name", b"g"]], [{b"name": b"g"}]) == [
        {"name": b"g"}
    ]
    pending2 = [1, b"1-1", b"1-1", [[b"c", b"1"]]]
    assert both("XPENDING", pending2, pending2)["consumers"] == [
        {"name": b"c", "pending": 1}
    ]
    assert both(
        "XAUTOCLAIM",
        [b"0-0", [[b"1-1", [b"a", b"1"]]], []],
        [
            b"0-0",
            [[b"1-1", [b"a", b"1"]]],
            [],
        ],
    ) == [b"0-0", [(b"1-1", {b"a": b"1"})], []]


def test_server_maps_and_arrays() -> None:
    assert both(
        "CONFIG GET",
        [b"timeout", b"0", b"maxmemory", b"0"],
        {b"timeout": b"0", b"maxmemory": b"0"},
    ) == {"timeout": "0", "maxmemory": "0"}
    assert both("PUBSUB NUMSUB", [b"a", 1, b"b", 0], {b"a": 1, b"b": 0}) == [
        (b"a", 1),
        (b"b", 0),
    ]
    assert both(
        "CLIENT TRACKINGINFO",
        [b"flags", [b"off"], b"redirect", -1, b"prefixes", []],
        {b"flags": {b"off"}, b"redirect": -1, b"prefixes": []},
    ) == ["flags", [b"off"], "redirect", -1, "prefixes", []]
    assert both("LCS", [b"matches", [], b"len", 0], {b"matches": [], b"len": 0}) == [
        b"matches",
        [],
        b"len",
        0,
    ]
    lib2 = [
        [
            b"library_name",
            b"l",
            b"functions",
            [[b"name", b"f", b"flags", [b"no-writes"]]],
        ]
    ]
    lib3 = [
        {
            b"library_name": b"l",
            b"functions": [{b"name": b"f", b"flags": {b"no-writes"}}],
        }
    ]
    assert both("FUNCTION LIST", lib2, lib3) == lib2
    assert both("TIME", [b"1700000000", b"5"], [b"1700000000", b"5"]) == (1700000000, 5)
    assert both("PING", b"PONG", b"PONG") is True
    assert both("SET", b"OK", b"OK") is True
    assert both("SET", None, None) is None
    assert both("SET", b"old", b"old", get=True) == b"old"


INFO = b"""# Server\r
redis_version:7.0.15\r
tcp_port:6379\r
mem_fragmentation_ratio:1.5\r
executable:/usr/bin/redis-server\r
module:name=search,ver=20000,api=1\r
module:name=json,ver=1,api=1\r
cmdstat_host:calls=1,usec=2,usec_per_call=2.00\r
db10:keys=3,expires=1,avg_ttl=0\r
list_value:a,b,3\r
flag_value:x,yes=1\r
a line without a colon\r
"""


def test_info_values() -> None:
    info = srv.info(INFO)
    assert info["redis_version"] == "7.0.15"
    assert info["tcp_port"] == 6379
    assert info["mem_fragmentation_ratio"] == 1.5
    assert info["db10"] == {"keys": 3, "expires": 1, "avg_ttl": 0}
    assert info["modules"] == [
        {"name": "search", "ver": 20000, "api": 1},
        {"name": "json", "ver": 1, "api": 1},
    ]
    assert info["cmdstat_host"] == {"calls": 1, "usec": 2, "usec_per_call": 2.0}
    assert info["list_value"] == ["a", "b", 3]
    assert info["flag_value"] == {"x": True, "yes": 1}
    assert info["__raw__"] == ["a line without a colon"]
    assert srv.info(INFO.decode()) == info


def test_info_oversized() -> None:
    big = b"".join(b"key%d:%d\r\n" % (i, i) for i in range(50_000))
    info = srv.info(big)
    assert len(info) == 50_000 and info["key49999"] == 49_999


def test_client_list_and_info() -> None:
    listed = srv.client_list(
        b"id=3 addr=127.0.0.1:5 name=two words db=10 cmd=client|list\n"
        b"id=4 addr=127.0.0.1:6 name= db=0\n"
    )
    assert listed == [
        {
            "id": "3",
            "addr": "127.0.0.1:5",
            "name": "two words",
            "db": "10",
            "cmd": "client|list",
        },
        {"id": "4", "addr": "127.0.0.1:6", "name": "", "db": "0"},
    ]
    assert srv.client_info(b"id=3 addr=x db=10 name=n\n") == {
        "id": 3,
        "addr": "x",
        "db": 10,
        "name": "n",
    }


@pytest.mark.parametrize(
    ("parser", "reply"),
    [
        (srv.client_info, b"id=3 addr"),  # truncated mid-token
        (srv.client_info, b"id=x"),  # an integer field that is not one
        (srv.debug_object, b"Value at:0x1 refcount"),
        (srv.debug_object, b"Value at:0x1 refcount:many"),
    ],
)
def test_malformed_text_raises_invalid_response(parser: Any, reply: bytes) -> None:
    with pytest.raises(InvalidResponse):
        parser(reply)


def test_debug_object() -> None:
    assert srv.debug_object(
        b"Value at:0x7f refcount:1 encoding:embstr serializedlength:2 lru:5 "
        b"lru_seconds_idle:0"
    ) == {
        "type": "Value",
        "at": "0x7f",
        "refcount": 1,
        "encoding": "embstr",
        "serializedlength": 2,
        "lru": 5,
        "lru_seconds_idle": 0,
    }


@given(st.binary(max_size=300))
def test_text_parsers_on_random_bytes(data: bytes) -> None:
    assert isinstance(srv.info(data), dict)
    assert isinstance(srv.client_list(data), list)
    for parser in (srv.client_info, srv.debug_object):
        try:
            result = parser(data)
        except InvalidResponse:
            continue
        assert isinstance(result, dict)


@given(
    st.lists(st.tuples(st.binary(max_size=8), st.floats(allow_nan=False)), max_size=10)
)
def test_zset_pairs_agree_for_any_scores(pairs: list[tuple[bytes, float]]) -> None:
    flat: list[Any] = []
    for member, score in pairs:
        flat += [member, format(score, ".17g").encode()]
    nested = [[m, s] for m, s in pairs]
    if pairs:
        both("ZRANGE", flat, nested, withscores=True)


def test_acl_log_entries_and_reset() -> None:
    entry2 = [
        b"count",
        1,
        b"reason",
        b"command",
        b"context",
        b"toplevel",
        b"object",
        b"get",
        b"username",
        b"u",
        b"age-seconds",
        b"1.5",
        b"client-info",
        b"id=7 addr=127.0.0.1:1 db=0",
    ]
    entry3 = dict(zip(entry2[::2], entry2[1::2], strict=True))
    entry3[b"age-seconds"] = 1.5
    entries = both("ACL LOG", [entry2], [entry3])
    assert entries[0]["client-info"] == {"id": 7, "addr": "127.0.0.1:1", "db": 0}
    assert entries[0]["age-seconds"] == 1.5
    assert entries[0]["username"] == "u"
    assert both("ACL LOG", b"OK", b"OK") is True


def test_acl_getuser_flags_keep_server_order_from_a_set() -> None:
    user2 = [
        b"flags",
        [b"off", b"nopass", b"sanitize-payload"],
        b"passwords",
        [],
        b"commands",
        b"-@all +get",
        b"keys",
        b"~a ~b",
        b"channels",
        b"",
        b"selectors",
        [],
    ]
    user3 = dict(zip(user2[::2], user2[1::2], strict=True))
    user3[b"flags"] = {b"sanitize-payload", b"nopass", b"off"}
    user = both("ACL GETUSER", user2, user3)
    assert user["flags"] == ["off", "nopass", "sanitize-payload"]
    assert user["commands"] == ["+get"] and user["categories"] == ["-@all"]
    assert user["keys"] == ["~a", "~b"] and user["channels"] == []
    assert user["enabled"] is False


def test_converters_only_where_redis_py_has_them() -> None:
    # A converter redis-py lacks would change what execute_command() returns.
    from redis._parsers.response_callbacks import get_response_callbacks

    from aio.redis.commands._callbacks import RESP3_ONLY

    theirs = {name.upper() for name in get_response_callbacks(2, True)}
    assert set(RESPONSE_CALLBACKS) <= theirs
    assert set(RESP3_RESPONSE_CALLBACKS) == set(RESPONSE_CALLBACKS) | set(RESP3_ONLY)


@pytest.mark.parametrize(
    ("name", "reply", "options"),
    [
        ("BZMPOP", [b"k", [[b"m", b"1.5"]]], {}),
        ("ZMPOP", None, {}),
        ("FUNCTION LIST", [[b"library_name", b"l", b"functions", []]], {}),
        ("HRANDFIELD", [b"f", b"v"], {"withvalues": True}),
        ("LCS", [b"matches", [], b"len", 0], {}),
        ("LCS", b"abc", {}),
        ("SPOP", [b"a", b"b"], {}),
        ("ZDIFF", [b"m", b"1"], {"withscores": True}),
        ("ZRANDMEMBER", [b"m", b"0.5"], {"withscores": True}),
    ],
)
def test_resp3_only_converters_are_identity_on_resp2_replies(
    name: str, reply: Any, options: dict[str, Any]
) -> None:
    assert RESP3_RESPONSE_CALLBACKS[name](reply, **options) == reply


finite_scores = st.floats(allow_nan=False, allow_infinity=True, width=64).filter(
    lambda f: f != 0.0 or math.copysign(1.0, f) > 0  # the server stores -0 as 0
)


@given(st.lists(finite_scores, min_size=1, max_size=20))
def test_resp3_doubles_reencode_as_this_server_formats_them(
    scores: list[float],
) -> None:
    """Against the real server: RESP2's score text == our re-encoding of RESP3's double."""
    import redis

    from tests.plugins.fix_redis_commands import db_lock_sync
    from tests.plugins.fix_services import require_service

    host, port = require_service("redis")
    with db_lock_sync():
        r2 = redis.Redis(host=host, port=port, db=10, protocol=2)
        r3 = redis.Redis(host=host, port=port, db=10, protocol=3)
        r2.response_callbacks.clear()
        r3.response_callbacks.clear()
        try:
            pairs = [x for i, s in enumerate(scores) for x in (repr(s), f"m{i}")]
            r2.execute_command("DEL", "scores")
            r2.execute_command("ZADD", "scores", *pairs)
            text = r2.execute_command("ZRANGE", "scores", 0, -1, "WITHSCORES")
            doubles = r3.execute_command("ZRANGE", "scores", 0, -1, "WITHSCORES")
        finally:
            r2.execute_command("DEL", "scores")
            r2.close()
            r3.close()
    assert [c.resp2_score(score) for _, score in doubles] == text[1::2]
