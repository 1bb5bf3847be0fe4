"""redis-py's ``redis.auth``: token-based authentication.

:mod:`~aio.redis.auth.token` (the tokens), :mod:`~aio.redis.auth.token_manager`
(keeps one fresh), :mod:`~aio.redis.auth.idp` (where tokens come from) and
:mod:`~aio.redis.auth.err` (their errors). A
:class:`~aio.redis.credentials.StreamingCredentialProvider` built on them
(redis-entraid's, or one's own) streams tokens to the clients it is given, which
re-authenticate their open connections with each (``AUTH <oid> <value>``).

.. versionadded:: 0.1
"""

__all__ = ()
