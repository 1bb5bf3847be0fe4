"""WebSockets over TLS (wss, trustme certificates) and on uvloop."""

from __future__ import annotations

import ssl
from pathlib import Path
from typing import Any

import pytest
import trustme
from websockets.asyncio.client import connect

from tests.server._helpers import serving

Scope = dict[str, Any]


async def echo_scheme(scope: Scope, receive: Any, send: Any) -> None:
    await receive()
    await send({"type": "websocket.accept"})
    message = await receive()
    await send(
        {"type": "websocket.send", "text": f"{scope['scheme']} {message['text']}"}
    )
    await receive()


async def test_wss(tmp_path: Path) -> None:
    ca = trustme.CA()
    cert = ca.issue_cert("127.0.0.1")
    key_path, cert_path = tmp_path / "key.pem", tmp_path / "cert.pem"
    cert.private_key_pem.write_to_path(str(key_path))
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    context = ssl.create_default_context()
    ca.configure_trust(context)
    async with serving(
        echo_scheme, ssl_keyfile=str(key_path), ssl_certfile=str(cert_path)
    ) as server:
        async with connect(f"wss://127.0.0.1:{server.port}/", ssl=context) as ws:
            await ws.send("x" * 100_000)
            assert await ws.recv() == "wss " + "x" * 100_000


def test_on_uvloop() -> None:
    uvloop = pytest.importorskip("uvloop")

    async def main() -> str:
        async with serving(echo_scheme) as server:
            async with connect(f"ws://127.0.0.1:{server.port}/") as ws:
                await ws.send("hi")
                reply = await ws.recv()
                assert isinstance(reply, str)
                return reply

    assert uvloop.run(main()) == "ws hi"
