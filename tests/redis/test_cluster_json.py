"""``RedisCluster.json()`` against redis-py's ``redis.asyncio.RedisCluster``.

The local cluster has no RedisJSON, so two scripted nodes
(:class:`ScriptedClusterNode`) answer as a two-shard cluster with the module:
``CLUSTER SLOTS``, and a ``COMMAND`` table with RedisJSON's key positions, which
is how both clients route a module command by its key. Every JSON call of
:mod:`tests.redis.scripted_json` runs on both clients; the same node must get
the same words, and the same value come back, on RESP2 and RESP3. Then what
redis-py's asyncio cluster cannot do: ``rc.json().pipeline()``.
"""

from __future__ import annotations

import contextlib
import inspect
import warnings
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.proto.resp import ErrorReply
from aio.redis import RedisCluster
from aio.redis.cluster import key_slot
from aio.redis.commands.json import JSON
from aio.redis.commands.json._cluster import ClusterJSON, JSONClusterPipeline
from aio.redis.exceptions import RedisClusterException
from tests.redis.scripted_json import CASES, OK, Case, ScriptedServer, Simple

# Node A serves slots 0-8191, node B the rest.
KEY_A = "k{b}"  # slot 3300
KEY_B = "k{a}"  # slot 15495


def _entry(
    name: str, arity: int, flag: str, first: int, last: int, step: int
) -> list[Any]:
    return [name.encode(), arity, [flag.encode()], first, last, step, [], [], [], []]


#: ``COMMAND`` as a Redis 8 node with RedisJSON and vector sets lists their
#: commands (the entries routing reads: arity, flags, first/last key, step),
#: and the core commands the tests use beside them.
MODULE_COMMANDS = [
    _entry("json.set", -4, "write", 1, 1, 1),
    _entry("json.get", -2, "readonly", 1, 1, 1),
    _entry("json.mget", -3, "readonly", 1, -2, 1),
    _entry("json.mset", -4, "write", 1, -1, 3),
    _entry("json.merge", 4, "write", 1, 1, 1),
    _entry("json.debug", -2, "readonly", 2, 2, 1),
    *(
        _entry(f"json.{name}", -2, "write", 1, 1, 1)
        for name in (
            "del forget clear arrappend arrindex arrinsert arrlen arrpop arrtrim "
            "type resp objkeys objlen numincrby nummultby toggle strappend strlen"
        ).split()
    ),
    _entry("exists", -2, "readonly", 1, -1, 1),
    _entry("del", -2, "write", 1, -1, 1),
    *(
        _entry(name.lower(), -2, "write", 1, 1, 1)
        for name in (
            "VADD VSIM VREM VDIM VCARD VEMB VLINKS VINFO VSETATTR VGETATTR "
            "VRANDMEMBER VRANGE"
        ).split()
    ),
]


class ScriptedClusterNode(ScriptedServer):
    """One node of a scripted two-shard cluster: answers ``CLUSTER SLOTS``,
    ``COMMAND`` (:data:`MODULE_COMMANDS`) and ``READONLY`` itself, everything
    else from its script (as :class:`ScriptedServer`)."""

    def __init__(self, layout: list[tuple[int, int, int]]) -> None:
        self.layout = layout  # (first slot, last slot, port), filled in later
        super().__init__()

    def _next(self, command: list[bytes]) -> object:
        name = [bytes(w).upper() for w in command[:2]]
        if name == [b"CLUSTER", b"SLOTS"]:
            return [
                [first, last, [b"127.0.0.1", port, b"node%d" % port]]
                for first, last, port in self.layout
            ]
        if name[0] == b"COMMAND" and len(command) == 1:
            return MODULE_COMMANDS
        if name == [b"COMMAND", b"GETKEYS"]:
            # Only the table's commands are used: a test that strays fails here.
            return ErrorReply("ERR Invalid command specified")
        if name[0] == b"READONLY":
            return OK
        return super()._next(command)


@contextlib.contextmanager
def scripted_cluster() -> Iterator[tuple[ScriptedClusterNode, ScriptedClusterNode]]:
    """Nodes A (slots 0-8191) and B (8192-16383), on threads."""
    layout: list[tuple[int, int, int]] = []
    a, b = ScriptedClusterNode(layout), ScriptedClusterNode(layout)
    layout += [(0, 8191, a.port), (8192, 16383, b.port)]
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def script_both(nodes: tuple[ScriptedServer, ...], *replies: object) -> None:
    """Give every node the same script (whichever gets the command answers)."""
    for node in nodes:
        node.script(*replies)


def received_by(nodes: tuple[ScriptedServer, ...]) -> list[tuple[int, list[bytes]]]:
    """(node index, command) for what each node got since its script, minus
    the clients' own setup (COMMAND, CLUSTER SLOTS: answered, not scripted)."""
    return [(i, c) for i, node in enumerate(nodes) for c in node.received]


@pytest.fixture(scope="module")
def cluster() -> Iterator[tuple[ScriptedClusterNode, ScriptedClusterNode]]:
    with scripted_cluster() as nodes:
        yield nodes


PROTOCOLS = {"resp2": (2, 2, 2), "resp3": (None, None, 3)}


@pytest.fixture(params=sorted(PROTOCOLS))
def protocol(request: pytest.FixtureRequest) -> tuple[int | None, int | None, int]:
    return PROTOCOLS[request.param]


@pytest.fixture
async def clusters(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    protocol: tuple[int | None, int | None, int],
) -> AsyncIterator[dict[str, Any]]:
    """Ours and redis.asyncio's cluster client on the scripted cluster."""
    port = cluster[0].port
    ours = RedisCluster(host="127.0.0.1", port=port, protocol=protocol[0])
    theirs = redispy.RedisCluster(host="127.0.0.1", port=port, protocol=protocol[1])
    _ = await ours.initialize()
    _ = await theirs.initialize()
    try:
        yield {"aio": ours, "redis-py": theirs}
    finally:
        await ours.aclose()
        await theirs.aclose()


async def outcome(
    nodes: tuple[ScriptedServer, ...], reply: object, fn: Callable[..., Any], *args: Any
) -> tuple[list[tuple[int, list[bytes]]], str]:
    """(node index and words of what was sent, repr of the result or the
    error's class name)."""
    script_both(nodes, reply)
    with warnings.catch_warnings(record=True):  # the deprecated aliases warn
        warnings.simplefilter("always")
        try:
            result = fn(*args)
            if inspect.isawaitable(result):
                result = await result
            shown = repr(result)
        except Exception as exc:  # compared by class name across the libraries
            shown = f"raised {type(exc).__name__}"
    return received_by(nodes), shown


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
async def test_json_routed_and_converted_as_redispy(
    case: Case,
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    results = {
        lib: await outcome(cluster, case.reply(protocol[2]), case.call, rc.json())
        for lib, rc in clusters.items()
    }
    if case.id == "debug-help":
        # JSON.DEBUG HELP has no key where the table puts one: aio refuses it
        # unsent ("Missing key"), redis-py fails on it with an IndexError.
        assert results["redis-py"] == ([], "raised IndexError")
        assert results["aio"] == ([], "raised RedisClusterException")
        return
    assert results["aio"] == results["redis-py"]
    sent, shown = results["aio"]
    if shown == "raised RedisClusterException":
        # Keys in several slots (JSON.MGET of d1, d2, none): refused unsent.
        assert sent == []
        return
    assert not shown.startswith("raised"), shown
    assert len(sent) == 1 and sent[0][1][0].startswith(b"JSON.")


@pytest.mark.parametrize(
    ("key", "node"), [(KEY_A, 0), (KEY_B, 1)], ids=["node-a", "node-b"]
)
async def test_each_command_goes_to_its_keys_node(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode], key: str, node: int
) -> None:
    assert (key_slot(key.encode()) < 8192) == (node == 0)
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        j = rc.json()
        assert isinstance(j, ClusterJSON)
        assert issubclass(ClusterJSON, JSON)
        calls: list[tuple[object, Callable[[], Any]]] = [
            (OK, lambda: j.set(key, "$", {"a": 1})),
            (b'[{"a":1}]', lambda: j.get(key, "$")),
            (1, lambda: j.delete(key, "$.a")),
            ([2], lambda: j.arrappend(key, "$.l", 1)),
            ([b"[1]"], lambda: j.mget([key, f"{key}:2{{{key[2]}}}"], "$")),
            (OK, lambda: j.mset([(key, "$", 1), (f"x{{{key[2]}}}", "$", 2)])),
            (72, lambda: j.debug("MEMORY", key)),
        ]
        for reply, call in calls:
            script_both(cluster, reply)
            await call()
            [(got, words)] = received_by(cluster)
            assert got == node, words


async def test_cross_slot_mget_is_refused_unsent(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        script_both(cluster)
        with pytest.raises(RedisClusterException, match="same key slot"):
            await rc.json().mget([KEY_A, KEY_B], "$")
        assert received_by(cluster) == []


async def test_pipeline_json_as_redispy(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
    clusters: dict[str, Any],
    protocol: tuple[int | None, int | None, int],
) -> None:
    """``pipe.json()`` on a cluster pipeline: queued, sent per node."""
    numincr = b"3" if protocol[2] == 2 else [3]
    results = {}
    for lib, rc in clusters.items():
        pipe = rc.pipeline()
        j = pipe.json()
        assert j.set(KEY_A, "$", {"n": 1}) is pipe
        j.numincrby(KEY_A, ".n", 2)
        j.get(KEY_B, "$")
        pipe.exists(KEY_B)
        # Node A answers the first two, node B the last two.
        cluster[0].script(OK, numincr)
        cluster[1].script(b'[{"n":1}]', 1)
        results[lib] = (await pipe.execute(), received_by(cluster))
    assert results["aio"] == results["redis-py"]
    values, sent = results["aio"]
    assert values == [True, 3, [{"n": 1}], 1]
    assert [(i, c[0]) for i, c in sent] == [
        (0, b"JSON.SET"),
        (0, b"JSON.NUMINCRBY"),
        (1, b"JSON.GET"),
        (1, b"EXISTS"),
    ]


async def test_json_object_pipeline_on_a_cluster(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    """``rc.json().pipeline()``: a cluster pipeline whose set/get/delete are the
    JSON commands, as redis-py's blocking cluster gives (redis.asyncio's fails:
    it builds a standalone pipeline on the cluster's missing pool)."""
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port) as rc:
        made = rc.json().pipeline()
        assert isinstance(made, JSONClusterPipeline)
        assert not made.is_transaction
        pipe: Any = made
        pipe.set(KEY_A, "$", {"n": 7})
        pipe.get(KEY_B)
        pipe.delete(KEY_A, "$.n")
        pipe.type(KEY_B)
        cluster[0].script(OK, 1)
        cluster[1].script(b'{"n":7}', Simple("object"))
        assert await pipe.execute() == [True, {"n": 7}, 1, b"object"]
        assert [(i, c[0]) for i, c in received_by(cluster)] == [
            (0, b"JSON.SET"),
            (0, b"JSON.DEL"),
            (1, b"JSON.GET"),
            (1, b"JSON.TYPE"),
        ]
        # From a pipeline's json() too: a pipeline of the same cluster client.
        assert rc.pipeline().json().pipeline().cluster_client is rc
    theirs: Any = redispy.RedisCluster(host="127.0.0.1", port=cluster[0].port)
    _ = await theirs.initialize()
    with pytest.raises(AttributeError):
        theirs.json().pipeline()
    await theirs.aclose()


async def test_callbacks_registered_on_the_cluster_client(
    cluster: tuple[ScriptedClusterNode, ScriptedClusterNode],
) -> None:
    async with RedisCluster(host="127.0.0.1", port=cluster[0].port, protocol=2) as rc:
        assert "JSON.GET" not in rc.response_callbacks
        j = rc.json()
        assert rc.response_callbacks["JSON.GET"] is j._MODULE_CALLBACKS["JSON.GET"]
        # The pipeline's json() registers them on its client too.
        pipe = rc.pipeline()
        assert pipe.get_connection_kwargs() is rc.get_connection_kwargs()
        pj = pipe.json()
        assert rc.response_callbacks["JSON.GET"] is pj._MODULE_CALLBACKS["JSON.GET"]
