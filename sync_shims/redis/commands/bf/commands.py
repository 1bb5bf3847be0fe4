"""``redis.commands.bf.commands``: the command names, and the blocking command
mixins under redis-py's names (``BFCommands``... are the generated twins of
aio's, whose methods block for the reply)."""

from __future__ import annotations

# The command names (BF_ADD...): the core's list, public here as in redis-py.
from aio.redis.commands.bf._names import *  # noqa: F403
from aio.redis.commands.bf._names import __all__ as __all__
from sync_shims._generated_redis_bf import BFCommandsTwin as BFCommands
from sync_shims._generated_redis_bf import CFCommandsTwin as CFCommands
from sync_shims._generated_redis_bf import CMSCommandsTwin as CMSCommands
from sync_shims._generated_redis_bf import TDigestCommandsTwin as TDigestCommands
from sync_shims._generated_redis_bf import TOPKCommandsTwin as TOPKCommands

__all__ += (
    "BFCommands",
    "CFCommands",
    "CMSCommands",
    "TDigestCommands",
    "TOPKCommands",
)
