"""RedisJSON (``r.json()``) against redis-py's ``redis.asyncio`` as the oracle.

No RedisJSON server here: both clients talk to a scripted server
(:mod:`tests.redis.scripted_json`) that gives each the same reply, and must send
the same command words and return the same Python value, on RESP2 and RESP3,
with bytes and with ``decode_responses``. Then what only aio has, and bad input.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path as FilePath
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import DataError, Redis, ResponseError
from aio.redis.commands.json import (
    JSON,
    FPHAType,
    JSONPipeline,
    JSONReplyError,
    Path,
)
from aio.redis.commands.json._replies import json_callbacks
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_json import CASES, Case, doc_example
from tests.redis.scripted_oracle import Maker
from tests.redis.scripted_server import OK, Raw, ScriptedServer, Simple

# The scripted oracle's fixtures, used here by name.
server, protocol, decode, clients = oracle.FIXTURES


async def outcome(
    server: ScriptedServer, reply: object, fn: Callable[..., Any], *args: Any, **kw: Any
) -> Any:
    """Script ``reply``, run ``fn(*args, **kw)``: :func:`oracle.outcome`, the
    result shown by its ``repr``."""
    return await oracle.outcome(server, [reply], functools.partial(fn, *args, **kw))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
) -> None:
    wire = protocol[2]
    results = {}
    for lib, make in clients.items():
        r = make()
        results[lib] = await outcome(server, case.reply(wire), case.call, r.json())
        assert server.unused == 0, f"{lib} sent no command"
    assert results["aio"] == results["redis-py"]
    sent, shown, _ = results["aio"]
    assert len(sent) == 1 and sent[0][0].startswith(b"JSON.")
    assert not shown.startswith("raised"), shown


# A few results spelled out, so the oracle is not the only judge.
EXPECTED = {
    ("get-root", False): {"a": ["foo"], "n": 1.5},
    ("get-several-paths", False): {"$.a": [["foo"]], "$.n": [1.5]},
    ("get-legacy-null", False): None,
    ("get-legacy-null", True): "null",
    ("arrpop-jsonpath", False): ['"foo"', None, None],
    ("numincrby-legacy", False): 2,
    ("numincrby-jsonpath", False): [None, 4, 7.0, None],
    ("numincrby-jsonpath-one", False): [4],
    ("type-legacy", False): b"object",
    ("type-legacy", True): "object",
    ("type-jsonpath", True): ["array", "integer"],
    ("type-missing", False): None,
    ("resp", True): ["{", "foo", "bar", "n", "1.5", "t", "true"],
    ("objkeys-legacy", False): ["foo", "bar"],
    ("toggle-legacy", False): False,
    ("set-nx-unmet", False): None,
    ("set", False): True,
    ("debug-help", False): [
        "MEMORY <key> [path] - size in bytes",
        "HELP - this message",
    ],
}


@pytest.mark.parametrize(
    ("case_id", "decoded"),
    sorted(EXPECTED),
    ids=[f"{c}-{'decoded' if d else 'bytes'}" for c, d in sorted(EXPECTED)],
)
@pytest.mark.parametrize("wire", [2, 3])
async def test_known_results(
    server: ScriptedServer, case_id: str, decoded: bool, wire: int
) -> None:
    case = next(c for c in CASES if c.id == case_id)
    async with Redis(
        host="127.0.0.1", port=server.port, protocol=wire, decode_responses=decoded
    ) as r:
        server.script(case.reply(wire))
        assert await case.call(r.json()) == EXPECTED[case_id, decoded]


async def test_sent_words(server: ScriptedServer) -> None:
    async with Redis(host="127.0.0.1", port=server.port, protocol=2) as r:
        j = r.json()
        server.script(OK)
        await j.set("doc", Path("$.a"), {"k": [1, None]}, xx=True, fpha=FPHAType.BF16)
        assert server.received == [
            [b"JSON.SET", b"doc", b"$.a", b'{"k": [1, null]}', b"XX", b"FPHA", b"BF16"]
        ]
        server.script(b'"x"')
        await j.get("doc", no_escape=True)
        assert server.received == [[b"JSON.GET", b"doc", b"noescape", b"."]]
        server.script(1)
        await j.forget("doc")
        assert server.received == [[b"JSON.DEL", b"doc", b"."]]


@pytest.mark.parametrize("wire", [2, 3])
async def test_callbacks_registered_as_redispy(
    server: ScriptedServer, wire: int
) -> None:
    theirs = redispy.Redis(port=server.port, protocol=2 if wire == 2 else None)
    async with Redis(port=server.port, protocol=wire) as r:
        before = set(r.response_callbacks)
        assert not {name for name in before if name.startswith("JSON.")}
        j = r.json()
        _ = theirs.json()
        ours = {n for n in r.response_callbacks if n.startswith("JSON.")}
        assert ours == {n for n in theirs.response_callbacks if n.startswith("JSON.")}
        assert r.response_callbacks["json.get"] is j._MODULE_CALLBACKS["JSON.GET"]
        assert "JSON.SET" in r.response_callbacks
    await theirs.aclose()


async def test_encoder_and_decoder_as_redispy(
    server: ScriptedServer, clients: dict[str, Maker]
) -> None:
    encoder = json.JSONEncoder(sort_keys=True, separators=(",", ":"))
    decoder = json.JSONDecoder(parse_float=Decimal)
    results = {}
    for lib, make in clients.items():
        j = make().json(encoder=encoder, decoder=decoder)
        set_result = await outcome(server, OK, j.set, "d", "$", {"b": 1, "a": 2})
        get_result = await outcome(server, b'{"x":1.10}', j.get, "d")
        results[lib] = (set_result, get_result)
    assert results["aio"] == results["redis-py"]
    (sent, _, _), (_, got, _) = results["aio"]
    assert sent == [[b"JSON.SET", b"d", b"$", b'{"a":2,"b":1}']]
    assert got == repr({"x": Decimal("1.10")})


def _queue(pipe: Any) -> None:
    j = pipe.json()
    j.set("doc", "$", {"n": 1})
    j.numincrby("doc", ".n", 2)
    j.get("doc", "$.n")
    j.type("doc")
    pipe.exists("doc")


PIPE_REPLIES = {
    2: [OK, b"3", b"[3]", Simple("object"), 1],
    3: [OK, [3], b"[3]", [b"object"], 1],
}


@pytest.mark.parametrize("transaction", [False, True])
async def test_pipeline_json_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    transaction: bool,
) -> None:
    results = {}
    for lib, make in clients.items():
        pipe = make().pipeline(transaction=transaction)
        server.script(*PIPE_REPLIES[protocol[2]])
        j = pipe.json()
        assert j.client is pipe
        assert j.set("k", "$", 1) is pipe  # queued: the pipeline comes back
        pipe.command_stack.clear()
        _queue(pipe)
        results[lib] = (await pipe.execute(), server.received)
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values[1:4] in ([3, [3], b"object"], [3, [3], "object"])
    assert [c[0] for c in sent] == [
        b"JSON.SET",
        b"JSON.NUMINCRBY",
        b"JSON.GET",
        b"JSON.TYPE",
        b"EXISTS",
    ]


async def test_json_object_pipeline(server: ScriptedServer) -> None:
    """``r.json().pipeline()``: redis-py's is a blocking pipeline even for
    ``redis.asyncio`` (unusable there); aio's is async, with the JSON commands
    in place of the core ones of the same names."""
    async with Redis(port=server.port, protocol=3) as r:
        j = r.json(decoder=json.JSONDecoder(parse_int=str))
        pipe = j.pipeline(transaction=False)
        assert isinstance(pipe, JSONPipeline)
        server.script(OK, b'{"n":7}', 1, [1])
        pipe.set("doc", "$", {"n": 7}).get("doc").exists("doc").delete("doc", "$.n")
        assert await pipe.execute() == [True, {"n": "7"}, 1, [1]]
        assert [c[0] for c in server.received] == [
            b"JSON.SET",
            b"JSON.GET",
            b"EXISTS",
            b"JSON.DEL",
        ]
        # The pipeline kept its decoder: a later json() changes the client only.
        _ = r.json()
        server.script(b"[5]")
        assert await pipe.get("doc", "$.n").execute() == [["5"]]
        server.script(b"[5]")
        assert await r.json().get("doc", "$.n") == [5]
        # A JSON object of a pipeline makes pipelines of the pipeline's client.
        assert j.pipeline().client is r
        assert r.pipeline().json().pipeline().client is r


async def test_set_file_and_set_path_as_redispy(
    server: ScriptedServer, clients: dict[str, Maker], tmp_path: FilePath
) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "one.json").write_text('{"a": [1, 2]}')
    (tmp_path / "sub" / "two.json").write_text("[true]")
    (tmp_path / "bad.json").write_text("{not json")
    results = {}
    for lib, make in clients.items():
        j = make().json()
        file_result = await outcome(
            server, OK, j.set_file, "k", "$", str(tmp_path / "one.json"), nx=True
        )
        server.script(OK, OK)
        walked = await j.set_path("$", str(tmp_path))
        results[lib] = (file_result, walked, sorted(server.received))
    assert results["aio"] == results["redis-py"]
    file_result, walked, sent = results["aio"]
    assert file_result[0] == [[b"JSON.SET", b"k", b"$", b'{"a": [1, 2]}', b"NX"]]
    assert walked == {
        str(tmp_path / "one.json"): True,
        str(tmp_path / "sub" / "two.json"): True,
        str(tmp_path / "bad.json"): False,
    }
    assert [c[1] for c in sent] == sorted(
        [str(tmp_path / "one").encode(), str(tmp_path / "sub" / "two").encode()]
    )


async def test_set_path_drops_only_the_extension(
    server: ScriptedServer, tmp_path: FilePath
) -> None:
    # redis-py cuts at the first dot of the whole path (its own TODO): a dotted
    # directory would shorten every key to the directory's stem.
    folder = tmp_path / "v1.2"
    folder.mkdir()
    (folder / "doc.json").write_text("{}")
    async with Redis(port=server.port, protocol=2) as r:
        server.script(OK)
        assert await r.json().set_path(".", str(folder)) == {
            str(folder / "doc.json"): True
        }
        assert server.received[0][1] == str(folder / "doc").encode()


async def test_set_file_in_a_pipeline_queues(
    server: ScriptedServer, tmp_path: FilePath
) -> None:
    (tmp_path / "d.json").write_text("[1]")
    async with Redis(port=server.port, protocol=2) as r:
        pipe = r.pipeline(transaction=False)
        assert await pipe.json().set_file("d", ".", str(tmp_path / "d.json")) is pipe
        server.script(OK)
        assert await pipe.execute() == [True]


# -- bad input -----------------------------------------------------------------


async def oracle_raises(
    clients: dict[str, Maker], call: Callable[[Any], Any]
) -> dict[str, BaseException]:
    """The error each library raises for ``call(r.json())``, before any await."""
    raised: dict[str, BaseException] = {}
    for lib, make in clients.items():
        j = make().json()
        with pytest.raises(Exception) as info:
            call(j)  # no await: raised while building the command
        raised[lib] = info.value
    return raised


async def test_unencodable_value_raises_at_the_call(
    server: ScriptedServer, clients: dict[str, Maker]
) -> None:
    server.script()
    raised = await oracle_raises(clients, lambda j: j.set("k", ".", {b"bin": 1}))
    assert {type(e) for e in raised.values()} == {TypeError}
    raised = await oracle_raises(clients, lambda j: j.arrappend("k", ".", object()))
    assert {type(e) for e in raised.values()} == {TypeError}
    assert server.received == []


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda j: j.set("k", ".", 1, nx=True, xx=True), "mutually exclusive"),
        (lambda j: j.set("k", ".", [1.5], fpha="FP8"), "Invalid FPHA type: FP8"),
        (lambda j: j.set("k", ".", [1.5], fpha=3), "Invalid FPHA type: 3"),
        (lambda j: j.debug("STATS"), "MEMORY and HELP"),
        (lambda j: j.debug("MEMORY"), "no key"),
    ],
)
async def test_bad_arguments_raise_data_error(
    server: ScriptedServer,
    clients: dict[str, Maker],
    call: Callable[[Any], Any],
    message: str,
) -> None:
    server.script()
    raised = await oracle_raises(clients, call)
    # redis-py raises a bare Exception for nx with xx; aio its DataError.
    assert isinstance(raised["aio"], DataError)
    assert message in str(raised["aio"])
    assert isinstance(raised["redis-py"], Exception)
    assert server.received == []


async def test_nx_with_xx_message_as_redispy(
    server: ScriptedServer, clients: dict[str, Maker]
) -> None:
    """redis-py's words (its class is a bare Exception; aio's DataError), on
    a client and on a pipeline."""
    server.script()
    raised = await oracle_raises(clients, lambda j: j.set("k", ".", 1, nx=1, xx=1))
    assert str(raised["aio"]) == str(raised["redis-py"])
    assert "but not both" in str(raised["aio"])
    messages = set()
    for make in clients.values():
        pipe = make().pipeline()
        with pytest.raises(Exception) as info:
            pipe.json().set("k", "$", [], nx=True, xx=True)
        messages.add(str(info.value))
    assert messages == {str(raised["redis-py"])}
    assert server.received == []


async def test_invalid_json_reply_bytes(
    server: ScriptedServer, clients: dict[str, Maker]
) -> None:
    raised = {}
    for lib, make in clients.items():
        j = make(decode_responses=False).json()
        server.script(b"{not json")
        with pytest.raises(json.JSONDecodeError) as info:
            await j.get("doc")
        raised[lib] = info.value
    ours, theirs = raised["aio"], raised["redis-py"]
    assert isinstance(ours, JSONReplyError)
    assert (ours.doc, ours.pos) == (theirs.doc, theirs.pos)
    assert ours.command == "JSON.GET"
    assert str(ours) == (
        "JSON.GET reply is not valid JSON: Expecting property name enclosed in"
        " double quotes: line 1 column 2 (char 1)"
    )
    # The connection is fine: the next command gets its own reply.
    server.script(b"[1]")
    assert await clients["aio"](decode_responses=False).json().get("d", "$") == [1]


async def test_invalid_json_reply_text_is_returned_as_redispy(
    server: ScriptedServer, clients: dict[str, Maker]
) -> None:
    # With decode_responses redis-py makes a best effort (numbers from digits,
    # else the text): the same here. Differs where redis-py's pattern for
    # "digits.digits" takes any character for the dot: "1 2" (its float() then
    # raises ValueError) and "007" (7.0) come back as "1 2" and 7.
    cases = [(b"{oops", "{oops"), (b"07", 7), (b"01.50", 1.5), (b"3.25x", "3.25x")]
    for reply, expected in cases:
        results = {}
        for lib, make in clients.items():
            j = make(decode_responses=True).json()
            results[lib] = await outcome(server, reply, j.get, "d")
        assert results["aio"] == results["redis-py"]
        assert results["aio"][1] == repr(expected)


async def test_reply_not_utf8(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        server.script(b'"\xff"')
        with pytest.raises(
            JSONReplyError, match="JSON.GET reply is not valid JSON: not UTF-8"
        ):
            await r.json().get("doc")
        server.script([b'"\xff"'])
        with pytest.raises(JSONReplyError, match="JSON.MGET"):
            await r.json().mget(["doc"], ".")


async def test_error_reply_is_response_error(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=3) as r:
        server.script(Raw(b"-ERR Path '$.x' does not exist\r\n"))
        with pytest.raises(ResponseError, match="does not exist"):
            await r.json().numincrby("doc", "$.x", 1)


# -- the pieces ------------------------------------------------------------------


def test_path() -> None:
    p = Path("$.a")
    assert (str(p), repr(p), p.strPath) == ("$.a", "$.a", "$.a")
    assert Path.root_path() == "."
    import redis.commands.json.path as theirs

    assert repr(theirs.Path("$.a")) == repr(p)


def test_fpha_type() -> None:
    assert FPHAType.from_value("fp16") is FPHAType.FP16
    assert FPHAType.from_value(FPHAType.BF16) is FPHAType.BF16
    assert [t.value for t in FPHAType] == ["BF16", "FP16", "FP32", "FP64"]
    with pytest.raises(DataError, match="Must be one of BF16, FP16, FP32, FP64"):
        FPHAType.from_value("fp8")


def test_deprecated_aliases_warn() -> None:
    j = JSON.__new__(JSON)
    j._encoder = json.JSONEncoder()
    calls: list[tuple[Any, ...]] = []
    j.execute_command = lambda *args, **options: calls.append(args)
    for name, args in [
        ("jsonset", ("k", ".", 1)),
        ("jsonget", ("k",)),
        ("jsonmget", (["k"], ".")),
        ("nummultby", ("k", ".", 2)),
    ]:
        with pytest.deprecated_call(match=name):
            getattr(j, name)(*args)
    assert [c[0] for c in calls] == [
        "JSON.SET",
        "JSON.GET",
        "JSON.MGET",
        "JSON.NUMMULTBY",
    ]


@pytest.mark.parametrize(
    ("command", "reply", "path", "expected"),
    [
        ("JSON.NUMINCRBY", [2.5], "$.n", [2.5]),
        ("JSON.NUMINCRBY", [2.5], ".n", 2.5),
        ("JSON.NUMINCRBY", [1, 2], ".n", [1, 2]),
        ("JSON.NUMMULTBY", b"[4]", "n", 4),
        ("JSON.NUMMULTBY", None, ".n", None),
    ],
)
def test_resp3_numop_unwraps_only_legacy_paths(
    command: str, reply: Any, path: str, expected: Any
) -> None:
    convert = json_callbacks(json.JSONDecoder(), 3)[command]
    assert convert(reply, _json_path=path) == expected


def test_resp3_resp_floats_become_text_at_any_depth() -> None:
    convert = json_callbacks(json.JSONDecoder(), 3)["JSON.RESP"]
    assert convert([b"[", [b"[", 1.5, [0.25]], 2, True]) == [
        "[",
        [b"[", "1.5", ["0.25"]],
        2,
        True,
    ]


def test_converters_ignore_options_they_do_not_use() -> None:
    # execute_command passes its leftover options to every converter.
    for protocol in (2, 3):
        for name, convert in json_callbacks(json.JSONDecoder(), protocol).items():
            if name in ("JSON.CLEAR", "JSON.DEL", "JSON.FORGET"):
                assert convert(b"1", unused=True) == 1
            elif name == "JSON.MGET":
                assert convert([b"1"], unused=True) == [1]
            else:
                convert(b"1", unused=True)


async def test_json_methods_return_awaitables_not_coroutine_functions() -> None:
    # As redis-py's: building the command is synchronous (errors at the call,
    # pipelines queue without an await); only set_file/set_path are async.
    async_methods = {
        name
        for name, fn in inspect.getmembers(JSON, inspect.iscoroutinefunction)
        if not name.startswith("_")
    }
    assert async_methods == {"set_file", "set_path"}


# -- the docs' example -------------------------------------------------------------


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # RedisJSON's RESP3 replies to the example's commands (the default protocol).
    server.script(
        OK,
        [2],
        [1],
        b'["Ada"]',
        b'{".name":"Ada",".langs":["en","fr"]}',
        [[b"array"]],
        [b"name", b"langs", b"visits"],
        1,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    exec(compile(doc_example("json"), "docs/redis.md", "exec"), {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "[2]",
        "1",
        "['Ada']",
        "{'.name': 'Ada', '.langs': ['en', 'fr']}",
        "[['array'], ['name', 'langs', 'visits']]",
        "1",
    ]
    assert [c[0] for c in server.received] == [
        b"JSON.SET",
        b"JSON.ARRAPPEND",
        b"JSON.NUMINCRBY",
        b"JSON.GET",
        b"JSON.GET",
        b"JSON.TYPE",
        b"JSON.OBJKEYS",
        b"JSON.DEL",
    ]
    assert server.unused == 0
