"""HyperLogLog commands: PFADD, PFCOUNT, PFMERGE."""

from __future__ import annotations

from aio.redis._types import FieldT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase

__all__ = ("HyperLogLogCommands",)


class HyperLogLogCommands(CommandsBase):
    """HyperLogLog commands, with redis-py's method names and return values."""

    def pfadd(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Add values; returns 1 if the estimate changed."""
        return self.execute_command("PFADD", name, *values)

    def pfcount(self, *sources: KeyT) -> ResponseT:
        """The approximate number of distinct values across ``sources``."""
        return self.execute_command("PFCOUNT", *sources)

    def pfmerge(self, dest: KeyT, *sources: KeyT) -> ResponseT:
        """Merge ``sources`` into ``dest``; returns True."""
        return self.execute_command("PFMERGE", dest, *sources)
