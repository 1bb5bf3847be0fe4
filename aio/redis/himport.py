"""The client side of Redis 8.9's ``HIMPORT``: the registry of fieldsets.

``HIMPORT PREPARE name field...`` declares a *fieldset* (an ordered list of
hash field names) on one server session; ``HIMPORT SET key name value...`` then
writes a hash sending only the values. A fieldset lives on one connection, so
the client keeps the fieldsets the application declared in a
:class:`HImportRegistry` (one per pool, shared by its connections through
``connection_kwargs["himport_registry"]``), and each connection prepares a
fieldset lazily, in the same write as the first ``HIMPORT SET`` that uses it.

Versions make re-declaration safe: every change advances the registry's
:attr:`~HImportRegistry.revision`; a prepared fieldset is stamped with the
revision of its declaration, and a connection that prepared an older stamp
prepares again. A connection that sees the revision moved sends ``HIMPORT
DISCARD`` for the fieldsets it prepared that are no longer declared.

This module is redis-py 8.1's ``redis.himport`` (same names and behaviour);
pure state, no I/O.

.. versionadded:: 0.1
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from aio.redis.exceptions import DataError

__all__ = (
    "HIMPORT_DISCARD",
    "HIMPORT_DISCARDALL",
    "HIMPORT_PREPARE",
    "HIMPORT_SET",
    "HImportFieldset",
    "HImportRegistry",
    "is_himport_set_command",
    "parse_himport_set_args",
)

#: The command names given to ``execute_command`` (the packer splits them).
HIMPORT_PREPARE = "HIMPORT PREPARE"
HIMPORT_SET = "HIMPORT SET"
HIMPORT_DISCARD = "HIMPORT DISCARD"
HIMPORT_DISCARDALL = "HIMPORT DISCARDALL"


def prepare_command(name: str, fields: Iterable[Any]) -> tuple[Any, ...]:
    """The words of ``HIMPORT PREPARE name field...``."""
    return ("HIMPORT", "PREPARE", name, *fields)


def set_command(key: Any, name: str, values: Iterable[Any]) -> tuple[Any, ...]:
    """The words of ``HIMPORT SET key name value...``."""
    return ("HIMPORT", "SET", key, name, *values)


def discard_command(name: str) -> tuple[Any, ...]:
    """The words of ``HIMPORT DISCARD name``."""
    return ("HIMPORT", "DISCARD", name)


def _word_is(value: Any, word: str) -> bool:
    # Command names are case-insensitive, str or bytes; the length test keeps
    # other commands (the common case) to one comparison.
    if isinstance(value, str):
        return len(value) == len(word) and value.upper() == word
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        return len(raw) == len(word) and raw.upper() == word.encode()
    return False


def is_himport_set_command(name: Any) -> bool:
    """Whether ``name`` (str or bytes, any case) is ``HIMPORT SET``."""
    return _word_is(name, HIMPORT_SET)


def may_be_himport(name: Any) -> bool:
    """A cheap first test of a command's first word: False for every command
    that cannot be ``HIMPORT SET`` in either spelling."""
    return not isinstance(name, str) or len(name) in (7, 11)


def parse_himport_set_args(args: Sequence[Any]) -> tuple[Any, Any, list[Any]] | None:
    """``(key, fieldset_name, values)`` when ``args`` is an ``HIMPORT SET``,
    spelt ``("HIMPORT SET", key, name, ...)`` or ``("HIMPORT", "SET", key,
    name, ...)`` in any case; None for any other command, and for one too
    short to carry a key and a name (the server then answers its arity error).
    """
    if not args:
        return None
    if is_himport_set_command(args[0]):
        return (args[1], args[2], list(args[3:])) if len(args) >= 3 else None
    if len(args) >= 2 and _word_is(args[0], "HIMPORT") and _word_is(args[1], "SET"):
        return (args[2], args[3], list(args[4:])) if len(args) >= 4 else None
    return None


@dataclass(frozen=True)
class HImportFieldset:
    """A declared fieldset.

    :ivar name: what ``HIMPORT SET`` and ``HIMPORT DISCARD`` call it.
    :ivar fields: the field names in the caller's order (the server refuses
        duplicates; nothing is reordered or removed here).
    :ivar version: the registry revision of this declaration; never reused, so
        a connection that prepared another version prepares again.
    """

    name: str
    fields: tuple[Any, ...]
    version: int


class HImportRegistry:
    """The fieldsets a client declared (``himport_prepare``), shared by the
    connections of its pool. Changes go through the client's ``himport_*``
    methods; reads are safe from any thread (a lock guards changes and
    snapshots, as the blocking facade shares a client between threads).
    """

    def __init__(self) -> None:
        self._fieldsets: dict[str, HImportFieldset] = {}
        self._lock = threading.Lock()
        self._revision = 0

    def _bump(self) -> int:
        self._revision += 1
        return self._revision

    def prepare(self, name: str, fields: Iterable[Any]) -> HImportFieldset:
        """Declare (or re-declare, with a new version) the fieldset ``name``.

        :raises DataError: ``fields`` is a single string or bytes, or empty.
        """
        # The iterable is consumed before the lock is taken: a generator that
        # reads this registry must not deadlock.
        if isinstance(fields, str | bytes | bytearray | memoryview):
            raise DataError(
                "HIMPORT fields must be a collection of field names, "
                "not a single string or binary value"
            )
        materialized = tuple(fields)
        if not materialized:
            raise DataError("HIMPORT fieldset must have at least one field")
        with self._lock:
            fieldset = HImportFieldset(name, materialized, self._bump())
            self._fieldsets[name] = fieldset
            return fieldset

    def discard(self, name: str) -> bool:
        """Forget ``name``; False if it was not declared."""
        with self._lock:
            if self._fieldsets.pop(name, None) is None:
                return False
            self._bump()
            return True

    def discard_all(self) -> int:
        """Forget every fieldset; returns how many there were."""
        with self._lock:
            count = len(self._fieldsets)
            if count:
                self._fieldsets.clear()
                self._bump()
            return count

    @property
    def revision(self) -> int:
        """Advanced by every change; a connection compares it with the one it
        last caught up with to know that discards may be owed."""
        return self._revision

    def names_to_discard(self, prepared_names: Iterable[str]) -> list[str]:
        """Those of ``prepared_names`` no longer declared."""
        with self._lock:
            return [name for name in prepared_names if name not in self._fieldsets]

    def get(self, name: str) -> HImportFieldset | None:
        """The fieldset declared as ``name``, or None."""
        return self._fieldsets.get(name)

    def names(self) -> list[str]:
        """The declared names."""
        with self._lock:
            return list(self._fieldsets)

    def items(self) -> list[tuple[str, HImportFieldset]]:
        """A snapshot of ``(name, fieldset)`` pairs."""
        with self._lock:
            return list(self._fieldsets.items())

    def __contains__(self, name: object) -> bool:
        return name in self._fieldsets

    def __len__(self) -> int:
        return len(self._fieldsets)

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __repr__(self) -> str:
        body = ", ".join(f"{n}={list(fs.fields)}" for n, fs in self.items())
        return f"{type(self).__name__}({body})"
