"""Review follow-ups of the blocking cluster client, compared with redis-py's
blocking ``RedisCluster``.

- ``read_from_replicas`` and ``cluster_error_retry_attempts`` warn once each,
  in redis-py's words, whether or not ``retry`` is given.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
import redis

from sync_shims.redis import RedisCluster


def _warned(make: Any, **kwargs: Any) -> list[tuple[str, str, str]]:
    """(category, message, file name) of each warning the constructor gives
    (on a port nobody listens on: it then raises, after warning)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(Exception, match="(?i)cluster"):  # no node reachable
            make(host="127.0.0.1", port=1, **kwargs)
    return [
        (w.category.__name__, str(w.message), w.filename.rsplit("/", 1)[-1])
        for w in caught
    ]


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"read_from_replicas": True},
        {"cluster_error_retry_attempts": 0},
        {"cluster_error_retry_attempts": 0, "retry": None},
        {"cluster_error_retry_attempts": 0, "read_from_replicas": False},
        {"load_balancing_strategy": None},
    ],
)
def test_blocking_cluster_deprecated_arguments_warn_as_redis_py(
    kwargs: dict[str, Any],
) -> None:
    theirs = _warned(redis.RedisCluster, **kwargs)
    ours = _warned(RedisCluster, **kwargs)
    assert [w[:2] for w in ours] == [w[:2] for w in theirs]
    assert {w[2] for w in ours} <= {"test_review_modules.py"}
