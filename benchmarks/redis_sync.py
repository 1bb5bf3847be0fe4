"""Suite ``redis_sync``: the blocking Redis facade against redis-py (sync).

``sync_shims.redis.Redis`` runs every command on aio's background loop through the
portal; redis-py's ``redis.Redis`` does its socket I/O in the calling thread
(with hiredis as its parser when installed, as here). Both talk to the same
Redis on 127.0.0.1:6379, database 11, keys under ``bench:``. Cases:

- ``set+get``: 20,000 sequential SET then GET of a 16-byte value (2,000 with
  ``--quick``), one thread;
- ``pipeline 1000``: pipelines (no transaction) of 1,000 SETs, executed 20 times
  (3 with ``--quick``);
- ``1 MB value``: SET then GET of a 1 MB value, 20 times (5 with ``--quick``).

The number is commands per second (higher is better). ``aio.redis (async)`` is the
async client awaited in its own loop: the floor without any thread hand-off, in
its own group (no ratio). ``sketch: aio.proto.resp, blocking socket`` is
:mod:`benchmarks._resp_blocking`: aio's sans-I/O RESP core driven from the calling
thread, with none of a client's features: the ceiling a blocking shell over the
core could reach, also without a ratio.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
from collections.abc import Iterator
from typing import Any

from benchmarks._harness import Case, Contender, RunInfo, Suite, Unavailable

SUITE = Suite(
    name="redis_sync",
    unit="commands/s",
    higher_is_better=True,
    description=(
        "Blocking Redis clients: sync_shims.redis (aio's portal + async core) vs "
        "redis-py's sync client, on one local Redis."
    ),
    rounds=5,
)

HOST, PORT, DB = "127.0.0.1", 6379, 11
SKETCH = "sketch: aio.proto.resp, blocking socket"


def contenders() -> list[Contender]:
    """Our facade, redis-py, and our async client as a reference."""
    return [
        Contender("aio sync_shims.redis", is_ours=True, dist="aio-stack"),
        Contender("redis-py", dist="redis", requires=("redis",), also=("hiredis",)),
        Contender("aio.redis (async)", is_ours=True, dist="aio-stack", group="async"),
        Contender(SKETCH, is_ours=True, dist="aio-stack", group="sketch"),
    ]


def cases() -> list[Case]:
    """Round trips, pipelining, and a large value."""
    return [
        Case("set+get", "sequential SET+GET, 16 B", {"kind": "seq", "n": 20_000}),
        Case("pipeline 1000", "pipelines of 1,000 SETs", {"kind": "pipe", "n": 20}),
        Case("1 MB value", "SET+GET of 1 MB", {"kind": "big", "n": 20}),
    ]


def _quick_n(case: Case, quick: bool) -> int:
    n = int(case.params["n"])
    if not quick:
        return n
    return {"seq": 2_000, "pipe": 3, "big": 5}[case.params["kind"]]


def _reachable() -> None:
    try:
        with socket.create_connection((HOST, PORT), timeout=2):
            pass
    except OSError as exc:
        raise Unavailable(f"redis not reachable at {HOST}:{PORT}: {exc}") from None


@contextlib.contextmanager
def contender_session(contender: Contender, run: RunInfo) -> Iterator[object]:
    """A connected client per contender per round."""
    _reachable()
    if contender.name == "aio.redis (async)":
        yield None  # measure() runs its own loop
        return
    if contender.name == SKETCH:
        from benchmarks._resp_blocking import BlockingRESP

        sketch = BlockingRESP(HOST, PORT, DB)
        try:
            yield sketch
        finally:
            sketch.execute_command("DEL", "bench:k", "bench:big")
            sketch.close()
        return
    if contender.name == "redis-py":
        import redis

        client: Any = redis.Redis(host=HOST, port=PORT, db=DB)
    else:
        import sync_shims.redis

        client = sync_shims.redis.Redis(host=HOST, port=PORT, db=DB)
    client.ping()  # connect outside the timing
    try:
        yield client
    finally:
        client.delete("bench:k", "bench:big")
        client.close()


def _run_sketch(client: Any, kind: str, n: int) -> float:
    if kind == "pipe":
        start = time.perf_counter()
        for _ in range(n):
            client.execute_many([("SET", "bench:k", i) for i in range(1000)])
        return 1000 * n / (time.perf_counter() - start)
    return _run_sync(client, kind, n, command=client.execute_command)


def _run_sync(client: Any, kind: str, n: int, command: Any = None) -> float:
    if command is not None:  # the sketch has no set()/get(): raw commands
        client = _RawCommands(command)
    if kind == "seq":
        value = b"x" * 16
        start = time.perf_counter()
        for _ in range(n):
            client.set("bench:k", value)
            client.get("bench:k")
        return 2 * n / (time.perf_counter() - start)
    if kind == "pipe":
        start = time.perf_counter()
        for _ in range(n):
            pipe = client.pipeline(transaction=False)
            for i in range(1000):
                pipe.set("bench:k", i)
            pipe.execute()
        return 1000 * n / (time.perf_counter() - start)
    big = os.urandom(1 << 20)
    start = time.perf_counter()
    for _ in range(n):
        client.set("bench:big", big)
        if len(client.get("bench:big")) != len(big):
            raise Unavailable("wrong reply length")
    return 2 * n / (time.perf_counter() - start)


class _RawCommands:
    """``set``/``get`` spelt as raw commands, for the sketch."""

    def __init__(self, command: Any) -> None:
        self._command = command

    def set(self, key: str, value: bytes) -> Any:
        return self._command("SET", key, value)

    def get(self, key: str) -> Any:
        return self._command("GET", key)


async def _run_async(kind: str, n: int) -> float:
    from aio.redis import Redis

    client = Redis(host=HOST, port=PORT, db=DB)
    await client.ping()
    try:
        if kind == "seq":
            value = b"x" * 16
            start = time.perf_counter()
            for _ in range(n):
                await client.set("bench:k", value)
                await client.get("bench:k")
            return 2 * n / (time.perf_counter() - start)
        if kind == "pipe":
            start = time.perf_counter()
            for _ in range(n):
                pipe: Any = client.pipeline(transaction=False)
                for i in range(1000):
                    pipe.set("bench:k", i)
                await pipe.execute()
            return 1000 * n / (time.perf_counter() - start)
        big = os.urandom(1 << 20)
        start = time.perf_counter()
        for _ in range(n):
            await client.set("bench:big", big)
            await client.get("bench:big")
        return 2 * n / (time.perf_counter() - start)
    finally:
        await client.delete("bench:k", "bench:big")
        await client.aclose()


def measure(contender: Contender, case: Case, run: RunInfo) -> float:
    """Commands per second for one round."""
    kind = str(case.params["kind"])
    n = _quick_n(case, run.quick)
    if contender.name == "aio.redis (async)":
        return asyncio.run(_run_async(kind, n))
    if contender.name == SKETCH:
        return _run_sketch(run.session, kind, n)
    return _run_sync(run.session, kind, n)
