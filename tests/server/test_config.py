"""Config: loading apps (import strings, factories, ASGI2), sockets, exports, loops."""

from __future__ import annotations

import socket
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
import requests

import aio.server
from aio.server import Config, ImportFromStringError, Server, import_from_string
from aio.server._app import ASGI2Middleware, is_asgi3, load_app
from aio.server._config import listen_url, load_env_file


def test_public_api() -> None:
    assert isinstance(aio.server.__all__, tuple)
    for name in aio.server.__all__:
        assert hasattr(aio.server, name), name
    assert issubclass(aio.server.ClientDisconnected, OSError)


def test_import_from_string() -> None:
    assert import_from_string("aio.server:Config") is Config
    assert import_from_string("os.path:join.__name__") == "join"
    with pytest.raises(ImportFromStringError, match="format"):
        import_from_string("no-colon")
    with pytest.raises(ImportFromStringError, match="Could not import module"):
        import_from_string("definitely_not_a_module_xyz:app")
    with pytest.raises(ImportFromStringError, match="not found"):
        import_from_string("aio.server:nothing_here")


def test_import_error_inside_module_is_not_hidden(tmp_path: Path) -> None:
    (tmp_path / "broken_mod_xyz.py").write_text("import missing_dependency_xyz\n")
    sys.path.insert(0, str(tmp_path))
    try:
        with pytest.raises(ModuleNotFoundError, match="missing_dependency_xyz"):
            import_from_string("broken_mod_xyz:app")
    finally:
        sys.path.remove(str(tmp_path))


async def asgi3(scope: Any, receive: Any, send: Any) -> None:
    pass


class ASGI3Class:
    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        pass


class ASGI2App:
    def __init__(self, scope: Any) -> None:
        self.scope = scope

    async def __call__(self, receive: Any, send: Any) -> None:
        pass


def asgi2_function(scope: Any) -> Any:
    return ASGI2App(scope)


def test_asgi_version_detection() -> None:
    assert is_asgi3(asgi3)
    assert is_asgi3(ASGI3Class())
    assert not is_asgi3(ASGI2App)
    assert not is_asgi3(asgi2_function)
    assert load_app(asgi3) is asgi3
    assert isinstance(load_app(ASGI2App), ASGI2Middleware)
    assert load_app(lambda: asgi3, factory=True) is asgi3
    with pytest.raises(ImportFromStringError, match="not callable"):
        load_app(42)


def test_env_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env = tmp_path / ".env"
    env.write_text('A_XYZ=1\n# c\nexport B_XYZ="two words"\nbad line\nC_XYZ=keep\n')
    monkeypatch.setenv("C_XYZ", "already")
    monkeypatch.delenv("A_XYZ", raising=False)
    monkeypatch.delenv("B_XYZ", raising=False)
    load_env_file(str(env))
    import os

    assert os.environ["A_XYZ"] == "1"
    assert os.environ["B_XYZ"] == "two words"
    assert os.environ["C_XYZ"] == "already"
    monkeypatch.delenv("A_XYZ")
    monkeypatch.delenv("B_XYZ")


def test_forwarded_allow_ips_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", "10.0.0.0/8")
    config = Config(asgi3)
    assert config.forwarded_allow_ips == "10.0.0.0/8"
    assert "10.2.3.4" in config.trusted_hosts


def test_bind_socket_ipv6() -> None:
    if not socket.has_ipv6:
        pytest.skip("no IPv6 on this machine")
    config = Config(asgi3, host="::1", port=0)
    try:
        sock = config.bind_socket()
    except OSError as exc:
        pytest.skip(f"cannot bind ::1: {exc}")
    with sock:
        assert sock.family == socket.AF_INET6
        assert sock.getsockname()[0] == "::1"


async def hello(scope: Any, receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"echo:" + body})


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_run_on_each_loop(loop: str) -> None:
    if loop == "uvloop":
        pytest.importorskip("uvloop")
    config = Config(hello, port=0, loop=loop, lifespan="off")
    sock = config.bind_socket()
    port = sock.getsockname()[1]
    server = Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
    thread.start()
    try:
        for _ in range(500):
            if server.started:
                break
            threading.Event().wait(0.01)
        url = f"http://127.0.0.1:{port}/"
        with requests.Session() as session:
            assert (
                session.post(url, data=b"a" * 200_000).content
                == b"echo:" + b"a" * 200_000
            )
            assert session.get(url).content == b"echo:"
        with socket.create_connection(("127.0.0.1", port)) as raw:
            raw.sendall(
                b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
                b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
            )
            data = b""
            while chunk := raw.recv(65536):
                data += chunk
        assert data.count(b"HTTP/1.1 200 OK") == 2
    finally:
        server.should_exit = True
        thread.join(10)
    assert not thread.is_alive()


def test_listen_url_forms(tmp_path: Path) -> None:
    with socket.socket(socket.AF_INET) as v4:
        v4.bind(("127.0.0.1", 0))
        assert listen_url(v4, "http") == f"http://127.0.0.1:{v4.getsockname()[1]}"
    with socket.socket(socket.AF_INET6) as v6:
        v6.bind(("::1", 0))
        assert listen_url(v6, "https") == f"https://[::1]:{v6.getsockname()[1]}"
    path = str(tmp_path / "a b.sock")
    with socket.socket(socket.AF_UNIX) as unix:
        unix.bind(path)
        url = listen_url(unix, "http")
    assert url == "http+unix://" + path.replace("/", "%2F").replace(" ", "%20")
    with socket.socket(socket.AF_UNIX) as abstract:
        abstract.bind(b"\0aio-test-listen-url")
        assert listen_url(abstract, "http") == "http+unix://%40aio-test-listen-url"


async def test_server_and_supervisor_log_the_same_url(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from aio.server import supervisor
    from tests.server._helpers import serving
    from tests.server.test_protocol_unit import hello

    path = str(tmp_path / "app.sock")
    url = "http+unix://" + path.replace("/", "%2F")
    caplog.set_level("INFO", logger="aio.server")
    async with serving(hello, uds=path):
        pass
    served = [r.getMessage() for r in caplog.records if "aio running on" in r.message]
    assert served == [f"aio running on {url} (Press CTRL+C to quit)"]

    caplog.clear()
    monkeypatch.setattr(supervisor.Supervisor, "run", lambda self: 0)
    sock = Config(hello, uds=path).bind_socket()
    options = supervisor.SupervisorOptions()
    assert supervisor.supervise(lambda ctx: 0, [sock], options) == 0
    [line] = [r.getMessage() for r in caplog.records if "supervisor" in r.message]
    assert f"running on {url} with 1 worker" in line
