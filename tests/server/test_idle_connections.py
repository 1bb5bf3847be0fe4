"""What an idle keep-alive connection holds on the server (the ``idle_connections``
benchmark measures its RSS; these tests pin the structure behind the number)."""

from __future__ import annotations

import asyncio
import contextlib
import tracemalloc
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aio.server
from aio.server._http import HTTPProtocol
from tests.server._helpers import Running, serving
from tests.server.test_protocol_unit import hello, make_protocol

SERVER_DIR = str(Path(aio.server.__file__).parent)
IDLE = 50


async def _keep_alive_exchange(
    running: Running,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(*running.address)
    writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    await writer.drain()
    head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 10)
    assert head.startswith(b"HTTP/1.1 200 ")
    assert await asyncio.wait_for(reader.readexactly(2), 10) == b"hi"
    return reader, writer


@contextlib.asynccontextmanager
async def _idle_connections(
    running: Running, count: int
) -> AsyncIterator[list[asyncio.StreamWriter]]:
    writers: list[asyncio.StreamWriter] = []
    try:
        for _ in range(count):
            writers.append((await _keep_alive_exchange(running))[1])
        # every connection has answered; let the server settle
        await asyncio.sleep(0.05)
        yield writers
    finally:
        for writer in writers:
            writer.close()


def _tasks_of_server() -> set[asyncio.Task[Any]]:
    # The test's own tasks (this one, the server's serve()) do not count.
    return {
        task
        for task in asyncio.all_tasks()
        if "_task_body" in repr(task.get_coro())  # the runner's handler tasks
    }


async def test_idle_keep_alive_connections_hold_no_task() -> None:
    async with (
        serving(hello, timeout_keep_alive=60) as running,
        _idle_connections(running, IDLE),
    ):
        assert len(running.server.server_state.connections) == IDLE
        # The handler finished in its eager step each time: one pooled task
        # served them all, and no connection keeps one of its own.
        assert len(_tasks_of_server()) <= 1
    await asyncio.sleep(0)
    assert not _tasks_of_server()  # the server's shutdown ended the pool


async def test_the_protocol_has_no_instance_dict() -> None:
    protocol, _ = make_protocol(hello)
    assert isinstance(protocol, HTTPProtocol)
    assert not hasattr(protocol, "__dict__")


async def test_aio_server_allocates_under_1_kib_per_idle_connection() -> None:
    # tracemalloc counts what aio.server's own code allocates (the transport
    # and socket objects asyncio makes are the same for every server).
    # Measured: 0.58 KiB; 2.8 KiB with a task per connection and a __dict__.
    async with serving(hello, timeout_keep_alive=60) as running:
        async with _idle_connections(running, 2):
            pass  # warm caches: the first requests fill them
        await asyncio.sleep(0.05)  # and let the server see those close
        was_tracing = tracemalloc.is_tracing()
        if not was_tracing:
            tracemalloc.start(1)
        try:
            before = tracemalloc.take_snapshot()
            async with _idle_connections(running, IDLE):
                after = tracemalloc.take_snapshot()
        finally:
            if not was_tracing:
                tracemalloc.stop()
    ours = [tracemalloc.Filter(True, f"{SERVER_DIR}/*")]
    diff = after.filter_traces(ours).compare_to(before.filter_traces(ours), "filename")
    per_connection = sum(stat.size_diff for stat in diff) / IDLE
    assert per_connection < 1024, diff[:5]
