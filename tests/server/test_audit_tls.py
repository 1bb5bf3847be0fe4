"""``ssl_context_factory`` (uvicorn's hook for a custom TLS context), added by the
issue-2 audit: the factory may adjust the context built from the ``ssl_*`` settings,
or build its own without them."""

from __future__ import annotations

import ssl
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from aio.server import Config
from tests.server._helpers import serving


async def scheme_app(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": scope["scheme"].encode()})


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def cert_files(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    cert = ca.issue_cert("127.0.0.1")
    cert.private_key_pem.write_to_path(str(folder / "key.pem"))
    cert.cert_chain_pems[0].write_to_path(str(folder / "cert.pem"))
    return folder


def client_context(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


async def test_factory_adjusts_the_default_context(
    ca: trustme.CA, cert_files: Path
) -> None:
    calls: list[Config] = []

    def factory(
        config: Config, default: Callable[[], ssl.SSLContext]
    ) -> ssl.SSLContext:
        calls.append(config)
        context = default()
        context.minimum_version = ssl.TLSVersion.TLSv1_3
        return context

    async with serving(
        scheme_app,
        ssl_keyfile=str(cert_files / "key.pem"),
        ssl_certfile=str(cert_files / "cert.pem"),
        ssl_context_factory=factory,
    ) as srv:
        assert srv.url.startswith("https://")
        async with httpx.AsyncClient(verify=client_context(ca)) as client:
            r = await client.get(srv.url)
        assert r.text == "https"
        only_tls12 = client_context(ca)
        only_tls12.maximum_version = ssl.TLSVersion.TLSv1_2
        async with httpx.AsyncClient(verify=only_tls12) as client:
            with pytest.raises(httpx.ConnectError):
                await client.get(srv.url)
    assert len(calls) == 1 and calls[0] is srv.server.config


async def test_factory_builds_its_own_context(ca: trustme.CA, cert_files: Path) -> None:
    def factory(config: Config, default: object) -> ssl.SSLContext:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(cert_files / "cert.pem", cert_files / "key.pem")
        return context

    async with serving(scheme_app, ssl_context_factory=factory) as srv:
        assert srv.url.startswith("https://")
        async with httpx.AsyncClient(verify=client_context(ca)) as client:
            assert (await client.get(srv.url)).text == "https"


def test_factory_errors_are_clear() -> None:
    def uses_default(config: Config, default: Callable[[], ssl.SSLContext]) -> Any:
        return default()

    config = Config(scheme_app, ssl_context_factory=uses_default)
    assert config.is_ssl
    with pytest.raises(ValueError, match="needs ssl_certfile"):
        config.load()

    def wrong(config: Config, default: object) -> Any:
        return "not a context"

    with pytest.raises(TypeError, match="must return an ssl.SSLContext, not str"):
        Config(scheme_app, ssl_context_factory=wrong).load()
