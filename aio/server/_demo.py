"""The demo application behind ``aio demo``: plain ASGI, no framework.

``/`` a small page, ``/json`` a JSON document, ``/echo`` echoes a POST body,
``/ws`` echoes WebSocket messages (when WebSocket support is installed).
"""

from __future__ import annotations

import json
from typing import Any

from aio.server._types import Receive, Scope, Send

PAGE = b"""<!doctype html>
<html><head><meta charset="utf-8"><title>aio demo</title></head>
<body><h1>aio is running</h1>
<ul><li><a href="/json">/json</a></li>
<li>POST /echo echoes the request body</li>
<li>ws://HOST/ws echoes WebSocket messages</li></ul>
</body></html>
"""


async def _respond(send: Send, status: int, content_type: bytes, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", content_type)],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


async def _websocket_echo(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        kind = message["type"]
        if kind == "websocket.connect":
            await send({"type": "websocket.accept"})
        elif kind == "websocket.receive":
            reply: dict[str, Any] = {"type": "websocket.send"}
            if message.get("text") is not None:
                reply["text"] = message["text"]
            else:
                reply["bytes"] = message.get("bytes") or b""
            await send(reply)
        else:
            return


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The demo ASGI application."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] == "websocket":
        if scope["path"] == "/ws":
            await _websocket_echo(receive, send)
        else:
            await send({"type": "websocket.close", "code": 1000})
        return
    path = scope["path"]
    if path == "/":
        await _respond(send, 200, b"text/html; charset=utf-8", PAGE)
    elif path == "/json":
        document = {"hello": "world", "server": "aio", "path": path}
        await _respond(send, 200, b"application/json", json.dumps(document).encode())
    elif path == "/echo" and scope["method"] == "POST":
        body = await _read_body(receive)
        await _respond(send, 200, b"application/octet-stream", body)
    else:
        await _respond(send, 404, b"text/plain; charset=utf-8", b"Not Found")
