"""redis-py's ``redis.auth``: token-based authentication for the blocking client.

The modules re-export :mod:`aio.redis.auth`'s: :mod:`.token`, :mod:`.token_manager`,
:mod:`.idp` and :mod:`.err`. A streaming credential provider built on them
re-authenticates a blocking client's open connections with each token it pushes
(its callbacks block until that is done).
"""

__all__ = ()
