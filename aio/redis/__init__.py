"""An asyncio Redis client that mirrors redis-py's ``redis.asyncio`` API."""

from __future__ import annotations

from aio.redis import exceptions as exceptions

__all__ = ("exceptions",)
