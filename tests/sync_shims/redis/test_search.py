"""The blocking ``r.ft()`` against sync redis-py as the oracle.

Both talk to the scripted server of :mod:`tests.redis.scripted_search` (no
RediSearch here), get the same replies, and must send the same words and return
the same values, on RESP2 and RESP3, bytes and decoded; pipelines too; bad input
raises in the calling thread, as redis-py's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest

import sync_shims.redis as shim
from aio.redis.commands.search import SearchReplyError
from sync_shims.redis.commands.search import BatchIndexer, Pipeline, Search
from sync_shims.redis.commands.search.query import Query
from tests.redis.scripted_search import CASES, Case, modules, shape
from tests.redis.scripted_server import OK, ScriptedServer
from tests.sync_shims.redis import scripted_oracle as oracle

# The scripted oracle's fixtures, used here by name.
server, wire, decode, clients = oracle.FIXTURES


def ft(client: Any, index: str = "idx") -> Any:
    """The search object of ``client`` (either library)."""
    return client.ft(index)


def outcome(
    server: ScriptedServer, replies: tuple[object, ...], fn: Callable[[], Any]
) -> tuple[list[list[bytes]], Any, list[str]]:
    """(sent commands, the result's shape or error class name, warning classes)."""
    return oracle.outcome(server, replies, fn, show=shape)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_command_and_reply_as_redispy(
    case: Case,
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
) -> None:
    results = {}
    for lib, make in clients.items():
        m = modules("redis-py" if lib == "redis-py" else "sync_shims")
        call = functools.partial(case.call, ft(make()), m)
        results[lib] = outcome(server, case.replies(wire), call)
        assert server.unused == 0, f"{lib} sent too few commands"
    assert results["sync_shims"] == results["redis-py"]
    sent, shown, _ = results["sync_shims"]
    assert sent and not (isinstance(shown, str) and shown.startswith("raised")), shown


def test_search_object(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2, decode_responses=True) as r:
        s = Search(r, "books")
        assert s.index_name == "books" and s.client is r
        assert s.execute_command == r.execute_command
        server.script([1, b"doc:1", [b"title", b"hi"]])
        result = s.search(Query("hi"))
        assert result.total == 1 and result.docs[0].title == "hi"
        # Validation and deprecation warnings raise in the calling thread.
        with pytest.raises(ValueError, match="Bad query type"):
            s.search(42)  # type: ignore[arg-type]
        server.script(OK)
        with pytest.warns(DeprecationWarning, match="config_set"):
            assert s.config_set("TIMEOUT", 1) is True
        server.script([b"a"])
        with pytest.raises(SearchReplyError):
            s.syndump()


@pytest.mark.parametrize("transaction", [False, True])
def test_search_pipeline_as_redispy(
    server: ScriptedServer,
    clients: dict[str, Callable[..., Any]],
    wire: int,
    decode: bool,
    transaction: bool,
) -> None:
    replies: dict[int, tuple[object, ...]] = {
        2: ([1, b"doc:1", [b"t", b"x"]], [b"al"], OK),
        3: (
            {"total_results": 1, "results": [{"id": b"doc:1", "extra_attributes": {"t": b"x"}}]},
            {b"al"},
            OK,
        ),
    }  # fmt: skip
    results = {}
    for lib, make in clients.items():
        m = modules("redis-py" if lib == "redis-py" else "sync_shims")
        pipe = ft(make()).pipeline(transaction=transaction)
        assert pipe.search(m.query.Query("hi")) is pipe
        pipe.aliaslist().create_index([m.field.TextField("t")])
        server.script(*replies[wire])
        results[lib] = (shape(pipe.execute()), server.received)
    # FT.SEARCH's NEVER_DECODE keeps its values bytes with decode_responses,
    # but not in a transaction (where both libraries decode every reply).
    assert results["sync_shims"] == results["redis-py"]
    assert isinstance(ft(clients["sync_shims"]()).pipeline(), Pipeline)


def test_ft_of_a_pipeline_queues(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        pipe = r.pipeline(transaction=False)
        s = Search(pipe)
        assert s.search("hi") is pipe and s.tagvals("t") is pipe
        server.script([0], [b"a"])
        assert pipe.execute() == [[0], [b"a"]]


def test_batch_indexer(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        indexer = Search(r, "idx").batch_indexer(chunk_size=2)
        assert isinstance(indexer, BatchIndexer)
        server.script(OK, OK, OK)
        indexer.add_document("d1", title="a")
        indexer.add_document_hash("h1")
        assert server.received == [
            [b"FT.ADD", b"idx", b"d1", b"1.0", b"FIELDS", b"title", b"a"],
            [b"FT.ADDHASH", b"idx", b"h1", b"1.0"],
        ]
        indexer.add_document("d2", replace=True, x=1)
        indexer.commit()
        assert indexer.total == 3 and indexer.current_chunk == 0
        assert server.received[-1] == [
            b"FT.ADD", b"idx", b"d2", b"1.0", b"REPLACE", b"FIELDS", b"x", b"1"
        ]  # fmt: skip


def test_ft_accessor(server: ScriptedServer) -> None:
    with shim.Redis(port=server.port, protocol=2) as r:
        s = r.ft("books")
        assert isinstance(s, Search)
        assert s.index_name == "books" and s.client is r
        assert r.ft().index_name == "idx"
        pipe = r.pipeline()
        assert pipe.ft().client is pipe


def test_docs_example_runs_as_documented(
    server: ScriptedServer,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.redis.scripted_search import doc_example

    server.script(
        1,
        2,
        [b"hello", b"0.9", b"help", b"0.5"],
        {"total_results": 0, "results": []},
        set(),
    )
    monkeypatch.setenv("AIO_REDIS_URL", f"redis://127.0.0.1:{server.port}/0")
    code = compile(doc_example("search-blocking"), "docs/redis_search.md", "exec")
    exec(code, {"__name__": "doc"})
    assert capsys.readouterr().out.splitlines() == [
        "2",
        "['hello', 'help']",
        "[[0], []]",
    ]
    assert [c[0] for c in server.received] == [
        b"FT.SUGADD", b"FT.SUGADD", b"FT.SUGGET", b"FT.SEARCH", b"FT.TAGVALS"
    ]  # fmt: skip
