"""``redis.commands.search.reducers``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.reducers import *  # noqa: F403
from aio.redis.commands.search.reducers import __all__ as __all__
