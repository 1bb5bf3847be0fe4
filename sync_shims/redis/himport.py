"""redis-py's ``redis.himport``: the registry of HIMPORT fieldsets, shared by
the connections of a pool (``pool.himport_registry``). The very classes of
:mod:`aio.redis.himport` (pure state, no I/O): the blocking client's
``himport_prepare``, ``himport_set`` and ``himport_discard`` run on the core.
"""

from __future__ import annotations

# The core's names, all of them and nothing else: its __all__ is the list.
from aio.redis.himport import *  # noqa: F403
from aio.redis.himport import __all__ as __all__
