"""Build a PEP 3333 ``environ`` from an ASGI ``http`` scope.

PEP 3333 wants "native strings" that carry the raw bytes of the request decoded as
latin-1, so ``PATH_INFO`` is rebuilt from ``raw_path`` (percent-decoded to bytes, then
latin-1), not from the ASGI ``path`` which the server decoded as UTF-8. Header names
that contain ``_`` are dropped: ``X_Forwarded_For`` and ``X-Forwarded-For`` would both
become ``HTTP_X_FORWARDED_FOR``, which lets a client spoof a header a proxy set.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import unquote_to_bytes

__all__ = ("build_environ", "header_key")

# Header name (lower-case bytes) -> environ key; filled as new names are seen, so
# the common headers cost one dict lookup per request.
_KEYS: dict[bytes, str | None] = {
    b"content-type": "CONTENT_TYPE",
    b"content-length": "CONTENT_LENGTH",
}
_MAX_CACHED_KEYS = 1024


def header_key(name: bytes) -> str | None:
    """The environ key of a header name, or None for a name that must be dropped."""
    key = _KEYS.get(name)
    if key is not None or name in _KEYS:
        return key
    text = name.decode("latin-1")
    key = None if "_" in text else "HTTP_" + text.upper().replace("-", "_")
    if len(_KEYS) < _MAX_CACHED_KEYS:
        _KEYS[name] = key
    return key


def _path_info(scope: Mapping[str, Any]) -> str:
    raw: bytes | None = scope.get("raw_path")
    if raw:
        raw = raw.split(b"?", 1)[0]
        # Fast path: nothing percent-encoded.
        path = (
            raw.decode("latin-1")
            if b"%" not in raw
            else unquote_to_bytes(raw).decode("latin-1")
        )
    else:
        path = str(scope["path"]).encode("utf-8").decode("latin-1")
    root: str = scope.get("root_path", "")
    if root:
        root = root.encode("utf-8").decode("latin-1")
        if path.startswith(root):
            path = path[len(root) :]
    return path


def build_environ(
    scope: Mapping[str, Any], base: Mapping[str, Any], headers: Iterable[Any]
) -> dict[str, Any]:
    """A fresh environ for one request.

    :param scope: the ASGI ``http`` scope.
    :param base: the constant keys (``wsgi.version``, ``wsgi.errors``...), copied.
    :param headers: the scope's ``(name, value)`` byte pairs.
    :returns: the environ without ``wsgi.input`` (the caller adds it).
    """
    environ = dict(base)
    server = scope.get("server")
    client = scope.get("client")
    root: str = scope.get("root_path", "")
    environ["REQUEST_METHOD"] = scope["method"]
    environ["SCRIPT_NAME"] = root.encode("utf-8").decode("latin-1") if root else ""
    environ["PATH_INFO"] = _path_info(scope)
    environ["QUERY_STRING"] = scope.get("query_string", b"").decode("latin-1")
    environ["SERVER_PROTOCOL"] = "HTTP/" + scope.get("http_version", "1.1")
    if server:
        environ["SERVER_NAME"] = str(server[0])
        environ["SERVER_PORT"] = str(server[1]) if server[1] is not None else "0"
    else:
        environ["SERVER_NAME"] = "localhost"
        environ["SERVER_PORT"] = "0"
    if client:
        environ["REMOTE_ADDR"] = str(client[0])
        environ["REMOTE_PORT"] = str(client[1])
    else:
        environ["REMOTE_ADDR"] = ""
    environ["wsgi.url_scheme"] = scope.get("scheme", "http")
    for name, value in headers:
        key = header_key(name)
        if key is None:
            continue
        text = value.decode("latin-1")
        old = environ.get(key)
        if old is not None:
            # Repeated headers join with a comma (RFC 9110 5.3); cookies with "; ".
            text = old + ("; " if key == "HTTP_COOKIE" else ",") + text
        environ[key] = text
    return environ
