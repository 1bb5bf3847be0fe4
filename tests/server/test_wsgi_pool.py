"""The WSGI thread pool: results, exceptions, cancellation, restart after shutdown."""

from __future__ import annotations

import asyncio
import threading

import pytest

from aio.server._wsgi_pool import ThreadPool


async def test_results_and_exceptions_reach_the_awaiting_task() -> None:
    pool = ThreadPool(3)
    try:
        names = await asyncio.gather(
            *(pool.run(lambda: threading.current_thread().name) for _ in range(20))
        )
        assert all(name.startswith("aio-wsgi-") for name in names)
        assert threading.main_thread().name not in names

        def fail() -> None:
            raise ValueError("from the thread")

        with pytest.raises(ValueError, match="from the thread"):
            await pool.run(fail)

        def exit_() -> None:
            raise SystemExit(3)

        with pytest.raises(RuntimeError, match="SystemExit"):
            await pool.run(exit_)
        assert await pool.run(lambda x, y: x + y, 2, 3) == 5  # threads survived
    finally:
        pool.shutdown()


async def test_cancelled_waiter_does_not_break_the_pool() -> None:
    pool = ThreadPool(1)
    gate = threading.Event()
    try:
        future = pool.run(gate.wait, 5)
        future.cancel()
        gate.set()
        assert await pool.run(lambda: "next") == "next"
    finally:
        pool.shutdown()


async def test_pool_restarts_after_shutdown() -> None:
    pool = ThreadPool(2)
    assert await pool.run(lambda: 1) == 1
    pool.shutdown()
    assert await pool.run(lambda: 2) == 2
    pool.shutdown()
