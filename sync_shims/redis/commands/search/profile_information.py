"""``redis.commands.search.profile_information``: aio's module, re-exported (the same classes)."""

from __future__ import annotations

from aio.redis.commands.search.profile_information import *  # noqa: F403
from aio.redis.commands.search.profile_information import __all__ as __all__
