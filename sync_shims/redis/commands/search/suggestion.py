"""``redis.commands.search.suggestion``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.suggestion import *  # noqa: F403
from aio.redis.commands.search.suggestion import __all__ as __all__
