"""Request-target helpers for servers: split off the query, percent-decode the path.

ASGI wants ``raw_path`` (bytes, as sent), ``path`` (percent-decoded, UTF-8 text)
and ``query_string`` (bytes, without the ``?``). RFC 3986 section 2.1 defines
percent-encoding; a ``%`` not followed by two hex digits is kept literally (as
browsers and other servers do) rather than rejected.
"""

from __future__ import annotations

__all__ = ("percent_decode_path", "split_target")

_HEX = frozenset(b"0123456789abcdefABCDEF")


def split_target(target: bytes) -> tuple[bytes, bytes]:
    """Split a request target into ``(raw_path, query_string)``.

    The fragment, which clients must not send but some do, is dropped. For an
    absolute-form target (``http://host/p?q``) the scheme and authority are
    dropped too; the asterisk-form (``*``) is returned as is.

    :param target: the request target, e.g. ``b"/a%20b?x=1"``.
    :returns: ``(b"/a%20b", b"x=1")``; the query is ``b""`` when absent.
    """
    hash_at = target.find(b"#")
    if hash_at >= 0:
        target = target[:hash_at]
    path, _, query = target.partition(b"?")
    if path[:1] != b"/" and b"://" in path:
        # absolute-form (RFC 9112 section 3.2.2), sent to proxies and accepted
        # by servers: keep only the path after the authority.
        slash = path.find(b"/", path.index(b"://") + 3)
        path = path[slash:] if slash >= 0 else b"/"
    return path, query


def percent_decode_path(raw: bytes) -> str:
    """Percent-decode a path and decode it as UTF-8 (invalid bytes become U+FFFD).

    :param raw: the raw path, e.g. ``b"/caf%C3%A9"``.
    :returns: the decoded text, e.g. ``"/café"``.
    """
    if b"%" not in raw:
        return raw.decode("utf-8", "replace")
    parts = raw.split(b"%")
    out = bytearray(parts[0])
    for part in parts[1:]:
        if len(part) >= 2 and part[0] in _HEX and part[1] in _HEX:
            out.append(int(part[:2], 16))
            out += part[2:]
        else:
            out += b"%"
            out += part
    return out.decode("utf-8", "replace")
