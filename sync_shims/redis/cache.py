"""redis-py's ``redis.cache``: the client-side cache's classes, for blocking code.

``from sync_shims.redis.cache import CacheConfig`` and
``Redis(protocol=3, cache_config=CacheConfig(...))`` (or ``cache=`` a
:class:`CacheInterface` of the user's) as with redis-py. The classes are
:mod:`aio.redis.cache`'s: they do no I/O, so the blocking client and the async
core share them; the core's invalidation machinery (RESP3 ``CLIENT TRACKING``)
keeps them correct. See ``docs/redis.md`` ("Client-side caching").
"""

from __future__ import annotations

# The core's names, all of them and nothing else: its __all__ is the list.
from aio.redis.cache import *  # noqa: F403
from aio.redis.cache import __all__ as __all__
