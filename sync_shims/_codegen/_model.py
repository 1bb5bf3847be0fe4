"""The vocabulary of the facade spec: which aio classes and functions get twins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ("Facade", "Function", "Twin")


@dataclass(frozen=True)
class Twin:
    """A blocking twin of one aio class.

    :param source: ``"package.module:ClassName"`` of the async class.
    :param members: the async API to expose, by its async name: coroutine methods,
        async generator methods, methods returning async context managers or async
        iterators, properties, plain methods, and the protocol names ``aclose``,
        ``__aenter__`` (gives ``__enter__``/``__exit__``) and ``__aiter__`` (gives
        ``__iter__``).
    :param name: the twin's class name; defaults to the async class's name.
    :param wrap: member -> name of another twin: the member's result (or each item
        it yields, or the value its context manager gives) is wrapped in that twin.
    :param batch: iterator member -> how many items one round trip to the loop
        fetches (default 1: right for live streams; raise it for result sets).
    :param doc: the twin's class docstring; defaults to "Blocking twin of ..."
        followed by the async class's docstring.
    :param members_of: ``"package.module:Class"`` sources whose every public
        method (their bases' too) is exposed as well, after ``members``: for APIs
        of hundreds of methods such as the Redis command mixins.
    :param exclude: names never exposed from ``members_of``.
    :param dispatch: name of a twin method through which *command* members are
        called: plain methods annotated to return an awaitable or something else
        (``Awaitable[Any] | Any``: awaitable on a client, the object itself on a
        pipeline). The generator writes a default that runs the awaitable on the
        loop (``self.<dispatch>(self._async.m, *args)`` -> the reply); a
        hand-written subclass may override it.
    """

    source: str
    members: tuple[str, ...]
    name: str | None = None
    wrap: Mapping[str, str] = field(default_factory=dict)
    batch: Mapping[str, int] = field(default_factory=dict)
    doc: str | None = None
    members_of: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    dispatch: str | None = None

    @property
    def twin_name(self) -> str:
        """The name the twin is defined under: :attr:`name` or the source's."""
        return self.name or self.source.partition(":")[2]


@dataclass(frozen=True)
class Function:
    """A blocking twin of one module-level aio function (``connect``, ``from_url``).

    :param source: ``"package.module:function_name"``.
    :param name: the twin's name; defaults to the function's name.
    :param wrap: name of a twin to wrap the result in.
    :param batch: items per round trip if the function returns an async iterator.
    """

    source: str
    name: str | None = None
    wrap: str | None = None
    batch: int = 1

    @property
    def twin_name(self) -> str:
        """The name the twin is defined under: :attr:`name` or the source's."""
        return self.name or self.source.partition(":")[2]


@dataclass(frozen=True)
class Facade:
    """One generated module, ``sync_shims/_generated_<name>.py``.

    :param name: the module suffix (``"redis"`` -> ``_generated_redis.py``).
    :param twins: the classes it defines, in this order.
    :param functions: the module-level functions it defines, after the classes.
    :param doc: the module docstring's first line.
    """

    name: str
    twins: tuple[Twin, ...] = ()
    functions: tuple[Function, ...] = ()
    doc: str = ""

    @property
    def module(self) -> str:
        """The generated module's name inside ``sync_shims``."""
        return f"_generated_{self.name}"
