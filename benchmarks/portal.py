"""Suite ``portal``: the cost of one blocking call into an event loop.

Every sync facade call goes through :func:`aio.engine.portal`: a plain thread
hands a coroutine to the shared background loop and blocks until it finished.
This suite measures calls per second of a trivial coroutine (``await
asyncio.sleep(0)``, then return) made:

- ``aio portal``: through ``aio.engine.portal().call`` (ours);
- ``anyio BlockingPortal``: through ``anyio.from_thread.start_blocking_portal``'s
  ``call``, the generic machinery we chose not to use;
- ``run_coroutine_threadsafe``: through ``asyncio.run_coroutine_threadsafe(...)
  .result()`` on a loop running in a thread (stdlib);
- ``direct await``: by awaiting it inside the loop itself, the floor that no
  cross-thread call can reach (the price of the coroutine alone).

Cases: one calling thread, and eight calling threads at once (the loop serves
them all; direct await does not apply). Higher is better; each round measures
for 1 s per case (0.2 s with ``--quick``).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Iterator

from benchmarks._harness import Case, Contender, RunInfo, Suite, Unavailable

SUITE = Suite(
    name="portal",
    unit="calls/s",
    higher_is_better=True,
    description=(
        "Blocking call of a trivial coroutine from a plain thread into a loop "
        "thread: aio's portal vs anyio's BlockingPortal vs "
        "asyncio.run_coroutine_threadsafe, with a direct await as the floor."
    ),
    rounds=5,
)


async def trivial() -> int:
    await asyncio.sleep(0)
    return 1


def contenders() -> list[Contender]:
    """Ours, the two ways we could have done it, and the in-loop floor."""
    return [
        Contender(
            "aio portal", is_ours=True, dist="aio-stack", requires=("aio.engine",)
        ),
        Contender("anyio BlockingPortal", dist="anyio", requires=("anyio",)),
        Contender("run_coroutine_threadsafe", dist=None),
        Contender("direct await", dist=None),
    ]


def cases() -> list[Case]:
    """One caller, then eight concurrent callers."""
    return [
        Case("1 thread", "one plain thread calling in a loop", {"threads": 1}),
        Case("8 threads", "eight plain threads calling at once", {"threads": 8}),
    ]


@contextlib.contextmanager
def _loop_thread() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        yield loop
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


@contextlib.contextmanager
def contender_session(contender: Contender, run: RunInfo) -> Iterator[object]:
    """The caller function for this contender (one loop per round)."""
    if contender.name == "aio portal":
        from aio.engine import portal

        aio_call = portal().call
        aio_call(trivial)  # start the background loop outside the timing
        yield lambda: aio_call(trivial)
    elif contender.name == "anyio BlockingPortal":
        from anyio.from_thread import start_blocking_portal

        with start_blocking_portal() as anyio_portal:
            yield lambda: anyio_portal.call(trivial)
    elif contender.name == "run_coroutine_threadsafe":
        with _loop_thread() as loop:
            yield lambda: asyncio.run_coroutine_threadsafe(trivial(), loop).result()
    else:
        yield None  # direct await runs its own loop in measure()


def _count_until(call: Callable[[], object], deadline: float) -> int:
    calls = 0
    while time.perf_counter() < deadline:
        for _ in range(100):
            call()
        calls += 100
    return calls


def _direct(duration: float) -> float:
    async def main() -> float:
        calls = 0
        start = time.perf_counter()
        deadline = start + duration
        while time.perf_counter() < deadline:
            for _ in range(100):
                await trivial()
            calls += 100
        return calls / (time.perf_counter() - start)

    return asyncio.run(main())


def measure(contender: Contender, case: Case, run: RunInfo) -> float:
    """Calls per second over the round's duration."""
    duration = 0.2 if run.quick else 1.0
    threads = int(case.params["threads"])
    if contender.name == "direct await":
        if threads != 1:
            raise Unavailable("not applicable: no second thread involved")
        return _direct(duration)
    call = run.session
    assert callable(call)
    totals: list[int] = []
    barrier = threading.Barrier(threads + 1)
    deadline_box: list[float] = []

    def caller() -> None:
        barrier.wait()
        totals.append(_count_until(call, deadline_box[0]))

    workers = [threading.Thread(target=caller) for _ in range(threads)]
    for worker in workers:
        worker.start()
    start = time.perf_counter()
    deadline_box.append(start + duration)
    barrier.wait()
    for worker in workers:
        worker.join()
    return sum(totals) / (time.perf_counter() - start)
