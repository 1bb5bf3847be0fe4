"""redis-py 8's connection defaults (``redis/_defaults.py``), shared by the
client and its connections: 5 s socket and connect timeouts, TCP keepalive on
with idle 30 s, probes every 5 s, 3 probes."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from types import MappingProxyType

__all__ = (
    "DEFAULT_SOCKET_CONNECT_TIMEOUT",
    "DEFAULT_SOCKET_KEEPALIVE_OPTIONS",
    "DEFAULT_SOCKET_TIMEOUT",
    "get_default_socket_keepalive_options",
)

DEFAULT_SOCKET_TIMEOUT = 5
DEFAULT_SOCKET_CONNECT_TIMEOUT = DEFAULT_SOCKET_TIMEOUT


def get_default_socket_keepalive_options() -> dict[int, int]:
    """redis-py's keepalive tuning, for the options this platform has:
    ``TCP_KEEPIDLE`` (macOS: ``TCP_KEEPALIVE``) 30, ``TCP_KEEPINTVL`` 5,
    ``TCP_KEEPCNT`` 3."""
    names = (("TCP_KEEPIDLE", "TCP_KEEPALIVE"), ("TCP_KEEPINTVL",), ("TCP_KEEPCNT",))
    options: dict[int, int] = {}
    for candidates, value in zip(names, (30, 5, 3), strict=True):
        for name in candidates:
            option = getattr(socket, name, None)
            if option is not None:
                options[option] = value
                break
    return options


#: The default of ``socket_keepalive_options`` (read-only; each connection
#: keeps a copy): the tuning redis-py applies when none is given.
DEFAULT_SOCKET_KEEPALIVE_OPTIONS: Mapping[int, int | bytes] = MappingProxyType(
    get_default_socket_keepalive_options()
)
