"""The blocking ``r.ts()`` against sync redis-py as the oracle.

Both talk to the scripted server of :mod:`tests.redis.scripted_timeseries` (no
RedisTimeSeries here), get the same reply, and must send the same words and
return the same value, on RESP2 and RESP3, bytes and decoded; pipelines
(``pipe.ts()`` and ``r.ts().pipeline()``) too; bad input raises in the calling
thread, as redis-py's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import sync_shims.redis as shim
from aio.redis.exceptions import InvalidResponse
from sync_shims.redis.commands.timeseries import (
    Pipeline,
    TimeSeries,
    TimeSeriesPipeline,
    TSInfo,
)
from tests.redis.scripted_server import OK, ScriptedServer, Simple
from tests.redis.scripted_timeseries import (
    CASES,
    INFO_RESP2,
    INFO_RESP3,
    Case,
    doc_example,
    shown,
)
from tests.sync_shims.redis import scripted_oracle as oracle
from tests.sync_shims.redis.scripted_oracle import LIBS

# The scripted oracle's fixtures, used here by name.
server, wire, decode, clients = oracle.FIXTURES


def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[list[bytes]], Any]:
    """(sent commands, the result as ``shown`` gives it, or the error's class;
    a warning raises)."""
    sent, seen, _ = oracle.outcome(
        server, [reply], functools.partial(fn, *args), show=shown, warnings_raise=True
    )
    return sent, seen


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    decode: bool,
) -> None:
    results = {
        lib: outcome(server, case.reply(wire), case.call, make().ts())
        for lib, make in clients.items()
    }
    sent, seen = results["sync_shims"]
    assert len(sent) == 1 and sent[0][0].startswith(b"TS.")
    assert not str(seen).startswith("raised"), seen
    if case.id == "info" and wire == 3 and not decode:
        # redis-py reads every field of a RESP3 TS.INFO as None unless the
        # client decodes (see tests/redis/test_timeseries.py); aio reads them.
        assert sent == results["redis-py"][0]
        return
    assert results["sync_shims"] == results["redis-py"]


def test_ts_object(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        ts = r.ts()
        assert isinstance(ts, TimeSeries)
        assert ts.client is r
        assert "TS.RANGE" in r.response_callbacks
        assert ts.execute_command == r.execute_command
        server.script([[1, Simple("2.5")]])
        assert ts.range("t", "-", "+") == [(1, 2.5)]
        assert server.received == [[b"TS.RANGE", b"t", b"-", b"+"]]
        server.script(INFO_RESP2)
        info = ts.info("t")
        assert isinstance(info, TSInfo) and info.labels == {"room": "a", "unit": "c"}


def test_names_importable_where_redis_py_has_them() -> None:
    import redis.commands.timeseries as theirs

    import sync_shims.redis.commands.timeseries.info as info_module

    assert info_module.TSInfo is TSInfo
    assert Pipeline is TimeSeriesPipeline
    assert {"TimeSeries", "Pipeline", "TimeSeriesCommands"} <= set(dir(theirs))


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
def test_pipeline_ts_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    decode: bool,
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        server.script(*PIPE_REPLIES[wire])
        ts = pipe.ts()
        assert ts.client is pipe
        assert ts.add("k", 1, 1) is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        _queue(pipe)
        values = pipe.execute()
        results[lib] = ([shown(v) for v in values], server.received)
    ours, theirs = results["sync_shims"], results["redis-py"]
    assert ours[1] == theirs[1]
    if wire == 3 and not decode:  # TS.INFO, as in test_command_and_reply_as_redispy
        ours[0][5] = theirs[0][5]
    assert ours == theirs
    assert [c[0] for c in ours[1]][-2:] == [b"TS.INFO", b"EXISTS"]


def test_ts_object_pipeline_as_redispy(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]], wire: int
) -> None:
    """``r.ts().pipeline()``: the TS commands in place of the core ones of the
    same names (``get``, ``delete``, ``info``); redis-py's converts only the TS
    replies, aio's the core ones too (EXISTS is an int either way)."""
    replies = {
        2: [1, [1, Simple("2.5")], 3, 1],
        3: [1, [1, 2.5], 3, 1],
    }
    results = {}
    for lib, make in clients.items():
        pipe = make().ts().pipeline(transaction=False)
        server.script(*replies[wire])
        assert pipe.add("t", 1, 2.5) is pipe
        pipe.get("t").delete("t", 0, 5).exists("t")
        results[lib] = (pipe.execute(), server.received)
    assert results["sync_shims"] == results["redis-py"]
    assert results["sync_shims"][0] == [1, (1, 2.5), 3, 1]
    with shim.Redis(port=server.port) as r:
        pipe = r.ts().pipeline()
        assert isinstance(pipe, TimeSeriesPipeline)
        with pipe as tx:
            server.script(OK)
            tx.alter("t", retention_msecs=1)
            assert tx.execute() == [True]
        assert pipe.ts().pipeline().client is not None


@pytest.mark.parametrize(
    "call",
    [
        lambda t: t.create("t", ignore_max_time_diff=1),
        lambda t: t.mget(["a=1"], with_labels=True, select_labels=["a"]),
        lambda t: t.mrange(0, 1, ["a=1"], groupby="a", exclude_empty=True),
        lambda t: t.nrange([], 0, 1),
        lambda t: t.read("t", 0, block_min_count=2),
        lambda t: t.querylabels(filters=[]),
    ],
)
def test_bad_arguments_raise_in_the_calling_thread_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    call: Callable[[Any], Any],
) -> None:
    server.script()
    raised = {}
    for lib, make in clients.items():
        with pytest.raises(Exception) as info:
            call(make().ts())
        raised[lib] = info.value
    ours, theirs = raised["sync_shims"], raised["redis-py"]
    assert type(ours).__name__ == type(theirs).__name__
    assert str(ours) == str(theirs)
    assert server.received == []


def test_malformed_reply_raises_invalid_response(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=3) as r:
        server.script([b"x", b"1"])
        with pytest.raises(InvalidResponse, match=r"^TS\.GET: unexpected reply"):
            r.ts().get("t")
        server.script(1)
        assert r.ts().add("t", 1, 1) == 1


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisTimeSeries' RESP3 replies (the default protocol); the pipeline is a
    # transaction, whose MULTI/EXEC the scripted server answers itself.
    server.script(
        1000,
        2000,
        [[2000, 0.75]],
        {b"cpu": [{}, {b"aggregators": []}, [[1000, 0.5], [2000, 0.75]]]},
        [2000, 0.75],
        1,
        1,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = compile(doc_example("ts-blocking"), "docs/redis_timeseries.md", "exec")
    exec(code, {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "[(2000, 0.75)]",
        "[{'cpu': [{}, [(1000, 0.5), (2000, 0.75)]]}]",
        "[(2000, 0.75), 1]",
    ]
    assert [c[0] for c in server.received] == [
        b"TS.ADD",
        b"TS.ADD",
        b"TS.REVRANGE",
        b"TS.MRANGE",
        b"TS.GET",
        b"TS.DEL",
        b"DEL",
    ]
    assert server.unused == 0


@pytest.mark.parametrize("wire", [2, 3])
def test_watched_pipeline_runs_ts_commands_at_once_as_redispy(
    server: ScriptedServer, wire: int
) -> None:
    # After WATCH a pipeline runs commands at once (their replies come back),
    # until MULTI; then they queue.
    get_reply = [1, Simple("2.5")] if wire == 2 else [1, 2.5]
    results = {}
    for lib, mod in LIBS.items():
        # RESP3 as the default (no protocol), where redis-py gives aio's shapes.
        protocol = 2 if wire == 2 else None
        client = mod.Redis(port=server.port, protocol=protocol, retry=None)
        with client.pipeline() as pipe:
            server.script(get_reply, 2)
            pipe.watch("t")
            last = pipe.ts().get("t")
            pipe.multi()
            queued = pipe.ts().add("t", 2, 3.5)
            results[lib] = (last, queued is pipe, pipe.execute(), server.received)
        client.close()
    assert results["sync_shims"] == results["redis-py"]
    assert results["sync_shims"][:3] == ((1, 2.5), True, [2])
