"""Vector sets (``r.vset()``) against redis-py's ``redis.asyncio`` as the oracle.

The local Redis has no vector sets: both clients talk to a scripted server
(:mod:`tests.redis.scripted_vectorset`) that gives each the same reply, and must
send the same command words and return the same Python value, on RESP2 and
RESP3, with bytes and with ``decode_responses``, in pipelines too. Then bad
input and malformed replies.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy
from redis.commands.vectorset.commands import (
    QuantizationOptions as TheirQuantization,
)

from aio.redis import DataError, Redis, ResponseError
from aio.redis.commands.vectorset import (
    AsyncVectorSet,
    QuantizationOptions,
    VectorSet,
    VectorSetAttributesError,
    VectorSetReplyError,
)
from aio.redis.commands.vectorset._replies import vectorset_callbacks
from aio.redis.commands.vectorset.commands import (
    QuantizationOptions as PublicPathQuantization,
)
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_oracle import Maker
from tests.redis.scripted_server import Raw, ScriptedServer, Simple
from tests.redis.scripted_vectorset import BLOB, CASES, Case, doc_example

# The scripted oracle's fixtures, used here by name.
server, protocol, decode, clients = oracle.FIXTURES

QUANTIZATION = {"aio": QuantizationOptions, "redis-py": TheirQuantization}


def vset_of(lib: str, client: Any) -> Any:
    """``client.vset()``, with its library's QuantizationOptions as ``.Q``."""
    vs = client.vset()
    vs.Q = QUANTIZATION[lib]
    return vs


async def outcome(
    server: ScriptedServer, replies: list[object], fn: Callable[..., Any], *args: Any
) -> Any:
    """Script ``replies``, run ``fn(*args)``: (sent commands, repr of the result
    or the error's class name; a warning raises)."""
    sent, shown, _ = await oracle.outcome(
        server, replies, functools.partial(fn, *args), warnings_raise=True
    )
    return sent, shown


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
) -> None:
    results = {}
    for lib, make in clients.items():
        vs = vset_of(lib, make())
        results[lib] = await outcome(server, [case.reply(protocol[2])], case.call, vs)
        assert server.unused == 0, f"{lib} sent no command"
    assert results["aio"] == results["redis-py"]
    sent, shown = results["aio"]
    assert len(sent) == 1 and sent[0][0].startswith(b"V")
    assert not shown.startswith("raised"), shown


# A few results spelled out (bytes replies), so the oracle is not the only judge.
EXPECTED: dict[tuple[str, int], Any] = {
    ("vadd-values", 2): 1,
    ("vadd-values", 3): True,
    ("vsim-scores", 2): {b"a": 1.0, b"b": 0.75},
    ("vsim-scores", 3): {b"a": 1.0, b"b": 0.75},
    ("vsim-attribs", 2): {b"a": {"color": "red"}, b"b": None},
    ("vsim-scores-attribs", 2): {
        b"a": {"score": 1.0, "attributes": {"n": [1, 2]}},
        b"b": {"score": 0.5, "attributes": None},
    },
    ("vsim-scores-attribs", 3): {
        b"a": {"score": 1.0, "attributes": {"n": [1, 2]}},
        b"b": {"score": 0.5, "attributes": None},
    },
    ("vemb", 2): [0.5, 1, -2.25, 1e-05],
    ("vemb", 3): [0.5, 1.0, -2.25, 1e-05],
    ("vemb-raw-q8", 2): {
        "quantization": b"int8",
        "raw": b"\x01\x7f\x80\xff",
        "l2": 2.5,
        "range": 0.0196,
    },
    ("vemb-raw-noquant", 3): {"quantization": b"f32", "raw": BLOB, "l2": 1.25},
    ("vlinks-scores", 2): [{b"b": 0.9, b"c": 0.5}, {b"b": 0.9}],
    ("vinfo", 2): {b"quant-type": b"int8", b"vector-dim": 3, b"size": 2, b"hnsw-m": 16},
    ("vgetattr", 2): {"color": "red", "n": 1},
    ("vgetattr-empty", 3): None,
    ("vinfo-missing", 2): None,
}


@pytest.mark.parametrize(
    ("case_id", "wire"), sorted(EXPECTED), ids=[f"{c}-{w}" for c, w in sorted(EXPECTED)]
)
async def test_known_results(server: ScriptedServer, case_id: str, wire: int) -> None:
    case = next(c for c in CASES if c.id == case_id)
    async with Redis(host="127.0.0.1", port=server.port, protocol=wire) as r:
        server.script(case.reply(wire))
        assert await case.call(vset_of("aio", r)) == EXPECTED[case_id, wire]


async def test_sent_words(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        vs = r.vset()
        server.script(1, [b"a"], b"{}")
        await vs.vadd(
            "pts",
            [0.5, 2],
            "a",
            reduce_dim=1,
            cas=True,
            quantization="bin",
            ef=10,
            attributes={"k": [1, None]},
            numlinks=4,
        )
        await vs.vsim("pts", "a", count=3, epsilon=0.5, ef=7, filter=".k", truth=True)
        await vs.vgetattr("pts", "a")
        assert server.received == [
            [
                b"VADD",
                b"pts",
                b"REDUCE",
                b"1",
                b"VALUES",
                b"2",
                b"0.5",
                b"2",
                b"a",
                b"CAS",
                b"BIN",
                b"EF",
                b"10",
                b"SETATTR",
                b'{"k": [1, null]}',
                b"M",
                b"4",
            ],
            [
                b"VSIM",
                b"pts",
                b"ELE",
                b"a",
                b"COUNT",
                b"3",
                b"EPSILON",
                b"0.5",
                b"EF",
                b"7",
                b"FILTER",
                b".k",
                b"TRUTH",
            ],
            [b"VGETATTR", b"pts", b"a"],
        ]


@pytest.mark.parametrize("wire", [2, 3])
async def test_callbacks_registered_as_redispy(
    server: ScriptedServer, wire: int
) -> None:
    theirs = redispy.Redis(port=server.port, protocol=2 if wire == 2 else None)
    async with Redis(port=server.port, protocol=wire) as r:
        vs = r.vset()
        _ = theirs.vset()
        names = (
            "VADD VSIM VREM VDIM VCARD VEMB VLINKS VINFO VSETATTR VGETATTR "
            "VRANDMEMBER VRANGE"
        ).split()
        ours = {n for n in names if n in r.response_callbacks}
        assert ours == {n for n in names if n in theirs.response_callbacks}
        assert r.response_callbacks["vsim"] is vs._MODULE_CALLBACKS["VSIM"]
        assert ("VINFO" in ours) == (wire == 2)
    await theirs.aclose()


def _queue(pipe: Any) -> None:
    vs = pipe.vset()
    vs.vadd("pts", [1.0, 2.0], "a", attributes={"c": 1})
    vs.vsim("pts", "a", with_scores=True)
    vs.vemb("pts", "a")
    vs.vlinks("pts", "a", with_scores=True)
    vs.vgetattr("pts", "a")
    vs.vcard("pts")
    pipe.exists("pts")


PIPE_REPLIES = {
    2: [1, [b"a", b"1"], [b"1", b"2"], [[b"b", b"0.5"]], b'{"c":1}', 1, 1],
    3: [True, {b"a": 1.0}, [1.0, 2.0], [{b"b": 0.5}], b'{"c":1}', 1, 1],
}


@pytest.mark.parametrize("transaction", [False, True])
async def test_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        vs = pipe.vset()
        assert vs.client is pipe
        assert vs.vcard("k") is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        _queue(pipe)
        server.script(*PIPE_REPLIES[protocol[2]])
        results[lib] = (await pipe.execute(), server.received)
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values[1] in ({b"a": 1.0}, {"a": 1.0})
    assert values[4] == {"c": 1}
    assert [c[0] for c in sent] == [
        b"VADD",
        b"VSIM",
        b"VEMB",
        b"VLINKS",
        b"VGETATTR",
        b"VCARD",
        b"EXISTS",
    ]


async def test_raw_vemb_in_a_decoding_pipeline(server: ScriptedServer) -> None:
    # The raw blob stays bytes inside a decoding pipeline too (NEVER_DECODE is
    # honoured per command, as redis-py's non-transaction pipelines do).
    results = {}
    for name, make in (("aio", Redis), ("redis-py", redispy.Redis)):
        client: Any = make(port=server.port, protocol=3, decode_responses=True)
        try:
            server.script([Simple("f32"), b"\xff\xfe", 1.5])
            pipe: Any = client.pipeline(transaction=False)
            pipe.vset().vemb("pts", "a", raw=True)
            results[name] = await pipe.execute()
        finally:
            await client.aclose()
    assert results["aio"] == results["redis-py"]
    assert results["aio"][0]["raw"] == b"\xff\xfe"


# -- bad input -----------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda v: v.vadd("k", [], "a"),
        lambda v: v.vadd("k", b"", "a"),
        lambda v: v.vadd("k", [1.0], ""),
        lambda v: v.vsim("k", ""),
        lambda v: v.vsim("k", []),
    ],
)
async def test_missing_input_raises_data_error_as_redispy(
    server: ScriptedServer, clients: dict[str, Maker], call: Callable[[Any], Any]
) -> None:
    server.script()
    for lib, make in clients.items():
        with pytest.raises(Exception) as info:
            call(vset_of(lib, make()))  # no await: raised while building
        assert type(info.value).__name__ == "DataError", lib
    assert server.received == []


async def test_quantization_by_name_or_refused(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        vs = r.vset()
        server.script(1)
        await vs.vadd("k", [1.0], "a", quantization="q8")
        assert server.received[0][-1] == b"Q8"
        server.script()
        with pytest.raises(DataError, match="Must be one of NOQUANT, BIN, Q8"):
            vs.vadd("k", [1.0], "a", quantization="fp8")
        with pytest.raises(DataError, match="Invalid quantization"):
            vs.vadd("k", [1.0], "a", quantization=8)  # type: ignore[arg-type]
        assert server.received == []
    assert PublicPathQuantization is QuantizationOptions
    assert AsyncVectorSet is VectorSet


MALFORMED = [
    ("vemb-text", lambda v: v.vemb("k", "a"), 2, [b"0.5", b"nope"], "not a number"),
    ("vemb-not-array", lambda v: v.vemb("k", "a"), 2, 7, "not an array"),
    ("vemb-raw-short", lambda v: v.vemb("k", "a", raw=True), 3, [b"q8"], "RAW"),
    (
        "vemb-raw-l2",
        lambda v: v.vemb("k", "a", raw=True),
        2,
        [b"q", b"x", b"?"],
        "score",
    ),
    ("vsim-odd-pairs", lambda v: v.vsim("k", "a", True), 2, [b"a"], "2-tuples"),
    ("vsim-not-map", lambda v: v.vsim("k", "a", True), 3, [b"a", 1.0], "not a map"),
    (
        "vsim-both-not-pair",
        lambda v: v.vsim("k", "a", True, True),
        3,
        {b"a": 1.0},
        "[score, attributes]",
    ),
    ("vsim-score-text", lambda v: v.vsim("k", "a", True), 2, [b"a", b"x"], "score"),
    ("vinfo-odd", lambda v: v.vinfo("k"), 2, [b"size"], "2-tuples"),
    ("vlinks-odd", lambda v: v.vlinks("k", "a", True), 2, [[b"b"]], "2-tuples"),
    ("vlinks-flat", lambda v: v.vlinks("k", "a", True), 2, 3, "not an array"),
    ("vgetattr-number", lambda v: v.vgetattr("k", "a"), 2, 5, "not text"),
]


@pytest.mark.parametrize(
    ("call", "wire", "reply", "words"),
    [m[1:] for m in MALFORMED],
    ids=[m[0] for m in MALFORMED],
)
async def test_malformed_reply_is_a_typed_error(
    server: ScriptedServer,
    call: Callable[[Any], Any],
    wire: int,
    reply: Any,
    words: str,
) -> None:
    async with Redis(port=server.port, protocol=wire) as r:
        server.script(reply)
        with pytest.raises(
            VectorSetReplyError, match=words.replace("[", r"\[")
        ) as info:
            await call(r.vset())
        assert isinstance(info.value, ValueError)
        assert info.value.reply is not None
        # The connection is fine: the next command gets its own reply.
        server.script(4)
        assert await r.vset().vcard("k") == 4


@pytest.mark.parametrize("wire", [2, 3])
async def test_invalid_attributes_are_a_json_error(
    server: ScriptedServer, wire: int
) -> None:
    theirs: Any = redispy.Redis(port=server.port, protocol=wire)
    async with Redis(port=server.port, protocol=wire) as r:
        cases: list[tuple[object, Callable[[Any], Any]]] = [
            (b"{oops", lambda v: v.vgetattr("k", "a")),
            (
                [b"a", b"{oops"] if wire == 2 else {b"a": b"{oops"},
                lambda v: v.vsim("k", "a", with_attribs=True),
            ),
        ]
        for reply, call in cases:
            raised = []
            for client in (r, theirs):
                server.script(reply)
                with pytest.raises(json.JSONDecodeError) as info:
                    await call(client.vset())
                raised.append(info.value)
            ours, their = raised
            assert isinstance(ours, VectorSetAttributesError)
            assert (ours.doc, ours.pos) == (their.doc, their.pos)
            assert ours.command in ("VGETATTR", "VSIM")
        server.script(b"\xff")
        with pytest.raises(VectorSetAttributesError, match="not UTF-8"):
            await r.vset().vgetattr("k", "a")
    await theirs.aclose()


async def test_error_reply_is_response_error(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=3) as r:
        server.script(Raw(b"-ERR key does not exist\r\n"))
        with pytest.raises(ResponseError, match="does not exist"):
            await r.vset().vdim("nothing")


def test_converters_ignore_options_they_do_not_use() -> None:
    for protocol in (2, 3):
        for name, convert in vectorset_callbacks(protocol).items():
            reply = [b"1", b"2"] if name != "VGETATTR" else b'{"a":1}'
            assert convert(reply, unused=True) is not None, name


async def test_methods_build_synchronously() -> None:
    # As redis-py's: building the command is synchronous (errors at the call,
    # pipelines queue without an await).
    assert not [
        name
        for name, _ in inspect.getmembers(VectorSet, inspect.iscoroutinefunction)
        if not name.startswith("_")
    ]


# -- the docs' example -------------------------------------------------------------


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Redis 8's RESP3 replies to the example's commands (the default protocol).
    server.script(
        True,
        True,
        True,
        3,
        2,
        {b"a": 1.0, b"b": 0.98},
        {b"a": [1.0, b'{"color":"red"}']},
        b'{"color":"red"}',
        [0.1, 0.2, 0.3],
        True,
        3,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    exec(compile(doc_example("vset"), "docs/redis_vectorset.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "3 2",
        "{'a': 1.0, 'b': 0.98}",
        "{'a': {'score': 1.0, 'attributes': {'color': 'red'}}}",
        "{'color': 'red'}",
        "[0.1, 0.2, 0.3]",
        "[True, 3]",
    ]
    assert [c[0] for c in server.received] == [
        b"VADD",
        b"VADD",
        b"VADD",
        b"VDIM",
        b"VCARD",
        b"VSIM",
        b"VSIM",
        b"VGETATTR",
        b"VEMB",
        b"VREM",
        b"VCARD",
    ]
    assert server.unused == 0
