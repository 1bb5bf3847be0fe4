"""RedisTimeSeries (``r.ts()``) against redis-py's ``redis.asyncio`` as the oracle.

No RedisTimeSeries server here: both clients talk to a scripted server
(:mod:`tests.redis.scripted_timeseries`) that gives each the same reply, and
must send the same command words and return the same Python value, on RESP2 and
RESP3, with bytes and with ``decode_responses``, alone and in pipelines. Then
results spelled out, what only aio has, bad input and malformed replies.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import math
from collections.abc import Callable
from typing import Any

import pytest
import redis.asyncio as redispy
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.resp import NEED_DATA, RESPParser
from aio.redis import DataError, InvalidResponse, Redis, ResponseError
from aio.redis.commands.timeseries import (
    AsyncTimeSeries,
    Pipeline,
    TimeSeries,
    TimeSeriesCommands,
    TimeSeriesPipeline,
    TSInfo,
)
from aio.redis.commands.timeseries._replies import CALLBACKS
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_oracle import Maker
from tests.redis.scripted_server import OK, Raw, ScriptedServer, Simple
from tests.redis.scripted_timeseries import (
    CASES,
    INFO_RESP2,
    INFO_RESP3,
    Case,
    doc_example,
    shown,
)

# The scripted oracle's fixtures, used here by name.
server, protocol, decode, clients = oracle.FIXTURES


async def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[list[bytes]], Any]:
    """Script ``reply``, run ``fn(*args)``: (sent commands, the result as
    :func:`shown` gives it, or the error's class name; a warning raises)."""
    sent, seen, _ = await oracle.outcome(
        server, [reply], functools.partial(fn, *args), show=shown, warnings_raise=True
    )
    return sent, seen


def _redispy_info_is_broken(
    case: Case, protocol: tuple[Any, ...], decode: bool
) -> bool:
    # redis-py looks TS.INFO's RESP3 map up by str keys, which are bytes unless
    # the client decodes: every field comes back None (test_info_resp3_bytes).
    return case.id == "info" and protocol[2] == 3 and not decode


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    decode: bool,
) -> None:
    wire = protocol[2]
    results = {}
    for lib, make in clients.items():
        results[lib] = await outcome(server, case.reply(wire), case.call, make().ts())
        assert server.unused == 0, f"{lib} sent no command"
    sent, seen = results["aio"]
    assert len(sent) == 1 and sent[0][0].startswith(b"TS.")
    assert not str(seen).startswith("raised"), seen
    if _redispy_info_is_broken(case, protocol, decode):
        assert results["aio"][0] == results["redis-py"][0]
        return
    assert results["aio"] == results["redis-py"]


# A few results spelled out, so the oracle is not the only judge (wire 2 and 3,
# bytes and decoded alike unless the key says).
EXPECTED: dict[str, Any] = {
    "create": True,
    "add": 1,
    "delete": 3,
    "range": [(1, 1.5), (2, 2.0)],
    "range-empty": [],
    "range-multi-aggregators": [(0, 1.0, 9.0), (10, 2.0, 8.0)],
    "read": [[1, 1.5], [2, math.inf]],
    "nrange-aggregators": [[0, [1.0, 2.0, 3.0, 4.0]]],
    "get": (2, 1.5),
    "get-empty": None,
    "mget": [
        {"t0": [{}, None, None]},
        {"t1": [{}, 1, 1.5]},
        {"t2": [{}, 2, 4.0]},
    ],
    "mget-with-labels-latest": [{"t1": [{"room": "a", "unit": "c"}, 1, 1.5]}],
    "mrange": [{"t1": [{}, [(1, 1.0), (2, 1.5)]]}, {"t2": [{}, [(1, 2.0)]]}],
    "mrange-select-labels": [{"t1": [{"unit": "c", "x": None}, []]}],
    "mrange-multi-aggregators": [{"t1": [{}, [(0, 1.0, 2.0)]]}],
    "queryindex-none": [],
    "querylabels": {"room", "unit"},
}


@pytest.mark.parametrize("case_id", sorted(EXPECTED))
@pytest.mark.parametrize("wire", [2, 3])
@pytest.mark.parametrize("decoded", [False, True], ids=["bytes", "decoded"])
async def test_known_results(
    server: ScriptedServer, case_id: str, wire: int, decoded: bool
) -> None:
    case = next(c for c in CASES if c.id == case_id)
    async with Redis(
        host="127.0.0.1", port=server.port, protocol=wire, decode_responses=decoded
    ) as r:
        server.script(case.reply(wire))
        expected = EXPECTED[case_id]
        if case_id == "querylabels" and not decoded:
            expected = {name.encode() for name in expected}
        assert await case.call(r.ts()) == expected


@pytest.mark.parametrize("wire", [2, 3])
async def test_queryindex_and_madd_results(server: ScriptedServer, wire: int) -> None:
    async with Redis(port=server.port, protocol=wire) as r:
        server.script([b"12", b"1.5", b"nan", b"inf", b"k", b"-Infinity"])
        assert await r.ts().queryindex(["a=1"]) == [
            12,
            1.5,
            "nan",
            math.inf,
            "k",
            "-Infinity",
        ]
        server.script([1, Raw(b"-ERR TSDB: the key does not exist\r\n")])
        added = await r.ts().madd([("a", 1, 1), ("b", 1, 1)])
        assert added[0] == 1
        assert isinstance(added[1], ResponseError)
        assert str(added[1]) == "TSDB: the key does not exist"


@pytest.mark.parametrize("decoded", [False, True], ids=["bytes", "decoded"])
@pytest.mark.parametrize("wire", [2, 3])
async def test_info_fields(server: ScriptedServer, wire: int, decoded: bool) -> None:
    async with Redis(port=server.port, protocol=wire, decode_responses=decoded) as r:
        server.script(INFO_RESP2 if wire == 2 else INFO_RESP3)
        info = await r.ts().info("t")
    assert isinstance(info, TSInfo)
    assert (info.total_samples, info.memory_usage, info.chunk_count) == (2, 4184, 1)
    assert (info.first_timestamp, info.last_timestamp) == (1, 2)
    assert (info.retention_msecs, info.chunk_size) == (0, 4096)
    assert info.duplicate_policy == "block"
    assert info.labels == {"room": "a", "unit": "c"}
    assert info.source_key is None
    dest, agg = ("t:avg", "AVG") if decoded else (b"t:avg", b"AVG")
    if wire == 2:
        assert info.rules == [[dest, 60000, agg, 0]]
    else:
        assert info.rules == {dest: [60000, agg, 0]}
    # Both spellings, and get() for a field that is not there.
    assert info["totalSamples"] == info["total_samples"] == info.get("totalSamples")
    assert info.get("retentionTime") == 0
    assert info.get("nothing") is None
    with pytest.raises(AttributeError):
        info["nothing"]


async def test_info_resp3_bytes(server: ScriptedServer) -> None:
    """A difference: redis-py reads every TS.INFO field of a RESP3 reply as None
    unless the client decodes (it looks bytes keys up by str); aio reads them."""
    theirs = redispy.Redis(port=server.port)
    server.script(INFO_RESP3)
    broken: Any = await theirs.ts().info("t")
    await theirs.aclose()
    assert broken.total_samples is None and broken.labels == {}
    async with Redis(port=server.port) as r:
        server.script(INFO_RESP3)
        assert (await r.ts().info("t")).total_samples == 2


def test_info_old_server() -> None:
    info = TSInfo([b"maxSamplesPerChunk", 256, b"labels", [], b"rules", []])
    assert (info.max_samples_per_chunk, info.chunk_size) == (256, 4096)
    assert info.duplicate_policy is None  # the class default
    assert (info.rules, info.labels) == ([], {})


async def test_sent_words(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        ts = r.ts()
        server.script(OK)
        await ts.create(
            "t",
            retention_msecs=5,
            uncompressed=True,
            labels={"a": "1", "b": "2"},
            chunk_size=48,
            duplicate_policy="last",
            ignore_max_time_diff=10,
            ignore_max_val_diff=0.5,
        )
        assert server.received == [
            [b"TS.CREATE", b"t", b"RETENTION", b"5", b"ENCODING", b"UNCOMPRESSED"]
            + [b"CHUNK_SIZE", b"48", b"DUPLICATE_POLICY", b"last"]
            + [b"LABELS", b"a", b"1", b"b", b"2", b"IGNORE", b"10", b"0.5"]
        ]
        server.script([])
        await ts.mrange(
            0,
            "+",
            ["a=1"],
            count=2,
            aggregation_type=["min", "max"],
            bucket_size_msec=10,
            select_labels=["a"],
            filter_by_ts=[1, 2],
            filter_by_min_value=0,
            filter_by_max_value=9,
            align="-",
            latest=True,
            bucket_timestamp="~",
            empty=True,
            exclude_empty=True,
        )
        assert server.received == [
            [b"TS.MRANGE", b"0", b"+", b"LATEST", b"FILTER_BY_TS", b"1", b"2"]
            + [b"FILTER_BY_VALUE", b"0", b"9", b"SELECTED_LABELS", b"a"]
            + [b"COUNT", b"2", b"ALIGN", b"-", b"AGGREGATION", b"min,max", b"10"]
            + [b"BUCKETTIMESTAMP", b"~", b"EMPTY", b"EXCLUDEEMPTY", b"FILTER", b"a=1"]
        ]
        server.script([])
        await ts.mrevrange(0, 1, ["a=1"], groupby="room", reduce="avg")
        assert server.received[0][-5:] == [
            b"a=1",
            b"GROUPBY",
            b"room",
            b"REDUCE",
            b"AVG",
        ]
        server.script([])
        await ts.nrange(["x", "y"], 0, 1, aggregators=["avg,max", "sum"])
        assert server.received == [
            [b"TS.NRANGE", b"2", b"x", b"y", b"0", b"1"]
            + [b"AGGREGATION", b"avg,max", b"sum", b"0"]
        ]
        server.script([])
        await ts.read("t", "$", block_milliseconds=0)
        assert server.received == [[b"TS.READ", b"t", b"$", b"BLOCK", b"0", b"1"]]


@pytest.mark.parametrize("wire", [2, 3])
async def test_callbacks_registered_as_redispy(
    server: ScriptedServer, wire: int
) -> None:
    theirs = redispy.Redis(port=server.port, protocol=2 if wire == 2 else None)
    async with Redis(port=server.port, protocol=wire) as r:
        before = set(r.response_callbacks)
        assert not {name for name in before if name.startswith("TS.")}
        ts = r.ts()
        _ = theirs.ts()
        ours = {n for n in r.response_callbacks if n.startswith("TS.")}
        assert ours == {
            n for n in theirs.response_callbacks if str(n).startswith("TS.")
        }
        assert r.response_callbacks["ts.range"] is ts._MODULE_CALLBACKS["TS.RANGE"]
        assert set(ts._MODULE_CALLBACKS) == ours
    await theirs.aclose()


def _queue(pipe: Any) -> None:
    ts = pipe.ts()
    ts.create("t", labels={"a": "1"})
    ts.add("t", 1, 1.5)
    ts.range("t", "-", "+")
    ts.get("t")
    ts.mget(["a=1"], with_labels=True)
    ts.info("t")
    pipe.exists("t")


PIPE_REPLIES = {
    2: [
        OK,
        1,
        [[1, Simple("1.5")]],
        [1, Simple("1.5")],
        [[b"t", [[b"a", b"1"]], [1, Simple("1.5")]]],
        INFO_RESP2,
        1,
    ],
    3: [OK, 1, [[1, 1.5]], [1, 1.5], {b"t": [{b"a": b"1"}, [1, 1.5]]}, INFO_RESP3, 1],
}


@pytest.mark.parametrize("transaction", [False, True])
async def test_pipeline_ts_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    decode: bool,
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        server.script(*PIPE_REPLIES[protocol[2]])
        ts = pipe.ts()
        assert ts.client is pipe
        assert ts.add("k", 1, 1) is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        _queue(pipe)
        values = await pipe.execute()
        results[lib] = ([shown(v) for v in values], server.received)
    ours, theirs = results["aio"], results["redis-py"]
    assert ours[1] == theirs[1]
    if protocol[2] == 3 and not decode:  # TS.INFO: see test_info_resp3_bytes
        ours[0][5] = theirs[0][5]
    assert ours == theirs
    assert [c[0] for c in ours[1]] == [
        b"TS.CREATE",
        b"TS.ADD",
        b"TS.RANGE",
        b"TS.GET",
        b"TS.MGET",
        b"TS.INFO",
        b"EXISTS",
    ]


async def test_ts_object_pipeline(server: ScriptedServer) -> None:
    """``r.ts().pipeline()``: redis-py's is a blocking pipeline even for
    ``redis.asyncio`` (unusable there); aio's is async, with the TS commands in
    place of the core ones of the same names."""
    async with Redis(port=server.port, protocol=3) as r:
        pipe = r.ts().pipeline(transaction=False)
        assert isinstance(pipe, TimeSeriesPipeline)
        server.script(1, [1, 2.5], 3, INFO_RESP3, 1)
        queued = [
            pipe.add("t", 1, 2.5),
            pipe.get("t"),
            pipe.delete("t", 0, 5),
            pipe.info("t"),
            pipe.exists("t"),
        ]
        assert all(one is pipe for one in queued)
        values = await pipe.execute()
        assert values[:3] == [1, (1, 2.5), 3]
        assert isinstance(values[3], TSInfo) and values[4] == 1
        assert [c[0] for c in server.received] == [
            b"TS.ADD",
            b"TS.GET",
            b"TS.DEL",
            b"TS.INFO",
            b"EXISTS",
        ]
        # A TS object of a pipeline makes pipelines of the pipeline's client.
        other: Any = r.pipeline()
        assert other.ts().pipeline().client is r
        async with r.ts().pipeline() as tx:
            server.script(OK)
            tx.alter("t", retention_msecs=1)
            assert await tx.execute() == [True]


async def test_pipeline_error_reply_kept(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        pipe: Any = r.pipeline(transaction=False)
        pipe.ts().get("nope")
        pipe.ts().add("t", 1, 1)
        server.script(Raw(b"-ERR TSDB: the key does not exist\r\n"), 1)
        values = await pipe.execute(raise_on_error=False)
        assert isinstance(values[0], ResponseError) and values[1] == 1


# -- bad input -----------------------------------------------------------------


async def oracle_raises(
    clients: dict[str, Maker], call: Callable[[Any], Any]
) -> dict[str, BaseException]:
    """The error each library raises for ``call(r.ts())``, before any await."""
    raised: dict[str, BaseException] = {}
    for lib, make in clients.items():
        ts = make().ts()
        with pytest.raises(Exception) as info:
            call(ts)  # no await: raised while building the command
        raised[lib] = info.value
    return raised


@pytest.mark.parametrize(
    ("call", "kind", "message"),
    [
        (lambda t: t.create("t", ignore_max_time_diff=1), ValueError, "Both"),
        (lambda t: t.add("t", 1, 1, ignore_max_val_diff=1), ValueError, "Both"),
        (lambda t: t.alter("t", ignore_max_val_diff=1), ValueError, "Both"),
        (lambda t: t.incrby("t", 1, ignore_max_time_diff=1), ValueError, "Both"),
        (
            lambda t: t.mget(["a=1"], with_labels=True, select_labels=["a"]),
            DataError,
            "cannot be provided together",
        ),
        (
            lambda t: t.mrange(0, 1, ["a=1"], with_labels=True, select_labels=["a"]),
            DataError,
            "cannot be provided together",
        ),
        (
            lambda t: t.mrange(
                0,
                1,
                ["a=1"],
                aggregation_type=["min", "max"],
                groupby="a",
                reduce="sum",
            ),
            DataError,
            "GROUPBY is not allowed",
        ),
        (
            lambda t: t.mrevrange(0, 1, ["a=1"], groupby="a", exclude_empty=True),
            DataError,
            "EXCLUDEEMPTY",
        ),
        (lambda t: t.nrange([], 0, 1), DataError, "At least one key"),
        (
            lambda t: t.nrevrange(["a", "b"], 0, 1, aggregators="avg"),
            DataError,
            "expected 2, got 1",
        ),
        (lambda t: t.read("t", 0, block_min_count=2), DataError, "block_min_count"),
        (lambda t: t.querylabels(filters=[]), DataError, "empty collection"),
    ],
)
async def test_bad_arguments_raise_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    call: Callable[[Any], Any],
    kind: type[Exception],
    message: str,
) -> None:
    server.script()
    raised = await oracle_raises(clients, call)
    assert type(raised["aio"]) is kind or isinstance(raised["aio"], kind)
    assert message in str(raised["aio"])
    assert str(raised["aio"]) == str(raised["redis-py"])
    assert server.received == []


@pytest.mark.parametrize(
    ("method", "reply"),
    [
        ("get", [b"x", b"1"]),
        ("get", [1]),
        ("range", [[1]]),
        ("range", [[1, b"not a number"]]),
        ("range", 5),
        ("mget", [[b"t", 5, [1, b"1"]]]),
        ("mget", [[b"t"]]),
        ("mrange", [[b"t", [], [[1, b"x"]]]]),
        ("mrange", {b"t": 5}),
        ("info", [b"labels", 5]),
        ("info", 7),
        ("read", [[1]]),
        ("nrange", [[1, 2]]),
        ("delete", b"many"),
        ("querylabels", [[b"a"]]),
    ],
)
@pytest.mark.parametrize("wire", [2, 3])
async def test_malformed_reply_raises_invalid_response(
    server: ScriptedServer, method: str, reply: object, wire: int
) -> None:
    calls = {
        "get": lambda t: t.get("t"),
        "range": lambda t: t.range("t", 0, 1),
        "mget": lambda t: t.mget(["a=1"]),
        "mrange": lambda t: t.mrange(0, 1, ["a=1"]),
        "info": lambda t: t.info("t"),
        "read": lambda t: t.read("t", 0),
        "nrange": lambda t: t.nrange(["t"], 0, 1),
        "delete": lambda t: t.delete("t", 0, 1),
        "querylabels": lambda t: t.querylabels(),
    }
    async with Redis(port=server.port, protocol=wire) as r:
        server.script(reply)
        with pytest.raises(InvalidResponse, match=r"^TS\.[A-Z]+: unexpected reply"):
            await calls[method](r.ts())
        # The connection is fine: the next command gets its own reply.
        server.script(1)
        assert await r.ts().add("t", 1, 1) == 1


async def test_error_reply_is_response_error(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=3) as r:
        server.script(Raw(b"-ERR TSDB: key already exists\r\n"))
        with pytest.raises(ResponseError, match="key already exists"):
            await r.ts().create("t")


def test_converter_of_a_huge_reply_names_it_shortly() -> None:
    with pytest.raises(InvalidResponse) as info:
        CALLBACKS["TS.GET"]([b"x" * 1000, 1])
    assert len(str(info.value)) < 250 and str(info.value).endswith("...")


# -- the pieces ------------------------------------------------------------------


def test_public_names_as_redispy() -> None:
    import redis.commands.timeseries as theirs
    import redis.commands.timeseries.info as theirs_info

    import aio.redis.commands.timeseries.info as ours_info

    assert AsyncTimeSeries is TimeSeries and Pipeline is TimeSeriesPipeline
    assert ours_info.TSInfo is TSInfo
    assert theirs_info.TSInfo.__name__ == TSInfo.__name__
    for name in ("TimeSeries", "AsyncTimeSeries", "Pipeline", "TimeSeriesCommands"):
        assert hasattr(theirs, name)


def test_methods_and_signatures_as_redispy() -> None:
    from redis.commands.timeseries.commands import TimeSeriesCommands as Theirs

    def public(cls: type) -> set[str]:
        return {n for n in vars(cls) if not n.startswith("_")}

    assert public(TimeSeriesCommands) == public(Theirs)
    for name in public(Theirs):
        ours = inspect.signature(getattr(TimeSeriesCommands, name))
        theirs = inspect.signature(getattr(Theirs, name))
        assert [(p.name, p.default, p.kind) for p in ours.parameters.values()] == [
            (p.name, p.default, p.kind) for p in theirs.parameters.values()
        ], name


async def test_ts_methods_return_awaitables_not_coroutine_functions() -> None:
    # As redis-py's: building the command is synchronous (errors at the call,
    # pipelines queue without an await).
    assert not [
        name
        for name, fn in inspect.getmembers(TimeSeries, inspect.iscoroutinefunction)
        if not name.startswith("_")
    ]


def test_converters_ignore_options_they_do_not_use() -> None:
    # execute_command passes its leftover options to every converter.
    replies: dict[str, Any] = {"TS.DEL": 1, "TS.INFO": [b"labels", []]}
    for name, convert in CALLBACKS.items():
        convert(replies.get(name, []), aggregation_type="avg", unused=True)


# -- the docs' example -------------------------------------------------------------


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisTimeSeries' RESP3 replies to the example's commands (the default
    # protocol).
    server.script(
        OK,
        OK,
        OK,
        [1000, 61000],
        121000,
        [121000, 22.25],
        [[0, 20.5], [60000, 21.0], [120000, 22.25]],
        {b"temp:1:avg": [{b"room": b"kitchen", b"agg": b"avg"}, [60000, 21.0]]},
        {
            b"totalSamples": 3,
            b"retentionTime": 86400000,
            b"labels": {b"room": b"kitchen"},
            b"rules": {b"temp:1:avg": [60000, b"AVG", 0]},
        },
        1000,
        {b"temp:1:avg"},
        3,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = compile(doc_example("ts"), "docs/redis_timeseries.md", "exec")
    exec(code, {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "[1000, 61000]",
        "121000",
        "(121000, 22.25)",
        "[(0, 20.5), (60000, 21.0), (120000, 22.25)]",
        "[{'temp:1:avg': [{'room': 'kitchen', 'agg': 'avg'}, 60000, 21.0]}]",
        "3 86400000 {'room': 'kitchen'}",
        "[1000, ['temp:1:avg']]",
        "3",
    ]
    assert [c[0] for c in server.received] == [
        b"TS.CREATE",
        b"TS.CREATE",
        b"TS.CREATERULE",
        b"TS.MADD",
        b"TS.ADD",
        b"TS.GET",
        b"TS.RANGE",
        b"TS.MGET",
        b"TS.INFO",
        b"TS.INCRBY",
        b"TS.QUERYINDEX",
        b"DEL",
    ]
    assert server.unused == 0


def test_blocking_read_extends_the_reply_timeout() -> None:
    # As BLPOP and XREAD BLOCK: the connection waits the block beyond its
    # socket_timeout (redis-py's would time out); the words are unchanged.
    ts = TimeSeries.__new__(TimeSeries)
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    ts.execute_command = lambda *args, **options: calls.append((args, options))
    ts.read("t", "$", block_milliseconds=2500, max_count=3)
    ts.read("t", 0, block_milliseconds=0)
    ts.read("t", 0)
    assert calls == [
        (
            ("TS.READ", "t", "$", "BLOCK", 2500, 1, "MAX_COUNT", 3),
            {"keys": ["t"], "timeout": 2.5},
        ),
        (("TS.READ", "t", 0, "BLOCK", 0, 1), {"keys": ["t"], "timeout": 0.0}),
        (("TS.READ", "t", 0), {"keys": ["t"]}),
    ]


async def test_blocking_read_outlasts_socket_timeout() -> None:
    """A TS.READ whose reply comes after socket_timeout but within the block."""
    replied = asyncio.Event()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        parser = RESPParser()
        while True:
            command = parser.gets()
            if command is NEED_DATA:
                data = await reader.read(65536)
                if not data:
                    return
                parser.feed(data)
                continue
            assert isinstance(command, list)
            if bytes(command[0]).upper() == b"TS.READ":
                await asyncio.sleep(0.3)  # longer than the socket_timeout
                writer.write(b"*1\r\n*2\r\n:5\r\n+1.5\r\n")
                replied.set()
            else:  # HELLO and the handshake's CLIENT SETINFO
                writer.write(
                    b"%0\r\n" if command[0].upper() == b"HELLO" else b"+OK\r\n"
                )
            await writer.drain()

    listener = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = listener.sockets[0].getsockname()[1]
    try:
        async with Redis(port=port, socket_timeout=0.1, retry=None) as r:
            assert await r.ts().read("t", "$", block_milliseconds=5000) == [[5, 1.5]]
            assert replied.is_set()
    finally:
        listener.close()
        await listener.wait_closed()


_REPLIES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.binary(max_size=8)
    | st.text(max_size=4),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.sets(st.binary(max_size=4), max_size=3)
        | st.dictionaries(
            st.binary(max_size=6) | st.text(max_size=6), inner, max_size=3
        )
    ),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(reply=_REPLIES)
def test_converters_on_random_replies(reply: Any) -> None:
    # Any reply gives a value or InvalidResponse, never another error.
    for name, convert in CALLBACKS.items():
        try:
            convert(reply)
        except InvalidResponse as exc:
            assert str(exc).startswith(f"{name}: unexpected reply")


async def test_client_side_cache_serves_the_cached_ts_reads(
    server: ScriptedServer,
) -> None:
    # TS.GET, TS.INFO, TS.RANGE and TS.REVRANGE are in the default allow list
    # (redis-py's): a second read is the cache's, converted the same way.
    from aio.redis.cache import CacheConfig

    async with Redis(port=server.port, protocol=3, cache_config=CacheConfig()) as r:
        ts = r.ts()
        server.script([1, 2.5], [[1, 2.5]], INFO_RESP3, [[2, 3.0]], [[2, 3.0]])
        assert [await ts.get("t") for _ in range(2)] == [(1, 2.5)] * 2
        assert [await ts.range("t", "-", "+") for _ in range(2)] == [[(1, 2.5)]] * 2
        first, second = [await ts.info("t") for _ in range(2)]
        assert first.total_samples == second.total_samples == 2
        # Another range (other arguments) is another entry; TS.READ is not cached.
        assert await ts.range("t", 0, "+") == [(2, 3.0)]
        assert await ts.read("t", 0) == [[2, 3.0]]
        assert [c[0] for c in server.received] == [
            b"TS.GET",
            b"TS.RANGE",
            b"TS.INFO",
            b"TS.RANGE",
            b"TS.READ",
        ]


def test_commands_module_at_redispy_path() -> None:
    import redis.commands.timeseries.commands as theirs

    import aio.redis.commands.timeseries.commands as ours
    import sync_shims.redis.commands.timeseries.commands as blocking

    constants = {n for n in vars(theirs) if n.endswith("_CMD")}
    assert constants <= set(ours.__all__)
    for name in constants:
        assert getattr(ours, name) == getattr(theirs, name)
    assert ours.TimeSeriesCommands is TimeSeriesCommands
    assert blocking.__all__ == ours.__all__
    assert blocking.TimeSeriesCommands is TimeSeriesCommands
