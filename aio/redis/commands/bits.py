"""Bit commands: SETBIT/GETBIT, BITCOUNT/BITPOS, BITOP and the BITFIELD builder."""

from __future__ import annotations

from typing import Any

from aio.redis._types import BitfieldOffsetT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.exceptions import DataError

__all__ = ("BitCommands", "BitFieldOperation")


class BitFieldOperation:
    """Builds one BITFIELD command from chained sub-operations.

    ``await r.bitfield("k").set("u8", 0, 255).incrby("u8", 0, 1).execute()``
    returns one result per GET/SET/INCRBY, as redis-py's builder does.
    """

    def __init__(
        self, client: CommandsBase, key: KeyT, default_overflow: str | None = None
    ) -> None:
        self.client = client
        self.key = key
        self._default_overflow = default_overflow
        self.operations: list[tuple[Any, ...]] = []
        self._last_overflow = "WRAP"
        self.reset()

    def reset(self) -> None:
        """Forget the queued operations (the default OVERFLOW is kept)."""
        self.operations = []
        self._last_overflow = "WRAP"
        self.overflow(self._default_overflow or self._last_overflow)

    def overflow(self, overflow: str) -> BitFieldOperation:
        """Set the overflow policy (WRAP, SAT or FAIL) for following operations."""
        overflow = overflow.upper()
        if overflow != self._last_overflow:
            self._last_overflow = overflow
            self.operations.append(("OVERFLOW", overflow))
        return self

    def incrby(
        self,
        fmt: str,
        offset: BitfieldOffsetT,
        increment: int,
        overflow: str | None = None,
    ) -> BitFieldOperation:
        """Add ``increment`` to the field of type ``fmt`` at ``offset``."""
        if overflow is not None:
            self.overflow(overflow)
        self.operations.append(("INCRBY", fmt, offset, increment))
        return self

    def get(self, fmt: str, offset: BitfieldOffsetT) -> BitFieldOperation:
        """Read the field of type ``fmt`` (``u8``, ``i5``...) at ``offset``."""
        self.operations.append(("GET", fmt, offset))
        return self

    def set(self, fmt: str, offset: BitfieldOffsetT, value: int) -> BitFieldOperation:
        """Write ``value`` into the field of type ``fmt`` at ``offset``."""
        self.operations.append(("SET", fmt, offset, value))
        return self

    @property
    def command(self) -> list[Any]:
        """The BITFIELD command built so far, as an argument list."""
        cmd: list[Any] = ["BITFIELD", self.key]
        for op in self.operations:
            cmd.extend(op)
        return cmd

    def execute(self) -> ResponseT:
        """Send the command; returns a list with one result per operation."""
        command = self.command
        self.reset()
        return self.client.execute_command(*command)


class BitCommands(CommandsBase):
    """Bit commands, with redis-py's method names and return values."""

    def setbit(self, name: KeyT, offset: int, value: int) -> ResponseT:
        """Set the bit at ``offset`` to ``value``; returns the previous bit."""
        return self.execute_command("SETBIT", name, offset, 1 if value else 0)

    def getbit(self, name: KeyT, offset: int) -> ResponseT:
        """Return the bit at ``offset``."""
        return self.execute_command("GETBIT", name, offset, keys=[name])

    def bitcount(
        self,
        key: KeyT,
        start: int | None = None,
        end: int | None = None,
        mode: str | None = None,
    ) -> ResponseT:
        """Count the set bits, optionally in a byte (or ``mode="BIT"``) range.

        :raises DataError: when only one of ``start`` and ``end`` is given.
        """
        params: list[Any] = [key]
        if start is not None and end is not None:
            params += [start, end]
        elif (start is not None) != (end is not None):
            raise DataError("bitcount: both start and end must be specified")
        if mode is not None:
            params.append(mode)
        return self.execute_command("BITCOUNT", *params, keys=[key])

    def bitpos(
        self,
        key: KeyT,
        bit: int,
        start: int | None = None,
        end: int | None = None,
        mode: str | None = None,
    ) -> ResponseT:
        """Return the position of the first ``bit`` (0 or 1) in the range.

        :raises DataError: when ``bit`` is not 0/1, or ``end`` without ``start``.
        """
        if bit not in (0, 1):
            raise DataError("bitpos: bit must be 0 or 1")
        params: list[Any] = [key, bit]
        if start is not None:
            params.append(start)
        if start is not None and end is not None:
            params.append(end)
        elif start is None and end is not None:
            raise DataError("bitpos: start is required when end is given")
        if mode is not None:
            params.append(mode)
        return self.execute_command("BITPOS", *params, keys=[key])

    def bitop(self, operation: str, dest: KeyT, *keys: KeyT) -> ResponseT:
        """AND/OR/XOR/NOT ``keys`` into ``dest``; returns its length."""
        return self.execute_command("BITOP", operation, dest, *keys)

    def bitfield(
        self, key: KeyT, default_overflow: str | None = None
    ) -> BitFieldOperation:
        """Start a BITFIELD builder; finish with ``await ....execute()``."""
        return BitFieldOperation(self, key, default_overflow=default_overflow)

    def bitfield_ro(
        self,
        key: KeyT,
        encoding: str,
        offset: BitfieldOffsetT,
        items: list[tuple[str, BitfieldOffsetT]] | None = None,
    ) -> ResponseT:
        """Read-only BITFIELD: GET ``encoding`` at ``offset`` plus ``items``."""
        params: list[Any] = [key, "GET", encoding, offset]
        for enc, off in items or []:
            params += ["GET", enc, off]
        return self.execute_command("BITFIELD_RO", *params, keys=[key])
