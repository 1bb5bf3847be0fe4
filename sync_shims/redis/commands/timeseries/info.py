"""redis-py's ``redis.commands.timeseries.info`` for blocking code: the core's
:class:`~aio.redis.commands.timeseries.info.TSInfo` (no I/O in it)."""

from __future__ import annotations

from aio.redis.commands.timeseries.info import TSInfo as TSInfo

__all__ = ("TSInfo",)
