"""redis-py's ``redis.multidb.failure_detector``: blocking failure detectors.

:class:`CommandFailureDetector` is the core's (quick, thread-safe: it runs on
the engine's loop); a detector of your own runs in a worker thread."""

from __future__ import annotations

from aio.redis.multidb.failure_detector import (
    DEFAULT_FAILURE_RATE_THRESHOLD as DEFAULT_FAILURE_RATE_THRESHOLD,
)
from aio.redis.multidb.failure_detector import (
    DEFAULT_FAILURES_DETECTION_WINDOW as DEFAULT_FAILURES_DETECTION_WINDOW,
)
from aio.redis.multidb.failure_detector import (
    DEFAULT_MIN_NUM_FAILURES as DEFAULT_MIN_NUM_FAILURES,
)
from aio.redis.multidb.failure_detector import (
    CommandFailureDetector as CommandFailureDetector,
)
from aio.redis.multidb.failure_detector import FailureDetector as FailureDetector

__all__ = (
    "DEFAULT_FAILURES_DETECTION_WINDOW",
    "DEFAULT_FAILURE_RATE_THRESHOLD",
    "DEFAULT_MIN_NUM_FAILURES",
    "CommandFailureDetector",
    "FailureDetector",
)
