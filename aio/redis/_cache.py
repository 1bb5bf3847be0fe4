"""Client-side caching: replies of read-only commands kept in process, invalidated
by the server (RESP3 ``CLIENT TRACKING``).

Theory of operation
-------------------
A client made with ``Redis(protocol=3, cache_config=CacheConfig(...))`` has a pool
whose connections are :func:`caching_connection_class` subclasses sharing one
:class:`Cache`. Each connection turns tracking on in its handshake
(``CLIENT TRACKING ON``, or ``... BCAST PREFIX p`` to be told about every key under
some prefixes). In the default mode the server remembers which keys each
connection has read and, when one of them changes (or expires, or is evicted),
pushes ``>invalidate [key, ...]`` on that connection; a null key list means "flush
everything" (FLUSHDB/FLUSHALL).

A read of an allowed command (GET, HGETALL, MGET, ... see
:attr:`CacheConfig.DEFAULT_ALLOW_LIST`) whose keys are known (the command mixins
pass ``keys=``) is answered from the cache when present; otherwise it is sent and
its raw reply stored, keyed by the command and its arguments. Replies are stored
raw and converted by the command's callback on every read, so callers never share
a mutable reply with the cache.

Two races are closed here:

* An invalidation can be parsed in the same ``data_received`` call as the reply
  it follows, i.e. before the reader's coroutine resumes to store that reply. So
  every read takes an epoch ticket when sent, invalidations and flushes stamp the
  keys they hit with a new epoch, and a reply is stored only when none of its keys
  was stamped after its ticket.
* A lost connection may have missed invalidations for the keys it was tracking,
  so losing (or closing) any connection of the pool flushes the whole cache.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from aio.proto.resp import Push
from aio.redis._connection import Connection, resp_version
from aio.redis.exceptions import RedisError

__all__ = ("Cache", "CacheConfig", "CacheStats", "caching_connection_class")

logger = logging.getLogger("aio.redis")


class CacheConfig:
    """How a client caches (redis-py's ``CacheConfig``, plus a TTL and BCAST).

    :param max_size: most entries kept; the least recently used goes first.
    :param ttl: seconds an entry may be served (``None``: until invalidated).
    :param allow_list: upper-case command names that may be cached (default
        :attr:`DEFAULT_ALLOW_LIST`).
    :param bcast: track by prefixes (``CLIENT TRACKING ON BCAST``): the server
        reports every change under ``prefixes`` instead of remembering reads.
    :param prefixes: the prefixes for ``bcast`` (none: every key).

    .. versionadded:: 0.1
    """

    DEFAULT_MAX_SIZE = 10000
    DEFAULT_ALLOW_LIST = frozenset(
        (
            "BITCOUNT BITFIELD_RO BITPOS EXISTS GEODIST GEOHASH GEOPOS GEOSEARCH "
            "GET GETBIT GETRANGE HEXISTS HGET HGETALL HKEYS HLEN HMGET HSTRLEN HVALS "
            "LCS LINDEX LLEN LPOS LRANGE MGET SCARD SDIFF SINTER SINTERCARD "
            "SISMEMBER SMEMBERS SMISMEMBER SORT_RO STRLEN SUBSTR SUNION TYPE XLEN "
            "XRANGE XREVRANGE ZCARD ZCOUNT ZDIFF ZINTER ZINTERCARD ZLEXCOUNT "
            "ZMSCORE ZRANGE ZRANGEBYLEX ZRANGEBYSCORE ZRANK ZREVRANGE "
            "ZREVRANGEBYLEX ZREVRANGEBYSCORE ZREVRANK ZSCORE ZUNION"
        ).split()
    )

    def __init__(
        self,
        max_size: int = DEFAULT_MAX_SIZE,
        ttl: float | None = None,
        allow_list: Iterable[str] | None = None,
        bcast: bool = False,
        prefixes: Iterable[str | bytes] = (),
    ) -> None:
        if max_size < 1:
            raise ValueError("max_size must be a positive integer")
        if ttl is not None and ttl <= 0:
            raise ValueError("ttl must be positive (or None)")
        self.max_size = max_size
        self.ttl = ttl
        self.allow_list = (
            self.DEFAULT_ALLOW_LIST
            if allow_list is None
            else frozenset(c.upper() for c in allow_list)
        )
        self.bcast = bcast
        self.prefixes = tuple(prefixes)
        if self.prefixes and not bcast:
            raise ValueError("prefixes need bcast=True")

    def get_max_size(self) -> int:
        """``max_size`` (redis-py's accessor)."""
        return self.max_size

    def is_exceeds_max_size(self, count: int) -> bool:
        """Whether ``count`` entries are over the limit."""
        return count > self.max_size

    def is_allowed_to_cache(self, command: str) -> bool:
        """Whether replies of ``command`` may be cached."""
        return command.upper() in self.allow_list

    def covers(self, keys: Iterable[Any]) -> bool:
        """Whether the server reports changes to all of ``keys`` (always, except
        for keys outside the BCAST prefixes)."""
        if not self.prefixes:
            return True
        wanted = [_key_bytes(p) for p in self.prefixes]
        return all(any(_key_bytes(k).startswith(p) for p in wanted) for k in keys)

    def tracking_command(self) -> tuple[Any, ...]:
        """The ``CLIENT TRACKING ON ...`` command for the handshake."""
        args: list[Any] = ["CLIENT", "TRACKING", "ON"]
        if self.bcast:
            args.append("BCAST")
            for prefix in self.prefixes:
                args += ["PREFIX", prefix]
        return tuple(args)


@dataclass
class CacheStats:
    """Counters of a :class:`Cache` since it was made."""

    hits: int = 0
    misses: int = 0
    #: Entries dropped by the LRU bound or their TTL.
    evictions: int = 0
    #: Entries dropped because the server said their keys changed.
    invalidations: int = 0
    #: Whole-cache flushes (server request, or a connection lost).
    flushes: int = 0


class _Entry:
    __slots__ = ("expires", "keys", "value")

    def __init__(self, value: Any, keys: tuple[bytes, ...], expires: float | None):
        self.value = value
        self.keys = keys
        self.expires = expires


def _key_bytes(key: Any, encoding: str = "utf-8") -> bytes:
    if isinstance(key, bytes):
        return key
    if isinstance(key, str):
        # The connection's encoding: the bytes the server saw (and names in pushes).
        return key.encode(encoding, "surrogateescape")
    if isinstance(key, bytearray | memoryview):
        return bytes(key)
    return str(key).encode()


def _hashable(value: Any) -> Any:
    return bytes(value) if isinstance(value, bytearray | memoryview) else value


def _copy(value: Any) -> Any:
    """A copy of a raw reply deep enough that callbacks may mutate it."""
    if isinstance(value, list):
        return [_copy(v) for v in value]
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, set):
        return set(value)
    return value


class Cache:
    """An LRU map from a command and its arguments to its raw reply.

    :param config: the :class:`CacheConfig`.
    :param encoding: how str keys are encoded (the connections' ``encoding``).

    .. versionadded:: 0.1
    """

    def __init__(self, config: CacheConfig | None = None, encoding: str = "utf-8"):
        self.config = config or CacheConfig()
        #: How str keys are encoded (the connections' ``encoding``).
        self.encoding = encoding
        self.stats = CacheStats()
        self._entries: OrderedDict[Any, _Entry] = OrderedDict()
        self._by_key: dict[bytes, set[Any]] = {}
        # Race guard (see the module docstring).
        self._epoch = 0
        self._flushed_at = 0
        self._stamped: dict[bytes, int] = {}
        self._inflight = 0

    @property
    def size(self) -> int:
        """Entries held."""
        return len(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def make_key(self, args: tuple[Any, ...], decode: bool) -> Any:
        """The cache key of a command (its arguments and whether it decodes)."""
        return (decode, *(_hashable(a) for a in args))

    def get(self, cache_key: Any) -> tuple[bool, Any]:
        """``(True, copy of the reply)`` on a hit, ``(False, None)`` on a miss."""
        entry = self._entries.get(cache_key)
        if entry is not None and entry.expires is not None:
            if time.monotonic() >= entry.expires:
                self._drop(cache_key)
                self.stats.evictions += 1
                entry = None
        if entry is None:
            self.stats.misses += 1
            return False, None
        self._entries.move_to_end(cache_key)
        self.stats.hits += 1
        return True, _copy(entry.value)

    def begin(self) -> int:
        """A ticket for a read about to be sent."""
        self._inflight += 1
        return self._epoch

    def finish(
        self, ticket: int, cache_key: Any, keys: Iterable[Any], value: Any
    ) -> bool:
        """Store a reply read with ``ticket`` unless it may be stale; returns
        whether it was stored. Call it (with ``value=None`` on failure: not
        stored) exactly once per :meth:`begin`."""
        self._inflight -= 1
        try:
            if isinstance(value, RedisError) or cache_key is None:
                return False
            raw_keys = tuple(_key_bytes(k, self.encoding) for k in keys)
            if self._flushed_at > ticket:
                return False
            if any(self._stamped.get(k, 0) > ticket for k in raw_keys):
                return False
            self._put(cache_key, raw_keys, value)
            return True
        finally:
            if self._inflight <= 0:
                self._inflight = 0
                self._stamped.clear()

    def _put(self, cache_key: Any, keys: tuple[bytes, ...], value: Any) -> None:
        if cache_key in self._entries:
            self._drop(cache_key)
        ttl = self.config.ttl
        expires = time.monotonic() + ttl if ttl is not None else None
        self._entries[cache_key] = _Entry(_copy(value), keys, expires)
        for key in keys:
            self._by_key.setdefault(key, set()).add(cache_key)
        while len(self._entries) > self.config.max_size:
            oldest = next(iter(self._entries))
            self._drop(oldest)
            self.stats.evictions += 1

    def _drop(self, cache_key: Any) -> None:
        entry = self._entries.pop(cache_key, None)
        if entry is None:
            return
        for key in entry.keys:
            owners = self._by_key.get(key)
            if owners is not None:
                owners.discard(cache_key)
                if not owners:
                    del self._by_key[key]

    def delete_by_redis_keys(self, keys: Iterable[Any]) -> int:
        """Drop every entry that read one of ``keys``; returns how many."""
        self._epoch += 1
        dropped = 0
        for key in keys:
            raw = _key_bytes(key, self.encoding)
            if self._inflight:
                self._stamped[raw] = self._epoch
            for cache_key in list(self._by_key.get(raw, ())):
                self._drop(cache_key)
                dropped += 1
        self.stats.invalidations += dropped
        return dropped

    def flush(self) -> int:
        """Drop every entry; returns how many there were."""
        self._epoch += 1
        self._flushed_at = self._epoch
        count = len(self._entries)
        self._entries.clear()
        self._by_key.clear()
        self.stats.flushes += 1
        return count

    def handle_push(self, push: Push) -> bool:
        """Apply an ``invalidate`` push; False for any other push."""
        if len(push) < 2:
            return False
        kind = push[0]
        if isinstance(kind, bytes):
            kind = kind.decode("ascii", "replace")
        if kind != "invalidate":
            return False
        keys = push[1]
        if keys is None:
            self.flush()
        elif isinstance(keys, list):
            self.delete_by_redis_keys(keys)
        else:
            logger.warning("malformed invalidation push: %.80r", push)
            self.flush()
        return True


class _CachingConnection(Connection):
    """Tracking on, reads answered from the shared cache, flushed on loss."""

    _cache: Cache

    def __init__(self, *, cache: Cache, **kwargs: Any) -> None:
        self._cache = cache
        self._user_push_handler: Any = None
        super().__init__(**kwargs)
        if self.protocol != 3:
            raise RedisError("Client caching is only supported with RESP version 3")

    # Every push comes here first; others go on to whoever set a handler
    # (a PubSub object borrowing the connection).
    @property
    def push_handler(self) -> Any:
        return self._dispatch_push

    @push_handler.setter
    def push_handler(self, handler: Any) -> None:
        self._user_push_handler = handler

    def _dispatch_push(self, push: Push) -> None:
        if self._cache.handle_push(push):
            return
        handler = self._user_push_handler
        if handler is not None:
            handler(push)
        elif self.message_sink is not None:
            self.message_sink(push)
        else:
            logger.debug("dropping a push nobody waits for: %.80r", push)

    def _handshake_commands(self) -> list[tuple[Any, ...]]:
        return [*super()._handshake_commands(), self._cache.config.tracking_command()]

    async def execute(self, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
        """Answer an allowed read from the cache, or run it and remember it."""
        keys = options.get("keys")
        name = args[0]
        config = self._cache.config
        if (
            not keys
            or not isinstance(name, str)
            or not config.is_allowed_to_cache(name)
            or not config.covers(keys)
        ):
            return await super().execute(args, options)
        cache = self._cache
        cache_key = cache.make_key(args, "NEVER_DECODE" not in options)
        hit, value = cache.get(cache_key)
        if hit:
            return value
        ticket = cache.begin()
        reply: Any = None
        done = False
        try:
            reply = await super().execute(args, options)
            done = True
        finally:
            cache.finish(ticket, cache_key if done else None, keys, reply)
        return reply

    # A connection that goes away may have missed invalidations.
    def _on_lost(self, exc: Exception | None) -> None:
        self._cache.flush()
        super()._on_lost(exc)

    def _abort(self, error: Exception) -> None:
        self._cache.flush()
        super()._abort(error)

    async def disconnect(self, nowait: bool = False) -> None:
        """Close the connection and flush the cache."""
        if self._transport is not None:
            self._cache.flush()
        await super().disconnect(nowait)


_classes: dict[type[Connection], type[Connection]] = {}


def caching_connection_class(base: type[Connection]) -> type[Connection]:
    """``base`` with client-side caching (one class per base, reused)."""
    if issubclass(base, _CachingConnection):
        return base
    cls = _classes.get(base)
    if cls is None:
        cls = type("Caching" + base.__name__, (_CachingConnection, base), {})
        _classes[base] = cls
    return cls


def enable_cache(pool: Any, cache: Cache | None, config: CacheConfig | None) -> Cache:
    """Make ``pool``'s connections cache into ``cache`` (or a new one).

    :raises ValueError: ``cache`` is not a :class:`Cache`.
    :raises RedisError: the pool's protocol is not RESP3.
    """
    if cache is not None and not isinstance(cache, Cache):
        # redis-py's message (its CacheInterface is what aio's Cache stands for)
        raise ValueError(
            "Cache must implement CacheInterface (an aio.redis.Cache),"
            f" not {type(cache).__name__}"
        )
    if cache is None:
        cache = Cache(config, pool.connection_kwargs.get("encoding", "utf-8"))
    if resp_version(pool.connection_kwargs.get("protocol")) != 3:
        raise RedisError("Client caching is only supported with RESP version 3")
    pool.connection_class = caching_connection_class(pool.connection_class)
    pool.connection_kwargs["cache"] = cache
    return cache
