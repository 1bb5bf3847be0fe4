"""A raw ASGI app: ``GET /`` -> ``Hello, world!``, ``GET /json`` -> a small JSON body.

No framework, so a benchmark measures the server, not the app. The bodies are
built once; ``lifespan`` is acknowledged because some servers always send it.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

PLAIN = b"Hello, world!"
JSON = json.dumps({"message": "Hello, world!", "items": [1, 2, 3]}).encode()


def _start(body: bytes, content_type: bytes) -> Message:
    return {
        "type": "http.response.start",
        "status": 200,
        "headers": [
            (b"content-type", content_type),
            (b"content-length", str(len(body)).encode()),
        ],
    }


PLAIN_START = _start(PLAIN, b"text/plain; charset=utf-8")
JSON_START = _start(JSON, b"application/json")


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    """The benchmark app (ASGI 3)."""
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    if scope["type"] != "http":
        return
    if scope["path"] == "/json":
        await send(dict(JSON_START))
        await send({"type": "http.response.body", "body": JSON})
    else:
        await send(dict(PLAIN_START))
        await send({"type": "http.response.body", "body": PLAIN})
