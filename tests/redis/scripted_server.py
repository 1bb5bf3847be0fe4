"""A scripted RESP server for tests of commands the local Redis cannot run.

The Redis on the test machines has no modules (RedisJSON, Search, TimeSeries,
Bloom, vector sets), so those commands are checked against redis-py as the
oracle on a server that answers from a script: :class:`ScriptedServer` answers
the connection handshake itself (``HELLO``, the ``CLIENT SETINFO``/``SETNAME``
redis-py sends, ``SELECT``, MULTI/EXEC framing) and every other command with the
next scripted reply, recording what it received. It runs in threads on
127.0.0.1, so async clients (on the test's loop) and blocking ones (redis-py's,
or the facade's on the engine loop) can both talk to it; its replies follow the
protocol each connection asked for in ``HELLO`` (RESP2 without one).

It only replays: no module semantics are faked.
"""

from __future__ import annotations

import socket
import threading
from collections import deque
from dataclasses import dataclass

from aio.proto.resp import NEED_DATA, ErrorReply, RESPParser, encode_reply

__all__ = ("OK", "Raw", "ScriptedServer", "Simple", "encode")


@dataclass(frozen=True)
class Simple:
    """A simple-string reply (``+OK``), which ``encode_reply`` does not make."""

    text: str


@dataclass(frozen=True)
class Raw:
    """A reply given as its exact wire bytes (for malformed payloads)."""

    data: bytes


OK = Simple("OK")
_HANDSHAKE = {b"CLIENT", b"SELECT", b"PING", b"WATCH", b"UNWATCH", b"DISCARD"}


def encode(value: object, protocol: int) -> bytes:
    """``value`` as one reply on a connection speaking ``protocol``."""
    if isinstance(value, Simple):
        return b"+%s\r\n" % value.text.encode()
    if isinstance(value, Raw):
        return value.data
    if isinstance(value, list):
        head = b"*%d\r\n" % len(value)
        return head + b"".join(encode(item, protocol) for item in value)
    return encode_reply(value, protocol=protocol)


class ScriptedServer:
    """Answers each command (past the handshake) with the next reply of
    :meth:`script`; ``received`` holds those commands, as lists of bytes."""

    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self._replies: deque[object] = deque()
        self.received: list[list[bytes]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._conns: list[socket.socket] = []
        self._threads: list[threading.Thread] = []
        accept = threading.Thread(target=self._accept, daemon=True)
        accept.start()
        self._threads.append(accept)

    def script(self, *replies: object) -> None:
        """Forget what was received and answer the next commands with ``replies``."""
        with self._lock:
            self._replies = deque(replies)
            self.received = []

    @property
    def unused(self) -> int:
        """How many scripted replies no command has taken."""
        with self._lock:
            return len(self._replies)

    def close(self) -> None:
        """Stop accepting, close every connection, join the threads."""
        self._stop.set()
        for conn in self._conns:
            conn.close()
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._conns.append(conn)
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _next(self, command: list[bytes]) -> object:
        with self._lock:
            self.received.append(command)
            if not self._replies:
                return ErrorReply(f"ERR unscripted command {command[0]!r}")
            return self._replies.popleft()

    def _serve(self, conn: socket.socket) -> None:
        parser = RESPParser()
        protocol = 2
        queued: list[object] | None = None  # replies of a MULTI block
        while not self._stop.is_set():
            command = parser.gets()
            if command is NEED_DATA:
                try:
                    data = conn.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                parser.feed(data)
                continue
            assert isinstance(command, list)
            name = bytes(command[0]).upper()
            out: object
            if name == b"HELLO":
                protocol = int(command[1]) if len(command) > 1 else protocol
                out = {"server": "redis", "version": "7.0.15", "proto": protocol}
            elif name in _HANDSHAKE:
                out = Simple("PONG") if name == b"PING" else OK
            elif name == b"MULTI":
                queued, out = [], OK
            elif name == b"EXEC":
                out, queued = queued or [], None
            elif queued is not None:
                queued.append(self._next(command))
                out = Simple("QUEUED")
            else:
                out = self._next(command)
            try:
                conn.sendall(encode(out, protocol))
            except OSError:
                return
