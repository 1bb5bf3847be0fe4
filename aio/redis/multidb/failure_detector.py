"""Failure detectors: they count failed commands and open the active database's
circuit when too many fail, as redis-py's ``redis.multidb.failure_detector``
(the blocking detector, which the asyncio client wraps) and
``redis.asyncio.multidb.failure_detector``.

:class:`CommandFailureDetector` opens the circuit once, within one detection
window, at least ``min_num_failures`` commands failed and the failures are at
least ``failure_rate_threshold`` of the commands that succeeded in the window
(rounded up). A success after the window has ended starts a new window.

.. versionadded:: 0.1
"""

from __future__ import annotations

import math
import threading
import time
from abc import ABC, abstractmethod
from typing import Any

from aio.redis.multidb.circuit import State

__all__ = (
    "DEFAULT_FAILURES_DETECTION_WINDOW",
    "DEFAULT_FAILURE_RATE_THRESHOLD",
    "DEFAULT_MIN_NUM_FAILURES",
    "AsyncFailureDetector",
    "CommandFailureDetector",
    "FailureDetector",
    "FailureDetectorAsyncWrapper",
)

DEFAULT_MIN_NUM_FAILURES = 1000
DEFAULT_FAILURE_RATE_THRESHOLD = 0.1
DEFAULT_FAILURES_DETECTION_WINDOW = 2


class FailureDetector(ABC):
    """A blocking failure detector."""

    @abstractmethod
    def register_failure(self, exception: Exception, cmd: tuple[Any, ...]) -> None:
        """Count a failed command."""

    @abstractmethod
    def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        """Count a command that succeeded."""

    @abstractmethod
    def set_command_executor(self, command_executor: Any) -> None:
        """Attach the executor whose active database this detector watches."""


class AsyncFailureDetector(ABC):
    """An asyncio failure detector."""

    @abstractmethod
    async def register_failure(
        self, exception: Exception, cmd: tuple[Any, ...]
    ) -> None:
        """Count a failed command."""

    @abstractmethod
    async def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        """Count a command that succeeded."""

    @abstractmethod
    def set_command_executor(self, command_executor: Any) -> None:
        """Attach the executor whose active database this detector watches."""


class CommandFailureDetector(FailureDetector):
    """Opens the active database's circuit when enough commands fail in a window.

    :param min_num_failures: failures needed within the window.
    :param failure_rate_threshold: the share of failures (over the successes of
        the window) needed as well.
    :param failure_detection_window: the window, in seconds.
    :param error_types: count only these exception classes (exact types, as
        redis-py); None counts every failure.
    """

    def __init__(
        self,
        min_num_failures: int = DEFAULT_MIN_NUM_FAILURES,
        failure_rate_threshold: float = DEFAULT_FAILURE_RATE_THRESHOLD,
        failure_detection_window: float = DEFAULT_FAILURES_DETECTION_WINDOW,
        error_types: list[type[Exception]] | None = None,
    ) -> None:
        self._command_executor: Any = None
        self._min_num_failures = min_num_failures
        self._failure_rate_threshold = failure_rate_threshold
        self._failure_detection_window = failure_detection_window
        self._error_types = error_types
        self._lock = threading.RLock()
        self._reset()

    def register_failure(self, exception: Exception, cmd: tuple[Any, ...]) -> None:
        with self._lock:
            if not self._error_types or type(exception) in self._error_types:
                self._failures_count += 1
            self._check_threshold()

    def set_command_executor(self, command_executor: Any) -> None:
        self._command_executor = command_executor

    def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        with self._lock:
            if not self._start_time < time.monotonic() < self._end_time:
                self._reset()
            self._commands_executed += 1

    def _check_threshold(self) -> None:
        needed = math.ceil(self._commands_executed * self._failure_rate_threshold)
        if self._failures_count >= max(self._min_num_failures, needed):
            database = self._command_executor.active_database
            if database is not None:
                database.circuit.state = State.OPEN
            self._reset()

    def _reset(self) -> None:
        with self._lock:
            self._start_time = time.monotonic()
            self._end_time = self._start_time + self._failure_detection_window
            self._failures_count = 0
            self._commands_executed = 0


class FailureDetectorAsyncWrapper(AsyncFailureDetector):
    """A blocking :class:`FailureDetector` used by the asyncio client (its
    methods are quick and called on the loop)."""

    def __init__(self, failure_detector: FailureDetector) -> None:
        self._failure_detector = failure_detector

    async def register_failure(
        self, exception: Exception, cmd: tuple[Any, ...]
    ) -> None:
        self._failure_detector.register_failure(exception, cmd)

    async def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        self._failure_detector.register_command_execution(cmd)

    def set_command_executor(self, command_executor: Any) -> None:
        self._failure_detector.set_command_executor(command_executor)
