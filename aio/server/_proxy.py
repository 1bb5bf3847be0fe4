"""Proxy headers: who the client really is when a trusted proxy is in front of us.

``X-Forwarded-For`` / ``X-Forwarded-Proto`` (the de-facto headers) and RFC 7239
``Forwarded`` (``for=`` and ``proto=``) rewrite the ASGI ``client`` and ``scheme``,
but only when the direct peer is trusted: its address is in ``forwarded_allow_ips``
(addresses and CIDR networks; ``*`` trusts everyone). A Unix-socket peer has no
address; like uvicorn we trust it, because only local processes can reach it.

With several proxies in a chain each appends the address it saw, so the header is
read right to left: skip the addresses of proxies we trust, and the first untrusted
one is the client (if all are trusted, the leftmost is).
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Iterable

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class TrustedHosts:
    """The set of peers whose proxy headers we believe.

    :param trusted: ``"*"``, or addresses / CIDR networks, as an iterable or a
        comma-separated string. Entries that are neither (a hostname, a socket
        path) are matched literally.
    """

    def __init__(self, trusted: str | Iterable[str]) -> None:
        items = trusted.split(",") if isinstance(trusted, str) else list(trusted)
        entries = [item.strip() for item in items if item.strip()]
        self.always_trust = "*" in entries
        self.addresses: set[IPAddress] = set()
        self.networks: list[IPNetwork] = []
        self.literals: set[str] = set()
        for entry in entries:
            if entry == "*":
                continue
            try:
                if "/" in entry:
                    self.networks.append(ipaddress.ip_network(entry, strict=False))
                else:
                    self.addresses.add(ipaddress.ip_address(entry))
            except ValueError:
                self.literals.add(entry)

    def __contains__(self, host: str | None) -> bool:
        if self.always_trust:
            return True
        if not host:
            return False
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return host in self.literals
        if address in self.addresses:
            return True
        return any(address in network for network in self.networks)

    def client_from_chain(self, chain: list[str]) -> str | None:
        """Pick the client out of a forwarded chain (leftmost = original client)."""
        if not chain:
            return None
        if self.always_trust:
            return chain[0]
        for host in reversed(chain):
            if host not in self:
                return host
        return chain[0]


def default_forwarded_allow_ips() -> str:
    """``FORWARDED_ALLOW_IPS`` from the environment, else ``"127.0.0.1"``."""
    return os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def _strip_port(node: str) -> str:
    # RFC 7239 nodes: "192.0.2.43", "192.0.2.43:47011", "[2001:db8::1]:4711",
    # "unknown" or an obfuscated "_hidden" identifier.
    if node.startswith("["):
        end = node.find("]")
        return node[1:end] if end != -1 else node
    if node.count(":") == 1:
        return node.partition(":")[0]
    return node


def parse_forwarded(value: str) -> tuple[list[str], str | None]:
    """Parse an RFC 7239 ``Forwarded`` value into (``for`` chain, last ``proto``).

    Malformed pairs are ignored rather than rejected: a proxy header is advice, and
    a broken one must not turn into a 400 for the client.
    """
    chain: list[str] = []
    proto: str | None = None
    for element in value.split(","):
        for pair in element.split(";"):
            name, sep, raw = pair.partition("=")
            if not sep:
                continue
            name = name.strip().lower()
            raw = raw.strip()
            if len(raw) >= 2 and raw[0] == raw[-1] == '"':
                raw = raw[1:-1]
            if name == "for" and raw:
                chain.append(_strip_port(raw))
            elif name == "proto" and raw:
                proto = raw.lower()
    return chain, proto


def apply_proxy_headers(
    trusted: TrustedHosts,
    headers: list[tuple[bytes, bytes]],
    client: tuple[str, int] | None,
    scheme: str,
) -> tuple[tuple[str, int] | None, str]:
    """Return ``(client, scheme)`` rewritten from the proxy headers in ``headers``.

    The caller has already checked that the direct peer is trusted. ``Forwarded``
    wins over the ``X-Forwarded-*`` pair when both are present.
    """
    forwarded: list[bytes] = []
    xff: list[bytes] = []
    xfp: bytes | None = None
    for name, value in headers:
        if name == b"x-forwarded-for":
            xff.append(value)
        elif name == b"x-forwarded-proto":
            xfp = value
        elif name == b"forwarded":
            forwarded.append(value)
    host: str | None = None
    proto: str | None = None
    if forwarded:
        chain, proto = parse_forwarded(b",".join(forwarded).decode("latin-1"))
        host = trusted.client_from_chain(chain)
    else:
        if xff:
            text = b",".join(xff).decode("latin-1")
            host = trusted.client_from_chain(
                [part.strip() for part in text.split(",") if part.strip()]
            )
        if xfp is not None:
            proto = xfp.decode("latin-1").split(",")[-1].strip().lower()
    if proto:
        if scheme in ("ws", "wss"):
            scheme = "wss" if proto in ("https", "wss") else "ws"
        elif proto in ("http", "https"):
            scheme = proto
    if host:
        client = (host, 0)
    return client, scheme
