"""``aio serve`` / ``aio demo`` end to end, in a subprocess."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aio.server.cli import build_parser, config_from_args

APP = textwrap.dedent(
    """
    import os

    async def app(scope, receive, send):
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    if os.environ.get("FAIL_STARTUP"):
                        await send({"type": "lifespan.startup.failed",
                                    "message": "database unreachable"})
                        return
                    scope["state"]["greeting"] = os.environ.get("GREETING", "hi")
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        body = f"{scope['state'].get('greeting')} {scope['path']}".encode()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": body})

    def create_app():
        return app

    class ASGI2:
        def __init__(self, scope):
            self.scope = scope

        async def __call__(self, receive, send):
            await send({"type": "http.response.start", "status": 200,
                        "headers": []})
            await send({"type": "http.response.body", "body": b"asgi2"})
    """
)

URL = re.compile(r"aio running on (https?://\S+)")


class Proc:
    def __init__(self, argv: list[str], cwd: Path, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "aio", *argv],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.url: str | None = None
        self.ready = threading.Event()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line)
            match = URL.search(line)
            if match:
                self.url = match.group(1)
                self.ready.set()
        self.ready.set()

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        code = self.proc.wait(10)
        self.reader.join(5)
        return code


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    (tmp_path / "cliapp.py").write_text(APP)
    return tmp_path


@pytest.fixture
def run(app_dir: Path) -> Iterator[object]:
    started: list[Proc] = []

    def start(*argv: str, env: dict[str, str] | None = None) -> Proc:
        environ = {**os.environ, **(env or {})}
        environ["PYTHONPATH"] = str(Path(__file__).resolve().parents[2])
        proc = Proc(list(argv), app_dir, environ)
        started.append(proc)
        return proc

    yield start
    for proc in started:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(5)


def test_serve_end_to_end(run: object, app_dir: Path) -> None:
    env_file = app_dir / ".env"
    env_file.write_text("# comment\nexport GREETING='hello from env'\n")
    proc = run(  # type: ignore[operator]
        "serve",
        "cliapp:app",
        "--port",
        "0",
        "--app-dir",
        str(app_dir),
        "--root-path",
        "/root",
        "--header",
        "X-Cli: yes",
        "--env-file",
        str(env_file),
        "--lifespan",
        "on",
    )
    assert proc.ready.wait(15), proc.output
    assert proc.url is not None, proc.output
    r = httpx.get(proc.url + "/x")
    assert r.text == "hello from env /root/x"
    assert r.headers["x-cli"] == "yes"
    assert r.headers["server"] == "aio"
    assert proc.stop() == 0
    out = proc.output
    assert "Application startup complete." in out
    assert '"GET /root/x HTTP/1.1" 200' in out
    assert "Application shutdown complete." in out


def test_serve_factory_and_asgi2(run: object) -> None:
    proc = run("serve", "cliapp:create_app", "--factory", "--port", "0")  # type: ignore[operator]
    assert proc.ready.wait(15) and proc.url, proc.output
    assert httpx.get(proc.url + "/f").text == "hi /f"
    assert proc.stop() == 0
    proc = run("serve", "cliapp:ASGI2", "--port", "0", "--no-access-log")  # type: ignore[operator]
    assert proc.ready.wait(15) and proc.url, proc.output
    assert httpx.get(proc.url).text == "asgi2"
    assert proc.stop() == 0
    assert "GET / HTTP/1.1" not in proc.output


def test_startup_failure_exits_non_zero(run: object) -> None:
    proc = run("serve", "cliapp:app", "--port", "0", env={"FAIL_STARTUP": "1"})  # type: ignore[operator]
    code = proc.proc.wait(15)
    proc.reader.join(5)
    assert code == 3
    assert "database unreachable" in proc.output
    assert "Application startup failed" in proc.output


def test_bad_import_string(run: object) -> None:
    proc = run("serve", "nosuchmodule:app", "--port", "0")  # type: ignore[operator]
    assert proc.proc.wait(15) == 1
    proc.reader.join(5)
    assert "nosuchmodule" in proc.output


def test_demo(run: object) -> None:
    proc = run("demo", "--port", "0")  # type: ignore[operator]
    assert proc.ready.wait(15) and proc.url, proc.output
    assert "aio is running" in httpx.get(proc.url).text
    assert httpx.get(proc.url + "/json").json()["hello"] == "world"
    assert httpx.post(proc.url + "/echo", content=b"echo me").content == b"echo me"
    from websockets.sync.client import connect

    with connect(proc.url.replace("http://", "ws://") + "/ws") as ws:
        ws.send("ping?")
        assert ws.recv(timeout=5) == "ping?"
    assert proc.stop() == 0


def test_flags_map_to_config(monkeypatch: pytest.MonkeyPatch) -> None:
    # Config() applies the CLI's logging config: keep it out of this process.
    monkeypatch.setattr("aio.server._config.configure_logging", lambda *a: None)
    args = build_parser().parse_args(
        [
            "m:app",
            "--host",
            "::1",
            "--port",
            "9",
            "--no-proxy-headers",
            "--forwarded-allow-ips",
            "10.0.0.1",
            "--timeout-keep-alive",
            "7",
            "--timeout-graceful-shutdown",
            "3",
            "--timeout-request",
            "2",
            "--limit-concurrency",
            "5",
            "--limit-max-requests",
            "6",
            "--backlog",
            "10",
            "--ws",
            "none",
            "--ws-max-size",
            "100",
            "--ws-ping-interval",
            "1.5",
            "--ws-ping-timeout",
            "2.5",
            "--no-ws-per-message-deflate",
            "--lifespan",
            "off",
            "--no-access-log",
            "--access-log-format",
            "%(h)s",
            "--log-level",
            "warning",
            "--workers",
            "2",
            "--reload-dir",
            "a",
            "--reload-dir",
            "b",
            "--ssl-ciphers",
            "ECDHE",
            "--loop",
            "asyncio",
            "--no-server-header",
            "--no-date-header",
        ]
    )
    config = config_from_args(args)
    assert (config.host, config.port) == ("::1", 9)
    assert config.proxy_headers is False
    assert config.forwarded_allow_ips == "10.0.0.1"
    assert config.timeout_keep_alive == 7
    assert config.timeout_graceful_shutdown == 3
    assert config.timeout_request == 2
    assert config.limit_concurrency == 5
    assert config.limit_max_requests == 6
    assert config.backlog == 10
    assert config.ws == "none"
    assert config.ws_max_size == 100
    assert config.ws_ping_interval == 1.5
    assert config.ws_ping_timeout == 2.5
    assert config.ws_per_message_deflate is False
    assert config.lifespan == "off"
    assert config.access_log is False
    assert config.access_log_format == "%(h)s"
    assert config.workers == 2
    assert config.use_subprocess
    assert config.reload_dirs == ["a", "b"]
    assert config.ssl_ciphers == "ECDHE"
    assert config.loop == "asyncio"
    assert not config.server_header and not config.date_header


def test_worker_flags_reach_the_config() -> None:
    from aio.server.cli import build_parser, config_from_args

    args = build_parser().parse_args(
        ["mod:app", "--max-requests-jitter", "7", "--timeout", "2.5"]
    )
    config = config_from_args(args)
    assert config.limit_max_requests_jitter == 7
    assert config.timeout_worker == 2.5
    args = build_parser().parse_args(["mod:app"])
    config = config_from_args(args)
    assert (config.limit_max_requests_jitter, config.timeout_worker) == (0, 30.0)


GOOD_HEADERS = {
    "X-Cli: yes": ("X-Cli", "yes"),
    "x-a:b:c": ("x-a", "b:c"),
    " X-Empty :": ("X-Empty", ""),
    "Server: mine": ("Server", "mine"),
}
BAD_HEADERS = {
    "no-colon": "expected name:value",
    ":value": "expected name:value",
    "X Bad: v": "expected a token name",
    "X-Split: a\r\nSet-Cookie: x": "expected a token name",
    "X-Nul: a\0b": "expected a token name",
    "X-Snow: ☃": "(latin-1)",
    "Content-Length: 5": "frames the response",
    "connection: close": "frames the response",
}


@pytest.mark.parametrize("flag", GOOD_HEADERS)
def test_serve_and_wsgi_accept_the_same_headers(flag: str) -> None:
    from aio.server import wsgi_cli

    serve = config_from_args(build_parser().parse_args(["m:app", "--header", flag]))
    wsgi, _ = wsgi_cli.settings_from_args(
        wsgi_cli.build_parser().parse_args(["m:app", "--header", flag])
    )
    assert serve.headers == wsgi.config["headers"] == [GOOD_HEADERS[flag]]


@pytest.mark.parametrize("flag", BAD_HEADERS)
def test_serve_and_wsgi_refuse_the_same_headers(
    flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from aio.server import wsgi_cli

    errors = []
    for parser in (build_parser(), wsgi_cli.build_parser()):
        with pytest.raises(SystemExit) as exit_info:
            parser.parse_args(["m:app", "--header", flag])
        assert exit_info.value.code == 2
        errors.append(capsys.readouterr().err.splitlines()[-1])
    serve_error, wsgi_error = errors
    assert serve_error.startswith("aio serve: error: argument --header: ")
    assert BAD_HEADERS[flag] in serve_error and repr(flag) in serve_error
    assert wsgi_error == serve_error.replace("aio serve:", "aio wsgi:", 1)
