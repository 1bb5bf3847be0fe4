"""A scripted RESP3 server that pushes maintenance notifications, for the tests
of ``aio.redis`` (``tests/redis/test_maint_notifications_wire.py``) and of the
blocking facade (served by a loop on a thread of its own there: ``same_port_pair_in_thread``).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

Script = Callable[[list[bytes], asyncio.StreamWriter], Awaitable[None]]
MAINT = (b"CLIENT", b"MAINT_NOTIFICATIONS")


def encode(value: Any) -> bytes:
    """One RESP3 value: ints, None (null), bytes/str (bulk), lists (arrays)."""
    if value is None:
        return b"_\r\n"
    if isinstance(value, int):
        return b":%d\r\n" % value
    if isinstance(value, str):
        value = value.encode()
    if isinstance(value, bytes):
        return b"$%d\r\n%s\r\n" % (len(value), value)
    return b"*%d\r\n" % len(value) + b"".join(encode(v) for v in value)


def push(*items: Any) -> bytes:
    """A RESP3 push message."""
    return b">%d\r\n" % len(items) + b"".join(encode(v) for v in items)


class ScriptedServer:
    """A RESP3 server: answers HELLO, ``CLIENT MAINT_NOTIFICATIONS`` with
    ``maint_reply``, PING, and each command named in ``scripts`` by its script
    (``+OK`` otherwise); records every command it reads."""

    def __init__(self, host: str, maint_reply: bytes = b"+OK\r\n") -> None:
        self.host = host
        self.port = 0
        self.maint_reply = maint_reply
        self.scripts: dict[bytes, Script] = {}
        self.commands: list[list[bytes]] = []
        self.connections = 0
        self._server: asyncio.Server | None = None
        self._writers: list[asyncio.StreamWriter] = []
        self._tasks: set[asyncio.Task[None]] = set()

    async def start(self, port: int = 0) -> None:
        self._server = await asyncio.start_server(self._serve, self.host, port)
        self.port = int(self._server.sockets[0].getsockname()[1])

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for writer in self._writers:
            writer.close()
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    def sent(self, *prefix: bytes) -> list[list[bytes]]:
        """The commands read that start with ``prefix`` (upper-cased words)."""
        n = len(prefix)
        return [c for c in self.commands if tuple(w.upper() for w in c[:n]) == prefix]

    async def _serve(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        self._writers.append(writer)
        self.connections += 1
        try:
            while True:
                line = await reader.readline()
                if not line:
                    return
                assert line[:1] == b"*", line
                args = []
                for _ in range(int(line[1:-2])):
                    size = int((await reader.readline())[1:-2])
                    args.append((await reader.readexactly(size + 2))[:-2])
                self.commands.append(args)
                await self._answer(args, writer)
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            return
        finally:
            writer.close()

    async def _answer(self, args: list[bytes], writer: asyncio.StreamWriter) -> None:
        name = args[0].upper()
        if name == b"HELLO":
            writer.write(b"%1\r\n$5\r\nproto\r\n:" + args[1] + b"\r\n")
        elif tuple(a.upper() for a in args[:2]) == MAINT:
            writer.write(self.maint_reply)
        elif name == b"PING":
            writer.write(b"+PONG\r\n")
        elif name in self.scripts:
            await self.scripts[name](args, writer)
        else:
            writer.write(b"+OK\r\n")


def reply_after(
    *before: bytes, delay: float = 0.5, reply: bytes = b"$2\r\nok\r\n"
) -> Script:
    """A script that writes ``before`` (pushes), waits ``delay`` seconds, then
    writes ``reply``."""

    async def script(args: list[bytes], writer: asyncio.StreamWriter) -> None:
        writer.write(b"".join(before))
        await writer.drain()
        await asyncio.sleep(delay)
        writer.write(reply)

    return script


@contextlib.contextmanager
def same_port_pair_in_thread(
    scripts: Callable[[ScriptedServer, ScriptedServer], None],
) -> Iterator[tuple[ScriptedServer, ScriptedServer]]:
    """``(old, new)`` servers on 127.0.0.1 and ::1 with one port, served by a
    loop on a thread of their own (for blocking clients); ``scripts(old, new)``
    sets their scripts before they serve."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()

    async def start() -> tuple[ScriptedServer, ScriptedServer]:
        for _ in range(20):
            new = ScriptedServer("::1")
            await new.start()
            old = ScriptedServer("127.0.0.1")
            try:
                await old.start(new.port)
            except OSError:
                await new.stop()
                continue
            scripts(old, new)
            return old, new
        raise RuntimeError("no port free on both 127.0.0.1 and ::1")

    old, new = asyncio.run_coroutine_threadsafe(start(), loop).result(10)
    try:
        yield old, new
    finally:
        for server in (old, new):
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()
