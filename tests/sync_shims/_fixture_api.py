"""A small async API that the facade generator's tests turn into blocking twins.

It has one of everything the generator handles: coroutine methods (positional-only,
keyword-only, ``*args``, ``**kwargs``, defaults, a sentinel default), a method that
raises, an async context manager, async iterators (``__aiter__`` and an async
generator method), an ``@asynccontextmanager`` method, properties, a plain method
returning ``Self``, results wrapped in another twin, ``aclose``, a module-level
coroutine function, and an annotation imported only under ``TYPE_CHECKING``.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable
from contextlib import asynccontextmanager
from types import TracebackType
from typing import TYPE_CHECKING, Generic, Literal, Self, TypeVar

if TYPE_CHECKING:
    from decimal import Decimal


T = TypeVar("T")


class FixtureError(Exception):
    """Raised by :meth:`Store.fail`."""


class _Missing:
    pass


MISSING = _Missing()


class Item:
    """One stored entry."""

    def __init__(self, key: str, value: int) -> None:
        self._key = key
        self.value = value

    @property
    def key(self) -> str:
        """The entry's key."""
        return self._key

    async def describe(self) -> str:
        """A human-readable description."""
        await asyncio.sleep(0)
        return f"{self._key}={self.value}"


class Store:
    """An in-memory async key-value store."""

    def __init__(self, name: str = "memory") -> None:
        self.name = name
        self.data: dict[str, int] = {}
        self.log: list[str] = []
        self._closed = False

    async def __aenter__(self) -> Self:
        self.log.append(f"enter in {asyncio.current_task()!r}")
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.log.append(f"exit {exc_type.__name__ if exc_type else None}")
        await self.aclose()

    @property
    def closed(self) -> bool:
        """Whether :meth:`aclose` was called."""
        return self._closed

    async def get(self, key: str, /, default: int | None = None) -> int | None:
        """Return the value stored under ``key``, or ``default``.

        :param key: the key.
        :param default: returned when ``key`` is absent.
        """
        await asyncio.sleep(0)
        return self.data.get(key, default)

    async def set(self, key: str, value: int, *, replace: bool = True) -> None:
        """Store ``value`` under ``key`` (keeping an existing one unless ``replace``)."""
        await asyncio.sleep(0)
        if replace or key not in self.data:
            self.data[key] = value

    async def values(self, *keys: str) -> list[int]:
        """The values of ``keys``, skipping absent ones."""
        return [self.data[k] for k in keys if k in self.data]

    async def item(self, key: str) -> Item | None:
        """The entry under ``key`` as an :class:`Item`, or ``None``."""
        if key not in self.data:
            return None
        return Item(key, self.data[key])

    async def fail(self, message: str) -> None:
        """Always raise :class:`FixtureError` with ``message``."""
        await asyncio.sleep(0)
        raise FixtureError(message)

    async def describe(self, marker: object = MISSING) -> str:
        """Whether ``marker`` was given (a sentinel default)."""
        return "default" if marker is MISSING else "given"

    def execute(self, command: str, *args: str) -> Awaitable[str]:
        """A plain method returning an awaitable (redis-py's execute_command style)."""
        return self._execute(command, *args)

    async def _execute(self, command: str, *args: str) -> str:
        await asyncio.sleep(0)
        return " ".join((command, *args))

    def update(self, **items: int) -> Self:
        """Store all ``items`` at once (synchronously); returns the store."""
        self.data.update(items)
        return self

    def mode(
        self, kind: Literal["fast", "safe"] = "safe", total: Decimal | None = None
    ) -> str:
        """A plain method with a Literal and a TYPE_CHECKING-only annotation."""
        return f"{kind}:{total}"

    async def keys(self, prefix: str = "") -> AsyncIterator[str]:
        """Yield the keys starting with ``prefix``, in sorted order."""
        for key in sorted(self.data):
            if key.startswith(prefix):
                self.log.append(f"yield {key}")
                yield key

    async def items(self) -> AsyncIterator[Item]:
        """Yield every entry as an :class:`Item`."""
        for key in sorted(self.data):
            yield Item(key, self.data[key])

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[dict[str, int]]:
        """Change a copy of the data; it replaces the data if the block succeeds."""
        draft = dict(self.data)
        yield draft
        self.data = draft

    def __aiter__(self) -> AsyncIterator[tuple[str, int]]:
        return self._pairs()

    async def _pairs(self) -> AsyncIterator[tuple[str, int]]:
        for key in sorted(self.data):
            yield key, self.data[key]

    async def aclose(self) -> None:
        """Close the store."""
        self._closed = True


async def open_store(
    name: str = "memory", *, preload: dict[str, int] | None = None
) -> Store:
    """Create a store named ``name`` holding ``preload``."""
    store = Store(name)
    store.data.update(preload or {})
    return store


class Box(Generic[T]):
    """A generic holder (the twin is generic too)."""

    def __init__(self, value: T) -> None:
        self.value = value

    async def get(self) -> T:
        """The held value."""
        return self.value

    async def swap(self, value: T) -> T:
        """Hold ``value``; return the previous one."""
        previous, self.value = self.value, value
        return previous


class SpecialStore(Store):
    """A subclass: inherited members are generated from the base's module."""

    async def special(self) -> str:
        """Only here."""
        return "special"
