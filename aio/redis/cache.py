"""redis-py's ``redis.cache``: the client-side cache's pluggable parts.

A client made with ``Redis(protocol=3, cache_config=CacheConfig(...))`` (or
``cache=`` an object implementing :class:`CacheInterface`) keeps the raw replies
of read-only commands in such a cache; the server's ``CLIENT TRACKING``
invalidations keep it correct (the machinery lives in ``aio.redis._cache`` and
drives whatever :class:`CacheInterface` it is given). The names, arguments and
behaviour are redis-py 8.1's:

* :class:`CacheKey`: ``(command, redis_keys, redis_args)``; a read of ``GET foo``
  is stored under ``CacheKey("GET", ("foo",), ("GET", "foo"))``.
* :class:`CacheEntry`: the stored raw reply, its status, the connection.
* :class:`CacheInterface`: ``get``/``set``/``delete_by_cache_keys``/
  ``delete_by_redis_keys``/``flush``/``is_cachable`` and the ``collection``,
  ``config``, ``eviction_policy``, ``size`` properties; :class:`DefaultCache`
  implements it, :class:`CacheProxy` wraps one and evicts past ``max_size``.
* :class:`CacheConfig` (``max_size``, ``cache_class``, ``eviction_policy``) and
  :class:`CacheFactory`, which makes ``CacheProxy(cache_class(cache_config=...))``.

aio adds, keyword-only on :class:`CacheConfig`: ``ttl``, ``allow_list``,
``bcast``/``prefixes`` (``CLIENT TRACKING ... BCAST``), and :class:`CacheStats`
(``stats`` on :class:`DefaultCache` and :class:`CacheProxy`).

.. versionadded:: 0.1
"""

from __future__ import annotations

import threading
import time
from abc import ABC, abstractmethod
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = (
    "CacheConfig",
    "CacheConfigurationInterface",
    "CacheEntry",
    "CacheEntryStatus",
    "CacheFactory",
    "CacheFactoryInterface",
    "CacheInterface",
    "CacheKey",
    "CacheProxy",
    "CacheStats",
    "DefaultCache",
    "EvictionPolicy",
    "EvictionPolicyInterface",
    "EvictionPolicyType",
    "LRUPolicy",
)


class CacheEntryStatus(Enum):
    """Whether an entry holds a reply (``VALID``) or waits for one."""

    VALID = "VALID"
    IN_PROGRESS = "IN_PROGRESS"


class EvictionPolicyType(Enum):
    """The kind of an eviction policy (redis-py calls LRU ``time_based``)."""

    time_based = "time_based"
    frequency_based = "frequency_based"


@dataclass(frozen=True)
class CacheKey:
    """What a cached reply is stored under.

    :param command: the command's name (``"GET"``).
    :param redis_keys: the Redis keys it reads (invalidations match these).
    :param redis_args: the whole command (name included), so that reads of the
        same keys with other arguments are stored apart.
    """

    command: str
    redis_keys: tuple[Any, ...]
    redis_args: tuple[Any, ...] = ()


@dataclass
class CacheStats:
    """Counters of a cache since it was made (aio's addition)."""

    hits: int = 0
    misses: int = 0
    #: Entries dropped by the size bound or their TTL.
    evictions: int = 0
    #: Entries dropped because the server said their keys changed.
    invalidations: int = 0
    #: Whole-cache flushes (server request, or a connection lost).
    flushes: int = 0


class CacheEntry:
    """A stored reply.

    :param cache_key: its :class:`CacheKey`.
    :param cache_value: the raw reply (before the command's callback).
    :param status: :class:`CacheEntryStatus`.
    :param connection_ref: the connection that read it.
    """

    def __init__(
        self,
        cache_key: CacheKey,
        cache_value: Any,
        status: CacheEntryStatus,
        connection_ref: Any,
    ) -> None:
        self.cache_key = cache_key
        self.cache_value = cache_value
        self.status = status
        self.connection_ref = connection_ref
        #: monotonic time after which :class:`DefaultCache` drops it (its
        #: config's ``ttl``), or None.
        self.expires_at: float | None = None

    def _fields(self) -> tuple[Any, ...]:
        return (self.cache_key, self.cache_value, self.status, self.connection_ref)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CacheEntry):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        # The value may be a list: hash what is always hashable.
        return hash((self.cache_key, self.status))

    def __repr__(self) -> str:
        return f"CacheEntry({self.cache_key!r}, {self.cache_value!r}, {self.status})"


class EvictionPolicyInterface(ABC):
    """Chooses which entries of its ``cache`` go when it is full."""

    @property
    @abstractmethod
    def cache(self) -> Any:
        """The cache it evicts from."""

    @cache.setter
    @abstractmethod
    def cache(self, value: Any) -> None: ...

    @property
    @abstractmethod
    def type(self) -> EvictionPolicyType:
        """The policy's kind."""

    @abstractmethod
    def evict_next(self) -> CacheKey:
        """Drop one entry; returns its key."""

    @abstractmethod
    def evict_many(self, count: int) -> list[CacheKey]:
        """Drop ``count`` entries; returns their keys."""

    @abstractmethod
    def touch(self, cache_key: CacheKey) -> None:
        """Record a use of ``cache_key``."""


class CacheConfigurationInterface(ABC):
    """What a cache is configured with."""

    @abstractmethod
    def get_cache_class(self) -> Any:
        """The :class:`CacheInterface` class to build."""

    @abstractmethod
    def get_max_size(self) -> int:
        """Most entries kept."""

    @abstractmethod
    def get_eviction_policy(self) -> Any:
        """The :class:`EvictionPolicy` member."""

    @abstractmethod
    def is_exceeds_max_size(self, count: int) -> bool:
        """Whether ``count`` entries are over the limit."""

    @abstractmethod
    def is_allowed_to_cache(self, command: str) -> bool:
        """Whether replies of ``command`` may be cached."""


class CacheInterface(ABC):
    """A client-side cache, as the client drives it (redis-py's interface).

    A client given one with ``cache=`` uses it as it is: ``is_cachable`` says
    which commands go through it, ``get``/``set`` hold the replies,
    ``delete_by_redis_keys`` and ``flush`` apply the server's invalidations.
    """

    @property
    @abstractmethod
    def collection(self) -> OrderedDict[CacheKey, CacheEntry]:
        """The entries, least recently used first."""

    @property
    @abstractmethod
    def config(self) -> CacheConfigurationInterface:
        """The configuration."""

    @property
    @abstractmethod
    def eviction_policy(self) -> EvictionPolicyInterface:
        """The eviction policy bound to this cache."""

    @property
    @abstractmethod
    def size(self) -> int:
        """Entries held."""

    @abstractmethod
    def get(self, key: CacheKey) -> CacheEntry | None:
        """The entry stored under ``key``, or None."""

    @abstractmethod
    def set(self, entry: CacheEntry) -> bool:
        """Store ``entry``; False when its command may not be cached."""

    @abstractmethod
    def delete_by_cache_keys(self, cache_keys: list[CacheKey]) -> list[bool]:
        """Drop the entries of ``cache_keys``: whether each was there."""

    @abstractmethod
    def delete_by_redis_keys(self, redis_keys: list[Any]) -> list[bool]:
        """Drop every entry that read one of ``redis_keys``: a True for each."""

    @abstractmethod
    def flush(self) -> int:
        """Drop every entry; returns how many there were."""

    @abstractmethod
    def is_cachable(self, key: CacheKey) -> bool:
        """Whether ``key``'s command may be cached."""


def _key_bytes(key: Any) -> bytes:
    # Invalidations name keys in bytes, callers in str or bytes: compare bytes.
    if isinstance(key, bytes):
        return key
    if isinstance(key, str):
        return key.encode("utf-8", "surrogateescape")
    if isinstance(key, bytearray | memoryview):
        return bytes(key)
    return str(key).encode()


class DefaultCache(CacheInterface):
    """An in-process cache bounded by its eviction policy (LRU by default).

    :param cache_config: a :class:`CacheConfigurationInterface`; an aio
        :class:`CacheConfig`'s ``ttl`` makes entries expire.
    """

    def __init__(self, cache_config: CacheConfigurationInterface) -> None:
        self._cache: OrderedDict[CacheKey, CacheEntry] = OrderedDict()
        self._cache_config = cache_config
        self._eviction_policy: EvictionPolicyInterface = (
            cache_config.get_eviction_policy().value()
        )
        self._eviction_policy.cache = self
        #: Counters (aio's addition).
        self.stats = CacheStats()
        # Redis key (bytes) -> the cache keys that read it, so an invalidation
        # costs what it drops, not a scan. The policy pops ``collection``
        # directly: stale members are skipped, and the index rebuilt when it
        # outgrows the entries.
        self._by_key: dict[bytes, set[CacheKey]] = {}
        self._indexed = 0
        # The client changes it on the engine's loop thread, blocking code may
        # call it from others (the facade's get_cache()).
        self._lock = threading.RLock()

    @property
    def collection(self) -> OrderedDict[CacheKey, CacheEntry]:
        """The entries, least recently used first."""
        return self._cache

    @property
    def config(self) -> CacheConfigurationInterface:
        """The configuration."""
        return self._cache_config

    @property
    def eviction_policy(self) -> EvictionPolicyInterface:
        """The eviction policy bound to this cache."""
        return self._eviction_policy

    @property
    def size(self) -> int:
        """Entries held."""
        return len(self._cache)

    def set(self, entry: CacheEntry) -> bool:
        """Store ``entry`` (replacing one under its key); False when its command
        may not be cached."""
        with self._lock:
            if not self.is_cachable(entry.cache_key):
                return False
            ttl = getattr(self._cache_config, "ttl", None)
            if isinstance(ttl, int | float):
                entry.expires_at = time.monotonic() + ttl
            self._cache[entry.cache_key] = entry
            self._index(entry.cache_key)
            self._eviction_policy.touch(entry.cache_key)
            return True

    def get(self, key: CacheKey) -> CacheEntry | None:
        """The entry under ``key`` (now the most recently used), or None; an
        entry past its TTL is dropped and counts as an eviction."""
        with self._lock:
            entry = self._cache.get(key)
            if entry is None:
                return None
            if entry.expires_at is not None and time.monotonic() >= entry.expires_at:
                del self._cache[key]
                self.stats.evictions += 1
                return None
            self._eviction_policy.touch(key)
            return entry

    def delete_by_cache_keys(self, cache_keys: list[CacheKey]) -> list[bool]:
        """Drop the entries of ``cache_keys``: whether each was there."""
        with self._lock:
            return [self._cache.pop(key, None) is not None for key in cache_keys]

    def delete_by_redis_keys(self, redis_keys: Iterable[Any]) -> list[bool]:
        """Drop every entry that read one of ``redis_keys`` (str and bytes
        match alike): a True for each entry dropped."""
        with self._lock:
            dropped: list[bool] = []
            for redis_key in redis_keys:
                owners = self._by_key.pop(_key_bytes(redis_key), ())
                dropped.extend(
                    True for key in owners if self._cache.pop(key, None) is not None
                )
            return dropped

    def flush(self) -> int:
        """Drop every entry; returns how many there were."""
        with self._lock:
            count = len(self._cache)
            self._cache.clear()
            self._by_key.clear()
            self._indexed = 0
            return count

    def is_cachable(self, key: CacheKey) -> bool:
        """Whether the config allows ``key``'s command."""
        return self._cache_config.is_allowed_to_cache(key.command)

    def _index(self, cache_key: CacheKey) -> None:
        for redis_key in cache_key.redis_keys:
            self._by_key.setdefault(_key_bytes(redis_key), set()).add(cache_key)
            self._indexed += 1
        if self._indexed > 2 * len(self._cache) + 64:
            self._by_key = {}
            self._indexed = 0
            for key in self._cache:
                for redis_key in key.redis_keys:
                    self._by_key.setdefault(_key_bytes(redis_key), set()).add(key)
                    self._indexed += 1


#: The class of ``threading.RLock()`` objects (``threading.RLock`` is a function).
_RLock = type(threading.RLock())


class CacheProxy(CacheInterface):
    """Wraps a cache: every call goes to it, and :meth:`set` evicts one entry
    (through its eviction policy) when the cache outgrows ``max_size``.

    The store and the eviction after it are one step for every thread (the
    client updates the cache on the engine's loop thread, blocking code may use
    it from others): they run under the wrapped cache's own re-entrant lock
    when it has one (:class:`DefaultCache`'s, which its other methods take
    too), else under a lock of the proxy's, which then guards every call.

    :param cache: the :class:`CacheInterface` wrapped.
    """

    def __init__(self, cache: CacheInterface) -> None:
        self._cache = cache
        self._stats = CacheStats()
        own = getattr(cache, "_lock", None)
        # A cache that locks each of its calls with this lock needs no second
        # one around them: reads stay one lock acquisition, as before.
        self._shares_lock = isinstance(own, _RLock)
        self._lock: Any = own if self._shares_lock else threading.RLock()

    @property
    def stats(self) -> CacheStats:
        """The wrapped cache's counters (its own ``stats``, else the proxy's)."""
        inner = getattr(self._cache, "stats", None)
        return inner if isinstance(inner, CacheStats) else self._stats

    @property
    def collection(self) -> OrderedDict[CacheKey, CacheEntry]:
        """The wrapped cache's entries."""
        return self._cache.collection

    @property
    def config(self) -> CacheConfigurationInterface:
        """The wrapped cache's configuration."""
        return self._cache.config

    @property
    def eviction_policy(self) -> EvictionPolicyInterface:
        """The wrapped cache's eviction policy."""
        return self._cache.eviction_policy

    @property
    def size(self) -> int:
        """The wrapped cache's size."""
        return self._cache.size

    def get(self, key: CacheKey) -> CacheEntry | None:
        """The wrapped cache's entry."""
        if self._shares_lock:
            return self._cache.get(key)
        with self._lock:
            return self._cache.get(key)

    def set(self, entry: CacheEntry) -> bool:
        """Store in the wrapped cache, then evict one entry if it is too big
        (both under the lock: no thread sees the cache in between)."""
        with self._lock:
            is_set = self._cache.set(entry)
            if self.config.is_exceeds_max_size(self.size):
                self.eviction_policy.evict_next()
                self.stats.evictions += 1
            return is_set

    def delete_by_cache_keys(self, cache_keys: list[CacheKey]) -> list[bool]:
        """The wrapped cache's."""
        if self._shares_lock:
            return self._cache.delete_by_cache_keys(cache_keys)
        with self._lock:
            return self._cache.delete_by_cache_keys(cache_keys)

    def delete_by_redis_keys(self, redis_keys: list[Any]) -> list[bool]:
        """The wrapped cache's."""
        if self._shares_lock:
            return self._cache.delete_by_redis_keys(redis_keys)
        with self._lock:
            return self._cache.delete_by_redis_keys(redis_keys)

    def flush(self) -> int:
        """The wrapped cache's."""
        if self._shares_lock:
            return self._cache.flush()
        with self._lock:
            return self._cache.flush()

    def is_cachable(self, key: CacheKey) -> bool:
        """The wrapped cache's."""
        return self._cache.is_cachable(key)


class LRUPolicy(EvictionPolicyInterface):
    """Least recently used first: the front of the cache's ``collection``."""

    def __init__(self) -> None:
        self._cache: Any = None

    @property
    def cache(self) -> Any:
        """The cache it evicts from."""
        return self._cache

    @cache.setter
    def cache(self, cache: Any) -> None:
        self._cache = cache

    @property
    def type(self) -> EvictionPolicyType:
        """``time_based`` (redis-py's word for LRU)."""
        return EvictionPolicyType.time_based

    def evict_next(self) -> CacheKey:
        """Drop the least recently used entry.

        :raises ValueError: no cache is bound.
        """
        collection = self._collection()
        return collection.popitem(last=False)[0]

    def evict_many(self, count: int) -> list[CacheKey]:
        """Drop the ``count`` least recently used entries.

        :raises ValueError: fewer entries than ``count``, or no cache bound.
        """
        collection = self._collection()
        if count > len(collection):
            raise ValueError("Evictions count is above cache size")
        return [collection.popitem(last=False)[0] for _ in range(count)]

    def touch(self, cache_key: CacheKey) -> None:
        """Make ``cache_key`` the most recently used.

        :raises ValueError: it is not in the cache, or no cache is bound.
        """
        collection = self._collection()
        if collection.get(cache_key) is None:
            raise ValueError("Given entry does not belong to the cache")
        collection.move_to_end(cache_key)

    def _collection(self) -> OrderedDict[CacheKey, CacheEntry]:
        if not isinstance(self._cache, CacheInterface):
            raise ValueError("Eviction policy should be associated with valid cache.")
        return self._cache.collection


class EvictionPolicy(Enum):
    """The eviction policies :class:`CacheConfig` can name."""

    LRU = LRUPolicy


class CacheConfig(CacheConfigurationInterface):
    """How a client caches (redis-py's ``CacheConfig``, plus aio's options).

    :param max_size: most entries kept (the eviction policy picks who goes).
    :param cache_class: the :class:`CacheInterface` class to build (called with
        ``cache_config=``).
    :param eviction_policy: an :class:`EvictionPolicy` member.
    :param ttl: seconds an entry may be served (``None``: until invalidated).
    :param allow_list: command names that may be cached (default
        :attr:`DEFAULT_ALLOW_LIST`, redis-py's).
    :param bcast: track by prefixes (``CLIENT TRACKING ON BCAST``): the server
        reports every change under ``prefixes`` instead of remembering reads.
    :param prefixes: the prefixes for ``bcast`` (none: every key).
    :raises ValueError: a bound that is not positive, prefixes without bcast.
    """

    DEFAULT_CACHE_CLASS: type[CacheInterface] = DefaultCache
    DEFAULT_EVICTION_POLICY = EvictionPolicy.LRU
    DEFAULT_MAX_SIZE = 10000
    DEFAULT_ALLOW_LIST: list[str] = (
        "BITCOUNT BITFIELD_RO BITPOS EXISTS GEODIST GEOHASH GEOPOS "
        "GEORADIUSBYMEMBER_RO GEORADIUS_RO GEOSEARCH GET GETBIT GETRANGE HEXISTS "
        "HGET HGETALL HKEYS HLEN HMGET HSTRLEN HVALS JSON.ARRINDEX JSON.ARRLEN "
        "JSON.GET JSON.MGET JSON.OBJKEYS JSON.OBJLEN JSON.RESP JSON.STRLEN "
        "JSON.TYPE LCS LINDEX LLEN LPOS LRANGE MGET SCARD SDIFF SINTER SINTERCARD "
        "SISMEMBER SMEMBERS SMISMEMBER SORT_RO STRLEN SUBSTR SUNION TS.GET TS.INFO "
        "TS.RANGE TS.REVRANGE TYPE XLEN XPENDING XRANGE XREAD XREVRANGE ZCARD "
        "ZCOUNT ZDIFF ZINTER ZINTERCARD ZLEXCOUNT ZMSCORE ZRANGE ZRANGEBYLEX "
        "ZRANGEBYSCORE ZRANK ZREVRANGE ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK "
        "ZSCORE ZUNION"
    ).split()

    def __init__(
        self,
        max_size: int = DEFAULT_MAX_SIZE,
        cache_class: Any = DEFAULT_CACHE_CLASS,
        eviction_policy: EvictionPolicy = DEFAULT_EVICTION_POLICY,
        *,
        ttl: float | None = None,
        allow_list: Iterable[str] | None = None,
        bcast: bool = False,
        prefixes: Iterable[str | bytes] = (),
    ) -> None:
        # a str or float from hand-built settings is a bad value, not a TypeError
        if not isinstance(max_size, int) or max_size < 1:  # type: ignore[redundant-expr]
            raise ValueError("max_size must be a positive integer")
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be positive (or None)")
        self._max_size = max_size
        self._cache_class = cache_class
        self._eviction_policy = eviction_policy
        self.ttl = ttl
        self.allow_list = frozenset(
            c.upper()
            for c in (self.DEFAULT_ALLOW_LIST if allow_list is None else allow_list)
        )
        self.bcast = bcast
        self.prefixes = tuple(prefixes)
        if self.prefixes and not bcast:
            raise ValueError("prefixes need bcast=True")

    @property
    def max_size(self) -> int:
        """Most entries kept."""
        return self._max_size

    def get_cache_class(self) -> Any:
        """The cache class to build."""
        return self._cache_class

    def get_max_size(self) -> int:
        """Most entries kept."""
        return self._max_size

    def get_eviction_policy(self) -> EvictionPolicy:
        """The eviction policy member."""
        return self._eviction_policy

    def is_exceeds_max_size(self, count: int) -> bool:
        """Whether ``count`` entries are over the limit."""
        return count > self._max_size

    def is_allowed_to_cache(self, command: str) -> bool:
        """Whether replies of ``command`` may be cached."""
        return command.upper() in self.allow_list


class CacheFactoryInterface(ABC):
    """Makes the cache of a pool (``ConnectionPool(cache_factory=...)``)."""

    @abstractmethod
    def get_cache(self) -> CacheInterface:
        """A new cache."""


class CacheFactory(CacheFactoryInterface):
    """Makes ``CacheProxy(config.get_cache_class()(cache_config=config))``.

    :param cache_config: the :class:`CacheConfig` (default: ``CacheConfig()``).
    """

    def __init__(self, cache_config: CacheConfig | None = None) -> None:
        self._config = cache_config if cache_config is not None else CacheConfig()

    def get_cache(self) -> CacheInterface:
        """A new cache built from the config, wrapped in a :class:`CacheProxy`."""
        cache_class = self._config.get_cache_class()
        return CacheProxy(cache_class(cache_config=self._config))
