"""The blocking ``r.vset()`` against sync redis-py as the oracle.

Both talk to the scripted server of :mod:`tests.redis.scripted_vectorset` (no
vector sets here), get the same reply, and must send the same words and return
the same value, on RESP2 and RESP3, bytes and decoded, in pipelines too; bad
input raises in the calling thread, as redis-py's.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Callable
from typing import Any

import pytest
from redis.commands.vectorset.commands import (
    QuantizationOptions as TheirQuantization,
)

import sync_shims.redis as shim
from aio.redis.commands.vectorset import VectorSet as CoreVectorSet
from sync_shims.redis.commands.vectorset import (
    QuantizationOptions,
    VectorSet,
    VectorSetReplyError,
)
from sync_shims.redis.commands.vectorset.commands import VSIM_CMD
from sync_shims.redis.commands.vectorset.commands import (
    QuantizationOptions as PublicPathQuantization,
)
from tests.redis.scripted_server import ScriptedServer, Simple
from tests.redis.scripted_vectorset import CASES, Case
from tests.redis.scripted_vectorset import doc_example as vset_doc_example
from tests.sync_shims.redis import scripted_oracle as oracle
from tests.sync_shims.redis.scripted_oracle import LIBS

QUANTIZATION = {"redis-py": TheirQuantization, "sync_shims": QuantizationOptions}

# The scripted oracle's fixtures, used here by name.
server, wire, decode, clients = oracle.FIXTURES


def vset_of(lib: str, client: Any) -> Any:
    """``client.vset()``, with its library's QuantizationOptions as ``.Q``."""
    vs = client.vset()
    vs.Q = QUANTIZATION[lib]
    return vs


def outcome(
    server: ScriptedServer, replies: list[object], fn: Callable[..., Any], *args: Any
) -> tuple[list[list[bytes]], str]:
    """(sent commands, repr of the result or the error's class name; a warning
    raises)."""
    sent, shown, _ = oracle.outcome(
        server, replies, functools.partial(fn, *args), warnings_raise=True
    )
    return sent, shown


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
) -> None:
    results = {
        lib: outcome(server, [case.reply(wire)], case.call, vset_of(lib, make()))
        for lib, make in clients.items()
    }
    assert results["sync_shims"] == results["redis-py"]
    sent, shown = results["sync_shims"]
    assert len(sent) == 1 and sent[0][0].startswith(b"V")
    assert not shown.startswith("raised"), shown


def test_vset_object(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        vs = r.vset()
        assert isinstance(vs, VectorSet)
        assert issubclass(VectorSet, CoreVectorSet)
        assert vs.client is r
        assert VSIM_CMD in r.response_callbacks and "VINFO" in r.response_callbacks
        server.script([b"a", b"0.5"])
        assert vs.vsim("pts", [1.0], with_scores=True) == {b"a": 0.5}
        assert server.received == [
            [b"VSIM", b"pts", b"VALUES", b"1", b"1.0", b"WITHSCORES"]
        ]
    assert PublicPathQuantization is QuantizationOptions


PIPE_REPLIES = {
    2: [1, [b"a", b"1", b"{}"], [b"1", b"0.5"], [b"x", b"1"], 1],
    3: [True, {b"a": [1.0, b"{}"]}, [1.0, 0.5], {b"x": b"1"}, 1],
}


@pytest.mark.parametrize("transaction", [False, True])
def test_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        vs = pipe.vset()
        assert vs.vcard("k") is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        vs.vadd("pts", struct.pack("<2f", 1.0, 0.5), "a", cas=True)
        vs.vsim("pts", "a", with_scores=True, with_attribs=True)
        vs.vemb("pts", "a")
        vs.vinfo("pts")
        pipe.delete("pts")
        server.script(*PIPE_REPLIES[wire])
        results[lib] = (pipe.execute(), server.received)
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert list(values[1].values()) == [{"score": 1.0, "attributes": {}}]
    assert [c[0] for c in sent] == [b"VADD", b"VSIM", b"VEMB", b"VINFO", b"DEL"]


def test_raw_vemb_bytes_with_decode_responses(server: ScriptedServer) -> None:
    results = {}
    for lib, mod in LIBS.items():
        with mod.Redis(port=server.port, decode_responses=True) as r:
            server.script([Simple("int8"), b"\xff\x01", 3.5, 0.25])
            results[lib] = (r.vset().vemb("pts", "a", raw=True), server.received)
    assert results["sync_shims"] == results["redis-py"]
    assert results["sync_shims"][0] == {
        "quantization": "int8",
        "raw": b"\xff\x01",
        "l2": 3.5,
        "range": 0.25,
    }


def test_bad_input_raises_in_the_calling_thread(server: ScriptedServer) -> None:
    server.script()
    with shim.Redis(port=server.port) as r:
        vs = r.vset()
        calls: list[Callable[[], Any]] = [
            lambda: vs.vadd("k", [], "a"),
            lambda: vs.vsim("k", ""),
            lambda: vs.vadd("k", [1.0], "a", quantization="fp8"),
        ]
        for call in calls:
            with pytest.raises(shim.DataError):
                call()
    assert server.received == []


def test_malformed_reply_is_a_typed_error(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        server.script([b"1", b"x"])
        with pytest.raises(VectorSetReplyError, match="VEMB reply"):
            r.vset().vemb("k", "a")
        server.script(2)
        assert r.vset().vcard("k") == 2


def test_docs_blocking_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server.script(
        True,
        True,
        {b"east": b'{"deg":90}', b"north": None},
        [[b"north"]],
        {b"size": 2},
        1,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    source = vset_doc_example("vset-blocking")
    exec(compile(source, "docs/redis_vectorset.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == [
        "{b'east': {'deg': 90}, b'north': None}",
        "[[b'north']]",
        "1",
    ]
    assert [c[0] for c in server.received] == [
        b"VADD",
        b"VADD",
        b"VSIM",
        b"VLINKS",
        b"VINFO",
        b"DEL",
    ]
    assert server.unused == 0
