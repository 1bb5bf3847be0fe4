"""What all connections of one server share: counters, live connections, tasks,
and the default response headers (``server``, ``date``, ``--header`` values).

The ``date`` header is rebuilt at most once a second by the server's tick, so a
response never formats a date itself.
"""

from __future__ import annotations

import asyncio
import time
from email.utils import formatdate
from typing import Protocol

from aio.proto.http import field_lines
from aio.server._runner import HandlerRunner


class Shutdownable(Protocol):
    """A live connection the server can ask to finish (HTTP or WebSocket)."""

    def shutdown(self) -> None:
        """Finish the exchange in flight, if any, then close."""


class ServerState:
    """State shared by the connections of one :class:`~aio.server.Server`.

    ``connections`` holds every live protocol (a WebSocket protocol that takes
    over a connection adds itself); ``tasks`` the running request tasks;
    ``runner`` the pool of tasks that run the HTTP handlers.
    """

    def __init__(
        self, base_headers: list[tuple[bytes, bytes]], date_header: bool = True
    ) -> None:
        self.total_requests = 0
        self.connections: set[Shutdownable] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.base_headers = base_headers
        self.date_header = date_header
        self.shutting_down = False
        #: The server's pool of handler tasks, made by its first connection
        #: (it needs the running loop).
        self.runner: HandlerRunner | None = None
        self._second = -1
        self._addresses: dict[tuple[str, int | None], tuple[str, int | None]] = {}
        self.default_headers: list[tuple[bytes, bytes]] = list(base_headers)
        #: ``default_headers`` as field lines for the fast response path, or
        #: ``None`` when one of them needs the general path (see field_lines).
        self.default_lines: bytes | None = None
        self.update_date()

    def intern_address(
        self, address: tuple[str, int | None] | None
    ) -> tuple[str, int | None] | None:
        """``address``, or an equal tuple already handed out (a server listens
        on a few addresses, shared by all its connections' scopes)."""
        if address is None:
            return None
        known = self._addresses.get(address)
        if known is not None:
            return known
        if len(self._addresses) < 16:
            self._addresses[address] = address
        return address

    def update_date(self) -> None:
        """Refresh the ``date`` header when the wall-clock second changed."""
        now = time.time()
        second = int(now)
        if second == self._second:
            return
        self._second = second
        if self.date_header:
            date = formatdate(now, usegmt=True).encode("ascii")
            self.default_headers = [*self.base_headers, (b"date", date)]
        else:
            self.default_headers = list(self.base_headers)
        self.default_lines = field_lines(self.default_headers)
