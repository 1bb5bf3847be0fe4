"""The server-role fast path (``aio.proto.http._fast``) against the general core.

The fast parser must never accept what the Connection rejects, and must report
exactly what the Connection reports for what it accepts; the fast serialiser must
produce the Connection's bytes. Checked on the strictness suite's cases, on
hand-picked fallbacks, and by differential property tests.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.http import (
    SERVER,
    Connection,
    Data,
    EndOfMessage,
    HTTPProtocolError,
    Limits,
    LocalHTTPProtocolError,
    Request,
    field_lines,
    parse_simple_request,
    simple_response,
)

from ._strategies import names, values
from .test_http_strictness import BAD, GOOD

LIMITS = Limits()
SIMPLE = b"GET /a?b=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"


def general(data: bytes, limits: Limits = LIMITS) -> list[object] | HTTPProtocolError:
    """The Connection's events for ``data`` (up to the first pause), or its error."""
    conn = Connection(SERVER, limits=limits)
    conn.receive_data(data)
    events: list[object] = []
    try:
        for _ in range(6):
            event = conn.next_event()
            if not isinstance(event, Request | Data | EndOfMessage):
                break
            events.append(event)
            if isinstance(event, EndOfMessage):
                break
    except HTTPProtocolError as exc:
        return exc
    return events


def assert_agrees(data: bytes, limits: Limits = LIMITS) -> None:
    """Fast accepts ``data`` only if the Connection does, with the same result."""
    fast = parse_simple_request(data, limits)
    if fast is None:
        return
    method, target, headers, body = fast
    events = general(data, limits)
    expected: list[object] = [Request(method, target, headers, b"1.1")]
    if body:
        expected.append(Data(body))
    expected.append(EndOfMessage())
    assert events == expected, (data, fast, events)
    # ... and nothing is left over: the read held exactly that request.
    conn = Connection(SERVER, limits=limits)
    conn.receive_data(data)
    for _ in expected:
        conn.next_event()
    assert conn.trailing_data == (b"", False)


def test_simple_request() -> None:
    assert parse_simple_request(SIMPLE, LIMITS) == (
        b"GET",
        b"/a?b=1",
        [(b"host", b"example.com"), (b"accept", b"*/*")],
        b"",
    )
    assert_agrees(SIMPLE)


@pytest.mark.parametrize(
    ("data", "body"),
    [
        (b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", b"abc"),
        (b"PUT / HTTP/1.1\r\nContent-Length: 003\r\nHost: h\r\n\r\nabc", b"abc"),
        (b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", b""),
        (b"GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n\r\n", b"\r\n"),
    ],
)
def test_content_length_bodies(data: bytes, body: bytes) -> None:
    parsed = parse_simple_request(data, LIMITS)
    assert parsed is not None and parsed[3] == body
    assert_agrees(data)


@pytest.mark.parametrize(
    "data", [pytest.param(d, id=i) for i, d, _, _ in BAD if d.endswith(b"\r\n\r\n")]
)
def test_rejected_requests_fall_back(data: bytes) -> None:
    # Every request the strictness suite expects a 4xx/5xx for.
    assert parse_simple_request(data, LIMITS) is None


@pytest.mark.parametrize("data", [pytest.param(d, id=i) for i, d, _ in GOOD])
def test_accepted_requests_agree(data: bytes) -> None:
    assert_agrees(data)


H = b"Host: h\r\n"


@pytest.mark.parametrize(
    "data",
    [
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 3\r\n\r\nab",  # short
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\n\r\nab",  # extra
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\nContent-Length: 1\r\n\r\na",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1, 1\r\n\r\na",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: +1\r\n\r\na",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: \xd9\xa1\r\n\r\na",
        b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1" + b"0" * 18 + b"\r\n\r\n",
        b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\n"
        + H
        + b"Content-Length: 1\r\nTransfer-Encoding: x\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + H + b"Expect: 100-continue\r\n\r\n",
        b"GET / HTTP/1.1\r\n"
        + H
        + b"Upgrade: websocket\r\nConnection: upgrade\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + H + b"Connection: close\r\n\r\n",
        b"GET / HTTP/1.1\r\n" + H + b"Connection: keep-alive, close\r\n\r\n",
        b"GET / HTTP/1.0\r\n" + H + b"\r\n",
        b"HEAD / HTTP/1.1\r\n" + H + b"\r\n",
        b"CONNECT h:443 HTTP/1.1\r\n" + H + b"\r\n",
        b"GET http://h/ HTTP/1.1\r\n" + H + b"\r\n",
        b"OPTIONS * HTTP/1.1\r\n" + H + b"\r\n",
        b"GET / HTTP/1.1\r\n\r\n",  # no Host
        b"GET / HTTP/1.1\r\n" + H + H + b"\r\n",  # two Hosts
        b"GET / HTTP/1.1\r\nHost: a b\r\n\r\n",  # invalid Host
        b"GET / HTTP/1.1\r\n" + H + b"\r\nGET / HTTP/1.1\r\n" + H + b"\r\n",  # two
        b"GET / HTTP/1.1\r\n" + H + b"\r\nx",  # bytes after the head
        b"GET / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\n\r\nxGET",  # pipelined
        b"GET / HTTP/1.1\r\n" + H,  # incomplete
        b"\r\nGET / HTTP/1.1\r\n" + H + b"\r\n",  # leading empty line
        b"GET / HTTP/1.1\r\n" + H + b"X: a\nY: b\r\n\r\n",  # bare LF
        b"GET / HTTP/1.1\r\n" + H + b"X: a\rY: b\r\n\r\n",  # bare CR
        b"GET / HTTP/1.1\r\n" + H + b" X: folded\r\n\r\n",  # obs-fold
        b"GET / HTTP/1.1\r\n" + H + b"X : a\r\n\r\n",  # space before colon
        b"GET / HTTP/1.1\r\n" + H + b": a\r\n\r\n",  # empty name
        b"GET / HTTP/1.1\r\n" + H + b"X: \x00\r\n\r\n",  # NUL
        b"",
    ],
)
def test_unusual_requests_fall_back(data: bytes) -> None:
    assert parse_simple_request(data, LIMITS) is None


def test_limits_hold_on_the_fast_path() -> None:
    line = b"GET /" + b"a" * 100 + b" HTTP/1.1\r\n"
    data = line + H + b"\r\n"
    assert parse_simple_request(data, Limits(max_request_line=len(line) - 2))
    assert parse_simple_request(data, Limits(max_request_line=len(line) - 3)) is None
    assert isinstance(
        general(data, Limits(max_request_line=len(line) - 3)), HTTPProtocolError
    )
    many = b"GET / HTTP/1.1\r\n" + H + b"X: y\r\n" * 4 + b"\r\n"
    assert parse_simple_request(many, Limits(max_header_count=5))
    assert parse_simple_request(many, Limits(max_header_count=4)) is None
    assert isinstance(general(many, Limits(max_header_count=4)), HTTPProtocolError)
    block = len(many) - 2
    assert parse_simple_request(many, Limits(max_header_block=block))
    assert parse_simple_request(many, Limits(max_header_block=block - 1)) is None
    assert isinstance(
        general(many, Limits(max_header_block=block - 1)), HTTPProtocolError
    )
    post = b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 4\r\n\r\nabcd"
    assert parse_simple_request(post, Limits(max_body=4))
    assert parse_simple_request(post, Limits(max_body=3)) is None
    assert isinstance(general(post, Limits(max_body=3)), HTTPProtocolError)


# -- differential property tests ------------------------------------------------

_PIECES = [
    b"GET",
    b"POST",
    b"HEAD",
    b"G\x00T",
    b" ",
    b"  ",
    b"\t",
    b"/",
    b"/a?b#c",
    b"/%zz",
    b"*",
    b"http://h/",
    b"HTTP/1.1",
    b"HTTP/1.0",
    b"HTTP/2.0",
    b"\r\n",
    b"\r",
    b"\n",
    b"Host",
    b"host",
    b"HOST",
    b": ",
    b":",
    b"h.example:80",
    b"a b",
    b"Connection",
    b"keep-alive",
    b"close",
    b"Content-Length",
    b"Transfer-Encoding",
    b"chunked",
    b"0",
    b"Expect",
    b"Upgrade",
    b"X-Y",
    b"\x80\xff",
    b"\x7f",
    b"\x00",
]


@st.composite
def heads(draw: st.DrawFn) -> bytes:
    """Request heads: random pieces, or mostly-valid heads with random damage."""
    if draw(st.integers(0, 3)) == 0:
        return b"".join(draw(st.lists(st.sampled_from(_PIECES), max_size=24)))
    method = draw(st.sampled_from([b"GET"] * 12 + [b"DELETE", b"HEAD", b"G T"]))
    target = draw(st.sampled_from([b"/", b"/x?y"] * 8 + [b"/a b", b"*", b"h:1"]))
    version = draw(st.sampled_from([b"HTTP/1.1"] * 12 + [b"HTTP/1.0", b"HTTP/1.2"]))
    lines = [b"%b %b %b" % (method, target, version)]
    fields = draw(st.lists(st.tuples(names, values), max_size=6))
    hosts = draw(st.sampled_from([1] * 12 + [0, 2]))
    for _ in range(hosts):
        host = draw(st.sampled_from([b"h", b"h:1", b"[::1]:8", b"", b"a b", b"a/b"]))
        fields.insert(draw(st.integers(0, len(fields))), (b"Host", host))
    if draw(st.integers(0, 3)) == 0:
        fields.append(
            draw(
                st.sampled_from(
                    [
                        (b"Connection", b"keep-alive"),
                        (b"connection", b"Keep-Alive"),
                        (b"Connection", b"close"),
                        (b"Content-Length", b"0"),
                        (b"Content-Length", b"00"),
                        (b"Transfer-Encoding", b"chunked"),
                        (b"Expect", b"100-continue"),
                        (b"Upgrade", b"websocket"),
                    ]
                )
            )
        )
    body = draw(st.sampled_from([b"", b"", b"abc", b"\r\n\r\n"]))
    if body or draw(st.booleans()):
        length = draw(st.sampled_from([b"%d" % len(body)] * 4 + [b"0", b"9", b"0x3"]))
        fields.insert(draw(st.integers(0, len(fields))), (b"Content-Length", length))
    sep = draw(st.sampled_from([b": "] * 6 + [b":", b" : ", b":\t"]))
    lines += [name + sep + value for name, value in fields]
    data = b"\r\n".join(lines) + b"\r\n\r\n" + body
    if draw(st.integers(0, 3)) == 0:
        # Damage: replace one byte.
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    return data


@settings(max_examples=600, deadline=None)
@given(heads())
def test_fast_parser_agrees_with_connection(data: bytes) -> None:
    assert_agrees(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_agree(data: bytes) -> None:
    assert_agrees(data)
    assert_agrees(b"GET / HTTP/1.1\r\nHost: h\r\n" + data)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from([200, 201, 204, 301, 304, 404, 500, 599, 299]),
    st.lists(st.tuples(names, values), max_size=5),
    st.sampled_from(
        [
            [],
            [(b"Content-Length", b"LEN")],
            [(b"content-length", b"99")],
            [(b"Connection", b"close")],
            [(b"Transfer-Encoding", b"chunked")],
            [(b"content-length", b"LEN"), (b"content-length", b"LEN")],
        ]
    ),
    st.binary(max_size=50),
    st.booleans(),
)
def test_fast_response_matches_connection(
    status: int,
    headers: list[tuple[bytes, bytes]],
    framing: list[tuple[bytes, bytes]],
    body: bytes,
    keep_alive: bool,
) -> None:
    length = b"%d" % len(body)
    headers = headers + [(n, length if v == b"LEN" else v) for n, v in framing]
    defaults = [(b"server", b"aio"), (b"date", b"Thu, 01 Jan 2026 00:00:00 GMT")]
    lines = field_lines(defaults)
    assert lines is not None
    fast = simple_response(status, headers, body, lines, keep_alive)
    if fast is None:
        return
    conn = Connection(SERVER)
    conn.receive_data(SIMPLE)
    conn.next_event()
    conn.next_event()
    sent = [*defaults, *headers]
    if not keep_alive:
        sent.append((b"connection", b"close"))
    assert fast == conn.send_response(status, sent, body)


def test_fast_response_bytes() -> None:
    out = simple_response(200, [(b"content-type", b"text/plain")], b"hi", b"", True)
    assert out == (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nhi"
    )
    out = simple_response(404, [], b"", b"server: aio\r\n", False)
    assert out == (
        b"HTTP/1.1 404 Not Found\r\nserver: aio\r\nconnection: close\r\n"
        b"content-length: 0\r\n\r\n"
    )


@pytest.mark.parametrize(
    ("status", "headers"),
    [
        (204, []),
        (304, []),
        (101, []),
        (600, []),
        ("200", []),
        (200, [(b"transfer-encoding", b"chunked")]),
        (200, [(b"Connection", b"keep-alive")]),
        (200, [(b"content-length", b"3")]),  # body is 2 bytes
    ],
)
def test_unusual_responses_fall_back(
    status: object, headers: list[tuple[bytes, bytes]]
) -> None:
    assert simple_response(status, headers, b"hi", b"", True) is None  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "headers",
    [
        [(b"x", b"a\r\nSet-Cookie: evil")],
        [(b"x", b"a\nb")],
        [(b"bad name", b"v")],
        [(b"x", b"\x00")],
        [("str", b"v")],
    ],
)
def test_response_splitting_is_refused(headers: list[tuple[bytes, bytes]]) -> None:
    with pytest.raises(LocalHTTPProtocolError):
        simple_response(200, headers, b"", b"", True)
    assert field_lines(headers) is None


def test_field_lines() -> None:
    assert field_lines([(b"server", b"aio"), (b"X-A", b"b")]) == (
        b"server: aio\r\nX-A: b\r\n"
    )
    assert field_lines([]) == b""
    assert field_lines([(b"Content-Length", b"1")]) is None
    assert field_lines([(b"connection", b"close")]) is None


def test_line_caches_change_nothing_but_cost() -> None:
    first = parse_simple_request(SIMPLE, LIMITS)
    assert first is not None
    again = parse_simple_request(SIMPLE, LIMITS)
    assert again == first and again[2] is not first[2]  # a fresh list each time
    # Overflow the caches with distinct lines: they start over, results hold.
    for i in range(1200):
        data = b"GET /%d HTTP/1.1\r\nHost: h\r\nX-N: %d\r\n\r\n" % (i, i)
        assert parse_simple_request(data, LIMITS) == (
            b"GET",
            b"/%d" % i,
            [(b"host", b"h"), (b"x-n", b"%d" % i)],
            b"",
        )
    assert parse_simple_request(SIMPLE, LIMITS) == first
    # A cached valid line does not make an invalid neighbour acceptable.
    assert parse_simple_request(SIMPLE.replace(b"Accept", b"Acc ept"), LIMITS) is None
    assert (
        parse_simple_request(SIMPLE[:-2] + b"Host: other\r\n\r\n", LIMITS) is None
    )  # second Host


def test_section_cache_respects_each_callers_limits() -> None:
    data = b"GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\n\r\n"
    assert parse_simple_request(data, LIMITS)  # now cached
    assert parse_simple_request(data, Limits(max_header_count=2)) is None
    assert parse_simple_request(data, Limits(max_header_count=3))
    post = b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nab"
    assert parse_simple_request(post, LIMITS)
    assert parse_simple_request(post, Limits(max_body=1)) is None
    first = parse_simple_request(data, LIMITS)
    second = parse_simple_request(data, LIMITS)
    assert first is not None and second is not None
    first[2].append((b"x", b"y"))  # callers own their header list
    assert second[2] == [(b"host", b"h"), (b"a", b"1"), (b"b", b"2")]


def test_response_header_cache() -> None:
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"2")]
    first = simple_response(200, headers, b"hi", b"", True)
    assert first == simple_response(200, list(headers), b"hi", b"", True)
    # Same (cached) headers, a body that no longer matches their length.
    assert simple_response(200, headers, b"hello", b"", True) is None
    # Unhashable pairs are fine, just not cached.
    as_lists = [[b"content-type", b"text/plain"], [b"content-length", b"2"]]
    assert simple_response(200, as_lists, b"hi", b"", True) == first  # type: ignore[arg-type]
    bad = [(b"content-type", bytearray(b"a\r\nb"))]
    with pytest.raises(LocalHTTPProtocolError):
        simple_response(200, bad, b"hi", b"", True)  # type: ignore[arg-type]
    for _ in range(2):  # refused every time, never cached
        with pytest.raises(LocalHTTPProtocolError):
            simple_response(200, [(b"x", b"a\r\nb")], b"hi", b"", True)
    for i in range(600):  # overflow: the cache starts over, results hold
        out = simple_response(200, [(b"x-n", b"%d" % i)], b"", b"", True)
        assert out == b"HTTP/1.1 200 OK\r\nx-n: %d\r\ncontent-length: 0\r\n\r\n" % i
