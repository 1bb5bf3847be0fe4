"""redis-py's ``redis.crc`` for the blocking API: :func:`key_slot` and
:data:`REDIS_CLUSTER_HASH_SLOTS`, the very ones of :mod:`aio.redis.crc` (see
there for the contract and where aio differs).
"""

from __future__ import annotations

from aio.redis.crc import REDIS_CLUSTER_HASH_SLOTS as REDIS_CLUSTER_HASH_SLOTS
from aio.redis.crc import crc16 as crc16
from aio.redis.crc import key_slot as key_slot

__all__ = ("REDIS_CLUSTER_HASH_SLOTS", "crc16", "key_slot")
