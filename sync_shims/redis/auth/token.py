"""redis-py's ``redis.auth.token``: the very classes of :mod:`aio.redis.auth.token`
(they do no I/O of their own; the blocking form of the token manager is
``TokenManager.start``)."""

from __future__ import annotations

from aio.redis.auth.token import JWToken as JWToken
from aio.redis.auth.token import SimpleToken as SimpleToken
from aio.redis.auth.token import TokenInterface as TokenInterface
from aio.redis.auth.token import TokenResponse as TokenResponse

__all__ = (
    "JWToken",
    "SimpleToken",
    "TokenInterface",
    "TokenResponse",
)
