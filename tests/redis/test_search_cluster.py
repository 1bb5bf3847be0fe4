"""``RedisCluster.ft()`` against redis-py's cluster clients as the oracle.

The local cluster has no RediSearch, so two scripted nodes answer as a
two-shard cluster with the module: ``CLUSTER SLOTS`` and a ``COMMAND`` table
listing the autocomplete commands' key (the only search commands with one).
Both clients get the same script on both nodes; the same words must reach a
node and the same value come back. redis-py sends a keyless search command to
a random primary and aio to its default node (a primary too), so only the
keyed commands are compared by node.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import anyio
import pytest
import redis
import redis.asyncio as redispy

from aio.redis import RedisCluster
from aio.redis.cluster import key_slot
from aio.redis.commands.search import Search
from aio.redis.commands.search._cluster import ClusterSearch
from aio.redis.commands.search.aggregation import AggregateRequest, Cursor
from aio.redis.exceptions import RedisClusterException
from tests.redis import scripted_oracle as oracle
from tests.redis.scripted_cluster import (
    KEY_A,
    KEY_B,
    ScriptedClusterNode,
    ScriptedNodes,
    command_entry,
    script_both,
    scripted_cluster,
)
from tests.redis.scripted_search import CASES, Case, modules, shape
from tests.redis.scripted_server import ScriptedServer

#: ``COMMAND`` as a Redis 8 node lists the commands the tests send: the
#: autocomplete commands name their key first; FT.SEARCH & co. have none.
SEARCH_COMMANDS = [
    command_entry("ft.sugadd", -4, "write", 1, 1),
    command_entry("ft.sugget", -3, "readonly", 1, 1),
    command_entry("ft.sugdel", 3, "write", 1, 1),
    command_entry("ft.suglen", 2, "readonly", 1, 1),
    command_entry("hgetall", 2, "readonly", 1, 1),
    *(
        command_entry(f"ft.{name}", -2, "readonly", 0, 0)
        for name in (
            "search aggregate cursor info explain explaincli spellcheck dictadd "
            "dictdel dictdump tagvals aliasadd aliasupdate aliasdel aliaslist "
            "synupdate syndump create alter dropindex profile config hybrid add "
            "addhash del mget"
        ).split()
    ),
]


@pytest.fixture(scope="module")
def nodes() -> Iterator[tuple[ScriptedClusterNode, ScriptedClusterNode]]:
    with scripted_cluster(SEARCH_COMMANDS) as pair:
        yield pair


@pytest.fixture(params=[2, 3], ids=["resp2", "resp3"])
def wire(request: pytest.FixtureRequest) -> int:
    return int(request.param)


def sent(nodes: tuple[ScriptedServer, ...]) -> list[list[bytes]]:
    return [c for node in nodes for c in node.received]


@pytest.fixture
async def clusters(
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode], wire: int
) -> AsyncIterator[dict[str, Any]]:
    port = nodes[0].port
    protocol = 2 if wire == 2 else None
    ours = RedisCluster(host="127.0.0.1", port=port, protocol=protocol)
    theirs = redispy.RedisCluster(host="127.0.0.1", port=port, protocol=protocol)
    blocking = redis.RedisCluster(host="127.0.0.1", port=port, protocol=protocol)
    yield {"aio": ours, "redis-py": theirs, "blocking": blocking}
    await ours.aclose()
    await theirs.aclose()
    blocking.close()


# redis-py's cluster cannot run these: sugadd (its search pipeline needs the
# client's connection pool), the RESP2-era document commands (its cluster has no
# route for FT.ADD...), config (its static table has no FT.CONFIG: it asks
# COMMAND GETKEYS, refused here).
SKIPPED = {
    "sugadd", "sugadd-incr", "add-document", "add-document-nocreate",
    "add-document-hash", "delete-document", "get-deprecated", "config-set",
    "config-get", "config-get-none",
}  # fmt: skip
CLUSTER_CASES = [c for c in CASES if c.id not in SKIPPED]


async def outcome(
    nodes: tuple[ScriptedServer, ...],
    replies: tuple[object, ...],
    fn: Callable[[], Any],
) -> Any:
    """:func:`oracle.outcome` on both nodes: (the words they got, the result's
    :func:`shape` or the error's class name and message, warning classes)."""
    _, shown, categories = await oracle.outcome(
        ScriptedNodes(nodes), replies, fn, show=shape, show_error=raised_with_message
    )
    return sent(nodes), shown, categories


def raised_with_message(exc: Exception) -> str:
    return f"raised {type(exc).__name__}: {exc}"


@pytest.mark.parametrize("case", CLUSTER_CASES, ids=[c.id for c in CLUSTER_CASES])
async def test_cluster_command_and_reply_as_redispy(
    case: Case,
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    wire: int,
) -> None:
    results = {}
    for lib in ("aio", "redis-py"):
        oracle = lib == "redis-py" and case.sync_oracle
        client = clusters["blocking" if oracle else lib]
        call = functools.partial(
            case.call, client.ft(), modules("aio" if lib == "aio" else "redis-py")
        )
        if oracle:
            in_thread = functools.partial(anyio.to_thread.run_sync, call)
            results[lib] = await outcome(nodes, case.replies(wire), in_thread)
        else:
            results[lib] = await outcome(nodes, case.replies(wire), call)
    assert results["aio"] == results["redis-py"]
    words, shown, _ = results["aio"]
    if case.id == "aggregate-cursor-read":
        # A fresh client has no FT.AGGREGATE node to read a cursor on.
        assert shown == (
            "raised RedisClusterException: "
            "Cannot execute FT.CURSOR commands without FT.AGGREGATE"
        )
        return
    assert words and not (isinstance(shown, str) and shown.startswith("raised")), shown


@pytest.mark.parametrize(
    ("key", "owner"), [(KEY_A, 0), (KEY_B, 1)], ids=["node-a", "node-b"]
)
async def test_autocomplete_goes_to_its_keys_node(
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    key: str,
    owner: int,
) -> None:
    assert (key_slot(key.encode()) <= 8191) == (owner == 0)
    for lib in ("aio", "redis-py"):
        s = clusters[lib].ft()
        calls: list[tuple[Callable[[], Any], object]] = [
            (functools.partial(s.suglen, key), 3),
            (functools.partial(s.sugget, key, "he"), [b"hello"]),
            (functools.partial(s.sugdel, key, "he"), 1),
        ]
        for call, reply in calls:
            script_both(nodes, reply)
            await call()
            assert nodes[owner].received and not nodes[1 - owner].received, lib


async def test_cursor_reads_on_the_aggregates_node(
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode], wire: int
) -> None:
    async with RedisCluster(host="127.0.0.1", port=nodes[0].port) as rc:
        s = rc.ft("books")
        assert isinstance(s, ClusterSearch)
        assert s.index_name == "books"
        with pytest.raises(RedisClusterException, match="without FT.AGGREGATE"):
            await s.aggregate(Cursor(7))
        agg = {"total_results": 1, "results": [{"extra_attributes": {"n": b"1"}}]}
        script_both(nodes, [agg, 42])
        result = await s.aggregate(AggregateRequest("*").cursor(count=1))
        first = [i for i, n in enumerate(nodes) if n.received]
        assert len(first) == 1 and result.cursor is not None
        script_both(nodes, [agg, 0])
        # Another ft() object of the same client: the cursor's node is kept.
        await rc.ft("books").aggregate(result.cursor)
        assert nodes[first[0]].received == [[b"FT.CURSOR", b"READ", b"books", b"42"]]
        assert not nodes[1 - first[0]].received
        with pytest.raises(RedisClusterException, match="not supported"):
            s.pipeline()


async def test_cluster_pipeline_ft_queues(
    nodes: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    async with RedisCluster(host="127.0.0.1", port=nodes[0].port, protocol=2) as rc:
        pipe = rc.pipeline()
        s = pipe.ft()
        assert isinstance(s, Search)
        assert s.client is pipe and s.suglen(KEY_B) is pipe
        script_both(nodes, 5)
        assert await pipe.execute() == [5]
        assert nodes[1].received == [[b"FT.SUGLEN", KEY_B.encode()]]
