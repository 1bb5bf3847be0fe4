"""redis-py's ``redis.backoff``: backoff policies for :class:`~sync_shims.redis.retry.Retry`."""

from __future__ import annotations

from aio.redis.backoff import AbstractBackoff as AbstractBackoff
from aio.redis.backoff import ConstantBackoff as ConstantBackoff
from aio.redis.backoff import DecorrelatedJitterBackoff as DecorrelatedJitterBackoff
from aio.redis.backoff import EqualJitterBackoff as EqualJitterBackoff
from aio.redis.backoff import ExponentialBackoff as ExponentialBackoff
from aio.redis.backoff import (
    ExponentialWithJitterBackoff as ExponentialWithJitterBackoff,
)
from aio.redis.backoff import FullJitterBackoff as FullJitterBackoff
from aio.redis.backoff import NoBackoff as NoBackoff
from aio.redis.backoff import default_backoff as default_backoff

__all__ = (
    "AbstractBackoff",
    "ConstantBackoff",
    "DecorrelatedJitterBackoff",
    "EqualJitterBackoff",
    "ExponentialBackoff",
    "ExponentialWithJitterBackoff",
    "FullJitterBackoff",
    "NoBackoff",
    "default_backoff",
)
