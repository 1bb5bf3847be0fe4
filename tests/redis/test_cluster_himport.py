"""HIMPORT (Redis 8.9) on ``aio.redis.RedisCluster``, against redis-py 8.1's
``redis.asyncio.RedisCluster``: one fieldset registry for every node, prepared
lazily by the connection that runs an ``HIMPORT SET``.

The local cluster is Redis 7.0 (no HIMPORT), so scripted RESP2 nodes answer as a
Redis 8.9 cluster would (``CLUSTER SLOTS``, the HIMPORT family, ``ASK`` for a
slot being migrated) and record the words each client sends; both clients run
the same scenario and must send the same words.
"""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.proto.resp import NEED_DATA, RESPParser
from aio.redis import DataError, RedisCluster
from aio.redis.cluster import key_slot
from aio.redis.exceptions import NoSuchFieldsetError
from aio.redis.himport import HImportRegistry
from tests.redis.test_cluster import doc_example
from tests.redis.test_setinfo_himport import Script, Words

# Node A serves slots 0-8191, node B the rest.
KEY_A = "k{b}"  # slot 3300
KEY_B = "k{a}"  # slot 15495


def _resp(value: Any) -> bytes:
    if isinstance(value, int):
        return b":%d\r\n" % value
    if isinstance(value, bytes):
        return b"$%d\r\n%s\r\n" % (len(value), value)
    return b"*%d\r\n" % len(value) + b"".join(_resp(v) for v in value)


# COMMAND's entry for HIMPORT (Redis 8.9): a container whose SET has its key at 2.
COMMAND_TABLE = _resp(
    [
        [
            b"himport",
            -2,
            [],
            0,
            0,
            0,
            [],
            [],
            [],
            [[b"himport|set", -4, [b"write"], 2, 2, 1, [], [], [], []]],
        ]
    ]
)


class Node:
    """One scripted node of a two-node Redis 8.9 cluster: HIMPORT as
    :class:`Script`; ``asks`` slots answer HIMPORT SET with ASK to ``target``
    (migrating), and the target runs it only right after ASKING."""

    def __init__(self, cluster: list[tuple[int, int, int]]) -> None:
        self.cluster = cluster  # (first slot, last slot, port)
        self.script = Script()
        self.asks: set[int] = set()
        self.importing: set[int] = set()
        self.target = 0

    def answer(self, words: list[bytes], prepared: set[bytes], asking: bool) -> bytes:
        name = [w.upper() for w in words[:2]]
        if name == [b"CLUSTER", b"SLOTS"]:
            return _resp(
                [
                    [a, b, [b"127.0.0.1", port, b"id%d" % port]]
                    for a, b, port in self.cluster
                ]
            )
        if name == [b"COMMAND", b"GETKEYS"]:
            # The one-key commands of these scenarios (WATCH k, HIMPORT SET k).
            return _resp([words[4] if words[2].upper() == b"HIMPORT" else words[3]])
        if name[0] == b"COMMAND":
            return COMMAND_TABLE
        if name == [b"HIMPORT", b"SET"]:
            slot = key_slot(words[2])
            if slot in self.asks:
                return b"-ASK %d 127.0.0.1:%d\r\n" % (slot, self.target)
            if slot in self.importing and not asking:
                return b"-MOVED %d 127.0.0.1:%d\r\n" % (slot, self.target)
        return self.script.answer(words, prepared)

    async def handler(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        seen: Words = []
        self.script.connections.append(seen)
        prepared: set[bytes] = set()
        parser = RESPParser()
        asking = False
        queued: list[bytes] | None = None  # replies owed at EXEC, inside MULTI
        while True:
            words = parser.gets()
            if words is NEED_DATA:
                data = await reader.read(65536)
                if not data:
                    return
                parser.feed(data)
                continue
            assert isinstance(words, list)
            seen.append(words)
            verb = words[0].upper()
            if verb == b"ASKING":
                asking = True
                writer.write(b"+OK\r\n")
                continue
            if queued is not None and verb != b"EXEC":
                queued.append(self.answer(words, prepared, asking))
                writer.write(b"+QUEUED\r\n")
            elif verb == b"MULTI":
                queued = []
                writer.write(b"+OK\r\n")
            elif verb == b"EXEC":
                replies, queued = queued or [], None
                writer.write(b"*%d\r\n" % len(replies) + b"".join(replies))
            else:
                writer.write(self.answer(words, prepared, asking))
            asking = False
            await writer.drain()


async def start_cluster(fake_server: Any) -> tuple[Node, Node]:
    layout: list[tuple[int, int, int]] = []
    a, b = Node(layout), Node(layout)
    port_a = await fake_server(a.handler)
    port_b = await fake_server(b.handler)
    layout += [(0, 8191, port_a), (8192, 16383, port_b)]
    a.target, b.target = port_b, port_a
    return a, b


def himport_words(node: Node) -> Words:
    """The HIMPORT, ASKING, MULTI and EXEC words the node received, connection
    after connection (not the discovery; the clients' connection counts differ)."""
    return [
        w
        for conn in node.script.connections
        for w in conn
        if w[0].upper() in (b"HIMPORT", b"ASKING", b"MULTI", b"EXEC")
    ]


async def run_both(
    fake_server: Any, scenario: Callable[[Any, Node, Node], Awaitable[Any]]
) -> list[tuple[list[Words], Any]]:
    """``scenario(client, a, b)`` on aio.redis and on redis.asyncio, each on its
    own scripted cluster: ``[([words of a, words of b], result)]``, ours first."""
    out = []
    for make in (RedisCluster, redispy.RedisCluster):
        a, b = await start_cluster(fake_server)
        client = make(
            host="127.0.0.1", port=a.cluster[0][2], protocol=2, socket_timeout=2
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # redis-py: experimental
            try:
                result = await scenario(client, a, b)
            finally:
                await client.aclose()
        out.append(([himport_words(a), himport_words(b)], result))
    return out


def _set(key: str, name: str, *values: bytes) -> list[bytes]:
    return [b"HIMPORT", b"SET", key.encode(), name.encode(), *values]


PREPARE_FS = [b"HIMPORT", b"PREPARE", b"fs", b"f1", b"f2"]


async def test_one_registry_prepared_lazily_on_each_node(fake_server: Any) -> None:
    async def scenario(rc: Any, a: Node, b: Node) -> Any:
        results = [
            await rc.himport_prepare("fs", ["f1", "f2"]),
            await rc.himport_set(KEY_A, "fs", [1, 2]),
            await rc.himport_set(KEY_B, "fs", [3, 4]),
            # Prepared once per connection: the second SET sends no PREPARE.
            await rc.himport_set(KEY_A, "fs", [5, 6]),
            # Re-declared: prepared again where used; discarded: DISCARD owed
            # on each node, sent before its next SET.
            await rc.himport_prepare("fs", ["f1", "f3"]),
            await rc.himport_set(KEY_B, "fs", [7, 8]),
            await rc.himport_prepare("other", ["x"]),
            await rc.himport_discard("fs"),
            await rc.himport_discard("fs"),
            await rc.himport_set(KEY_A, "other", [9]),
            await rc.himport_set(KEY_B, "other", [10]),
            await rc.himport_discard_all(),
            len(rc.himport_registry),
        ]
        return results

    ours, theirs = await run_both(fake_server, scenario)
    assert ours == theirs
    words_a, words_b = ours[0]
    assert words_a == [
        PREPARE_FS,
        _set(KEY_A, "fs", b"1", b"2"),
        _set(KEY_A, "fs", b"5", b"6"),
        [b"HIMPORT", b"DISCARD", b"fs"],
        [b"HIMPORT", b"PREPARE", b"other", b"x"],
        _set(KEY_A, "other", b"9"),
    ]
    assert words_b[:4] == [
        PREPARE_FS,
        _set(KEY_B, "fs", b"3", b"4"),
        [b"HIMPORT", b"PREPARE", b"fs", b"f1", b"f3"],
        _set(KEY_B, "fs", b"7", b"8"),
    ]
    assert ours[1] == [True, True, True, True, True, True, True, 1, 0, True, True, 1, 0]


async def test_the_registry_is_every_nodes(fake_server: Any) -> None:
    a, _ = await start_cluster(fake_server)
    async with RedisCluster(host="127.0.0.1", port=a.cluster[0][2], protocol=2) as rc:
        registry = rc.himport_registry
        assert isinstance(registry, HImportRegistry)
        # As redis-py's: among the nodes' connection arguments.
        assert rc.get_connection_kwargs()["himport_registry"] is registry
        assert {id(n.connection_pool.himport_registry) for n in rc.get_nodes()} == {
            id(registry)
        }
        assert await rc.pipeline().himport_prepare("p", ["f"]) is True
        assert rc.pipeline().himport_registry is registry and "p" in registry
        assert await rc.pipeline().himport_discard_all() == 1
        with pytest.raises(DataError):
            await rc.himport_prepare("bad", "f1")
        with pytest.raises(DataError):
            await rc.himport_set(KEY_A, "p", "12")
        # Not declared: the server's error, typed.
        with pytest.raises(NoSuchFieldsetError):
            await rc.himport_set(KEY_A, "nope", [1])


async def test_ask_prepares_first_then_asking_and_set(fake_server: Any) -> None:
    async def scenario(rc: Any, a: Node, b: Node) -> Any:
        await rc.himport_prepare("fs", ["f1", "f2"])
        slot = key_slot(KEY_A)
        a.asks.add(slot)
        b.importing.add(slot)
        return await rc.himport_set(KEY_A, "fs", [1, 2])

    ours, theirs = await run_both(fake_server, scenario)
    assert ours == theirs
    words_a, words_b = ours[0]
    assert words_a == [PREPARE_FS, _set(KEY_A, "fs", b"1", b"2")]
    # ASKING right before the SET, on the connection the fieldset is on.
    assert words_b == [PREPARE_FS, [b"ASKING"], _set(KEY_A, "fs", b"1", b"2")]
    assert ours[1] is True


async def test_pipelines_prepare_before_the_batch(fake_server: Any) -> None:
    async def scenario(rc: Any, a: Node, b: Node) -> Any:
        await rc.himport_prepare("fs", ["f1", "f2"])
        async with rc.pipeline(transaction=False) as pipe:
            pipe.himport_set(KEY_A, "fs", [1, 2])
            pipe.himport_set(KEY_B, "fs", [3, 4])
            pipe.himport_set(KEY_A, "fs", [5, 6])
            plain = await pipe.execute()
        async with rc.pipeline(transaction=True) as pipe:
            await pipe.himport_prepare("tx", ["g"])
            pipe.himport_set(KEY_B, "tx", [7])
            pipe.himport_set(KEY_B, "fs", [8, 9])
            tx = await pipe.execute()
        return plain, tx

    ours, theirs = await run_both(fake_server, scenario)
    assert ours == theirs
    words_a, words_b = ours[0]
    assert words_a == [
        PREPARE_FS,
        _set(KEY_A, "fs", b"1", b"2"),
        _set(KEY_A, "fs", b"5", b"6"),
    ]
    # In a transaction the fieldsets are prepared before MULTI.
    assert words_b[-5:] == [
        [b"HIMPORT", b"PREPARE", b"tx", b"g"],
        [b"MULTI"],
        _set(KEY_B, "tx", b"7"),
        _set(KEY_B, "fs", b"8", b"9"),
        [b"EXEC"],
    ]
    assert ours[1] == ([True, True, True], [True, True])


async def test_between_watch_and_multi_the_set_is_prepared(fake_server: Any) -> None:
    async def scenario(rc: Any, a: Node, b: Node) -> Any:
        await rc.himport_prepare("fs", ["f1", "f2"])
        async with rc.pipeline(transaction=True) as pipe:
            await pipe.watch(KEY_A)
            now = await pipe.himport_set(KEY_A, "fs", [1, 2])
            pipe.multi()
            pipe.himport_set(KEY_A, "fs", [3, 4])
            return now, await pipe.execute()

    # Ours only: redis.asyncio's transaction strategy fails here with "attached
    # to a different loop" (a lock of its own); the words are redis-py's design:
    # the watched HIMPORT SET goes through the node's HIMPORT executor.
    a, b = await start_cluster(fake_server)
    async with RedisCluster(
        host="127.0.0.1", port=a.cluster[0][2], protocol=2, socket_timeout=2
    ) as rc:
        result = await scenario(rc, a, b)
    assert himport_words(a) == [
        PREPARE_FS,
        _set(KEY_A, "fs", b"1", b"2"),
        [b"MULTI"],
        _set(KEY_A, "fs", b"3", b"4"),
        [b"EXEC"],
    ]
    assert result == (True, [True])


def test_docs_example(
    redis_cluster: list[tuple[str, int]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    host, port = redis_cluster[0]
    monkeypatch.setenv("AIO_REDIS_CLUSTER_HOST", host)
    monkeypatch.setenv("AIO_REDIS_CLUSTER_PORT", str(port))
    code = compile(doc_example("himport_cluster"), "docs/redis.md", "exec")
    exec(code, {"__name__": "doc"})
    # The local cluster is Redis 7.0: the SET is refused, the registry works.
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("refused: unknown command 'HIMPORT'")
    assert out[1:] == ["1"]
