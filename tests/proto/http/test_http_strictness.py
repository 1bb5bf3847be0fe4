"""Every rejection rule of the request parser, with the valid neighbour of each."""

from __future__ import annotations

import pytest

from aio.proto.http import (
    ERROR,
    NEED_DATA,
    SERVER,
    BodyTooLarge,
    Connection,
    Data,
    EndOfMessage,
    HeaderBlockTooLarge,
    HTTPProtocolError,
    InvalidChunk,
    InvalidContentLength,
    InvalidHeader,
    InvalidRequestLine,
    Limits,
    Request,
    RequestLineTooLong,
    RequestSmugglingError,
    TooManyHeaders,
    UnsupportedTransferEncoding,
)

from ._helpers import parse

H = b"Host: h\r\n"


def req(head: bytes, body: bytes = b"") -> bytes:
    return head + b"\r\n" + body


BAD: list[tuple[str, bytes, type[HTTPProtocolError], int]] = [
    # -- request line
    ("space in target", req(b"GET /a b HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("two spaces", req(b"GET  / HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("trailing space", req(b"GET / HTTP/1.1 \r\n" + H), InvalidRequestLine, 400),
    ("tab separator", req(b"GET\t/ HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("missing target", req(b"GET HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("CTL in target", req(b"GET /\x01 HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("DEL in target", req(b"GET /\x7f HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    (
        "UTF-8 in target",
        req("GET /é HTTP/1.1\r\n".encode() + H),
        InvalidRequestLine,
        400,
    ),
    ("bad method char", req(b"G(T / HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("empty method", req(b" / HTTP/1.1\r\n" + H), InvalidRequestLine, 400),
    ("lowercase version", req(b"GET / http/1.1\r\n" + H), InvalidRequestLine, 400),
    ("version 2.0", req(b"GET / HTTP/2.0\r\n" + H), InvalidRequestLine, 505),
    ("version 1.2", req(b"GET / HTTP/1.2\r\n" + H), InvalidRequestLine, 505),
    ("version junk", req(b"GET / HTTP/1.1x\r\n" + H), InvalidRequestLine, 400),
    ("HTTP/0.9", req(b"GET /\r\n"), InvalidRequestLine, 400),
    (
        "bare CR in request line",
        req(b"GET /\r HTTP/1.1\r\n" + H),
        InvalidRequestLine,
        400,
    ),
    (
        "bare LF request line",
        b"GET / HTTP/1.1\n" + H + b"\r\n",
        InvalidRequestLine,
        400,
    ),
    # -- header section
    (
        "obs-fold",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\r\n b\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "obs-fold tab",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\r\n\tb\r\n"),
        InvalidHeader,
        400,
    ),
    ("first line folded", req(b"GET / HTTP/1.1\r\n Host: h\r\n"), InvalidHeader, 400),
    ("space before colon", req(b"GET / HTTP/1.1\r\nHost : h\r\n"), InvalidHeader, 400),
    (
        "tab before colon",
        req(b"GET / HTTP/1.1\r\n" + H + b"X\t: v\r\n"),
        InvalidHeader,
        400,
    ),
    ("no colon", req(b"GET / HTTP/1.1\r\n" + H + b"Novalue\r\n"), InvalidHeader, 400),
    ("empty name", req(b"GET / HTTP/1.1\r\n" + H + b": v\r\n"), InvalidHeader, 400),
    (
        "bad name char",
        req(b"GET / HTTP/1.1\r\n" + H + b"X@Y: v\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "NUL in value",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\x00b\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "CTL in value",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\x1bb\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "DEL in value",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\x7fb\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "bare CR in value",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\rb\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "bare LF in value",
        req(b"GET / HTTP/1.1\r\n" + H + b"X: a\nb\r\n"),
        InvalidHeader,
        400,
    ),
    ("LF line endings", b"GET / HTTP/1.1\nHost: h\n\n", InvalidHeader, 400),
    ("no Host", req(b"GET / HTTP/1.1\r\n"), InvalidHeader, 400),
    ("two Hosts", req(b"GET / HTTP/1.1\r\n" + H + H), InvalidHeader, 400),
    # -- Content-Length
    (
        "CL sign",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: +1\r\n", b"x"),
        InvalidContentLength,
        400,
    ),
    (
        "CL negative",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: -1\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL inner space",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1 2\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL hex",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 0x1\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL empty",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length:\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL list",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5, 6\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL same list",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5, 5\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL differing",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 5\r\nContent-Length: 6\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL repeated",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 1\r\nContent-Length: 1\r\n",
            b"x",
        ),
        InvalidContentLength,
        400,
    ),
    (
        "CL huge",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 99999999999999999999\r\n"),
        InvalidContentLength,
        400,
    ),
    (
        "CL unicode digit",
        req("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: ١\r\n".encode()),
        InvalidContentLength,
        400,
    ),
    # -- Transfer-Encoding
    (
        "CL and TE",
        req(
            b"POST / HTTP/1.1\r\n"
            + H
            + b"Content-Length: 3\r\nTransfer-Encoding: chunked\r\n",
            b"0\r\n\r\n",
        ),
        RequestSmugglingError,
        400,
    ),
    (
        "TE and CL",
        req(
            b"POST / HTTP/1.1\r\n"
            + H
            + b"Transfer-Encoding: chunked\r\nContent-Length: 3\r\n",
            b"0\r\n\r\n",
        ),
        RequestSmugglingError,
        400,
    ),
    (
        "chunked not last",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked, gzip\r\n"),
        RequestSmugglingError,
        400,
    ),
    (
        "chunked twice",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked, chunked\r\n"),
        RequestSmugglingError,
        400,
    ),
    (
        "chunked twice lines",
        req(
            b"POST / HTTP/1.1\r\n"
            + H
            + b"Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"
        ),
        RequestSmugglingError,
        400,
    ),
    (
        "unknown coding",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: pigeons\r\n"),
        RequestSmugglingError,
        400,
    ),
    (
        "identity",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: identity\r\n"),
        RequestSmugglingError,
        400,
    ),
    (
        "gzip then chunked",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: gzip, chunked\r\n"),
        UnsupportedTransferEncoding,
        501,
    ),
    (
        "empty TE",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding:\r\n"),
        InvalidHeader,
        400,
    ),
    (
        "TE in HTTP/1.0",
        req(b"POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n", b"0\r\n\r\n"),
        RequestSmugglingError,
        400,
    ),
    (
        "chunkedX",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunkedchunked\r\n"),
        RequestSmugglingError,
        400,
    ),
    # -- chunked body
    (
        "chunk size not hex",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n", b"g\r\n"),
        InvalidChunk,
        400,
    ),
    (
        "chunk size negative",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n", b"-1\r\n"),
        InvalidChunk,
        400,
    ),
    (
        "chunk size 0x",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n", b"0x5\r\n"),
        InvalidChunk,
        400,
    ),
    (
        "chunk size overflow",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"1" * 17 + b"\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk size empty",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n", b"\r\n"),
        InvalidChunk,
        400,
    ),
    (
        "chunk size space",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"5 \r\nhello\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk no CRLF after data",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"3\r\nabcX\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk LF after data",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"3\r\nabc\n0\r\n\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk bare LF size",
        req(b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n", b"3\nabc"),
        InvalidChunk,
        400,
    ),
    (
        "chunk ext no name",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"3;\r\nabc\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk ext unterminated",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b'3;a="b\r\nabc\r\n',
        ),
        InvalidChunk,
        400,
    ),
    (
        "chunk ext CTL",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"3;a=\x01\r\nabc\r\n",
        ),
        InvalidChunk,
        400,
    ),
    (
        "trailer obs-fold",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"0\r\nA: b\r\n c\r\n\r\n",
        ),
        InvalidHeader,
        400,
    ),
    (
        "trailer bare LF",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"0\r\nA: b\n",
        ),
        InvalidChunk,
        400,
    ),
]


@pytest.mark.parametrize(
    ("data", "error", "status"),
    [pytest.param(d, e, s, id=i) for i, d, e, s in BAD],
)
def test_rejected(data: bytes, error: type[HTTPProtocolError], status: int) -> None:
    conn = Connection(SERVER)
    conn.receive_data(data)
    with pytest.raises(error) as info:
        for _ in range(10):
            conn.next_event()
    assert info.value.status_hint == status
    assert conn.their_state is ERROR
    # The server can still answer, and then must close.
    assert conn.send_response(status, [], b"").startswith(b"HTTP/1.1 %d" % status)
    assert not conn.keep_alive


GOOD: list[tuple[str, bytes, bytes]] = [
    (
        "CL zero padded",
        req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 003\r\n", b"abc"),
        b"abc",
    ),
    ("CL zero", req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 0\r\n"), b""),
    (
        "TE case",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: Chunked\r\n",
            b"3\r\nabc\r\n0\r\n\r\n",
        ),
        b"abc",
    ),
    (
        "chunk upper hex",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"A\r\n0123456789\r\n0\r\n\r\n",
        ),
        b"0123456789",
    ),
    (
        "chunk leading zeros",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b"0000000000000000003\r\nabc\r\n000\r\n\r\n",
        ),
        b"abc",
    ),
    (
        "chunk ext",
        req(
            b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n",
            b'3 ; a = b ;c="d\\"e;f"\r\nabc\r\n0;x\r\n\r\n',
        ),
        b"abc",
    ),
    ("no body GET", req(b"GET / HTTP/1.1\r\n" + H), b""),
    ("obs-text value", req(b"GET / HTTP/1.1\r\n" + H + b"X: caf\xc3\xa9\r\n"), b""),
    ("tab in value", req(b"GET / HTTP/1.1\r\n" + H + b"X: a\tb\r\n"), b""),
    (
        "token chars name",
        req(b"GET / HTTP/1.1\r\n" + H + b"!#$%&'*+-.^_`|~09aZ: v\r\n"),
        b"",
    ),
    ("absolute target", req(b"GET http://h/x?y HTTP/1.1\r\n" + H), b""),
    ("asterisk target", req(b"OPTIONS * HTTP/1.1\r\n" + H), b""),
    ("extension method", req(b"PROPFIND /x HTTP/1.1\r\n" + H), b""),
    ("HTTP/1.0 no host", req(b"GET / HTTP/1.0\r\n"), b""),
]


@pytest.mark.parametrize(
    ("data", "body"), [pytest.param(d, b, id=i) for i, d, b in GOOD]
)
def test_accepted(data: bytes, body: bytes) -> None:
    events = parse(data)
    assert isinstance(events[0], Request)
    assert events[-1] == EndOfMessage() or isinstance(events[-1], EndOfMessage)
    got = b"".join(e.data for e in events if isinstance(e, Data))
    assert got == body


def test_request_line_limit() -> None:
    limits = Limits(max_request_line=100)
    ok = b"GET /" + b"a" * 85 + b" HTTP/1.1\r\n" + H + b"\r\n"
    assert isinstance(parse(ok, limits=limits)[0], Request)
    long = b"GET /" + b"a" * 200 + b" HTTP/1.1\r\n" + H + b"\r\n"
    with pytest.raises(RequestLineTooLong) as info:
        parse(long, limits=limits)
    assert info.value.status_hint == 414
    # Also detected before the line ends, so nobody can make us buffer forever.
    with pytest.raises(RequestLineTooLong):
        parse(b"GET /" + b"a" * 200, limits=limits)


def test_header_block_limit() -> None:
    limits = Limits(max_header_block=200)
    head = b"GET / HTTP/1.1\r\n" + H + b"X: " + b"v" * 150 + b"\r\n\r\n"
    assert isinstance(parse(head, limits=limits)[0], Request)
    big = b"GET / HTTP/1.1\r\n" + H + b"X: " + b"v" * 300 + b"\r\n\r\n"
    with pytest.raises(HeaderBlockTooLarge) as info:
        parse(big, limits=limits)
    assert info.value.status_hint == 431
    with pytest.raises(HeaderBlockTooLarge):
        parse(big[:-4], limits=limits)


def test_header_count_limit() -> None:
    limits = Limits(max_header_count=5)
    head = b"GET / HTTP/1.1\r\n" + H + b"X: v\r\n" * 4 + b"\r\n"
    assert isinstance(parse(head, limits=limits)[0], Request)
    with pytest.raises(TooManyHeaders) as info:
        parse(b"GET / HTTP/1.1\r\n" + H + b"X: v\r\n" * 5 + b"\r\n", limits=limits)
    assert info.value.status_hint == 431


def test_body_limit_content_length() -> None:
    limits = Limits(max_body=10)
    ok = req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 10\r\n", b"x" * 10)
    assert parse(ok, limits=limits)[1] == Data(b"x" * 10)
    with pytest.raises(BodyTooLarge) as info:
        parse(
            req(b"POST / HTTP/1.1\r\n" + H + b"Content-Length: 11\r\n"), limits=limits
        )
    assert info.value.status_hint == 413


def test_body_limit_chunked() -> None:
    limits = Limits(max_body=10)
    te = b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n"
    ok = req(te, b"5\r\naaaaa\r\n5\r\naaaaa\r\n0\r\n\r\n")
    assert parse(ok, limits=limits)[1] == Data(b"a" * 10)
    with pytest.raises(BodyTooLarge):
        parse(req(te, b"5\r\naaaaa\r\n6\r\naaaaaa\r\n0\r\n\r\n"), limits=limits)


def test_chunk_ext_limit() -> None:
    limits = Limits(max_chunk_ext=10)
    te = b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n"
    with pytest.raises(InvalidChunk):
        parse(req(te, b"1;" + b"a" * 20 + b"\r\nx\r\n0\r\n\r\n"), limits=limits)
    with pytest.raises(InvalidChunk):
        parse(req(te, b"1;" + b"a" * 200), limits=limits)


def test_trailer_limits() -> None:
    te = b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n"
    with pytest.raises(HeaderBlockTooLarge):
        parse(
            req(te, b"0\r\nX: " + b"v" * 300 + b"\r\n\r\n"),
            limits=Limits(max_header_block=100),
        )
    with pytest.raises(TooManyHeaders):
        parse(
            req(te, b"0\r\n" + b"X: v\r\n" * 3 + b"\r\n"),
            limits=Limits(max_header_count=2),
        )


@pytest.mark.parametrize(
    "host",
    [b"a b", b"a/b", b"user@h", b"h?x", b"h#x", b"a,b", b"h\t"],
)
def test_invalid_host_value(host: bytes) -> None:
    with pytest.raises(InvalidHeader):
        parse(b"GET / HTTP/1.1\r\nHost: " + host + b"x\r\n\r\n")


@pytest.mark.parametrize(
    "host",
    [
        b"example.com",
        b"example.com:8080",
        b"[::1]:80",
        b"127.0.0.1",
        b"xn--bcher-kva.de",
        b"",
    ],
)
def test_valid_host_value(host: bytes) -> None:
    assert isinstance(
        parse(b"GET / HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")[0], Request
    )


@pytest.mark.parametrize(
    ("line", "ok"),
    [
        (b"GET /a HTTP/1.1", True),
        (b"GET a HTTP/1.1", False),
        (b"GET ?a HTTP/1.1", False),
        (b"GET http://h/a HTTP/1.1", True),
        (b"GET HTTPS://h HTTP/1.1", True),
        (b"GET 1http://h/a HTTP/1.1", False),
        (b"GET h_t://h/a HTTP/1.1", False),
        (b"GET ://h/a HTTP/1.1", False),
        (b"OPTIONS * HTTP/1.1", True),
        (b"M-SEARCH * HTTP/1.1", True),
        (b"CONNECT h:443 HTTP/1.1", True),
        (b"CONNECT /x HTTP/1.1", False),
        (b"CONNECT u@h:443 HTTP/1.1", False),
    ],
)
def test_target_forms(line: bytes, ok: bool) -> None:
    data = line + b"\r\nHost: h\r\n\r\n"
    if ok:
        assert isinstance(parse(data)[0], Request)
    else:
        with pytest.raises(InvalidRequestLine):
            parse(data)


@pytest.mark.parametrize(
    "data",
    [b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", b"GE(T", b"PRI\x00", b"G\tET"],
)
def test_garbage_start_fails_fast(data: bytes) -> None:
    # No line end yet, but no request line can start like this.
    conn = Connection(SERVER)
    conn.receive_data(data)
    with pytest.raises(InvalidRequestLine):
        conn.next_event()


@pytest.mark.parametrize(
    "data", [b"\r", b"\r\n", b"\r\n\r", b"GET", b"GET /", b"PROPFIND"]
)
def test_valid_prefixes_wait(data: bytes) -> None:
    conn = Connection(SERVER)
    conn.receive_data(data)
    assert conn.next_event() is NEED_DATA


def test_dripped_head_and_trailers_parse() -> None:
    # One byte at a time (the scanners resume where they stopped).
    te = b"POST / HTTP/1.1\r\n" + H + b"Transfer-Encoding: chunked\r\n\r\n"
    data = (
        te
        + b"1\r\nx\r\n0\r\n"
        + b"".join(b"T%d: v\r\n" % i for i in range(20))
        + b"\r\n"
    )
    events = parse(data, chunks=list(range(1, len(data))))
    assert events[1:] == [
        Data(b"x"),
        EndOfMessage([(b"t%d" % i, b"v") for i in range(20)]),
    ]
