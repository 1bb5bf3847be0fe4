"""Key-space commands: DEL/EXISTS, expiry, RENAME, SCAN (and ``scan_iter``), SORT..."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from aio.redis._types import AbsExpiryT, ExpiryT, KeyT, PatternT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import (
    expiry_conditions,
    milliseconds,
    scan_options,
    seconds,
    unix_milliseconds,
    unix_seconds,
)
from aio.redis.exceptions import DataError

__all__ = ("KeyCommands",)


class KeyCommands(CommandsBase):
    """Generic key commands, with redis-py's method names and return values."""

    def delete(self, *names: KeyT) -> ResponseT:
        """Delete ``names``; returns how many existed."""
        return self.execute_command("DEL", *names)

    def unlink(self, *names: KeyT) -> ResponseT:
        """Delete ``names`` with the memory freed in the background."""
        return self.execute_command("UNLINK", *names)

    def exists(self, *names: KeyT) -> ResponseT:
        """Return how many of ``names`` exist (an int, as redis-py)."""
        return self.execute_command("EXISTS", *names, keys=list(names))

    def touch(self, *args: KeyT) -> ResponseT:
        """Update the last access time of keys; returns how many exist."""
        return self.execute_command("TOUCH", *args)

    def type(self, name: KeyT) -> ResponseT:
        """Return the type of ``name`` (``b"string"``, ``b"none"``...)."""
        return self.execute_command("TYPE", name, keys=[name])

    def expire(
        self,
        name: KeyT,
        time: ExpiryT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire ``name`` in ``time`` seconds; returns whether it was set."""
        flags = expiry_conditions(nx, xx, gt, lt)
        return self.execute_command("EXPIRE", name, seconds(time), *flags)

    def pexpire(
        self,
        name: KeyT,
        time: ExpiryT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire ``name`` in ``time`` milliseconds; returns whether it was set."""
        flags = expiry_conditions(nx, xx, gt, lt)
        return self.execute_command("PEXPIRE", name, milliseconds(time), *flags)

    def expireat(
        self,
        name: KeyT,
        when: AbsExpiryT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire ``name`` at unix time ``when`` (seconds or datetime)."""
        flags = expiry_conditions(nx, xx, gt, lt)
        return self.execute_command("EXPIREAT", name, unix_seconds(when), *flags)

    def pexpireat(
        self,
        name: KeyT,
        when: AbsExpiryT,
        nx: bool = False,
        xx: bool = False,
        gt: bool = False,
        lt: bool = False,
    ) -> ResponseT:
        """Expire ``name`` at unix time ``when`` (milliseconds or datetime)."""
        flags = expiry_conditions(nx, xx, gt, lt)
        return self.execute_command("PEXPIREAT", name, unix_milliseconds(when), *flags)

    def expiretime(self, key: KeyT) -> ResponseT:
        """Unix time in seconds at which ``key`` expires (-1 none, -2 missing)."""
        return self.execute_command("EXPIRETIME", key)

    def pexpiretime(self, key: KeyT) -> ResponseT:
        """Unix time in milliseconds at which ``key`` expires."""
        return self.execute_command("PEXPIRETIME", key)

    def ttl(self, name: KeyT) -> ResponseT:
        """Seconds to live of ``name`` (-1 no expiry, -2 missing)."""
        return self.execute_command("TTL", name)

    def pttl(self, name: KeyT) -> ResponseT:
        """Milliseconds to live of ``name`` (-1 no expiry, -2 missing)."""
        return self.execute_command("PTTL", name)

    def persist(self, name: KeyT) -> ResponseT:
        """Remove the expiry of ``name``; returns whether one was removed."""
        return self.execute_command("PERSIST", name)

    def rename(self, src: KeyT, dst: KeyT) -> ResponseT:
        """Rename ``src`` to ``dst``; returns True."""
        return self.execute_command("RENAME", src, dst)

    def renamenx(self, src: KeyT, dst: KeyT) -> ResponseT:
        """Rename ``src`` to ``dst`` if ``dst`` does not exist; returns a bool."""
        return self.execute_command("RENAMENX", src, dst)

    def keys(self, pattern: PatternT = "*", **kwargs: Any) -> ResponseT:
        """Return the keys matching ``pattern`` (prefer ``scan_iter`` in production)."""
        return self.execute_command("KEYS", pattern, **kwargs)

    def randomkey(self, **kwargs: Any) -> ResponseT:
        """Return a random key, or None when the database is empty."""
        return self.execute_command("RANDOMKEY", **kwargs)

    def scan(
        self,
        cursor: int = 0,
        match: PatternT | None = None,
        count: int | None = None,
        _type: str | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """One SCAN step: returns ``(next_cursor, [keys])``; 0 means done."""
        pieces: list[Any] = [cursor, *scan_options(match, count)]
        if _type is not None:
            pieces += ["TYPE", _type]
        return self.execute_command("SCAN", *pieces, **kwargs)

    async def scan_iter(
        self,
        match: PatternT | None = None,
        count: int | None = None,
        _type: str | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        """Iterate over every key matching ``match`` with SCAN (may repeat keys)."""
        cursor = None
        while cursor != 0:
            cursor, data = await self.scan(
                cursor=cursor or 0, match=match, count=count, _type=_type, **kwargs
            )
            for item in data:
                yield item

    def dump(self, name: KeyT) -> ResponseT:
        """The serialized value of ``name`` (always bytes), or None."""
        return self.execute_command("DUMP", name, NEVER_DECODE=True)

    def restore(
        self,
        name: KeyT,
        ttl: float,
        value: Any,
        replace: bool = False,
        absttl: bool = False,
        idletime: int | None = None,
        frequency: int | None = None,
    ) -> ResponseT:
        """Create ``name`` from a DUMP payload.

        :raises DataError: when ``idletime``/``frequency`` is not an int.
        """
        params: list[Any] = [name, ttl, value]
        if replace:
            params.append("REPLACE")
        if absttl:
            params.append("ABSTTL")
        if idletime is not None:
            if not isinstance(idletime, int):
                raise DataError("restore: idletime must be an integer")
            params += ["IDLETIME", idletime]
        if frequency is not None:
            if not isinstance(frequency, int):
                raise DataError("restore: frequency must be an integer")
            params += ["FREQ", frequency]
        return self.execute_command("RESTORE", *params)

    def copy(
        self,
        source: KeyT,
        destination: KeyT,
        destination_db: int | str | None = None,
        replace: bool = False,
    ) -> ResponseT:
        """Copy ``source`` to ``destination``; returns whether it was copied."""
        params: list[Any] = [source, destination]
        if destination_db is not None:
            params += ["DB", destination_db]
        if replace:
            params.append("REPLACE")
        return self.execute_command("COPY", *params)

    def move(self, name: KeyT, db: int) -> ResponseT:
        """Move ``name`` to database ``db``; returns whether it moved."""
        return self.execute_command("MOVE", name, db)

    def object(self, infotype: str, key: KeyT, **kwargs: Any) -> ResponseT:
        """OBJECT ENCODING/FREQ/IDLETIME/REFCOUNT of ``key``."""
        return self.execute_command(
            "OBJECT", infotype, key, infotype=infotype, **kwargs
        )

    def sort(
        self,
        name: KeyT,
        start: int | None = None,
        num: int | None = None,
        by: str | None = None,
        get: str | list[str] | None = None,
        desc: bool = False,
        alpha: bool = False,
        store: KeyT | None = None,
        groups: bool = False,
    ) -> ResponseT:
        """SORT a list, set or sorted set.

        :param groups: with two or more ``get`` patterns, return tuples.
        :raises DataError: for ``start`` without ``num``, or ``groups`` with
            fewer than two ``get`` patterns.
        """
        pieces = self._sort_pieces(name, start, num, by, get, desc, alpha)
        if store is not None:
            pieces += ["STORE", store]
        if groups and (not get or isinstance(get, (bytes, str)) or len(get) < 2):
            raise DataError(
                "sort: when using groups the get argument must be specified "
                "and contain at least two keys"
            )
        options = {"groups": len(get) if groups and get else None}
        return self.execute_command("SORT", *pieces, **options, keys=[name])

    def sort_ro(
        self,
        key: KeyT,
        start: int | None = None,
        num: int | None = None,
        by: str | None = None,
        get: str | list[str] | None = None,
        desc: bool = False,
        alpha: bool = False,
    ) -> ResponseT:
        """Read-only SORT (Redis 7+): no STORE."""
        pieces = self._sort_pieces(key, start, num, by, get, desc, alpha)
        return self.execute_command("SORT_RO", *pieces, keys=[key])

    @staticmethod
    def _sort_pieces(
        name: KeyT,
        start: int | None,
        num: int | None,
        by: str | None,
        get: str | list[str] | None,
        desc: bool,
        alpha: bool,
    ) -> list[Any]:
        if (start is not None) != (num is not None):
            raise DataError("sort: start and num must both be specified")
        pieces: list[Any] = [name]
        if by is not None:
            pieces += ["BY", by]
        if start is not None:
            pieces += ["LIMIT", start, num]
        if get is not None:
            patterns = [get] if isinstance(get, (bytes, str)) else list(get)
            for pattern in patterns:
                pieces += ["GET", pattern]
        if desc:
            pieces.append("DESC")
        if alpha:
            pieces.append("ALPHA")
        return pieces
