"""Small argument builders shared by the command mixins."""

from __future__ import annotations

import datetime as _dt
import enum
from collections.abc import Iterable
from typing import Any

from aio.redis.exceptions import DataError


def list_or_args(keys: Any, args: Iterable[Any] | None = None) -> list[Any]:
    """Return ``keys`` (one key or an iterable of keys) plus ``args`` as a list.

    redis-py accepts both ``sinter("a", "b")`` and ``sinter(["a", "b"])``; a
    str/bytes/memoryview is one key, never an iterable of characters.
    """
    if isinstance(keys, (str, bytes, bytearray, memoryview, int, float)):
        result: list[Any] = [keys]
    else:
        try:
            result = list(keys)
        except TypeError:
            result = [keys]
    if args:
        result.extend(args)
    return result


def seconds(value: int | _dt.timedelta) -> int:
    """A relative expiry in whole seconds."""
    if isinstance(value, _dt.timedelta):
        return int(value.total_seconds())
    return value


def milliseconds(value: int | _dt.timedelta) -> int:
    """A relative expiry in whole milliseconds."""
    if isinstance(value, _dt.timedelta):
        return int(value.total_seconds() * 1000)
    return value


def unix_seconds(value: int | _dt.datetime) -> int:
    """An absolute expiry as a unix time in seconds."""
    if isinstance(value, _dt.datetime):
        return int(value.timestamp())
    return value


def unix_milliseconds(value: int | _dt.datetime) -> int:
    """An absolute expiry as a unix time in milliseconds."""
    if isinstance(value, _dt.datetime):
        return int(value.timestamp() * 1000)
    return value


def expiry_conditions(nx: bool, xx: bool, gt: bool, lt: bool) -> list[str]:
    """The NX/XX/GT/LT flags of EXPIRE and friends (at most one makes sense)."""
    flags = [
        name for name, on in (("NX", nx), ("XX", xx), ("GT", gt), ("LT", lt)) if on
    ]
    return flags


def scan_options(match: Any, count: int | None) -> list[Any]:
    """The MATCH/COUNT arguments shared by SCAN, HSCAN, SSCAN and ZSCAN."""
    options: list[Any] = []
    if match is not None:
        options += ["MATCH", match]
    if count is not None:
        options += ["COUNT", count]
    return options


def one_of(what: str, **given: Any) -> None:
    """Raise DataError when more than one of mutually exclusive options is set."""
    # 0 is a value (``ex=0``); only None and False mean "not given".
    chosen = [n for n, v in given.items() if v is not None and v is not False]
    if len(chosen) > 1:
        raise DataError(f"{what}: only one of {', '.join(given)} may be given")


def getex_options(
    ex: Any = None,
    px: Any = None,
    exat: Any = None,
    pxat: Any = None,
    persist: bool = False,
) -> list[Any]:
    """The expiry tokens shared by SET, GETEX and HGETEX."""
    pieces: list[Any] = []
    # redis-py refuses a float (or non-digit string) expiry before sending it
    # rather than letting the server reject or truncate it: do the same.
    if ex is not None:
        if isinstance(ex, str) and ex.isdigit():
            ex = int(ex)
        elif not isinstance(ex, (int, _dt.timedelta)):
            raise DataError("ex must be datetime.timedelta or int")
        pieces += ["EX", seconds(ex)]
    if px is not None:
        if not isinstance(px, (int, _dt.timedelta)):
            raise DataError("px must be datetime.timedelta or int")
        pieces += ["PX", milliseconds(px)]
    if exat is not None:
        pieces += ["EXAT", unix_seconds(exat)]
    if pxat is not None:
        pieces += ["PXAT", unix_milliseconds(pxat)]
    if persist:
        pieces.append("PERSIST")
    return pieces


def option_word(value: Any, what: str, allowed: tuple[str, ...]) -> str:
    """An option that is one of a few words, given as an enum member (aio's or
    redis-py's: its ``value``) or as the word itself (exact spelling).

    :raises DataError: for anything else, naming the accepted words.
    """
    word = value.value if isinstance(value, enum.Enum) else value
    if not isinstance(word, str) or word not in allowed:
        raise DataError(f"{what} must be one of {', '.join(allowed)}, not {value!r}")
    return word
