"""HandlerRunner: handlers run eagerly on a server's pool of reused tasks, with
per-task semantics kept (current task, context, cancellation)."""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from typing import Any

import anyio
import pytest

from aio.server._runner import HandlerRunner

var: contextvars.ContextVar[str] = contextvars.ContextVar("var")


async def from_callback(fn: Callable[[], Any]) -> Any:
    """Call ``fn`` as a transport callback would: outside any task."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[Any] = loop.create_future()
    loop.call_soon(lambda: done.set_result(fn()))
    return await done


def make() -> tuple[HandlerRunner, set[asyncio.Task[None]]]:
    tasks: set[asyncio.Task[None]] = set()
    return HandlerRunner(asyncio.get_running_loop(), tasks), tasks


async def settle(tasks: set[asyncio.Task[None]]) -> None:
    while tasks:
        await asyncio.sleep(0)


async def test_handlers_that_finish_eagerly_share_one_task() -> None:
    runner, tasks = make()
    seen: list[asyncio.Task[Any] | None] = []

    async def handler() -> None:
        seen.append(asyncio.current_task())

    for _ in range(3):
        assert await from_callback(lambda: runner.start(handler())) is None
    assert not tasks
    assert seen[0] is not None and seen[0] is seen[1] is seen[2]
    task = seen[0]
    runner.close()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert task.done() and not task.cancelled()


async def test_suspended_handler_is_driven_by_the_same_task() -> None:
    runner, tasks = make()
    gate: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    seen: list[Any] = []

    async def handler() -> None:
        var.set("mine")
        seen.append(asyncio.current_task())
        seen.append(await gate)
        seen.append(asyncio.current_task())
        seen.append(var.get())

    task = await from_callback(lambda: runner.start(handler()))
    assert task is not None and tasks == {task}
    gate.set_result("resumed")
    await settle(tasks)
    assert seen == [task, "resumed", task, "mine"]
    assert var.get(None) is None  # the handler's context was its own

    async def quick() -> None:
        seen.append(asyncio.current_task())

    assert await from_callback(lambda: runner.start(quick())) is None
    assert seen[-1] is task  # reused after the suspended handler finished
    runner.close()


async def test_contexts_are_isolated_between_handlers() -> None:
    runner, tasks = make()
    seen: list[str | None] = []

    async def handler(name: str) -> None:
        seen.append(var.get(None))
        var.set(name)
        await asyncio.sleep(0)
        seen.append(var.get(None))

    await from_callback(lambda: runner.start(handler("a")))
    await settle(tasks)
    await from_callback(lambda: runner.start(handler("b")))
    await settle(tasks)
    assert seen == [None, "a", None, "b"]
    runner.close()


async def test_cancel_reaches_handler_and_retires_the_task() -> None:
    runner, tasks = make()
    outcome: list[str] = []

    async def handler() -> None:
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            outcome.append("cancelled")  # swallowed, as our request timeout does

    first = await from_callback(lambda: runner.start(handler()))
    assert first is not None
    first.cancel()
    await settle(tasks)
    assert outcome == ["cancelled"]
    await asyncio.sleep(0)
    assert first.done()

    seen: list[Any] = []

    async def after() -> None:
        task = asyncio.current_task()
        assert task is not None
        seen.append((task, task.cancelling()))

    await from_callback(lambda: runner.start(after()))
    assert seen[0][0] is not first and seen[0][1] == 0
    runner.close()


async def test_handler_cancelled_before_the_task_ever_ran() -> None:
    runner, tasks = make()
    outcome: list[str] = []

    async def handler() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    task = await from_callback(lambda: runner.start(handler()))
    assert task is not None
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outcome == ["cancelled"]
    await asyncio.sleep(0)
    assert not tasks


async def test_self_cancel_then_return_does_not_reach_the_next_handler() -> None:
    runner, tasks = make()
    seen: list[int] = []

    async def cancels_itself() -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()  # and returns without awaiting

    async def next_one() -> None:
        await asyncio.sleep(0)
        task = asyncio.current_task()
        assert task is not None
        seen.append(task.cancelling())

    await from_callback(lambda: runner.start(cancels_itself()))
    await from_callback(lambda: runner.start(next_one()))
    await settle(tasks)
    assert seen == [0]
    runner.close()


async def test_handler_running_past_its_response_gets_a_new_task_for_the_next() -> None:
    runner, tasks = make()
    gate = asyncio.Event()
    seen: list[Any] = []

    async def lingers() -> None:
        seen.append(asyncio.current_task())
        await gate.wait()
        seen.append("lingered")

    async def quick() -> None:
        seen.append(asyncio.current_task())

    first = await from_callback(lambda: runner.start(lingers()))
    await from_callback(lambda: runner.start(quick()))
    assert first is not None and seen[1] is not first
    gate.set()
    await settle(tasks)
    assert seen[2] == "lingered"
    await asyncio.sleep(0)
    # back in the pool after its handler, beside the one quick() used
    assert not first.done() and len(runner.idle) == 2
    runner.close()
    await asyncio.sleep(0)
    assert first.done() and not runner.idle


async def test_the_pool_keeps_at_most_max_idle_tasks() -> None:
    tasks: set[asyncio.Task[None]] = set()
    runner = HandlerRunner(asyncio.get_running_loop(), tasks, max_idle=1)
    gate = asyncio.Event()

    async def waits() -> None:
        await gate.wait()

    started = [await from_callback(lambda: runner.start(waits())) for _ in range(3)]
    assert len({id(task) for task in started}) == 3 and tasks == set(started)
    gate.set()
    await settle(tasks)
    await asyncio.sleep(0)
    kept = [task for task in started if task is not None and not task.done()]
    assert len(kept) == 1 and [slot.task for slot in runner.idle] == kept

    async def quick() -> None:
        assert asyncio.current_task() is kept[0]

    assert await from_callback(lambda: runner.start(quick())) is None
    runner.close()
    await asyncio.sleep(0)
    assert kept[0].done() and not kept[0].cancelled()


async def test_a_task_cancelled_while_idle_is_not_reused() -> None:
    runner, tasks = make()
    seen: list[asyncio.Task[Any] | None] = []

    async def handler() -> None:
        seen.append(asyncio.current_task())

    await from_callback(lambda: runner.start(handler()))
    stale = seen[0]
    assert stale is not None
    stale.cancel()  # e.g. a reference a handler kept to "its" task
    await from_callback(lambda: runner.start(handler()))
    assert seen[1] is not stale
    await asyncio.sleep(0)
    assert stale.cancelled()
    runner.close()


async def test_timeouts_and_cancel_scopes_inside_handlers() -> None:
    runner, tasks = make()
    seen: list[Any] = []

    async def handler() -> None:
        try:
            async with asyncio.timeout(0):
                await asyncio.sleep(10)
        except TimeoutError:
            seen.append("asyncio timeout")
        with anyio.move_on_after(0) as scope:
            await anyio.sleep(10)
        seen.append(scope.cancelled_caught)
        async with anyio.create_task_group() as tg:
            tg.start_soon(anyio.sleep, 0)
        task = asyncio.current_task()
        assert task is not None
        seen.append(task.cancelling())

    for _ in range(2):
        await from_callback(lambda: runner.start(handler()))
        await settle(tasks)
    assert seen == ["asyncio timeout", True, 0] * 2
    runner.close()


async def test_started_inside_a_task_gets_its_own_task() -> None:
    runner, tasks = make()
    seen: list[Any] = []

    async def handler() -> None:
        seen.append(asyncio.current_task())

    task = runner.start(handler())  # called from this test's task
    assert task is not None and tasks == {task}
    await task
    assert seen == [task]
    await asyncio.sleep(0)
    assert not tasks


async def test_close_while_busy_ends_after_the_handler() -> None:
    runner, tasks = make()
    gate = asyncio.Event()

    async def handler() -> None:
        await gate.wait()

    coro: Coroutine[Any, Any, None] = handler()
    task = await from_callback(lambda: runner.start(coro))
    assert task is not None
    runner.close()
    await asyncio.sleep(0)
    assert not task.done()
    gate.set()
    await task
    assert not tasks and not runner.idle
