"""redis-py's blocking multi-database client (``redis.multidb.client``), on
the async core :class:`aio.redis.multidb.client.MultiDBClient`.

The core runs on the engine's loop: its background health checks are tasks
there, and every command blocks the calling thread for its reply, as the other
facades do. Hand-written here is what differs in the blocking world: the
databases hold blocking clients; pipelines queue in the calling thread; the
callable of :meth:`MultiDBClient.transaction` gets a blocking pipeline (in a
worker thread of the engine, so that the transaction is retried on the next
database like any command); pub/sub handlers run in the reading thread; the
user's detectors, strategies and listeners run in worker threads.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import anyio

from aio.redis.client import Redis as AsyncRedis
from aio.redis.multidb.client import EXPERIMENTAL
from aio.redis.multidb.client import MultiDBClient as CoreClient
from aio.redis.multidb.client import Pipeline as CorePipeline
from aio.redis.multidb.database import Databases as CoreDatabases
from aio.redis.multidb.database import WeightedList
from aio.redis.multidb.dispatcher import AsyncOnCommandsFailEvent, EventDispatcher
from aio.redis.multidb.event import AsyncActiveDatabaseChanged
from aio.redis.multidb.failure_detector import FailureDetector
from aio.redis.multidb.healthcheck import HealthCheck
from sync_shims._generated_redis import RedisTwin
from sync_shims._portal import call
from sync_shims.redis._client_mixin import BlockingClientMixin, BlockingPipelineMixin
from sync_shims.redis.client import PubSub as BlockingPubSub
from sync_shims.redis.client import PubSubWorkerThread, off_the_loop
from sync_shims.redis.multidb._bridge import (
    CoreConfigOver,
    EventBridge,
    StrategyAdapter,
    adapt_detector,
    core_of,
    facade_of,
)
from sync_shims.redis.multidb.config import DatabaseConfig, MultiDbConfig, make_database
from sync_shims.redis.multidb.database import Database, Databases, SyncDatabase

if TYPE_CHECKING:
    from sync_shims.redis.multidb._search import ActiveDatabaseSearch

__all__ = ("MultiDBClient", "Pipeline", "PubSub")


class MultiDBClient(BlockingClientMixin, RedisTwin):
    """A blocking client over several databases with automatic failover and
    fallback (see :mod:`aio.redis.multidb.client` for how it decides).

    ``with MultiDBClient(config) as client: client.set("k", "v")``; the first
    command initializes it, :meth:`close` stops its health checks and closes
    its clients.

    :param config: the databases and the policies.
    """

    _core: CoreClient

    def __init__(self, config: MultiDbConfig) -> None:
        self._config = config
        self._databases: Databases = config.databases()
        core_databases: CoreDatabases = WeightedList()
        for database, weight in self._databases:
            assert isinstance(database, Database)
            core_databases.add(database._core, weight)
        detectors = config.failure_detectors or config.default_failure_detectors()
        core_dispatcher = EventDispatcher()
        core_config = CoreConfigOver(
            databases_config=[],
            client_class=AsyncRedis,
            command_retry=config.command_retry,
            failure_detectors=[adapt_detector(d) for d in detectors],
            health_checks=config.health_checks or config.default_health_checks(),
            health_check_interval=config.health_check_interval,
            health_check_policy=config.health_check_policy,
            failover_strategy=None
            if config.failover_strategy is None
            else StrategyAdapter(config.failover_strategy, self._databases),
            failover_attempts=config.failover_attempts,
            failover_delay=config.failover_delay,
            auto_fallback_interval=config.auto_fallback_interval,
            event_dispatcher=core_dispatcher,
            initial_health_check_policy=config.initial_health_check_policy,
            prebuilt=core_databases,
        )
        warnings.warn(EXPERIMENTAL, category=UserWarning, stacklevel=2)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)  # said once, above
            self._core = CoreClient(core_config)
        bridge = EventBridge(config.event_dispatcher)
        core_dispatcher.register_listeners(
            {AsyncActiveDatabaseChanged: [bridge], AsyncOnCommandsFailEvent: [bridge]}
        )
        super().__init__(cast(Any, self._core))

    def __repr__(self) -> str:
        return f"<MultiDBClient databases={[db for db, _ in self._databases]}>"

    @property
    def initialized(self) -> bool:
        """Whether the client has initialized (on first use)."""
        return self._core.initialized

    @property
    def command_executor(self) -> Any:
        """The async core's command executor (its databases are core ones)."""
        return self._core.command_executor

    @property
    def active_database(self) -> SyncDatabase | None:
        """The database commands go to now (None before initialization)."""
        core = self._core.command_executor.active_database
        return None if core is None else facade_of(core)

    def initialize(self) -> None:
        """Health-check every database, start the background checks, choose
        the active database (see :meth:`aio.redis.multidb.client.MultiDBClient.initialize`)."""
        call(self._core._ensure_initialized)

    def close(self, close_connection_pool: bool | None = None) -> None:
        """Stop the health checks, close the pub/sub and every database's client."""
        call(self._core.aclose)

    def get_databases(self) -> Databases:
        """The databases, highest weight first."""
        return self._databases

    def _require_member(self, database: SyncDatabase) -> None:
        if not any(existing == database for existing, _ in self._databases):
            raise ValueError("Given database is not a member of database list")

    def set_active_database(self, database: SyncDatabase) -> None:
        """Make ``database`` active after a health check.

        :raises ValueError: it is not one of the client's databases.
        :raises NoValidDatabaseException: it is unhealthy.
        """
        self._require_member(database)
        call(self._core.set_active_database, core_of(database))

    def add_database(
        self, config: DatabaseConfig, skip_initial_health_check: bool = True
    ) -> None:
        """Add a database (active if healthy and heavier than every other)."""
        database = make_database(self._config.client_class, config)
        try:
            call(self._core._add_database, database._core, skip_initial_health_check)
        finally:
            # The core may have added it before failing (a listener of the
            # change of active database raised): the lists stay alike.
            if any(core is database._core for core, _ in self._core.get_databases()):
                self._databases.add(database, database.weight)

    def remove_database(self, database: SyncDatabase) -> None:
        """Remove a database (see the async client's ``remove_database``)."""
        self._databases.remove(database)
        call(self._core.remove_database, core_of(database))

    def update_database_weight(self, database: SyncDatabase, weight: float) -> None:
        """Change a database's weight.

        :raises ValueError: it is not one of the client's databases.
        """
        self._require_member(database)
        self._databases.update_weight(database, weight)
        call(self._core.update_database_weight, core_of(database), weight)

    def add_failure_detector(self, failure_detector: FailureDetector) -> None:
        """Add a blocking failure detector."""
        self._core.add_failure_detector(adapt_detector(failure_detector))

    def add_health_check(self, healthcheck: HealthCheck) -> None:
        """Add a health check (async: its ``check_health`` is a coroutine)."""
        call(self._core.add_health_check, healthcheck)

    def pipeline(self) -> Pipeline:
        """A pipeline: commands queued in this thread, sent by ``execute()``."""
        return Pipeline(self._core.pipeline())

    def ft(self, index_name: str = "idx") -> ActiveDatabaseSearch:
        """The search commands of the index ``index_name``, each run on the
        active database, blocking; its ``pipeline()`` and ``batch_indexer()``
        raise :class:`~aio.redis.exceptions.DataError`. See
        :mod:`sync_shims.redis.commands.search`."""
        from sync_shims.redis.multidb._search import ActiveDatabaseSearch

        return ActiveDatabaseSearch(self, index_name)

    def transaction(
        self,
        func: Callable[[Any], Any],
        *watches: Any,
        shard_hint: Any = None,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
    ) -> Any:
        """Run ``func(pipe)`` in a MULTI/EXEC transaction on the active
        database, again while WATCHed keys change, and on the next database
        after a failure; ``func`` runs in a worker thread of the engine."""
        self.initialize()
        executor = self._core.command_executor

        async def attempt() -> Any:
            active = executor.active_database
            assert active is not None
            client: Any = facade_of(active).client

            def run() -> Any:
                return client.transaction(
                    func,
                    *watches,
                    shard_hint=shard_hint,
                    value_from_callable=value_from_callable,
                    watch_delay=watch_delay,
                )

            result = await anyio.to_thread.run_sync(run)
            await executor._register_command_execution(())
            return result

        return call(executor.execute_with_failure_detection, attempt)

    def pubsub(self, **kwargs: Any) -> PubSub:
        """The client's pub/sub (one per client, moved on failover).

        :raises ValueError: the databases are clusters.
        """
        if kwargs.get("push_handler_func") is not None:
            kwargs["push_handler_func"] = off_the_loop(kwargs["push_handler_func"])
        call(self._core.pubsub, **kwargs)
        return PubSub(self._core)


class Pipeline(BlockingPipelineMixin, RedisTwin):
    """Commands queued in the calling thread, sent together by :meth:`execute`
    on the active database."""

    def __init__(self, core: CorePipeline) -> None:
        super().__init__(cast(Any, core))

    @property
    def command_stack(self) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """The queued ``(args, options)``."""
        core: CorePipeline = cast(Any, self._async)
        return core.command_stack

    def reset(self) -> None:
        """Drop the queued commands."""
        core: CorePipeline = cast(Any, self._async)
        call(core.reset)

    def close(self, close_connection_pool: bool | None = None) -> None:
        """Same as :meth:`reset`."""
        self.reset()

    def execute(self) -> list[Any]:
        """Send the queued commands; their replies in order."""
        core: CorePipeline = cast(Any, self._async)
        result: list[Any] = call(core.execute)
        return result


class PubSub:
    """Subscribe and read messages through the blocking multi-database client;
    handlers given as keywords run in the thread that reads the message."""

    def __init__(self, core: CoreClient) -> None:
        self._core = core
        self._executor = core.command_executor
        active = self._executor.active_pubsub
        assert active is not None
        # Keeps the handlers (by channel) and dispatches messages to them.
        self._handlers = BlockingPubSub(active)

    def __enter__(self) -> PubSub:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: str, *args: Any, **kwargs: Any) -> Any:
        return call(self._executor.execute_pubsub_method, method, *args, **kwargs)

    @property
    def _dispatcher(self) -> BlockingPubSub:
        # The handlers live while their subscriptions do, and those are the
        # active database's pub/sub's, which a failover replaces.
        active = self._executor.active_pubsub
        if active is not None:
            self._handlers._follow(active)
        return self._handlers

    @property
    def subscribed(self) -> bool:
        """Whether anything is subscribed."""
        active = self._executor.active_pubsub
        return active is not None and active.subscribed

    @property
    def channels(self) -> dict[Any, Any]:
        """The subscribed channels."""
        active = self._executor.active_pubsub
        return {} if active is None else dict(active.channels)

    @property
    def patterns(self) -> dict[Any, Any]:
        """The subscribed patterns."""
        active = self._executor.active_pubsub
        return {} if active is None else dict(active.patterns)

    def reset(self) -> None:
        """Unsubscribe from everything and give the connection back."""
        self._call("aclose")

    def close(self) -> None:
        """Same as :meth:`reset`."""
        self.reset()

    def execute_command(self, *args: Any) -> Any:
        """Send a command on the pub/sub connection."""
        return self._call("execute_command", *args)

    def subscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to channels (keywords name a channel's handler)."""
        self._call("subscribe", *self._dispatcher._register(args, kwargs))

    def psubscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to patterns (keywords name a pattern's handler)."""
        self._call("psubscribe", *self._dispatcher._register(args, kwargs))

    def ssubscribe(self, *args: Any, **kwargs: Any) -> None:
        """Subscribe to shard channels."""
        self._call("ssubscribe", *self._dispatcher._register(args, kwargs))

    def unsubscribe(self, *args: Any) -> None:
        """Unsubscribe from channels (all when none is named)."""
        self._call("unsubscribe", *args)

    def punsubscribe(self, *args: Any) -> None:
        """Unsubscribe from patterns (all when none is named)."""
        self._call("punsubscribe", *args)

    def sunsubscribe(self, *args: Any) -> None:
        """Unsubscribe from shard channels."""
        self._call("sunsubscribe", *args)

    def get_message(
        self, ignore_subscribe_messages: bool = False, timeout: float | None = 0.0
    ) -> dict[str, Any] | None:
        """The next message, or None when none came within ``timeout`` seconds
        (or it went to its handler)."""
        message = self._call(
            "get_message",
            ignore_subscribe_messages=ignore_subscribe_messages,
            timeout=timeout,
        )
        return self._dispatcher._dispatch(message)

    def get_sharded_message(
        self, ignore_subscribe_messages: bool = False, timeout: float | None = 0.0
    ) -> dict[str, Any] | None:
        """Same as :meth:`get_message` (shard messages share its queue)."""
        return self.get_message(ignore_subscribe_messages, timeout)

    def run_in_thread(
        self,
        sleep_time: float = 0.0,
        daemon: bool = False,
        exception_handler: Callable[..., None] | None = None,
        sharded_pubsub: bool = False,
    ) -> PubSubWorkerThread:
        """Start a thread that feeds every message to its handler; ``.stop()`` it.

        :raises PubSubError: a subscription has no handler.
        """
        # The handlers' pub/sub checks every subscription (channels, patterns,
        # shard channels, named as redis-py names them); the thread reads this one.
        return self._handlers.run_in_thread(
            sleep_time,
            daemon=daemon,
            exception_handler=exception_handler,
            pubsub=cast(Any, self),
            sharded_pubsub=sharded_pubsub,
        )
