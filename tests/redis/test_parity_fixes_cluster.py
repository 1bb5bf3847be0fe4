"""Cluster behaviours matched to redis-py 8.1's ``redis.asyncio.RedisCluster``:
which errors the command loop retries (exactly the classes of
``ERRORS_ALLOW_RETRY``, not their subclasses) and where
``load_balancing_strategy`` chooses the node (classic pub/sub).

Scripted RESP2 nodes (:func:`fake_server`) answer as a cluster would and record
what each client sends; redis.asyncio runs the same scenario as the oracle.
"""

from __future__ import annotations

import asyncio
import warnings
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
import redis.asyncio as redispy
import redis.exceptions as redispy_exc
from redis.asyncio.retry import Retry as RedispyRetry
from redis.backoff import NoBackoff as RedispyNoBackoff
from redis.cluster import LoadBalancingStrategy as RedispyStrategy

from aio.proto.resp import NEED_DATA, RESPParser
from aio.redis import RedisCluster
from aio.redis.backoff import NoBackoff
from aio.redis.cluster import LoadBalancingStrategy
from aio.redis.exceptions import (
    BusyLoadingError,
    ClusterDownError,
    MasterDownError,
)
from aio.redis.retry import Retry

Start = Callable[[Callable[..., Awaitable[None]]], Awaitable[int]]


def _resp(value: Any) -> bytes:
    if isinstance(value, int):
        return b":%d\r\n" % value
    if isinstance(value, bytes):
        return b"$%d\r\n%s\r\n" % (len(value), value)
    return b"*%d\r\n" % len(value) + b"".join(_resp(v) for v in value)


# COMMAND's entries for the commands of these scenarios (Redis 7's words).
COMMAND_TABLE = _resp(
    [
        [b"get", 2, [b"readonly", b"fast"], 1, 1, 1, [], [], [], []],
        [b"set", -3, [b"write", b"denyoom"], 1, 1, 1, [], [], [], []],
    ]
)


class Shard:
    """A one-shard cluster: a primary serving every slot and ``replicas``
    replicas, each a scripted node that records the commands it reads; ``GET``
    answers with the next of ``get_replies`` (raw RESP2), else a nil."""

    def __init__(self) -> None:
        self.ports: list[int] = []
        self.get_replies: deque[bytes] = deque()
        self.received: dict[int, list[list[bytes]]] = {}

    async def start(self, fake_server: Start, replicas: int = 0) -> None:
        for _ in range(1 + replicas):
            port = await fake_server(self._handler_for(len(self.ports)))
            self.ports.append(port)
            self.received[port] = []

    def commands(self, port: int, name: bytes) -> list[list[bytes]]:
        """The ``name`` commands node ``port`` read."""
        return [w for w in self.received[port] if w[0].upper() == name]

    def _answer(self, words: list[bytes]) -> bytes:
        name = [w.upper() for w in words[:2]]
        if name == [b"CLUSTER", b"SLOTS"]:
            members = [[b"127.0.0.1", p, b"id%d" % p] for p in self.ports]
            return _resp([[0, 16383, *members]])
        if name[0] == b"COMMAND":
            return COMMAND_TABLE
        if name[0] == b"GET":
            return self.get_replies.popleft() if self.get_replies else b"$-1\r\n"
        if name[0] in (b"SUBSCRIBE", b"PSUBSCRIBE"):
            return b"".join(
                _resp([name[0].lower(), channel, i + 1])
                for i, channel in enumerate(words[1:])
            )
        if name[0] == b"PING":
            return b"+PONG\r\n"
        return b"+OK\r\n"

    def _handler_for(self, index: int) -> Callable[..., Awaitable[None]]:
        async def handler(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            seen = self.received[self.ports[index]]
            parser = RESPParser()
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
                writer.write(self._answer(words))
                await writer.drain()

        return handler


async def _both(
    fake_server: Start,
    scenario: Callable[[Any, Shard], Awaitable[Any]],
    replicas: int = 0,
    ours: dict[str, Any] | None = None,
    theirs: dict[str, Any] | None = None,
) -> list[tuple[Shard, Any]]:
    """``scenario(client, shard)`` with aio.redis, then redis.asyncio, each on a
    scripted shard of its own: ``[(shard, outcome)]``, ours first. The outcome
    is the scenario's value, or the exception it raised."""
    out: list[tuple[Shard, Any]] = []
    for make, kwargs in (
        (RedisCluster, ours or {}),
        (redispy.RedisCluster, theirs or {}),
    ):
        shard = Shard()
        await shard.start(fake_server, replicas)
        outcome: Any
        with warnings.catch_warnings():
            # redis-py: read_from_replicas is deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            client = make(host="127.0.0.1", port=shard.ports[0], protocol=2, **kwargs)
            try:
                outcome = await scenario(client, shard)
            except Exception as exc:
                outcome = exc
            finally:
                await client.aclose()
        out.append((shard, outcome))
    return out


# -- 1. the retried errors are the listed classes, not their subclasses ---------------


@pytest.mark.parametrize(
    ("line", "ours_class", "theirs_class"),
    [
        # ConnectionError's subclass: redis-py raises it at once.
        (
            b"-LOADING Redis is loading the dataset in memory\r\n",
            BusyLoadingError,
            redispy_exc.BusyLoadingError,
        ),
        # ClusterDownError's subclass: raised at once too.
        (
            b"-MASTERDOWN Link with MASTER is down\r\n",
            MasterDownError,
            redispy_exc.MasterDownError,
        ),
    ],
)
async def test_subclasses_of_retried_errors_are_raised_at_once(
    fake_server: Start, line: bytes, ours_class: type, theirs_class: type
) -> None:
    async def scenario(client: Any, shard: Shard) -> Any:
        shard.get_replies.extend([line] * 5)
        return await client.get("k")

    (ours, got), (theirs, expected) = await _both(
        fake_server,
        scenario,
        ours={"retry": Retry(NoBackoff(), 3)},
        theirs={"retry": RedispyRetry(RedispyNoBackoff(), 3)},
    )
    assert type(expected) is theirs_class
    assert type(got) is ours_class
    assert str(got) == str(expected)
    port_ours, port_theirs = ours.ports[0], theirs.ports[0]
    assert len(ours.commands(port_ours, b"GET")) == 1
    assert len(theirs.commands(port_theirs, b"GET")) == 1


async def test_the_listed_classes_themselves_are_retried(fake_server: Start) -> None:
    async def scenario(client: Any, shard: Shard) -> Any:
        shard.get_replies.extend([b"-CLUSTERDOWN The cluster is down\r\n"] * 5)
        return await client.get("k")

    (ours, got), (theirs, expected) = await _both(
        fake_server,
        scenario,
        ours={"retry": Retry(NoBackoff(), 2)},
        theirs={"retry": RedispyRetry(RedispyNoBackoff(), 2)},
    )
    assert type(expected) is redispy_exc.ClusterDownError
    assert type(got) is ClusterDownError
    # The first try and two retries, each after re-reading the map.
    assert len(ours.commands(ours.ports[0], b"GET")) == 3
    assert len(theirs.commands(theirs.ports[0], b"GET")) == 3


async def test_a_listed_error_then_a_reply(fake_server: Start) -> None:
    async def scenario(client: Any, shard: Shard) -> Any:
        shard.get_replies.extend(
            [b"-CLUSTERDOWN The cluster is down\r\n", b"$1\r\nv\r\n"]
        )
        return await client.get("k")

    (ours, got), (theirs, expected) = await _both(
        fake_server,
        scenario,
        ours={"retry": Retry(NoBackoff(), 2)},
        theirs={"retry": RedispyRetry(RedispyNoBackoff(), 2)},
    )
    assert got == expected == b"v"
    assert len(ours.commands(ours.ports[0], b"GET")) == 2
    assert len(theirs.commands(theirs.ports[0], b"GET")) == 2


# -- 2. load_balancing_strategy where redis-py honours it -----------------------------

_STRATEGIES = [
    (LoadBalancingStrategy.RANDOM_REPLICA, RedispyStrategy.RANDOM_REPLICA),
    (LoadBalancingStrategy.ROUND_ROBIN_REPLICAS, RedispyStrategy.ROUND_ROBIN_REPLICAS),
]


@pytest.mark.parametrize(("ours_strategy", "theirs_strategy"), _STRATEGIES)
async def test_pubsub_node_follows_the_load_balancing_strategy(
    fake_server: Start, ours_strategy: Any, theirs_strategy: Any
) -> None:
    # redis-py: the first channel's slot, and one of its nodes as the strategy
    # says (here: the replica, whatever read_from_replicas is).
    async def scenario(client: Any, shard: Shard) -> Any:
        await client.initialize()
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe("news")
            node = pubsub.get_pubsub_node()
            return node.port
        finally:
            await pubsub.aclose()

    (ours, got), (theirs, expected) = await _both(
        fake_server,
        scenario,
        replicas=1,
        ours={"load_balancing_strategy": ours_strategy},
        theirs={"load_balancing_strategy": theirs_strategy},
    )
    assert expected == theirs.ports[1]
    assert got == ours.ports[1]
    assert ours.commands(ours.ports[1], b"SUBSCRIBE") == [[b"SUBSCRIBE", b"news"]]
    assert ours.commands(ours.ports[0], b"SUBSCRIBE") == []


async def test_pubsub_node_without_a_strategy_is_the_primary(
    fake_server: Start,
) -> None:
    async def scenario(client: Any, shard: Shard) -> Any:
        await client.initialize()
        pubsub = client.pubsub()
        try:
            await pubsub.subscribe("news")
            return pubsub.get_pubsub_node().port
        finally:
            await pubsub.aclose()

    (ours, got), (theirs, expected) = await _both(fake_server, scenario, replicas=1)
    assert expected == theirs.ports[0]
    assert got == ours.ports[0]


@pytest.mark.parametrize(
    ("ours_kwargs", "theirs_kwargs"),
    [
        ({}, {}),
        (
            {"load_balancing_strategy": LoadBalancingStrategy.RANDOM_REPLICA},
            {"load_balancing_strategy": RedispyStrategy.RANDOM_REPLICA},
        ),
        ({"read_from_replicas": True}, {"read_from_replicas": True}),
    ],
)
async def test_random_primary_or_all_nodes_as_redis_py(
    fake_server: Start, ours_kwargs: dict[str, Any], theirs_kwargs: dict[str, Any]
) -> None:
    # redis-py 8.1 looks at read_from_replicas only here: with a strategy alone
    # a read-only command still gets a primary. Many draws: every node that may
    # come up does.
    async def scenario(client: Any, shard: Shard) -> Any:
        await client.initialize()
        return {
            client.get_random_primary_or_all_nodes(name).port
            for name in ("GET", "SET")
            for _ in range(64)
        }

    (ours, got), (theirs, expected) = await _both(
        fake_server, scenario, replicas=1, ours=ours_kwargs, theirs=theirs_kwargs
    )
    assert {ours.ports.index(p) for p in got} == {
        theirs.ports.index(p) for p in expected
    }
