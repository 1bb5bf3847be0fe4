"""A list of ``(item, weight)`` kept in descending weight order, safe to share
between threads (redis-py's ``redis.data_structure.WeightedList``): items of
equal weight keep their insertion order, and iteration walks a snapshot."""

from __future__ import annotations

import bisect
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

__all__ = ("WeightedList",)

T = TypeVar("T")


class WeightedList(Generic[T]):
    """Items sorted by weight, highest first."""

    def __init__(self) -> None:
        self._items: list[tuple[T, float]] = []
        self._lock = threading.RLock()

    def add(self, item: T, weight: float) -> None:
        """Insert ``item`` after every item of the same or higher weight."""
        with self._lock:
            # Negated weights ascend where the weights descend.
            keys = [-w for _, w in self._items]
            self._items.insert(bisect.bisect_right(keys, -weight), (item, weight))

    def remove(self, item: T) -> float:
        """Remove the first ``item`` (by ``==``); return its weight.

        :raises ValueError: ``item`` is not in the list.
        """
        with self._lock:
            for index, (stored, weight) in enumerate(self._items):
                if stored == item:
                    del self._items[index]
                    return weight
        raise ValueError("Item not found")

    def get_by_weight_range(
        self, min_weight: float, max_weight: float
    ) -> list[tuple[T, float]]:
        """The items whose weight is within ``[min_weight, max_weight]``."""
        with self._lock:
            return [(i, w) for i, w in self._items if min_weight <= w <= max_weight]

    def get_top_n(self, n: int) -> list[tuple[T, float]]:
        """The ``n`` highest weighted items."""
        with self._lock:
            return list(self._items[:n])

    def update_weight(self, item: T, new_weight: float) -> float:
        """Move ``item`` to ``new_weight``; return the old weight."""
        with self._lock:
            old = self.remove(item)
            self.add(item, new_weight)
            return old

    def __iter__(self) -> Iterator[tuple[T, float]]:
        with self._lock:
            snapshot = list(self._items)
        return iter(snapshot)

    def __len__(self) -> int:
        with self._lock:
            return len(self._items)

    def __getitem__(self, index: int) -> tuple[T, float]:
        with self._lock:
            return self._items[index]
