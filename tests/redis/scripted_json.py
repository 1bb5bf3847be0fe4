"""The RedisJSON cases the JSON tests share, for :mod:`tests.redis.scripted_server`.

:data:`CASES` lists one call per JSON method (and the shapes that differ per
path kind) with the replies RedisJSON gives it on RESP2 and on RESP3.
"""

from __future__ import annotations

from typing import Any

from tests.redis.docs_example import example_in
from tests.redis.scripted_case import Case
from tests.redis.scripted_server import OK, Simple

__all__ = ("CASES", "Case", "doc_example")

DOC = {"a": ["foo"], "nested1": {"a": ["hello", None, "world"]}, "nested2": {"a": 31}}

# Replies as RedisJSON sends them (redis.io command pages; RESP3 where it differs:
# NUMINCRBY/NUMMULTBY arrays, TYPE one level deeper, RESP doubles).
CASES: tuple[Case, ...] = (
    Case("set", lambda j: j.set("doc", "$", DOC), OK, OK),
    Case("set-nx-unmet", lambda j: j.set("doc", "$", 1, nx=True), None),
    Case(
        "set-xx-fpha-path",
        lambda j: j.set("doc", _path(".a"), [1.5, 2.5], xx=True, fpha="fp32"),
        OK,
        OK,
    ),
    Case(
        "set-decode-keys",
        lambda j: j.set("doc", ".", {b"k": 1, "s": [True, None]}, decode_keys=True),
        OK,
        OK,
    ),
    Case("get-root", lambda j: j.get("doc"), b'{"a":["foo"],"n":1.5}'),
    Case("get-missing", lambda j: j.get("nothing"), None),
    Case("get-jsonpath", lambda j: j.get("doc", "$..a"), b'[["foo"],31]'),
    Case(
        "get-several-paths",
        lambda j: j.get("doc", "$.a", _path("$.n")),
        b'{"$.a":[["foo"]],"$.n":[1.5]}',
    ),
    Case(
        "get-noescape",
        lambda j: j.get("doc", ".s", no_escape=True),
        '"hyvää-élève"'.encode(),
    ),
    Case("get-legacy-null", lambda j: j.get("doc", ".c"), b"null"),
    Case("get-number", lambda j: j.get("doc", ".n"), b"15"),
    Case(
        "mget",
        lambda j: j.mget(["d1", "d2", "none"], "$..a"),
        [b"[1,3,null]", b"[4,6,[null]]", None],
    ),
    Case("mget-int-keys", lambda j: j.mget([1, 2], "."), [b"1", b"2"]),
    Case(
        "mset",
        lambda j: j.mset([("d1", "$", {"a": 1}), ("d2", _path(".b"), [1])]),
        OK,
        OK,
    ),
    Case("merge", lambda j: j.merge("doc", "$.a", {"x": None}), OK, OK),
    Case("merge-decode-keys", lambda j: j.merge("doc", "$", {b"k": 2}, True), OK, OK),
    Case("delete", lambda j: j.delete("doc", "$..a"), 2, 2),
    Case("delete-root", lambda j: j.delete("doc"), 1, 1),
    Case("forget", lambda j: j.forget("doc", "..a"), 0, 0),
    Case("clear", lambda j: j.clear("doc", "$..a"), 3, 3),
    Case("clear-root", lambda j: j.clear("doc"), 1, 1),
    Case(
        "arrappend-jsonpath",
        lambda j: j.arrappend("doc", "$..a", "bar", {"x": 1}),
        [3, 5, None],
        [3, 5, None],
    ),
    Case("arrappend-legacy", lambda j: j.arrappend("doc", "..a", 2), 5, 5),
    Case("arrappend-root", lambda j: j.arrappend("doc"), 1, 1),
    Case(
        "arrindex-start-stop",
        lambda j: j.arrindex("doc", "$..a", "foo", 0, -1),
        [0, -1, None],
        [0, -1, None],
    ),
    Case("arrindex-stop-ignored", lambda j: j.arrindex("doc", ".a", 1, stop=3), 1, 1),
    Case(
        "arrinsert",
        lambda j: j.arrinsert("doc", "$..a", "1", "bar"),
        [3, 5, None],
        [3, 5, None],
    ),
    Case("arrlen-legacy-missing", lambda j: j.arrlen("nothing", "..a"), None),
    Case("arrlen-jsonpath", lambda j: j.arrlen("doc", "$..a"), [1, 3, None]),
    Case("arrpop-legacy", lambda j: j.arrpop("doc", ".a", 0), b'"foo"'),
    Case("arrpop-legacy-null", lambda j: j.arrpop("doc", "..a", "1"), b"null"),
    Case("arrpop-empty", lambda j: j.arrpop("doc"), None),
    Case(
        "arrpop-jsonpath",
        lambda j: j.arrpop("doc", "$..a", 1),
        [b'"foo"', None, b"null"],
    ),
    Case(
        "arrtrim",
        lambda j: j.arrtrim("doc", "$..a", "1", -1),
        [0, 2, None],
        [0, 2, None],
    ),
    Case("arrtrim-legacy", lambda j: j.arrtrim("doc", "..a", 1, 1), 1, 1),
    Case("type-legacy", lambda j: j.type("doc"), Simple("object"), [b"object"]),
    Case(
        "type-jsonpath",
        lambda j: j.type("doc", "$..a"),
        [b"array", b"integer"],
        [[b"array", b"integer"]],
    ),
    Case("type-missing", lambda j: j.type("nothing", "..a"), None, [None]),
    Case(
        "resp",
        lambda j: j.resp("doc"),
        [Simple("{"), b"foo", b"bar", b"n", b"1.5", b"t", Simple("true")],
        [Simple("{"), b"foo", b"bar", b"n", 1.5, b"t", Simple("true")],
    ),
    Case(
        "resp-nested",
        lambda j: j.resp("doc", _path(".a")),
        [Simple("["), [Simple("["), b"2.25"], b"null"],
        [Simple("["), [Simple("["), 2.25], b"null"],
    ),
    Case("objkeys-legacy", lambda j: j.objkeys("doc"), [b"foo", b"bar"]),
    Case(
        "objkeys-jsonpath",
        lambda j: j.objkeys("doc", "$..a"),
        [[b"foo", b"bar"], None],
    ),
    Case("objkeys-missing", lambda j: j.objkeys("nothing", "..a"), None),
    Case("objlen", lambda j: j.objlen("doc", "$..a"), [None, 2, 1], [None, 2, 1]),
    Case("objlen-legacy", lambda j: j.objlen("doc"), 2, 2),
    Case("numincrby-legacy", lambda j: j.numincrby("doc", ".n", 1), b"2", [2]),
    Case(
        "numincrby-float", lambda j: j.numincrby("doc", _path(".n"), 0.5), b"2.5", [2.5]
    ),
    Case(
        "numincrby-jsonpath",
        lambda j: j.numincrby("doc", "$..a", 2),
        b"[null,4,7.0,null]",
        [None, 4, 7.0, None],
    ),
    Case("numincrby-jsonpath-one", lambda j: j.numincrby("doc", "$.n", 2), b"[4]", [4]),
    Case("numincrby-resp3-text", lambda j: j.numincrby("doc", ".n", 3), b"5", b"[5]"),
    Case("nummultby-legacy", lambda j: j.nummultby("doc", ".n", 2.5), b"5", [5]),
    Case(
        "nummultby-jsonpath",
        lambda j: j.nummultby("doc", "$..a", 2),
        b"[null,4,10,null]",
        [None, 4, 10, None],
    ),
    Case("toggle-legacy", lambda j: j.toggle("doc", ".t"), b"false", b"false"),
    Case(
        "toggle-jsonpath",
        lambda j: j.toggle("doc", "$..a"),
        [None, 1, None, 0],
        [None, 1, None, 0],
    ),
    Case(
        "strappend",
        lambda j: j.strappend("doc", "bar", "$..a"),
        [6, 8, None],
        [6, 8, None],
    ),
    Case("strappend-root", lambda j: j.strappend("doc", "é"), 4, 4),
    Case("strlen-root", lambda j: j.strlen("doc"), 3, 3),
    Case("strlen-jsonpath", lambda j: j.strlen("doc", "$..a"), [3, 5, None]),
    Case("debug-memory", lambda j: j.debug("MEMORY", "doc", "$"), [72], [72]),
    Case("debug-memory-legacy", lambda j: j.debug("MEMORY", "doc"), 72, 72),
    Case(
        "debug-help",
        lambda j: j.debug("HELP"),
        [b"MEMORY <key> [path] - size in bytes", b"HELP - this message"],
    ),
    Case("jsonset", lambda j: j.jsonset("doc", ".", [1]), OK, OK),
    Case("jsonget", lambda j: j.jsonget("doc", "$"), b"[[1]]"),
    Case("jsonmget", lambda j: j.jsonmget(["doc"], "$"), [b"[[1]]"]),
)


def _path(text: str) -> Any:
    # A Path of the library under test is passed by the test (``use_path``);
    # str() is all either library does with it, so one class serves both.
    from aio.redis.commands.json.path import Path

    return Path(text)


def doc_example(name: str) -> str:
    """The ``# example: <name>`` block of docs/redis.md."""
    return example_in("redis.md", name)
