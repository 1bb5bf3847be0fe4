"""redis-py's ``redis.cache``: the client-side cache's classes, for blocking code.

``from sync_shims.redis.cache import CacheConfig`` and
``Redis(protocol=3, cache_config=CacheConfig(...))`` (or ``cache=`` a
:class:`CacheInterface` of the user's) as with redis-py. The classes are
:mod:`aio.redis.cache`'s: they do no I/O, so the blocking client and the async
core share them; the core's invalidation machinery (RESP3 ``CLIENT TRACKING``)
keeps them correct. See ``docs/redis.md`` ("Client-side caching").
"""

from __future__ import annotations

from aio.redis.cache import CacheConfig as CacheConfig
from aio.redis.cache import CacheConfigurationInterface as CacheConfigurationInterface
from aio.redis.cache import CacheEntry as CacheEntry
from aio.redis.cache import CacheEntryStatus as CacheEntryStatus
from aio.redis.cache import CacheFactory as CacheFactory
from aio.redis.cache import CacheFactoryInterface as CacheFactoryInterface
from aio.redis.cache import CacheInterface as CacheInterface
from aio.redis.cache import CacheKey as CacheKey
from aio.redis.cache import CacheProxy as CacheProxy
from aio.redis.cache import CacheStats as CacheStats
from aio.redis.cache import DefaultCache as DefaultCache
from aio.redis.cache import EvictionPolicy as EvictionPolicy
from aio.redis.cache import EvictionPolicyInterface as EvictionPolicyInterface
from aio.redis.cache import EvictionPolicyType as EvictionPolicyType
from aio.redis.cache import LRUPolicy as LRUPolicy

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
