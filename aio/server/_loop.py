"""Choosing the event loop for ``--loop auto|asyncio|uvloop``.

Delegates to :mod:`aio.engine` when it offers ``new_event_loop(name)``; until then
(and as a fallback) it picks the loop itself.
"""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop]:
    """A callable creating a new event loop of the kind ``name`` names.

    :raises ValueError: for an unknown name; :raises ImportError: for ``uvloop``
        when it is not installed.
    """
    engine = importlib.import_module("aio.engine")
    factory = getattr(engine, "loop_factory", None)
    if callable(factory):
        chosen: Callable[[], asyncio.AbstractEventLoop] = factory(name)
        return chosen
    if name == "asyncio" or name == "none":
        return asyncio.new_event_loop
    if name in ("auto", "uvloop"):
        try:
            uvloop = importlib.import_module("uvloop")
        except ImportError:
            if name == "uvloop":
                raise
            return asyncio.new_event_loop
        new_loop: Callable[[], asyncio.AbstractEventLoop] = uvloop.new_event_loop
        return new_loop
    raise ValueError(f"unknown loop {name!r}: use auto, asyncio or uvloop")
