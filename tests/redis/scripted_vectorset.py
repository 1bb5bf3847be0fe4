"""The vector-set cases the ``r.vset()`` tests share, for
:mod:`tests.redis.scripted_server`.

:data:`CASES` lists one call per method and option (and the reply shapes that
differ) with the replies Redis 8 gives it on RESP2 and on RESP3 (redis.io
command pages: maps and doubles on RESP3, flat arrays of text on RESP2).
"""

from __future__ import annotations

import struct

from tests.redis.docs_example import example_in
from tests.redis.scripted_case import Case
from tests.redis.scripted_server import Simple

__all__ = ("CASES", "Case", "doc_example")

BLOB = struct.pack("<3f", 0.5, 1.0, -2.25)
ATTRS = {"color": "red", "n": 1}

# A case's call finds its library's QuantizationOptions as ``vset_object.Q``.
CASES: tuple[Case, ...] = (
    Case("vadd-values", lambda v: v.vadd("pts", [0.5, 1.0, -2.25], "a"), 1, True),
    Case(
        "vadd-every-option",
        lambda v: v.vadd(
            "pts",
            BLOB,
            "b",
            reduce_dim=2,
            cas=True,
            quantization=v.Q.Q8,
            ef=200,
            attributes=ATTRS,
            numlinks=16,
        ),
        1,
        True,
    ),
    Case(
        "vadd-text-attributes",
        lambda v: v.vadd("pts", [1, 2.5], "c", attributes='{"x":1}'),
        0,
        False,
    ),
    Case(
        "vadd-noquant",
        lambda v: v.vadd("pts", [1.0], "d", quantization=v.Q.NOQUANT),
        1,
        True,
    ),
    Case("vadd-bin", lambda v: v.vadd("pts", [1.0], "e", quantization=v.Q.BIN), 1),
    Case("vadd-falsy-options", lambda v: v.vadd("pts", [1.0], "f", 0, False), 1),
    Case("vsim-element", lambda v: v.vsim("pts", "a"), [b"a", b"b", b"c"]),
    Case(
        "vsim-values-options",
        lambda v: v.vsim(
            "pts",
            [0.5, 1.0, -2.25],
            count=2,
            ef=100,
            filter=".color == 'red'",
            filter_ef="500",
            truth=True,
            no_thread=True,
            epsilon=0.2,
        ),
        [b"a", b"b"],
    ),
    Case("vsim-blob", lambda v: v.vsim("pts", BLOB, count=0), [b"a"]),
    Case("vsim-empty", lambda v: v.vsim("nothing", "a"), []),
    Case("vsim-null", lambda v: v.vsim("nothing", "a", with_scores=True), None),
    Case(
        "vsim-scores",
        lambda v: v.vsim("pts", "a", with_scores=True),
        [b"a", b"1", b"b", b"0.75"],
        {b"a": 1.0, b"b": 0.75},
    ),
    Case(
        "vsim-attribs",
        lambda v: v.vsim("pts", [0.5, 1.0], with_attribs=True),
        [b"a", b'{"color":"red"}', b"b", None],
        {b"a": b'{"color":"red"}', b"b": None},
    ),
    Case(
        "vsim-scores-attribs",
        lambda v: v.vsim("pts", "a", with_scores=True, with_attribs=True, count=2),
        [b"a", b"1", b'{"n":[1,2]}', b"b", b"0.5", None],
        {b"a": [1.0, b'{"n":[1,2]}'], b"b": [0.5, None]},
    ),
    Case("vdim", lambda v: v.vdim("pts"), 3),
    Case("vcard", lambda v: v.vcard("pts"), 2),
    Case("vrem", lambda v: v.vrem("pts", "a"), 1, True),
    Case("vrem-missing", lambda v: v.vrem("pts", "zz"), 0, False),
    Case(
        "vemb",
        lambda v: v.vemb("pts", "a"),
        [b"0.5", b"1", b"-2.25", b"1e-05"],
        [0.5, 1.0, -2.25, 1e-05],
    ),
    Case("vemb-missing", lambda v: v.vemb("pts", "zz"), None),
    Case(
        "vemb-raw-q8",
        lambda v: v.vemb("pts", "a", raw=True),
        [Simple("int8"), b"\x01\x7f\x80\xff", b"2.5", b"0.0196"],
        [Simple("int8"), b"\x01\x7f\x80\xff", 2.5, 0.0196],
    ),
    Case(
        "vemb-raw-noquant",
        lambda v: v.vemb("pts", "a", raw=True),
        [Simple("f32"), BLOB, b"1.25"],
        [Simple("f32"), BLOB, 1.25],
    ),
    Case(
        "vlinks",
        lambda v: v.vlinks("pts", "a"),
        [[b"b", b"c"], [b"b"]],
    ),
    Case(
        "vlinks-scores",
        lambda v: v.vlinks("pts", "a", with_scores=True),
        [[b"b", b"0.9", b"c", b"0.5"], [b"b", b"0.9"]],
        [{b"b": 0.9, b"c": 0.5}, {b"b": 0.9}],
    ),
    Case("vlinks-missing", lambda v: v.vlinks("pts", "zz", True), None),
    Case(
        "vinfo",
        lambda v: v.vinfo("pts"),
        [b"quant-type", b"int8", b"vector-dim", 3, b"size", 2, b"hnsw-m", 16],
        {b"quant-type": b"int8", b"vector-dim": 3, b"size": 2, b"hnsw-m": 16},
    ),
    Case("vinfo-missing", lambda v: v.vinfo("nothing"), None),
    Case("vsetattr", lambda v: v.vsetattr("pts", "a", ATTRS), 1, True),
    Case("vsetattr-clear", lambda v: v.vsetattr("pts", "a"), 1, True),
    Case("vsetattr-text", lambda v: v.vsetattr("pts", "a", '{"x": 2}'), 0, False),
    Case("vgetattr", lambda v: v.vgetattr("pts", "a"), b'{"color":"red","n":1}'),
    Case("vgetattr-empty", lambda v: v.vgetattr("pts", "a"), b"{}"),
    Case("vgetattr-missing", lambda v: v.vgetattr("pts", "zz"), None),
    Case("vrandmember", lambda v: v.vrandmember("pts"), b"a"),
    Case("vrandmember-count", lambda v: v.vrandmember("pts", -3), [b"a", b"a", b"b"]),
    Case("vrandmember-zero", lambda v: v.vrandmember("pts", 0), []),
    Case("vrandmember-missing", lambda v: v.vrandmember("nothing"), None),
    Case("vrange", lambda v: v.vrange("pts", "-", "+"), [b"a", b"b", b"c"]),
    Case("vrange-count", lambda v: v.vrange("pts", "[a", "(c", 1), [b"a"]),
)


def doc_example(name: str) -> str:
    """The ``# example: <name>`` block of docs/redis_vectorset.md."""
    return example_in("redis_vectorset.md", name)
