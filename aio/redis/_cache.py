"""Client-side caching: replies of read-only commands kept in process, invalidated
by the server (RESP3 ``CLIENT TRACKING``).

Theory of operation
-------------------
A client made with ``Redis(protocol=3, cache_config=CacheConfig(...))`` (or
``cache=`` any :class:`~aio.redis.cache.CacheInterface`) has a pool whose
connections are :func:`caching_connection_class` subclasses sharing one
:class:`CacheTracker`, which drives the pool's cache (``pool.cache``: what
``get_cache()`` returns) through redis-py's interface only, so a user's own cache
class works the same. Each connection turns tracking on in its handshake
(``CLIENT TRACKING ON``, or ``... BCAST PREFIX p`` to be told about every key under
some prefixes). In the default mode the server remembers which keys each
connection has read and, when one of them changes (or expires, or is evicted),
pushes ``>invalidate [key, ...]`` on that connection; a null key list means "flush
everything" (FLUSHDB/FLUSHALL).

A read of an allowed command (GET, HGETALL, MGET, ... see
:attr:`CacheConfig.DEFAULT_ALLOW_LIST`) whose keys are known (the command mixins
pass ``keys=``) is answered from the cache when present; otherwise it is sent and
its raw reply stored under redis-py's
``CacheKey(command, keys, args)``. A read that must not decode
(``NEVER_DECODE``) on a decoding connection bypasses the cache, since the key
(redis-py's) does not say how the reply was decoded. Replies are stored
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
from collections.abc import Iterable
from typing import Any

from aio.proto.resp import Push
from aio.redis._connection import NEVER_DECODE, Connection, resp_version
from aio.redis.cache import (
    CacheConfig,
    CacheEntry,
    CacheEntryStatus,
    CacheFactory,
    CacheInterface,
    CacheKey,
    CacheProxy,
    CacheStats,
)
from aio.redis.exceptions import RedisError

__all__ = ("CacheTracker", "caching_connection_class", "enable_cache")

logger = logging.getLogger("aio.redis")


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


class CacheTracker:
    """The invalidation machinery over one :class:`~aio.redis.cache.CacheInterface`.

    :param cache: the cache (``pool.cache``).
    :param encoding: how str keys are encoded (the connections' ``encoding``).
    """

    def __init__(self, cache: CacheInterface, encoding: str = "utf-8") -> None:
        #: The cache it drives.
        self.cache: CacheInterface = cache
        self.encoding = encoding
        config = getattr(cache, "config", None)
        bcast = getattr(config, "bcast", False)
        prefixes = getattr(config, "prefixes", ())
        self.bcast = bcast is True
        self.prefixes: tuple[Any, ...] = (
            tuple(prefixes) if self.bcast and isinstance(prefixes, tuple | list) else ()
        )
        stats = getattr(cache, "stats", None)
        #: The cache's own counters when it has them (aio's caches), else the
        #: tracker's.
        self.stats: CacheStats = (
            stats if isinstance(stats, CacheStats) else CacheStats()
        )
        # Race guard (see the module docstring).
        self._epoch = 0
        self._flushed_at = 0
        self._stamped: dict[bytes, int] = {}
        self._inflight = 0

    def tracking_command(self) -> tuple[Any, ...]:
        """The ``CLIENT TRACKING ON ...`` command for the handshake."""
        args: list[Any] = ["CLIENT", "TRACKING", "ON"]
        if self.bcast:
            args.append("BCAST")
            for prefix in self.prefixes:
                args += ["PREFIX", prefix]
        return tuple(args)

    def covers(self, keys: Iterable[Any]) -> bool:
        """Whether the server reports changes to all of ``keys`` (always, except
        for keys outside the BCAST prefixes)."""
        if not self.prefixes:
            return True
        wanted = [_key_bytes(p, self.encoding) for p in self.prefixes]
        return all(
            any(_key_bytes(k, self.encoding).startswith(p) for p in wanted)
            for k in keys
        )

    def make_key(self, args: tuple[Any, ...], keys: Iterable[Any]) -> CacheKey:
        """redis-py's key of a command: its name, keys and whole arguments."""
        return CacheKey(
            command=args[0],
            redis_keys=tuple(_hashable(k) for k in keys),
            redis_args=tuple(_hashable(a) for a in args),
        )

    def is_cachable(self, command: str) -> bool:
        """Whether the cache takes replies of ``command``."""
        return bool(self.cache.is_cachable(CacheKey(command=command, redis_keys=())))

    def get(self, cache_key: CacheKey) -> tuple[bool, Any]:
        """``(True, copy of the reply)`` on a hit, ``(False, None)`` on a miss."""
        entry = self.cache.get(cache_key)
        if entry is None or entry.status is not CacheEntryStatus.VALID:
            self.stats.misses += 1
            return False, None
        self.stats.hits += 1
        return True, _copy(entry.cache_value)

    def begin(self) -> int:
        """A ticket for a read about to be sent."""
        self._inflight += 1
        return self._epoch

    def finish(
        self,
        ticket: int,
        cache_key: CacheKey | None,
        value: Any,
        connection: Any = None,
    ) -> bool:
        """Store a reply read with ``ticket`` unless it may be stale; returns
        whether it was stored. Call it (with ``cache_key=None`` on failure: not
        stored) exactly once per :meth:`begin`."""
        self._inflight -= 1
        try:
            if isinstance(value, RedisError) or cache_key is None or value is None:
                return False
            raw_keys = [_key_bytes(k, self.encoding) for k in cache_key.redis_keys]
            if self._flushed_at > ticket:
                return False
            if any(self._stamped.get(k, 0) > ticket for k in raw_keys):
                return False
            entry = CacheEntry(
                cache_key, _copy(value), CacheEntryStatus.VALID, connection
            )
            return bool(self.cache.set(entry))
        finally:
            if self._inflight <= 0:
                self._inflight = 0
                self._stamped.clear()

    def delete_by_redis_keys(self, keys: Iterable[Any]) -> int:
        """Drop every entry that read one of ``keys``; returns how many."""
        self._epoch += 1
        names: list[Any] = []
        for key in keys:
            raw = _key_bytes(key, self.encoding)
            if self._inflight:
                self._stamped[raw] = self._epoch
            names.append(raw)
            if self.encoding.lower().replace("-", "") not in ("utf8", "ascii"):
                # The cache matches str keys by their UTF-8 bytes.
                names.append(raw.decode(self.encoding, "surrogateescape"))
        dropped = len(self.cache.delete_by_redis_keys(names))
        self.stats.invalidations += dropped
        return dropped

    def flush(self) -> int:
        """Drop every entry; returns how many there were."""
        self._epoch += 1
        self._flushed_at = self._epoch
        self.stats.flushes += 1
        return int(self.cache.flush())

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

    _cache: CacheTracker

    def __init__(self, *, cache: CacheTracker, **kwargs: Any) -> None:
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
        return [*super()._handshake_commands(), self._cache.tracking_command()]

    def _may_cache(self, args: tuple[Any, ...], options: dict[str, Any]) -> bool:
        keys = options.get("keys")
        name = args[0]
        if not keys or not isinstance(name, str):
            return False
        if self.decode_responses and NEVER_DECODE in options:
            return False
        tracker = self._cache
        return tracker.is_cachable(name) and tracker.covers(keys)

    async def execute(self, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
        """Answer an allowed read from the cache, or run it and remember it."""
        if not self._may_cache(args, options):
            return await super().execute(args, options)
        tracker = self._cache
        cache_key = tracker.make_key(args, options["keys"])
        try:
            hash(cache_key)
        except TypeError:  # an argument no dict can hold: not cached
            return await super().execute(args, options)
        hit, value = tracker.get(cache_key)
        if hit:
            return value
        ticket = tracker.begin()
        reply: Any = None
        done = False
        try:
            reply = await super().execute(args, options)
            done = True
        finally:
            tracker.finish(ticket, cache_key if done else None, reply, self)
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


def enable_cache(
    pool: Any,
    cache: Any,
    config: CacheConfig | None,
    factory: Any = None,
) -> CacheInterface:
    """Make ``pool``'s connections cache, as redis-py's pool does: into
    ``cache`` as given, else ``CacheProxy(factory.get_cache())``, else a cache
    built from ``config``. Returns the cache (``pool.cache``).

    :raises ValueError: ``cache`` is no :class:`~aio.redis.cache.CacheInterface`.
    :raises RedisError: the pool's protocol is not RESP3.
    """
    if resp_version(pool.connection_kwargs.get("protocol")) != 3:
        raise RedisError("Client caching is only supported with RESP version 3")
    tracker: CacheTracker | None = None
    if isinstance(cache, CacheTracker):
        # a pool made from another's connection_kwargs shares its cache
        tracker, cache = cache, cache.cache
    elif cache is not None and not isinstance(cache, CacheInterface):
        raise ValueError(
            "Cache must implement CacheInterface (aio.redis.cache.CacheInterface),"
            f" not {type(cache).__name__}"
        )
    if cache is None:
        if factory is not None:
            cache = CacheProxy(factory.get_cache())
        else:
            cache = CacheFactory(config).get_cache()
    if tracker is None:
        tracker = CacheTracker(cache, pool.connection_kwargs.get("encoding", "utf-8"))
    pool.connection_class = caching_connection_class(pool.connection_class)
    pool.connection_kwargs["cache"] = tracker
    return tracker.cache
