"""redis-py's ``redis.retry``: :class:`Retry`, whose ``call_with_retry`` blocks.

A facade ``Retry`` is also an :class:`aio.redis.retry.Retry`: clients hand it to
the async core, which retries through its awaitable ``retry_after``; code of
the user's that calls ``call_with_retry(do, fail)`` gets redis-py's blocking loop.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from aio.redis.backoff import AbstractBackoff
from aio.redis.exceptions import ConnectionError, TimeoutError
from aio.redis.retry import Retry as AsyncRetry
from aio.redis.retry import resolve_retry as resolve_async_retry

__all__ = ("Retry", "resolve_retry")

T = TypeVar("T")


class Retry(AsyncRetry):
    """Run an operation again after a supported error, waiting per ``backoff``.

    :param backoff: the wait policy (:mod:`sync_shims.redis.backoff`).
    :param retries: retries after the first failure; ``-1`` retries for ever.
    :param supported_errors: the exception classes that cause a retry (by
        default ``ConnectionError``, ``TimeoutError`` and ``socket.timeout``).
    """

    def __init__(
        self,
        backoff: AbstractBackoff,
        retries: int,
        supported_errors: tuple[type[Exception], ...] = (
            ConnectionError,
            TimeoutError,
            socket.timeout,
        ),
    ) -> None:
        super().__init__(backoff, retries, supported_errors)

    # Blocking where the async class awaits: this is redis-py's sync API, and
    # the async core never calls it (it uses retry_after).
    def call_with_retry(  # type: ignore[override]
        self,
        do: Callable[[], T],
        fail: Callable[..., Any],
        is_retryable: Callable[[Exception], bool] | None = None,
        with_failure_count: bool = False,
    ) -> T:
        """Call ``do()`` until it succeeds or the retries are spent.

        :param do: the operation, called again for each attempt.
        :param fail: called with the error after each failure (and the failure
            count with ``with_failure_count``).
        :param is_retryable: if given, an error it refuses is raised at once.
        :raises Exception: the last error once no retry is left, or an error
            that is not a supported one.
        """
        self._backoff.reset()
        failures = 0
        while True:
            try:
                return do()
            except self._supported_errors as error:
                if is_retryable is not None and not is_retryable(error):
                    raise
                failures += 1
                if with_failure_count:
                    fail(error, failures)
                else:
                    fail(error)
                if 0 <= self._retries < failures:
                    raise
                delay = self._backoff.compute(failures)
                if delay > 0:
                    time.sleep(delay)


def resolve_retry(
    retry: AsyncRetry | None,
    retry_on_error: Iterable[type[Exception]] | None = None,
    retry_on_timeout: bool = False,
) -> tuple[AsyncRetry, list[type[Exception]]]:
    """The policy and error list a redis-py connection ends up with
    (:func:`aio.redis.retry.resolve_retry`), the policies built here being this
    module's blocking :class:`Retry`."""
    return resolve_async_retry(
        retry, retry_on_error, retry_on_timeout, retry_class=Retry
    )
