"""TLS (trustme certificates, client certificates), Unix sockets and ``--fd``."""

from __future__ import annotations

import asyncio
import socket
import ssl
import tempfile
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from aio.server import Config, Server
from tests.server._helpers import serving


async def whoami(scope: Any, receive: Any, send: Any) -> None:
    body = f"{scope['scheme']} {scope['server']} {scope['client']}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def cert_files(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Any:
    cert = ca.issue_cert("127.0.0.1", "localhost")
    folder = tmp_path_factory.mktemp("tls")
    key_path = folder / "key.pem"
    cert_path = folder / "cert.pem"
    ca_path = folder / "ca.pem"
    cert.private_key_pem.write_to_path(str(key_path))
    cert.cert_chain_pems[0].write_to_path(str(cert_path))
    ca.cert_pem.write_to_path(str(ca_path))
    return key_path, cert_path, ca_path


async def test_tls(ca: trustme.CA, cert_files: Any) -> None:
    key, cert, _ = cert_files
    async with serving(whoami, ssl_keyfile=str(key), ssl_certfile=str(cert)) as srv:
        assert srv.url.startswith("https://")
        context = ssl.create_default_context()
        ca.configure_trust(context)
        async with httpx.AsyncClient(verify=context) as client:
            r = await client.get(srv.url)
    assert r.status_code == 200
    assert r.text.startswith("https ")


async def test_tls_with_encrypted_key(ca: trustme.CA, tmp_path: Path) -> None:
    from cryptography.hazmat.primitives import serialization

    cert = ca.issue_cert("127.0.0.1")
    key = serialization.load_pem_private_key(cert.private_key_pem.bytes(), None)
    encrypted = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(b"s3cret"),
    )
    (tmp_path / "key.pem").write_bytes(encrypted)
    cert.cert_chain_pems[0].write_to_path(str(tmp_path / "cert.pem"))
    async with serving(
        whoami,
        ssl_keyfile=str(tmp_path / "key.pem"),
        ssl_certfile=str(tmp_path / "cert.pem"),
        ssl_keyfile_password="s3cret",
    ) as srv:
        context = ssl.create_default_context()
        ca.configure_trust(context)
        async with httpx.AsyncClient(verify=context) as client:
            assert (await client.get(srv.url)).status_code == 200


async def test_tls_client_certificate_required(ca: trustme.CA, cert_files: Any) -> None:
    key, cert, ca_path = cert_files
    async with serving(
        whoami,
        ssl_keyfile=str(key),
        ssl_certfile=str(cert),
        ssl_ca_certs=str(ca_path),
        ssl_cert_reqs=int(ssl.CERT_REQUIRED),
    ) as srv:
        without = ssl.create_default_context()
        ca.configure_trust(without)
        async with httpx.AsyncClient(verify=without) as client:
            with pytest.raises(
                (httpx.ConnectError, httpx.ReadError, httpx.RemoteProtocolError)
            ):
                await client.get(srv.url)
        with_cert = ssl.create_default_context()
        ca.configure_trust(with_cert)
        ca.issue_cert("client@example.org").configure_cert(with_cert)
        async with httpx.AsyncClient(verify=with_cert) as client:
            assert (await client.get(srv.url)).status_code == 200


async def test_unix_socket() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "aio.sock")
        async with serving(whoami, uds=path) as srv:
            transport = httpx.AsyncHTTPTransport(uds=path)
            async with httpx.AsyncClient(transport=transport) as client:
                r = await client.get("http://localhost/")
            assert srv.sockname == path
    assert r.status_code == 200
    scheme, rest = r.text.split(" ", 1)
    assert scheme == "http"
    assert path in rest


async def test_inherited_fd() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    try:
        async with serving(whoami, fd=sock.fileno()):
            async with httpx.AsyncClient() as client:
                r = await client.get(f"http://127.0.0.1:{port}/")
    finally:
        sock.detach()  # the server owned (and closed) the descriptor
    assert r.status_code == 200


async def test_serve_on_given_sockets() -> None:
    config = Config(whoami, port=0)
    sock = config.bind_socket()
    port = sock.getsockname()[1]
    server = Server(Config(whoami, lifespan="off"))
    task = asyncio.ensure_future(server.serve(sockets=[sock]))
    while not server.started:
        await asyncio.sleep(0.01)
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"http://127.0.0.1:{port}/")).status_code == 200
    server.should_exit = True
    await asyncio.wait_for(task, 5)
