"""Client role: serialising requests, parsing responses, and full round trips
through a client and a server connection wired together (ConnectionPair)."""

from __future__ import annotations

import pytest

from aio.proto.http import (
    CLIENT,
    DONE,
    IDLE,
    MIGHT_SWITCH_PROTOCOL,
    MUST_CLOSE,
    NEED_DATA,
    SEND_BODY,
    SWITCHED_PROTOCOL,
    Connection,
    ConnectionClosed,
    Data,
    EndOfMessage,
    HTTPProtocolError,
    IncompleteMessage,
    InformationalResponse,
    InvalidStatusLine,
    LocalHTTPProtocolError,
    Request,
    RequestSmugglingError,
    Response,
    UnsupportedTransferEncoding,
)

from ._helpers import ConnectionPair, drain, merge_data, parse


def test_request_serialisation() -> None:
    conn = Connection(CLIENT)
    out = conn.send(
        Request(b"POST", b"/x?y=1", [(b"Host", b"h"), (b"Content-Length", b"3")])
    )
    assert out == b"POST /x?y=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n"
    assert conn.send(Data(b"abc")) == b"abc"
    assert conn.send(EndOfMessage()) == b""
    assert conn.our_state is DONE


def test_request_chunked() -> None:
    conn = Connection(CLIENT)
    conn.send(
        Request(b"PUT", b"/", [(b"host", b"h"), (b"transfer-encoding", b"chunked")])
    )
    assert conn.send(Data(b"ab")) == b"2\r\nab\r\n"
    assert conn.send(EndOfMessage([(b"etag", b"x")])) == b"0\r\netag: x\r\n\r\n"


@pytest.mark.parametrize(
    "event",
    [
        Request(b"GET", b"/", []),  # HTTP/1.1 needs Host
        Request(b"G T", b"/", [(b"host", b"h")]),
        Request(b"GET", b"/a b", [(b"host", b"h")]),
        Request(b"GET", b"", [(b"host", b"h")]),
        Request(b"GET", b"/", [(b"host", b"h")], b"2.0"),
        Request(b"GET", b"/", [(b"host", b"h\r\nX: y")]),
        Request(b"GET", b"/", [(b"host", b"h"), (b"transfer-encoding", b"gzip")]),
        Request(
            b"GET",
            b"/",
            [
                (b"host", b"h"),
                (b"transfer-encoding", b"chunked"),
                (b"content-length", b"1"),
            ],
        ),
        Request(b"GET", b"/", [(b"host", b"h"), (b"content-length", b"x")]),
        Response(200, []),
        InformationalResponse(100, []),
    ],
)
def test_invalid_requests_refused(
    event: Request | Response | InformationalResponse,
) -> None:
    conn = Connection(CLIENT)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(event)
    assert conn.our_state is IDLE


def test_body_without_framing_refused() -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Data(b"x"))


def test_response_content_length() -> None:
    data = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nServer: t\r\n\r\nhello"
    events = parse(data, CLIENT)
    assert events == [
        Response(200, [(b"content-length", b"5"), (b"server", b"t")], b"1.1", b"OK"),
        Data(b"hello"),
        EndOfMessage(),
    ]
    for cut in range(1, len(data)):
        assert parse(data, CLIENT, chunks=[cut]) == events


def test_response_chunked_with_trailers() -> None:
    data = (
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        b"4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nExpires: never\r\nX-A: b\r\n\r\n"
    )
    events = parse(data, CLIENT)
    assert events[1:] == [
        Data(b"Wikipedia"),
        EndOfMessage([(b"expires", b"never"), (b"x-a", b"b")]),
    ]
    assert parse(data, CLIENT, chunks=list(range(1, len(data)))) == events


def test_response_close_delimited() -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(b"HTTP/1.1 200 OK\r\n\r\nsome ")
    assert isinstance(conn.next_event(), Response)
    assert not conn.keep_alive
    assert conn.next_event() == Data(b"some ")
    assert conn.next_event() is NEED_DATA
    conn.receive_data(b"body")
    assert conn.next_event() == Data(b"body")
    conn.receive_data(b"")
    assert conn.next_event() == EndOfMessage()
    assert conn.their_state is MUST_CLOSE
    assert conn.next_event() == ConnectionClosed()


def test_response_reason_optional_and_http10() -> None:
    events = parse(b"HTTP/1.0 404\r\nContent-Length: 0\r\n\r\n", CLIENT)
    assert events[0] == Response(404, [(b"content-length", b"0")], b"1.0", b"")
    events = parse(b"HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", CLIENT)
    assert isinstance(events[0], Response) and events[0].reason == b""


def test_http10_response_not_keep_alive() -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(b"HTTP/1.0 200 OK\r\nContent-Length: 1\r\n\r\nx")
    drain(conn)
    assert not conn.keep_alive and conn.our_state is MUST_CLOSE


@pytest.mark.parametrize("status", [204, 304])
def test_no_body_status(status: int) -> None:
    data = b"HTTP/1.1 %d X\r\nContent-Length: 10\r\n\r\n" % status
    events = parse(data, CLIENT)
    assert events[1:] == [EndOfMessage()]


def test_head_response_has_no_body() -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"HEAD", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n")
    assert isinstance(conn.next_event(), Response)
    assert conn.next_event() == EndOfMessage()
    assert conn.keep_alive
    conn.start_next_cycle()


def test_informational_responses_then_final() -> None:
    data = (
        b"HTTP/1.1 100 Continue\r\n\r\n"
        b"HTTP/1.1 103 Early Hints\r\nLink: </s.css>\r\n\r\n"
        b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"
    )
    events = parse(data, CLIENT)
    assert events == [
        InformationalResponse(100, [], b"1.1", b"Continue"),
        InformationalResponse(103, [(b"link", b"</s.css>")], b"1.1", b"Early Hints"),
        Response(200, [(b"content-length", b"0")], b"1.1", b"OK"),
        EndOfMessage(),
    ]


def test_unsolicited_101_is_an_error() -> None:
    with pytest.raises(HTTPProtocolError):
        parse(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n", CLIENT)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"HTTP/1.1 20 OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1 2000 OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1 abc OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1 099 OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1  200 OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1 200 O\x00K\r\n\r\n", InvalidStatusLine),
        (b"HTTP/1.1 200OK\r\n\r\n", InvalidStatusLine),
        (b"HTTP/2 200 OK\r\n\r\n", InvalidStatusLine),
        (b"ICY 200 OK\r\n\r\n", InvalidStatusLine),
        (
            b"HTTP/1.1 200 OK\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            RequestSmugglingError,
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            UnsupportedTransferEncoding,
        ),
        (
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            HTTPProtocolError,
        ),
        (b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nab", IncompleteMessage),
        (b"HTTP/1.1 200 OK\r\nContent-", IncompleteMessage),
    ],
)
def test_bad_responses(data: bytes, error: type[HTTPProtocolError]) -> None:
    with pytest.raises(error):
        parse(data, CLIENT, eof=True)


def test_response_te_not_chunked_is_close_delimited() -> None:
    events = parse(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n\x1f\x8b", CLIENT, eof=True
    )
    assert events[1:] == [Data(b"\x1f\x8b"), EndOfMessage(), ConnectionClosed()]


def test_server_closes_before_responding() -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(b"")
    with pytest.raises(IncompleteMessage):
        conn.next_event()


def test_data_before_request_is_an_error() -> None:
    conn = Connection(CLIENT)
    conn.receive_data(b"HTTP/1.1 408 Timeout\r\n\r\n")
    with pytest.raises(HTTPProtocolError):
        conn.next_event()


def test_idle_client_sees_close() -> None:
    conn = Connection(CLIENT)
    conn.receive_data(b"")
    assert conn.next_event() == ConnectionClosed()
    assert conn.our_state is MUST_CLOSE


# ----------------------------------------------------------------- round trips


def test_pair_keep_alive_cycles() -> None:
    pair = ConnectionPair()
    for i in range(3):
        got = pair.client_sends(
            Request(b"POST", b"/%d" % i, [(b"host", b"h"), (b"content-length", b"2")]),
            Data(b"hi"),
            EndOfMessage(),
        )
        assert got == [
            Request(
                b"POST",
                b"/%d" % i,
                [(b"host", b"h"), (b"content-length", b"2")],
                b"1.1",
            ),
            Data(b"hi"),
            EndOfMessage(),
        ]
        got = pair.server_sends(
            Response(200, [(b"x", b"y")]), Data(b"abc"), EndOfMessage()
        )
        assert got == [
            Response(
                200, [(b"x", b"y"), (b"transfer-encoding", b"chunked")], b"1.1", b"OK"
            ),
            Data(b"abc"),
            EndOfMessage(),
        ]
        for conn in (pair.client, pair.server):
            assert conn.our_state is DONE and conn.their_state is DONE
            conn.start_next_cycle()


def test_pair_fast_path_response() -> None:
    pair = ConnectionPair()
    pair.client_sends(Request(b"GET", b"/", [(b"host", b"h")]), EndOfMessage())
    data = pair.server.send_response(200, [(b"content-type", b"text/plain")], b"hello")
    pair.client.receive_data(data)
    assert merge_data(drain(pair.client)) == [
        Response(
            200,
            [(b"content-type", b"text/plain"), (b"content-length", b"5")],
            b"1.1",
            b"OK",
        ),
        Data(b"hello"),
        EndOfMessage(),
    ]


def test_pair_expect_100_continue() -> None:
    pair = ConnectionPair()
    request = Request(
        b"PUT",
        b"/up",
        [(b"host", b"h"), (b"expect", b"100-continue"), (b"content-length", b"4")],
    )
    assert pair.client_sends(request) == [
        Request(b"PUT", b"/up", request.headers, b"1.1")
    ]
    assert pair.client.client_is_waiting_for_100_continue
    assert pair.server.they_are_waiting_for_100_continue
    got = pair.server_sends(InformationalResponse(100, []))
    assert got == [InformationalResponse(100, [], b"1.1", b"Continue")]
    assert not pair.client.client_is_waiting_for_100_continue
    assert pair.client_sends(Data(b"data"), EndOfMessage()) == [
        Data(b"data"),
        EndOfMessage(),
    ]
    got = pair.server_sends(Response(201, [(b"content-length", b"0")]), EndOfMessage())
    assert got == [
        Response(201, [(b"content-length", b"0")], b"1.1", b"Created"),
        EndOfMessage(),
    ]


def test_pair_early_final_response_refuses_body() -> None:
    pair = ConnectionPair()
    request = Request(
        b"PUT",
        b"/up",
        [(b"host", b"h"), (b"expect", b"100-continue"), (b"content-length", b"4")],
    )
    pair.client_sends(request)
    out = pair.server.send_response(413, [], b"too big")
    assert b"connection: close" not in out  # the server may still read the body
    pair.client.receive_data(out)
    events = merge_data(drain(pair.client))
    assert isinstance(events[0], Response) and events[0].status_code == 413
    assert pair.client.our_state is SEND_BODY
    # The client gives up on the body: it must close.
    pair.client.send(ConnectionClosed())
    assert not pair.client.keep_alive


def test_pair_upgrade() -> None:
    pair = ConnectionPair()
    request = Request(
        b"GET",
        b"/chat",
        [(b"host", b"h"), (b"connection", b"Upgrade"), (b"upgrade", b"websocket")],
    )
    pair.client_sends(request, EndOfMessage())
    assert pair.client.our_state is MIGHT_SWITCH_PROTOCOL
    assert pair.server.their_state is MIGHT_SWITCH_PROTOCOL
    data = pair.server.send(InformationalResponse(101, [(b"upgrade", b"websocket")]))
    pair.client.receive_data(data + b"\x81\x00")
    event = pair.client.next_event()
    assert isinstance(event, InformationalResponse) and event.status_code == 101
    assert pair.client.our_state is SWITCHED_PROTOCOL
    assert pair.client.their_state is SWITCHED_PROTOCOL
    assert pair.client.trailing_data == (b"\x81\x00", False)


def test_pair_upgrade_refused() -> None:
    pair = ConnectionPair()
    request = Request(
        b"GET",
        b"/chat",
        [(b"host", b"h"), (b"connection", b"Upgrade"), (b"upgrade", b"websocket")],
    )
    pair.client_sends(request, EndOfMessage())
    got = pair.server_sends(
        Response(200, [(b"content-length", b"2")]), Data(b"no"), EndOfMessage()
    )
    assert got[1:] == [Data(b"no"), EndOfMessage()]
    assert pair.client.our_state is DONE
    pair.client.start_next_cycle()


def test_pair_connect_tunnel() -> None:
    pair = ConnectionPair()
    pair.client_sends(
        Request(b"CONNECT", b"h:443", [(b"host", b"h:443")]), EndOfMessage()
    )
    pair.server.send(Response(200, []))
    pair.client.receive_data(b"HTTP/1.1 200 OK\r\n\r\n\x16\x03")
    assert isinstance(pair.client.next_event(), Response)
    assert pair.client.our_state is SWITCHED_PROTOCOL
    assert pair.client.trailing_data == (b"\x16\x03", False)


def test_pair_connection_close() -> None:
    pair = ConnectionPair()
    pair.client_sends(
        Request(b"GET", b"/", [(b"host", b"h"), (b"connection", b"close")]),
        EndOfMessage(),
    )
    assert not pair.client.keep_alive and not pair.server.keep_alive
    got = pair.server_sends(Response(200, [(b"content-length", b"0")]), EndOfMessage())
    assert isinstance(got[0], Response)
    assert (b"connection", b"close") in got[0].headers
    assert pair.client.our_state is MUST_CLOSE
    pair.client.send(ConnectionClosed())
    pair.server.receive_data(b"")
    assert pair.server.next_event() == ConnectionClosed()


def test_pair_http10_client() -> None:
    pair = ConnectionPair()
    pair.client_sends(Request(b"GET", b"/", [], b"1.0"), EndOfMessage())
    got = pair.server_sends(Response(200, []), Data(b"body"), EndOfMessage())
    assert got[1:] == [Data(b"body")]  # close-delimited: ends at EOF
    pair.client.receive_data(b"")
    assert drain(pair.client) == [EndOfMessage(), ConnectionClosed()]


@pytest.mark.parametrize("data", [b"SSH-2.0-OpenSSH", b"HTTP/2 200", b"<html>"])
def test_not_http_response_fails_fast(data: bytes) -> None:
    conn = Connection(CLIENT)
    conn.send(Request(b"GET", b"/", [(b"host", b"h")]))
    conn.send(EndOfMessage())
    conn.receive_data(data)
    with pytest.raises(InvalidStatusLine):
        conn.next_event()


def test_str_request_fields_are_local_errors() -> None:
    conn = Connection(CLIENT)
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Request("GET", b"/", [(b"host", b"h")]))  # type: ignore[arg-type]
    with pytest.raises(LocalHTTPProtocolError):
        conn.send(Request(b"GET", "/", [(b"host", b"h")]))  # type: ignore[arg-type]
    assert conn.our_state is IDLE
