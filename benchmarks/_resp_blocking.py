"""A blocking RESP client in a few lines, over aio's sans-I/O core: a measuring stick.

It answers one question for the ``redis_sync`` suite: how fast would the blocking
facade be if it did its socket I/O in the calling thread (as redis-py's sync
client does), driving the same :mod:`aio.proto.resp` encoder and parser, instead
of handing every call to the background loop through the portal? It is not a
client: no pool, no retries, no reconnect, no response callbacks; what a real
blocking shell would add on top costs client time too, so this is a ceiling.
"""

from __future__ import annotations

import socket
from typing import Any

from aio.proto.resp import NEED_DATA, RESPParser, encode_command, encode_commands


class BlockingRESP:
    """One TCP connection, RESP3, commands sent and answered in the calling thread."""

    def __init__(self, host: str, port: int, db: int) -> None:
        self._sock = socket.create_connection((host, port))
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._parser = RESPParser()
        self.execute_command("HELLO", 3)
        self.execute_command("SELECT", db)

    def _reply(self) -> Any:
        parser = self._parser
        while True:
            reply = parser.gets()
            if reply is not NEED_DATA:
                return reply
            data = self._sock.recv(1 << 20)
            if not data:
                raise ConnectionError("the server closed the connection")
            parser.feed(data)

    def execute_command(self, *args: Any) -> Any:
        """Send one command and return its raw reply."""
        buffers = encode_command(*args)
        sent = self._sock.sendmsg(buffers)
        if sent < sum(len(b) for b in buffers):  # a blocking send may stop early
            self._sock.sendall(b"".join(buffers)[sent:])
        return self._reply()

    def execute_many(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """Send ``commands`` in one write (a pipeline) and return their replies."""
        self._sock.sendall(b"".join(encode_commands(commands)))
        return [self._reply() for _ in commands]

    def close(self) -> None:
        """Close the socket."""
        self._sock.close()
