"""The part of redis-py's ``redis.event`` that the blocking client shows: the
very classes of :mod:`aio.redis.event` (``EventException``, raised by a
client's ``on_error`` callback to a streaming credential provider)."""

from __future__ import annotations

from aio.redis.event import ClientType as ClientType
from aio.redis.event import EventException as EventException

__all__ = ("ClientType", "EventException")
