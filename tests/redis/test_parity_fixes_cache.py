"""``CacheProxy.set`` and the eviction after it are one step for every thread.

The client updates its cache on the engine's loop thread while blocking code
(the facade's ``get_cache()``) reads and changes it from others. An eviction
half done must never be seen: a reader in another thread either finds the entry
(before) or does not (after), and never fails on one that vanished between its
lookup and its LRU touch. The threads are scheduled by events (bounded waits,
so that the locked version cannot deadlock the test).
"""

from __future__ import annotations

import threading
from typing import Any

from aio.redis.cache import (
    CacheConfigurationInterface,
    CacheEntry,
    CacheEntryStatus,
    CacheInterface,
    CacheKey,
    CacheProxy,
    DefaultCache,
    LRUPolicy,
)

# How long a step waits for the other thread to get somewhere it may never get
# (it is blocked on the lock: the behaviour under test).
_STEP = 0.5


def _entry(name: str) -> CacheEntry:
    key = CacheKey("GET", (name,), ("GET", name))
    return CacheEntry(key, b"v:" + name.encode(), CacheEntryStatus.VALID, None)


class _GatedPolicy(LRUPolicy):
    """LRU; while ``gate_key`` is set, a touch of it from another thread than
    the setter's waits for the next eviction (or ``_STEP``)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate_key: CacheKey | None = None
        self.setter: threading.Thread | None = None
        self.in_touch = threading.Event()
        self.evicted = threading.Event()

    def touch(self, cache_key: CacheKey) -> None:
        if cache_key == self.gate_key and threading.current_thread() is not self.setter:
            self.in_touch.set()
            self.evicted.wait(_STEP)
        super().touch(cache_key)

    def evict_next(self) -> CacheKey:
        key = super().evict_next()
        self.evicted.set()
        return key


class _GatedConfig(CacheConfigurationInterface):
    """At most ``max_size`` entries; while ``gated``, the size check (made by
    ``CacheProxy.set`` between its store and its eviction) lets a reader thread
    in first (``checking``, then waits for the reader's touch)."""

    def __init__(self, max_size: int) -> None:
        self.max_size = max_size
        self.policy = _GatedPolicy()
        self.gated = False
        self.checking = threading.Event()

    def get_cache_class(self) -> Any:
        return DefaultCache

    def get_max_size(self) -> int:
        return self.max_size

    def get_eviction_policy(self) -> Any:
        policy = self.policy

        class _Member:
            value = staticmethod(lambda: policy)

        return _Member

    def is_exceeds_max_size(self, count: int) -> bool:
        if self.gated:
            self.checking.set()
            self.policy.in_touch.wait(_STEP)
        return count > self.max_size

    def is_allowed_to_cache(self, command: str) -> bool:
        return command == "GET"


def _gated_proxy() -> tuple[CacheProxy, _GatedConfig]:
    config = _GatedConfig(max_size=1)
    return CacheProxy(DefaultCache(config)), config


def test_a_reader_never_sees_an_eviction_half_done() -> None:
    proxy, config = _gated_proxy()
    old, new = _entry("old"), _entry("new")
    assert proxy.set(old) is True
    config.gated = True
    config.policy.gate_key = old.cache_key
    config.policy.setter = threading.current_thread()
    seen: list[Any] = []

    def reader() -> None:
        config.checking.wait(_STEP * 4)
        try:
            seen.append(proxy.get(old.cache_key))
        except Exception as exc:  # the failure under test, reported below
            seen.append(exc)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        assert proxy.set(new) is True
    finally:
        thread.join(_STEP * 8)
    # The reader waited for the eviction to finish: "old" is gone, no error.
    assert seen == [None]
    assert list(proxy.collection) == [new.cache_key]
    assert proxy.stats.evictions == 1


def test_size_and_evictions_stay_exact_under_threads() -> None:
    # Several threads store and read through one proxy: no error, never more
    # than max_size entries once done, one eviction counted per entry evicted.
    config = _GatedConfig(max_size=8)
    proxy = CacheProxy(DefaultCache(config))
    errors: list[BaseException] = []
    stored = [0]
    count_lock = threading.Lock()

    def worker(n: int) -> None:
        try:
            for i in range(300):
                entry = _entry(f"{n}:{i}")
                if proxy.set(entry):
                    with count_lock:
                        stored[0] += 1
                _ = proxy.get(_entry(f"{n}:{i - 1}").cache_key)
                _ = proxy.get(_entry(f"{(n + 1) % 4}:{i}").cache_key)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert proxy.size == 8
    assert proxy.stats.evictions == stored[0] - 8


class _PlainCache(CacheInterface):
    """A cache of the user's that brings no lock: the proxy's own guards it."""

    def __init__(self, max_size: int) -> None:
        self.inner = DefaultCache(_GatedConfig(max_size))

    @property
    def collection(self) -> Any:
        return self.inner.collection

    @property
    def config(self) -> CacheConfigurationInterface:
        return self.inner.config

    @property
    def eviction_policy(self) -> Any:
        return self.inner.eviction_policy

    @property
    def size(self) -> int:
        return self.inner.size

    def get(self, key: CacheKey) -> CacheEntry | None:
        return self.inner.get(key)

    def set(self, entry: CacheEntry) -> bool:
        return self.inner.set(entry)

    def delete_by_cache_keys(self, cache_keys: list[CacheKey]) -> list[bool]:
        return self.inner.delete_by_cache_keys(cache_keys)

    def delete_by_redis_keys(self, redis_keys: list[Any]) -> list[bool]:
        return self.inner.delete_by_redis_keys(redis_keys)

    def flush(self) -> int:
        return self.inner.flush()

    def is_cachable(self, key: CacheKey) -> bool:
        return self.inner.is_cachable(key)


def test_a_cache_without_a_lock_of_its_own_is_guarded_too() -> None:
    proxy = CacheProxy(_PlainCache(max_size=2))
    for name in ("a", "b", "c"):
        assert proxy.set(_entry(name)) is True
    assert [k.redis_keys[0] for k in proxy.collection] == ["b", "c"]
    assert proxy.stats.evictions == 1
    assert proxy.get(_entry("c").cache_key) is not None
    assert proxy.delete_by_redis_keys(["b"]) == [True]
    assert proxy.flush() == 1
