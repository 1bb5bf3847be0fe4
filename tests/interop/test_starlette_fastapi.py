"""Real Starlette and FastAPI applications served by ``aio.server``.

Hit with httpx, requests, curl and the ``websockets`` client: routes, JSON, forms,
streaming responses, background tasks and WebSocket routes.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import shutil
import subprocess
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
import requests
import websockets
from fastapi import BackgroundTasks, FastAPI, Form, WebSocket
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, StreamingResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket as StarletteWebSocket

from tests.plugins.fix_services import missing
from tests.server._helpers import serving

HAS_WEBSOCKET = importlib.util.find_spec("aio.server._websocket") is not None
needs_ws = pytest.mark.skipif(
    not HAS_WEBSOCKET, reason="aio/server/_websocket.py (WebSocket support) is absent"
)

background_done: asyncio.Queue[str] | None = None


# -- Starlette -----------------------------------------------------------------


async def homepage(request: Request) -> PlainTextResponse:
    return PlainTextResponse(f"home {request.url.path} {request.query_params}")


async def json_echo(request: Request) -> JSONResponse:
    return JSONResponse({"got": await request.json(), "method": request.method})


async def form(request: Request) -> JSONResponse:
    data = await request.form()
    upload = data["file"]
    assert not isinstance(upload, str)
    return JSONResponse(
        {
            "name": data["name"],
            "file": (await upload.read()).decode(),
            "fn": upload.filename,
        }
    )


async def stream(request: Request) -> StreamingResponse:
    async def numbers() -> AsyncIterator[bytes]:
        for i in range(5):
            yield b"%d\n" % i

    return StreamingResponse(numbers(), media_type="text/plain")


async def ws_echo(websocket: StarletteWebSocket) -> None:
    await websocket.accept()
    async for message in websocket.iter_text():
        await websocket.send_text(f"echo: {message}")


starlette_app = Starlette(
    routes=[
        Route("/", homepage),
        Route("/json", json_echo, methods=["POST"]),
        Route("/form", form, methods=["POST"]),
        Route("/stream", stream),
        WebSocketRoute("/ws", ws_echo),
    ]
)


# -- FastAPI -------------------------------------------------------------------

api = FastAPI()


class Item(BaseModel):
    name: str
    price: float


@api.get("/items/{item_id}")
async def read_item(item_id: int, q: str | None = None) -> dict[str, Any]:
    return {"item_id": item_id, "q": q}


@api.post("/items")
async def create_item(item: Item) -> dict[str, Any]:
    return {"name": item.name, "price": item.price, "created": True}


@api.post("/login")
async def login(username: str = Form(...), password: str = Form(...)) -> dict[str, str]:
    return {"user": username, "len": str(len(password))}


@api.post("/later")
async def later(tasks: BackgroundTasks) -> dict[str, str]:
    async def job() -> None:
        assert background_done is not None
        await background_done.put("job ran")

    tasks.add_task(job)
    return {"scheduled": "yes"}


@api.get("/sync")
def sync_route() -> dict[str, str]:
    return {"thread": "pool"}


@api.websocket("/ws")
async def api_ws(websocket: WebSocket) -> None:
    await websocket.accept()
    data = await websocket.receive_json()
    await websocket.send_json({"echo": data})
    await websocket.close()


# -- tests ---------------------------------------------------------------------


async def test_starlette_routes_json_form_stream() -> None:
    async with serving(starlette_app) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as client:
            r = await client.get("/?a=1")
            assert r.text == "home / a=1"
            r = await client.post("/json", json={"x": [1, 2]})
            assert r.json() == {"got": {"x": [1, 2]}, "method": "POST"}
            r = await client.post(
                "/form", data={"name": "n"}, files={"file": ("f.txt", b"content")}
            )
            assert r.json() == {"name": "n", "file": "content", "fn": "f.txt"}
            r = await client.get("/stream")
            assert r.headers["transfer-encoding"] == "chunked"
            assert r.text == "0\n1\n2\n3\n4\n"
            assert (await client.get("/missing")).status_code == 404


async def test_fastapi_with_httpx_and_requests() -> None:
    global background_done
    background_done = asyncio.Queue()
    async with serving(api, lifespan="on") as srv:
        async with httpx.AsyncClient(base_url=srv.url) as client:
            r = await client.get("/items/5?q=x")
            assert r.json() == {"item_id": 5, "q": "x"}
            assert (await client.get("/items/notint")).status_code == 422
            r = await client.post("/items", json={"name": "a", "price": 1.5})
            assert r.json() == {"name": "a", "price": 1.5, "created": True}
            r = await client.post("/later")
            assert r.json() == {"scheduled": "yes"}
            assert await asyncio.wait_for(background_done.get(), 5) == "job ran"
            assert (
                (await client.get("/openapi.json")).json()["openapi"].startswith("3.")
            )

        def with_requests() -> tuple[Any, Any]:
            with requests.Session() as session:
                login = session.post(
                    srv.url + "/login", data={"username": "u", "password": "pw"}
                )
                sync = session.get(srv.url + "/sync")
            return login.json(), sync.json()

        login_json, sync_json = await asyncio.to_thread(with_requests)
    assert login_json == {"user": "u", "len": "2"}
    assert sync_json == {"thread": "pool"}


async def test_fastapi_with_curl() -> None:
    curl = shutil.which("curl")
    if curl is None:
        missing("curl is not installed")
    assert curl is not None
    async with serving(api) as srv:
        argv = [
            curl,
            "-s",
            "-X",
            "POST",
            "-H",
            "content-type: application/json",
            "-d",
            '{"name": "c", "price": 2}',
            srv.url + "/items",
        ]
        proc = await asyncio.to_thread(
            lambda: subprocess.run(argv, capture_output=True, timeout=30)
        )
    assert proc.returncode == 0
    assert json.loads(proc.stdout) == {"name": "c", "price": 2.0, "created": True}


@needs_ws
async def test_starlette_websocket_route() -> None:
    async with serving(starlette_app) as srv:
        url = srv.url.replace("http://", "ws://") + "/ws"
        async with websockets.connect(url) as ws:
            await ws.send("hi")
            assert await ws.recv() == "echo: hi"
            await ws.send("again")
            assert await ws.recv() == "echo: again"


@needs_ws
async def test_fastapi_websocket_route() -> None:
    async with serving(api) as srv:
        url = srv.url.replace("http://", "ws://") + "/ws"
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"a": 1}))
            assert json.loads(await ws.recv()) == {"echo": {"a": 1}}
