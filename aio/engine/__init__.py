"""The one event-loop engine (placeholder until the engine lands)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

__all__ = ("run",)


def run(main: Callable[[], Awaitable[T]]) -> T:
    """Run ``main()`` to completion on a new asyncio loop and return its result."""

    async def _wrapper() -> T:
        return await main()

    return asyncio.run(_wrapper())
