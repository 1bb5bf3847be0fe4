"""One client-side cache for every node of a cluster, as redis-py's cluster has.

redis-py's ``RedisCluster(protocol=3, cache_config=...)`` (or ``cache=``,
``cache_factory=``) builds one cache in its ``NodesManager`` and gives that
same cache to every node's client, so a key read through any node is cached in
one place (a key lives on one node, so entries never clash). Here the cluster
client builds the cache once and puts one :class:`~aio.redis._cache.CacheTracker`
over it in the node connection arguments: every node pool made from them (the
first nodes, replicas, nodes met later through MOVED/ASK) shares the tracker
(:func:`aio.redis._cache.enable_cache` takes a tracker as a pool's ``cache``),
so each node's connections turn tracking on and their invalidation pushes, and
any lost connection (which may have missed some), act on the one cache.
"""

from __future__ import annotations

from typing import Any

from aio.redis._cache import CacheTracker
from aio.redis._connection import resp_version
from aio.redis.cache import CacheFactory, CacheInterface, CacheProxy
from aio.redis.exceptions import RedisError

__all__ = ("share_cache",)


def share_cache(connection_kwargs: dict[str, Any]) -> CacheInterface | None:
    """Replace ``cache``/``cache_config``/``cache_factory`` in the node
    ``connection_kwargs`` by one tracker of one cache; returns that cache (what
    ``get_cache()`` gives), or None when none was asked for.

    As redis-py's cluster: ``cache=`` as given, else ``cache_factory``'s (in a
    :class:`~aio.redis.cache.CacheProxy`), else one built from ``cache_config``.

    :raises RedisError: caching asked for on RESP2.
    :raises ValueError: ``cache`` is no :class:`~aio.redis.cache.CacheInterface`.
    """
    cache = connection_kwargs.pop("cache", None)
    config = connection_kwargs.pop("cache_config", None)
    factory = connection_kwargs.pop("cache_factory", None)
    if cache is None and config is None and factory is None:
        return None
    if resp_version(connection_kwargs.get("protocol")) != 3:
        raise RedisError("Client caching is only supported with RESP version 3")
    if isinstance(cache, CacheTracker):
        tracker = cache  # the arguments of another client of this cluster
    else:
        if cache is None:
            cache = (
                CacheProxy(factory.get_cache())
                if factory is not None
                else CacheFactory(config).get_cache()
            )
        elif not isinstance(cache, CacheInterface):
            raise ValueError(
                "Cache must implement CacheInterface (aio.redis.cache.CacheInterface),"
                f" not {type(cache).__name__}"
            )
        tracker = CacheTracker(cache, connection_kwargs.get("encoding", "utf-8"))
    connection_kwargs["cache"] = tracker
    return tracker.cache
