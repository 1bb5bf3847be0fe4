"""``redis.commands.json.path``: :class:`Path`, the same class as aio's."""

from __future__ import annotations

from aio.redis.commands.json.path import Path as Path

__all__ = ("Path",)
