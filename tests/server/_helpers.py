"""Start a real :class:`aio.server.Server` on 127.0.0.1, port 0, in the test's loop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

from aio.server import Config, Server


class Running:
    """A server started by :func:`serving`."""

    def __init__(self, server: Server, task: asyncio.Task[None]) -> None:
        self.server = server
        self.task = task
        sock = server.servers[0].sockets[0]
        self.sockname = sock.getsockname()
        if sock.family == socket.AF_UNIX:
            self.url = "http://localhost"
            self.host, self.port = "localhost", 0
        else:
            self.host, self.port = self.sockname[0], self.sockname[1]
            scheme = "https" if server.config.ssl is not None else "http"
            self.url = f"{scheme}://{self.host}:{self.port}"

    @property
    def address(self) -> tuple[str, int]:
        return (self.host, self.port)


@contextlib.asynccontextmanager
async def serving(app: Any, **options: Any) -> AsyncIterator[Running]:
    """Serve ``app`` until the block ends, then shut down gracefully."""
    options.setdefault("port", 0)
    options.setdefault("lifespan", "off")
    config = Config(app, **options)
    server = Server(config)
    task = asyncio.get_running_loop().create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # raise what went wrong
            raise RuntimeError("server exited before it started")
        await asyncio.sleep(0.01)
    try:
        yield Running(server, task)
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, 10)


async def raw_request(
    address: tuple[str, int], data: bytes, *, read_until_close: bool = True
) -> bytes:
    """Send raw bytes, return everything the server sends until it closes."""
    reader, writer = await asyncio.open_connection(*address)
    try:
        writer.write(data)
        await writer.drain()
        if read_until_close:
            return await asyncio.wait_for(reader.read(), 10)
        return await asyncio.wait_for(reader.read(65536), 10)
    finally:
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


class ThreadedServer:
    """A server on its own loop in a daemon thread, for synchronous tests."""

    def __init__(self, app: Any, **options: Any) -> None:
        import threading

        options.setdefault("port", 0)
        options.setdefault("lifespan", "off")
        self.server = Server(Config(app, **options))
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        self.loop.run_until_complete(self.server.serve())

    def __enter__(self) -> ThreadedServer:
        import time

        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)
        sock = self.server.servers[0].sockets[0]
        self.address: tuple[str, int] = sock.getsockname()[:2]
        self.url = f"http://{self.address[0]}:{self.address[1]}"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.loop.close()
