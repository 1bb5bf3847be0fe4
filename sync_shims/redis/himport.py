"""redis-py's ``redis.himport``: the registry of HIMPORT fieldsets, shared by
the connections of a pool (``pool.himport_registry``). The very classes of
:mod:`aio.redis.himport` (pure state, no I/O): the blocking client's
``himport_prepare``, ``himport_set`` and ``himport_discard`` run on the core.
"""

from __future__ import annotations

from aio.redis.himport import HIMPORT_DISCARD as HIMPORT_DISCARD
from aio.redis.himport import HIMPORT_DISCARDALL as HIMPORT_DISCARDALL
from aio.redis.himport import HIMPORT_PREPARE as HIMPORT_PREPARE
from aio.redis.himport import HIMPORT_SET as HIMPORT_SET
from aio.redis.himport import HImportFieldset as HImportFieldset
from aio.redis.himport import HImportRegistry as HImportRegistry
from aio.redis.himport import is_himport_set_command as is_himport_set_command
from aio.redis.himport import parse_himport_set_args as parse_himport_set_args

__all__ = (
    "HIMPORT_DISCARD",
    "HIMPORT_DISCARDALL",
    "HIMPORT_PREPARE",
    "HIMPORT_SET",
    "HImportFieldset",
    "HImportRegistry",
    "is_himport_set_command",
    "parse_himport_set_args",
)
