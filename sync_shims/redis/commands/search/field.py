"""``redis.commands.search.field``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.field import *  # noqa: F403
from aio.redis.commands.search.field import __all__ as __all__
