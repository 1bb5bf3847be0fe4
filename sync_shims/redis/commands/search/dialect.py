"""``redis.commands.search.dialect``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.dialect import *  # noqa: F403
from aio.redis.commands.search.dialect import __all__ as __all__
