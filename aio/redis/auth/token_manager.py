"""redis-py's ``redis.auth.token_manager``: keeps a token fresh.

:class:`TokenManager` asks an identity provider
(:class:`~aio.redis.auth.idp.IdentityProviderInterface`) for a token, hands it
to a :class:`CredentialsListener`'s ``on_next``, and asks again before it
expires: after ``expiration_refresh_ratio`` of its lifetime, or
``lower_refresh_bound_millis`` before its expiry, whichever comes first. A
token whose renewal time has passed already (or one that never expires) ends
the renewals, as in redis-py. A failed request is retried as the
:class:`RetryPolicy` says; a failure after that (or a listener's) goes to the
listener's ``on_error`` and ends the renewals.

:meth:`TokenManager.start` is the blocking form: the first renewal runs in the
caller's thread, the next ones in a daemon thread, the listener's callbacks
called there. :meth:`TokenManager.start_async` runs them in a task on the
running loop, owned by the manager (:meth:`TokenManager.stop` cancels it), and
awaits the listener's callbacks. Unlike redis-py's ``start``, which runs the
renewals on an event loop of its own thread, no loop is involved in the
blocking form. A failure with no ``on_error`` to take it is logged (logger
``aio.redis.auth``), never raised to the caller of ``start``, as in redis-py.

.. versionadded:: 0.1
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from aio.redis.auth.err import RequestTokenErr, TokenRenewalErr
from aio.redis.auth.idp import IdentityProviderInterface
from aio.redis.auth.token import TokenResponse

__all__ = (
    "CredentialsListener",
    "RetryPolicy",
    "TokenManager",
    "TokenManagerConfig",
)

logger = logging.getLogger("aio.redis.auth")


class CredentialsListener:
    """The callbacks a :class:`TokenManager` gives each new token
    (``on_next``) and each failure (``on_error``): plain functions for
    :meth:`TokenManager.start`, coroutine functions for
    :meth:`TokenManager.start_async`.

    .. versionadded:: 0.1
    """

    def __init__(self) -> None:
        self._on_next: Callable[[Any], Any] | None = None
        self._on_error: Callable[[Exception], Any] | None = None

    @property
    def on_next(self) -> Callable[[Any], Any] | None:
        """Called with each new token."""
        return self._on_next

    @on_next.setter
    def on_next(self, callback: Callable[[Any], Any] | None) -> None:
        self._on_next = callback

    @property
    def on_error(self) -> Callable[[Exception], Any] | None:
        """Called with each failure to get or hand over a token."""
        return self._on_error

    @on_error.setter
    def on_error(self, callback: Callable[[Exception], Any] | None) -> None:
        self._on_error = callback


class RetryPolicy:
    """How often, and how far apart, a failed token request is retried.

    :param max_attempts: retries after the first failure.
    :param delay_in_ms: the pause before each retry.

    .. versionadded:: 0.1
    """

    def __init__(self, max_attempts: int, delay_in_ms: float) -> None:
        self.max_attempts = max_attempts
        self.delay_in_ms = delay_in_ms

    def get_max_attempts(self) -> int:
        """Retries before the error is raised."""
        return self.max_attempts

    def get_delay_in_ms(self) -> float:
        """The pause before each retry, in milliseconds."""
        return self.delay_in_ms


class TokenManagerConfig:
    """When a :class:`TokenManager` renews, and how it retries.

    :param expiration_refresh_ratio: the part of a token's lifetime after
        which it is renewed (0.75: with a quarter left).
    :param lower_refresh_bound_millis: renew at the latest this long before
        expiry (0: no such bound).
    :param token_request_execution_timeout_in_ms: kept for redis-py's API (its
        manager does not use it either).
    :param retry_policy: how failed requests are retried.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        expiration_refresh_ratio: float,
        lower_refresh_bound_millis: int,
        token_request_execution_timeout_in_ms: int,
        retry_policy: RetryPolicy,
    ) -> None:
        self._expiration_refresh_ratio = expiration_refresh_ratio
        self._lower_refresh_bound_millis = lower_refresh_bound_millis
        self._token_request_execution_timeout_in_ms = (
            token_request_execution_timeout_in_ms
        )
        self._retry_policy = retry_policy

    def get_expiration_refresh_ratio(self) -> float:
        """The part of a token's lifetime after which it is renewed."""
        return self._expiration_refresh_ratio

    def get_lower_refresh_bound_millis(self) -> int:
        """How long before expiry a token is renewed at the latest."""
        return self._lower_refresh_bound_millis

    def get_token_request_execution_timeout_in_ms(self) -> int:
        """The request timeout given to the constructor."""
        return self._token_request_execution_timeout_in_ms

    def get_retry_policy(self) -> RetryPolicy:
        """How failed token requests are retried."""
        return self._retry_policy


class TokenManager:
    """Requests tokens from an identity provider and hands each to a listener
    until stopped (see the module's documentation).

    :param identity_provider: where tokens come from.
    :param config: when to renew and how to retry.

    .. versionadded:: 0.1
    """

    def __init__(
        self, identity_provider: IdentityProviderInterface, config: TokenManagerConfig
    ) -> None:
        self._idp = identity_provider
        self._config = config
        self._listener: CredentialsListener | None = None
        self._retries = 0
        self._stopped = threading.Event()
        self._task: asyncio.Task[None] | None = None

    # -- requesting ----------------------------------------------------------------

    def acquire_token(self, force_refresh: bool = False) -> TokenResponse:
        """A token from the identity provider, retried as the policy says.

        :raises RequestTokenErr: the last retry failed too.
        """
        policy = self._config.get_retry_policy()
        while True:
            response = self._request_once(force_refresh)
            if response is not None:
                return response
            time.sleep(policy.get_delay_in_ms() / 1000)

    async def acquire_token_async(self, force_refresh: bool = False) -> TokenResponse:
        """:meth:`acquire_token`, pausing between retries without blocking.

        :raises RequestTokenErr: the last retry failed too.
        """
        policy = self._config.get_retry_policy()
        while True:
            response = self._request_once(force_refresh)
            if response is not None:
                return response
            await asyncio.sleep(policy.get_delay_in_ms() / 1000)

    def _request_once(self, force_refresh: bool) -> TokenResponse | None:
        """One request to the identity provider: its token, or ``None`` when it
        failed and the retry policy allows another try (the caller pauses).

        :raises RequestTokenErr: it failed and the retries are used up.
        """
        policy = self._config.get_retry_policy()
        try:
            token = self._idp.request_token(force_refresh)
        except RequestTokenErr:
            if self._retries >= policy.get_max_attempts():
                raise
            self._retries += 1
            return None
        self._retries = 0
        return TokenResponse(token)

    def _renewal_delay(self, response: TokenResponse) -> float:
        """Seconds until the token is due for renewal (0 when it is already)."""
        token = response.get_token()
        expires, received = token.get_expires_at_ms(), token.get_received_at_ms()
        now = time.time() * 1000
        by_bound = expires - self._config.get_lower_refresh_bound_millis() - now
        lifetime = expires - received
        by_ratio = (
            expires
            - (lifetime - lifetime * self._config.get_expiration_refresh_ratio())
            - now
        )
        return max(min(by_bound, by_ratio), 0) / 1000

    def _checked(self) -> tuple[CredentialsListener, TokenResponse, float] | None:
        listener = self._listener
        assert listener is not None  # set by start()/start_async()
        response = self.acquire_token(force_refresh=True)
        return self._check(listener, response)

    def _check(
        self, listener: CredentialsListener, response: TokenResponse
    ) -> tuple[CredentialsListener, TokenResponse, float] | None:
        delay = self._renewal_delay(response)
        if response.get_token().is_expired():
            raise TokenRenewalErr("Requested token is expired")
        if listener.on_next is None:
            logger.warning(
                "No registered callback for token renewal task. Renewal cancelled"
            )
            return None
        return listener, response, delay

    # -- the blocking form ------------------------------------------------------------

    def start(
        self, listener: CredentialsListener, skip_initial: bool = False
    ) -> Callable[[], None]:
        """Get the first token now (handing it to ``listener.on_next`` unless
        ``skip_initial``), then renew it in a daemon thread until :meth:`stop`.

        :returns: :meth:`stop`.
        """
        self._listener = listener
        self._stopped.clear()
        delay = self._renew(skip_initial)
        if delay > 0:
            thread = threading.Thread(
                target=self._renew_loop, args=(delay,), daemon=True
            )
            thread.start()
        return self.stop

    def _renew_loop(self, delay: float) -> None:
        while delay > 0 and not self._stopped.wait(delay):
            delay = self._renew(False)

    def _renew(self, skip_initial: bool) -> float:
        """One renewal; the delay to the next one (0: none)."""
        listener = self._listener
        assert listener is not None
        try:
            try:
                checked = self._checked()
                if checked is None:
                    return 0
                _, response, delay = checked
                if not skip_initial:
                    try:
                        assert listener.on_next is not None
                        listener.on_next(response.get_token())
                    except Exception as exc:
                        raise TokenRenewalErr(exc) from exc
                return delay
            except Exception as exc:
                if listener.on_error is None:
                    raise
                listener.on_error(exc)
                return 0
        except Exception:
            logger.exception("Token renewal failed; renewals stopped")
            return 0

    # -- the async form -----------------------------------------------------------------

    async def start_async(
        self,
        listener: CredentialsListener,
        block_for_initial: bool = False,
        initial_delay_in_ms: float = 0,
        skip_initial: bool = False,
    ) -> Callable[[], None]:
        """Renew tokens in a task on the running loop until :meth:`stop`: the
        first after ``initial_delay_in_ms`` (awaited here when
        ``block_for_initial``), handed to the awaited ``listener.on_next``
        unless ``skip_initial``.

        :returns: :meth:`stop`.
        """
        self._listener = listener
        self._stopped.clear()
        first_done = asyncio.Event()
        # Owned by the manager: stop() cancels it.
        self._task = asyncio.ensure_future(
            self._renew_task(initial_delay_in_ms / 1000, skip_initial, first_done)
        )
        if block_for_initial:
            await first_done.wait()
        return self.stop

    async def _renew_task(
        self, initial_delay: float, skip_initial: bool, first_done: asyncio.Event
    ) -> None:
        try:
            await asyncio.sleep(initial_delay)
            delay = await self._renew_async(skip_initial)
        finally:
            first_done.set()
        while delay > 0:
            await asyncio.sleep(delay)
            delay = await self._renew_async(False)

    async def _renew_async(self, skip_initial: bool) -> float:
        listener = self._listener
        assert listener is not None
        try:
            try:
                response = await self.acquire_token_async(force_refresh=True)
                checked = self._check(listener, response)
                if checked is None:
                    return 0
                delay = checked[2]
                if not skip_initial:
                    try:
                        assert listener.on_next is not None
                        await listener.on_next(response.get_token())
                    except Exception as exc:
                        raise TokenRenewalErr(exc) from exc
                return delay
            except Exception as exc:
                if listener.on_error is None:
                    raise
                await listener.on_error(exc)
                return 0
        except Exception:
            logger.exception("Token renewal failed; renewals stopped")
            return 0

    def stop(self) -> None:
        """Stop renewing (a renewal under way finishes in the blocking form)."""
        self._stopped.set()
        task = self._task
        if task is not None:
            self._task = None
            task.cancel()
