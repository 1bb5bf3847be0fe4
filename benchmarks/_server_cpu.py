"""CPU per request of the ASGI server's connection shell, measured without sockets.

``python -m benchmarks._server_cpu [--requests N] [--loop asyncio|uvloop]
[--server aio|uvicorn] [--profile] [--path /|/json]``

One protocol object (ours, or uvicorn's httptools protocol for comparison) gets a
fake transport, then N keep-alive requests, one ``data_received`` call each, the
way wrk drives a connection: a request arrives, the response is written, the
next request arrives. The same raw ASGI app as the ``http_server`` suite answers.
The result is process CPU time per request, which the machine's load disturbs
far less than wrk's req/s; ``--profile`` prints cProfile's top entries instead.

What this leaves out is the event loop's own work per request (selector wake-up,
``recv``/``send`` system calls), which is the same for every server on one loop.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import time
from collections.abc import Callable
from typing import Any

from aio.engine import new_event_loop
from benchmarks.apps.asgi_hello import app

REQUEST = (
    b"GET %b HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nUser-Agent: wrk\r\nAccept: */*\r\n\r\n"
)


class FakeTransport(asyncio.Transport):
    """Counts written bytes; never pauses, never closes."""

    def __init__(self) -> None:
        super().__init__()
        self.written = 0
        self.closed = False

    def write(self, data: Any) -> None:
        self.written += len(data)

    def writelines(self, chunks: Any) -> None:
        for chunk in chunks:
            self.written += len(chunk)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        extra = {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 8080)}
        return extra.get(name, default)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass

    def set_protocol(self, protocol: Any) -> None:
        pass


def aio_protocol(loop: asyncio.AbstractEventLoop) -> asyncio.Protocol:
    from aio.server import Config
    from aio.server._http import HTTPProtocol
    from aio.server._state import ServerState

    config = Config(app, lifespan="off", access_log=False)
    config.load()
    return HTTPProtocol(config, ServerState(config.encoded_headers), {}, loop)


def uvicorn_protocol(loop: asyncio.AbstractEventLoop) -> asyncio.Protocol:
    from uvicorn.config import Config
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
    from uvicorn.server import ServerState

    config = Config(app, lifespan="off", access_log=False, log_level="warning")
    config.load()
    return HttpToolsProtocol(config, ServerState(), {}, loop)


FACTORIES: dict[str, Callable[[asyncio.AbstractEventLoop], asyncio.Protocol]] = {
    "aio": aio_protocol,
    "uvicorn": uvicorn_protocol,
}


def drive(
    loop: asyncio.AbstractEventLoop,
    protocol: asyncio.Protocol,
    request: bytes,
    n: int,
    profile: bool,
    done: asyncio.Future[tuple[float, int]],
) -> None:
    """Feed ``n`` requests, each from its own loop callback, so that whatever a
    request schedules (task steps, callbacks) runs before the next arrives;
    resolve ``done`` with (CPU s, bytes written)."""
    transport = FakeTransport()
    protocol.connection_made(transport)
    receive = protocol.data_received  # type: ignore[attr-defined]
    call_soon = loop.call_soon
    profiler = cProfile.Profile() if profile else None
    left = n + 200  # the first 200 warm caches (names, status lines, date)
    start = 0.0

    def feed() -> None:
        nonlocal left, start
        if left == n:
            start = time.process_time()
            if profiler is not None:
                profiler.enable()
        if left == 0:
            cpu = time.process_time() - start
            if profiler is not None:
                profiler.disable()
                stats = pstats.Stats(profiler)
                stats.sort_stats("tottime").print_stats(30)
            protocol.connection_lost(None)
            done.set_result((cpu, transport.written))
            return
        left -= 1
        receive(request)
        call_soon(feed)

    call_soon(feed)


def run(server: str, loop_name: str, path: bytes, n: int, profile: bool) -> float:
    """CPU microseconds per request for one server on one loop."""
    loop = new_event_loop(loop_name)
    request = REQUEST % path
    result: list[tuple[float, int]] = []

    async def main() -> None:
        done: asyncio.Future[tuple[float, int]] = loop.create_future()
        drive(loop, FACTORIES[server](loop), request, n, profile, done)
        result.append(await done)

    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    cpu, written = result[0]
    if written < n * 40:
        raise SystemExit(f"{server}: responses missing ({written} bytes written)")
    return cpu / n * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks._server_cpu")
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--loop", choices=("asyncio", "uvloop"), default="asyncio")
    parser.add_argument("--server", choices=tuple(FACTORIES), action="append")
    parser.add_argument("--path", default="/")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    servers = args.server or list(FACTORIES)
    path = args.path.encode()
    if args.profile:
        for server in servers:
            run(server, args.loop, path, args.requests, True)
        return
    for server in servers:
        samples = sorted(
            run(server, args.loop, path, args.requests, False)
            for _ in range(args.repeat)
        )
        print(
            f"{server:8} {args.loop:8} {args.path:6} "
            f"min {samples[0]:6.2f} us  median {samples[len(samples) // 2]:6.2f} us"
        )


if __name__ == "__main__":
    main()
