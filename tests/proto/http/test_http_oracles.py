"""Real peers as oracles: httptools (llhttp) and h11 must agree with us.

- generated valid requests: httptools and h11 parse them to the same method,
  target, headers and body as we do;
- our serialised responses and requests parse in h11 (and httptools) to what
  we meant to send;
- h11's serialised requests and responses parse in our connection.
"""

from __future__ import annotations

import os
from typing import Any

import h11
import httptools
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aio.proto.http import (
    CLIENT,
    NEED_DATA,
    PAUSED,
    SERVER,
    Connection,
    Data,
    EndOfMessage,
    Event,
    Request,
    Response,
)

from ._strategies import (
    Message,
    ResponseMessage,
    ascii_values,
    names,
    requests,
    responses,
)

# AIO_HYPOTHESIS_EXAMPLES=3000 for a longer hunt than CI's.
SETTINGS = settings(
    max_examples=int(os.environ.get("AIO_HYPOTHESIS_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def ours(
    data: bytes,
) -> list[tuple[bytes, bytes, bytes, list[tuple[bytes, bytes]], bytes]]:
    conn = Connection(SERVER)
    conn.receive_data(data)
    out: list[Any] = []
    while True:
        event = conn.next_event()
        if event is NEED_DATA:
            break
        if event is PAUSED:
            if conn.our_state.value == "SEND_RESPONSE":
                conn.send_response(200, [], b"")
            if conn.our_state.value == "DONE" and conn.their_state.value == "DONE":
                conn.start_next_cycle()
                continue
            break
        if isinstance(event, Request):
            out.append(
                [event.method, event.target, event.http_version, event.headers, b""]
            )
        elif isinstance(event, Data):
            out[-1][4] += event.data
    return [tuple(m) for m in out]


class _HttptoolsSink:
    def __init__(self) -> None:
        self.messages: list[list[Any]] = []
        self.parser: Any = None

    def on_message_begin(self) -> None:
        self.messages.append([b"", b"", b"", [], b""])

    def on_url(self, url: bytes) -> None:
        self.messages[-1][1] += url

    def on_header(self, name: bytes, value: bytes) -> None:
        self.messages[-1][3].append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self.messages[-1][0] = self.parser.get_method()
        self.messages[-1][2] = self.parser.get_http_version().encode()

    def on_body(self, body: bytes) -> None:
        self.messages[-1][4] += body


def by_httptools(data: bytes) -> list[tuple[Any, ...]]:
    sink = _HttptoolsSink()
    parser = httptools.HttpRequestParser(sink)
    sink.parser = parser
    parser.feed_data(data)
    return [tuple(m) for m in sink.messages]


def by_h11(data: bytes) -> list[tuple[Any, ...]]:
    conn = h11.Connection(h11.SERVER)
    conn.receive_data(data)
    out: list[list[Any]] = []
    while True:
        event = conn.next_event()
        if event is h11.NEED_DATA or event is h11.PAUSED:
            if event is h11.PAUSED and conn.our_state is h11.SEND_RESPONSE:
                conn.send(
                    h11.Response(status_code=200, headers=[("content-length", "0")])
                )
                conn.send(h11.EndOfMessage())
                states: tuple[object, object] = (conn.our_state, conn.their_state)
                if states == (h11.DONE, h11.DONE):
                    conn.start_next_cycle()
                    continue
            break
        if isinstance(event, h11.Request):
            out.append(
                [
                    event.method,
                    event.target,
                    event.http_version,
                    list(event.headers),
                    b"",
                ]
            )
        elif isinstance(event, h11.Data):
            out[-1][4] += bytes(event.data)
        elif isinstance(event, h11.EndOfMessage) and event.headers:
            out[-1][3] += list(event.headers)
    return [tuple(m) for m in out]


@SETTINGS
@given(st.lists(requests(), min_size=1, max_size=3))
def test_httptools_agrees_on_valid_requests(messages: list[Message]) -> None:
    # Only keep-alive requests, so every parser reads all of them.
    messages = [m for m in messages if m.version == b"1.1"] or messages[:1]
    data = b"".join(m.raw for m in messages)
    parsed = ours(data)
    assert len(parsed) == len(messages)
    assert parsed == by_httptools(data)


@SETTINGS
@given(st.lists(requests(ascii_only=True), min_size=1, max_size=3))
def test_h11_agrees_on_valid_requests(messages: list[Message]) -> None:
    # h11 rejects obs-text in values; ascii_only keeps to what both accept.
    messages = [m for m in messages if m.version == b"1.1"] or messages[:1]
    data = b"".join(m.raw for m in messages)
    parsed = ours(data)
    assert len(parsed) == len(messages)
    assert parsed == by_h11(data)


@SETTINGS
@given(
    st.integers(200, 599),
    st.lists(st.tuples(names, ascii_values), max_size=5),
    st.lists(st.binary(max_size=40), max_size=4),
    st.sampled_from(["auto", "fast", "length"]),
)
def test_h11_client_reads_our_responses(
    status: int, hdrs: list[tuple[bytes, bytes]], pieces: list[bytes], mode: str
) -> None:
    body = b"".join(pieces)
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    conn.next_event()
    conn.next_event()
    if mode == "fast":
        wire = conn.send_response(status, hdrs, body)
    else:
        sent = (
            hdrs if mode == "auto" else [*hdrs, (b"content-length", b"%d" % len(body))]
        )
        wire = conn.send(Response(status, sent))
        wire += b"".join(conn.send(Data(p)) for p in pieces)
        wire += conn.send(EndOfMessage())
    client = h11.Connection(h11.CLIENT)
    client.send(h11.Request(method="GET", target="/", headers=[("host", "h")]))
    client.send(h11.EndOfMessage())
    client.receive_data(wire)
    response = client.next_event()
    assert isinstance(response, h11.Response) and response.status_code == status
    assert list(response.headers)[: len(hdrs)] == [(n.lower(), v) for n, v in hdrs]
    got = b""
    while True:
        event = client.next_event()
        if isinstance(event, h11.Data):
            got += bytes(event.data)
        else:
            assert isinstance(event, h11.EndOfMessage)
            break
    assert got == (b"" if status in (204, 304) else body)
    assert client.our_state is h11.DONE and client.their_state is h11.DONE


@SETTINGS
@given(
    st.sampled_from([b"GET", b"POST", b"PUT"]),
    st.lists(st.tuples(names, ascii_values), max_size=5),
    st.binary(max_size=100),
    st.booleans(),
)
def test_h11_server_reads_our_requests(
    method: bytes, hdrs: list[tuple[bytes, bytes]], body: bytes, chunked: bool
) -> None:
    framing = (
        (b"transfer-encoding", b"chunked")
        if chunked
        else (b"content-length", b"%d" % len(body))
    )
    conn = Connection(CLIENT)
    wire = conn.send(Request(method, b"/x?y", [(b"host", b"h"), *hdrs, framing]))
    wire += conn.send(Data(body)) + conn.send(EndOfMessage())
    assert by_h11(wire) == [
        (
            method,
            b"/x?y",
            b"1.1",
            [(b"host", b"h"), *[(n.lower(), v) for n, v in hdrs], framing],
            body,
        )
    ]


@pytest.mark.parametrize("chunked", [False, True])
def test_we_read_h11_responses(chunked: bool) -> None:
    server = h11.Connection(h11.SERVER)
    server.receive_data(b"GET / HTTP/1.1\r\nHost: h\r\n\r\n")
    server.next_event()
    server.next_event()
    headers = [("x-a", "1")] if chunked else [("content-length", "5")]
    wire = server.send(h11.Response(status_code=200, headers=headers)) or b""
    wire += server.send(h11.Data(data=b"hello")) or b""
    wire += server.send(h11.EndOfMessage()) or b""
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(wire)
    events: list[Event] = []
    while (event := conn.next_event()) is not NEED_DATA and event is not PAUSED:
        events.append(event)
    assert b"".join(e.data for e in events if isinstance(e, Data)) == b"hello"
    assert events[-1] == EndOfMessage()


def ours_client(data: bytes, count: int) -> list[tuple[Any, ...]]:
    conn = Connection(CLIENT)
    out: list[list[Any]] = []
    for _ in range(count):
        conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
        conn.send(EndOfMessage())
        if len(out) == 0:
            conn.receive_data(data)
        while True:
            event = conn.next_event()
            if event is NEED_DATA or event is PAUSED:
                break
            if isinstance(event, Response):
                out.append([event.status_code, event.headers, b""])
            elif isinstance(event, Data):
                out[-1][2] += event.data
            elif isinstance(event, EndOfMessage):
                out[-1][1] = out[-1][1] + event.headers
                break
        conn.start_next_cycle()
    return [tuple(m) for m in out]


class _ResponseSink:
    def __init__(self) -> None:
        self.messages: list[list[Any]] = []
        self.parser: Any = None

    def on_message_begin(self) -> None:
        self.messages.append([0, [], b""])

    def on_header(self, name: bytes, value: bytes) -> None:
        self.messages[-1][1].append((name.lower(), value))

    def on_headers_complete(self) -> None:
        self.messages[-1][0] = self.parser.get_status_code()

    def on_body(self, body: bytes) -> None:
        self.messages[-1][2] += body


@SETTINGS
@given(st.lists(responses(), min_size=1, max_size=3))
def test_httptools_agrees_on_valid_responses(messages: list[ResponseMessage]) -> None:
    data = b"".join(m.raw for m in messages)
    sink = _ResponseSink()
    parser = httptools.HttpResponseParser(sink)
    sink.parser = parser
    parser.feed_data(data)
    parsed = ours_client(data, len(messages))
    assert [m[0] for m in parsed] == [m.status for m in messages]
    assert parsed == [tuple(m) for m in sink.messages]
