"""redis-py's ``redis.auth.idp``: the very classes of :mod:`aio.redis.auth.idp`
(they do no I/O of their own; the blocking form of the token manager is
``TokenManager.start``)."""

from __future__ import annotations

from aio.redis.auth.idp import (
    IdentityProviderConfigInterface as IdentityProviderConfigInterface,
)
from aio.redis.auth.idp import IdentityProviderInterface as IdentityProviderInterface

__all__ = (
    "IdentityProviderConfigInterface",
    "IdentityProviderInterface",
)
