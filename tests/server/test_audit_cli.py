"""Audit of issue 2's server items through the ``aio serve`` command itself.

uvicorn's own option table is the oracle for the flag names; the server runs in a
subprocess for the access-log format, ``--interface``, ``--backlog``, TLS with a
required client certificate, the ``Forwarded`` header and ``--limit-max-requests``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import ssl
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
import trustme

from aio.server import Config
from aio.server._app import ASGI2Middleware, load_app
from aio.server.cli import build_parser
from aio.server.wsgi import WSGIAdapter
from tests.server.test_cli import Proc, app_dir, run  # noqa: F401 - fixtures

APP = textwrap.dedent(
    """
    async def app(scope, receive, send):
        if scope["type"] != "http":
            return
        client = scope["client"][0] if scope["client"] else "-"
        body = f"{scope['scheme']} {client}".encode()
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"text/plain"),
                                (b"x-out", b"outval")]})
        await send({"type": "http.response.body", "body": body})

    def wsgi_app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"wsgi ", environ["PATH_INFO"].encode()]
    """
)

# uvicorn flags aio does not offer (documented in docs/server.md).
NOT_OFFERED = frozenset({"--http2", "--reset-contextvars"})

Start = Callable[..., Proc]


@pytest.fixture
def start(request: pytest.FixtureRequest) -> Start:
    # test_cli's fixtures: app_dir holds cliapp.py (its ASGI2 class is used here),
    # run starts `python -m aio ...` there and kills what is left at the end.
    start_aio: Callable[..., Proc] = request.getfixturevalue("run")
    folder: Path = request.getfixturevalue("app_dir")
    (folder / "auditapp.py").write_text(APP)

    def start(*argv: str) -> Proc:
        proc = start_aio("serve", *argv, "--app-dir", str(folder))
        assert proc.ready.wait(15), proc.output
        return proc

    return start


def _our_options() -> dict[str, argparse.Action]:
    parser = build_parser()
    return {opt: action for action in parser._actions for opt in action.option_strings}


def test_uvicorn_flag_names_are_accepted() -> None:
    uvicorn = pytest.importorskip("uvicorn")
    ours = _our_options()
    missing = []
    for param in uvicorn.main.params:
        for opt in [*param.opts, *param.secondary_opts]:
            if not opt.startswith("--") or opt in NOT_OFFERED:
                continue
            if opt not in ours:
                missing.append(opt)
                continue
            # A uvicorn option that takes a value must take one here too.
            takes_value = not param.is_flag
            assert not takes_value or ours[opt].nargs != 0, opt
    assert not missing, f"uvicorn flags aio serve lacks: {missing}"


def test_uvicorn_config_keywords_are_accepted() -> None:
    import inspect

    uvicorn = pytest.importorskip("uvicorn")
    theirs = set(inspect.signature(uvicorn.Config).parameters)
    ours = set(inspect.signature(Config).parameters)
    # uvicorn's deprecated notify hooks and the two features listed in NOT_OFFERED.
    absent = {"callback_notify", "timeout_notify", "http2", "reset_contextvars"}
    assert sorted(theirs - ours - absent) == []


def test_issue_flag_list_is_complete() -> None:
    listed = (
        "--host --port --uds --fd --workers --loop --reload --reload-dir --root-path"
        " --proxy-headers --forwarded-allow-ips --ssl-keyfile --ssl-certfile"
        " --ssl-keyfile-password --ssl-version --ssl-cert-reqs --ssl-ca-certs"
        " --ssl-ciphers --log-level --log-config --access-log --no-access-log"
        " --timeout-keep-alive --timeout-graceful-shutdown --limit-concurrency"
        " --limit-max-requests --backlog --factory --app-dir --header --lifespan"
        " --ws-max-size --ws-ping-interval --ws-ping-timeout --access-log-format"
        " --timeout-request"
    ).split()
    ours = _our_options()
    assert [flag for flag in listed if flag not in ours] == []


def test_ws_per_message_deflate_takes_uvicorn_boolean() -> None:
    parse = build_parser().parse_args
    assert parse(["m:a"]).ws_per_message_deflate is True
    assert (
        parse(["m:a", "--ws-per-message-deflate", "false"]).ws_per_message_deflate
        is False
    )
    assert (
        parse(["m:a", "--ws-per-message-deflate", "1"]).ws_per_message_deflate is True
    )
    assert parse(["m:a", "--no-ws-per-message-deflate"]).ws_per_message_deflate is False
    with pytest.raises(SystemExit):
        parse(["m:a", "--ws-per-message-deflate", "maybe"])


def test_version_flag() -> None:
    from aio import __version__

    out = subprocess.run(
        [sys.executable, "-m", "aio", "serve", "--version"],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    ).stdout
    assert out.startswith(f"aio {__version__} ")


def test_top_level_version(capsys: pytest.CaptureFixture[str]) -> None:
    from aio import __version__
    from aio.cli import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"aio {__version__}\n"


def test_interface_choice_is_honoured() -> None:
    async def asgi3(scope: object, receive: object, send: object) -> None:
        raise AssertionError("not called")

    def wsgi(environ: object, start_response: object) -> list[bytes]:
        return []

    assert load_app(asgi3, interface="asgi3") is asgi3
    assert load_app(asgi3) is asgi3
    assert isinstance(load_app(asgi3, interface="asgi2"), ASGI2Middleware)
    adapter = load_app(wsgi, interface="wsgi")
    assert isinstance(adapter, WSGIAdapter) and adapter.app is wsgi
    shared = load_app(wsgi, interface="wsgi", multiprocess=True)
    assert isinstance(shared, WSGIAdapter)
    assert shared._base["wsgi.multiprocess"] is True
    with pytest.raises(ValueError, match="interface must be one of"):
        load_app(asgi3, interface="asgi4")


def test_interface_flag_serves_wsgi_and_asgi2(start: Start) -> None:
    proc = start("auditapp:wsgi_app", "--port", "0", "--interface", "wsgi")
    assert httpx.get(proc.url + "/hello").text == "wsgi /hello"  # type: ignore[operator]
    assert proc.stop() == 0
    proc = start("cliapp:ASGI2", "--port", "0", "--interface", "asgi2")
    assert httpx.get(proc.url).text == "asgi2"  # type: ignore[arg-type]
    assert proc.stop() == 0


def test_access_log_format_and_forwarded_from_the_command_line(start: Start) -> None:
    proc = start(
        "auditapp:app",
        "--port",
        "0",
        "--forwarded-allow-ips",
        "127.0.0.1",
        "--access-log-format",
        "ACCESS h=%(h)s r=[%(r)s] s=%(s)s b=%(b)s L=%(L)s "
        "ua=%({user-agent}i)s o=%({x-out}o)s p=%(p)s",
    )
    url = f"{proc.url}/p?q=1"
    headers = {"User-Agent": "audit/1", "Forwarded": "for=192.0.2.7;proto=https"}
    r = httpx.get(url, headers=headers)
    assert r.text == "https 192.0.2.7"
    assert proc.stop() == 0
    (line,) = [x for x in proc.output.splitlines() if "ACCESS " in x]
    fields = line.split("ACCESS ", 1)[1]
    assert fields.startswith("h=192.0.2.7 r=[GET /p?q=1 HTTP/1.1] s=200 b=")
    assert " ua=audit/1 o=outval p=<" in fields
    assert float(fields.split(" L=")[1].split()[0]) >= 0

    # From an address that is not a trusted proxy, the same header is ignored.
    proc = start("auditapp:app", "--port", "0", "--forwarded-allow-ips", "10.9.9.9")
    assert httpx.get(proc.url, headers=headers).text == "http 127.0.0.1"  # type: ignore[arg-type]
    assert proc.stop() == 0


def _listen_backlog(port: int) -> int:
    ss = shutil.which("ss")
    if ss is None:
        pytest.skip("ss (iproute2) is not installed")
    assert ss is not None
    out = subprocess.run(
        [ss, "-Hltn", f"sport = :{port}"],
        capture_output=True,
        text=True,
        timeout=10,
        check=True,
    ).stdout
    # For a listening socket, ss shows the accept-queue limit as Send-Q.
    (line,) = out.strip().splitlines()
    return int(line.split()[2])


def test_backlog_reaches_the_listening_socket(start: Start) -> None:
    proc = start("auditapp:app", "--port", "0", "--backlog", "37")
    assert proc.url is not None
    port = int(proc.url.rsplit(":", 1)[1])
    assert _listen_backlog(port) == 37
    assert proc.stop() == 0


def test_limit_max_requests_exits_after_n(start: Start) -> None:
    proc = start("auditapp:app", "--port", "0", "--limit-max-requests", "3")
    with httpx.Client() as client:
        for _ in range(3):
            assert client.get(proc.url).status_code == 200  # type: ignore[arg-type]
    assert proc.proc.wait(15) == 0
    proc.reader.join(5)
    assert "Maximum request limit of 3 exceeded" in proc.output


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[trustme.CA, Path]:
    ca = trustme.CA()
    folder = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    ca.cert_pem.write_to_path(str(folder / "ca.pem"))
    return ca, folder


def test_tls_client_certificate_required_from_the_command_line(
    start: Start, tls_files: tuple[trustme.CA, Path]
) -> None:
    ca, folder = tls_files
    proc = start(
        "auditapp:app",
        "--port",
        "0",
        "--ssl-keyfile",
        str(folder / "key.pem"),
        "--ssl-certfile",
        str(folder / "cert.pem"),
        "--ssl-ca-certs",
        str(folder / "ca.pem"),
        "--ssl-cert-reqs",
        str(int(ssl.CERT_REQUIRED)),
    )
    assert proc.url is not None and proc.url.startswith("https://")
    without = ssl.create_default_context()
    ca.configure_trust(without)
    with pytest.raises(
        (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)
    ):
        httpx.get(proc.url, verify=without)
    with_cert = ssl.create_default_context()
    ca.configure_trust(with_cert)
    ca.issue_cert("client@example.org").configure_cert(with_cert)
    r = httpx.get(proc.url, verify=with_cert)
    assert r.text == "https 127.0.0.1"
    assert proc.stop() == 0


def test_readme_first_example_serves(start: Start, tmp_path: Path) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text()
    (hello,) = [
        block
        for block in re.findall(r"```python\n(.*?)```", readme, flags=re.S)
        if block.startswith("# hello.py")
    ]
    (tmp_path / "hello.py").write_text(hello)
    proc = start("hello:app", "--port", "0")
    r = httpx.get(proc.url)  # type: ignore[arg-type]
    assert (r.status_code, r.text) == (200, "Hello, world!")
    assert proc.stop() == 0
    assert "Application startup complete." in proc.output
