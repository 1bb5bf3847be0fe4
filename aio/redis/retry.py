"""Retrying an operation on connection errors, as redis-py's ``Retry`` does."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

from aio.redis.backoff import AbstractBackoff, NoBackoff
from aio.redis.exceptions import AuthenticationError, ConnectionError, TimeoutError

__all__ = ("Retry", "resolve_retry")

T = TypeVar("T")


class Retry:
    """Run an operation again after a supported error, waiting per ``backoff``.

    :param backoff: the wait policy (:mod:`aio.redis.backoff`).
    :param retries: how many retries after the first failure; ``-1`` retries forever.
    :param supported_errors: the exception classes that cause a retry.
    """

    def __init__(
        self,
        backoff: AbstractBackoff,
        retries: int,
        supported_errors: tuple[type[Exception], ...] = (ConnectionError, TimeoutError),
    ) -> None:
        self._backoff = backoff
        self._retries = retries
        self._supported_errors = supported_errors

    def __eq__(self, other: object) -> bool:
        # By value, as redis-py's: same backoff, count and set of errors.
        if not isinstance(other, Retry):
            return NotImplemented
        return (
            self._backoff == other._backoff
            and self._retries == other._retries
            and set(self._supported_errors) == set(other._supported_errors)
        )

    def __hash__(self) -> int:
        return hash((self._backoff, self._retries, frozenset(self._supported_errors)))

    @property
    def retries(self) -> int:
        """The number of retries after the first failure."""
        return self._retries

    def update_supported_errors(self, specified_errors: list[type[Exception]]) -> None:
        """Add exception classes that cause a retry."""
        self._supported_errors = tuple(
            dict.fromkeys((*self._supported_errors, *specified_errors))
        )

    def get_retries(self) -> int:
        """Return the number of retries."""
        return self._retries

    def update_retries(self, value: int) -> None:
        """Change the number of retries."""
        self._retries = value

    async def call_with_retry(
        self,
        do: Callable[[], Awaitable[T]],
        fail: Callable[[Exception], Awaitable[object]],
    ) -> T:
        """Await ``do()`` until it succeeds or the retries are spent.

        :param do: the operation, called again for each attempt.
        :param fail: awaited with the error after each failure (disconnect here).
        :raises RedisError: the last error once no retry is left.
        """
        try:
            return await do()
        except Exception as error:
            return await self.retry_after(error, do, fail)

    async def retry_after(
        self,
        error: Exception,
        do: Callable[[], Awaitable[T]],
        fail: Callable[[Exception], Awaitable[object]],
    ) -> T:
        """Go on as :meth:`call_with_retry` after a first attempt failed with
        ``error`` (the client's hot path makes that attempt without a wrapper).

        :raises Exception: ``error`` itself when it is not a supported error.
        """
        self._backoff.reset()
        failures = 0
        while True:
            if not isinstance(error, self._supported_errors) or isinstance(
                error, AuthenticationError
            ):
                # Not retryable; a refused password would be refused again.
                raise error
            failures += 1
            await fail(error)
            if 0 <= self._retries < failures:
                raise error
            delay = self._backoff.compute(failures)
            if delay > 0:
                await asyncio.sleep(delay)
            try:
                return await do()
            except Exception as exc:
                error = exc


def resolve_retry(
    retry: Retry | None,
    retry_on_error: Iterable[type[Exception]] | None = None,
    retry_on_timeout: bool = False,
    *,
    retry_class: type[Retry] = Retry,
) -> tuple[Retry, list[type[Exception]]]:
    """The policy and error list a redis-py connection ends up with.

    ``retry_on_error`` (plus ``TimeoutError`` with ``retry_on_timeout``) widens
    a copy of ``retry`` (by default one immediate retry); with neither a policy
    nor errors, nothing is retried (``retry_class(NoBackoff(), 0)``).
    ``retry_class`` makes the policies built here (the blocking facade's own).

    :returns: ``(policy, errors)``, the ``retry`` and ``retry_on_error``
        attributes of redis-py's connections.
    """
    errors = list(retry_on_error or ())
    if retry_on_timeout:
        errors.append(TimeoutError)
    if retry is None and not errors:
        return retry_class(NoBackoff(), 0), errors
    policy = retry_class(NoBackoff(), 1) if retry is None else copy.deepcopy(retry)
    if errors:
        policy.update_supported_errors(errors)
    return policy, errors
