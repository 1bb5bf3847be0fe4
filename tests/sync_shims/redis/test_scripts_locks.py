"""Scripts (EVALSHA with NOSCRIPT fallback) and locks, redis-py style."""

from __future__ import annotations

import threading
import uuid
from types import ModuleType
from typing import Any

import pytest


def _fresh(source: str) -> str:
    # A script the server has never seen: its first EVALSHA gets NOSCRIPT. (No
    # SCRIPT FLUSH: that would pull scripts from under other suites' feet.)
    return f"-- {uuid.uuid4()}\n{source}"


def test_register_script_and_noscript_fallback(r: Any) -> None:
    script = r.register_script(_fresh("return {KEYS[1], ARGV[1]}"))
    assert r.script_exists(script.sha) == [False]
    assert script(keys=["k"], args=["v"]) == [b"k", b"v"]  # NOSCRIPT, load, run
    assert script(keys=["k2"], args=["v2"]) == [b"k2", b"v2"]
    assert r.script_exists(script.sha) == [True]
    assert r.evalsha(script.sha, 1, "a", "b") == [b"a", b"b"]
    assert r.eval("return ARGV[1]", 0, "x") == b"x"


def test_noscript_error_from_evalsha(redis_mod: ModuleType, r: Any) -> None:
    with pytest.raises(redis_mod.exceptions.NoScriptError):
        r.evalsha("0" * 40, 0)


def test_lock_basics(redis_mod: ModuleType, r: Any) -> None:
    lock = r.lock("res", timeout=10)
    assert lock.acquire(blocking=False) is True
    assert lock.locked() is True
    assert lock.owned() is True
    assert lock.extend(5) is True
    assert 10_000 < r.pttl("res") <= 15_000
    assert lock.extend(3, replace_ttl=True) is True
    assert r.pttl("res") <= 3_000
    lock.release()
    assert lock.locked() is False
    with r.lock("res", timeout=5) as held:
        assert held.owned()
    assert r.get("res") is None


def test_release_not_owned(redis_mod: ModuleType, r: Any) -> None:
    lock = r.lock("res", timeout=10)
    assert lock.acquire()
    r.delete("res")  # expired or taken away
    with pytest.raises(redis_mod.exceptions.LockNotOwnedError):
        lock.release()
    with pytest.raises(redis_mod.exceptions.LockError):
        r.lock("never").release()  # never acquired


def test_lock_contention_between_threads(redis_mod: ModuleType, r: Any) -> None:
    holder = r.lock("res", timeout=10)
    assert holder.acquire()
    outcome: dict[str, Any] = {}

    def contender() -> None:
        other = r.lock("res", timeout=10, blocking_timeout=0.2, sleep=0.05)
        outcome["timed_out"] = other.acquire()
        outcome["non_blocking"] = other.acquire(blocking=False)
        try:
            with r.lock("res", blocking_timeout=0.1, sleep=0.05):
                pass
        except redis_mod.exceptions.LockError as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=contender)
    thread.start()
    thread.join()
    assert outcome["timed_out"] is False
    assert outcome["non_blocking"] is False
    assert isinstance(outcome["error"], redis_mod.exceptions.LockError)
    holder.release()
    assert r.lock("res").acquire(blocking=False) is True


def test_lock_token_is_thread_local(
    redis_mod: ModuleType, r: Any, is_shim: bool
) -> None:
    # redis-py raises AttributeError here (its threading.local token exists only
    # in the thread that built the lock); ours answers as if never acquired.
    if not is_shim:
        pytest.skip("redis-py: AttributeError from another thread")
    lock = r.lock("res", timeout=10)
    assert lock.acquire()
    seen: dict[str, Any] = {}

    def other_thread() -> None:
        seen["owned"] = lock.owned()
        try:
            lock.release()
        except redis_mod.exceptions.LockError as exc:
            seen["error"] = exc

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert seen["owned"] is False
    assert isinstance(seen["error"], redis_mod.exceptions.LockError)
    assert lock.owned() is True
    lock.release()


def test_with_lock_not_owned_at_exit(redis_mod: ModuleType, r: Any) -> None:
    with r.lock("res", timeout=10, raise_on_release_error=False):
        r.delete("res")  # lost the lock meanwhile: exit only logs
    with pytest.raises(redis_mod.exceptions.LockNotOwnedError):
        with r.lock("res", timeout=10):
            r.delete("res")
