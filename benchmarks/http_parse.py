"""Suite ``http_parse``: the sans-I/O HTTP/1.1 core per request, no sockets.

Each contender parses requests from memory and produces a 13-byte response the
way a server does: aio through ``Connection.next_event`` and ``send_response``,
h11 through ``next_event`` and ``send`` (Response, Data, EndOfMessage), and
httptools (llhttp, in C) through ``feed_data`` callbacks with the response bytes
built by hand, as uvicorn's httptools protocol does. The number is requests per
second on one core (higher is better); each round runs for 2 s per case
(0.3 s with ``--quick``).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from benchmarks._harness import Case, Contender, RunInfo, Sample, Suite

SUITE = Suite(
    name="http_parse",
    unit="requests/s",
    higher_is_better=True,
    description=(
        "Parse a request and serialise a 13-byte response in memory, per request "
        "(aio.proto.http vs h11 vs httptools), one core."
    ),
    rounds=3,
)

BROWSER_GET = (
    b"GET /plaintext?x=1 HTTP/1.1\r\n"
    b"Host: localhost:8080\r\n"
    b"User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0\r\n"
    b"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8\r\n"
    b"Accept-Language: en-US,en;q=0.5\r\n"
    b"Accept-Encoding: gzip, deflate, br\r\n"
    b"Connection: keep-alive\r\n"
    b"Cookie: session=abc123; theme=dark\r\n"
    b"\r\n"
)
TINY_GET = b"GET / HTTP/1.1\r\nHost: h\r\n\r\n"
CHUNKED_POST = (
    b"POST /upload HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
    + b"".join(b"40\r\n" + b"x" * 64 + b"\r\n" for _ in range(4))
    + b"0\r\n\r\n"
)
BODY = b"Hello, world!"
# Case params must be JSON for the report, so cases name their payload.
PAYLOADS = {
    "browser_get": BROWSER_GET,
    "tiny_get": TINY_GET,
    "chunked_post": CHUNKED_POST,
    "pipelined_16": TINY_GET * 16,
}


def contenders() -> list[Contender]:
    """aio's core against h11 (pure Python) and httptools (llhttp in C)."""
    return [
        Contender("aio", is_ours=True, dist="aio-stack", requires=("aio.proto.http",)),
        Contender("h11", dist="h11", requires=("h11",)),
        Contender("httptools", dist="httptools", requires=("httptools",)),
    ]


def cases() -> list[Case]:
    """A browser-like GET, a minimal GET, a chunked POST, and 16 pipelined GETs."""
    return [
        Case(
            "browser_get",
            "GET with 7 typical browser headers",
            {"payload": "browser_get"},
        ),
        Case("tiny_get", "GET with only Host", {"payload": "tiny_get"}),
        Case(
            "chunked_post",
            "POST with a 256-byte body in 4 chunks",
            {"payload": "chunked_post"},
        ),
        Case(
            "pipelined_16",
            "16 tiny GETs arriving in one read",
            {"payload": "pipelined_16", "count": 16},
        ),
    ]


def _aio(data: bytes, count: int) -> Callable[[], int]:
    from aio.proto.http import NEED_DATA, PAUSED, SERVER, Connection, EndOfMessage

    conn = Connection(SERVER)
    headers = [(b"content-type", b"text/plain")]

    def one() -> int:
        conn.receive_data(data)
        done = 0
        while done < count:
            event = conn.next_event()
            if type(event) is EndOfMessage:
                conn.send_response(200, headers, BODY)
                conn.start_next_cycle()
                done += 1
            elif event is NEED_DATA or event is PAUSED:
                raise RuntimeError("aio stalled")
        return count

    return one


def _h11(data: bytes, count: int) -> Callable[[], int]:
    import h11

    conn = h11.Connection(h11.SERVER)
    headers = [("content-type", "text/plain"), ("content-length", str(len(BODY)))]

    def one() -> int:
        conn.receive_data(data)
        done = 0
        while done < count:
            event = conn.next_event()
            if type(event) is h11.EndOfMessage:
                out = conn.send(h11.Response(status_code=200, headers=headers)) or b""
                out += conn.send(h11.Data(data=BODY)) or b""
                out += conn.send(h11.EndOfMessage()) or b""
                conn.start_next_cycle()
                done += 1
            elif event is h11.NEED_DATA or event is h11.PAUSED:
                raise RuntimeError("h11 stalled")
        return count

    return one


def _httptools(data: bytes, count: int) -> Callable[[], int]:
    import httptools

    class Sink:
        def __init__(self) -> None:
            self.headers: list[tuple[bytes, bytes]] = []
            self.url = b""
            self.body: list[bytes] = []
            self.out: list[bytes] = []

        def on_url(self, url: bytes) -> None:
            self.url += url

        def on_header(self, name: bytes, value: bytes) -> None:
            self.headers.append((name.lower(), value))

        def on_body(self, body: bytes) -> None:
            self.body.append(body)

        def on_message_complete(self) -> None:
            # What a server does per request: a head built by hand.
            self.out.append(
                b"".join(
                    [
                        b"HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\n",
                        b"content-length: %d\r\n\r\n" % len(BODY),
                        BODY,
                    ]
                )
            )
            self.headers = []
            self.url = b""
            self.body = []

    sink = Sink()
    parser = httptools.HttpRequestParser(sink)

    def one() -> int:
        parser.feed_data(data)
        if len(sink.out) != count:
            raise RuntimeError("httptools stalled")
        sink.out.clear()
        return count

    return one


def measure(contender: Contender, case: Case, run: RunInfo) -> Sample:
    """Run the contender's loop for a fixed time; requests per second."""
    data = PAYLOADS[case.params["payload"]]
    count: int = case.params.get("count", 1)
    factory = {"aio": _aio, "h11": _h11, "httptools": _httptools}[contender.name]
    one = factory(data, count)
    for _ in range(200):  # warm caches and the name cache
        one()
    duration = 0.3 if run.quick else 2.0
    done = 0
    start = time.perf_counter()
    deadline = start + duration
    while True:
        for _ in range(100):
            done += one()
        now = time.perf_counter()
        if now >= deadline:
            break
    elapsed = now - start
    return Sample(done / elapsed, {"us_per_request": elapsed / done * 1e6})
