"""Where redis-py works, the facade works: many threads, a thread running its
own event loop (a notebook), a forked child. Plus the engine-thread guard."""

from __future__ import annotations

import asyncio
import os
import threading
from types import ModuleType
from typing import Any

import pytest

from aio.engine import EngineThreadError, portal


def test_sixteen_threads_share_one_client(r: Any) -> None:
    start = threading.Barrier(16)
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(50):
                r.incr("hits")
                r.set(f"t{n}", i)
                assert r.get(f"t{n}") == str(i).encode()
            with r.pipeline() as pipe:
                assert pipe.incr("hits").get(f"t{n}").execute()[1] == b"49"
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert r.get("hits") == b"816"


def test_thread_running_its_own_loop(r: Any) -> None:
    async def notebook_cell() -> Any:
        # Blocking calls from inside a running loop block it, as redis-py does.
        r.set("nb", "1")
        with r.pipeline() as pipe:
            return pipe.incr("nb").get("nb").execute()

    assert asyncio.run(notebook_cell()) == [2, b"2"]


def test_module_level_client_in_forked_child(r: Any) -> None:
    r.set("parent", "p")  # the parent has a pooled, connected connection
    pid = os.fork()
    if pid == 0:  # the child: exit code tells the parent what happened
        code = 1
        try:
            if r.get("parent") == b"p" and r.set("child", "c"):
                with r.pipeline() as pipe:
                    if pipe.incr("n").get("child").execute() == [1, b"c"]:
                        code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    assert r.get("child") == b"c"  # and the parent's connection still works
    assert r.get("n") == b"1"


def test_facade_on_the_engine_thread_is_refused(
    r: Any, redis_mod: ModuleType, is_shim: bool
) -> None:
    if not is_shim:
        pytest.skip("the engine's loop thread concerns the facade only")
    with pytest.raises(EngineThreadError, match="await"):
        portal().run_sync(r.get, "k")


def test_exceptions_are_the_aio_classes(redis_mod: ModuleType, is_shim: bool) -> None:
    if not is_shim:
        pytest.skip("identity with aio.redis concerns the facade only")
    import aio.redis.exceptions as aio_exc

    for name in ("ConnectionError", "TimeoutError", "ResponseError", "WatchError"):
        assert getattr(redis_mod, name) is getattr(aio_exc, name)
        assert getattr(redis_mod.exceptions, name) is getattr(aio_exc, name)
    assert redis_mod.client.Redis is redis_mod.Redis
    assert redis_mod.lock.Lock is redis_mod.Lock
    assert redis_mod.connection.ConnectionPool is redis_mod.ConnectionPool
