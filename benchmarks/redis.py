"""Suite ``redis``: aio.redis vs redis-py's asyncio client, against a real server.

Contenders:

- ``aio`` and ``aio + uvloop``: :class:`aio.redis.Redis` (ours);
- ``redis-py hiredis``: ``redis.asyncio.Redis(protocol=2)`` with its default
  parser, hiredis's C reader when hiredis is installed;
- ``redis-py python``: the same with redis-py's pure-Python RESP2 parser
  (``parser_class=_AsyncRESP2Parser``), the like-for-like comparison;
- ``redis-benchmark``: the server's own C load generator with the same pattern
  (``-c`` clients, ``-P`` pipeline depth), the ceiling no client library reaches.

Cases (operations per second, higher is better):

- ``sequential SET+GET``: one task, SET then GET of a small value, 20,000 times
  (2,000 with ``--quick``);
- ``pipeline x1000``: 200,000 SETs in pipelines of 1,000 (non-transactional);
- ``1 MB value``: SET then GET of a 1 MiB value;
- ``64 tasks``: 64 concurrent tasks doing GETs through one pool.

The server is the shared Redis at 127.0.0.1:6379, database 9; keys are prefixed
``bench:`` and deleted afterwards (redis-benchmark uses its own ``key:*`` keys).
"""

from __future__ import annotations

import asyncio
import re
import shutil
import subprocess
import time
from typing import Any

from benchmarks._harness import Case, Contender, RunInfo, Suite, Unavailable

SUITE = Suite(
    name="redis",
    unit="ops/s",
    higher_is_better=True,
    description=(
        "aio.redis vs redis-py asyncio (hiredis and pure-Python parsers) against "
        "a local Redis; redis-benchmark shows the server's ceiling."
    ),
    rounds=3,
)

HOST = "127.0.0.1"
PORT = 6379
DB = 9


def contenders() -> list[Contender]:
    """Ours (default loop and uvloop), redis-py with both parsers, the C ceiling."""
    return [
        Contender("aio", is_ours=True, dist="aio-stack", requires=("aio.redis",)),
        Contender(
            "aio + uvloop",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.redis", "uvloop"),
            also=("uvloop",),
            group="uvloop",
        ),
        Contender(
            "redis-py hiredis",
            dist="redis",
            requires=("redis", "hiredis"),
            also=("hiredis",),
        ),
        Contender("redis-py python", dist="redis", requires=("redis",)),
        Contender(
            "redis-py hiredis + uvloop",
            dist="redis",
            requires=("redis", "hiredis", "uvloop"),
            also=("hiredis", "uvloop"),
            group="uvloop",
        ),
        Contender("redis-benchmark", dist=None),
    ]


def cases() -> list[Case]:
    """The four workloads of the issue."""
    return [
        Case(
            "sequential SET+GET", "one task, SET then GET, small value", {"kind": "seq"}
        ),
        Case("pipeline x1000", "200,000 SETs in pipelines of 1,000", {"kind": "pipe"}),
        Case("1 MB value", "SET then GET of a 1 MiB value", {"kind": "big"}),
        Case(
            "64 tasks", "64 concurrent tasks doing GETs on one pool", {"kind": "conc"}
        ),
    ]


def _client(name: str) -> Any:
    if name.startswith("aio"):
        from aio.redis import Redis

        return Redis(host=HOST, port=PORT, db=DB)
    import redis.asyncio as redis_asyncio

    if name.startswith("redis-py python"):
        from redis._parsers import _AsyncRESP2Parser

        pool = redis_asyncio.ConnectionPool(
            host=HOST, port=PORT, db=DB, protocol=2, parser_class=_AsyncRESP2Parser
        )
        return redis_asyncio.Redis(
            connection_pool=pool, auto_close_connection_pool=True
        )
    return redis_asyncio.Redis(host=HOST, port=PORT, db=DB, protocol=2)


async def _workload(client: Any, kind: str, quick: bool) -> float:
    """Run one workload; return operations per second."""
    await client.ping()  # connect outside the timing
    if kind == "seq":
        n = 2_000 if quick else 20_000
        start = time.perf_counter()
        for _ in range(n):
            await client.set("bench:seq", "value")
            await client.get("bench:seq")
        ops = 2 * n
    elif kind == "pipe":
        total = 20_000 if quick else 200_000
        start = time.perf_counter()
        for batch in range(total // 1000):
            pipe = client.pipeline(transaction=False)
            for i in range(1000):
                pipe.set(f"bench:p{i}", batch)
            await pipe.execute()
        ops = total
    elif kind == "big":
        value = b"x" * (1 << 20)
        n = 20 if quick else 100
        start = time.perf_counter()
        for _ in range(n):
            await client.set("bench:big", value)
            await client.get("bench:big")
        ops = 2 * n
    else:
        per_task = 100 if quick else 1_000
        await client.set("bench:conc", "value")

        async def worker() -> None:
            for _ in range(per_task):
                await client.get("bench:conc")

        await asyncio.gather(*(worker() for _ in range(64)))  # open the pool
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(64)))
        ops = 64 * per_task
    elapsed = time.perf_counter() - start
    keys = [
        "bench:seq",
        "bench:big",
        "bench:conc",
        *(f"bench:p{i}" for i in range(1000)),
    ]
    await client.delete(*keys)
    return ops / elapsed


def _redis_benchmark(kind: str, quick: bool) -> float:
    binary = shutil.which("redis-benchmark")
    if binary is None:
        raise Unavailable("redis-benchmark is not installed")
    base = [binary, "-h", HOST, "-p", str(PORT), "--dbnum", str(DB), "-q"]
    if kind == "seq":
        args = [
            "-n",
            "2000" if quick else "20000",
            "-c",
            "1",
            "-P",
            "1",
            "-t",
            "set,get",
        ]
    elif kind == "pipe":
        args = [
            "-n",
            "20000" if quick else "200000",
            "-c",
            "1",
            "-P",
            "1000",
            "-t",
            "set",
        ]
    elif kind == "big":
        args = [
            "-n",
            "20" if quick else "100",
            "-c",
            "1",
            "-P",
            "1",
            "-d",
            str(1 << 20),
            "-t",
            "set,get",
        ]
    else:
        args = ["-n", "6400" if quick else "64000", "-c", "64", "-P", "1", "-t", "get"]
    out = subprocess.run(
        base + args, capture_output=True, text=True, timeout=300, check=False
    ).stdout
    # "SET: 83333.34 requests per second, p50=..." (progress lines end in \r).
    rates = [
        float(m)
        for m in re.findall(
            r"^\s*\w+: ([\d.]+) requests per second", out.replace("\r", "\n"), re.M
        )
    ]
    if not rates:
        raise Unavailable(f"unexpected redis-benchmark output: {out[-200:]!r}")
    # Several commands (SET and GET) count as a harmonic mean, like one SET+GET loop.
    return len(rates) / sum(1 / r for r in rates)


def measure(contender: Contender, case: Case, run: RunInfo) -> float:
    """Operations per second of one contender on one workload."""
    kind = str(case.params["kind"])
    if contender.name == "redis-benchmark":
        return _redis_benchmark(kind, run.quick)

    async def main() -> float:
        client = _client(contender.name)
        try:
            return await _workload(client, kind, run.quick)
        finally:
            await client.aclose()

    if "uvloop" in contender.name:
        import uvloop

        return float(uvloop.run(main()))
    return asyncio.run(main())
