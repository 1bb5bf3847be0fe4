"""Choosing the event loop for ``--loop auto|asyncio|uvloop`` (via :mod:`aio.engine`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from aio.engine import loop_factory as engine_loop_factory


def loop_factory(name: str) -> Callable[[], asyncio.AbstractEventLoop]:
    """A callable creating a new event loop of the kind ``name`` names.

    uvicorn's ``none`` (leave the loop alone) means plain asyncio here.

    :raises aio.engine.LoopUnavailableError: for an unknown name, or ``uvloop``
        when it is not installed.
    """
    return engine_loop_factory("asyncio" if name == "none" else name)
