"""Review follow-ups of the module command objects and the cluster client,
each compared with redis-py.

- ``RedisCluster(read_from_replicas=..., cluster_error_retry_attempts=...)``
  warns as redis.asyncio's: whenever passed by keyword, in its words and order.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import RedisCluster


def _warned(make: Any, *args: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    """(category, message, file name) of each warning ``make(...)`` gives."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make(*args, **kwargs)
    return [
        (w.category.__name__, str(w.message), w.filename.rsplit("/", 1)[-1])
        for w in caught
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"read_from_replicas": True},
        {"read_from_replicas": False},
        {"cluster_error_retry_attempts": 3},
        {"cluster_error_retry_attempts": 3, "read_from_replicas": True},
        {"read_from_replicas": True, "lib_name": "x", "lib_version": "1"},
        {"load_balancing_strategy": None, "retry": None},
    ],
)
def test_cluster_deprecated_arguments_warn_as_redis_py(kwargs: dict[str, Any]) -> None:
    theirs = _warned(redispy.RedisCluster, host="127.0.0.1", port=1, **kwargs)
    ours = _warned(RedisCluster, host="127.0.0.1", port=1, **kwargs)
    assert [w[:2] for w in ours] == [w[:2] for w in theirs]
    # ours point at the caller's line
    assert {w[2] for w in ours} <= {"test_review_modules.py"}


def test_cluster_read_from_replicas_by_position_warns_as_redis_py() -> None:
    args = ("127.0.0.1", 1, None, True, False)
    theirs = _warned(redispy.RedisCluster, *args)
    ours = _warned(RedisCluster, *args)
    # redis-py's stacked decorators see keywords only: no warning
    assert [w[:2] for w in ours] == [w[:2] for w in theirs] == []


def test_cluster_from_url_warns_as_redis_py() -> None:
    url = "redis://127.0.0.1:1"
    theirs = _warned(redispy.RedisCluster.from_url, url, read_from_replicas=True)
    ours = _warned(RedisCluster.from_url, url, read_from_replicas=True)
    assert [w[:2] for w in ours] == [w[:2] for w in theirs]
    assert len(ours) == 1
