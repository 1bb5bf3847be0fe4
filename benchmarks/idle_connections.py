"""Suite ``idle_connections``: memory per idle keep-alive connection, one worker.

A client process (:mod:`benchmarks._idle_client`) opens 10,000 connections to one
server worker, makes one keep-alive request on each and leaves them idle. The suite
reads the server's resident memory (``VmRSS`` of the server and its children, from
``/proc``) before and after, checks that the server still answers a new request
while holding them, and reports the RSS growth per connection in KiB (lower is
better). Keep-alive timeouts are raised to 600 s on every server so none closes the
idle connections early; the ``closed_by_server`` extra shows if one did anyway.
``AIO_BENCH_IDLE_COUNT`` overrides the number of connections (``--quick``: 1,000).
"""

from __future__ import annotations

import contextlib
import os
import resource
import subprocess
import sys
import time

from benchmarks import http_server
from benchmarks._harness import Case, Contender, RunInfo, Sample, Suite, Unavailable
from benchmarks._server import ROOT, ServerProcess, pin_prefix
from benchmarks.http_server import AIO, UVICORN, command

SUITE = Suite(
    name="idle_connections",
    unit="KiB RSS per connection",
    higher_is_better=False,
    description=(
        "Server memory growth per idle keep-alive connection with 10,000 of them "
        "open to one worker (server on core 0, client process on core 1); the "
        "server must still answer a new request while holding them."
    ),
    rounds=3,
)

PY = sys.executable
# no server may close the idle connections while they are measured
KEEP_ALIVE = " --timeout-keep-alive 600"


def contenders() -> list[Contender]:
    """aio on asyncio and uvloop against uvicorn with httptools+uvloop and h11."""
    return [
        Contender(
            "aio",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.server",),
            params={"argv": command(AIO + " --loop asyncio" + KEEP_ALIVE)},
        ),
        Contender(
            "aio+uvloop",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.server", "uvloop"),
            also=("uvloop",),
            params={"argv": command(AIO + " --loop uvloop" + KEEP_ALIVE)},
        ),
        Contender(
            "uvicorn httptools+uvloop",
            dist="uvicorn",
            requires=("uvicorn", "httptools", "uvloop"),
            also=("httptools", "uvloop"),
            baseline="aio+uvloop",
            params={
                "argv": command(
                    UVICORN + " --http httptools --loop uvloop" + KEEP_ALIVE
                )
            },
        ),
        Contender(
            "uvicorn h11+asyncio",
            dist="uvicorn",
            requires=("uvicorn", "h11"),
            also=("h11",),
            baseline="aio",
            params={
                "argv": command(UVICORN + " --http h11 --loop asyncio" + KEEP_ALIVE)
            },
        ),
    ]


def count(run: RunInfo) -> int:
    """How many idle connections to open."""
    override = os.environ.get("AIO_BENCH_IDLE_COUNT")
    if override:
        return int(override)
    return 1_000 if run.quick else 10_000


def cases() -> list[Case]:
    """One case: N idle keep-alive connections after one request each."""
    return [
        Case(
            "idle_keepalive",
            "10,000 idle keep-alive connections (1,000 with --quick), one request each",
        )
    ]


def prepare(run: RunInfo) -> None:
    """Raise RLIMIT_NOFILE to the hard limit; servers started later inherit it."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = count(run) + 256
    if hard != resource.RLIM_INFINITY and hard < needed:
        raise Unavailable(f"RLIMIT_NOFILE hard limit {hard} < {needed} needed")
    if soft != resource.RLIM_INFINITY and soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# The same server session as http_server's: the harness opens one per round, so
# every round starts from a fresh server's memory.
contender_session = http_server.contender_session


def _read(client: subprocess.Popen[str], prefix: str) -> list[str]:
    assert client.stdout is not None
    line = client.stdout.readline()
    if not line.startswith(prefix):
        raise Unavailable(f"idle client said {line.strip()!r}, expected {prefix!r}")
    return line.split()[1:]


def measure(contender: Contender, case: Case, run: RunInfo) -> Sample:
    """Open the idle connections, read the server's RSS, check it still answers."""
    server = run.session
    if not isinstance(server, ServerProcess):
        raise Unavailable("no server session")
    wanted = count(run)
    before = server.rss_kib()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    argv = [*pin_prefix(1), PY, "-m", "benchmarks._idle_client", str(server.port)]
    client = subprocess.Popen(
        [*argv, str(wanted)],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        opened = int(_read(client, "open")[0])
        if opened < wanted * 0.99:
            raise Unavailable(f"only {opened} of {wanted} connections could be opened")
        time.sleep(1.0)  # let the server finish any per-connection work
        after = server.rss_kib()
        assert client.stdin is not None
        client.stdin.write("check\n")
        client.stdin.flush()
        status = " ".join(_read(client, "check"))
        closed = int(_read(client, "closed")[0])
        if status != "200":
            raise Unavailable(f"no answer with {opened} idle connections: {status}")
    finally:
        if client.stdin is not None and not client.stdin.closed:
            with contextlib.suppress(OSError):
                client.stdin.write("quit\n")
                client.stdin.close()
        try:
            client.wait(timeout=30)
        except subprocess.TimeoutExpired:
            client.kill()
            client.wait()
        if client.stdout is not None:
            client.stdout.close()
    return Sample(
        (after - before) / opened,
        {
            "rss_before_mib": before / 1024,
            "rss_after_mib": after / 1024,
            "connections": float(opened),
            "closed_by_server": float(closed),
        },
    )
