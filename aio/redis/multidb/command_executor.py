"""Where a multi-database client's commands run: on the active database, with
the client's retry, telling the failure detectors about every success and
failure, and switching databases when needed (redis-py's
``redis.asyncio.multidb.command_executor``).

Before each attempt the active database is checked: when there is none, when
its circuit is not closed, or when the auto-fallback interval has passed, the
failover strategy chooses again (so the client falls back to a database of
higher weight once its circuit closes, at most ``auto_fallback_interval``
seconds later; a non-positive interval never falls back while the active one is
healthy). A change fires :class:`AsyncActiveDatabaseChanged`.

.. versionadded:: 0.1
"""

from __future__ import annotations

import inspect
import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import TYPE_CHECKING, Any, TypeVar

from aio.redis.multidb.circuit import State
from aio.redis.multidb.database import AsyncDatabase, Databases
from aio.redis.multidb.dispatcher import (
    AsyncOnCommandsFailEvent,
    EventDispatcherInterface,
)
from aio.redis.multidb.event import (
    AsyncActiveDatabaseChanged,
    CloseConnectionOnActiveDatabaseChanged,
    RegisterCommandFailure,
    ResubscribeOnActiveDatabaseChanged,
    _move_pubsub,
)
from aio.redis.multidb.failover import (
    DEFAULT_FAILOVER_ATTEMPTS,
    DEFAULT_FAILOVER_DELAY,
    AsyncFailoverStrategy,
    DefaultFailoverStrategyExecutor,
    FailoverStrategyExecutor,
)
from aio.redis.multidb.failure_detector import AsyncFailureDetector
from aio.redis.retry import Retry

if TYPE_CHECKING:
    from aio.redis._pubsub import PubSub

__all__ = (
    "DEFAULT_AUTO_FALLBACK_INTERVAL",
    "AsyncCommandExecutor",
    "BaseCommandExecutor",
    "CommandExecutor",
    "DefaultCommandExecutor",
    "GeoFailoverReason",
)

#: Seconds between attempts to fall back to a database of higher weight.
DEFAULT_AUTO_FALLBACK_INTERVAL = 120

T = TypeVar("T")


class GeoFailoverReason(Enum):
    """Why the active database changed (redis-py's, from its observability)."""

    AUTOMATIC = "automatic"
    MANUAL = "manual"


class CommandExecutor(ABC):
    """Has an auto-fallback interval."""

    @property
    @abstractmethod
    def auto_fallback_interval(self) -> float:
        """Seconds between fallback attempts."""

    @auto_fallback_interval.setter
    @abstractmethod
    def auto_fallback_interval(self, auto_fallback_interval: float) -> None:
        """Change the interval."""


class BaseCommandExecutor(CommandExecutor):
    """Keeps the time of the next fallback attempt."""

    def __init__(
        self, auto_fallback_interval: float = DEFAULT_AUTO_FALLBACK_INTERVAL
    ) -> None:
        self._auto_fallback_interval = auto_fallback_interval
        self._next_fallback_attempt = 0.0

    @property
    def auto_fallback_interval(self) -> float:
        return self._auto_fallback_interval

    @auto_fallback_interval.setter
    def auto_fallback_interval(self, auto_fallback_interval: float) -> None:
        self._auto_fallback_interval = auto_fallback_interval

    def _schedule_next_fallback(self) -> None:
        if self._auto_fallback_interval < 0:
            return
        self._next_fallback_attempt = time.monotonic() + self._auto_fallback_interval

    def _fallback_due(self) -> bool:
        return (
            self._auto_fallback_interval > 0
            and self._next_fallback_attempt <= time.monotonic()
        )


class AsyncCommandExecutor(CommandExecutor):
    """What the asyncio multi-database client needs of its executor."""

    @property
    @abstractmethod
    def databases(self) -> Databases:
        """The databases, highest weight first."""

    @property
    @abstractmethod
    def failure_detectors(self) -> list[AsyncFailureDetector]:
        """The failure detectors."""

    @abstractmethod
    def add_failure_detector(self, failure_detector: AsyncFailureDetector) -> None:
        """Add a failure detector."""

    @property
    @abstractmethod
    def active_database(self) -> AsyncDatabase | None:
        """The database commands go to."""

    @abstractmethod
    async def set_active_database(
        self, database: AsyncDatabase, reason: GeoFailoverReason
    ) -> None:
        """Make ``database`` active (``reason``: why, for the record)."""

    @property
    @abstractmethod
    def active_pubsub(self) -> PubSub | None:
        """The pub/sub of the client, on the active database."""

    @active_pubsub.setter
    @abstractmethod
    def active_pubsub(self, pubsub: PubSub | None) -> None:
        """Replace the pub/sub."""

    @property
    @abstractmethod
    def failover_strategy_executor(self) -> FailoverStrategyExecutor:
        """The failover strategy executor."""

    @property
    @abstractmethod
    def command_retry(self) -> Retry:
        """The retry of every command."""

    @abstractmethod
    def pubsub(self, **kwargs: Any) -> None:
        """Make the pub/sub on the active database (once)."""

    @abstractmethod
    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command."""

    @abstractmethod
    async def execute_pipeline(
        self, command_stack: tuple[tuple[tuple[Any, ...], dict[str, Any]], ...]
    ) -> list[Any]:
        """Run queued commands as one pipeline."""

    @abstractmethod
    async def execute_transaction(
        self, func: Callable[[Any], Any], *watches: Any, **options: Any
    ) -> Any:
        """Run ``func`` in a transaction."""

    @abstractmethod
    async def execute_pubsub_method(
        self, method_name: str, *args: Any, **kwargs: Any
    ) -> Any:
        """Call a method of the active pub/sub."""

    @abstractmethod
    async def execute_pubsub_run(self, sleep_time: float, **kwargs: Any) -> Any:
        """Dispatch pub/sub messages to their handlers."""


class DefaultCommandExecutor(BaseCommandExecutor, AsyncCommandExecutor):
    """The executor of :class:`~aio.redis.multidb.client.MultiDBClient`.

    :param failure_detectors: told about every success and failure.
    :param databases: the client's databases.
    :param command_retry: the retry around every command.
    :param failover_strategy: chooses the database to fail over to.
    :param event_dispatcher: fires the client's events.
    :param failover_attempts: see :class:`DefaultFailoverStrategyExecutor`.
    :param failover_delay: see :class:`DefaultFailoverStrategyExecutor`.
    :param auto_fallback_interval: seconds between fallback attempts.
    """

    def __init__(
        self,
        failure_detectors: list[AsyncFailureDetector],
        databases: Databases,
        command_retry: Retry,
        failover_strategy: AsyncFailoverStrategy,
        event_dispatcher: EventDispatcherInterface,
        failover_attempts: int = DEFAULT_FAILOVER_ATTEMPTS,
        failover_delay: float = DEFAULT_FAILOVER_DELAY,
        auto_fallback_interval: float = DEFAULT_AUTO_FALLBACK_INTERVAL,
    ) -> None:
        super().__init__(auto_fallback_interval)
        for detector in failure_detectors:
            detector.set_command_executor(command_executor=self)
        self._databases = databases
        self._failure_detectors = failure_detectors
        self._command_retry = command_retry
        self._failover_strategy_executor = DefaultFailoverStrategyExecutor(
            failover_strategy, failover_attempts, failover_delay
        )
        self._event_dispatcher = event_dispatcher
        self._active_database: AsyncDatabase | None = None
        self._active_pubsub: PubSub | None = None
        self._active_pubsub_kwargs: dict[str, Any] = {}
        self._setup_event_dispatcher()
        self._schedule_next_fallback()

    @property
    def databases(self) -> Databases:
        return self._databases

    @property
    def failure_detectors(self) -> list[AsyncFailureDetector]:
        return self._failure_detectors

    def add_failure_detector(self, failure_detector: AsyncFailureDetector) -> None:
        failure_detector.set_command_executor(command_executor=self)
        self._failure_detectors.append(failure_detector)

    @property
    def active_database(self) -> AsyncDatabase | None:
        return self._active_database

    async def set_active_database(
        self, database: AsyncDatabase, reason: GeoFailoverReason
    ) -> None:
        old = self._active_database
        self._active_database = database
        if old is not None and old is not database:
            await self._event_dispatcher.dispatch_async(
                AsyncActiveDatabaseChanged(
                    old, database, self, **self._active_pubsub_kwargs
                )
            )

    @property
    def active_pubsub(self) -> PubSub | None:
        return self._active_pubsub

    @active_pubsub.setter
    def active_pubsub(self, pubsub: PubSub | None) -> None:
        self._active_pubsub = pubsub

    @property
    def failover_strategy_executor(self) -> FailoverStrategyExecutor:
        return self._failover_strategy_executor

    @property
    def command_retry(self) -> Retry:
        return self._command_retry

    def _active(self) -> Any:
        # Set by _check_active_database before every attempt.
        assert self._active_database is not None
        return self._active_database.client

    def pubsub(self, **kwargs: Any) -> None:
        if self._active_pubsub is None:
            from aio.redis.cluster import RedisCluster

            client = self._active()
            if isinstance(client, RedisCluster):
                raise ValueError("PubSub is not supported for RedisCluster")
            self._active_pubsub = client.pubsub(**kwargs)
            self._active_pubsub_kwargs = kwargs

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        async def attempt() -> Any:
            response = await self._active().execute_command(*args, **options)
            await self._register_command_execution(args)
            return response

        return await self.execute_with_failure_detection(attempt, args)

    async def execute_pipeline(
        self, command_stack: tuple[tuple[tuple[Any, ...], dict[str, Any]], ...]
    ) -> list[Any]:
        async def attempt() -> list[Any]:
            async with self._active().pipeline() as pipe:
                for args, options in command_stack:
                    pipe.execute_command(*args, **options)
                response: list[Any] = await pipe.execute()
            await self._register_command_execution(command_stack)
            return response

        return await self.execute_with_failure_detection(attempt, command_stack)

    async def execute_transaction(
        self, func: Callable[[Any], Any], *watches: Any, **options: Any
    ) -> Any:
        async def attempt() -> Any:
            response = await self._active().transaction(func, *watches, **options)
            await self._register_command_execution(())
            return response

        return await self.execute_with_failure_detection(attempt)

    def _pubsub_elsewhere(self) -> bool:
        # On a database no longer active: its move failed (the new database
        # was unreachable when it became active).
        pubsub, active = self._active_pubsub, self._active_database
        return (
            pubsub is not None
            and active is not None
            and pubsub.connection_pool
            is not getattr(active.client, "connection_pool", None)
        )

    async def _pubsub_on_active(self) -> None:
        # The move the change of active database could not make, made now;
        # its failure fails this try, as a command's would.
        if self._pubsub_elsewhere():
            assert self._active_database is not None
            await _move_pubsub(self, self._active_database, self._active_pubsub_kwargs)

    async def execute_pubsub_method(
        self, method_name: str, *args: Any, **kwargs: Any
    ) -> Any:
        async def attempt() -> Any:
            if method_name != "aclose":  # closed where it is
                await self._pubsub_on_active()
            response = getattr(self._active_pubsub, method_name)(*args, **kwargs)
            if inspect.isawaitable(response):
                response = await response
            await self._register_command_execution(args)
            return response

        return await self.execute_with_failure_detection(attempt, args)

    async def execute_pubsub_run(self, sleep_time: float, **kwargs: Any) -> Any:
        async def attempt() -> Any:
            await self._pubsub_on_active()
            assert self._active_pubsub is not None
            return await self._active_pubsub.run(
                poll_timeout=sleep_time,
                exception_handler=kwargs.get("exception_handler"),
            )

        return await self.execute_with_failure_detection(attempt)

    async def execute_with_failure_detection(
        self, attempt: Callable[[], Awaitable[T]], cmds: tuple[Any, ...] = ()
    ) -> T:
        """Await ``attempt()`` under the command retry, on the database that is
        active at each try; each failure fires an :class:`AsyncOnCommandsFailEvent`
        naming ``cmds``, unless the database it failed on is no longer active."""
        tried_on: list[AsyncDatabase | None] = [None]

        async def on_active() -> T:
            # Each try may find another database active.
            await self._check_active_database()
            tried_on[0] = self._active_database
            return await attempt()

        async def on_fail(error: Exception) -> None:
            if tried_on[0] is not None and tried_on[0] is not self._active_database:
                # A command in flight on the old database while another one
                # failed the client over: its failure says nothing about the
                # new database, whose circuit the detectors would open.
                return
            await self._event_dispatcher.dispatch_async(
                AsyncOnCommandsFailEvent(cmds, error, command_executor=self)
            )

        # The first try without the retry's wrapper, then its awaitable loop
        # (a blocking facade's Retry keeps a blocking call_with_retry).
        try:
            return await on_active()
        except Exception as error:
            return await self._command_retry.retry_after(error, on_active, on_fail)

    async def _check_active_database(self) -> None:
        active = self._active_database
        if (
            active is None
            or active.circuit.state != State.CLOSED
            or self._fallback_due()
        ):
            database = await self._failover_strategy_executor.execute()
            await self.set_active_database(database, GeoFailoverReason.AUTOMATIC)
            self._schedule_next_fallback()

    async def _register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        for detector in self._failure_detectors:
            await detector.register_command_execution(cmd)

    def _setup_event_dispatcher(self) -> None:
        self._own_listeners: dict[type[object], list[Any]] = {
            AsyncOnCommandsFailEvent: [
                RegisterCommandFailure(self._failure_detectors, self)
            ],
            AsyncActiveDatabaseChanged: [
                CloseConnectionOnActiveDatabaseChanged(),
                ResubscribeOnActiveDatabaseChanged(),
            ],
        }
        self._event_dispatcher.register_listeners(self._own_listeners)

    def unregister_listeners(self) -> None:
        """Take this executor's listeners off the dispatcher (the client
        closes): a config's dispatcher outlives its clients."""
        self._event_dispatcher.unregister_listeners(self._own_listeners)
