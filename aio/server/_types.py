"""ASGI type aliases shared by the server's modules.

Messages are plain dicts on the hot path; these aliases document the shapes without
costing anything at run time.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]
ASGI2App = Callable[[Scope], Callable[[Receive, Send], Awaitable[None]]]
Headers = list[tuple[bytes, bytes]]

__all__ = ("ASGI2App", "ASGIApp", "Headers", "Message", "Receive", "Scope", "Send")
