"""The RedisTimeSeries cases the TS tests share, for
:mod:`tests.redis.scripted_server`.

:data:`CASES` lists calls of every ``r.ts()`` method (and the option and reply
shapes that matter) with the replies RedisTimeSeries gives them on RESP2 and on
RESP3 (redis.io's command pages: RESP2 sends values as simple strings, RESP3 as
doubles; RESP3 answers TS.MGET/TS.MRANGE with maps, TS.INFO with a map,
TS.QUERYINDEX/TS.QUERYLABELS with sets).
"""

from __future__ import annotations

import math
from typing import Any

from aio.proto.resp import ErrorReply
from tests.redis.docs_example import example_in
from tests.redis.scripted_case import Case
from tests.redis.scripted_server import OK, Simple

__all__ = ("CASES", "INFO_RESP2", "INFO_RESP3", "Case", "doc_example", "shown")


def shown(value: Any) -> Any:
    """``value`` in a form two libraries' results compare by: a TSInfo as its
    class name and attributes, a set as its sorted reprs, an error by class and
    text, else its repr (so NaN equals NaN and tuples stay apart from lists)."""
    if type(value).__name__ == "TSInfo":
        return ("TSInfo", sorted((k, repr(v)) for k, v in vars(value).items()))
    if isinstance(value, set):
        return ("set", sorted(map(repr, value)))
    if isinstance(value, list):  # an error inside (TS.MADD) by class and text
        return ("list", [shown(item) for item in value])
    if isinstance(value, Exception):
        return ("error", type(value).__name__, str(value))
    return repr(value)


def _v(text: str) -> Simple:
    # RESP2 sends sample values as simple strings.
    return Simple(text)


LABELS = {"room": "a", "unit": "c"}

INFO_RESP2 = [
    b"totalSamples",
    2,
    b"memoryUsage",
    4184,
    b"firstTimestamp",
    1,
    b"lastTimestamp",
    2,
    b"retentionTime",
    0,
    b"chunkCount",
    1,
    b"chunkSize",
    4096,
    b"chunkType",
    b"compressed",
    b"duplicatePolicy",
    b"block",
    b"labels",
    [[b"room", b"a"], [b"unit", b"c"]],
    b"sourceKey",
    None,
    b"rules",
    [[b"t:avg", 60000, b"AVG", 0]],
    b"ignoreMaxTimeDiff",
    0,
    b"ignoreMaxValDiff",
    b"0",
]
INFO_RESP3 = {
    b"totalSamples": 2,
    b"memoryUsage": 4184,
    b"firstTimestamp": 1,
    b"lastTimestamp": 2,
    b"retentionTime": 0,
    b"chunkCount": 1,
    b"chunkSize": 4096,
    b"chunkType": b"compressed",
    b"duplicatePolicy": b"block",
    b"labels": {b"room": b"a", b"unit": b"c"},
    b"sourceKey": None,
    b"rules": {b"t:avg": [60000, b"AVG", 0]},
    b"ignoreMaxTimeDiff": 0,
    b"ignoreMaxValDiff": 0.0,
}
# An old server's reply: samples per chunk rather than bytes, no policy.
INFO_OLD = [
    b"totalSamples",
    0,
    b"maxSamplesPerChunk",
    256,
    b"labels",
    [],
    b"rules",
    [],
]

NAN = math.nan

CASES: tuple[Case, ...] = (
    Case("create", lambda t: t.create("t"), OK),
    Case(
        "create-all-options",
        lambda t: t.create(
            "t",
            retention_msecs=5000,
            uncompressed=True,
            labels=LABELS,
            chunk_size=128,
            duplicate_policy="last",
            ignore_max_time_diff=10,
            ignore_max_val_diff=0.5,
        ),
        OK,
    ),
    Case("create-retention-zero", lambda t: t.create("t", retention_msecs=0), OK),
    Case("alter", lambda t: t.alter("t", labels={"room": "b"}), OK),
    Case(
        "alter-all-options",
        lambda t: t.alter(
            "t",
            retention_msecs=10,
            chunk_size=256,
            duplicate_policy="sum",
            ignore_max_time_diff=1,
            ignore_max_val_diff=2,
        ),
        OK,
    ),
    Case("add", lambda t: t.add("t", 1, 2.5), 1),
    Case("add-now", lambda t: t.add("t", "*", "3"), 1700000000000),
    Case(
        "add-all-options",
        lambda t: t.add(
            "t",
            2,
            7,
            retention_msecs=100,
            uncompressed=True,
            labels=LABELS,
            chunk_size=48,
            duplicate_policy="min",
            ignore_max_time_diff=5,
            ignore_max_val_diff=1.5,
            on_duplicate="max",
        ),
        2,
    ),
    Case(
        "madd",
        lambda t: t.madd([("a", 1, 1.5), ("b", "*", 2), ("c", 3, "4")]),
        [1, 1700000000000, ErrorReply("ERR TSDB: the key does not exist")],
    ),
    Case("incrby", lambda t: t.incrby("t", 1), 5),
    Case(
        "incrby-options",
        lambda t: t.incrby(
            "t",
            2.5,
            timestamp=10,
            retention_msecs=1,
            uncompressed=True,
            labels={"a": "1"},
            chunk_size=64,
            duplicate_policy="last",
            ignore_max_time_diff=3,
            ignore_max_val_diff=4,
        ),
        10,
    ),
    Case("decrby", lambda t: t.decrby("t", 3, timestamp="*"), 6),
    Case("decrby-labels", lambda t: t.decrby("t", 1, labels=LABELS), 7),
    Case("delete", lambda t: t.delete("t", 0, 100), 3),
    Case("createrule", lambda t: t.createrule("t", "t:avg", "avg", 60000), OK),
    Case(
        "createrule-align",
        lambda t: t.createrule("t", "t:twa", "twa", 1000, align_timestamp=500),
        OK,
    ),
    Case("deleterule", lambda t: t.deleterule("t", "t:avg"), OK),
    Case(
        "range",
        lambda t: t.range("t", "-", "+"),
        [[1, _v("1.5")], [2, _v("2")]],
        [[1, 1.5], [2, 2.0]],
    ),
    Case("range-empty", lambda t: t.range("t", 0, 10), [], []),
    Case(
        "range-all-options",
        lambda t: t.range(
            "t",
            0,
            1000,
            count=10,
            aggregation_type="avg",
            bucket_size_msec=100,
            filter_by_ts=[1, 2, 3],
            filter_by_min_value=0,
            filter_by_max_value=10,
            align="start",
            latest=True,
            bucket_timestamp="mid",
            empty=True,
        ),
        [[50, _v("1.5")], [150, _v("nan")]],
        [[50, 1.5], [150, NAN]],
    ),
    Case(
        "range-filter-min-only-not-sent",
        lambda t: t.range("t", 0, 10, filter_by_min_value=1),
        [[1, _v("5")]],
        [[1, 5.0]],
    ),
    Case(
        "range-multi-aggregators",
        lambda t: t.range(
            "t", 0, "+", aggregation_type=["min", "max"], bucket_size_msec=10
        ),
        [[0, _v("1"), _v("9")], [10, _v("2"), _v("8")]],
        [[0, 1.0, 9.0], [10, 2.0, 8.0]],
    ),
    Case(
        "revrange",
        lambda t: t.revrange(
            "t", "-", "+", count=2, aggregation_type="sum", bucket_size_msec=5
        ),
        [[5, _v("3")], [0, _v("-1.25")]],
        [[5, 3.0], [0, -1.25]],
    ),
    Case(
        "revrange-align-end",
        lambda t: t.revrange(
            "t",
            0,
            9,
            align="+",
            aggregation_type="count",
            bucket_size_msec=3,
            bucket_timestamp="high",
        ),
        [[9, _v("3")]],
        [[9, 3.0]],
    ),
    Case(
        "read",
        lambda t: t.read("t", 0),
        [[1, _v("1.5")], [2, _v("inf")]],
        [[1, 1.5], [2, math.inf]],
    ),
    Case(
        "read-block",
        lambda t: t.read("t", "$", block_milliseconds=10, max_count=5),
        [],
        [],
    ),
    Case(
        "read-block-min-count",
        lambda t: t.read("t", "+", block_milliseconds=0, block_min_count=3),
        [[3, _v("1")]],
        [[3, 1.0]],
    ),
    Case(
        "nrange",
        lambda t: t.nrange(["a", "b"], "-", "+"),
        [[1, [_v("1"), _v("nan")]], [2, [_v("2"), _v("3")]]],
        [[1, [1.0, NAN]], [2, [2.0, 3.0]]],
    ),
    Case(
        "nrange-aggregators",
        lambda t: t.nrange(
            ["a", "b", "a"],
            0,
            100,
            count=5,
            aggregators=["avg,max", "sum", "min"],
            bucket_size_msec=10,
            filter_by_ts=[1],
            filter_by_min_value=1,
            filter_by_max_value=2,
            align=0,
            latest=True,
            bucket_timestamp="-",
            empty=True,
        ),
        [[0, [_v("1"), _v("2"), _v("3"), _v("4")]]],
        [[0, [1.0, 2.0, 3.0, 4.0]]],
    ),
    Case(
        "nrange-one-key-spec",
        lambda t: t.nrange(["a"], 0, 100, aggregators="avg", bucket_size_msec=10),
        [],
        [],
    ),
    Case(
        "nrevrange",
        lambda t: t.nrevrange(["b", "a"], "-", "+", count=1),
        [[2, [_v("3"), _v("2")]]],
        [[2, [3.0, 2.0]]],
    ),
    Case(
        "mrange",
        lambda t: t.mrange("-", "+", ["room=a"]),
        [[b"t2", [], [[1, _v("2")]]], [b"t1", [], [[1, _v("1")], [2, _v("1.5")]]]],
        {
            b"t2": [{}, {b"aggregators": []}, [[1, 2.0]]],
            b"t1": [{}, {b"aggregators": []}, [[1, 1.0], [2, 1.5]]],
        },
    ),
    Case(
        "mrange-with-labels",
        lambda t: t.mrange(
            0,
            "+",
            ["room=a", "unit!="],
            count=3,
            aggregation_type="max",
            bucket_size_msec=10,
            with_labels=True,
            filter_by_ts=[0, 10],
            filter_by_min_value=-1,
            filter_by_max_value=1,
            align="-",
            latest=True,
            bucket_timestamp="+",
            empty=True,
            exclude_empty=True,
        ),
        [[b"t1", [[b"room", b"a"], [b"unit", b"c"]], [[0, _v("1")]]]],
        {
            b"t1": [
                {b"room": b"a", b"unit": b"c"},
                {b"aggregators": [b"max"]},
                [[0, 1.0]],
            ]
        },
    ),
    Case(
        "mrange-select-labels",
        lambda t: t.mrange(0, 10, ["room=a"], select_labels=["unit", "x"]),
        [[b"t1", [[b"unit", b"c"], [b"x", None]], []]],
        {b"t1": [{b"unit": b"c", b"x": None}, {b"aggregators": []}, []]},
    ),
    Case(
        "mrange-groupby",
        lambda t: t.mrange(0, 10, ["room!="], groupby="room", reduce="max"),
        [
            [
                b"room=a",
                [[b"room", b"a"], [b"__reducer__", b"max"], [b"__source__", b"t1,t2"]],
                [[1, _v("3")]],
            ]
        ],
        {
            b"room=a": [
                {b"room": b"a"},
                {b"reducers": [b"max"], b"sources": [b"t1", b"t2"]},
                [[1, 3.0]],
            ]
        },
    ),
    Case(
        "mrange-groupby-without-reduce-not-sent",
        lambda t: t.mrange(0, 10, ["room!="], groupby="room"),
        [],
        {},
    ),
    Case(
        "mrange-multi-aggregators",
        lambda t: t.mrange(
            0, 10, ["a=1"], aggregation_type=["min", "max"], bucket_size_msec=5
        ),
        [[b"t1", [], [[0, _v("1"), _v("2")]]]],
        {b"t1": [{}, {b"aggregators": [b"min", b"max"]}, [[0, 1.0, 2.0]]]},
    ),
    Case(
        "mrevrange",
        lambda t: t.mrevrange("-", "+", ["room=a"], with_labels=True, count=1),
        [[b"t1", [[b"room", b"a"]], [[2, _v("1.5")]]]],
        {b"t1": [{b"room": b"a"}, {b"aggregators": []}, [[2, 1.5]]]},
    ),
    Case(
        "mrevrange-groupby",
        lambda t: t.mrevrange(
            0,
            10,
            ["room!="],
            groupby="room",
            reduce="sum",
            aggregation_type=["avg"],
            bucket_size_msec=1,
        ),
        [],
        {},
    ),
    Case("get", lambda t: t.get("t"), [2, _v("1.5")], [2, 1.5]),
    Case("get-empty", lambda t: t.get("t"), [], []),
    Case(
        "get-latest",
        lambda t: t.get("t:avg", latest=True),
        [60000, _v("3")],
        [60000, 3.0],
    ),
    Case(
        "mget",
        lambda t: t.mget(["room=a"]),
        [[b"t2", [], [2, _v("4")]], [b"t1", [], [1, _v("1.5")]], [b"t0", [], []]],
        {b"t2": [{}, [2, 4.0]], b"t1": [{}, [1, 1.5]], b"t0": [{}, []]},
    ),
    Case(
        "mget-with-labels-latest",
        lambda t: t.mget(["room=a", "unit=c"], with_labels=True, latest=True),
        [[b"t1", [[b"room", b"a"], [b"unit", b"c"]], [1, _v("1.5")]]],
        {b"t1": [{b"room": b"a", b"unit": b"c"}, [1, 1.5]]},
    ),
    Case(
        "mget-select-labels",
        lambda t: t.mget(["room=a"], select_labels=["unit"]),
        [[b"t1", [[b"unit", b"c"]], [1, _v("1.5")]]],
        {b"t1": [{b"unit": b"c"}, [1, 1.5]]},
    ),
    Case("info", lambda t: t.info("t"), INFO_RESP2, INFO_RESP3),
    Case("info-old-server", lambda t: t.info("t"), INFO_OLD),
    Case("queryindex", lambda t: t.queryindex(["room=a"]), [b"t2", b"t1"], {b"t1"}),
    Case(
        "queryindex-numeric-keys",
        lambda t: t.queryindex(["room=a", "unit=c"]),
        [b"12", b"1.5", b"nan", b"inf", b"k"],
        {b"12"},
    ),
    Case("queryindex-none", lambda t: t.queryindex(["x=y"]), [], set()),
    Case(
        "querylabels", lambda t: t.querylabels(), [b"room", b"unit"], {b"room", b"unit"}
    ),
    Case(
        "querylabels-values",
        lambda t: t.querylabels("room", filters=["unit=c"]),
        [b"a", b"b"],
        {b"a", b"b"},
    ),
    Case(
        "querylabels-filters-iterator",
        lambda t: t.querylabels(filters=iter(["room=a", "unit!="])),
        [],
        set(),
    ),
)


def doc_example(name: str) -> str:
    """The ``# example: <name>`` block of docs/redis_timeseries.md."""
    return example_in("redis_timeseries.md", name)
