"""String commands: GET/SET and their relatives, counters, ranges, LCS.

Redis 8 additions: compare-and-set (``set(ifeq=...)``, ``delex``) with value
digests (``digest``, ``digest_local``), ``msetex`` and the bounded counter
``increx``.
"""

from __future__ import annotations

import enum
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
    option_word,
    seconds,
)
from aio.redis.commands._xxh3 import xxh3_64_hexdigest
from aio.redis.exceptions import DataError

__all__ = ("DataPersistOptions", "StringCommands")


class DataPersistOptions(enum.Enum):
    """``msetex``'s condition: set the keys only if none (NX) or all (XX) exist."""

    NX = "NX"
    XX = "XX"


def _condition(
    nx: bool, xx: bool, ifeq: Any, ifne: Any, ifdeq: Any, ifdne: Any
) -> list[Any]:
    """SET's one write condition (NX, XX, or a compare-and-set, Redis 8.4+)."""
    # An empty value is a condition too (IFEQ ""), hence one_of's None test.
    one_of("SET", nx=nx, xx=xx, ifeq=ifeq, ifne=ifne, ifdeq=ifdeq, ifdne=ifdne)
    compare = (("IFEQ", ifeq), ("IFNE", ifne), ("IFDEQ", ifdeq), ("IFDNE", ifdne))
    for token, value in compare:
        if value is not None:
            return [token, value]
    return ["NX"] if nx else ["XX"] if xx else []


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
        ifeq: bytes | str | None = None,
        ifne: bytes | str | None = None,
        ifdeq: str | None = None,
        ifdne: str | None = None,
    ) -> ResponseT:
        """Set ``name`` to ``value``.

        ``ifeq``/``ifne`` write only if the current value equals / differs from
        the given one, ``ifdeq``/``ifdne`` compare its XXH3 hex digest instead
        (see :meth:`digest`, :meth:`digest_local`); IFEQ and IFDEQ never create
        the key (Redis 8.4+, experimental there).

        :returns: True when set, None when a condition prevented it; with
            ``get=True`` the previous value (or None).
        :raises DataError: when more than one expiry option, or more than one of
            nx, xx, ifeq, ifne, ifdeq and ifdne, is given.
        """
        if (
            ex is None
            and px is None
            and exat is None
            and pxat is None
            and not (nx or xx or keepttl or get)
            and ifeq is None
            and ifne is None
            and ifdeq is None
            and ifdne is None
        ):
            # The plain SET, the most common command: no option to check or add.
            return self.execute_command("SET", name, value)
        one_of("SET", ex=ex, px=px, exat=exat, pxat=pxat, keepttl=keepttl)
        pieces: list[Any] = [name, value]
        pieces += _condition(nx, xx, ifeq, ifne, ifdeq, ifdne)
        options: dict[str, Any] = {}
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

    def msetex(
        self,
        mapping: Mapping[AnyKeyT, EncodableT],
        data_persist_option: DataPersistOptions | None = None,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
        keepttl: bool = False,
    ) -> ResponseT:
        """Set several keys with one expiry (Redis 8.4+).

        :param data_persist_option: ``DataPersistOptions.NX`` (only if none of
            the keys exists) or ``XX`` (only if all exist).
        :returns: 1 when the keys were set, 0 when the condition prevented it.
        :raises DataError: for more than one of ex, px, exat, pxat and keepttl.
        """
        one_of("MSETEX", ex=ex, px=px, exat=exat, pxat=pxat, keepttl=keepttl)
        pieces: list[Any] = [len(mapping)]
        for pair in mapping.items():
            pieces.extend(pair)
        if data_persist_option:
            pieces.append(
                option_word(data_persist_option, "data_persist_option", ("NX", "XX"))
            )
        pieces += getex_options(ex, px, exat, pxat)
        if keepttl:
            pieces.append("KEEPTTL")
        return self.execute_command("MSETEX", *pieces, keys=list(mapping))

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

    def increx(
        self,
        name: KeyT,
        *,
        byfloat: EncodableT | None = None,
        byint: EncodableT | None = None,
        lbound: EncodableT | None = None,
        ubound: EncodableT | None = None,
        saturate: bool = False,
        ex: ExpiryT | None = None,
        px: ExpiryT | None = None,
        exat: AbsExpiryT | None = None,
        pxat: AbsExpiryT | None = None,
        persist: bool = False,
        enx: bool = False,
    ) -> ResponseT:
        """Increment within bounds and set the expiry in one step (Redis 8.8+).

        By 1 unless ``byint`` or ``byfloat`` is given. A result outside
        ``lbound``/``ubound`` (or the type's range) is refused, value and TTL
        untouched, or with ``saturate`` clamped to the bound. ``enx`` applies
        the expiry only to a key that has none.

        :returns: ``[new_value, applied_increment]``: integers, or with
            ``byfloat`` the numbers as RESP2 text (bytes, str when decoding).
        :raises DataError: for byfloat with byint, more than one of ex, px,
            exat, pxat and persist, or enx without an expiry.
        """
        one_of("INCREX", byfloat=byfloat, byint=byint)
        one_of("INCREX", ex=ex, px=px, exat=exat, pxat=pxat, persist=persist)
        if enx and ex is None and px is None and exat is None and pxat is None:
            raise DataError("INCREX: enx needs one of ex, px, exat and pxat")
        pieces: list[Any] = [name]
        if byfloat is not None:
            pieces += ["BYFLOAT", byfloat]
        elif byint is not None:
            pieces += ["BYINT", byint]
        if lbound is not None:
            pieces += ["LBOUND", lbound]
        if ubound is not None:
            pieces += ["UBOUND", ubound]
        if saturate:
            pieces.append("SATURATE")
        pieces += getex_options(ex, px, exat, pxat, persist)
        if enx:
            pieces.append("ENX")
        # RESP3 answers BYFLOAT with doubles, RESP2 with text: the converter
        # makes the text, and must know whether RESP2 would have decoded it.
        return self.execute_command(
            "INCREX", *pieces, keys=[name], decoded=self._decodes_responses()
        )

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

    def delex(
        self,
        name: KeyT,
        ifeq: bytes | str | None = None,
        ifne: bytes | str | None = None,
        ifdeq: str | None = None,
        ifdne: str | None = None,
    ) -> ResponseT:
        """Delete ``name``, optionally only if its value (``ifeq``/``ifne``) or
        the value's digest (``ifdeq``/``ifdne``) matches (Redis 8.4+).

        :returns: 1 if the key was deleted, else 0.
        :raises ValueError: for more than one condition (as redis-py).
        """
        conditions = {"IFEQ": ifeq, "IFNE": ifne, "IFDEQ": ifdeq, "IFDNE": ifdne}
        given = [(token, v) for token, v in conditions.items() if v is not None]
        if len(given) > 1:
            raise ValueError(
                "DELEX: only one of ifeq, ifne, ifdeq and ifdne may be given"
            )
        pieces: list[Any] = [name]
        for token, value in given:
            pieces += [token, value]
        return self.execute_command("DELEX", *pieces, keys=[name])

    def digest(self, name: KeyT) -> ResponseT:
        """The XXH3 digest of the string at ``name`` as 16 hex digits, or None
        if the key does not exist (Redis 8.4+)."""
        return self.execute_command("DIGEST", name, keys=[name])

    def digest_local(self, value: bytes | str) -> bytes | str:
        """The digest :meth:`digest` would return for ``value``, computed here
        without a round trip (a str is hashed as UTF-8).

        :returns: 16 hex digits, as bytes, or as str with ``decode_responses``.
        """
        data = value.encode() if isinstance(value, str) else bytes(value)
        digest = xxh3_64_hexdigest(data)
        return digest if self._decodes_responses() else digest.encode()

    def stralgo(
        self,
        algo: str,
        value1: KeyT,
        value2: KeyT,
        specific_argument: str = "strings",
        len: bool = False,
        idx: bool = False,
        minmatchlen: int | None = None,
        withmatchlen: bool = False,
        **kwargs: Any,
    ) -> ResponseT:
        """STRALGO LCS of two strings, or of two keys' values (Redis 6.x: 7.0
        replaced it with :meth:`lcs`).

        :returns: the subsequence (str); its length with ``len``; with ``idx``
            ``{"matches": [...], "len": n}``.
        :raises DataError: for another algo than LCS, a specific_argument other
            than keys or strings, or len with idx.
        """
        if algo != "LCS":
            raise DataError("STRALGO: the supported algorithms are: LCS")
        if specific_argument not in ("keys", "strings"):
            raise DataError("STRALGO: specific_argument must be keys or strings")
        if len and idx:
            raise DataError("STRALGO: len and idx cannot be given together")
        pieces: list[Any] = [algo, specific_argument.upper(), value1, value2]
        if len:
            pieces.append("LEN")
        if idx:
            pieces.append("IDX")
        if minmatchlen is not None:
            pieces += ["MINMATCHLEN", int(minmatchlen)]
        if withmatchlen:
            pieces.append("WITHMATCHLEN")
        if specific_argument == "keys":
            kwargs.setdefault("keys", [value1, value2])
        return self.execute_command(
            "STRALGO", *pieces, len=len, idx=idx, withmatchlen=withmatchlen, **kwargs
        )
