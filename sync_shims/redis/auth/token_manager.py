"""redis-py's ``redis.auth.token_manager``: the very classes of :mod:`aio.redis.auth.token_manager`
(they do no I/O of their own; the blocking form of the token manager is
``TokenManager.start``)."""

from __future__ import annotations

from aio.redis.auth.token_manager import CredentialsListener as CredentialsListener
from aio.redis.auth.token_manager import RetryPolicy as RetryPolicy
from aio.redis.auth.token_manager import TokenManager as TokenManager
from aio.redis.auth.token_manager import TokenManagerConfig as TokenManagerConfig

__all__ = (
    "CredentialsListener",
    "RetryPolicy",
    "TokenManager",
    "TokenManagerConfig",
)
