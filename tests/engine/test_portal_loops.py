"""The portal's core behaviour on each loop implementation (asyncio, uvloop)."""

from __future__ import annotations

import asyncio
import threading
import traceback
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest

from aio import engine
from aio.engine import Portal
from aio.engine._background import BackgroundLoop

LOOPS = [
    "asyncio",
    pytest.param(
        "uvloop",
        marks=pytest.mark.skipif(
            not engine.uvloop_available(), reason="uvloop not installed"
        ),
    ),
]


@pytest.fixture(params=LOOPS)
def on_loop(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Portal]:
    monkeypatch.setenv("AIO_LOOP", request.param)
    background = BackgroundLoop()
    portal = Portal(background)

    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert portal.call(loop_module).startswith(request.param)
    yield portal
    background.stop()


async def square(x: int) -> int:
    await asyncio.sleep(0)
    return x * x


async def broken() -> None:
    await asyncio.sleep(0)
    raise ArithmeticError("broken on the loop")


def test_call_and_errors(on_loop: Portal) -> None:
    assert on_loop.call(square, 12) == 144
    with pytest.raises(ArithmeticError) as info:
        on_loop.call(broken)
    assert traceback.extract_tb(info.value.__traceback__)[-1].name == "broken"


def test_threads(on_loop: Portal) -> None:
    results: list[list[int]] = []

    def worker() -> None:
        results.append([on_loop.call(square, i) for i in range(100)])

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[i * i for i in range(100)]] * 8


def test_context_and_iterator(on_loop: Portal) -> None:
    events: list[str] = []

    @asynccontextmanager
    async def resource() -> AsyncIterator[int]:
        events.append("enter")
        try:
            yield 7
        finally:
            events.append("exit")

    async def count() -> AsyncIterator[int]:
        for i in range(7):
            yield i

    with on_loop.enter_async_context(resource()) as value:
        assert value == 7
    assert events == ["enter", "exit"]
    assert list(on_loop.iterate(count(), batch=3)) == list(range(7))


def test_loop_thread_guard(on_loop: Portal) -> None:
    async def nested() -> int:
        return on_loop.call(square, 2)

    with pytest.raises(engine.EngineThreadError):
        on_loop.call(nested)
