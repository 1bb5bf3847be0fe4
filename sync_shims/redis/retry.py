"""redis-py's ``redis.retry``: :class:`Retry` policies (aio's, used as they are)."""

from __future__ import annotations

from aio.redis.retry import Retry as Retry

__all__ = ("Retry",)
