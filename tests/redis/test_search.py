"""RediSearch (``r.ft()``) against redis-py's ``redis.asyncio`` as the oracle.

No RediSearch server here: both clients talk to a scripted server
(:mod:`tests.redis.scripted_search`) that gives each the same replies, and must
send the same command words and return the same values, on RESP2 and RESP3,
with bytes and with ``decode_responses``. Then what redis-py cannot be the
oracle of (its search pipelines), and bad input.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import AsyncIterator, Callable
from typing import Any

import anyio
import pytest

from aio.redis import Redis
from aio.redis.commands.search import Search, SearchPipeline, SearchReplyError
from aio.redis.commands.search.aggregation import AggregateRequest, Cursor
from aio.redis.commands.search.query import Query
from aio.redis.commands.search.result import Result
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_oracle import Maker
from tests.redis.scripted_search import CASES, Case, modules, shape
from tests.redis.scripted_server import OK, ScriptedServer, Simple

# The scripted oracle's fixtures (not its clients: see below), used here by name.
server, protocol, decode = oracle.server, oracle.protocol, oracle.decode


def ft(client: Any, index: str = "idx") -> Any:
    """The search object of ``client`` (either library)."""
    return client.ft(index)


@pytest.fixture
async def clients(
    server: ScriptedServer, protocol: tuple[int | None, int | None, int], decode: bool
) -> AsyncIterator[dict[str, Maker]]:
    """The oracle's clients, and redis-py's blocking one as ``"blocking"`` (the
    oracle of what redis.asyncio cannot run)."""
    async with oracle.client_makers(
        server.port, protocol, decode, blocking=True
    ) as makers:
        yield makers


async def blocking_outcome(
    server: ScriptedServer, replies: tuple[object, ...], fn: Callable[[], Any]
) -> Any:
    """:func:`outcome` of a blocking call, run in a worker thread."""

    async def call() -> Any:
        return await anyio.to_thread.run_sync(fn)

    return await outcome(server, replies, call)


async def outcome(
    server: ScriptedServer, replies: tuple[object, ...], fn: Callable[[], Any]
) -> Any:
    """Script ``replies``, run ``fn()``: :func:`oracle.outcome`, the result as
    its :func:`shape`."""
    return await oracle.outcome(server, replies, fn, show=shape)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
) -> None:
    wire = protocol[2]
    results = {}
    for lib in ("aio", "redis-py"):
        m = modules(lib)
        blocking = lib == "redis-py" and case.sync_oracle
        call = functools.partial(case.call, ft(clients[lib]()), m)
        if blocking:
            call = functools.partial(case.call, ft(clients["blocking"]()), m)
            got = await blocking_outcome(server, case.replies(wire), call)
        else:
            got = await outcome(server, case.replies(wire), call)
        results[lib] = got
        assert server.unused == 0, f"{lib} sent too few commands"
    assert results["aio"] == results["redis-py"]
    sent, shown, _ = results["aio"]
    assert sent and not (isinstance(shown, str) and shown.startswith("raised")), shown


# -- results spelled out, so the oracle is not the only judge ------------------------


@pytest.mark.parametrize("wire", [2, 3])
@pytest.mark.parametrize("decoded", [False, True], ids=["bytes", "decoded"])
async def test_search_result_spelled_out(
    server: ScriptedServer, wire: int, decoded: bool
) -> None:
    case = next(c for c in CASES if c.id == "search-text")
    async with Redis(port=server.port, protocol=wire, decode_responses=decoded) as r:
        server.script(*case.replies(wire))
        result = await Search(r).search("hello")
    assert isinstance(result, Result)
    assert result.total == 2 and result.duration >= 0
    first, second = result.docs
    assert (first.id, first.title, first["year"], first.payload) == (
        "doc:1",
        "hello world",
        "2001",
        None,
    )
    assert not hasattr(first, "score")
    assert "id" not in vars(first) or vars(first)["id"] == "doc:1"
    assert second.json == '{"a":1}' and second.title == "h\u00e9llo"
    assert "Document" in repr(first) and repr(result).startswith("Result{2 total")


@pytest.mark.parametrize("wire", [2, 3])
async def test_scores_payloads_binary_spelled_out(
    server: ScriptedServer, wire: int
) -> None:
    scored = next(c for c in CASES if c.id == "search-scores-payloads")
    binary = next(c for c in CASES if c.id == "search-binary-field")
    async with Redis(port=server.port, protocol=wire, decode_responses=True) as r:
        s = Search(r)
        server.script(*scored.replies(wire))
        doc = (await s.search(Query("hi").with_scores().with_payloads())).docs[0]
        assert doc.score == 1.5 and doc.title == "hi"
        # RESP3 has no payloads in its result maps (as in redis-py).
        assert doc.payload == ("pay" if wire == 2 else None)
        server.script(*binary.replies(wire))
        query = Query("*").return_field("vec", decode_field=False)
        doc = (await s.search(query)).docs[0]
        assert doc.vec == b"\x00\xff\x80" and doc.title == "t"
        # NEVER_DECODE: the binary field arrived intact with decode_responses.
        assert server.received[0][0] == b"FT.SEARCH"


@pytest.mark.parametrize("wire", [2, 3])
async def test_aggregate_and_cursor_spelled_out(
    server: ScriptedServer, wire: int
) -> None:
    case = next(c for c in CASES if c.id == "aggregate-cursor")
    async with Redis(port=server.port, protocol=wire, decode_responses=True) as r:
        s = Search(r)
        server.script(*case.replies(wire))
        result = await s.aggregate(AggregateRequest("*").cursor(count=2))
        assert result.rows == [
            ["decade", "2000", "n", "2"],
            ["decade", "2010", "n", "1"],
        ]
        assert isinstance(result.cursor, Cursor) and result.cursor.cid == 42
        assert f"Cursor={42}" in repr(result)
        cursor = result.cursor
        server.script(*case.replies(wire))
        again = await s.aggregate(cursor)
        assert again.cursor is cursor
        assert server.received == [[b"FT.CURSOR", b"READ", b"idx", b"42"]]


async def test_info_attributes_resp3_as_resp2(server: ScriptedServer) -> None:
    infos = {}
    case = next(c for c in CASES if c.id == "info")
    for wire in (2, 3):
        async with Redis(port=server.port, protocol=wire) as r:
            server.script(*case.replies(wire))
            infos[wire] = await Search(r).info()
    assert infos[2]["attributes"][0] == [
        b"identifier", b"title", b"attribute", b"title", b"type", b"TEXT",
        b"WEIGHT", b"1", b"SORTABLE",
    ]  # fmt: skip
    assert infos[3]["attributes"][0] == [
        "identifier", "title", "attribute", "title", "type", "TEXT",
        "WEIGHT", 1.0, "SORTABLE",
    ]  # fmt: skip
    assert infos[2]["index_name"] == "idx" and infos[3]["num_docs"] == 2


async def test_sent_words(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        s = Search(r, "books")
        server.script([0])
        await s.search(Query("hi").paging(2, 3).sort_by("y", asc=False))
        assert server.received == [
            [b"FT.SEARCH", b"books", b"hi", b"SORTBY", b"y", b"DESC", b"DIALECT", b"2",
             b"LIMIT", b"2", b"3"]
        ]  # fmt: skip
        server.script([0])
        await s.aggregate(AggregateRequest("*").dialect(0).scorer(""))
        assert server.received == [[b"FT.AGGREGATE", b"books", b"*"]]


# -- pipelines ------------------------------------------------------------------------


def _decoded(value: Any) -> Any:
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, tuple | list):
        return type(value)(_decoded(v) for v in value)
    if isinstance(value, set):
        return {_decoded(v) for v in value}
    return value


def _queue(pipe: Any, m: Any) -> None:
    pipe.search(m.query.Query("hi").with_scores())
    pipe.search(m.query.Query("hi").no_content())
    pipe.tagvals("tags")
    pipe.aliaslist()
    pipe.create_index([m.field.TextField("t")])


PIPE_REPLIES = {
    2: ([1, b"doc:1", b"2", [b"t", b"x"]], [1, b"doc:1"], [b"a"], [b"al"], OK),
    3: (
        {"total_results": 1, "results": [{"id": b"doc:1", "score": 2.0,
                                           "extra_attributes": {"t": b"x"}}]},
        {"total_results": 1, "results": [{"id": b"doc:1"}]},
        {b"a"},
        {b"al"},
        OK,
    ),
}  # fmt: skip


@pytest.mark.parametrize("transaction", [False, True])
async def test_search_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    decode: bool,
    transaction: bool,
) -> None:
    """``r.ft().pipeline()`` against redis-py's blocking search pipeline (its
    asyncio one cannot queue ``search``: it awaits the pipeline)."""
    wire = protocol[2]
    results = {}
    for lib in ("aio", "blocking"):
        pipe = ft(clients[lib]()).pipeline(transaction=transaction)
        _queue(pipe, modules("aio" if lib == "aio" else "redis-py"))
        server.script(*PIPE_REPLIES[wire])
        if lib == "aio":
            assert isinstance(pipe, SearchPipeline)
            replies = await pipe.execute()
        else:
            replies = await anyio.to_thread.run_sync(pipe.execute)
        results[lib] = (shape(replies), server.received)
    # FT.SEARCH's NEVER_DECODE keeps its values bytes with decode_responses,
    # but not in a transaction (where both libraries decode every reply).
    assert results["aio"] == results["blocking"]
    values, sent = results["aio"]
    assert [c[0] for c in sent] == [
        b"FT.SEARCH", b"FT.SEARCH", b"FT.TAGVALS", b"FT.ALIASLIST", b"FT.CREATE"
    ]  # fmt: skip
    assert values[1][3] == {"al"} or values[1][3] == {b"al"}


@pytest.mark.parametrize("with_cursor", [False, True], ids=["rows", "cursor"])
async def test_hybrid_in_search_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Maker],
    protocol: tuple[int | None, int | None, int],
    with_cursor: bool,
) -> None:
    from tests.redis.scripted_search import CASES as ALL

    case = next(
        c
        for c in ALL
        if c.id == ("hybrid-search-cursor" if with_cursor else "hybrid-search")
    )
    results = {}
    for lib in ("aio", "blocking"):
        pipe = ft(clients[lib]()).pipeline(transaction=False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            case.call(pipe, modules("aio" if lib == "aio" else "redis-py"))
        server.script(*case.replies(protocol[2]))
        if lib == "aio":
            replies = await pipe.execute()
        else:
            replies = await anyio.to_thread.run_sync(pipe.execute)
        results[lib] = (_decoded(shape(replies)), server.received)
    assert results["aio"] == results["blocking"]
    assert results["aio"][1][0][0] == b"FT.HYBRID"


async def test_search_pipeline_is_aio_async_and_keeps_client_callbacks(
    server: ScriptedServer,
) -> None:
    async with Redis(port=server.port, protocol=3) as r:
        s = Search(r, "books")
        pipe = s.pipeline(transaction=False)
        assert pipe.index_name == "books" and pipe.client is r
        assert pipe.search("hi") is pipe and pipe.info() is pipe
        assert pipe.sugadd("ac", *_suggestions()) is pipe
        assert pipe.load_document("doc:1") is pipe
        assert "FT.SEARCH" not in r.response_callbacks
        server.script(
            {"total_results": 0, "results": []}, {"index_name": b"books"}, 1, 2, {}
        )
        assert await pipe.execute() == [[0], {b"index_name": b"books"}, 1, 2, {}]
        assert [c[0] for c in server.received] == [
            b"FT.SEARCH", b"FT.INFO", b"FT.SUGADD", b"FT.SUGADD", b"HGETALL"
        ]  # fmt: skip


def _suggestions() -> list[Any]:
    from aio.redis.commands.search.suggestion import Suggestion

    return [Suggestion("a"), Suggestion("b", 2.0, "p")]


async def test_ft_of_a_pipeline_queues_raw(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        pipe = r.pipeline(transaction=False)
        s = Search(pipe, "idx")
        assert s.search("hi") is pipe and s.aggregate(AggregateRequest()) is pipe
        server.script([0], [0])
        assert await pipe.execute() == [[0], [0]]


# -- bad input --------------------------------------------------------------------------


async def test_validation_as_redispy(clients: dict[str, Maker]) -> None:
    """Bad arguments raise what redis-py raises, before anything is sent."""
    calls: list[Callable[[Any, Any], Any]] = [
        lambda s, m: s.search(42),
        lambda s, m: s.explain(b"x"),
        lambda s, m: s.aggregate("*"),
        lambda s, m: s.profile("hi"),
        lambda s, m: s.search(m.query.Query("x").add_filter("year > 1")),
        lambda s, m: m.field.VectorField("v", "IVF", {}),
        lambda s, m: m.field.VectorField("v", "FLAT", {}, sortable=True),
        lambda s, m: m.field.TextField("t", no_index=True),
        lambda s, m: m.index_definition.IndexDefinition(prefix=None),
        lambda s, m: m.index_definition.IndexDefinition(index_type="HASH"),
        lambda s, m: m.reducers.count().alias(m.aggregation.FIELDNAME),
        lambda s, m: m.reducers.collect(fields=[" "]),
        lambda s, m: m.reducers.collect(sort_by=[]),
        lambda s, m: m.querystring.tags(),
    ]
    for call in calls:
        raised = {}
        for lib in ("aio", "redis-py"):
            try:
                result = call(ft(clients[lib]()), modules(lib))
                if inspect.isawaitable(result):
                    await result
            except Exception as exc:
                raised[lib] = type(exc).__name__
        assert raised["aio"] == raised["redis-py"], raised
        assert raised["aio"] in (
            "ValueError", "AttributeError", "DataError", "TypeError", "RuntimeError"
        )  # fmt: skip


MALFORMED = [
    ("search", lambda s: s.search("hi"), {2: [2, b"doc:1"], 3: [b"not", b"a map"]}),
    (
        "search-scores",
        lambda s: s.search(Query("hi").with_scores()),
        {2: [1, b"doc:1", b"not-a-float", []], 3: {"results": [{"score": b"x"}]}},
    ),
    ("aggregate", lambda s: s.aggregate(AggregateRequest()), {2: 7, 3: [1, 2]}),
    (
        "aggregate-cursor",
        lambda s: s.aggregate(AggregateRequest().cursor()),
        {2: [[1]], 3: 5},
    ),
    ("info", lambda s: s.info(), {2: 5, 3: 5}),
    ("profile", lambda s: s.profile(Query("x")), {2: [], 3: b"text"}),
    ("spellcheck", lambda s: s.spellcheck("x"), {2: [5], 3: {"results": [1]}}),
    ("config-get", lambda s: s.config_get("x"), {2: [b"a"], 3: [1]}),
    ("syndump", lambda s: s.syndump(), {2: [b"a"], 3: 5}),
    ("sugget", lambda s: s.sugget("k", "p", with_scores=True), {2: [b"a", b"x"], 3: [b"a"]}),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "call", "replies"), MALFORMED, ids=[m[0] for m in MALFORMED]
)
@pytest.mark.parametrize("wire", [2, 3])
async def test_malformed_reply_is_a_typed_error(
    server: ScriptedServer,
    name: str,
    call: Callable[[Any], Any],
    replies: dict[int, object],
    wire: int,
) -> None:
    async with Redis(port=server.port, protocol=wire) as r:
        s = Search(r)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            server.script(replies[wire])
            with pytest.raises(SearchReplyError) as caught:
                await call(s)
        assert caught.value.command.startswith("FT.")
        assert isinstance(caught.value, ValueError)
        # The connection is still usable: the next reply is the next command's.
        server.script(Simple("PONG"))
        assert await r.execute_command("PING") in (b"PONG", True)


async def test_server_error_is_response_error(server: ScriptedServer) -> None:
    from aio.proto.resp import ErrorReply
    from aio.redis import ResponseError

    async with Redis(port=server.port) as r:
        server.script(ErrorReply("Unknown Index name"))
        with pytest.raises(ResponseError, match="Unknown Index name"):
            await Search(r).search("hi")


async def test_ft_accessor(server: ScriptedServer) -> None:
    async with Redis(port=server.port, protocol=2) as r:
        s = r.ft()
        assert isinstance(s, Search)
        assert s.index_name == "idx" and s.client is r
        assert r.ft("books").index_name == "books"
        assert "FT.SEARCH" not in r.response_callbacks  # nothing registered
        pipe = r.pipeline()
        assert isinstance(pipe.ft("b"), Search) and pipe.ft().client is pipe


# -- the docs' example -------------------------------------------------------------


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.redis.scripted_search import doc_example

    # RediSearch's RESP3 replies to the example's commands (the default protocol).
    server.script(
        OK,
        3,
        3,
        {
            "total_results": 1,
            "results": [
                {
                    "id": b"book:1",
                    "extra_attributes": {"title": b"Dune", "year": b"1965"},
                }
            ],
        },
        {
            "total_results": 1,
            "results": [{"extra_attributes": {"genre": b"sf", "n": b"2"}}],
        },
        OK,
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = compile(doc_example("search"), "docs/redis_search.md", "exec")
    exec(code, {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "1 [('book:1', 'Dune', '1965')]",
        "[['genre', 'sf', 'n', '2']]",
    ]
    assert [c[0] for c in server.received] == [
        b"FT.CREATE", b"HSET", b"HSET", b"FT.SEARCH", b"FT.AGGREGATE", b"FT.DROPINDEX"
    ]  # fmt: skip
    assert server.received[0] == [
        b"FT.CREATE", b"books", b"ON", b"HASH", b"PREFIX", b"1", b"book:", b"SCORE",
        b"1.0", b"SCHEMA", b"title", b"TEXT", b"WEIGHT", b"2.0", b"year", b"NUMERIC",
        b"SORTABLE", b"genre", b"TAG", b"SEPARATOR", b",",
    ]  # fmt: skip


async def test_batch_indexer(server: ScriptedServer) -> None:
    from aio.redis.commands.search import BatchIndexer

    async with Redis(port=server.port, protocol=2) as r:
        indexer = r.ft("idx").batch_indexer(chunk_size=2)
        assert isinstance(indexer, BatchIndexer)
        assert isinstance(indexer, Search.BatchIndexer)
        server.script(OK, OK, OK)
        await indexer.add_document("d1", payload="p", title="a")
        assert server.received == []  # queued until the chunk is full
        await indexer.add_document_hash("h1", replace=True)
        assert server.received == [
            [b"FT.ADD", b"idx", b"d1", b"1.0", b"PAYLOAD", b"p", b"FIELDS", b"title", b"a"],
            [b"FT.ADDHASH", b"idx", b"h1", b"1.0", b"REPLACE"],
        ]  # fmt: skip
        await indexer.add_document("d2", nosave=True, x=1)
        await indexer.commit()
        assert (indexer.total, indexer.current_chunk) == (3, 0)
        assert server.received[-1] == [
            b"FT.ADD", b"idx", b"d2", b"1.0", b"NOSAVE", b"FIELDS", b"x", b"1"
        ]  # fmt: skip
