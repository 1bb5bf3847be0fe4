"""The shared background loop: lazy start, stop, fork, interpreter exit."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
import threading
import warnings

import pytest

from aio import engine
from aio.engine import Portal, portal
from aio.engine._background import BACKGROUND, BackgroundLoop
from aio.errors import ClosedResourceError


async def loop_identity() -> tuple[int, int]:
    return id(asyncio.get_running_loop()), threading.get_ident()


@pytest.fixture
def private() -> tuple[BackgroundLoop, Portal]:
    """A background loop of our own, so stopping it does not disturb other tests."""
    background = BackgroundLoop()
    yield background, Portal(background)  # type: ignore[misc]
    background.stop()


def test_starts_lazily_once(private: tuple[BackgroundLoop, Portal]) -> None:
    background, own = private
    assert background.current is None
    first = own.call(loop_identity)
    assert background.current is not None
    assert background.current.thread.daemon
    assert background.current.thread.name == "aio-engine"
    assert own.call(loop_identity) == first


def test_concurrent_first_calls_start_one_thread(
    private: tuple[BackgroundLoop, Portal],
) -> None:
    _, own = private
    barrier = threading.Barrier(8)
    seen: set[tuple[int, int]] = set()

    def first_call() -> None:
        barrier.wait()
        seen.add(own.call(loop_identity))

    threads = [threading.Thread(target=first_call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(seen) == 1


def test_stop_cancels_blocked_callers_and_restarts(
    private: tuple[BackgroundLoop, Portal],
) -> None:
    background, own = private
    started = threading.Event()
    cleaned_up = threading.Event()
    outcome: list[BaseException] = []

    async def forever() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        finally:
            cleaned_up.set()

    def caller() -> None:
        try:
            own.call(forever)
        except BaseException as exc:
            outcome.append(exc)

    thread = threading.Thread(target=caller)
    thread.start()
    started.wait()
    before = own.call(loop_identity)
    background.stop()
    thread.join()
    assert cleaned_up.is_set()
    assert len(outcome) == 1 and isinstance(outcome[0], ClosedResourceError)
    assert background.current is None
    assert own.call(loop_identity) != before  # a new generation


def test_stop_exits_held_context(private: tuple[BackgroundLoop, Portal]) -> None:
    background, own = private
    exits: list[type[BaseException] | None] = []

    class Held:
        async def __aenter__(self) -> None:
            return None

        async def __aexit__(
            self, exc_type: type[BaseException] | None, *_: object
        ) -> None:
            exits.append(exc_type)

    blocking = own.enter_async_context(Held())
    blocking.__enter__()
    background.stop()
    assert exits == [asyncio.CancelledError]
    with pytest.raises(ClosedResourceError):
        blocking.__exit__(None, None, None)


def test_calls_after_interpreter_exit_hook_are_refused(
    private: tuple[BackgroundLoop, Portal],
) -> None:
    background, own = private
    own.call(loop_identity)
    background._at_exit()
    assert background.current is None
    with pytest.raises(ClosedResourceError, match="exiting"):
        own.call(loop_identity)


@pytest.mark.skipif(not engine.uvloop_available(), reason="uvloop not installed")
def test_background_loop_follows_aio_loop(
    private: tuple[BackgroundLoop, Portal], monkeypatch: pytest.MonkeyPatch
) -> None:
    background, own = private
    monkeypatch.setenv("AIO_LOOP", "uvloop")

    async def loop_module() -> str:
        return type(asyncio.get_running_loop()).__module__

    assert own.call(loop_module).startswith("uvloop")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_fork_child_gets_a_new_loop_thread() -> None:
    shared = portal()
    parent_loop, parent_thread = shared.call(loop_identity)
    parent_generation = BACKGROUND.current
    assert parent_generation is not None
    read_end, write_end = os.pipe()
    with warnings.catch_warnings():
        # Python 3.12+ warns about forking a process that has threads: that is
        # exactly the situation under test.
        warnings.simplefilter("ignore", DeprecationWarning)
        pid = os.fork()
    if pid == 0:  # child: never return into pytest
        status = 1
        try:
            os.close(read_end)
            child_loop, _ = shared.call(loop_identity)
            # (thread idents may be reused in the child: compare the objects)
            child_generation = BACKGROUND.current
            assert child_generation is not None
            new_thread = child_generation.thread is not parent_generation.thread
            report = f"{child_loop != parent_loop} {new_thread}"
            os.write(write_end, report.encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as reader:
        report = reader.read().decode()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert report == "True True"
    # The parent is unaffected: same loop, same thread.
    assert shared.call(loop_identity) == (parent_loop, parent_thread)
    assert BACKGROUND.current is not None


EXIT_SCRIPT = textwrap.dedent(
    """
    import asyncio, threading
    from contextlib import asynccontextmanager
    from aio.engine import portal, to_thread
    from aio.errors import ClosedResourceError

    p = portal()

    @asynccontextmanager
    async def held():
        try:
            yield
        finally:
            print("context exited", flush=True)

    async def forever():
        try:
            await asyncio.Event().wait()
        finally:
            print("task cancelled", flush=True)

    async def offload():
        return await to_thread(lambda: 6 * 7)

    # a worker thread exists, a context is held open, a daemon thread is blocked
    print("offload", p.call(offload), flush=True)
    p.enter_async_context(held()).__enter__()
    started = threading.Event()
    def blocked():
        started.set()
        try:
            p.call(forever)
        except ClosedResourceError:
            pass  # the engine stopped under this daemon thread: expected

    threading.Thread(target=blocked, daemon=True).start()
    started.wait()
    # a non-daemon thread still using the portal when the main thread ends
    threading.Thread(target=lambda: print("late", p.call(asyncio.sleep, 0, "ok"))).start()
    """
)


def test_interpreter_exit_stops_cleanly() -> None:
    result = subprocess.run(
        [sys.executable, "-W", "always::ResourceWarning", "-c", EXIT_SCRIPT],
        capture_output=True,
        text=True,
        timeout=60,  # a safety net against a hang, not a timing assertion
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "offload 42" in result.stdout
    assert "late ok" in result.stdout
    assert "context exited" in result.stdout
    assert "task cancelled" in result.stdout
    assert "Task was destroyed" not in result.stderr
    assert "Warning" not in result.stderr, result.stderr
    assert "Traceback" not in result.stderr, result.stderr


def test_stop_from_the_loop_thread_is_refused(
    private: tuple[BackgroundLoop, Portal],
) -> None:
    background, own = private

    async def stop_myself() -> None:
        background.stop()

    with pytest.raises(RuntimeError, match="from itself"):
        own.call(stop_myself)
    assert own.call(loop_identity)  # still running
