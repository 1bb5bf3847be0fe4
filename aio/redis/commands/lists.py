"""List commands, including the blocking pops.

Blocking commands pass ``timeout=<seconds>`` as an option (``0`` = forever) so
the connection can let the server stay silent that long instead of failing the
read with its ``socket_timeout``.
"""

from __future__ import annotations

from typing import Any

from aio.redis._types import FieldT, KeysT, KeyT, Number, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import list_or_args
from aio.redis.exceptions import DataError

__all__ = ("ListCommands",)


def _movem_count(
    count: int | None, mode: str | None, ordering: str | None
) -> list[Any]:
    """LMOVEM/BLMOVEM's ``COUNT|EXACTLY n OBO|BULK`` (nothing: one element)."""
    if count is None:
        if mode is not None or ordering is not None:
            raise DataError("LMOVEM: mode and ordering need a count")
        return []
    if ordering is None:
        raise DataError("LMOVEM: a count needs an ordering (OBO or BULK)")
    return [mode or "COUNT", count, ordering]


class ListCommands(CommandsBase):
    """List commands, with redis-py's method names and return values."""

    def blpop(self, keys: KeysT, timeout: Number | None = 0) -> ResponseT:
        """Pop from the head of the first non-empty list, waiting up to ``timeout``.

        :returns: ``(key, value)``, or None when the timeout expired.
        """
        timeout = 0 if timeout is None else timeout
        names = list_or_args(keys, None)
        return self.execute_command("BLPOP", *names, timeout, timeout=timeout)

    def brpop(self, keys: KeysT, timeout: Number | None = 0) -> ResponseT:
        """Pop from the tail of the first non-empty list, waiting up to ``timeout``."""
        timeout = 0 if timeout is None else timeout
        names = list_or_args(keys, None)
        return self.execute_command("BRPOP", *names, timeout, timeout=timeout)

    def brpoplpush(self, src: KeyT, dst: KeyT, timeout: Number | None = 0) -> ResponseT:
        """Blocking RPOPLPUSH; returns the value or None on timeout."""
        timeout = 0 if timeout is None else timeout
        return self.execute_command("BRPOPLPUSH", src, dst, timeout, timeout=timeout)

    def blmove(
        self,
        first_list: KeyT,
        second_list: KeyT,
        timeout: Number,
        src: str = "LEFT",
        dest: str = "RIGHT",
    ) -> ResponseT:
        """Blocking LMOVE; returns the value or None on timeout."""
        return self.execute_command(
            "BLMOVE", first_list, second_list, src, dest, timeout, timeout=timeout
        )

    def blmovem(
        self,
        first_list: KeyT,
        second_list: KeyT,
        timeout: float,
        src: str = "LEFT",
        dest: str = "RIGHT",
        count: int | None = None,
        mode: str | None = None,
        ordering: str | None = None,
    ) -> ResponseT:
        """Blocking :meth:`lmovem`: wait up to ``timeout`` seconds (0: forever)
        for elements; returns the moved elements, or None on timeout."""
        pieces = _movem_count(count, mode, ordering)
        return self.execute_command(
            "BLMOVEM",
            first_list,
            second_list,
            src,
            dest,
            timeout,
            *pieces,
            timeout=timeout,
            keys=[first_list, second_list],
        )

    def blmpop(
        self,
        timeout: float,
        numkeys: int,
        *args: KeyT,
        direction: str,
        count: int | None = 1,
    ) -> ResponseT:
        """Blocking LMPOP: ``[key, [values]]`` or None on timeout."""
        pieces: list[Any] = [timeout, numkeys, *args, direction, "COUNT", count]
        return self.execute_command("BLMPOP", *pieces, timeout=timeout)

    def lmpop(
        self, num_keys: int, *args: KeyT, direction: str, count: int | None = 1
    ) -> ResponseT:
        """Pop up to ``count`` values from the first non-empty list: ``[key, [values]]``."""
        pieces: list[Any] = [num_keys, *args, direction]
        if count != 1:
            pieces += ["COUNT", count]
        return self.execute_command("LMPOP", *pieces)

    def lindex(self, name: KeyT, index: int) -> ResponseT:
        """The value at ``index``, or None."""
        return self.execute_command("LINDEX", name, index, keys=[name])

    def linsert(
        self, name: KeyT, where: str, refvalue: FieldT, value: FieldT
    ) -> ResponseT:
        """Insert ``value`` BEFORE or AFTER ``refvalue``; returns the new length."""
        return self.execute_command("LINSERT", name, where, refvalue, value)

    def llen(self, name: KeyT) -> ResponseT:
        """The length of the list."""
        return self.execute_command("LLEN", name, keys=[name])

    def lpop(self, name: KeyT, count: int | None = None) -> ResponseT:
        """Pop one value (or a list of ``count`` values) from the head."""
        if count is not None:
            return self.execute_command("LPOP", name, count)
        return self.execute_command("LPOP", name)

    def rpop(self, name: KeyT, count: int | None = None) -> ResponseT:
        """Pop one value (or a list of ``count`` values) from the tail."""
        if count is not None:
            return self.execute_command("RPOP", name, count)
        return self.execute_command("RPOP", name)

    def lpush(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Push ``values`` onto the head; returns the new length."""
        return self.execute_command("LPUSH", name, *values)

    def rpush(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Push ``values`` onto the tail; returns the new length."""
        return self.execute_command("RPUSH", name, *values)

    def lpushx(self, name: KeyT, *values: FieldT) -> ResponseT:
        """LPUSH only if the list exists; returns the length (0 if missing)."""
        return self.execute_command("LPUSHX", name, *values)

    def rpushx(self, name: KeyT, *values: FieldT) -> ResponseT:
        """RPUSH only if the list exists; returns the length (0 if missing)."""
        return self.execute_command("RPUSHX", name, *values)

    def lrange(self, name: KeyT, start: int, end: int) -> ResponseT:
        """The values between ``start`` and ``end`` (inclusive, negatives from the end)."""
        return self.execute_command("LRANGE", name, start, end, keys=[name])

    def lrem(self, name: KeyT, count: int, value: FieldT) -> ResponseT:
        """Remove ``count`` occurrences of ``value`` (0 = all); returns how many."""
        return self.execute_command("LREM", name, count, value)

    def lset(self, name: KeyT, index: int, value: FieldT) -> ResponseT:
        """Set the value at ``index``; returns True."""
        return self.execute_command("LSET", name, index, value)

    def ltrim(self, name: KeyT, start: int, end: int) -> ResponseT:
        """Keep only the values between ``start`` and ``end``; returns True."""
        return self.execute_command("LTRIM", name, start, end)

    def rpoplpush(self, src: KeyT, dst: KeyT) -> ResponseT:
        """Pop from the tail of ``src``, push onto the head of ``dst``."""
        return self.execute_command("RPOPLPUSH", src, dst)

    def lmove(
        self,
        first_list: KeyT,
        second_list: KeyT,
        src: str = "LEFT",
        dest: str = "RIGHT",
    ) -> ResponseT:
        """Move a value between lists; returns it (None if ``first_list`` is empty)."""
        return self.execute_command("LMOVE", first_list, second_list, src, dest)

    def lmovem(
        self,
        first_list: KeyT,
        second_list: KeyT,
        src: str = "LEFT",
        dest: str = "RIGHT",
        count: int | None = None,
        mode: str | None = None,
        ordering: str | None = None,
    ) -> ResponseT:
        """Move several elements between lists atomically (Redis 8.8+).

        Without ``count`` one element moves. With it, ``mode`` ``"COUNT"``
        (default: up to count) or ``"EXACTLY"`` (count or none), and
        ``ordering`` (required) ``"OBO"`` (pushed one by one, so reversed) or
        ``"BULK"`` (order kept).

        :returns: the moved elements in destination order, or None.
        :raises DataError: mode/ordering without count, or count without ordering.
        """
        pieces = _movem_count(count, mode, ordering)
        return self.execute_command(
            "LMOVEM",
            first_list,
            second_list,
            src,
            dest,
            *pieces,
            keys=[first_list, second_list],
        )

    def lpos(
        self,
        name: KeyT,
        value: FieldT,
        rank: int | None = None,
        count: int | None = None,
        maxlen: int | None = None,
    ) -> ResponseT:
        """Index of ``value`` (a list of indexes with ``count``), or None."""
        pieces: list[Any] = [name, value]
        if rank is not None:
            pieces += ["RANK", rank]
        if count is not None:
            pieces += ["COUNT", count]
        if maxlen is not None:
            pieces += ["MAXLEN", maxlen]
        return self.execute_command("LPOS", *pieces, keys=[name])
