"""Suite ``http_server``: requests/s of aio's servers vs uvicorn, hypercorn, granian, gunicorn.

Every server runs one worker in its own subprocess pinned to core 0 and serves the
same raw app (:mod:`benchmarks.apps`); wrk, pinned to core 1, keeps 64 keep-alive
connections busy from one thread. Per round each server is started once, checked
(both paths must answer the expected bodies), then measured on every case and
stopped. ``AIO_BENCH_DURATION`` overrides the seconds per measurement (default 10,
``--quick``: 2).
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator

from benchmarks._harness import Case, Contender, RunInfo, Sample, Suite, Unavailable
from benchmarks._server import HOST, ServerProcess, free_port
from benchmarks._wrk import ensure_wrk, run_wrk
from benchmarks.apps.asgi_hello import JSON, PLAIN

SUITE = Suite(
    name="http_server",
    unit="requests/s",
    higher_is_better=True,
    description=(
        "HTTP/1.1 keep-alive throughput of one server worker: wrk -t1 -c64 against "
        "a raw ASGI (or WSGI) hello app, server on core 0, wrk on core 1."
    ),
    rounds=3,
)

ASGI_APP = "benchmarks.apps.asgi_hello:app"
WSGI_APP = "benchmarks.apps.wsgi_hello:app"
CONNECTIONS = 64
PY = sys.executable


def command(template: str) -> list[str]:
    """``python -m ...`` argv from a template; ``{port}`` is filled in per run."""
    text = template.format(app=ASGI_APP, wsgi=WSGI_APP, host=HOST, port="{port}")
    return [PY, "-m", *text.split()]


AIO = "aio serve {app} --host {host} --port {port} --no-access-log --log-level warning"
UVICORN = (
    "uvicorn {app} --host {host} --port {port} --no-access-log --log-level warning"
)
HYPERCORN = (
    "hypercorn {app} --bind {host}:{port} --workers 1 --worker-class asyncio"
    " --log-level warning"
)
GRANIAN = (
    "granian --interface asgi --host {host} --port {port} --workers 1"
    " --no-access-log --log-level warning {app}"
)
AIO_WSGI = (
    "aio wsgi {wsgi} --threads 4 --host {host} --port {port} --no-access-log"
    " --log-level warning"
)
GTHREAD = "{wsgi} -k gthread --threads 4 -w 1 -b {host}:{port} --log-level warning"


def contenders() -> list[Contender]:
    """aio (asyncio, uvloop) and aio wsgi, with their peers, in alternation order."""
    asgi, wsgi = "asgi", "wsgi"
    return [
        Contender(
            "aio",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.server",),
            group=asgi,
            params={"argv": command(AIO + " --loop asyncio")},
        ),
        Contender(
            "aio+uvloop",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.server", "uvloop"),
            also=("uvloop",),
            group=asgi,
            params={"argv": command(AIO + " --loop uvloop")},
        ),
        Contender(
            "uvicorn httptools+uvloop",
            dist="uvicorn",
            requires=("uvicorn", "httptools", "uvloop"),
            also=("httptools", "uvloop"),
            group=asgi,
            baseline="aio+uvloop",
            params={"argv": command(UVICORN + " --http httptools --loop uvloop")},
        ),
        Contender(
            "uvicorn h11+asyncio",
            dist="uvicorn",
            requires=("uvicorn", "h11"),
            also=("h11",),
            group=asgi,
            baseline="aio",
            params={"argv": command(UVICORN + " --http h11 --loop asyncio")},
        ),
        Contender(
            "hypercorn",
            dist="hypercorn",
            requires=("hypercorn",),
            group=asgi,
            baseline="aio",
            params={"argv": command(HYPERCORN)},
        ),
        Contender(
            "granian",
            dist="granian",
            requires=("granian",),
            group=asgi,
            baseline="aio+uvloop",
            params={"argv": command(GRANIAN)},
        ),
        Contender(
            "aio wsgi",
            is_ours=True,
            dist="aio-stack",
            requires=("aio.server.wsgi_cli",),
            group=wsgi,
            params={"argv": command(AIO_WSGI)},
        ),
        Contender(
            "sync_shims.gunicorn gthread",
            is_ours=True,
            dist="aio-stack",
            requires=("sync_shims.gunicorn",),
            group=wsgi,
            params={"argv": command("sync_shims.gunicorn " + GTHREAD)},
        ),
        Contender(
            "gunicorn gthread",
            dist="gunicorn",
            requires=("gunicorn",),
            group=wsgi,
            baseline="aio wsgi",
            params={"argv": command("gunicorn " + GTHREAD)},
        ),
    ]


def cases() -> list[Case]:
    """Plaintext and a small JSON body, both keep-alive."""
    return [
        Case("plaintext", 'GET / -> "Hello, world!" (text/plain)', {"path": "/"}),
        Case("json", f"GET /json -> {len(JSON)}-byte JSON body", {"path": "/json"}),
    ]


def duration(run: RunInfo) -> float:
    """Seconds of load per measurement."""
    override = os.environ.get("AIO_BENCH_DURATION")
    if override:
        return float(override)
    return 2.0 if run.quick else 10.0


def prepare(run: RunInfo) -> None:
    """Install wrk if needed (the suite cannot run without it)."""
    ensure_wrk()


def argv_for(contender: Contender, port: int) -> list[str]:
    """The contender's command with the port filled in."""
    return [arg.replace("{port}", str(port)) for arg in contender.params["argv"]]


@contextlib.contextmanager
def contender_session(contender: Contender, run: RunInfo) -> Iterator[ServerProcess]:
    """Start the contender's server once per round; measure every case against it."""
    port = free_port()
    checks = {"/": PLAIN, "/json": JSON}
    with ServerProcess(argv_for(contender, port), port, checks, cpu=0) as server:
        yield server


def measure(contender: Contender, case: Case, run: RunInfo) -> Sample:
    """Warm up (1 s, not in quick mode), then one wrk run; requests/s and latency."""
    server = run.session
    if not isinstance(server, ServerProcess):
        raise Unavailable("no server session")
    url = f"http://{HOST}:{server.port}{case.params['path']}"
    if not run.quick:
        run_wrk(url, duration=1, connections=CONNECTIONS)
    cpu_before = server.cpu_seconds()
    result = run_wrk(url, duration=duration(run), connections=CONNECTIONS)
    cpu_used = server.cpu_seconds() - cpu_before
    if server.proc is not None and server.proc.poll() is not None:
        raise Unavailable(f"server died under load: {server.log_tail()}")
    errors = result.socket_errors + result.non_2xx
    if result.requests and errors > result.requests // 100:
        raise Unavailable(f"{errors} errors in {result.requests} requests")
    extras = {"latency_avg_ms": result.latency_avg_ms}
    if result.latency_p99_ms is not None:
        extras["latency_p99_ms"] = result.latency_p99_ms
    if cpu_used > 0:
        # throughput per CPU-second the server used: far less sensitive than
        # requests/s to other processes competing for the machine
        extras["req_per_cpu_s"] = result.requests / cpu_used
    extras["errors"] = float(errors)
    return Sample(result.requests_per_s, extras)
