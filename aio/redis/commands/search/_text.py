"""Reply text as str: the one decoding rule the search replies share."""

from __future__ import annotations

from typing import Any

__all__ = ("field_value", "str_if_bytes", "to_string")


def to_string(value: Any, encoding: str = "utf-8") -> Any:
    """``value`` decoded if bytes (undecodable bytes dropped, as redis-py's
    RESP2 search replies do); anything else as it is."""
    if isinstance(value, bytes):
        return value.decode(encoding, "ignore")
    return value


def str_if_bytes(value: Any) -> Any:
    """``value`` decoded as UTF-8 if bytes (undecodable bytes replaced)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def field_value(value: Any, key: str, encodings: dict[str, str | None] | None) -> Any:
    """A returned field's value: bytes decoded with the encoding its query
    asked for (``Query.return_field(..., encoding=)``; None keeps bytes), or as
    UTF-8."""
    if not isinstance(value, bytes):
        return value
    if encodings and key in encodings:
        encoding = encodings[key]
        return value if encoding is None else value.decode(encoding, "replace")
    return str_if_bytes(value)
