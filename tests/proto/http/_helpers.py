"""Helpers for driving ``aio.proto.http`` connections in memory."""

from __future__ import annotations

from aio.proto.http import (
    CLIENT,
    NEED_DATA,
    PAUSED,
    SERVER,
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    Event,
    Limits,
)


def drain(conn: Connection) -> list[Event]:
    """Every event available now, stopping at NEED_DATA / PAUSED / close."""
    events: list[Event] = []
    while True:
        event = conn.next_event()
        if event is NEED_DATA or event is PAUSED:
            return events
        events.append(event)
        if isinstance(event, ConnectionClosed):
            return events


def parse(
    data: bytes,
    role: str = SERVER,
    *,
    chunks: list[int] | None = None,
    eof: bool = False,
    limits: Limits | None = None,
    require_host: bool = True,
) -> list[Event]:
    """Feed ``data`` (optionally split at the offsets ``chunks``) and collect events,
    merging adjacent Data events so that results do not depend on the split."""
    conn = Connection(role, limits=limits or Limits(), require_host=require_host)
    if role == CLIENT:
        _prime_client(conn)
    cuts = [0, *(chunks or []), len(data)]
    events: list[Event] = []
    for start, stop in zip(cuts, cuts[1:], strict=False):
        piece = data[start:stop]
        if piece:
            conn.receive_data(piece)
        events += drain(conn)
    if eof:
        conn.receive_data(b"")
        events += drain(conn)
    return merge_data(events)


def _prime_client(conn: Connection) -> None:
    from aio.proto.http import Request

    conn.send(Request(b"GET", b"/", [(b"host", b"example.com")]))
    conn.send(EndOfMessage())


def merge_data(events: list[Event]) -> list[Event]:
    """Join runs of Data events into one."""
    out: list[Event] = []
    for event in events:
        if isinstance(event, Data) and out and isinstance(out[-1], Data):
            out[-1] = Data(out[-1].data + event.data)
        else:
            out.append(event)
    return out


class ConnectionPair:
    """A client and a server connection wired to each other in memory."""

    def __init__(self) -> None:
        self.client = Connection(CLIENT)
        self.server = Connection(SERVER)

    def client_sends(self, *events: Event) -> list[Event]:
        """Send from the client; return what the server parses."""
        for event in events:
            data = self.client.send(event)
            if data:
                self.server.receive_data(data)
        return merge_data(drain(self.server))

    def server_sends(self, *events: Event) -> list[Event]:
        """Send from the server; return what the client parses."""
        for event in events:
            data = self.server.send(event)
            if data:
                self.client.receive_data(data)
        return merge_data(drain(self.client))
