"""Text helpers of the RedisTimeSeries reply converters.

Label names and values, series keys and the ``TS.INFO`` field names are given
to the caller as ``str`` whatever ``decode_responses`` says, as redis-py does;
like redis-py's ``nativestr``, the text ``"null"`` stands for no value (None).
"""

from __future__ import annotations

from typing import Any

__all__ = ("native_str", "pairs_to_dict")


def native_str(value: Any) -> Any:
    """``value`` as text (bytes decoded as UTF-8, bad bytes replaced); the
    text ``"null"`` becomes None; anything else is returned as it is."""
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else value
    return None if text == "null" else text


def pairs_to_dict(pairs: Any) -> dict[Any, Any]:
    """``[[name, value], ...]`` (RESP2's labels) as ``{name: value}``, both as
    text.

    :raises TypeError: ``pairs`` is not a list of pairs (None included).
    :raises IndexError: a pair has fewer than two elements.
    """
    return {native_str(pair[0]): native_str(pair[1]) for pair in pairs}
