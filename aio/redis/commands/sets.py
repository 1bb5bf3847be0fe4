"""Set commands and ``sscan_iter``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from typing import Any

from aio.redis._types import FieldT, KeysT, KeyT, PatternT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import list_or_args, scan_options

__all__ = ("SetCommands",)


class SetCommands(CommandsBase):
    """Set commands, with redis-py's method names and return values."""

    def sadd(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Add members; returns how many were new."""
        return self.execute_command("SADD", name, *values)

    def srem(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Remove members; returns how many existed."""
        return self.execute_command("SREM", name, *values)

    def scard(self, name: KeyT) -> ResponseT:
        """The number of members."""
        return self.execute_command("SCARD", name, keys=[name])

    def smembers(self, name: KeyT) -> ResponseT:
        """All members, as a Python set."""
        return self.execute_command("SMEMBERS", name, keys=[name])

    def sismember(self, name: KeyT, value: FieldT) -> ResponseT:
        """1 if ``value`` is a member, else 0."""
        return self.execute_command("SISMEMBER", name, value, keys=[name])

    def smismember(
        self, name: KeyT, values: FieldT | Iterable[FieldT], *args: FieldT
    ) -> ResponseT:
        """Membership (1/0) of each value, in order."""
        members = list_or_args(values, args)
        return self.execute_command("SMISMEMBER", name, *members, keys=[name])

    def smove(self, src: KeyT, dst: KeyT, value: FieldT) -> ResponseT:
        """Move a member between sets; returns whether it moved."""
        return self.execute_command("SMOVE", src, dst, value)

    def spop(self, name: KeyT, count: int | None = None) -> ResponseT:
        """Remove and return a random member (a list of ``count`` with count)."""
        args = [count] if count is not None else []
        return self.execute_command("SPOP", name, *args)

    def srandmember(self, name: KeyT, number: int | None = None) -> ResponseT:
        """A random member, or a list of ``number`` (negative: may repeat)."""
        args = [number] if number is not None else []
        return self.execute_command("SRANDMEMBER", name, *args)

    def sdiff(self, keys: KeysT, *args: KeyT) -> ResponseT:
        """Members of the first set not in the others (a set)."""
        names = list_or_args(keys, args)
        return self.execute_command("SDIFF", *names, keys=names)

    def sdiffstore(self, dest: KeyT, keys: KeysT, *args: KeyT) -> ResponseT:
        """Store SDIFF in ``dest``; returns its size."""
        names = list_or_args(keys, args)
        return self.execute_command("SDIFFSTORE", dest, *names)

    def sinter(self, keys: KeysT, *args: KeyT) -> ResponseT:
        """Members common to all sets (a set)."""
        names = list_or_args(keys, args)
        return self.execute_command("SINTER", *names, keys=names)

    def sinterstore(self, dest: KeyT, keys: KeysT, *args: KeyT) -> ResponseT:
        """Store SINTER in ``dest``; returns its size."""
        names = list_or_args(keys, args)
        return self.execute_command("SINTERSTORE", dest, *names)

    def sintercard(self, numkeys: int, keys: list[KeyT], limit: int = 0) -> ResponseT:
        """The size of the intersection, counting at most ``limit`` (0 = all)."""
        return self.execute_command(
            "SINTERCARD", numkeys, *keys, "LIMIT", limit, keys=keys
        )

    def sdiffcard(self, numkeys: int, keys: list[KeyT], limit: int = 0) -> ResponseT:
        """The size of the difference of the first set and the others, counting
        at most ``limit`` (0 = all) (Redis 8.8+)."""
        return self.execute_command(
            "SDIFFCARD", numkeys, *keys, "LIMIT", limit, keys=keys
        )

    def sunioncard(
        self, numkeys: int, keys: list[KeyT], limit: int = 0, approx: bool = False
    ) -> ResponseT:
        """The size of the union, counting at most ``limit`` (0 = all); with
        ``approx`` a HyperLogLog estimate (Redis 8.8+)."""
        approx_word = ["APPROX"] if approx else []
        return self.execute_command(
            "SUNIONCARD", numkeys, *keys, *approx_word, "LIMIT", limit, keys=keys
        )

    def sunion(self, keys: KeysT, *args: KeyT) -> ResponseT:
        """Members of any of the sets (a set)."""
        names = list_or_args(keys, args)
        return self.execute_command("SUNION", *names, keys=names)

    def sunionstore(self, dest: KeyT, keys: KeysT, *args: KeyT) -> ResponseT:
        """Store SUNION in ``dest``; returns its size."""
        names = list_or_args(keys, args)
        return self.execute_command("SUNIONSTORE", dest, *names)

    def sscan(
        self,
        name: KeyT,
        cursor: int = 0,
        match: PatternT | None = None,
        count: int | None = None,
    ) -> ResponseT:
        """One SSCAN step: ``(cursor, [members])``."""
        pieces: list[Any] = [name, cursor, *scan_options(match, count)]
        return self.execute_command("SSCAN", *pieces)

    async def sscan_iter(
        self,
        name: KeyT,
        match: PatternT | None = None,
        count: int | None = None,
    ) -> AsyncIterator[Any]:
        """Iterate over the members with SSCAN."""
        cursor = None
        while cursor != 0:
            cursor, data = await self.sscan(
                name, cursor=cursor or 0, match=match, count=count
            )
            for item in data:
                yield item
