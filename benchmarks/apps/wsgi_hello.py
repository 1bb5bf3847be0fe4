"""A raw WSGI app with the same responses as :mod:`benchmarks.apps.asgi_hello`."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from benchmarks.apps.asgi_hello import JSON, PLAIN

StartResponse = Callable[[str, list[tuple[str, str]]], Any]

PLAIN_HEADERS = [
    ("Content-Type", "text/plain; charset=utf-8"),
    ("Content-Length", str(len(PLAIN))),
]
JSON_HEADERS = [
    ("Content-Type", "application/json"),
    ("Content-Length", str(len(JSON))),
]


def app(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
    """The benchmark app (PEP 3333)."""
    if environ.get("PATH_INFO") == "/json":
        start_response("200 OK", list(JSON_HEADERS))
        return [JSON]
    start_response("200 OK", list(PLAIN_HEADERS))
    return [PLAIN]
