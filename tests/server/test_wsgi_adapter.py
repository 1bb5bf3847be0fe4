"""The WSGI adapter driven directly through ASGI calls (no sockets)."""

from __future__ import annotations

import asyncio
import io
import logging
import sys
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.server._wsgi_adapter import WSGIAdapter
from aio.server._wsgi_environ import build_environ
from aio.server._wsgi_io import ClientDisconnectedError, FileWrapper, InputStream


def make_scope(**overrides: Any) -> dict[str, Any]:
    scope: dict[str, Any] = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/",
        "raw_path": b"/",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"example.test")],
        "client": ("127.0.0.1", 5555),
        "server": ("127.0.0.1", 8000),
    }
    scope.update(overrides)
    return scope


class Driver:
    """An in-memory ASGI server: feeds body chunks, records sent messages."""

    def __init__(self, chunks: list[bytes] | None = None) -> None:
        self.chunks = list(chunks or [b""])
        self.sent: list[dict[str, Any]] = []
        self.disconnect = asyncio.Event()
        self.fail_send_after: int | None = None

    async def receive(self) -> dict[str, Any]:
        if self.chunks:
            body = self.chunks.pop(0)
            return {
                "type": "http.request",
                "body": body,
                "more_body": bool(self.chunks),
            }
        await self.disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        if self.fail_send_after is not None and len(self.sent) >= self.fail_send_after:
            raise OSError("connection reset")
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def headers(self) -> dict[bytes, bytes]:
        return dict(self.sent[0]["headers"])

    @property
    def body(self) -> bytes:
        return b"".join(m.get("body", b"") for m in self.sent[1:])


async def run_app(app: Any, driver: Driver, **scope: Any) -> None:
    adapter = WSGIAdapter(app, threads=2)
    try:
        await adapter(make_scope(**scope), driver.receive, driver.send)
    finally:
        adapter.shutdown()


async def test_environ_is_complete() -> None:
    seen: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        seen.update(environ)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"ok"]

    driver = Driver([b"a=1"])
    await run_app(
        app,
        driver,
        method="POST",
        path="/caf\u00e9/x",
        raw_path=b"/caf%C3%A9/x",
        query_string=b"q=1&r=%20",
        headers=[
            (b"host", b"example.test"),
            (b"content-type", b"application/x-www-form-urlencoded"),
            (b"content-length", b"3"),
            (b"x-multi", b"a"),
            (b"x-multi", b"b"),
            (b"cookie", b"a=1"),
            (b"cookie", b"b=2"),
            (b"x_spoof", b"dropped"),
        ],
    )
    assert driver.status == 200
    assert driver.body == b"ok"
    assert seen["REQUEST_METHOD"] == "POST"
    assert seen["SCRIPT_NAME"] == ""
    # PEP 3333: the raw bytes decoded as latin-1
    assert seen["PATH_INFO"] == "/caf\u00c3\u00a9/x"
    assert seen["QUERY_STRING"] == "q=1&r=%20"
    assert seen["CONTENT_TYPE"] == "application/x-www-form-urlencoded"
    assert seen["CONTENT_LENGTH"] == "3"
    assert "HTTP_CONTENT_TYPE" not in seen
    assert seen["SERVER_NAME"] == "127.0.0.1"
    assert seen["SERVER_PORT"] == "8000"
    assert seen["SERVER_PROTOCOL"] == "HTTP/1.1"
    assert seen["HTTP_HOST"] == "example.test"
    assert seen["HTTP_X_MULTI"] == "a,b"
    assert seen["HTTP_COOKIE"] == "a=1; b=2"
    assert "HTTP_X_SPOOF" not in seen
    assert seen["REMOTE_ADDR"] == "127.0.0.1"
    assert seen["REMOTE_PORT"] == "5555"
    assert seen["wsgi.version"] == (1, 0)
    assert seen["wsgi.url_scheme"] == "http"
    assert seen["wsgi.multithread"] is True
    assert seen["wsgi.multiprocess"] is False
    assert seen["wsgi.run_once"] is False
    assert seen["wsgi.file_wrapper"] is FileWrapper
    assert hasattr(seen["wsgi.errors"], "write")
    assert hasattr(seen["wsgi.input"], "read")


def test_root_path_becomes_script_name() -> None:
    environ = build_environ(
        make_scope(path="/api/items", raw_path=b"/api/items", root_path="/api"),
        {},
        [],
    )
    assert environ["SCRIPT_NAME"] == "/api"
    assert environ["PATH_INFO"] == "/items"


async def test_streaming_input_read_readline_iteration() -> None:
    got: dict[str, Any] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        stream = environ["wsgi.input"]
        got["first"] = stream.read(3)
        got["line"] = stream.readline()
        got["limited"] = stream.readline(2)
        got["lines"] = list(stream)
        got["eof"] = stream.read()
        start_response("200 OK", [])
        return []

    driver = Driver([b"ab", b"c-line1\nli", b"ne2\nline3\n", b"tail"])
    await run_app(app, driver, method="POST")
    assert got["first"] == b"abc"
    assert got["line"] == b"-line1\n"
    assert got["limited"] == b"li"
    assert got["lines"] == [b"ne2\n", b"line3\n", b"tail"]
    assert got["eof"] == b""
    assert driver.headers[b"content-length"] == b"0"


def test_input_stream_readlines_hint_and_read_all() -> None:
    parts = [(b"x\ny\n", True), (b"z\n", False)]
    stream = InputStream(b"", True, lambda: parts.pop(0))
    assert stream.readlines(1) == [b"x\n"]
    assert stream.read(-1) == b"y\nz\n"
    assert stream.read(10) == b""


async def test_input_reads_block_until_the_loop_delivers() -> None:
    """The pool thread waits while the 'network' delivers the body slowly."""
    release = asyncio.Event()
    delivered: list[bytes] = []

    class SlowDriver(Driver):
        async def receive(self) -> dict[str, Any]:
            if not delivered:
                delivered.append(b"1")
                return {"type": "http.request", "body": b"1", "more_body": True}
            if len(delivered) == 1:
                await release.wait()
                delivered.append(b"2")
                return {"type": "http.request", "body": b"2", "more_body": False}
            await self.disconnect.wait()
            return {"type": "http.disconnect"}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        body = environ["wsgi.input"].read()
        start_response("200 OK", [])
        return [body]

    driver = SlowDriver()
    task = asyncio.ensure_future(run_app(app, driver, method="POST"))
    for _ in range(20):
        await asyncio.sleep(0)
    assert not task.done()  # blocked in read() until the second chunk
    release.set()
    await task
    assert driver.body == b"12"


async def test_disconnect_while_reading_raises_in_the_app() -> None:
    errors: list[BaseException] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        try:
            environ["wsgi.input"].read()
        except ClientDisconnectedError as exc:
            errors.append(exc)
            raise
        return []

    driver = Driver([b"part"])
    driver.chunks = []

    async def receive() -> dict[str, Any]:
        if not errors and not driver.sent:
            if not hasattr(receive, "done"):
                receive.done = True  # type: ignore[attr-defined]
                return {"type": "http.request", "body": b"x", "more_body": True}
        return {"type": "http.disconnect"}

    adapter = WSGIAdapter(app, threads=1)
    try:
        await adapter(make_scope(method="POST"), receive, driver.send)
    finally:
        adapter.shutdown()
    assert len(errors) == 1 and isinstance(errors[0], OSError)
    assert driver.sent == []


async def test_single_chunk_gets_content_length_and_one_body_message() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("201 Created", [("X-A", "1")])
        return [b"hello"]

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 201
    assert driver.headers == {b"x-a": b"1", b"content-length": b"5"}
    assert len(driver.sent) == 2
    assert driver.sent[1].get("more_body", False) is False


async def test_streaming_body_sends_chunks_in_order() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        yield b"a"
        yield b""
        yield b"b"
        yield b"c"

    driver = Driver()
    await run_app(app, driver)
    assert driver.body == b"abc"
    assert b"content-length" not in driver.headers  # the server chunks it
    assert [m.get("more_body", False) for m in driver.sent[1:]] == [True, True, False]


async def test_write_callable() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        write(b"one ")
        write(b"two ")
        return [b"three"]

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 200
    assert driver.body == b"one two three"


async def test_start_response_exc_info_before_headers_replaces_response() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        try:
            raise ValueError("boom")
        except ValueError:
            start_response(
                "500 Oops", [("Content-Type", "text/x-error")], sys.exc_info()
            )
        return [b"error page"]

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 500
    assert driver.headers[b"content-type"] == b"text/x-error"
    assert driver.body == b"error page"


async def test_start_response_exc_info_after_headers_reraises() -> None:
    raised: list[BaseException] = []

    def app(environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        write = start_response("200 OK", [])
        write(b"partial")
        try:
            raise KeyError("late")
        except KeyError:
            try:
                start_response("500 Oops", [], sys.exc_info())
            except KeyError as exc:
                raised.append(exc)
                raise
        yield b"never"

    driver = Driver()
    with pytest.raises(KeyError):
        await run_app(app, driver)
    assert len(raised) == 1
    assert driver.body == b"partial"


async def test_second_start_response_without_exc_info_is_an_error() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [])
        start_response("200 OK", [])
        return []

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 500  # logged, then a 500 before anything was sent


async def test_app_exception_before_start_gives_500() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        raise RuntimeError("broken app")

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 500
    assert driver.body == b"Internal Server Error"


async def test_no_start_response_gives_500() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return [b"body but no headers"]

    driver = Driver()
    await run_app(app, driver)
    assert driver.status == 500


class ClosingBody:
    def __init__(self, parts: list[bytes], closed: threading.Event) -> None:
        self.parts = parts
        self.closed = closed

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.parts)

    def close(self) -> None:
        self.closed.set()


async def test_close_is_called() -> None:
    closed = threading.Event()

    def app(environ: dict[str, Any], start_response: Any) -> ClosingBody:
        start_response("200 OK", [])
        return ClosingBody([b"x", b"y"], closed)

    driver = Driver()
    await run_app(app, driver)
    assert closed.is_set()
    assert driver.body == b"xy"


async def test_close_is_called_when_the_client_disconnects_mid_stream() -> None:
    closed = threading.Event()
    produced: list[int] = []

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [])

        def body() -> Iterator[bytes]:
            try:
                for i in range(10_000):
                    produced.append(i)
                    yield b"chunk"
            finally:
                closed.set()

        return body()

    driver = Driver()
    driver.fail_send_after = 3  # start + 2 chunks, then the peer is gone
    await run_app(app, driver)
    assert closed.is_set()
    assert len(produced) < 10  # stopped right away, not after 10,000 chunks


async def test_close_is_called_on_disconnect_seen_by_the_watcher() -> None:
    """A server that swallows sends after a disconnect: the watcher notices."""
    closed = threading.Event()
    gate = threading.Event()

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [])

        def body() -> Iterator[bytes]:
            try:
                yield b"first"
                yield b"second"  # sent: the watcher is now running
                gate.wait(5)
                for _ in range(10_000):
                    yield b"more"
            finally:
                closed.set()

        return body()

    driver = Driver()
    task = asyncio.ensure_future(run_app(app, driver))
    while len(driver.sent) < 2:
        await asyncio.sleep(0.01)
    driver.disconnect.set()
    await asyncio.sleep(0.05)
    gate.set()
    await task
    assert closed.is_set()
    assert len(driver.sent) < 100


async def test_file_wrapper_streams_blocks_and_closes() -> None:
    data = io.BytesIO(b"0123456789" * 10)

    def app(environ: dict[str, Any], start_response: Any) -> Any:
        start_response("200 OK", [("Content-Length", "100")])
        return environ["wsgi.file_wrapper"](data, 32)

    driver = Driver()
    await run_app(app, driver)
    assert driver.body == b"0123456789" * 10
    assert data.closed
    assert len(driver.sent) == 1 + 4  # 32+32+32+4


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


async def test_wsgi_errors_logs_lines() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        environ["wsgi.errors"].write("first line\nsecond ")
        environ["wsgi.errors"].writelines(["part\n"])
        environ["wsgi.errors"].flush()
        start_response("200 OK", [])
        return []

    # a handler on the logger itself: another test may have stopped propagation
    handler = ListHandler()
    logger = logging.getLogger("aio.server.wsgi")
    logger.addHandler(handler)
    try:
        await run_app(app, Driver())
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in handler.records] == ["first line", "second part"]


async def test_lifespan_is_acknowledged() -> None:
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    adapter = WSGIAdapter(lambda e, s: [], threads=1)
    await adapter({"type": "lifespan"}, receive, send)
    assert [m["type"] for m in sent] == [
        "lifespan.startup.complete",
        "lifespan.shutdown.complete",
    ]


@settings(max_examples=200, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=40), max_size=6),
    reads=st.lists(st.integers(min_value=-1, max_value=50), max_size=8),
)
def test_input_stream_property(chunks: list[bytes], reads: list[int]) -> None:
    """Any mix of read sizes returns exactly the body, in order."""
    body = b"".join(chunks)
    queue = [(c, i < len(chunks) - 1) for i, c in enumerate(chunks)]
    stream = InputStream(b"", bool(queue), lambda: queue.pop(0))
    out = bytearray()
    for size in reads:
        piece = stream.readline(size) if size % 2 else stream.read(size)
        if size >= 0:
            assert len(piece) <= size
        out += piece
    out += stream.read()
    assert bytes(out) == body


@settings(max_examples=200, deadline=None)
@given(
    raw_path=st.binary(max_size=60),
    query=st.binary(max_size=60),
    headers=st.lists(st.tuples(st.binary(max_size=20), st.binary(max_size=20))),
)
def test_build_environ_never_fails_on_random_bytes(
    raw_path: bytes, query: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    scope = make_scope(raw_path=raw_path, query_string=query, headers=headers)
    environ = build_environ(scope, {}, headers)
    assert isinstance(environ["PATH_INFO"], str)
    for key, value in environ.items():
        assert isinstance(key, str) and isinstance(value, str)


@pytest.mark.parametrize(
    "name", ["aio.server.wsgi", "aio.server.supervisor", "sync_shims.gunicorn"]
)
def test_public_names_exist(name: str) -> None:
    import importlib

    module = importlib.import_module(name)
    assert isinstance(module.__all__, tuple)
    for attr in module.__all__:
        assert hasattr(module, attr), f"{name}.__all__ names missing {attr!r}"
