"""``redis.commands.search.document``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.document import *  # noqa: F403
from aio.redis.commands.search.document import __all__ as __all__
