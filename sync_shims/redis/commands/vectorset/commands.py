"""redis-py's ``redis.commands.vectorset.commands`` for blocking code:
``QuantizationOptions``, ``CallbacksOptions``, the command names. The core's
module: nothing in it does I/O."""

from __future__ import annotations

# The core's names, all of them and nothing else: its __all__ is the list.
from aio.redis.commands.vectorset.commands import *  # noqa: F403
from aio.redis.commands.vectorset.commands import __all__ as __all__
