"""WSGI applications (a real Flask app among them) on the real aio server."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import struct
import threading
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import requests

from aio.server.wsgi import WSGIAdapter
from tests.server._helpers import serving
from tests.server.test_supervisor_helpers import start_supervisor


def make_flask_app() -> Any:
    from flask import Flask, Response, jsonify, request, send_file, stream_with_context

    app = Flask("wsgi_test_app")

    @app.route("/")
    def index() -> str:
        return "hello from flask"

    @app.route("/json", methods=["POST"])
    def echo_json() -> Any:
        return jsonify(received=request.get_json(), args=request.args.to_dict())

    @app.route("/form", methods=["POST"])
    def form() -> Any:
        return jsonify(form=request.form.to_dict(), files=sorted(request.files))

    @app.route("/upload", methods=["POST"])
    def upload() -> Any:
        size = 0
        chunks = 0
        while True:
            chunk = request.stream.read(65536)
            if not chunk:
                break
            size += len(chunk)
            chunks += 1
        return jsonify(size=size)

    @app.route("/stream")
    def stream() -> Response:
        def generate() -> Iterator[str]:
            for i in range(5):
                yield f"line {i}\n"

        return Response(stream_with_context(generate()), mimetype="text/plain")

    @app.route("/file")
    def file() -> Any:
        return send_file(__file__, mimetype="text/plain")

    @app.route("/headers")
    def headers() -> Any:
        return jsonify(
            multi=request.environ.get("HTTP_X_MULTI"),
            remote=request.environ["REMOTE_ADDR"],
            port=request.environ["REMOTE_PORT"],
            server_port=request.environ["SERVER_PORT"],
            path=request.environ["PATH_INFO"],
            script=request.environ["SCRIPT_NAME"],
        )

    return app


async def test_flask_app_on_the_aio_server() -> None:
    adapter = WSGIAdapter(make_flask_app(), threads=4)
    async with (
        serving(adapter) as running,
        httpx.AsyncClient(base_url=running.url) as client,
    ):
        response = await client.get("/")
        assert response.status_code == 200
        assert response.text == "hello from flask"
        assert response.headers["content-length"] == "16"

        response = await client.post("/json?x=1", json={"a": [1, 2]})
        assert response.json() == {"received": {"a": [1, 2]}, "args": {"x": "1"}}

        response = await client.post(
            "/form", data={"name": "v"}, files={"up": ("f.txt", b"content")}
        )
        assert response.json() == {"form": {"name": "v"}, "files": ["up"]}

        response = await client.get("/stream")
        assert response.text == "".join(f"line {i}\n" for i in range(5))
        assert response.headers.get("transfer-encoding") == "chunked"

        response = await client.get("/file")
        assert response.content == Path(__file__).read_bytes()

        response = await client.get("/missing")
        assert response.status_code == 404

        response = await client.get(
            "/headers", headers=[("X-Multi", "a"), ("X-Multi", "b")]
        )
        data = response.json()
        assert data["multi"] == "a,b"
        assert data["remote"] == "127.0.0.1"
        assert int(data["port"]) > 0
        assert data["server_port"] == str(running.port)
        assert data["path"] == "/headers" and data["script"] == ""
    adapter.shutdown()


async def test_streaming_upload_is_read_incrementally() -> None:
    adapter = WSGIAdapter(make_flask_app(), threads=2)
    total = 4 * 1024 * 1024

    async def body() -> AsyncIterator[bytes]:
        for _ in range(64):
            yield b"x" * (total // 64)

    async with (
        serving(adapter) as running,
        httpx.AsyncClient(base_url=running.url) as client,
    ):
        response = await client.post("/upload", content=body())  # chunked
        assert response.json() == {"size": total}
        response = await client.post("/upload", content=b"y" * 1000)  # sized
        assert response.json() == {"size": 1000}
    adapter.shutdown()


class EndlessApp:
    """A WSGI app streaming 64 KiB blocks forever; counts them, notes its close()."""

    def __init__(self) -> None:
        self.produced: list[int] = []
        self.closed = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterator[bytes]:
        start_response("200 OK", [("Content-Type", "application/octet-stream")])
        return self.body()

    def body(self) -> Iterator[bytes]:
        try:
            while True:
                self.produced.append(1)
                yield b"z" * 65536
        finally:
            self.closed.set()


async def test_close_called_when_the_client_disconnects_mid_stream() -> None:
    app = EndlessApp()
    closed = app.closed
    adapter = WSGIAdapter(app, threads=1)
    async with serving(adapter) as running:
        reader, writer = await asyncio.open_connection(*running.address)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        await writer.drain()
        await reader.readexactly(100_000)
        writer.transport.abort()  # RST: the client is gone
        assert await asyncio.to_thread(closed.wait, 10)
    adapter.shutdown()
    assert closed.is_set()


def test_requests_against_aio_wsgi_cli_with_two_workers(tmp_path: Path) -> None:
    (tmp_path / "flaskapp.py").write_text(
        "import os\n"
        "from flask import Flask\n"
        "app = Flask(__name__)\n"
        "@app.route('/')\n"
        "def index():\n"
        "    return str(os.getpid())\n"
        "@app.route('/env')\n"
        "def env():\n"
        "    from flask import request\n"
        "    return {'multiprocess': request.environ['wsgi.multiprocess'],\n"
        "            'multithread': request.environ['wsgi.multithread']}\n"
    )
    code = (
        "import sys\nfrom aio.server.wsgi_cli import main\n"
        f"sys.exit(main(['flaskapp:app', '--port', '0', '--workers', '2', "
        f"'--threads', '4', '--app-dir', {str(tmp_path)!r}]))\n"
    )
    sup = start_supervisor(tmp_path, code)
    try:
        sup.wait_ready()
        sup.wait_for(r"started worker \d+ \(pid \d+\)", count=2)
        pids = sup.pids()
        assert sup.pid_answers(pids[1]) and sup.pid_answers(pids[2])
        assert json.loads(sup.get("/env")) == {
            "multiprocess": True,
            "multithread": True,
        }
        with requests.Session() as session:  # keep-alive reuse
            for _ in range(5):
                assert session.get(sup.url + "/", timeout=5).status_code == 200
        sup.signal(15)
        assert sup.wait() == 0
    finally:
        sup.stop()


def test_aio_wsgi_cli_single_process(tmp_path: Path) -> None:
    (tmp_path / "plain.py").write_text(
        "def app(environ, start_response):\n"
        "    body = environ['wsgi.input'].read()\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'got ' + body]\n"
    )
    code = (
        "import sys\nfrom aio.server.wsgi_cli import main\n"
        f"sys.exit(main(['plain:app', '--port', '0', '--app-dir', {str(tmp_path)!r}]))\n"
    )
    sup = start_supervisor(tmp_path, code)
    try:
        sup.wait_for(r"aio running on")
        text = sup.text()
        sup.url = text.split("aio running on ")[1].split()[0]
        response = requests.post(sup.url + "/", data=b"payload", timeout=5)
        assert response.text == "got payload"
        sup.signal(15)
        assert sup.wait() == 0
    finally:
        sup.stop()


def test_aio_wsgi_cli_reports_a_bad_import_string(tmp_path: Path) -> None:
    # in a subprocess: the CLI configures logging globally
    code = (
        "import sys\nfrom aio.server.wsgi_cli import main\n"
        "sys.exit(main(['no_such_module_xyz:app', '--port', '0']))\n"
    )
    sup = start_supervisor(tmp_path, code)
    try:
        assert sup.wait() == 1
        assert "no_such_module_xyz" in sup.text()
    finally:
        sup.stop()
    from aio.server.wsgi_cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["--port", "0"])  # the app argument is missing


def test_wsgi_unix_socket(tmp_path: Path) -> None:
    if not hasattr(socket, "AF_UNIX"):
        pytest.skip("no Unix sockets")
    (tmp_path / "plain.py").write_text(
        "def app(environ, start_response):\n"
        "    start_response('200 OK', [])\n"
        "    return [environ['SERVER_NAME'].encode()]\n"
    )
    path = str(tmp_path / "s.sock")
    code = (
        "import sys\nfrom aio.server.wsgi_cli import main\n"
        f"sys.exit(main(['plain:app', '--uds', {path!r}, '--app-dir', {str(tmp_path)!r}]))\n"
    )
    sup = start_supervisor(tmp_path, code)
    try:
        sup.wait_for(r"aio running on")
        transport = httpx.HTTPTransport(uds=path)
        with httpx.Client(transport=transport) as client:
            assert client.get("http://localhost/").status_code == 200
        sup.signal(15)
        assert sup.wait() == 0
    finally:
        sup.stop()
        if os.path.exists(path):
            os.unlink(path)


async def test_expect_100_continue_waits_for_the_application() -> None:
    reads: list[bytes] = []

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        if environ["PATH_INFO"] == "/reject":
            start_response("413 Payload Too Large", [("Content-Type", "text/plain")])
            return [b"too big"]
        reads.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b"read " + reads[-1]]

    adapter = WSGIAdapter(app, threads=1)
    async with serving(adapter) as running:
        head = b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"
        # rejected without reading: no "100 Continue" is sent
        reader, writer = await asyncio.open_connection(*running.address)
        writer.write(head % b"/reject")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 10)
        assert status.startswith(b"HTTP/1.1 413")
        writer.close()
        # accepted: the app's read makes the server send 100, then the body comes
        reader, writer = await asyncio.open_connection(*running.address)
        writer.write(head % b"/accept")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 10)
        assert status.startswith(b"HTTP/1.1 100")
        await reader.readline()
        writer.write(b"hello")
        await writer.drain()
        status = await asyncio.wait_for(reader.readline(), 10)
        assert status.startswith(b"HTTP/1.1 200")
        writer.close()
    adapter.shutdown()
    assert reads == [b"hello"]


async def test_head_gets_no_invented_content_length() -> None:
    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [b"body!"]

    adapter = WSGIAdapter(app, threads=1)
    async with (
        serving(adapter) as running,
        httpx.AsyncClient(base_url=running.url) as client,
    ):
        response = await client.head("/")
        assert response.status_code == 200
        assert response.headers.get("content-length") != "0"
        response = await client.get("/")
        assert response.headers["content-length"] == "5"
    adapter.shutdown()


async def test_streamed_response_has_backpressure() -> None:
    """A client that does not read stops an endless generator (no memory blow-up)."""
    app = EndlessApp()
    produced, closed = app.produced, app.closed

    def recv_exactly(sock: socket.socket, n: int) -> None:
        while n > 0:
            data = sock.recv(min(n, 1 << 20))
            assert data, "server closed early"
            n -= len(data)

    adapter = WSGIAdapter(app, threads=1)
    async with serving(adapter) as running:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        sock.settimeout(10)
        try:
            sock.connect(running.address)
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
            await asyncio.to_thread(recv_exactly, sock, 65536)
            await asyncio.sleep(1.0)  # unbounded, the generator makes gigabytes
            stalled_at = len(produced)
            # bounded by socket buffers + the transport's high-water mark
            assert stalled_at * 65536 < 64 * 1024 * 1024
            await asyncio.to_thread(recv_exactly, sock, 8 * 1024 * 1024)
            assert len(produced) > stalled_at  # reading lets it go on
            # RST on close: the client is gone
            linger = struct.pack("ii", 1, 0)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, linger)
        finally:
            sock.close()
        assert await asyncio.to_thread(closed.wait, 10)
    adapter.shutdown()
