"""The pieces of the http_server suite that run without wrk: parsing, apps, processes."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from benchmarks import Unavailable
from benchmarks import http_server as suite
from benchmarks._server import ServerProcess, free_port, http_get, rss_kib
from benchmarks._wrk import parse_wrk
from benchmarks.apps import asgi_hello, wsgi_hello

WRK_OUTPUT = """\
Running 2s test @ http://127.0.0.1:40000/
  1 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   661.00us  123.00us   2.00ms   90.00%
    Req/Sec    50.10k     1.20k   52.00k    80.00%
  Latency Distribution
     50%  640.00us
     75%  700.00us
     90%  800.00us
     99%    1.50ms
  99700 requests in 2.00s, 12.00MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:  49850.12
Transfer/sec:      6.00MB
"""


def test_parse_wrk_full_report() -> None:
    result = parse_wrk(WRK_OUTPUT)
    assert result.requests_per_s == pytest.approx(49850.12)
    assert result.requests == 99700
    assert result.latency_avg_ms == pytest.approx(0.661)
    assert result.latency_p99_ms == pytest.approx(1.5)
    assert result.socket_errors == 5
    assert result.non_2xx == 7


def test_parse_wrk_seconds_and_no_errors() -> None:
    text = "    Latency     1.20s   0.1s   2.00s  50%\n     99%    2.50s\nRequests/sec: 10\n"
    result = parse_wrk(text)
    assert result.latency_avg_ms == pytest.approx(1200.0)
    assert result.latency_p99_ms == pytest.approx(2500.0)
    assert (result.socket_errors, result.non_2xx, result.requests) == (0, 0, 0)


def test_parse_wrk_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="Requests/sec"):
        parse_wrk("unable to connect to 127.0.0.1:1 Connection refused")


async def test_asgi_app_answers_both_paths() -> None:
    for path, body, ctype in (
        ("/", asgi_hello.PLAIN, b"text/plain; charset=utf-8"),
        ("/json", asgi_hello.JSON, b"application/json"),
    ):
        sent: list[dict[str, Any]] = []

        async def receive() -> dict[str, Any]:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: Any, sent: list[dict[str, Any]] = sent) -> None:
            sent.append(dict(message))

        await asgi_hello.app({"type": "http", "path": path}, receive, send)
        assert sent[0]["status"] == 200
        headers = dict(sent[0]["headers"])
        assert headers[b"content-type"] == ctype
        assert headers[b"content-length"] == str(len(body)).encode()
        assert sent[1] == {"type": "http.response.body", "body": body}
    assert json.loads(asgi_hello.JSON)["message"] == "Hello, world!"


async def test_asgi_app_lifespan() -> None:
    inbox = asyncio.Queue[dict[str, Any]]()
    for kind in ("lifespan.startup", "lifespan.shutdown"):
        inbox.put_nowait({"type": kind})
    sent: list[str] = []

    async def send(message: Any) -> None:
        sent.append(message["type"])

    await asgi_hello.app({"type": "lifespan"}, inbox.get, send)
    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]


def test_wsgi_app_matches_asgi_app() -> None:
    statuses: list[str] = []

    def start_response(status: str, headers: list[tuple[str, str]]) -> None:
        statuses.append(status)

    assert wsgi_hello.app({"PATH_INFO": "/"}, start_response) == [asgi_hello.PLAIN]
    assert wsgi_hello.app({"PATH_INFO": "/json"}, start_response) == [asgi_hello.JSON]
    assert statuses == ["200 OK", "200 OK"]


def test_server_that_exits_is_unavailable() -> None:
    argv = [sys.executable, "-c", "import sys; print('bad flag'); sys.exit(3)"]
    server = ServerProcess(argv, free_port(), {"/": b""}, cpu=None)
    with pytest.raises(Unavailable, match=r"failed to start: exit code 3: bad flag"):
        with server:
            pass
    assert server._log.closed


def test_every_contender_fills_the_port() -> None:
    names = [c.name for c in suite.contenders()]
    assert len(names) == len(set(names))
    for contender in suite.contenders():
        argv = suite.argv_for(contender, 12345)
        assert not any("{port}" in arg for arg in argv)
        assert any("12345" in arg for arg in argv)


@pytest.mark.timeout(60)
def test_uvicorn_serves_the_app_and_stops() -> None:
    uvicorn = next(c for c in suite.contenders() if c.name == "uvicorn h11+asyncio")
    port = free_port()
    checks = {"/": asgi_hello.PLAIN, "/json": asgi_hello.JSON}
    with ServerProcess(suite.argv_for(uvicorn, port), port, checks, cpu=None) as srv:
        assert http_get(port, "/json") == (200, asgi_hello.JSON)
        assert srv.pids()
        assert srv.rss_kib() > 1000
        assert srv.cpu_seconds() > 0
        pids = srv.pids()
    assert rss_kib(pids) == 0  # every process of the server is gone


@pytest.mark.timeout(60)
def test_idle_client_holds_connections_and_checks() -> None:
    from benchmarks import idle_connections
    from benchmarks._server import ROOT

    uvicorn = next(
        c for c in idle_connections.contenders() if c.name == "uvicorn h11+asyncio"
    )
    port = free_port()
    argv = [a.replace("{port}", str(port)) for a in uvicorn.params["argv"]]
    with ServerProcess(argv, port, {"/": asgi_hello.PLAIN}, cpu=None):
        client = subprocess.Popen(
            [sys.executable, "-m", "benchmarks._idle_client", str(port), "20"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        out, _ = client.communicate("check\nquit\n", timeout=30)
    assert out.splitlines() == ["open 20 failed 0", "check 200", "closed 0"]
    assert client.returncode == 0


@given(st.text())
def test_parse_wrk_on_random_text_raises_only_value_error(text: str) -> None:
    try:
        result = parse_wrk(text)
    except ValueError:
        return
    assert result.requests_per_s >= 0


@given(st.lists(st.sampled_from(WRK_OUTPUT.splitlines(keepends=True))))
def test_parse_wrk_on_shuffled_report_lines(lines: list[str]) -> None:
    text = "".join(lines)
    try:
        result = parse_wrk(text)
    except ValueError:
        assert "Requests/sec" not in text
        return
    assert result.requests_per_s == pytest.approx(49850.12)
