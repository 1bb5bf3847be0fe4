"""The issue's yardstick: a bare-bones asyncio RESP client, for the ``redis`` suite.

Issue 3 judges client overhead against "a bare-bones ``asyncio.Protocol`` RESP
client in pure Python". This is one, so the table shows on the host of each run
how far above a minimal client aio.redis sits, and how far any pure-Python asyncio
client can get ahead of redis-py there (the sequential case is mostly wake-ups
and the server's own time, which no client removes).

One connection, a FIFO of futures, aio's sans-I/O encoder and parser, nothing
else: no pool, no timeouts, no reconnect, no error mapping, no response
callbacks, no decoding. It offers just what :func:`benchmarks.redis._workload`
calls on a client, and cannot run the ``64 tasks`` case (no pool: one connection
would pipeline the tasks' commands, another workload).
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any

from aio.proto.resp import NEED_DATA, RESPParser, encode_command, encode_commands


class _Protocol(asyncio.Protocol):
    def __init__(self) -> None:
        self.parser = RESPParser()
        self.waiters: deque[asyncio.Future[Any]] = deque()
        self.transport: Any = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        parser = self.parser
        parser.feed(data)
        while (reply := parser.gets()) is not NEED_DATA:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(reply)

    def connection_lost(self, exc: Exception | None) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_exception(ConnectionError("connection lost"))


class _Pipeline:
    def __init__(self, client: BareRESP) -> None:
        self._client = client
        self._commands: list[tuple[Any, ...]] = []

    def set(self, key: str, value: Any) -> None:
        self._commands.append(("SET", key, value))

    async def execute(self) -> list[Any]:
        return await self._client.execute_many(self._commands)


class BareRESP:
    """A minimal RESP3 client on one ``asyncio.Protocol`` connection."""

    def __init__(self, host: str, port: int, db: int) -> None:
        self._address = (host, port)
        self._db = db
        self._protocol: _Protocol | None = None

    async def _connected(self) -> _Protocol:
        if self._protocol is None:
            loop = asyncio.get_running_loop()
            _, protocol = await loop.create_connection(_Protocol, *self._address)
            self._protocol = protocol
            await self._send([("HELLO", 3), ("SELECT", self._db)])
        return self._protocol

    async def _send(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        protocol = self._protocol
        assert protocol is not None
        loop = asyncio.get_running_loop()
        waiters = [loop.create_future() for _ in commands]
        protocol.waiters.extend(waiters)
        protocol.transport.writelines(encode_commands(commands))
        return [await waiter for waiter in waiters]

    async def execute_command(self, *args: Any) -> Any:
        """Send one command; return its raw reply."""
        protocol = await self._connected()
        waiter = asyncio.get_running_loop().create_future()
        protocol.waiters.append(waiter)
        protocol.transport.writelines(encode_command(*args))
        return await waiter

    async def execute_many(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """Send ``commands`` in one write; return their raw replies."""
        await self._connected()
        return await self._send(commands)

    async def ping(self) -> Any:
        return await self.execute_command("PING")

    async def set(self, key: str, value: Any) -> Any:
        return await self.execute_command("SET", key, value)

    async def get(self, key: str) -> Any:
        return await self.execute_command("GET", key)

    async def delete(self, *keys: str) -> Any:
        return await self.execute_command("DEL", *keys)

    def pipeline(self, transaction: bool = False) -> _Pipeline:
        return _Pipeline(self)

    async def aclose(self) -> None:
        if self._protocol is not None:
            self._protocol.transport.close()
            self._protocol = None
