"""The blocking ``r.json()`` against sync redis-py as the oracle.

Both talk to the scripted server of :mod:`tests.redis.scripted_json` (no
RedisJSON here), get the same reply, and must send the same words and return
the same value, on RESP2 and RESP3, bytes and decoded; pipelines (``pipe.json()``
and ``r.json().pipeline()``) and files too; bad input raises in the calling
thread, as redis-py's.
"""

from __future__ import annotations

import functools
import json
import warnings
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Any

import pytest
import redis

import sync_shims.redis as shim
from aio.redis.commands.json import JSONReplyError
from sync_shims.redis.commands.json import JSON, JSONPipeline
from tests.redis.scripted_json import CASES, Case, doc_example
from tests.redis.scripted_server import OK, ScriptedServer, Simple
from tests.sync_shims.redis import scripted_oracle as oracle

# The scripted oracle's fixtures, used here by name.
server, wire, decode, clients = oracle.FIXTURES


def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any, **kw: Any
) -> tuple[list[list[bytes]], str, list[str]]:
    """(sent commands, repr of the result or error class name, warning classes)."""
    return oracle.outcome(server, [reply], functools.partial(fn, *args, **kw))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
) -> None:
    results = {
        lib: outcome(server, case.reply(wire), case.call, make().json())
        for lib, make in clients.items()
    }
    assert results["sync_shims"] == results["redis-py"]
    sent, shown, _ = results["sync_shims"]
    assert len(sent) == 1 and sent[0][0].startswith(b"JSON.")
    assert not shown.startswith("raised"), shown


def test_json_object(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        j = r.json()
        assert isinstance(j, JSON) and j.client is r
        assert "JSON.GET" in r.response_callbacks
        assert j.execute_command == r.execute_command
        server.script(b'{"a":[1,2]}')
        assert j.get("doc", "$") == {"a": [1, 2]}
        assert server.received == [[b"JSON.GET", b"doc", b"$"]]


def test_path_importable_where_redis_py_has_it() -> None:
    from redis.commands.json.path import Path as Theirs

    from sync_shims.redis.commands.json.path import Path

    assert repr(Path("$.a")) == repr(Theirs("$.a")) == "$.a"
    assert Path.root_path() == Theirs.root_path() == "."


def _queue(pipe: Any) -> None:
    j = pipe.json()
    assert j.client is pipe
    assert j.set("doc", "$", {"n": 1}) is pipe
    j.numincrby("doc", ".n", 2)
    j.get("doc", "$.n")
    j.type("doc")
    pipe.exists("doc")


PIPE_REPLIES = {
    2: [OK, b"3", b"[3]", Simple("object"), 1],
    3: [OK, [3], b"[3]", [b"object"], 1],
}


@pytest.mark.parametrize("transaction", [False, True])
def test_pipeline_json_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        with make().pipeline(transaction=transaction) as pipe:
            _queue(pipe)
            server.script(*PIPE_REPLIES[wire])
            results[lib] = (pipe.execute(), server.received)
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert values[1:3] == [3, [3]]
    assert [c[0] for c in sent] == [
        b"JSON.SET",
        b"JSON.NUMINCRBY",
        b"JSON.GET",
        b"JSON.TYPE",
        b"EXISTS",
    ]


def test_json_object_pipeline_as_redispy(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]]
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().json().pipeline(transaction=False)
        assert pipe.set("doc", "$", {"n": 7}) is pipe
        pipe.get("doc").exists("doc").delete("doc", "$.n").mget(["doc"], "$.n")
        server.script(OK, b'{"n":7}', 1, 1, [b"[7]"])
        results[lib] = (pipe.execute(), server.received)
    assert results["sync_shims"] == results["redis-py"]
    values, sent = results["sync_shims"]
    assert values == [True, {"n": 7}, 1, 1, [[7]]]
    assert [c[0] for c in sent] == [
        b"JSON.SET",
        b"JSON.GET",
        b"EXISTS",
        b"JSON.DEL",
        b"JSON.MGET",
    ]


def test_json_pipeline_class(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        pipe = r.json().pipeline()
        assert isinstance(pipe, JSONPipeline) and isinstance(pipe, shim.Pipeline)
        with pipe:
            pipe.set("doc", ".", [1]).arrappend("doc", ".", 2)
            assert len(pipe) == 2
            server.script(OK, 2)
            assert pipe.execute() == [True, 2]
        assert [c[1:] for c in server.received] == [
            [b"doc", b".", b"[1]"],
            [b"doc", b".", b"2"],
        ]


def test_set_file_and_set_path_as_redispy(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]], tmp_path: FilePath
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "one.json").write_text('{"a": [1, 2]}')
    (tmp_path / "sub" / "two.json").write_text("[true]")
    (tmp_path / "bad.json").write_text("{not json")
    results = {}
    for lib, make in clients.items():
        j = make().json()
        one = str(tmp_path / "one.json")
        file_result = outcome(server, OK, j.set_file, "k", "$", one, xx=True)
        server.script(OK, OK)
        walked = j.set_path("$", str(tmp_path))
        results[lib] = (file_result, walked, sorted(server.received))
    assert results["sync_shims"] == results["redis-py"]
    file_result, walked, _ = results["sync_shims"]
    assert file_result[0] == [[b"JSON.SET", b"k", b"$", b'{"a": [1, 2]}', b"XX"]]
    assert walked[str(tmp_path / "bad.json")] is False
    assert walked[str(tmp_path / "sub" / "two.json")] is True


def test_set_file_in_a_pipeline_queues(
    server: ScriptedServer, tmp_path: FilePath
) -> None:
    (tmp_path / "d.json").write_text("[1]")
    with shim.Redis(port=server.port, protocol=2) as r, r.pipeline() as pipe:
        assert pipe.json().set_file("d", ".", str(tmp_path / "d.json")) is pipe
        server.script(OK)
        assert pipe.execute() == [True]


def test_set_file_in_a_json_pipeline_returns_it(
    server: ScriptedServer, tmp_path: FilePath
) -> None:
    # the core's set_file queues on the core pipeline: the facade's comes back
    (tmp_path / "d.json").write_text("[1]")
    (tmp_path / "bad.json").write_text("{not json")
    with shim.Redis(port=server.port, protocol=2) as r:
        pipe = r.json().pipeline()
        assert pipe.set_file("d", ".", str(tmp_path / "d.json")) is pipe
        with pytest.raises(json.JSONDecodeError):
            pipe.set_file("e", ".", str(tmp_path / "bad.json"))
        assert len(pipe) == 1
        server.script(OK)
        assert pipe.execute() == [True]


def test_bad_input_raises_in_the_calling_thread(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]]
) -> None:
    server.script()
    for make in clients.values():
        j = make().json()
        with pytest.raises(TypeError):
            j.set("k", ".", {b"bin": 1})
        with pytest.raises(Exception, match="mutually exclusive"):
            j.set("k", ".", 1, nx=True, xx=True)
        with pytest.raises(
            redis.exceptions.DataError
            if make is clients["redis-py"]
            else shim.DataError
        ):
            j.debug("STATS")
    assert server.received == []


def test_nx_with_xx_message_as_redispy(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]]
) -> None:
    """redis-py's words, on a client and a pipeline (its class is a bare
    Exception; the facade's DataError)."""
    server.script()
    messages: dict[str, set[str]] = {}
    for lib, make in clients.items():
        r = make()
        for j in (r.json(), r.pipeline().json()):
            with pytest.raises(Exception) as info:
                j.set("k", "$", {"a": 1}, nx=True, xx=True)
            messages.setdefault(lib, set()).add(str(info.value))
            if lib == "sync_shims":
                assert isinstance(info.value, shim.DataError)
    assert messages["sync_shims"] == messages["redis-py"]
    assert len(messages["redis-py"]) == 1
    assert server.received == []


def test_deprecated_methods_warn_before_sending(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]], wire: int
) -> None:
    for make in clients.values():
        j = make().json()
        server.script(b"4" if wire == 2 else [4])
        with pytest.deprecated_call(match="nummultby"):
            assert j.nummultby("doc", ".n", 2) == 4
        # An error filter stops the call in the caller, before anything is sent.
        server.script()
        with warnings.catch_warnings():
            warnings.simplefilter("error", DeprecationWarning)
            with pytest.raises(DeprecationWarning):
                j.jsonget("doc")
        assert server.received == []


def test_invalid_json_reply(
    server: ScriptedServer, clients: dict[str, Callable[..., Any]]
) -> None:
    errors = {}
    for lib, make in clients.items():
        j = make(decode_responses=False).json()
        server.script(b"[1,")
        with pytest.raises(json.JSONDecodeError) as info:
            j.get("doc")
        errors[lib] = info.value
    assert isinstance(errors["sync_shims"], JSONReplyError)
    assert (errors["sync_shims"].doc, errors["sync_shims"].pos) == (
        errors["redis-py"].doc,
        errors["redis-py"].pos,
    )
    assert "JSON.GET reply is not valid JSON" in str(errors["sync_shims"])


def test_docs_blocking_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisJSON's RESP3 replies to the example's commands (the default protocol).
    server.script(OK, [1], b'{"debug":true}', 1)
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    exec(compile(doc_example("json-blocking"), "docs/redis.md", "exec"), {})
    assert capsys.readouterr().out.splitlines() == ["[1]", "[{'debug': True}, 1]"]
    assert [c[0] for c in server.received] == [
        b"JSON.SET",
        b"JSON.TOGGLE",
        b"JSON.GET",
        b"JSON.DEL",
    ]
