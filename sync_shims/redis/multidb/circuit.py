"""redis-py's ``redis.multidb.circuit``: the circuit breakers are the async
core's (:mod:`aio.redis.multidb.circuit`), thread-safe and loop-agnostic."""

from __future__ import annotations

from aio.redis.multidb.circuit import DEFAULT_GRACE_PERIOD as DEFAULT_GRACE_PERIOD
from aio.redis.multidb.circuit import BaseCircuitBreaker as BaseCircuitBreaker
from aio.redis.multidb.circuit import CircuitBreaker as CircuitBreaker
from aio.redis.multidb.circuit import DefaultCircuitBreaker as DefaultCircuitBreaker
from aio.redis.multidb.circuit import State as State

__all__ = (
    "DEFAULT_GRACE_PERIOD",
    "BaseCircuitBreaker",
    "CircuitBreaker",
    "DefaultCircuitBreaker",
    "State",
)
