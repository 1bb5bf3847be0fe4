"""Server role: parsing requests, serialising responses, the cycle."""

from __future__ import annotations

import pytest

from aio.errors import LocalProtocolError, RemoteProtocolError
from aio.proto.http import (
    DONE,
    ERROR,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    NEED_DATA,
    PAUSED,
    SEND_BODY,
    SEND_RESPONSE,
    SERVER,
    SWITCHED_PROTOCOL,
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    HTTPProtocolError,
    IncompleteMessage,
    InformationalResponse,
    InvalidHeader,
    LocalHTTPProtocolError,
    Request,
    Response,
)

from ._helpers import drain, parse

GET = b"GET /index.html?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n"


def test_simple_get() -> None:
    events = parse(GET)
    assert events == [
        Request(
            b"GET",
            b"/index.html?x=1",
            [(b"host", b"example.com"), (b"accept", b"*/*")],
            b"1.1",
        ),
        EndOfMessage(),
    ]


def test_header_names_lowercased_values_stripped() -> None:
    events = parse(
        b"GET / HTTP/1.1\r\nHOST:  a.b \t\r\nX-Thing:\tv 1 \r\nX-Empty:\r\n\r\n"
    )
    request = events[0]
    assert isinstance(request, Request)
    assert request.headers == [
        (b"host", b"a.b"),
        (b"x-thing", b"v 1"),
        (b"x-empty", b""),
    ]


def test_content_length_body_split_everywhere() -> None:
    data = b"POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world"
    expected = parse(data)
    assert expected[1:] == [Data(b"hello world"), EndOfMessage()]
    for cut in range(1, len(data)):
        assert parse(data, chunks=[cut]) == expected


def test_byte_by_byte() -> None:
    data = (
        b"POST /p HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nTrailer-A: 1\r\n\r\n"
    )
    expected = parse(data)
    assert expected[1:] == [Data(b"hello world"), EndOfMessage([(b"trailer-a", b"1")])]
    assert parse(data, chunks=list(range(1, len(data)))) == expected


def test_pipelining_paused_until_next_cycle() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET + GET.replace(b"index", b"second"))
    assert isinstance(conn.next_event(), Request)
    assert conn.next_event() == EndOfMessage()
    assert conn.next_event() is PAUSED
    assert conn.next_event() is PAUSED
    conn.send_response(200, [], b"ok")
    assert conn.our_state is DONE and conn.their_state is DONE
    conn.start_next_cycle()
    second = conn.next_event()
    assert isinstance(second, Request) and second.target.startswith(b"/second")
    assert conn.next_event() == EndOfMessage()
    assert conn.next_event() is NEED_DATA


def test_keep_alive_and_eof_between_requests() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    assert conn.send_response(204, []) == b"HTTP/1.1 204 No Content\r\n\r\n"
    assert conn.keep_alive
    conn.start_next_cycle()
    assert conn.next_event() is NEED_DATA
    conn.receive_data(b"")
    assert conn.next_event() == ConnectionClosed()


def test_connection_close_request() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nHost: h\r\nConnection: Close\r\n\r\n")
    drain(conn)
    assert not conn.keep_alive
    out = conn.send_response(200, [], b"x")
    assert b"\r\nconnection: close\r\n" in out
    assert conn.our_state is MUST_CLOSE
    with pytest.raises(LocalHTTPProtocolError):
        conn.start_next_cycle()


def test_http10_without_keep_alive_is_close_delimited() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.0\r\n\r\n")
    request, end = drain(conn)
    assert isinstance(request, Request) and request.http_version == b"1.0"
    assert not conn.keep_alive
    head = conn.send(Response(200, [(b"content-type", b"text/plain")]))
    assert b"transfer-encoding" not in head and b"connection: close" in head
    assert conn.send(Data(b"raw body")) == b"raw body"
    assert conn.send(EndOfMessage()) == b""
    assert conn.our_state is MUST_CLOSE


def test_http10_keep_alive() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    drain(conn)
    assert conn.keep_alive
    out = conn.send_response(200, [], b"abc")
    assert b"content-length: 3\r\n" in out and b"connection: keep-alive\r\n" in out
    conn.start_next_cycle()
    assert conn.our_state is IDLE


def test_http10_chunked_response_falls_back_to_close() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
    drain(conn)
    head = conn.send(Response(200, [(b"Transfer-Encoding", b"chunked")]))
    assert b"ransfer-encoding" not in head
    assert conn.send(Data(b"x")) == b"x"
    assert not conn.keep_alive


def test_auto_chunked_response() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    head = conn.send(Response(200, [(b"content-type", b"text/plain")]))
    assert head == (
        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n"
        b"transfer-encoding: chunked\r\n\r\n"
    )
    assert conn.send(Data(b"hello")) == b"5\r\nhello\r\n"
    assert conn.send(Data(b"")) == b""
    assert conn.send(EndOfMessage([(b"x-sum", b"1")])) == b"0\r\nx-sum: 1\r\n\r\n"
    assert conn.our_state is DONE


def test_send_response_fast_path_streaming() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    out = conn.send_response(201, [(b"content-length", b"4")], b"ab", end=False)
    assert out == b"HTTP/1.1 201 Created\r\ncontent-length: 4\r\n\r\nab"
    assert conn.send_data(b"cd", end=True) == b"cd"
    assert conn.our_state is DONE


def test_content_length_mismatch_is_local_error() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    conn.send(Response(200, [(b"content-length", b"2")]))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Data(b"abc"))
    assert conn.our_state is ERROR

    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    conn.send(Response(200, [(b"content-length", b"2")]))
    conn.send(Data(b"a"))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(EndOfMessage())


@pytest.mark.parametrize(
    "headers",
    [
        [(b"x-bad", b"a\r\nb")],
        [(b"x-bad", b"a\nb")],
        [(b"x-bad", b"a\x00b")],
        [(b"bad name", b"v")],
        [(b"", b"v")],
        [(b"bad:name", b"v")],
    ],
)
def test_header_injection_refused_state_unchanged(
    headers: list[tuple[bytes, bytes]],
) -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send_response(200, headers, b"")
    assert conn.our_state is SEND_RESPONSE
    # Nothing was written, so a 500 can still be sent.
    assert conn.send_response(500, [], b"").startswith(b"HTTP/1.1 500 ")


def test_invalid_status_and_reason() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    for status in (99, 100, 600):
        with pytest.raises(LocalHTTPProtocolError):
            conn.send(Response(status, []))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Response(200, [], reason=b"OK\r\nX: y"))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(InformationalResponse(200, []))


@pytest.mark.parametrize("status", [204, 304])
def test_no_body_statuses(status: int) -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    out = conn.send_response(status, [], b"dropped")
    assert out.endswith(b"\r\n\r\n") and b"dropped" not in out
    assert b"content-length" not in out and b"transfer-encoding" not in out
    assert conn.keep_alive


def test_head_response_has_no_body() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"HEAD / HTTP/1.1\r\nHost: h\r\n\r\n")
    drain(conn)
    out = conn.send_response(200, [], b"12345")
    assert out == b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\n"
    conn.start_next_cycle()


def test_error_response_after_bad_request() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET / HTTP/1.1\r\nBad Header: x\r\n\r\n")
    with pytest.raises(InvalidHeader) as info:
        conn.next_event()
    assert info.value.status_hint == 400
    assert isinstance(info.value, RemoteProtocolError)
    assert conn.their_state is ERROR
    with pytest.raises(LocalProtocolError):
        conn.next_event()
    out = conn.send_response(400, [(b"content-type", b"text/plain")], b"bad")
    assert out.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"connection: close\r\n" in out and out.endswith(b"\r\n\r\nbad")
    assert conn.our_state is MUST_CLOSE


def test_timeout_response_from_idle() -> None:
    conn = Connection(SERVER)
    out = conn.send_response(408, [], b"")
    assert b"connection: close" in out and b"content-length: 0" in out
    assert not conn.keep_alive


def test_missing_and_duplicate_host() -> None:
    with pytest.raises(InvalidHeader, match="missing Host"):
        parse(b"GET / HTTP/1.1\r\n\r\n")
    with pytest.raises(InvalidHeader, match="more than one Host"):
        parse(b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n")
    # HTTP/1.0 needs no Host.
    assert isinstance(parse(b"GET / HTTP/1.0\r\n\r\n")[0], Request)
    assert isinstance(parse(b"GET / HTTP/1.1\r\n\r\n", require_host=False)[0], Request)


def test_expect_100_continue() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-Continue\r\nContent-Length: 3\r\n\r\n"
    )
    assert isinstance(conn.next_event(), Request)
    assert conn.they_are_waiting_for_100_continue
    assert conn.next_event() is NEED_DATA
    out = conn.send(InformationalResponse(100, []))
    assert out == b"HTTP/1.1 100 Continue\r\n\r\n"
    assert not conn.they_are_waiting_for_100_continue
    conn.receive_data(b"abc")
    assert conn.next_event() == Data(b"abc")
    assert conn.next_event() == EndOfMessage()


def test_expect_100_cleared_when_client_sends_body_anyway() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"PUT /f HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\n"
    )
    conn.next_event()
    assert conn.they_are_waiting_for_100_continue
    conn.receive_data(b"x")
    conn.next_event()
    assert not conn.they_are_waiting_for_100_continue


def test_websocket_upgrade_switches_with_trailing_data() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Upgrade\r\n"
        b"Upgrade: websocket\r\n\r\n\x81\x05frame"
    )
    assert isinstance(conn.next_event(), Request)
    assert conn.next_event() == EndOfMessage()
    assert conn.their_state is MIGHT_SWITCH_PROTOCOL
    assert conn.next_event() is PAUSED
    out = conn.send(InformationalResponse(101, [(b"upgrade", b"websocket")]))
    assert out.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert conn.our_state is SWITCHED_PROTOCOL and conn.their_state is SWITCHED_PROTOCOL
    assert conn.trailing_data == (b"\x81\x05frame", False)
    assert conn.next_event() is PAUSED


def test_upgrade_refused_with_normal_response() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"GET /ws HTTP/1.1\r\nHost: h\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"
    )
    drain(conn)
    conn.send_response(403, [], b"no")
    assert conn.their_state is DONE and conn.our_state is DONE
    conn.start_next_cycle()


def test_connect_switches_on_2xx() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\nTLS"
    )
    request, end = drain(conn)
    assert isinstance(request, Request) and request.target == b"example.com:443"
    assert conn.send(Response(200, [])) == b"HTTP/1.1 200 OK\r\n\r\n"
    assert conn.our_state is SWITCHED_PROTOCOL
    assert conn.trailing_data == (b"TLS", False)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Data(b"tunnel bytes are not HTTP"))


def test_connect_refused_keeps_http() -> None:
    conn = Connection(SERVER)
    conn.receive_data(
        b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n"
    )
    drain(conn)
    out = conn.send_response(407, [(b"proxy-authenticate", b"Basic")], b"auth")
    assert out.startswith(b"HTTP/1.1 407 ") and out.endswith(
        b"content-length: 4\r\n\r\nauth"
    )
    assert conn.our_state is DONE and conn.their_state is DONE


def test_101_without_upgrade_request_is_refused() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(InformationalResponse(101, []))


def test_eof_mid_head_and_mid_body() -> None:
    with pytest.raises(IncompleteMessage):
        parse(b"GET / HTTP/1.1\r\nHost:", eof=True)
    with pytest.raises(IncompleteMessage):
        parse(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nab", eof=True)
    with pytest.raises(IncompleteMessage):
        parse(
            b"POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
            eof=True,
        )


def test_half_close_after_request_still_allows_response() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    conn.receive_data(b"")
    assert drain(conn)[-1] == ConnectionClosed()
    assert conn.send_response(200, [], b"ok").endswith(b"ok")


def test_leading_empty_lines_ignored() -> None:
    assert isinstance(parse(b"\r\n\r\n" + GET)[0], Request)


def test_misuse() -> None:
    conn = Connection(SERVER)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Data(b"x"))
    conn.receive_data(b"")
    with pytest.raises(LocalHTTPProtocolError):
        conn.receive_data(b"late")
    with pytest.raises(ValueError):
        Connection("proxy")


def test_errors_are_typed() -> None:
    assert issubclass(HTTPProtocolError, RemoteProtocolError)
    assert issubclass(LocalHTTPProtocolError, LocalProtocolError)
    conn = Connection(SERVER)
    assert conn.our_state is IDLE
    conn.receive_data(b"POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\n")
    conn.next_event()
    assert conn.their_state is SEND_BODY and conn.our_state is SEND_RESPONSE


def test_repr_names_role_and_states() -> None:
    conn = Connection(SERVER)
    conn.receive_data(b"GET")
    assert repr(conn) == (
        "<Connection server our_state=IDLE their_state=IDLE keep_alive=True "
        "buffered=3 eof=False>"
    )


def test_wrong_types_are_local_errors() -> None:
    conn = Connection(SERVER)
    conn.receive_data(GET)
    drain(conn)
    bad_headers: object = [("content-type", "text/plain")]
    with pytest.raises(LocalHTTPProtocolError):
        conn.send_response(200, bad_headers, b"")  # type: ignore[arg-type]
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Response(200, [], reason="OK"))  # type: ignore[arg-type]
    conn.send(Response(200, []))
    assert conn.send_data(bytearray(b"ab")) == b"2\r\nab\r\n"
    assert conn.send_data(memoryview(b"cd")) == b"2\r\ncd\r\n"
    with pytest.raises(LocalHTTPProtocolError):
        conn.send_data("text")  # type: ignore[arg-type]
