"""The WSGI side's file-like objects: ``wsgi.input``, ``wsgi.errors``, file_wrapper.

``wsgi.input`` is streaming: the application runs on a pool thread, and when it asks
for more bytes than are buffered the thread blocks on ``pull()``, which asks the event
loop for the next ``http.request`` chunk. Nothing is read ahead of the application, so
a large upload never sits in memory unless the application reads it all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import IO

from aio.errors import BrokenResourceError

__all__ = ("ClientDisconnectedError", "ErrorStream", "FileWrapper", "InputStream")

_errors_logger = logging.getLogger("aio.server.wsgi")


class ClientDisconnectedError(BrokenResourceError, OSError):
    """The client went away while the application was reading or writing.

    It is an :class:`OSError` too, as a broken pipe would be on a blocking server, so
    applications that already handle ``OSError`` around I/O keep working.
    """


# pull() returns the next request body chunk and whether more follows.
Pull = Callable[[], tuple[bytes, bool]]


class InputStream:
    """``wsgi.input``: a blocking, streaming reader over the request body.

    :param first: the body bytes already received when the application started.
    :param more: whether more body follows ``first``.
    :param pull: blocks until the next chunk arrives; raises
        :class:`ClientDisconnectedError` when the client disconnected.
    """

    __slots__ = ("_buf", "_more", "_pull")

    def __init__(self, first: bytes, more: bool, pull: Pull) -> None:
        self._buf = bytearray(first)
        self._more = more
        self._pull = pull

    def _fill(self) -> bool:
        # One more chunk into the buffer; False when the body is exhausted.
        if not self._more:
            return False
        chunk, self._more = self._pull()
        self._buf += chunk
        return True

    def _take(self, n: int) -> bytes:
        data = bytes(self._buf[:n])
        del self._buf[:n]
        return data

    def read(self, size: int | None = -1) -> bytes:
        """Read up to ``size`` bytes (all of the rest when negative or None)."""
        if size is None or size < 0:
            while self._fill():
                pass
            return self._take(len(self._buf))
        while len(self._buf) < size and self._fill():
            pass
        return self._take(size)

    def readline(self, size: int | None = -1) -> bytes:
        """Read one line, including its ``\\n``, of at most ``size`` bytes."""
        limit = -1 if size is None else size
        start = 0
        end = 0
        while True:
            pos = self._buf.find(b"\n", start)
            if pos >= 0:
                end = pos + 1
                break
            if 0 <= limit <= len(self._buf):
                end = limit
                break
            start = len(self._buf)
            if not self._fill():
                end = len(self._buf)
                break
        if 0 <= limit < end:
            end = limit
        return self._take(end)

    def readlines(self, hint: int | None = -1) -> list[bytes]:
        """Read lines until EOF, or until about ``hint`` bytes were read."""
        lines: list[bytes] = []
        total = 0
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)
            total += len(line)
            if hint is not None and 0 < hint <= total:
                return lines

    def __iter__(self) -> Iterator[bytes]:
        return self

    def __next__(self) -> bytes:
        line = self.readline()
        if not line:
            raise StopIteration
        return line


class ErrorStream:
    """``wsgi.errors``: a text stream whose lines go to the ``aio.server.wsgi`` logger."""

    __slots__ = ("_pending",)

    def __init__(self) -> None:
        self._pending = ""

    def write(self, text: str) -> int:
        """Buffer ``text``; every complete line is logged at ERROR level."""
        self._pending += text
        *lines, self._pending = self._pending.split("\n")
        for line in lines:
            _errors_logger.error("%s", line)
        return len(text)

    def writelines(self, lines: list[str]) -> None:
        """Write each string of ``lines``."""
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        """Log a pending partial line."""
        if self._pending:
            _errors_logger.error("%s", self._pending)
            self._pending = ""


class FileWrapper:
    """``wsgi.file_wrapper``: iterate a file in blocks, and close it at the end.

    :param filelike: an object with ``read(n)``; ``close()`` is called if present.
    :param blksize: the size of each block.
    """

    __slots__ = ("blksize", "filelike")

    def __init__(self, filelike: IO[bytes], blksize: int = 65536) -> None:
        self.filelike = filelike
        self.blksize = blksize

    def __iter__(self) -> Iterator[bytes]:
        read = self.filelike.read
        while True:
            block = read(self.blksize)
            if not block:
                return
            yield block

    def close(self) -> None:
        """Close the wrapped file (PEP 3333 requires the server to call this)."""
        close = getattr(self.filelike, "close", None)
        if close is not None:
            close()
