"""Choosing the event loop implementation, and running a program on it.

Theory of operation
-------------------
aio runs on asyncio. uvloop is an optional, faster implementation of the same
``AbstractEventLoop`` interface; it is used only when it is installed *and* asked
for, so that nothing in aio ever requires it:

- ``"asyncio"`` is the default;
- ``"uvloop"`` must be asked for explicitly (``run(..., uvloop=True)``,
  ``--loop uvloop`` on the server, or ``AIO_LOOP=uvloop``); if uvloop is not
  installed that is an error, not a silent fallback, because the caller asked
  for something specific;
- ``"auto"`` picks uvloop when it is importable and asyncio otherwise.

Loop choice is expressed as a *factory* (a zero-argument callable returning a new
loop) because that is what :class:`asyncio.Runner` and the servers need: a
supervisor can resolve the name once and build one loop per worker.

:func:`run` is a thin layer over :class:`asyncio.Runner`, which already implements
the careful shutdown sequence (cancel leftover tasks, finalise async generators,
stop the default executor, close the loop).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar, TypeVarTuple

from aio.engine._errors import LoopUnavailableError

__all__ = (
    "LoopName",
    "loop_factory",
    "new_event_loop",
    "resolve_loop_name",
    "run",
    "uvloop_available",
)

T = TypeVar("T")
Ts = TypeVarTuple("Ts")

#: The names accepted wherever a loop can be chosen (``--loop``, ``AIO_LOOP``).
LoopName = Literal["auto", "asyncio", "uvloop"]

#: Environment variable consulted when no loop is named explicitly.
ENV_VAR = "AIO_LOOP"


def uvloop_available() -> bool:
    """Whether uvloop can be imported in this interpreter.

    :returns: ``True`` if the ``uvloop`` package is installed.
    """
    # find_spec does not import the package: cheap, and no side effects.
    return importlib.util.find_spec("uvloop") is not None


def resolve_loop_name(name: str | None = None) -> Literal["asyncio", "uvloop"]:
    """Turn a requested loop name into the implementation that will be used.

    :param name: ``"auto"``, ``"asyncio"`` or ``"uvloop"`` (case-insensitive);
        ``None`` means "whatever ``AIO_LOOP`` says", defaulting to asyncio.
    :raises LoopUnavailableError: the name is unknown, or uvloop was asked for
        and is not installed.
    :returns: ``"asyncio"`` or ``"uvloop"``.
    """
    if name is None:
        name = os.environ.get(ENV_VAR) or "asyncio"
    choice = name.strip().lower()
    if choice == "asyncio":
        return "asyncio"
    if choice == "auto":
        return "uvloop" if uvloop_available() else "asyncio"
    if choice == "uvloop":
        if not uvloop_available():
            raise LoopUnavailableError(
                "uvloop was requested but is not installed; "
                "install it with `pip install aio-stack[speed]` or choose --loop asyncio"
            )
        return "uvloop"
    raise LoopUnavailableError(
        f"unknown event loop {name!r}: expected one of auto, asyncio, uvloop"
    )


def loop_factory(name: str | None = None) -> Callable[[], asyncio.AbstractEventLoop]:
    """Return a callable that creates a new event loop of the chosen kind.

    :param name: as for :func:`resolve_loop_name`.
    :raises LoopUnavailableError: see :func:`resolve_loop_name`.
    :returns: a zero-argument factory, suitable for ``asyncio.Runner(loop_factory=...)``.
    """
    if resolve_loop_name(name) == "uvloop":
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
        return factory
    return asyncio.new_event_loop


def new_event_loop(name: str | None = None) -> asyncio.AbstractEventLoop:
    """Create a new, not yet running event loop of the chosen kind.

    :param name: as for :func:`resolve_loop_name`.
    :raises LoopUnavailableError: see :func:`resolve_loop_name`.
    """
    return loop_factory(name)()


def run(
    main: Callable[[*Ts], Coroutine[Any, Any, T]],
    *args: *Ts,
    uvloop: bool | None = None,
    debug: bool | None = None,
) -> T:
    """Run ``main(*args)`` on a new event loop and return its result.

    The loop is created for this call and closed when it returns; tasks still
    pending at that point are cancelled and awaited first.

    :param main: a coroutine function.
    :param args: positional arguments for ``main``.
    :param uvloop: ``True`` to use uvloop (an error if it is not installed),
        ``False`` for plain asyncio, ``None`` to follow ``AIO_LOOP`` (default asyncio).
    :param debug: asyncio debug mode; ``None`` leaves the default.
    :raises LoopUnavailableError: uvloop was asked for and is not installed.
    :raises RuntimeError: called while an event loop is already running in this thread.
    :returns: what ``main`` returned.

    .. versionadded:: 0.1
    """
    name = None if uvloop is None else ("uvloop" if uvloop else "asyncio")
    with asyncio.Runner(loop_factory=loop_factory(name), debug=debug) as runner:
        return runner.run(main(*args))
