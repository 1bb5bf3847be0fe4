"""Real frameworks on our WebSocket server: FastAPI endpoints and Starlette's
denial response, driven by the real ``websockets`` client."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from starlette.responses import PlainTextResponse
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.server._helpers import serving

app = FastAPI()
disconnects: list[int] = []
disconnected = {"event": asyncio.Event()}


@app.websocket("/json")
async def json_echo(websocket: WebSocket) -> None:
    await websocket.accept(subprotocol="v1")
    try:
        while True:
            data = await websocket.receive_json()
            await websocket.send_json({"got": data, "path": websocket.url.path})
    except WebSocketDisconnect as exc:
        disconnects.append(exc.code)
        disconnected["event"].set()


@app.websocket("/private")
async def private(websocket: WebSocket) -> None:
    await websocket.send_denial_response(PlainTextResponse("go away", status_code=401))


@app.websocket("/closing")
async def closing(websocket: WebSocket) -> None:
    await websocket.accept()
    await websocket.close(code=4321, reason="policy")


async def test_fastapi_json_echo_and_disconnect() -> None:
    disconnects.clear()
    disconnected["event"] = asyncio.Event()
    async with serving(app) as server:
        async with connect(
            f"ws://127.0.0.1:{server.port}/json",
            subprotocols=["v1"],  # type: ignore[list-item]
        ) as ws:
            assert ws.subprotocol == "v1"
            await ws.send('{"a": [1, 2]}')
            assert await ws.recv() == '{"got":{"a":[1,2]},"path":"/json"}'
            await ws.close(4000)
        await disconnected["event"].wait()  # the endpoint sees it after us
    assert disconnects == [4000]


async def test_starlette_denial_response() -> None:
    async with serving(app) as server:
        with pytest.raises(InvalidStatus) as info:
            async with connect(f"ws://127.0.0.1:{server.port}/private"):
                pass
    assert info.value.response.status_code == 401
    assert info.value.response.body == b"go away"


async def test_fastapi_close_code() -> None:
    async with (
        serving(app) as server,
        connect(f"ws://127.0.0.1:{server.port}/closing") as ws,
    ):
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
    assert info.value.rcvd is not None
    assert (info.value.rcvd.code, info.value.rcvd.reason) == (4321, "policy")
