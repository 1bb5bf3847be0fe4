"""The DeprecationWarnings redis.asyncio's ``RedisCluster`` constructor gives
for its deprecated arguments, given to our cluster client's constructor.

redis-py warns whenever such an argument is passed by keyword, whatever its
value (even ``read_from_replicas=False``), before the constructor's body runs;
not when passed by position (its stacked decorators see only the keywords).
So the decorator looks at the call's keywords, not at values.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Callable
from typing import ParamSpec

from aio.redis._core import _caller_stacklevel

__all__ = ("warns_deprecated_cluster_args",)

_P = ParamSpec("_P")

# (argument, redis-py's reason, the version that deprecated it), in the order
# redis-py warns about them.
_DEPRECATED = (
    (
        "read_from_replicas",
        "Please configure the 'load_balancing_strategy' instead",
        "5.3.0",
    ),
    (
        "cluster_error_retry_attempts",
        "Please configure the 'retry' object instead",
        "6.0.0",
    ),
)


def warns_deprecated_cluster_args(
    init: Callable[_P, None],
) -> Callable[_P, None]:
    """``init`` (a cluster client's ``__init__``), warning first, in redis-py's
    words, about each deprecated argument the call passes."""

    @functools.wraps(init)
    def checked(*args: _P.args, **kwargs: _P.kwargs) -> None:
        for name, reason, version in _DEPRECATED:
            if name in kwargs:
                warnings.warn(
                    "Call to '__init__' function with deprecated usage of input"
                    f" argument/s '{name}'. ({reason}) -- Deprecated since"
                    f" version {version}.",
                    DeprecationWarning,
                    stacklevel=_caller_stacklevel(),
                )
        init(*args, **kwargs)

    return checked
