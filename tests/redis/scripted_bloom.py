"""The RedisBloom cases the Bloom tests share, for :mod:`tests.redis.scripted_server`.

:data:`CASES` lists calls of every method of ``r.bf()``, ``r.cf()``, ``r.cms()``,
``r.topk()`` and ``r.tdigest()`` (and of their options), each with the reply
RedisBloom gives on RESP2 and on RESP3 (redis.io command pages: RESP3 answers
``*.INFO`` with a map and the t-digest values with doubles, where RESP2 sends
flat arrays and text). :func:`shown` makes results comparable across libraries
(the ``*.INFO`` objects of redis-py have no ``repr`` of their values).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from tests.redis.docs_example import example_in
from tests.redis.scripted_case import SAME, RepliesByProtocol
from tests.redis.scripted_server import OK

__all__ = (
    "CASES",
    "FAMILIES",
    "HELPER_CALLS",
    "Case",
    "doc_example",
    "helper_outcome",
    "shown",
)

#: The accessors, as ``r.bf()``...
FAMILIES = ("bf", "cf", "cms", "topk", "tdigest")
INF = float("inf")
NAN = float("nan")


@dataclass(frozen=True)
class Case(RepliesByProtocol):
    """One call of a RedisBloom method and RedisBloom's reply on each protocol.

    :param family: the accessor (``"bf"``, ``"cf"``, ``"cms"``, ``"topk"``,
        ``"tdigest"``) whose object ``call`` takes.
    :param resp3: the RESP3 reply, when not the RESP2 one.
    :param same_decoded: False where aio differs from redis-py on purpose with
        ``decode_responses=True`` (see the test that covers it).
    """

    id: str
    family: str
    call: Callable[[Any], Any]
    resp2: object
    resp3: object = SAME
    same_decoded: bool = True


def _pairs(fields: Mapping[bytes, object]) -> list[object]:
    return [item for pair in fields.items() for item in pair]


BF_INFO = {
    b"Capacity": 1000,
    b"Size": 1432,
    b"Number of filters": 1,
    b"Number of items inserted": 2,
    b"Expansion rate": 2,
}
CF_INFO = {
    b"Size": 1080,
    b"Number of buckets": 512,
    b"Number of filters": 1,
    b"Number of items inserted": 3,
    b"Number of items deleted": 1,
    b"Bucket size": 2,
    b"Expansion rate": 1,
    b"Max iterations": 20,
}
CMS_INFO = {b"width": 2000, b"depth": 7, b"count": 12}
TOPK_INFO2 = {b"k": 3, b"width": 8, b"depth": 7, b"decay": b"0.90000000000000002"}
TOPK_INFO3 = {b"k": 3, b"width": 8, b"depth": 7, b"decay": 0.9}
TDIGEST_INFO = {
    b"Compression": 100,
    b"Capacity": 610,
    b"Merged nodes": 3,
    b"Unmerged nodes": 2,
    b"Merged weight": 3,
    b"Unmerged weight": 2,
    b"Observations": 5,
    b"Total compressions": 1,
    b"Memory usage": 9768,
}
DUMP = b"\x00\x01\xff binary chunk"

CASES: tuple[Case, ...] = (
    # -- Bloom filter ---------------------------------------------------------
    Case("bf-create", "bf", lambda b: b.create("bf", 0.01, 1000), OK),
    Case(
        "bf-create-options",
        "bf",
        lambda b: b.create("bf", 0.001, 100, expansion=4, noScale=True),
        OK,
    ),
    Case("bf-reserve", "bf", lambda b: b.reserve("bf", 0.1, 10, noScale=False), OK),
    Case("bf-add", "bf", lambda b: b.add("bf", "ada"), 1),
    Case("bf-madd", "bf", lambda b: b.madd("bf", "ada", b"bob", 7), [0, 1, 1]),
    Case("bf-insert", "bf", lambda b: b.insert("bf", ["a", "b"]), [1, 1]),
    Case(
        "bf-insert-options",
        "bf",
        lambda b: b.insert(
            "bf",
            ("a",),
            capacity=50,
            error=0.5,
            noCreate=True,
            expansion=3,
            noScale=True,
        ),
        [1],
    ),
    Case("bf-exists", "bf", lambda b: b.exists("bf", "ada"), 0),
    Case("bf-mexists", "bf", lambda b: b.mexists("bf", "ada", "x"), [1, 0]),
    Case("bf-scandump", "bf", lambda b: b.scandump("bf", 0), [1, DUMP]),
    Case("bf-scandump-end", "bf", lambda b: b.scandump("bf", 1), [0, None]),
    Case("bf-loadchunk", "bf", lambda b: b.loadchunk("bf", 1, DUMP), OK),
    Case("bf-info", "bf", lambda b: b.info("bf"), _pairs(BF_INFO), BF_INFO),
    Case("bf-card", "bf", lambda b: b.card("bf"), 2),
    # -- cuckoo filter --------------------------------------------------------
    Case("cf-create", "cf", lambda c: c.create("cf", 1000), OK),
    Case(
        "cf-create-options",
        "cf",
        lambda c: c.reserve("cf", 1000, expansion=2, bucket_size=4, max_iterations=50),
        OK,
    ),
    Case("cf-add", "cf", lambda c: c.add("cf", "ada"), 1),
    Case("cf-addnx", "cf", lambda c: c.addnx("cf", "ada"), 0),
    Case("cf-insert", "cf", lambda c: c.insert("cf", ["a", "b"]), [1, 1]),
    Case(
        "cf-insert-options",
        "cf",
        lambda c: c.insert("cf", ["a"], capacity=10, nocreate=False),
        [-1],
    ),
    Case("cf-insertnx", "cf", lambda c: c.insertnx("cf", ["a", "z"]), [0, 1]),
    Case(
        "cf-insertnx-options",
        "cf",
        lambda c: c.insertnx("cf", ["a"], capacity=10, nocreate=True),
        [0],
    ),
    Case("cf-exists", "cf", lambda c: c.exists("cf", "ada"), 1),
    Case("cf-mexists", "cf", lambda c: c.mexists("cf", "ada", "x"), [1, 0]),
    Case("cf-delete", "cf", lambda c: c.delete("cf", "ada"), 1),
    Case("cf-count", "cf", lambda c: c.count("cf", "ada"), 2),
    # redis-py decodes CF.SCANDUMP's chunk with decode_responses; aio does not.
    Case(
        "cf-scandump",
        "cf",
        lambda c: c.scandump("cf", 0),
        [1, b"chunk"],
        same_decoded=False,
    ),
    Case("cf-scandump-end", "cf", lambda c: c.scandump("cf", 9), [0, None]),
    Case("cf-loadchunk", "cf", lambda c: c.loadchunk("cf", 1, DUMP), OK),
    Case("cf-info", "cf", lambda c: c.info("cf"), _pairs(CF_INFO), CF_INFO),
    # -- count-min sketch -----------------------------------------------------
    Case("cms-initbydim", "cms", lambda c: c.initbydim("cms", 2000, 5), OK),
    Case("cms-initbyprob", "cms", lambda c: c.initbyprob("cms", 0.001, 0.01), OK),
    Case("cms-incrby", "cms", lambda c: c.incrby("cms", ["a", "b"], [5, 1]), [5, 1]),
    Case("cms-query", "cms", lambda c: c.query("cms", "a", "b", "c"), [5, 1, 0]),
    Case("cms-merge", "cms", lambda c: c.merge("dst", 2, ["s1", "s2"]), OK),
    Case(
        "cms-merge-weights",
        "cms",
        lambda c: c.merge("dst", 2, ["s1", "s2"], weights=[3, 1]),
        OK,
    ),
    Case("cms-info", "cms", lambda c: c.info("cms"), _pairs(CMS_INFO), CMS_INFO),
    # -- top-k ----------------------------------------------------------------
    Case("topk-reserve", "topk", lambda t: t.reserve("tk", 3, 8, 7, 0.9), OK),
    Case(
        "topk-add",
        "topk",
        lambda t: t.add("tk", "a", "b", "c", "d"),
        [None, None, None, b"a"],
    ),
    Case(
        "topk-add-numeric-items",
        "topk",
        lambda t: t.add("tk", "42", "1.5", "inf", "nan", "Infinity"),
        [b"42", b"1.5", b"inf", b"nan", b"Infinity"],
    ),
    Case(
        "topk-incrby",
        "topk",
        lambda t: t.incrby("tk", ["a", "b"], [3, 2]),
        [None, b"c"],
    ),
    Case("topk-query", "topk", lambda t: t.query("tk", "a", "z"), [1, 0]),
    Case("topk-count", "topk", lambda t: t.count("tk", "a", "z"), [4, 0]),
    Case("topk-list", "topk", lambda t: t.list("tk"), [b"a", b"b", b"c"]),
    Case(
        "topk-list-withcount",
        "topk",
        lambda t: t.list("tk", withcount=True),
        [b"a", 4, b"b", 2],
    ),
    Case("topk-list-empty", "topk", lambda t: t.list("tk"), []),
    Case("topk-info", "topk", lambda t: t.info("tk"), _pairs(TOPK_INFO2), TOPK_INFO3),
    # -- t-digest -------------------------------------------------------------
    Case("tdigest-create", "tdigest", lambda t: t.create("td"), OK),
    Case(
        "tdigest-create-compression",
        "tdigest",
        lambda t: t.create("td", compression=500),
        OK,
    ),
    Case("tdigest-reset", "tdigest", lambda t: t.reset("td"), OK),
    Case("tdigest-add", "tdigest", lambda t: t.add("td", [1, 2.5, 3]), OK),
    Case(
        "tdigest-merge",
        "tdigest",
        lambda t: t.merge("td", 2, "a", "b"),
        OK,
    ),
    Case(
        "tdigest-merge-options",
        "tdigest",
        lambda t: t.merge("td", 1, "a", compression=200, override=True),
        OK,
    ),
    Case("tdigest-min", "tdigest", lambda t: t.min("td"), b"1", 1.0),
    Case("tdigest-max", "tdigest", lambda t: t.max("td"), b"2.5", 2.5),
    Case("tdigest-min-empty", "tdigest", lambda t: t.min("td"), b"nan", NAN),
    Case(
        "tdigest-quantile",
        "tdigest",
        lambda t: t.quantile("td", 0.5, 0.99),
        [b"2", b"3.25"],
        [2.0, 3.25],
    ),
    Case(
        "tdigest-quantile-empty",
        "tdigest",
        lambda t: t.quantile("td", 0.5),
        [b"nan"],
        [NAN],
    ),
    Case(
        "tdigest-cdf",
        "tdigest",
        lambda t: t.cdf("td", 1, 10),
        [b"0.16666666666666666", b"1"],
        [0.16666666666666666, 1.0],
    ),
    Case(
        "tdigest-info",
        "tdigest",
        lambda t: t.info("td"),
        _pairs(TDIGEST_INFO),
        TDIGEST_INFO,
    ),
    Case(
        "tdigest-trimmed-mean",
        "tdigest",
        lambda t: t.trimmed_mean("td", 0.1, 0.9),
        b"2.25",
        2.25,
    ),
    Case("tdigest-rank", "tdigest", lambda t: t.rank("td", 0, 2, 9), [-1, 1, 3]),
    Case("tdigest-revrank", "tdigest", lambda t: t.revrank("td", 2), [1]),
    Case(
        "tdigest-byrank",
        "tdigest",
        lambda t: t.byrank("td", 0, 1, 99),
        [b"1", b"2.5", b"inf"],
        [1.0, 2.5, INF],
    ),
    Case(
        "tdigest-byrevrank",
        "tdigest",
        lambda t: t.byrevrank("td", 0, 99),
        [b"3", b"-inf"],
        [3.0, -INF],
    ),
)


#: Calls of the static ``append_*`` option spellers of redis-py's
#: ``AbstractBloom`` (every one, each with and without its option), as
#: ``(name, arguments after params)``; the pair helpers with sequences of one
#: length (on unequal ones aio refuses, see ``test_mismatched_*``).
HELPER_CALLS: tuple[tuple[str, tuple[Any, ...]], ...] = (
    ("append_items", (["a", b"b", 3],)),
    ("append_items", ((),)),
    ("append_error", (0.01,)),
    ("append_error", (None,)),
    ("append_capacity", (1000,)),
    ("append_capacity", (None,)),
    ("append_expansion", (2,)),
    ("append_expansion", (None,)),
    ("append_no_scale", (True,)),
    ("append_no_scale", (False,)),
    ("append_no_scale", (None,)),
    ("append_weights", ([1, 2.5],)),
    ("append_weights", ([],)),
    ("append_no_create", (True,)),
    ("append_no_create", (False,)),
    ("append_no_create", (None,)),
    ("append_items_and_increments", (["a", "b"], [1, 2])),
    ("append_items_and_increments", ([], [])),
    ("append_values_and_weights", ([1.5, 2.5], [3, 4])),
    ("append_max_iterations", (20,)),
    ("append_max_iterations", (None,)),
    ("append_bucket_size", (4,)),
    ("append_bucket_size", (None,)),
)


def helper_outcome(owner: Any, name: str, args: tuple[Any, ...]) -> tuple[Any, ...]:
    """Call ``owner.<name>(params, *args)`` (a class or an object) on a fresh
    ``params``: (its return value, the params after)."""
    params: list[Any] = ["key"]
    returned = getattr(owner, name)(params, *args)
    return returned, params


def shown(value: Any) -> Any:
    """``value`` in a form both libraries' results compare in: ``*.INFO``
    objects as their class name and attributes, nan as a marker (nan != nan),
    errors as their class name."""
    if type(value).__name__.endswith("Info"):
        return (type(value).__name__, {k: shown(v) for k, v in vars(value).items()})
    if isinstance(value, list):
        return [shown(item) for item in value]
    if isinstance(value, float) and value != value:
        return "<nan>"
    return value


def doc_example(name: str) -> str:
    """The ``# example: <name>`` block of docs/redis_probabilistic.md."""
    return example_in("redis_probabilistic.md", name)
