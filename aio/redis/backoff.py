"""Backoff policies for :class:`~aio.redis.retry.Retry`: how long to wait before
retry number ``failures`` (1-based). Names and formulas follow redis-py's
``redis.backoff`` so configurations move over unchanged."""

from __future__ import annotations

import random
from abc import ABC, abstractmethod

__all__ = (
    "AbstractBackoff",
    "ConstantBackoff",
    "DecorrelatedJitterBackoff",
    "EqualJitterBackoff",
    "ExponentialBackoff",
    "ExponentialWithJitterBackoff",
    "FullJitterBackoff",
    "NoBackoff",
    "default_backoff",
)

DEFAULT_BASE = 0.008
DEFAULT_CAP = 0.512


class AbstractBackoff(ABC):
    """A backoff policy. Two policies of the same class and parameters are
    equal (and hash alike), as redis-py's, so a ``Retry`` compares by value."""

    def _params(self) -> tuple[float, ...]:
        # The parameters that define the policy (not its state between calls).
        return ()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, AbstractBackoff):
            return NotImplemented
        return type(self) is type(other) and self._params() == other._params()

    def __hash__(self) -> int:
        return hash((type(self).__name__, self._params()))

    def reset(self) -> None:  # noqa: B027 - optional hook
        """Forget state between two retried operations (stateful policies)."""

    @abstractmethod
    def compute(self, failures: int) -> float:
        """Seconds to wait before the next attempt after ``failures`` failures."""


class ConstantBackoff(AbstractBackoff):
    """Always wait ``backoff`` seconds."""

    def __init__(self, backoff: float) -> None:
        self._backoff = backoff

    def _params(self) -> tuple[float, ...]:
        return (self._backoff,)

    def compute(self, failures: int) -> float:
        return self._backoff


class NoBackoff(ConstantBackoff):
    """Retry immediately."""

    def __init__(self) -> None:
        super().__init__(0)


class ExponentialBackoff(AbstractBackoff):
    """``min(cap, base * 2**failures)``."""

    def __init__(self, cap: float = DEFAULT_CAP, base: float = DEFAULT_BASE) -> None:
        self._cap = cap
        self._base = base

    def _params(self) -> tuple[float, ...]:
        return (self._cap, self._base)

    def compute(self, failures: int) -> float:
        return float(min(self._cap, self._base * 2 ** min(failures, 64)))


class FullJitterBackoff(ExponentialBackoff):
    """A random wait between 0 and the exponential backoff."""

    def compute(self, failures: int) -> float:
        return random.uniform(0, super().compute(failures))


class EqualJitterBackoff(ExponentialBackoff):
    """Half the exponential backoff plus a random half."""

    def compute(self, failures: int) -> float:
        half = super().compute(failures) / 2
        return half + random.uniform(0, half)


class ExponentialWithJitterBackoff(ExponentialBackoff):
    """A random wait between 0 and ``base * 2**failures``, capped at ``cap``
    (redis-py's formula; the policy of the default retry)."""

    def compute(self, failures: int) -> float:
        grown = self._base * 2 ** min(failures, 64)
        return float(min(self._cap, random.random() * grown))


class DecorrelatedJitterBackoff(AbstractBackoff):
    """Each wait is random between ``base`` and three times the previous one."""

    def __init__(self, cap: float = DEFAULT_CAP, base: float = DEFAULT_BASE) -> None:
        self._cap = cap
        self._base = base
        self._previous = 0.0

    def _params(self) -> tuple[float, ...]:
        return (self._cap, self._base)

    def reset(self) -> None:
        self._previous = 0.0

    def compute(self, failures: int) -> float:
        top = max(self._base, self._previous * 3)
        self._previous = min(self._cap, random.uniform(self._base, top))
        return self._previous


def default_backoff() -> AbstractBackoff:
    """The policy used when none is given: equal jitter with the defaults."""
    return EqualJitterBackoff()
