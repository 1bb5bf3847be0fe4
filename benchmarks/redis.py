"""Suite ``redis``: aio.redis vs redis-py's asyncio client, against a real server.

Every contender speaks RESP3 (``HELLO 3``), the default of both libraries
(redis-py 8 and aio.redis): it is passed explicitly, so the comparison stays like
for like whatever either default becomes.

Contenders:

- ``aio`` and ``aio + uvloop``: :class:`aio.redis.Redis` (ours);
- ``redis-py hiredis``: ``redis.asyncio.Redis(protocol=3)`` with its default
  parser, hiredis's C reader when hiredis is installed;
- ``redis-py python``: the same with redis-py's pure-Python RESP3 parser
  (``parser_class=_AsyncRESP3Parser``), the like-for-like comparison;
- ``redis-benchmark``: the server's own C load generator (``-3`` for RESP3) with
  the same pattern (``-c`` clients, ``-P`` pipeline depth). It runs each command
  type as its own phase (all the SETs, then all the GETs) and reports a rate per
  command type; the number shown is their harmonic mean, commands per second over
  both phases, the unit of the other contenders. A C client with its own costs
  (it reads a 1 MiB reply 16 KiB at a time): a reference point, not a ceiling;
- ``bare asyncio client``: :mod:`benchmarks._bare_resp`, the issue's yardstick
  (a bare-bones ``asyncio.Protocol`` RESP client: one connection, aio's
  sans-I/O encoder and parser, no client features), on the default loop; not
  run on ``64 tasks`` (it has no pool).

Cases (operations per second, higher is better):

- ``sequential SET+GET``: one task, SET then GET of a small value, 20,000 times
  (2,000 with ``--quick``);
- ``pipeline x1000``: 200,000 SETs in pipelines of 1,000 (non-transactional);
- ``1 MB value``: SET then GET of a 1 MiB value, 300 times (30 with ``--quick``);
- ``64 tasks``: 64 concurrent tasks doing GETs through one pool.

Besides the rate, each case reports ``client_cpu_us``: the CPU time (user and
system, ``time.process_time``; redis-benchmark's from ``RUSAGE_CHILDREN``) the
client process spent per command. Unlike the rate it barely depends on what else
the machine runs, so it shows what a client costs even when the rates are noisy.
``server_cpu_us`` is the server's CPU time per command over the same span (its
``INFO cpu``, main thread): the part of each command no client can remove. The
server is shared, so commands from other work on the machine can inflate it.

The server is the shared Redis at 127.0.0.1:6379, database 9; keys are prefixed
``bench:`` and deleted afterwards (redis-benchmark uses its own ``key:*`` keys).
"""

from __future__ import annotations

import asyncio
import re
import resource
import shutil
import socket
import subprocess
import time
from typing import Any

from benchmarks._harness import Case, Contender, RunInfo, Sample, Suite, Unavailable

SUITE = Suite(
    name="redis",
    unit="ops/s",
    higher_is_better=True,
    description=(
        "aio.redis vs redis-py asyncio (hiredis and pure-Python parsers), all "
        "on RESP3, against a local Redis; redis-benchmark (the server's own C "
        "client) for reference."
    ),
    rounds=5,
)

HOST = "127.0.0.1"
PORT = 6379
DB = 9
#: The RESP version every contender speaks (both libraries' default).
PROTOCOL = 3
BARE = "bare asyncio client"


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
        Contender(BARE, dist=None),
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
    if name == BARE:
        from benchmarks._bare_resp import BareRESP

        return BareRESP(HOST, PORT, DB)
    if name.startswith("aio"):
        from aio.redis import Redis

        return Redis(host=HOST, port=PORT, db=DB, protocol=PROTOCOL)
    import redis.asyncio as redis_asyncio

    if name.startswith("redis-py python"):
        from redis._parsers import _AsyncRESP3Parser

        pool = redis_asyncio.ConnectionPool(
            host=HOST,
            port=PORT,
            db=DB,
            protocol=PROTOCOL,
            parser_class=_AsyncRESP3Parser,
        )
        return redis_asyncio.Redis(
            connection_pool=pool, auto_close_connection_pool=True
        )
    return redis_asyncio.Redis(host=HOST, port=PORT, db=DB, protocol=PROTOCOL)


def _server_cpu() -> float:
    """CPU seconds (user + system) the server's main thread has used so far."""
    with socket.create_connection((HOST, PORT), timeout=5) as sock:
        sock.sendall(b"*2\r\n$4\r\nINFO\r\n$3\r\ncpu\r\n")
        data = b""
        while b"used_cpu_user_main_thread" not in data or not data.endswith(b"\r\n"):
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    fields = dict(re.findall(rb"(\w+):([\d.]+)", data))
    return float(fields[b"used_cpu_sys_main_thread"]) + float(
        fields[b"used_cpu_user_main_thread"]
    )


async def _workload(client: Any, kind: str, quick: bool) -> Sample:
    """Run one workload; return operations per second and client CPU per op."""
    await client.ping()  # connect outside the timing
    if kind == "seq":
        n = 2_000 if quick else 20_000
        server_start = _server_cpu()
        start = time.perf_counter()
        cpu_start = time.process_time()
        for _ in range(n):
            await client.set("bench:seq", "value")
            await client.get("bench:seq")
        ops = 2 * n
    elif kind == "pipe":
        total = 20_000 if quick else 200_000
        server_start = _server_cpu()
        start = time.perf_counter()
        cpu_start = time.process_time()
        for batch in range(total // 1000):
            pipe = client.pipeline(transaction=False)
            for i in range(1000):
                pipe.set(f"bench:p{i}", batch)
            await pipe.execute()
        ops = total
    elif kind == "big":
        value = b"x" * (1 << 20)
        n = 30 if quick else 300
        server_start = _server_cpu()
        start = time.perf_counter()
        cpu_start = time.process_time()
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
        server_start = _server_cpu()
        start = time.perf_counter()
        cpu_start = time.process_time()
        await asyncio.gather(*(worker() for _ in range(64)))
        ops = 64 * per_task
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    server = _server_cpu() - server_start
    keys = [
        "bench:seq",
        "bench:big",
        "bench:conc",
        *(f"bench:p{i}" for i in range(1000)),
    ]
    await client.delete(*keys)
    return Sample(
        ops / elapsed,
        {"client_cpu_us": cpu / ops * 1e6, "server_cpu_us": server / ops * 1e6},
    )


def _redis_benchmark(kind: str, quick: bool) -> Sample:
    binary = shutil.which("redis-benchmark")
    if binary is None:
        raise Unavailable("redis-benchmark is not installed")
    base = [binary, "-h", HOST, "-p", str(PORT), "--dbnum", str(DB), "-q", "-3"]
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
            "30" if quick else "300",
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
    server_start = _server_cpu()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        base + args, capture_output=True, text=True, timeout=300, check=False
    ).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    server = _server_cpu() - server_start
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    requests = int(args[args.index("-n") + 1]) * (2 if "set,get" in args else 1)
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
    # Its CPU time covers the whole process (start-up and connecting included).
    rate = len(rates) / sum(1 / r for r in rates)
    return Sample(
        rate,
        {
            "client_cpu_us": cpu / requests * 1e6,
            "server_cpu_us": server / requests * 1e6,
        },
    )


def measure(contender: Contender, case: Case, run: RunInfo) -> Sample:
    """Operations per second of one contender on one workload."""
    kind = str(case.params["kind"])
    if contender.name == "redis-benchmark":
        return _redis_benchmark(kind, run.quick)
    if contender.name == BARE and kind == "conc":
        raise Unavailable("not applicable: one connection, no pool")

    async def main() -> Sample:
        client = _client(contender.name)
        try:
            return await _workload(client, kind, run.quick)
        finally:
            await client.aclose()

    if "uvloop" in contender.name:
        import uvloop

        sample: Sample = uvloop.run(main())
        return sample
    return asyncio.run(main())
