"""aio.run, loop choice, and thread offload."""

from __future__ import annotations

import asyncio
import threading

import pytest

import aio
from aio import engine
from aio.engine import _loop
from aio.errors import AioError


async def _loop_module(value: int) -> tuple[str, int]:
    loop = asyncio.get_running_loop()
    return type(loop).__module__, value * 2


def test_run_returns_result_and_passes_args() -> None:
    module, doubled = aio.run(_loop_module, 21)
    assert doubled == 42
    assert module.startswith("asyncio")


def test_run_propagates_exceptions() -> None:
    async def fail() -> None:
        raise KeyError("nope")

    with pytest.raises(KeyError, match="nope"):
        aio.run(fail)


def test_run_cancels_leftover_tasks() -> None:
    cancelled = []

    async def lingering() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.append(True)
            raise

    async def main() -> None:
        asyncio.get_running_loop().create_task(lingering())
        await asyncio.sleep(0)

    aio.run(main)
    assert cancelled == [True]


@pytest.mark.skipif(not engine.uvloop_available(), reason="uvloop not installed")
def test_run_with_uvloop() -> None:
    module, _ = aio.run(_loop_module, 1, uvloop=True)
    assert module.startswith("uvloop")


def test_run_uvloop_false_overrides_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIO_LOOP", "uvloop")
    module, _ = aio.run(_loop_module, 1, uvloop=False)
    assert module.startswith("asyncio")


@pytest.mark.skipif(not engine.uvloop_available(), reason="uvloop not installed")
def test_env_selects_uvloop(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIO_LOOP", "uvloop")
    module, _ = aio.run(_loop_module, 1)
    assert module.startswith("uvloop")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("asyncio", "asyncio"), ("ASYNCIO", "asyncio"), (" asyncio ", "asyncio")],
)
def test_resolve_plain_names(name: str, expected: str) -> None:
    assert engine.resolve_loop_name(name) == expected


def test_resolve_default_is_asyncio(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AIO_LOOP", raising=False)
    assert engine.resolve_loop_name() == "asyncio"
    monkeypatch.setenv("AIO_LOOP", "")
    assert engine.resolve_loop_name() == "asyncio"


def test_auto_follows_availability(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_loop, "uvloop_available", lambda: False)
    assert engine.resolve_loop_name("auto") == "asyncio"
    monkeypatch.setattr(_loop, "uvloop_available", lambda: True)
    assert engine.resolve_loop_name("auto") == "uvloop"


def test_uvloop_requested_but_missing_is_an_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(_loop, "uvloop_available", lambda: False)
    with pytest.raises(engine.LoopUnavailableError, match="not installed"):
        engine.resolve_loop_name("uvloop")
    monkeypatch.setenv("AIO_LOOP", "uvloop")
    with pytest.raises(engine.LoopUnavailableError):
        aio.run(_loop_module, 1)


def test_unknown_loop_name() -> None:
    with pytest.raises(engine.LoopUnavailableError, match="'trio'") as info:
        engine.loop_factory("trio")
    assert isinstance(info.value, AioError)
    assert isinstance(info.value, RuntimeError)


def test_new_event_loop_and_factory() -> None:
    loop = engine.new_event_loop("asyncio")
    try:
        assert isinstance(loop, asyncio.AbstractEventLoop)
        assert not loop.is_running()
    finally:
        loop.close()
    assert engine.loop_factory("asyncio") is asyncio.new_event_loop
    if engine.uvloop_available():
        uv = engine.new_event_loop("uvloop")
        try:
            assert type(uv).__module__.startswith("uvloop")
        finally:
            uv.close()


def test_to_thread_runs_elsewhere_and_is_bounded() -> None:
    async def main() -> tuple[int, int, float]:
        worker = await engine.to_thread(threading.get_ident)
        return worker, threading.get_ident(), engine.thread_limiter().total_tokens

    worker, loop_thread, tokens = aio.run(main)
    assert worker != loop_thread
    assert 0 < tokens < float("inf")


def test_to_thread_with_own_limiter_and_error() -> None:
    running = 0
    peak = 0
    lock = threading.Lock()
    release = threading.Event()
    two_running = threading.Event()

    def work() -> None:
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
            if running == 2:
                two_running.set()
        release.wait()
        with lock:
            running -= 1

    def boom() -> None:
        raise OSError("disk on fire")

    async def main() -> None:
        limiter = engine.CapacityLimiter(2)
        try:
            async with engine.create_task_group() as tg:
                for _ in range(5):
                    tg.start_soon(lambda: engine.to_thread(work, limiter=limiter))
                # Both tokens are in use; the other three must be queued.
                await engine.to_thread(two_running.wait)
                while limiter.statistics().tasks_waiting < 3:
                    await engine.sleep(0)
                release.set()
        finally:
            release.set()  # never leave workers blocked if the test fails
        with pytest.raises(OSError, match="fire"):
            await engine.to_thread(boom)

    aio.run(main)
    assert peak == 2
