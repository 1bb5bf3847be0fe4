"""The portal: blocking calls into the shared background loop."""

from __future__ import annotations

import asyncio
import contextvars
import signal
import threading
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from aio import engine
from aio.engine import EngineThreadError, portal
from aio.errors import AioError

P = portal()


async def add(a: int, b: int) -> int:
    await asyncio.sleep(0)
    return a + b


async def raise_value_error(message: str) -> None:
    await asyncio.sleep(0)
    raise ValueError(message)


def test_call_returns_value_and_kwargs() -> None:
    assert P.call(add, 2, b=3) == 5


def test_call_accepts_any_awaitable_factory() -> None:
    async def coro() -> int:
        return 7

    def make_future() -> asyncio.Future[int]:
        future = asyncio.get_running_loop().create_future()
        future.set_result(8)
        return future

    assert P.call(lambda: coro()) == 7
    assert P.call(make_future) == 8


def test_run_sync_runs_on_loop_thread() -> None:
    loop_thread = P.run_sync(threading.get_ident)
    assert loop_thread != threading.get_ident()
    with pytest.raises(ZeroDivisionError):
        P.run_sync(lambda: 1 / 0)


def test_many_threads_at_once() -> None:
    threads, calls = 32, 200
    results: dict[int, list[int]] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads)

    def worker(index: int) -> None:
        try:
            barrier.wait()
            results[index] = [P.call(add, index, i) for i in range(calls)]
        except BaseException as exc:  # report, do not lose it in the thread
            errors.append(exc)

    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    assert errors == []
    assert results == {i: [i + j for j in range(calls)] for i in range(threads)}


def test_from_a_thread_running_its_own_loop() -> None:
    # A notebook's thread: its loop is running while the facade blocks it.
    async def notebook_cell() -> int:
        asyncio.get_running_loop()  # we are inside a running loop
        return P.call(add, 40, 2)

    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(asyncio.run(notebook_cell()))
    )
    thread.start()
    thread.join()
    assert result == [42]


async def test_from_inside_a_running_test_loop() -> None:
    assert P.call(add, 1, 1) == 2


def test_on_the_engine_thread_raises_clear_error() -> None:
    async def nested() -> int:
        return P.call(add, 1, 2)

    with pytest.raises(EngineThreadError) as info:
        P.call(nested)
    message = str(info.value)
    assert "await" in message
    assert "add" in message
    assert isinstance(info.value, AioError)
    assert isinstance(info.value, RuntimeError)


def test_engine_thread_error_names_public_api() -> None:
    class Client:
        async def get(self) -> int:
            return 1

    Client.get.__module__ = "aio.redis._client"  # as if defined in a private module

    async def nested() -> None:
        P.call(Client().get)

    with pytest.raises(EngineThreadError, match=r"await aio\.redis\..*Client\.get"):
        P.call(nested)


def test_exception_keeps_type_and_async_frames() -> None:
    with pytest.raises(ValueError, match="bad input") as info:
        P.call(raise_value_error, "bad input")
    frames = [frame.name for frame in traceback.extract_tb(info.value.__traceback__)]
    assert "raise_value_error" in frames
    assert frames.index("test_exception_keeps_type_and_async_frames") < frames.index(
        "raise_value_error"
    )


def test_synchronous_error_in_fn_reaches_caller() -> None:
    def not_async() -> None:
        raise LookupError("before any await")

    with pytest.raises(LookupError, match="before any await"):
        P.call(not_async)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        P.call(lambda: 42)  # type: ignore[arg-type, return-value]


def test_context_variables_flow_to_the_call() -> None:
    var: contextvars.ContextVar[str] = contextvars.ContextVar("var")
    var.set("from caller")

    async def read() -> str:
        return var.get()

    assert P.call(read) == "from caller"


def _interrupt_main_when(event: threading.Event) -> threading.Thread:
    main = threading.main_thread().ident
    assert main is not None

    def interrupter() -> None:
        event.wait()
        signal.pthread_kill(main, signal.SIGINT)

    thread = threading.Thread(target=interrupter)
    thread.start()
    return thread


@pytest.fixture
def default_sigint() -> None:
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are delivered to the main thread only")
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        pytest.skip("SIGINT handler replaced by the test runner")


@pytest.mark.usefixtures("default_sigint")
def test_keyboard_interrupt_cancels_the_coroutine() -> None:
    started = threading.Event()
    cleaned_up = threading.Event()

    async def forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cleaned_up.set()
            raise

    interrupter = _interrupt_main_when(started)
    with pytest.raises(KeyboardInterrupt):
        P.call(forever)
    interrupter.join()
    # The caller waited for the cancellation to land before re-raising.
    assert cleaned_up.is_set()
    assert P.call(add, 1, 2) == 3  # the portal is still usable


@pytest.mark.usefixtures("default_sigint")
def test_keyboard_interrupt_while_entering_a_context() -> None:
    started = threading.Event()
    exited: list[str] = []

    @asynccontextmanager
    async def slow_enter() -> AsyncIterator[None]:
        try:
            started.set()
            await asyncio.Event().wait()
            yield
        finally:
            exited.append("cleanup")

    interrupter = _interrupt_main_when(started)
    with pytest.raises(KeyboardInterrupt), P.enter_async_context(slow_enter()):
        pass
    interrupter.join()
    assert exited == ["cleanup"]


# -- context managers ----------------------------------------------------------


def test_async_context_manager_enter_exit_in_one_task() -> None:
    log: list[object] = []

    @asynccontextmanager
    async def resource() -> AsyncIterator[str]:
        # A task group spans the whole context: only legal if __aenter__ and
        # __aexit__ run in the same task.
        async with engine.create_task_group() as tg:
            tg.start_soon(engine.sleep, 0)
            log.append(("enter", asyncio.current_task()))
            yield "value"
            log.append(("exit", asyncio.current_task()))

    with P.enter_async_context(resource()) as value:
        assert value == "value"
        log.append("body")
    assert [entry if isinstance(entry, str) else entry[0] for entry in log] == [
        "enter",
        "body",
        "exit",
    ]
    assert log[0][1] is log[2][1]  # type: ignore[index]


def test_async_context_manager_sees_the_exception_and_may_suppress() -> None:
    seen: list[type[BaseException] | None] = []

    class Suppressing:
        async def __aenter__(self) -> Suppressing:
            return self

        async def __aexit__(
            self, exc_type: type[BaseException] | None, *_: object
        ) -> bool:
            seen.append(exc_type)
            return exc_type is KeyError

    with P.enter_async_context(Suppressing()):
        raise KeyError("swallowed")
    with pytest.raises(ValueError), P.enter_async_context(Suppressing()):
        raise ValueError("propagates")
    with P.enter_async_context(Suppressing()):
        pass
    assert seen == [KeyError, ValueError, None]


def test_async_context_manager_enter_failure() -> None:
    class Failing:
        async def __aenter__(self) -> None:
            raise ConnectionRefusedError("no server")

        async def __aexit__(self, *_: object) -> None:
            raise AssertionError("never entered, never exited")

    blocking = P.enter_async_context(Failing())
    with pytest.raises(ConnectionRefusedError), blocking:
        pass
    with pytest.raises(RuntimeError, match="not entered"):
        blocking.__exit__(None, None, None)


def test_async_context_manager_exit_error_replaces() -> None:
    @asynccontextmanager
    async def broken_exit() -> AsyncIterator[None]:
        yield
        raise OSError("flush failed")

    with (
        pytest.raises(OSError, match="flush failed"),
        P.enter_async_context(broken_exit()),
    ):
        pass


def test_context_manager_not_reentrant() -> None:
    @asynccontextmanager
    async def simple() -> AsyncIterator[int]:
        yield 1

    blocking = P.enter_async_context(simple())
    with blocking, pytest.raises(RuntimeError, match="already entered"):
        blocking.__enter__()


# -- iterators ------------------------------------------------------------------


def test_iterate_in_batches() -> None:
    fetched_on: list[int] = []

    async def numbers() -> AsyncIterator[int]:
        for number in range(10):
            fetched_on.append(number)
            yield number

    iterator = P.iterate(numbers(), batch=4)
    assert next(iterator) == 0
    assert fetched_on == [0, 1, 2, 3]  # one round trip fetched a whole batch
    assert list(iterator) == list(range(1, 10))
    assert list(iterator) == []


def test_iterate_empty_and_plain_async_iterable() -> None:
    class Countdown:
        def __init__(self, start: int) -> None:
            self.current = start

        def __aiter__(self) -> Countdown:
            return self

        async def __anext__(self) -> int:
            if self.current == 0:
                raise StopAsyncIteration
            self.current -= 1
            return self.current

    assert list(P.iterate(Countdown(0))) == []
    assert list(P.iterate(Countdown(3), batch=2)) == [2, 1, 0]


def test_iterate_error_after_items_delivers_items_first() -> None:
    async def flaky() -> AsyncIterator[int]:
        yield 1
        yield 2
        raise ConnectionResetError("peer left")

    iterator = P.iterate(flaky(), batch=10)
    assert next(iterator) == 1
    assert next(iterator) == 2
    with pytest.raises(ConnectionResetError) as info:
        next(iterator)
    assert "flaky" in [f.name for f in traceback.extract_tb(info.value.__traceback__)]
    with pytest.raises(StopIteration):
        next(iterator)


def test_iterate_close_runs_async_finally() -> None:
    closed = threading.Event()

    async def endless() -> AsyncIterator[int]:
        try:
            number = 0
            while True:
                yield number
                number += 1
        finally:
            closed.set()

    with P.iterate(endless(), batch=3) as iterator:
        assert next(iterator) == 0
    assert closed.is_set()
    assert list(iterator) == []


def test_iterate_rejects_bad_batch() -> None:
    async def nothing() -> AsyncIterator[int]:
        return
        yield  # pragma: no cover

    with pytest.raises(ValueError, match="batch"):
        P.iterate(nothing(), batch=0)


def test_cancel_releases_a_waiter_whose_start_never_ran() -> None:
    # An interrupt before the start callback was queued: the cancel callback is
    # then the only one, and must release the caller rather than leave it blocked.
    from aio.engine._portal import _cancel, _Waiter

    waiter = _Waiter()
    _cancel(waiter)
    assert not waiter.done.locked()
    assert isinstance(waiter.exc, KeyboardInterrupt)


def test_blocking_call_from_a_worker_thread_of_the_loop() -> None:
    # Async code offloads sync code (to_thread), which calls a facade: the worker
    # thread may block; the loop is free to serve the call.
    async def offload() -> int:
        return await engine.to_thread(P.call, add, 20, 22)

    assert P.call(offload) == 42
