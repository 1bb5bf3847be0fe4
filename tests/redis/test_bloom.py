"""RedisBloom (``r.bf()``, ``r.cf()``, ``r.cms()``, ``r.topk()``, ``r.tdigest()``)
against redis-py's ``redis.asyncio`` as the oracle.

No RedisBloom server here: both clients talk to a scripted server
(:mod:`tests.redis.scripted_bloom`) that gives each the same reply, and must send
the same command words and return the same Python value, on RESP2 and RESP3,
with bytes and with ``decode_responses``, and in pipelines. Then what only aio
has, and bad input.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.commands.bf as theirs_bf
from hypothesis import given
from hypothesis import strategies as st

from aio.redis import DataError, InvalidResponse, Redis
from aio.redis.commands import bf
from aio.redis.commands.bf import (
    BFBloom,
    BFInfo,
    CFBloom,
    CMSBloom,
    TDigestBloom,
    TDigestInfo,
    TOPKBloom,
    TopKInfo,
)
from aio.redis.commands.bf._replies import bloom_callbacks, number_list, to_float
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_bloom import (
    CASES,
    DUMP,
    FAMILIES,
    HELPER_CALLS,
    Case,
    doc_example,
    helper_outcome,
    shown,
)
from tests.redis.scripted_oracle import Maker
from tests.redis.scripted_server import OK, ScriptedServer

# The scripted oracle's fixtures, used here by name.
server, protocol, decode, clients = oracle.FIXTURES


def family_of(client: Any, family: str) -> Any:
    """``client.bf()`` (or ``cf``...)."""
    return getattr(client, family)()


async def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[list[bytes]], Any, list[str]]:
    """Script ``reply``, run ``fn(*args)``: :func:`oracle.outcome`, the result
    as :func:`shown` gives it."""
    return await oracle.outcome(
        server, [reply], functools.partial(fn, *args), show=shown
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    decode: bool,
) -> None:
    if decode and not case.same_decoded:
        pytest.skip("a deliberate difference, tested on its own")
    wire = protocol[2]
    results = {}
    for lib, make in clients.items():
        obj = family_of(make(), case.family)
        results[lib] = await outcome(server, case.reply(wire), case.call, obj)
        assert server.unused == 0, f"{lib} sent no command"
    assert results["aio"] == results["redis-py"]
    sent, seen, _ = results["aio"]
    assert len(sent) == 1 and sent[0][0].split(b".")[0].lower() in {
        f.encode() for f in FAMILIES
    }
    assert not str(seen).startswith("raised"), seen


# A few results spelled out, so the oracle is not the only judge:
# (case, wire protocol, decoded) -> value as shown().
EXPECTED: dict[tuple[str, int, bool], Any] = {
    ("bf-create", 2, False): True,
    ("bf-madd", 3, False): [0, 1, 1],
    ("bf-scandump", 2, True): [1, DUMP],
    ("bf-scandump-end", 3, False): [0, None],
    ("bf-loadchunk", 2, False): b"OK",
    ("bf-loadchunk", 3, True): "OK",
    ("cf-scandump", 3, True): [1, b"chunk"],
    ("topk-add", 2, False): [None, None, None, "a"],
    ("topk-add-numeric-items", 3, False): [42, 1.5, math.inf, "nan", "Infinity"],
    ("topk-list-withcount", 2, False): ["a", 4, "b", 2],
    ("topk-list-empty", 3, False): [],
    ("tdigest-min", 2, False): 1.0,
    ("tdigest-min-empty", 3, False): "<nan>",
    ("tdigest-quantile", 2, False): [2, 3.25],
    ("tdigest-quantile", 3, False): [2.0, 3.25],
    # RESP2's "nan" stays text; RESP3's double is a float nan (as redis-py).
    ("tdigest-quantile-empty", 2, False): ["nan"],
    ("tdigest-quantile-empty", 3, True): ["<nan>"],
    ("tdigest-byrank", 2, True): [1, 2.5, math.inf],
    ("tdigest-byrevrank", 3, False): [3.0, -math.inf],
    ("tdigest-add", 2, False): b"OK",
    ("cms-info", 3, True): ("CMSInfo", {"width": 2000, "depth": 7, "count": 12}),
    ("topk-info", 2, False): (
        "TopKInfo",
        {"k": 3, "width": 8, "depth": 7, "decay": b"0.90000000000000002"},
    ),
    ("topk-info", 3, True): (
        "TopKInfo",
        {"k": 3, "width": 8, "depth": 7, "decay": 0.9},
    ),
}


@pytest.mark.parametrize(
    ("case_id", "wire", "decoded"),
    sorted(EXPECTED),
    ids=[f"{c}-resp{w}-{'decoded' if d else 'bytes'}" for c, w, d in sorted(EXPECTED)],
)
async def test_known_results(
    server: ScriptedServer, case_id: str, wire: int, decoded: bool
) -> None:
    case = next(c for c in CASES if c.id == case_id)
    async with Redis(
        host="127.0.0.1", port=server.port, protocol=wire, decode_responses=decoded
    ) as r:
        server.script(case.reply(wire))
        result = await case.call(family_of(r, case.family))
        assert shown(result) == EXPECTED[case_id, wire, decoded]


async def test_sent_words(server: ScriptedServer) -> None:
    async with Redis(host="127.0.0.1", port=server.port, protocol=2) as r:
        server.script(OK)
        await r.bf().insert("k", ["a"], 5, 0.1, noCreate=False, expansion=2)
        assert server.received == [
            [b"BF.INSERT", b"k", b"CAPACITY", b"5", b"ERROR", b"0.1"]
            + [b"EXPANSION", b"2", b"NOCREATE", b"ITEMS", b"a"]
        ]
        server.script(OK)
        await r.cms().merge("d", 2, ["a", "b"], weights=[2, 3])
        assert server.received == [
            [b"CMS.MERGE", b"d", b"2", b"a", b"b", b"WEIGHTS", b"2", b"3"]
        ]
        server.script(OK)
        await r.tdigest().merge("d", 2, "a", "b", compression=50, override=True)
        assert server.received == [
            [b"TDIGEST.MERGE", b"d", b"2", b"a", b"b", b"COMPRESSION", b"50"]
            + [b"OVERRIDE"]
        ]
        server.script(OK)
        await r.tdigest().create("t")
        assert server.received == [[b"TDIGEST.CREATE", b"t", b"COMPRESSION", b"100"]]


@pytest.mark.parametrize("wire", [2, 3])
async def test_callbacks_registered_as_redispy(
    server: ScriptedServer, wire: int
) -> None:
    theirs = redispy.Redis(port=server.port, protocol=2 if wire == 2 else None)
    async with Redis(port=server.port, protocol=wire) as r:
        for family in FAMILIES:
            prefix = f"{family.upper()}."
            assert not {n for n in r.response_callbacks if str(n).startswith(prefix)}
            obj = family_of(r, family)
            family_of(theirs, family)
            ours = {n for n in r.response_callbacks if str(n).startswith(prefix)}
            assert ours == {
                n for n in theirs.response_callbacks if str(n).startswith(prefix)
            }
            assert obj.client is r and obj.execute_command == r.execute_command
    await theirs.aclose()


async def test_objects_as_redispy(server: ScriptedServer) -> None:
    async with Redis(port=server.port) as r:
        classes = (BFBloom, CFBloom, CMSBloom, TOPKBloom, TDigestBloom)
        mixins = (
            bf.BFCommands,
            bf.CFCommands,
            bf.CMSCommands,
            bf.TOPKCommands,
            bf.TDigestCommands,
        )
        for family, cls, mixin in zip(FAMILIES, classes, mixins, strict=True):
            obj: Any = family_of(r, family)
            assert (type(obj), obj.commandmixin) == (cls, mixin)
        assert bf.AsyncBFBloom is BFBloom and bf.AsyncTDigestBloom is TDigestBloom
        assert BFBloom.reserve is BFBloom.create
        assert bf.BF_ADD == "BF.ADD" and bf.TDIGEST_BYREVRANK == "TDIGEST.BYREVRANK"


#: The names of ``redis.commands.bf`` an object of a family may be an instance
#: of; ``BFBloom``... are left out, being aio's ``AsyncBFBloom``... as well.
ASYNC_BLOOM_CLASSES = (
    "AbstractBloom",
    "BFCommands",
    "CFCommands",
    "CMSCommands",
    "TOPKCommands",
    "TDigestCommands",
    "AsyncBFBloom",
    "AsyncCFBloom",
    "AsyncCMSBloom",
    "AsyncTOPKBloom",
    "AsyncTDigestBloom",
)


async def test_objects_are_instances_as_redispy(server: ScriptedServer) -> None:
    """Of ``AbstractBloom`` (which holds the ``append_*`` helpers), their
    command mixin and their class, as redis-py's, on a client and a pipeline."""

    def relations(mod: Any, client: Any) -> dict[tuple[str, str, str], bool]:
        return {
            (where, family, name): isinstance(
                family_of(owner, family), getattr(mod, name)
            )
            for where, owner in (("client", client), ("pipeline", client.pipeline()))
            for family in FAMILIES
            for name in ASYNC_BLOOM_CLASSES
        }

    theirs = redispy.Redis(port=server.port)
    async with Redis(port=server.port) as r:
        assert relations(bf, r) == relations(theirs_bf, theirs)
    await theirs.aclose()


def test_static_helper_names_as_redispy() -> None:
    def helpers(cls: type) -> set[str]:
        return {name for name in dir(cls) if name.startswith("append_")}

    wanted = helpers(theirs_bf.AbstractBloom)
    assert {name for name, _ in HELPER_CALLS} == wanted
    assert helpers(bf.AbstractBloom) == wanted
    for name in wanted:
        assert isinstance(inspect.getattr_static(bf.AbstractBloom, name), staticmethod)


@pytest.mark.parametrize(("name", "args"), HELPER_CALLS)
def test_static_helpers_as_redispy(name: str, args: tuple[Any, ...]) -> None:
    """Each ``append_*`` appends what redis-py's does, on ``AbstractBloom`` and
    on each command object's class."""
    expected = helper_outcome(theirs_bf.AbstractBloom, name, args)
    owners = (bf.AbstractBloom, BFBloom, CFBloom, CMSBloom, TOPKBloom, TDigestBloom)
    for owner in owners:
        assert helper_outcome(owner, name, args) == expected


def _queue(pipe: Any) -> None:
    pipe.bf().add("b", "x")
    pipe.cf().info("c")
    pipe.topk().list("t", withcount=True)
    pipe.tdigest().quantile("d", 0.5)
    pipe.tdigest().max("d")
    pipe.cms().initbydim("m", 10, 2)
    pipe.exists("b")


PIPE_REPLIES = {
    2: [1, [b"Size", 1, b"Number of buckets", 2, b"Number of filters", 1]
        + [b"Number of items inserted", 0, b"Number of items deleted", 0]
        + [b"Bucket size", 2, b"Expansion rate", 1, b"Max iterations", 20],
        [b"a", 2], [b"1.5"], b"inf", OK, 1],
    3: [1, {b"Size": 1, b"Number of buckets": 2, b"Number of filters": 1,
            b"Number of items inserted": 0, b"Number of items deleted": 0,
            b"Bucket size": 2, b"Expansion rate": 1, b"Max iterations": 20},
        [b"a", 2], [1.5], float("inf"), OK, 1],
}  # fmt: skip


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
        b = pipe.bf()
        assert b.client is pipe
        assert b.add("k", 1) is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        _queue(pipe)
        server.script(*PIPE_REPLIES[protocol[2]])
        results[lib] = (shown(await pipe.execute()), server.received)
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values[0] == 1 and values[2] == ["a", 2] and values[4] == math.inf
    assert values[1][0] == "CFInfo"
    assert [c[0] for c in sent] == [
        b"BF.ADD",
        b"CF.INFO",
        b"TOPK.LIST",
        b"TDIGEST.QUANTILE",
        b"TDIGEST.MAX",
        b"CMS.INITBYDIM",
        b"EXISTS",
    ]


async def test_scandump_chunks_stay_bytes_when_decoding(server: ScriptedServer) -> None:
    """Both scandumps give the chunk as bytes with ``decode_responses`` (redis-py
    decodes CF.SCANDUMP's, which breaks on binary chunks), so it round-trips to
    LOADCHUNK unchanged."""
    async with Redis(port=server.port, decode_responses=True) as r:
        for obj in (r.bf(), r.cf()):
            server.script([1, DUMP], [0, None], OK)
            chunks = []
            it = 0
            while True:
                it, data = await obj.scandump("k", it)
                if it == 0:
                    break
                chunks.append((it, data))
            assert chunks == [(1, DUMP)]
            assert await obj.loadchunk("k2", *chunks[0]) == "OK"
            assert server.received[-1][-1] == DUMP


async def test_topk_count_is_deprecated(server: ScriptedServer) -> None:
    async with Redis(port=server.port) as r:
        server.script([1])
        with pytest.warns(DeprecationWarning, match="deprecated count"):
            assert await r.topk().count("t", "a") == [1]


async def test_info_objects(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        server.script([b"Capacity", 9, b"Size", 1, b"Number of filters", 1]
                      + [b"Number of items inserted", 3, b"Expansion rate", 2])  # fmt: skip
        info = await r.bf().info("b")
        assert isinstance(info, BFInfo)
        assert (info.capacity, info["insertedNum"], info.get("expansionRate")) == (
            9,
            3,
            2,
        )
        assert info.get("nothing") is None
        with pytest.raises(AttributeError):
            info["nothing"]
        assert repr(info) == (
            "BFInfo(capacity=9, size=1, filterNum=1, insertedNum=3, expansionRate=2)"
        )
        assert info == BFInfo([b"Capacity", 9, b"Size", 1, b"Number of filters", 1]
                              + [b"Number of items inserted", 3]
                              + [b"Expansion rate", 2])  # fmt: skip
        assert info != TopKInfo({"k": 1, "width": 1, "depth": 1, "decay": 0.9})


# -- bad input and malformed replies -----------------------------------------


async def test_mismatched_increments_raise_data_error(server: ScriptedServer) -> None:
    """redis-py raises IndexError for too few increments and silently drops
    extra ones; aio refuses both before anything is sent."""
    async with Redis(port=server.port) as r:
        server.script()
        with pytest.raises(DataError, match="differ in length"):
            r.cms().incrby("m", ["a", "b"], [1])
        with pytest.raises(DataError, match="differ in length"):
            r.topk().incrby("t", ["a"], [1, 2])
        assert server.received == []


MALFORMED = (
    (lambda r: r.bf().info("b"), [b"Capacity", 1], "no 'Size' field"),
    (lambda r: r.cf().info("c"), [b"Size"], "field/value pairs"),
    (lambda r: r.tdigest().info("t"), 7, "field/value pairs"),
    (lambda r: r.topk().list("t"), 3, "expected an array"),
    (lambda r: r.tdigest().quantile("t", 0.5), b"1.5", "expected an array"),
    (lambda r: r.tdigest().min("t"), b"not a number", "expected a number"),
    (lambda r: r.tdigest().trimmed_mean("t", 0, 1), None, "expected a number"),
)


@pytest.mark.parametrize(("call", "reply", "message"), MALFORMED)
@pytest.mark.parametrize("wire", [2, 3])
async def test_malformed_replies_raise_invalid_response(
    server: ScriptedServer,
    call: Callable[[Any], Any],
    reply: object,
    message: str,
    wire: int,
) -> None:
    if wire == 3 and "quantile" in inspect.getsource(call):
        # On RESP3 redis-py converts no t-digest list (they come as doubles),
        # so neither does aio: the reply passes through as sent.
        pytest.skip("not converted on RESP3")
    async with Redis(port=server.port, protocol=wire) as r:
        server.script(reply, b"PONG")
        with pytest.raises(InvalidResponse, match=message):
            await call(r)
        # The connection is still in step: the next command gets its own reply.
        assert await r.execute_command("ECHO", "PONG") == b"PONG"


def test_converters_directly() -> None:
    assert number_list("X", None) == []
    assert number_list("X", [b"null", True, [b"1"], b" 7 ", b"1e3"]) == [
        None,
        1,
        [b"1"],
        7,
        1000.0,
    ]
    assert to_float("X", b"-inf") == -math.inf
    with pytest.raises(InvalidResponse, match="X: expected a number"):
        to_float("X", [1])
    assert set(bloom_callbacks("tdigest", 2)) - set(bloom_callbacks("tdigest", 3)) == {
        "TDIGEST.BYRANK",
        "TDIGEST.BYREVRANK",
        "TDIGEST.CDF",
        "TDIGEST.QUANTILE",
    }
    with pytest.raises(KeyError):
        bloom_callbacks("hll", 2)
    assert TDigestInfo({"Compression": 1, "Capacity": 2, "Merged nodes": 3,
                        "Unmerged nodes": 4, "Merged weight": 5,
                        "Unmerged weight": 6, "Total compressions": 7,
                        "Memory usage": 8}).memory_usage == 8  # fmt: skip


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisBloom's RESP3 replies to the example's commands (the default protocol).
    server.script(
        OK,
        1,
        [1, 0],
        OK,
        [5, 1],
        OK,
        OK,
        [15.5, 80.0],
        80.0,
        OK,
        [None, None, None, None],
        [b"a", 2, b"b", 1],
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = doc_example("bloom-async")
    exec(compile(code, "docs/redis_probabilistic.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "True",
        "1",
        "[1, 0]",
        "[5, 1]",
        "[15.5, 80.0]",
        "80.0",
        "[True, [None, None, None, None], ['a', 2, 'b', 1]]",
    ]
    assert [c[0] for c in server.received] == [
        b"BF.RESERVE",
        b"BF.ADD",
        b"BF.MEXISTS",
        b"CMS.INITBYDIM",
        b"CMS.INCRBY",
        b"TDIGEST.CREATE",
        b"TDIGEST.ADD",
        b"TDIGEST.QUANTILE",
        b"TDIGEST.MAX",
        b"TOPK.RESERVE",
        b"TOPK.ADD",
        b"TOPK.LIST",
    ]
    assert server.unused == 0


# -- converters against redis-py's on random input -------------------------------

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.binary(max_size=12)
    | st.text(max_size=12)
    | st.sampled_from([b"inf", b"-inf", b"nan", b"Infinity", b"null", b"1e3", b"0x1"])
)
_REPLIES = st.recursive(
    _SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.binary(max_size=4), inner, max_size=4)
    ),
    max_leaves=12,
)


@given(st.lists(_SCALARS, max_size=8))
def test_number_list_as_redispy_parse_to_list(reply: list[Any]) -> None:
    from redis.commands.helpers import parse_to_list

    assert shown(number_list("X", reply)) == shown(parse_to_list(reply))  # type: ignore[no-untyped-call]


@given(_REPLIES)
def test_converters_raise_only_invalid_response(reply: Any) -> None:
    for protocol in (2, 3):
        for family in FAMILIES:
            for convert in bloom_callbacks(family, protocol).values():
                try:
                    convert(reply)
                except InvalidResponse:
                    pass


@given(st.lists(st.integers() | st.binary(max_size=4), min_size=5, max_size=5))
def test_info_objects_as_redispy(values: list[Any]) -> None:
    import redis.commands.bf.info as theirs

    names = list(BFInfo._FIELDS.values())
    for reply in (
        [x for pair in zip(names, values, strict=True) for x in pair],
        dict(zip([n.encode() for n in names], values, strict=True)),
    ):
        expected = theirs.BFInfo(reply)  # type: ignore[no-untyped-call]
        assert vars(BFInfo(reply)) == vars(expected)


def test_exported_names() -> None:
    import redis.commands.bf as theirs
    import redis.commands.bf.info as theirs_info

    import aio.redis.commands.bf.commands as ours_commands
    import aio.redis.commands.bf.info as ours_info
    import sync_shims.redis.commands.bf as facade
    import sync_shims.redis.commands.bf.commands as facade_commands
    import sync_shims.redis.commands.bf.info as facade_info

    for module in (bf, ours_info, ours_commands, facade, facade_info, facade_commands):
        assert all(hasattr(module, name) for name in module.__all__), module
    wanted = {
        name
        for name in dir(theirs)
        if not name.startswith("_") and (name.isupper() or name[0].isupper())
    } - {"Any", "AsyncClientProtocol", "Awaitable", "BloomScanDumpResponse"}
    wanted -= {"Literal", "ModuleListResponse", "NEVER_DECODE", "SyncClientProtocol"}
    assert wanted <= set(bf.__all__)
    assert {"BFBloom", "TOPKBloom", "TDigestInfo", "BF_ADD"} <= set(facade.__all__)
    info_names = {n for n in dir(theirs_info) if n.endswith("Info")}
    assert info_names == set(ours_info.__all__) == set(facade_info.__all__)
