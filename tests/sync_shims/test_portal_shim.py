"""``sync_shims._portal``: the facades' one seam to the engine."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from aio import engine
from sync_shims import _portal


def test_exports_exist() -> None:
    for name in _portal.__all__:
        assert hasattr(_portal, name), name


def test_helpers_use_the_engine_portal() -> None:
    assert _portal.portal() is engine.portal()

    async def double(x: int) -> int:
        await asyncio.sleep(0)
        return 2 * x

    @asynccontextmanager
    async def opened() -> AsyncIterator[str]:
        yield "open"

    async def count() -> AsyncIterator[int]:
        for i in range(5):
            yield i

    assert _portal.call(double, 21) == 42
    assert _portal.run_sync(lambda: asyncio.get_running_loop().is_running())
    with _portal.enter_async_context(opened()) as value:
        assert value == "open"
    assert list(_portal.iterate(count(), batch=2)) == [0, 1, 2, 3, 4]


def test_loop_thread_guard_through_the_shim() -> None:
    async def noop() -> None:
        return None

    async def nested() -> None:
        _portal.call(noop)

    with pytest.raises(_portal.EngineThreadError, match="await"):
        _portal.call(nested)
