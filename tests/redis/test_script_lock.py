"""Scripts (EVALSHA with NOSCRIPT fallback, in pipelines) and locks."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.redis import LockError, LockNotOwnedError, Redis, Script

INCR_BY = "return redis.call('INCRBY', KEYS[1], ARGV[1])"


async def test_script_loads_on_demand(r: Redis) -> None:
    script = r.register_script(INCR_BY)
    assert isinstance(script, Script)
    await r.execute_command("SCRIPT FLUSH")
    assert await script(keys=["n"], args=[5]) == 5
    # Loaded now: EVALSHA succeeds directly.
    assert await r.execute_command("SCRIPT EXISTS", script.sha) == [True]
    assert await script(keys=["n"], args=[2]) == 7
    await r.execute_command("SCRIPT FLUSH")
    assert await script(keys=["n"], args=[1]) == 8


async def test_script_on_other_client(r: Redis, redis_url: str) -> None:
    script = r.register_script(b"return ARGV[1]")
    async with Redis.from_url(redis_url, decode_responses=True) as other:
        assert await script(args=["hi"], client=other) == "hi"


async def test_script_in_pipeline(r: Redis) -> None:
    script = r.register_script(INCR_BY)
    await r.execute_command("SCRIPT FLUSH")
    for transaction in (True, False):
        async with r.pipeline(transaction=transaction) as pipe:
            await script(keys=["p"], args=[10], client=pipe)
            pipe.get("p")
            await script(keys=["p"], args=[1], client=pipe)
            result = await pipe.execute()
        assert int(result[1]) == result[0] == result[2] - 1
        await r.execute_command("SCRIPT FLUSH")


async def test_script_error(r: Redis) -> None:
    script = r.register_script("return redis.call('GET')")
    with pytest.raises(Exception, match="Wrong number of args|wrong number"):
        await script()


async def test_lock_acquire_release(r: Redis) -> None:
    lock = r.lock("lk", timeout=10)
    assert await lock.acquire(blocking=False)
    assert await lock.locked()
    assert await lock.owned()
    other = r.lock("lk", timeout=10)
    assert not await other.acquire(blocking=False)
    assert not await other.owned()
    await lock.release()
    assert not await lock.locked()
    with pytest.raises(LockError, match="unlocked"):
        await lock.release()


async def test_lock_context_manager_and_blocking_timeout(r: Redis) -> None:
    async with r.lock("ctx", timeout=5) as lock:
        assert await lock.owned()
        contender = r.lock("ctx", sleep=0.01, blocking_timeout=0.05)
        assert not await contender.acquire()
        with pytest.raises(LockError, match="Unable to acquire"):
            async with r.lock("ctx", sleep=0.01, blocking_timeout=0.03):
                pass
    assert not await r.lock("ctx").locked()


async def test_lock_waits_for_release(r: Redis) -> None:
    holder = r.lock("wait", timeout=5)
    await holder.acquire()
    waiter = r.lock("wait", sleep=0.005, blocking_timeout=5)
    task = asyncio.create_task(waiter.acquire())
    await asyncio.sleep(0.02)
    assert not task.done()
    await holder.release()
    assert await task
    await waiter.release()


async def test_lock_extend_reacquire(r: Redis) -> None:
    lock = r.lock("ext", timeout=1)
    await lock.acquire()
    assert await lock.extend(10)
    assert 10_000 < await r.pttl("ext") <= 11_000
    assert await lock.extend(2, replace_ttl=True)
    assert await r.pttl("ext") <= 2_000
    assert await lock.reacquire()
    assert 0 < await r.pttl("ext") <= 1_000
    await lock.release()
    with pytest.raises(LockError):
        await lock.extend(1)
    with pytest.raises(LockError):
        await lock.reacquire()
    no_timeout = r.lock("nt")
    await no_timeout.acquire()
    with pytest.raises(LockError, match="no timeout"):
        await no_timeout.extend(1)
    await no_timeout.release()


async def test_lock_not_owned(r: Redis) -> None:
    lock = r.lock("stolen", timeout=10)
    await lock.acquire()
    await r.set("stolen", "someone else")
    with pytest.raises(LockNotOwnedError):
        await lock.extend(1)
    with pytest.raises(LockNotOwnedError):
        await lock.reacquire()
    with pytest.raises(LockNotOwnedError):
        await lock.release()
    assert await r.get("stolen") == b"someone else"


async def test_lock_token_and_expiry(r: Redis) -> None:
    lock = r.lock("tok", timeout=0.05, sleep=0.01)
    assert await lock.acquire(token="my-token")
    assert await r.get("tok") == b"my-token"
    # After expiry another client can take it; the first is then not owned.
    second = r.lock("tok", timeout=5, sleep=0.01, blocking_timeout=2)
    assert await second.acquire()
    assert not await lock.owned()
    await second.release()


async def test_lock_sleep_must_be_below_timeout(r: Redis) -> None:
    with pytest.raises(LockError):
        r.lock("x", timeout=0.01, sleep=1)


async def test_lock_decoded_client(redis_url: str) -> None:
    async with Redis.from_url(redis_url, decode_responses=True) as r:
        lock: Any = r.lock("dec", timeout=5)
        assert await lock.acquire()
        assert await lock.owned()
        await lock.release()
