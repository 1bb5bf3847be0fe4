"""Redis fixtures for the client tests (and for later Redis work).

- ``redis_url``: ``redis://127.0.0.1:6379/9``, the shared server's database 9, which
  belongs to the client tests (8 when a second one is needed; the command tests use
  10), held under a cross-process lock for the test. Nothing here runs FLUSHALL.
- ``r``: an :class:`aio.redis.Redis` on database 9, FLUSHDB before and after.
- ``private_redis_server``: a factory that starts a private ``redis-server`` on a
  free port of 127.0.0.1 with extra arguments and returns a :class:`PrivateRedis`
  that can be stopped, killed (SIGKILL) and restarted on the same port. Every server
  started is killed at the end of the test.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import pytest

from tests.plugins.fix_services import missing, require_service

HOST = "127.0.0.1"
DB = 9
DB2 = 8


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class PrivateRedis:
    """A ``redis-server`` subprocess owned by one test."""

    def __init__(self, binary: str, args: tuple[str, ...], workdir: str) -> None:
        self.binary = binary
        self.args = args
        self.workdir = workdir
        self.host = HOST
        self.port = _free_port()
        self.unix_socket = os.path.join(workdir, "redis.sock")
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """``redis://127.0.0.1:<port>/0``."""
        return f"redis://{self.host}:{self.port}/0"

    def start(self) -> PrivateRedis:
        """Start (or restart, on the same port) and wait until it answers."""
        if self.process is not None and self.process.poll() is None:
            return self
        command = [
            self.binary,
            "--port", str(self.port),
            "--bind", self.host,
            "--save", "",
            "--appendonly", "no",
            "--dir", self.workdir,
            "--unixsocket", self.unix_socket,
            *self.args,
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        end = time.monotonic() + 10
        while time.monotonic() < end:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"redis-server exited: {self.process.returncode}")
            try:
                with socket.create_connection((self.host, self.port), timeout=0.5) as s:
                    s.sendall(b"PING\r\n")
                    # +PONG, or -NOAUTH with --requirepass: either way it serves.
                    if s.recv(64)[:1] in (b"+", b"-"):
                        return
            except OSError:
                pass
            time.sleep(0.02)
        raise RuntimeError(f"private redis-server on port {self.port} did not start")

    def kill(self) -> None:
        """SIGKILL the server and wait for it to be gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)

    def stop(self) -> None:
        """Terminate the server gracefully."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.kill()

    def restart(self) -> PrivateRedis:
        """Kill (if running) and start again on the same port."""
        self.kill()
        return self.start()


LOCK_PATH = os.path.join(tempfile.gettempdir(), "aio-tests-redis-db9.lock")


@contextlib.contextmanager
def db_lock() -> Iterator[None]:
    """Hold database 9 (and the channel names of these tests) across processes.

    Side-by-side test runs on one machine share the Redis service; without the
    lock one run's FLUSHDB would empty another's keys mid-test.
    """
    fd = os.open(LOCK_PATH, os.O_CREAT | os.O_RDWR, 0o666)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@pytest.fixture
def redis_url() -> Iterator[str]:
    """URL of database 9 of the shared Redis (skips or fails when unreachable),
    held exclusively for the test (see :func:`db_lock`)."""
    host, port = require_service("redis")
    with db_lock():
        yield f"redis://{host}:{port}/{DB}"


@pytest.fixture
async def r(redis_url: str) -> AsyncIterator[object]:
    """An ``aio.redis.Redis`` on database 9, flushed before and after."""
    from aio.redis import Redis

    client = Redis.from_url(redis_url)
    await client.flushdb()
    try:
        yield client
    finally:
        await client.flushdb()
        await client.aclose()


@pytest.fixture
def private_redis_server() -> Iterator[Callable[..., PrivateRedis]]:
    """Factory: ``private_redis_server("--requirepass", "s3cret")`` starts a server."""
    binary = shutil.which("redis-server")
    if binary is None:
        missing("redis-server is not installed")
    assert binary is not None
    servers: list[PrivateRedis] = []
    dirs: list[tempfile.TemporaryDirectory[str]] = []

    def start(*args: str) -> PrivateRedis:
        workdir = tempfile.TemporaryDirectory(prefix="aio-redis-")
        dirs.append(workdir)
        server = PrivateRedis(binary, args, workdir.name)
        servers.append(server)
        return server.start()

    try:
        yield start
    finally:
        for server in servers:
            server.kill()
        for workdir in dirs:
            workdir.cleanup()


FakeHandler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Any]


@pytest.fixture
async def fake_server() -> AsyncIterator[Callable[[FakeHandler], Any]]:
    """Start scripted fake Redis servers on 127.0.0.1:0 (``port = await start(handler)``);
    every handler is finished at teardown. Handlers script RESP2 replies and do not
    answer ``HELLO``: their clients pass ``protocol=2``."""
    servers: list[asyncio.Server] = []
    writers: list[asyncio.StreamWriter] = []
    tasks: set[asyncio.Task[Any]] = set()

    async def start(handler: FakeHandler) -> int:
        async def tracked(
            reader: asyncio.StreamReader, writer: asyncio.StreamWriter
        ) -> None:
            task = asyncio.current_task()
            assert task is not None
            tasks.add(task)
            writers.append(writer)
            try:
                await handler(reader, writer)
            finally:
                writer.close()

        server = await asyncio.start_server(tracked, "127.0.0.1", 0)
        servers.append(server)
        return int(server.sockets[0].getsockname()[1])

    yield start
    for server in servers:
        server.close()
    for writer in writers:
        writer.close()  # the handlers' pending reads see EOF and return
    for task in tasks:
        task.cancel()  # and one stuck elsewhere (after a failed test) is stopped
    await asyncio.gather(*tasks, return_exceptions=True)
