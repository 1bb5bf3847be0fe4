"""Proxy headers: X-Forwarded-For/-Proto and RFC 7239 Forwarded, trusted or not."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from aio.server._proxy import TrustedHosts, apply_proxy_headers, parse_forwarded
from tests.server._helpers import serving


async def whoami(scope: Any, receive: Any, send: Any) -> None:
    body = f"{scope['scheme']} {scope['client'][0]}".encode()
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": body})


@pytest.mark.parametrize(
    ("allow", "headers", "expected"),
    [
        (
            "127.0.0.1",
            {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"},
            "https 1.2.3.4",
        ),
        ("127.0.0.0/8", {"X-Forwarded-For": "1.2.3.4"}, "http 1.2.3.4"),
        (
            "*",
            {"Forwarded": 'for="[2001:db8::1]:4711";proto=https'},
            "https 2001:db8::1",
        ),
        ("127.0.0.1", {"Forwarded": "for=9.9.9.9, for=127.0.0.1"}, "http 9.9.9.9"),
        # untrusted peer: headers ignored
        (
            "10.0.0.1",
            {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"},
            "http 127.0.0.1",
        ),
        ("", {"Forwarded": "for=1.2.3.4;proto=https"}, "http 127.0.0.1"),
    ],
)
async def test_proxy_headers(
    allow: str, headers: dict[str, str], expected: str
) -> None:
    async with serving(whoami, forwarded_allow_ips=allow) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url, headers=headers)
    assert r.text == expected


async def test_proxy_headers_disabled() -> None:
    async with serving(whoami, proxy_headers=False, forwarded_allow_ips="*") as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url, headers={"X-Forwarded-For": "1.2.3.4"})
    assert r.text == "http 127.0.0.1"


def test_trusted_hosts() -> None:
    trusted = TrustedHosts("127.0.0.1, 10.0.0.0/8, ::1, unix-peer")
    assert "127.0.0.1" in trusted
    assert "10.1.2.3" in trusted
    assert "::1" in trusted
    assert "unix-peer" in trusted
    assert "11.0.0.1" not in trusted
    assert None not in trusted
    assert "*" not in trusted
    everyone = TrustedHosts(["*"])
    assert "8.8.8.8" in everyone


def test_client_chain_skips_trusted_proxies() -> None:
    trusted = TrustedHosts("127.0.0.1,10.0.0.0/8")
    assert trusted.client_from_chain(["1.1.1.1", "2.2.2.2", "10.0.0.5"]) == "2.2.2.2"
    assert trusted.client_from_chain(["10.0.0.1", "10.0.0.2"]) == "10.0.0.1"
    assert trusted.client_from_chain([]) is None


def test_parse_forwarded() -> None:
    chain, proto = parse_forwarded(
        'for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711"'
    )
    assert chain == ["192.0.2.60", "2001:db8:cafe::17"]
    assert proto == "http"
    assert parse_forwarded("garbage;;=,") == ([], None)


def test_websocket_scheme_follows_proto() -> None:
    trusted = TrustedHosts("*")
    headers = [(b"x-forwarded-proto", b"https")]
    assert apply_proxy_headers(trusted, headers, None, "ws") == (None, "wss")


@given(st.binary(max_size=200), st.binary(max_size=200))
def test_proxy_parsing_never_raises(forwarded: bytes, xff: bytes) -> None:
    trusted = TrustedHosts("*")
    headers = [(b"forwarded", forwarded), (b"x-forwarded-for", xff)]
    client, scheme = apply_proxy_headers(trusted, headers, ("127.0.0.1", 1), "http")
    assert scheme in ("http", "https")
