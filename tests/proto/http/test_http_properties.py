"""Property tests: random and mutated input only ever raises our typed error,
parsing does not depend on how input is split, and send/parse round-trips."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    HTTPProtocolError,
    Request,
    Response,
)

from ._helpers import ConnectionPair, merge_data
from ._strategies import Message, edits, headers, mutate, names, requests, values

# AIO_HYPOTHESIS_EXAMPLES=3000 for a longer hunt than CI's.
EXAMPLES = int(os.environ.get("AIO_HYPOTHESIS_EXAMPLES", "200"))
SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def feed(conn: Connection, data: bytes, cuts: list[int], eof: bool) -> list[Event]:
    """Feed ``data`` in pieces, answering each request so pipelining continues.
    Returns the events; raises only what the connection raises."""
    points = sorted({c % (len(data) + 1) for c in cuts})
    pieces = [
        data[a:b] for a, b in zip([0, *points], [*points, len(data)], strict=True)
    ]
    events: list[Event] = []
    steps: list[bytes | None] = [p for p in pieces if p]
    if eof:
        steps.append(None)  # None: the peer closes
    for step in steps:
        conn.receive_data(b"" if step is None else step)
        for _ in range(1000):
            event = conn.next_event()
            if event is NEED_DATA:
                break
            if event is PAUSED:
                if conn.our_role == SERVER and conn.our_state.value == "SEND_RESPONSE":
                    conn.send_response(200, [], b"")
                if conn.our_state.value == "DONE" and conn.their_state.value == "DONE":
                    conn.start_next_cycle()
                    continue
                break
            events.append(event)
            if isinstance(event, ConnectionClosed):
                return events
    return events


def prime_client() -> Connection:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    return conn


@SETTINGS
@given(
    st.binary(max_size=600), st.lists(st.integers(0, 600), max_size=5), st.booleans()
)
def test_random_bytes_server(data: bytes, cuts: list[int], eof: bool) -> None:
    try:
        feed(Connection(SERVER), data, cuts, eof)
    except HTTPProtocolError:
        pass


@SETTINGS
@given(
    st.binary(max_size=600), st.lists(st.integers(0, 600), max_size=5), st.booleans()
)
def test_random_bytes_client(data: bytes, cuts: list[int], eof: bool) -> None:
    try:
        feed(prime_client(), data, cuts, eof)
    except HTTPProtocolError:
        pass


@SETTINGS
@given(
    st.lists(requests(), min_size=1, max_size=3),
    edits,
    st.lists(st.integers(0, 2000), max_size=6),
    st.booleans(),
)
def test_mutated_requests(
    messages: list[Message],
    changes: list[tuple[int, int, int]],
    cuts: list[int],
    eof: bool,
) -> None:
    data = mutate(b"".join(m.raw for m in messages), changes)
    try:
        feed(Connection(SERVER), data, cuts, eof)
    except HTTPProtocolError:
        pass


@SETTINGS
@given(
    st.integers(100, 599),
    headers,
    st.binary(max_size=100),
    st.sampled_from(["length", "chunked", "close"]),
    edits,
    st.lists(st.integers(0, 2000), max_size=6),
)
def test_mutated_responses(
    status: int,
    hdrs: list[tuple[bytes, bytes]],
    body: bytes,
    framing: str,
    changes: list[tuple[int, int, int]],
    cuts: list[int],
) -> None:
    if framing == "length":
        hdrs = [*hdrs, (b"Content-Length", b"%d" % len(body))]
        raw_body = body
    elif framing == "chunked":
        hdrs = [*hdrs, (b"Transfer-Encoding", b"chunked")]
        raw_body = (b"%x\r\n%b\r\n" % (len(body), body) if body else b"") + b"0\r\n\r\n"
    else:
        raw_body = body
    head = b"HTTP/1.1 %d X\r\n" % status + b"".join(b"%b: %b\r\n" % h for h in hdrs)
    data = mutate(head + b"\r\n" + raw_body, changes)
    try:
        feed(prime_client(), data, cuts, True)
    except HTTPProtocolError:
        pass


def _summary(events: list[Event]) -> list[Event]:
    return merge_data(events)


@SETTINGS
@given(
    st.lists(requests(), min_size=1, max_size=3),
    st.lists(st.integers(0, 3000), max_size=8),
)
def test_split_invariance(messages: list[Message], cuts: list[int]) -> None:
    data = b"".join(m.raw for m in messages)
    whole = _summary(feed(Connection(SERVER), data, [], False))
    split = _summary(feed(Connection(SERVER), data, cuts, False))
    assert whole == split
    # Every generated request parses to what was generated.
    requests_seen = [e for e in whole if isinstance(e, Request)]
    expected = messages
    if any(m.version == b"1.0" for m in messages):
        # HTTP/1.0 without keep-alive ends the connection after that request.
        first_10 = next(i for i, m in enumerate(messages) if m.version == b"1.0")
        expected = messages[: first_10 + 1]
    assert len(requests_seen) == len(expected)
    bodies = []
    current = b""
    for event in whole:
        if isinstance(event, Data):
            current += event.data
        elif isinstance(event, EndOfMessage):
            bodies.append(current)
            current = b""
    for message, request, body in zip(expected, requests_seen, bodies, strict=True):
        assert request.method == message.method
        assert request.target == message.target
        assert request.http_version == message.version
        assert request.headers == [(n.lower(), v) for n, v in message.headers]
        assert body == message.body


@SETTINGS
@given(
    st.sampled_from([b"GET", b"POST", b"PUT", b"X-CUSTOM"]),
    st.lists(st.tuples(names, values), max_size=6),
    st.lists(st.binary(max_size=50), max_size=4),
    st.booleans(),
    st.lists(st.tuples(names, values), max_size=3),
)
def test_request_round_trip(
    method: bytes,
    hdrs: list[tuple[bytes, bytes]],
    pieces: list[bytes],
    chunked: bool,
    trailers: list[tuple[bytes, bytes]],
) -> None:
    body = b"".join(pieces)
    framing = (
        (b"transfer-encoding", b"chunked")
        if chunked
        else (b"content-length", b"%d" % len(body))
    )
    sent_headers = [(b"host", b"h"), *hdrs, framing]
    pair = ConnectionPair()
    got = pair.client_sends(
        Request(method, b"/p", sent_headers),
        *[Data(p) for p in pieces],
        EndOfMessage(trailers if chunked else []),
    )
    assert got[0] == Request(
        method, b"/p", [(n.lower(), v) for n, v in sent_headers], b"1.1"
    )
    assert b"".join(e.data for e in got if isinstance(e, Data)) == body
    assert got[-1] == EndOfMessage(
        [(n.lower(), v) for n, v in trailers] if chunked else []
    )


@SETTINGS
@given(
    st.integers(200, 599),
    st.lists(st.tuples(names, values), max_size=6),
    st.lists(st.binary(max_size=50), max_size=4),
    st.sampled_from(["auto", "length", "fast"]),
)
def test_response_round_trip(
    status: int, hdrs: list[tuple[bytes, bytes]], pieces: list[bytes], mode: str
) -> None:
    body = b"".join(pieces)
    pair = ConnectionPair()
    pair.client_sends(Request(b"GET", b"/", [(b"host", b"h")]), EndOfMessage())
    if mode == "fast":
        pair.client.receive_data(pair.server.send_response(status, hdrs, body))
        got = merge_data(_drain(pair.client))
    else:
        sent = (
            hdrs if mode == "auto" else [*hdrs, (b"content-length", b"%d" % len(body))]
        )
        got = pair.server_sends(
            Response(status, sent), *[Data(p) for p in pieces], EndOfMessage()
        )
    response = got[0]
    assert isinstance(response, Response) and response.status_code == status
    assert response.headers[: len(hdrs)] == [(n.lower(), v) for n, v in hdrs]
    if status in (204, 304):
        assert got[1:] == [EndOfMessage()]
    else:
        assert b"".join(e.data for e in got if isinstance(e, Data)) == body
        assert got[-1] == EndOfMessage()
    assert pair.client.our_state.value == pair.server.our_state.value == "DONE"


def _drain(conn: Connection) -> list[Event]:
    out: list[Event] = []
    while True:
        event = conn.next_event()
        if event is NEED_DATA or event is PAUSED:
            return out
        out.append(event)


def _outcome(data: bytes, cuts: list[int], role: str) -> tuple[bool, list[Event]]:
    conn = Connection(SERVER) if role == SERVER else prime_client()
    events: list[Event] = []
    try:
        events = feed(conn, data, cuts, True)
    except HTTPProtocolError:
        return True, []
    return False, _summary(events)


@SETTINGS
@given(
    st.lists(requests(), min_size=1, max_size=2),
    edits,
    st.lists(st.integers(0, 2000), min_size=1, max_size=6),
)
def test_mutated_input_split_agreement(
    messages: list[Message], changes: list[tuple[int, int, int]], cuts: list[int]
) -> None:
    # Whether mutated input is accepted, and what it parses to, must not depend
    # on how it arrives: an incremental parser that decided differently on a
    # split would be a smuggling vector between two hops.
    data = mutate(b"".join(m.raw for m in messages), changes)
    assert _outcome(data, [], SERVER) == _outcome(data, cuts, SERVER)


@SETTINGS
@given(st.binary(max_size=300), st.lists(st.integers(0, 300), min_size=1, max_size=6))
def test_random_response_split_agreement(data: bytes, cuts: list[int]) -> None:
    data = b"HTTP/1.1 200 OK\r\n" + data
    assert _outcome(data, [], CLIENT) == _outcome(data, cuts, CLIENT)


_CORPUS: list[tuple[bool, bytes]] = []


def _corpus() -> list[tuple[bool, bytes]]:
    # (is_request, input) of every llhttp case, loaded once.
    if not _CORPUS:
        from tests.plugins.fix_services import conformance_dir

        from ._llhttp import load_cases

        for case in load_cases(conformance_dir("llhttp-tests")):
            _CORPUS.append((case.kind.startswith("request"), case.data))
    return _CORPUS


@SETTINGS
@given(st.data(), edits, st.lists(st.integers(0, 2000), max_size=6))
def test_mutated_llhttp_inputs(
    data: st.DataObject, changes: list[tuple[int, int, int]], cuts: list[int]
) -> None:
    # llhttp's corpus is full of near-miss inputs: good seeds for mutations.
    is_request, raw = data.draw(st.sampled_from(_corpus()))
    mutated = mutate(raw, changes)
    for cut_points in ([], cuts):
        conn = Connection(SERVER, require_host=False) if is_request else prime_client()
        try:
            feed(conn, mutated, cut_points, True)
        except HTTPProtocolError:
            pass


@SETTINGS
@given(
    st.integers(200, 599).filter(lambda s: s not in (204, 304)),
    st.lists(st.tuples(names, values), max_size=5),
    st.binary(max_size=60),
    st.sampled_from(
        [
            b"GET / HTTP/1.1\r\nHost: h\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
            b"GET / HTTP/1.0\r\n\r\n",
            b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        ]
    ),
)
def test_fast_path_equals_general_path(
    status: int, hdrs: list[tuple[bytes, bytes]], body: bytes, request: bytes
) -> None:
    def answered() -> Connection:
        conn = Connection(SERVER)
        conn.receive_data(request)
        conn.next_event()
        conn.next_event()
        return conn

    fast_conn, slow_conn = answered(), answered()
    fast = fast_conn.send_response(status, hdrs, body)
    slow = slow_conn.send(
        Response(status, [*hdrs, (b"content-length", b"%d" % len(body))])
    )
    slow += slow_conn.send_data(body, end=True)
    assert fast == slow
    assert fast_conn.our_state is slow_conn.our_state
    assert fast_conn.keep_alive is slow_conn.keep_alive
