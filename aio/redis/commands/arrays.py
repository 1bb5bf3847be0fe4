"""Array commands (the Redis 8.8 array type): AR* and their option enums.

A Redis array maps unsigned integer indexes to string values and may be sparse;
it keeps an insert cursor (ARINSERT, ARRING, ARNEXT, ARSEEK). The replies are
the same on RESP2 and RESP3 except ARINFO's (a map in RESP3), which is turned
into a dict with str keys on both, as redis-py's RESP2 callback does.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from aio.redis._types import EncodableT, FieldT, KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._util import option_word
from aio.redis.exceptions import DataError

__all__ = (
    "ArrayAggregateOperations",
    "ArrayCommands",
    "ArrayPredicateCombinator",
    "ArrayPredicateType",
)


class ArrayPredicateType(enum.Enum):
    """How an ARGREP predicate compares: exact value, substring, glob, regex."""

    EXACT = "EXACT"
    MATCH = "MATCH"
    GLOB = "GLOB"
    RE = "RE"


class ArrayPredicateCombinator(enum.Enum):
    """How ARGREP combines several predicates (the server's default is OR)."""

    AND = "AND"
    OR = "OR"


class ArrayAggregateOperations(enum.Enum):
    """AROP's aggregate over a range."""

    SUM = "SUM"
    MIN = "MIN"
    MAX = "MAX"
    AND = "AND"
    OR = "OR"
    XOR = "XOR"
    MATCH = "MATCH"
    USED = "USED"


_PREDICATES = tuple(member.value for member in ArrayPredicateType)
_COMBINATORS = tuple(member.value for member in ArrayPredicateCombinator)
_OPERATIONS = tuple(member.value for member in ArrayAggregateOperations)


class ArrayCommands(CommandsBase):
    """Array commands (Redis 8.8+), with redis-py's method names and replies."""

    def arset(self, name: KeyT, index: int, *values: FieldT) -> ResponseT:
        """Set ``values`` at consecutive indexes from ``index``; returns how
        many slots were empty before."""
        return self.execute_command("ARSET", name, index, *values, keys=[name])

    def armset(self, name: KeyT, mapping: Mapping[int, FieldT]) -> ResponseT:
        """Set ``{index: value}`` pairs; returns how many slots were empty."""
        pieces: list[Any] = []
        for pair in mapping.items():
            pieces.extend(pair)
        return self.execute_command("ARMSET", name, *pieces, keys=[name])

    def arget(self, name: KeyT, index: int) -> ResponseT:
        """The value at ``index``, or None."""
        return self.execute_command("ARGET", name, index, keys=[name])

    def armget(self, name: KeyT, *indices: int) -> ResponseT:
        """The values at ``indices`` in that order (None where unset)."""
        return self.execute_command("ARMGET", name, *indices, keys=[name])

    def argetrange(self, name: KeyT, start: int, end: int) -> ResponseT:
        """The values from ``start`` to ``end`` inclusive (None for holes),
        in reverse order when start > end."""
        return self.execute_command("ARGETRANGE", name, start, end, keys=[name])

    def arscan(
        self, name: KeyT, start: int, end: int, limit: int | None = None
    ) -> ResponseT:
        """``[[index, value], ...]`` of the set slots from ``start`` to ``end``
        (holes skipped), at most ``limit`` of them."""
        pieces: list[Any] = [name, start, end]
        if limit is not None:
            pieces += ["LIMIT", limit]
        return self.execute_command("ARSCAN", *pieces, keys=[name])

    def argrep(
        self,
        name: KeyT,
        start: int,
        end: int,
        predicates: list[tuple[ArrayPredicateType, EncodableT]],
        combinator: ArrayPredicateCombinator | None = None,
        limit: int | None = None,
        withvalues: bool = False,
        nocase: bool = False,
    ) -> ResponseT:
        """Search the values from ``start`` to ``end`` with ``(type, value)``
        predicates (:class:`ArrayPredicateType`), combined by ``combinator``.

        :returns: the matching indexes, or ``[[index, value], ...]`` with
            ``withvalues``.
        :raises DataError: without predicates, or for an unknown predicate type
            or combinator.
        """
        if not predicates:
            raise DataError("ARGREP: at least one predicate is required")
        pieces: list[Any] = [name, start, end]
        for kind, value in predicates:
            pieces += [option_word(kind, "ARGREP predicate type", _PREDICATES), value]
        if combinator is not None:
            pieces.append(option_word(combinator, "ARGREP combinator", _COMBINATORS))
        if limit is not None:
            pieces += ["LIMIT", limit]
        if withvalues:
            pieces.append("WITHVALUES")
        if nocase:
            pieces.append("NOCASE")
        return self.execute_command("ARGREP", *pieces, keys=[name])

    def arop(
        self,
        name: KeyT,
        start: int,
        end: int,
        operation: ArrayAggregateOperations,
        value: EncodableT | None = None,
    ) -> ResponseT:
        """Aggregate the values from ``start`` to ``end``
        (:class:`ArrayAggregateOperations`; ``value`` is MATCH's operand).

        :returns: text for SUM/MIN/MAX, an integer for AND/OR/XOR/MATCH/USED,
            None when nothing matched.
        """
        pieces: list[Any] = [
            name,
            start,
            end,
            option_word(operation, "AROP operation", _OPERATIONS),
        ]
        if value is not None:
            pieces.append(value)
        return self.execute_command("AROP", *pieces, keys=[name])

    def ardel(self, name: KeyT, *indices: int) -> ResponseT:
        """Delete the values at ``indices``; returns how many were set."""
        return self.execute_command("ARDEL", name, *indices, keys=[name])

    def ardelrange(self, name: KeyT, *ranges: tuple[int, int]) -> ResponseT:
        """Delete the values in inclusive ``(start, end)`` ranges; returns how
        many were set."""
        pieces: list[Any] = [name]
        for start, end in ranges:
            pieces += [start, end]
        return self.execute_command("ARDELRANGE", *pieces, keys=[name])

    def arinsert(self, name: KeyT, *values: FieldT) -> ResponseT:
        """Store ``values`` from the insert cursor on; returns the last index."""
        return self.execute_command("ARINSERT", name, *values, keys=[name])

    def arring(self, name: KeyT, size: int, *values: FieldT) -> ResponseT:
        """Insert into a ring of ``size`` slots (oldest overwritten); returns
        the last index written."""
        return self.execute_command("ARRING", name, size, *values, keys=[name])

    def arlastitems(self, name: KeyT, count: int, rev: bool = False) -> ResponseT:
        """The ``count`` most recently inserted values, oldest first (newest
        first with ``rev``)."""
        pieces: list[Any] = [name, count]
        if rev:
            pieces.append("REV")
        return self.execute_command("ARLASTITEMS", *pieces, keys=[name])

    def arnext(self, name: KeyT) -> ResponseT:
        """The index ARINSERT would use next (None once the cursor is spent)."""
        return self.execute_command("ARNEXT", name, keys=[name])

    def arseek(self, name: KeyT, index: int) -> ResponseT:
        """Move the insert cursor to ``index``; returns 1, or 0 if no key."""
        return self.execute_command("ARSEEK", name, index, keys=[name])

    def arlen(self, name: KeyT) -> ResponseT:
        """The highest set index plus one (0 if no key)."""
        return self.execute_command("ARLEN", name, keys=[name])

    def arcount(self, name: KeyT) -> ResponseT:
        """The number of set slots (0 if no key)."""
        return self.execute_command("ARCOUNT", name, keys=[name])

    def arinfo(self, name: KeyT, full: bool = False) -> ResponseT:
        """The array's metadata as a dict with str keys (``full``: per-slice
        statistics too, O(N)).

        :raises ResponseError: when the key does not exist.
        """
        pieces: list[Any] = [name]
        if full:
            pieces.append("FULL")
        return self.execute_command("ARINFO", *pieces, keys=[name])
