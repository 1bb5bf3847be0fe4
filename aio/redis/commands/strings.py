"""String commands: GET/SET and their relatives, counters, ranges, LCS."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aio.redis._types import (
    AbsExpiryT,
    AnyKeyT,
    EncodableT,
    ExpiryT,
    KeysT,
    KeyT,
    ResponseT,
)
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import (
    getex_options,
    list_or_args,
    milliseconds,
    one_of,
    seconds,
)

__all__ = ("StringCommands",)


class StringCommands(CommandsBase):
    """String commands, with redis-py's method names and return values."""

    def get(self, name: KeyT) -> ResponseT:
        """Return the value at ``name``, or None if the key does not exist."""
        return self.execute_command("GET", name, keys=[name])

    def set(
        self,
        name: KeyT,
        value: EncodableT,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        nx: bool = False,
        xx: bool = False,
        keepttl: bool = False,
        get: bool = False,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
    ) -> ResponseT:
        """Set ``name`` to ``value``.

        :returns: True when set, None when NX/XX prevented it; with ``get=True``
            the previous value (or None).
        :raises DataError: when more than one expiry option, or nx with xx, is given.
        """
        one_of("SET", ex=ex, px=px, exat=exat, pxat=pxat, keepttl=keepttl)
        one_of("SET", nx=nx, xx=xx)
        pieces: list[Any] = [name, value]
        options: dict[str, Any] = {}
        if nx:
            pieces.append("NX")
        if xx:
            pieces.append("XX")
        if get:
            pieces.append("GET")
            options["get"] = True
        pieces += getex_options(ex, px, exat, pxat)
        if keepttl:
            pieces.append("KEEPTTL")
        return self.execute_command("SET", *pieces, **options)

    def mget(self, keys: KeysT, *args: EncodableT) -> ResponseT:
        """Return a list of values for the given keys (None where missing)."""
        names = list_or_args(keys, args)
        return self.execute_command("MGET", *names, keys=names)

    def mset(self, mapping: Mapping[AnyKeyT, EncodableT]) -> ResponseT:
        """Set every key of ``mapping`` to its value; returns True."""
        items: list[Any] = []
        for pair in mapping.items():
            items.extend(pair)
        return self.execute_command("MSET", *items)

    def msetnx(self, mapping: Mapping[AnyKeyT, EncodableT]) -> ResponseT:
        """Set all keys only if none exists; returns whether they were set."""
        items: list[Any] = []
        for pair in mapping.items():
            items.extend(pair)
        return self.execute_command("MSETNX", *items)

    def setex(self, name: KeyT, time: ExpiryT, value: EncodableT) -> ResponseT:
        """Set ``name`` to ``value`` expiring in ``time`` seconds."""
        return self.execute_command("SETEX", name, seconds(time), value)

    def psetex(self, name: KeyT, time_ms: ExpiryT, value: EncodableT) -> ResponseT:
        """Set ``name`` to ``value`` expiring in ``time_ms`` milliseconds."""
        return self.execute_command("PSETEX", name, milliseconds(time_ms), value)

    def setnx(self, name: KeyT, value: EncodableT) -> ResponseT:
        """Set ``name`` only if it does not exist; returns whether it was set."""
        return self.execute_command("SETNX", name, value)

    def getset(self, name: KeyT, value: EncodableT) -> ResponseT:
        """Set ``name`` and return its old value (deprecated by Redis: SET GET)."""
        return self.execute_command("GETSET", name, value)

    def getdel(self, name: KeyT) -> ResponseT:
        """Return the value at ``name`` and delete the key."""
        return self.execute_command("GETDEL", name)

    def getex(
        self,
        name: KeyT,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
        persist: bool = False,
    ) -> ResponseT:
        """Return the value at ``name`` and change (or remove) its expiry.

        :raises DataError: when more than one expiry option is given.
        """
        one_of("GETEX", ex=ex, px=px, exat=exat, pxat=pxat, persist=persist)
        pieces = getex_options(ex, px, exat, pxat, persist)
        return self.execute_command("GETEX", name, *pieces)

    def incr(self, name: KeyT, amount: int = 1) -> ResponseT:
        """Increment the integer at ``name`` by ``amount``; returns the new value."""
        return self.incrby(name, amount)

    def incrby(self, name: KeyT, amount: int = 1) -> ResponseT:
        """Increment the integer at ``name`` by ``amount``; returns the new value."""
        return self.execute_command("INCRBY", name, amount)

    def incrbyfloat(self, name: KeyT, amount: float = 1.0) -> ResponseT:
        """Increment the float at ``name`` by ``amount``; returns a float."""
        return self.execute_command("INCRBYFLOAT", name, amount)

    def decr(self, name: KeyT, amount: int = 1) -> ResponseT:
        """Decrement the integer at ``name`` by ``amount``; returns the new value."""
        return self.decrby(name, amount)

    def decrby(self, name: KeyT, amount: int = 1) -> ResponseT:
        """Decrement the integer at ``name`` by ``amount``; returns the new value."""
        return self.execute_command("DECRBY", name, amount)

    def append(self, key: KeyT, value: EncodableT) -> ResponseT:
        """Append ``value`` to the string at ``key``; returns the new length."""
        return self.execute_command("APPEND", key, value)

    def strlen(self, name: KeyT) -> ResponseT:
        """Return the length of the string at ``name``."""
        return self.execute_command("STRLEN", name, keys=[name])

    def getrange(self, key: KeyT, start: int, end: int) -> ResponseT:
        """Return the substring between ``start`` and ``end`` (inclusive)."""
        return self.execute_command("GETRANGE", key, start, end, keys=[key])

    def substr(self, name: KeyT, start: int, end: int = -1) -> ResponseT:
        """Return a substring of the string at ``name`` (old name of GETRANGE)."""
        return self.execute_command("SUBSTR", name, start, end, keys=[name])

    def setrange(self, name: KeyT, offset: int, value: EncodableT) -> ResponseT:
        """Overwrite part of the string at ``name``; returns the new length."""
        return self.execute_command("SETRANGE", name, offset, value)

    def lcs(
        self,
        key1: KeyT,
        key2: KeyT,
        len: bool = False,
        idx: bool = False,
        minmatchlen: int = 0,
        withmatchlen: bool = False,
    ) -> ResponseT:
        """The longest common subsequence of two strings (Redis 7+).

        :returns: the subsequence; its length with ``len=True``; with
            ``idx=True`` the flat ``[b"matches", [...], b"len", n]`` list.
        """
        pieces: list[Any] = [key1, key2]
        if len:
            pieces.append("LEN")
        if idx:
            pieces.append("IDX")
        if minmatchlen:
            pieces += ["MINMATCHLEN", minmatchlen]
        if withmatchlen:
            pieces.append("WITHMATCHLEN")
        return self.execute_command("LCS", *pieces, keys=[key1, key2])
