"""A scripted two-shard cluster, for cluster tests of module commands.

The local cluster has no modules, so two :class:`ScriptedClusterNode` answer as
a cluster that has them: node A serves slots 0-8191, node B the rest. Each
answers ``CLUSTER SLOTS``, ``READONLY`` and ``COMMAND`` itself, the last with
the command table it was given (the entries routing reads: arity, flags,
first/last key, step), which is how redis-py routes a module command by its
key; everything else comes from its script, as :class:`ScriptedServer`'s. A
test gives both nodes the same script (:func:`script_both`): whichever node a
client picks answers, and :func:`received_by` tells which one it was.

The fixtures are used by name, as :mod:`tests.redis.scripted_oracle`'s: a test
module binds them as its own attributes
(``cluster, protocol, clusters = scripted.FIXTURES``).

- ``cluster``: the two nodes with :data:`MODULE_COMMANDS`, per test module.
- ``protocol``: (aio's, redis-py's, the wire's) over :data:`CLUSTER_PROTOCOLS`.
- ``clusters``: :func:`cluster_clients` on ``cluster``.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.proto.resp import ErrorReply
from aio.redis import RedisCluster
from tests.redis.scripted_oracle import ProtocolTriple, protocol_fixture
from tests.redis.scripted_server import OK, ScriptedServer

__all__ = (
    "FIXTURES",
    "CLUSTER_PROTOCOLS",
    "KEY_A",
    "KEY_B",
    "MODULE_COMMANDS",
    "ScriptedClusterNode",
    "ScriptedNodes",
    "cluster",
    "cluster_clients",
    "clusters",
    "command_entry",
    "protocol",
    "received_by",
    "script_both",
    "scripted_cluster",
)

KEY_A = "k{b}"  # slot 3300: node A
KEY_B = "k{a}"  # slot 15495: node B

Nodes = tuple["ScriptedClusterNode", "ScriptedClusterNode"]

#: (protocol given to aio, to redis-py, wire protocol), as
#: :data:`tests.redis.scripted_oracle.PROTOCOLS` without the pinned RESP3.
CLUSTER_PROTOCOLS: dict[str, ProtocolTriple] = {
    "resp2": (2, 2, 2),
    "resp3": (None, None, 3),
}


def command_entry(
    name: str, arity: int, flag: str, first: int, last: int, step: int = 1
) -> list[Any]:
    """One ``COMMAND`` entry, as a Redis 7+ node sends it (no tips, key specs or
    subcommands: routing does not read them)."""
    return [name.encode(), arity, [flag.encode()], first, last, step, [], [], [], []]


#: ``COMMAND`` as a Redis 8 node with RedisJSON and vector sets lists their
#: commands, and the core commands the tests use beside them.
MODULE_COMMANDS = [
    command_entry("json.set", -4, "write", 1, 1),
    command_entry("json.get", -2, "readonly", 1, 1),
    command_entry("json.mget", -3, "readonly", 1, -2),
    command_entry("json.mset", -4, "write", 1, -1, 3),
    command_entry("json.merge", 4, "write", 1, 1),
    command_entry("json.debug", -2, "readonly", 2, 2),
    *(
        command_entry(f"json.{name}", -2, "write", 1, 1)
        for name in (
            "del forget clear arrappend arrindex arrinsert arrlen arrpop arrtrim "
            "type resp objkeys objlen numincrby nummultby toggle strappend strlen"
        ).split()
    ),
    command_entry("exists", -2, "readonly", 1, -1),
    command_entry("del", -2, "write", 1, -1),
    *(
        command_entry(name.lower(), -2, "write", 1, 1)
        for name in (
            "VADD VSIM VREM VDIM VCARD VEMB VLINKS VINFO VSETATTR VGETATTR "
            "VRANDMEMBER VRANGE"
        ).split()
    ),
]


class ScriptedClusterNode(ScriptedServer):
    """One node of a scripted two-shard cluster: answers ``CLUSTER SLOTS``,
    ``COMMAND`` (its ``commands``) and ``READONLY`` itself, everything else
    from its script (as :class:`ScriptedServer`).

    :param layout: (first slot, last slot, port) of every node, filled in once
        all nodes listen.
    :param commands: what ``COMMAND`` answers.
    """

    def __init__(
        self, layout: list[tuple[int, int, int]], commands: Sequence[object]
    ) -> None:
        self.layout = layout
        self.commands = list(commands)
        super().__init__()

    def _next(self, command: list[bytes]) -> object:
        name = [bytes(w).upper() for w in command[:2]]
        if name == [b"CLUSTER", b"SLOTS"]:
            return [
                [first, last, [b"127.0.0.1", port, b"node%d" % port]]
                for first, last, port in self.layout
            ]
        if name[0] == b"COMMAND" and len(command) == 1:
            return self.commands
        if name == [b"COMMAND", b"GETKEYS"]:
            # Only the table's commands are used: a test that strays fails here.
            return ErrorReply("ERR Invalid command specified")
        if name[0] == b"READONLY":
            return OK
        return super()._next(command)


@contextlib.contextmanager
def scripted_cluster(
    commands: Sequence[object] = MODULE_COMMANDS,
) -> Iterator[Nodes]:
    """Nodes A (slots 0-8191) and B (8192-16383), on threads, whose ``COMMAND``
    answers ``commands``."""
    layout: list[tuple[int, int, int]] = []
    a, b = ScriptedClusterNode(layout, commands), ScriptedClusterNode(layout, commands)
    layout += [(0, 8191, a.port), (8192, 16383, b.port)]
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def script_both(nodes: Sequence[ScriptedServer], *replies: object) -> None:
    """Give every node the same script (whichever gets the command answers)."""
    for node in nodes:
        node.script(*replies)


def received_by(nodes: Sequence[ScriptedServer]) -> list[tuple[int, list[bytes]]]:
    """(node index, command) for what each node got since its script, minus
    the clients' own setup (COMMAND, CLUSTER SLOTS: answered, not scripted)."""
    return [(i, c) for i, node in enumerate(nodes) for c in node.received]


class ScriptedNodes:
    """The nodes as one scripted server for :func:`tests.redis.scripted_oracle.outcome`:
    ``script`` scripts every node, ``received`` is :func:`received_by`."""

    def __init__(self, nodes: Sequence[ScriptedServer]) -> None:
        self.nodes = nodes

    def script(self, *replies: object) -> None:
        script_both(self.nodes, *replies)

    @property
    def received(self) -> list[tuple[int, list[bytes]]]:
        return received_by(self.nodes)


@contextlib.asynccontextmanager
async def cluster_clients(
    nodes: Sequence[ScriptedServer], protocol: ProtocolTriple
) -> AsyncIterator[dict[str, Any]]:
    """``{"aio": ..., "redis-py": ...}``: ours and redis.asyncio's cluster
    client on the scripted cluster, initialized, with the protocol each is given
    in ``protocol`` (aio's, redis-py's, the wire's)."""
    port = nodes[0].port
    ours = RedisCluster(host="127.0.0.1", port=port, protocol=protocol[0])
    theirs = redispy.RedisCluster(host="127.0.0.1", port=port, protocol=protocol[1])
    _ = await ours.initialize()
    _ = await theirs.initialize()
    try:
        yield {"aio": ours, "redis-py": theirs}
    finally:
        await ours.aclose()
        await theirs.aclose()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Nodes]:
    with scripted_cluster() as nodes:
        yield nodes


protocol = protocol_fixture(CLUSTER_PROTOCOLS)


@pytest.fixture
async def clusters(
    cluster: Nodes, protocol: ProtocolTriple
) -> AsyncIterator[dict[str, Any]]:
    """Ours and redis.asyncio's cluster client on the scripted cluster."""
    async with cluster_clients(cluster, protocol) as made:
        yield made


#: The fixtures, for a test module to bind by their names.
FIXTURES = (cluster, protocol, clusters)
