"""redis-py's ``redis.auth.err``: the very classes of :mod:`aio.redis.auth.err`
(they do no I/O of their own; the blocking form of the token manager is
``TokenManager.start``)."""

from __future__ import annotations

from aio.redis.auth.err import InvalidTokenSchemaErr as InvalidTokenSchemaErr
from aio.redis.auth.err import RequestTokenErr as RequestTokenErr
from aio.redis.auth.err import TokenRenewalErr as TokenRenewalErr

__all__ = (
    "InvalidTokenSchemaErr",
    "RequestTokenErr",
    "TokenRenewalErr",
)
