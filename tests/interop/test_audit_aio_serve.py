"""The real Starlette and FastAPI apps under the ``aio serve`` command (a subprocess).

``test_starlette_fastapi.py`` serves the same apps in-process; here the command a user
types runs them, and httpx, requests, curl and the ``websockets`` client talk to it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import requests
from websockets.sync.client import connect

from tests.plugins.fix_services import missing
from tests.server.test_cli import Proc

ROOT = Path(__file__).resolve().parents[2]
APPS = "tests.interop.test_starlette_fastapi"


def _serve(attr: str) -> Iterator[Proc]:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT)
    proc = Proc(["serve", f"{APPS}:{attr}", "--port", "0"], ROOT, env)
    try:
        assert proc.ready.wait(30) and proc.url, proc.output
        yield proc
    finally:
        if proc.proc.poll() is None:
            proc.proc.kill()
            proc.proc.wait(5)


@pytest.fixture(scope="module")
def starlette_url() -> Iterator[str]:
    for proc in _serve("starlette_app"):
        assert proc.url is not None
        yield proc.url
        assert proc.stop() == 0, proc.output


@pytest.fixture(scope="module")
def fastapi_url() -> Iterator[str]:
    for proc in _serve("api"):
        assert proc.url is not None
        yield proc.url
        assert proc.stop() == 0, proc.output


def _curl(*argv: str) -> bytes:
    curl = shutil.which("curl")
    if curl is None:
        missing("curl is not installed")
    assert curl is not None
    done = subprocess.run([curl, "-s", "-f", *argv], capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_starlette_with_httpx_requests_and_curl(starlette_url: str) -> None:
    with httpx.Client(base_url=starlette_url) as client:
        assert client.get("/?a=1").text == "home / a=1"
        r = client.post("/json", json={"x": [1, 2]})
        assert r.json() == {"got": {"x": [1, 2]}, "method": "POST"}
        assert client.get("/stream").text == "0\n1\n2\n3\n4\n"
    with requests.Session() as session:
        form = session.post(
            starlette_url + "/form",
            data={"name": "n"},
            files={"file": ("f.txt", b"content")},
        )
        assert form.json() == {"name": "n", "file": "content", "fn": "f.txt"}
    assert _curl(starlette_url + "/stream") == b"0\n1\n2\n3\n4\n"


def test_starlette_websocket_route(starlette_url: str) -> None:
    with connect(starlette_url.replace("http://", "ws://") + "/ws") as ws:
        ws.send("hi")
        assert ws.recv(timeout=10) == "echo: hi"


def test_fastapi_with_httpx_requests_and_curl(fastapi_url: str) -> None:
    with httpx.Client(base_url=fastapi_url) as client:
        assert client.get("/items/7?q=z").json() == {"item_id": 7, "q": "z"}
        assert client.get("/items/x").status_code == 422
        assert client.get("/sync").json() == {"thread": "pool"}
    with requests.Session() as session:
        r = session.post(
            fastapi_url + "/login", data={"username": "u", "password": "pw"}
        )
        assert r.json() == {"user": "u", "len": "2"}
    body = _curl(
        "-X",
        "POST",
        "-H",
        "content-type: application/json",
        "-d",
        '{"name": "c", "price": 2}',
        fastapi_url + "/items",
    )
    assert json.loads(body) == {"name": "c", "price": 2.0, "created": True}


def test_fastapi_websocket_route(fastapi_url: str) -> None:
    with connect(fastapi_url.replace("http://", "ws://") + "/ws") as ws:
        ws.send(json.dumps({"a": 1}))
        assert json.loads(ws.recv(timeout=10)) == {"echo": {"a": 1}}
