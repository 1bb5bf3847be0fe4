"""The multi-database client (redis-py's ``redis.asyncio.multidb.client``): one
client over several Redis databases (Active-Active, geographically distributed),
sending every command to the healthy database of highest weight and failing
over to the next when it fails.

How it decides:

- initialization health-checks every database (``initial_health_check_policy``
  says how many must pass) and makes the healthy one of highest weight active;
- background health checks, every ``health_check_interval`` seconds, open the
  circuit of a database that fails and close it when it passes again;
- the failure detectors open the active database's circuit when commands fail
  (``min_num_failures`` failures, at least ``failure_rate_threshold`` of the
  commands, within ``failures_detection_window`` seconds);
- before each attempt of a command the executor fails over if the active
  circuit is not closed, and every ``auto_fallback_interval`` seconds it asks the
  failover strategy again, so a recovered database of higher weight is active
  again (fallback);
- an open circuit is half-opened after its grace period, and one health check
  closes or re-opens it.

Each change of the active database fires
:class:`~aio.redis.multidb.event.AsyncActiveDatabaseChanged`.

Differences from redis-py: the half-open check comes after the circuit's own
``grace_period`` (redis-py waits its default, 60 s, whatever the config says);
leaving ``async with client.pipeline()`` does not close the client; failure
detectors added later are attached to the executor; :meth:`MultiDBClient.aclose`
closes every database's client and waits for the background tasks to end;
removing the active database while the next by weight is unhealthy makes the
healthy one of highest weight active (redis-py's stays on the removed one).

.. versionadded:: 0.1
"""

from __future__ import annotations

import logging
import warnings
import weakref
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import anyio

from aio.redis.commands import CoreCommands
from aio.redis.exceptions import DataError
from aio.redis.multidb._background import BackgroundTasks
from aio.redis.multidb._fork import abandon, track_client
from aio.redis.multidb._pipeline import HIMPORT_UNSUPPORTED, Pipeline
from aio.redis.multidb._pubsub import PubSub
from aio.redis.multidb.circuit import CircuitBreaker, State
from aio.redis.multidb.command_executor import (
    DefaultCommandExecutor,
    GeoFailoverReason,
)
from aio.redis.multidb.config import (
    DatabaseConfig,
    InitialHealthCheck,
    MultiDbConfig,
    make_database,
)
from aio.redis.multidb.database import AsyncDatabase, Database, Databases
from aio.redis.multidb.exception import (
    InitialHealthCheckFailedError,
    NoValidDatabaseException,
    UnhealthyDatabaseException,
)
from aio.redis.multidb.failure_detector import AsyncFailureDetector
from aio.redis.multidb.healthcheck import (
    AbstractHealthCheckPolicy,
    HealthCheck,
    HealthCheckPolicy,
)

if TYPE_CHECKING:
    from aio.redis.multidb._search import ActiveDatabaseSearch

__all__ = ("Database", "MultiDBClient", "Pipeline", "PubSub")

logger = logging.getLogger("aio.redis.multidb")

#: redis-py's warning: the API is experimental there, and here as well.
EXPERIMENTAL = (
    "MultiDBClient is an experimental and may change or be removed in future versions."
)


class MultiDBClient(CoreCommands):
    """A client over several databases with automatic failover and fallback.

    ``async with MultiDBClient(config) as client: await client.set("k", "v")``;
    without ``async with`` the first command initializes it, and
    :meth:`aclose` stops its background health checks and closes its clients.

    :param config: the databases and the policies.
    """

    def __init__(self, config: MultiDbConfig) -> None:
        warnings.warn(EXPERIMENTAL, category=UserWarning, stacklevel=2)
        self._config = config
        self._databases = config.databases()
        self._health_checks: list[HealthCheck] = (
            config.health_checks or config.default_health_checks()
        )
        self._health_check_interval = config.health_check_interval
        self._health_check_policy: HealthCheckPolicy = (
            config.health_check_policy.value()
        )
        self._failure_detectors: list[AsyncFailureDetector] = (
            config.failure_detectors or config.default_failure_detectors()
        )
        self._failover_strategy = (
            config.default_failover_strategy()
            if config.failover_strategy is None
            else config.failover_strategy
        )
        self._failover_strategy.set_databases(self._databases)
        self._auto_fallback_interval = config.auto_fallback_interval
        self._event_dispatcher = config.event_dispatcher
        self._command_retry = config.command_retry
        self._command_retry.update_supported_errors([ConnectionRefusedError])
        self.command_executor = DefaultCommandExecutor(
            failure_detectors=self._failure_detectors,
            databases=self._databases,
            command_retry=self._command_retry,
            failover_strategy=self._failover_strategy,
            failover_attempts=config.failover_attempts,
            failover_delay=config.failover_delay,
            event_dispatcher=self._event_dispatcher,
            auto_fallback_interval=self._auto_fallback_interval,
        )
        self.initialized = False
        self._hc_lock = anyio.Lock()
        self._init_lock = anyio.Lock()
        self._background = BackgroundTasks()
        # Weakly: a removed database is not kept, and a new one is never taken
        # for it (as by an id() reused).
        self._watched: weakref.WeakSet[AsyncDatabase] = weakref.WeakSet()
        self._checks_scheduled = False
        # Set in a forked child: the background jobs start again on next use.
        self._resume_after_fork = False
        track_client(self)

    def __repr__(self) -> str:
        return f"<MultiDBClient databases={[db for db, _ in self._databases]}>"

    async def __aenter__(self) -> MultiDBClient:
        await self._ensure_initialized()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Stop the background health checks (waiting for them to end), close
        the health-check clients, the pub/sub and every database's client."""
        # Shielded: a caller cancelled while closing must not leave the
        # remaining clients' connections open (each close is bounded).
        self.command_executor.unregister_listeners()
        with anyio.CancelScope(shield=True):
            await self._background.aclose()
            await self._health_check_policy.close()
            pubsub = self.command_executor.active_pubsub
            if pubsub is not None:
                await pubsub.aclose()
            for database, _ in self._databases:
                await database.client.aclose()

    async def _ensure_initialized(self) -> None:
        if not self.initialized:
            async with self._init_lock:
                if not self.initialized:
                    await self.initialize()
        elif self._resume_after_fork:
            async with self._init_lock:
                if self._resume_after_fork:
                    await self._resume_background()

    def _after_fork_in_child(self) -> None:
        # The parent's loop is not the child's: its background tasks and the
        # health-check clients' sockets are left to it (see _fork).
        parent = self._background
        parent._closed, parent._group = True, None  # its finalizer: a no-op
        self._background = BackgroundTasks()
        self._checks_scheduled = False
        self._init_lock = anyio.Lock()
        self._hc_lock = anyio.Lock()
        policy = self._health_check_policy
        if isinstance(policy, AbstractHealthCheckPolicy):
            abandon(parent, *policy.forget_clients())
        self._resume_after_fork = self.initialized

    async def _resume_background(self) -> None:
        await self._background.start()
        if not self._checks_scheduled:
            self._schedule_health_checks()
        for database, _ in self._databases:
            # Their timers and checks were the parent's.
            if database.circuit.state == State.OPEN:
                self._half_open_later(database.circuit)
            elif database.circuit.state == State.HALF_OPEN:
                self._on_circuit_state_change(
                    database, database.circuit, State.OPEN, State.HALF_OPEN
                )
        self._resume_after_fork = False

    async def initialize(self) -> None:
        """Health-check every database, start the background checks and choose
        the active database.

        :raises InitialHealthCheckFailedError: ``initial_health_check_policy``
            is not met.
        :raises NoValidDatabaseException: no database is healthy.
        """
        await self._perform_initial_health_check()
        await self._background.start()
        if not self._checks_scheduled:
            self._schedule_health_checks()
        active: AsyncDatabase | None = None
        for database, _ in self._databases:
            self._watch_circuit(database)
            if active is None and database.circuit.state == State.CLOSED:
                active = database
        if active is None:
            raise NoValidDatabaseException(
                "Initial connection failed - no active database found"
            )
        # Chosen directly: no ActiveDatabaseChanged for the first choice.
        self.command_executor._active_database = active
        self.initialized = True

    def _schedule_health_checks(self) -> None:
        # Once per client, even if an initialization is cancelled and redone.
        self._checks_scheduled = True
        # The recurring job holds the client weakly: a client dropped without
        # aclose() is collected, and its finalizer cancels the jobs.
        this = weakref.ref(self)

        async def round_of_checks() -> None:
            client = this()
            if client is not None:
                await client._check_databases_health()

        self._background.run_recurring(
            self._health_check_interval, round_of_checks, "multidb health checks"
        )
        weakref.finalize(self, self._background.cancel)

    def _watch_circuit(self, database: AsyncDatabase) -> None:
        if database in self._watched:
            return
        self._watched.add(database)

        def on_change(circuit: CircuitBreaker, old: State, new: State) -> None:
            self._on_circuit_state_change(database, circuit, old, new)

        database.circuit.on_state_changed(on_change)

    def get_databases(self) -> Databases:
        """The databases, highest weight first."""
        return self._databases

    def _is_member(self, database: AsyncDatabase) -> bool:
        return any(existing == database for existing, _ in self._databases)

    def _require_member(self, database: AsyncDatabase) -> None:
        if not self._is_member(database):
            raise ValueError("Given database is not a member of database list")

    async def set_active_database(self, database: AsyncDatabase) -> None:
        """Make ``database`` (one of :meth:`get_databases`) active, after a
        health check.

        :raises ValueError: it is not one of the client's databases.
        :raises NoValidDatabaseException: it is unhealthy.
        """
        self._require_member(database)
        await self._check_db_health(database)
        if database.circuit.state == State.CLOSED:
            await self.command_executor.set_active_database(
                database, GeoFailoverReason.MANUAL
            )
            return
        raise NoValidDatabaseException(
            "Cannot set active database, database is unhealthy"
        )

    async def add_database(
        self, config: DatabaseConfig, skip_initial_health_check: bool = True
    ) -> None:
        """Add a database; it becomes active if healthy and of higher weight
        than every other.

        :param skip_initial_health_check: add it even if its health check raises.
        :raises UnhealthyDatabaseException: it is unhealthy and
            ``skip_initial_health_check`` is False.
        """
        await self._add_database(
            make_database(self._config.client_class, config), skip_initial_health_check
        )

    async def _add_database(
        self, database: AsyncDatabase, skip_initial_health_check: bool
    ) -> None:
        # add_database of a database already made (the blocking facade's).
        try:
            await self._check_db_health(database)
        except UnhealthyDatabaseException:
            if not skip_initial_health_check:
                await self._health_check_policy.release(database)
                await database.client.aclose()
                raise
        highest, _ = self._databases.get_top_n(1)[0]
        self._databases.add(database, database.weight)
        if self.initialized:
            self._watch_circuit(database)
        await self._change_active_database(database, highest)

    async def _change_active_database(
        self, new_database: AsyncDatabase, highest_weight_database: AsyncDatabase
    ) -> None:
        if (
            new_database.weight > highest_weight_database.weight
            and new_database.circuit.state == State.CLOSED
        ):
            await self.command_executor.set_active_database(
                new_database, GeoFailoverReason.AUTOMATIC
            )

    async def remove_database(self, database: AsyncDatabase) -> None:
        """Remove a database; the healthy one of highest weight becomes active
        if the removed one weighed as much or more (or was the active one).

        :raises ValueError: it is not one of the client's databases.
        """
        weight = self._databases.remove(database)
        await self._health_check_policy.release(database)
        highest, highest_weight = self._databases.get_top_n(1)[0]
        if highest_weight <= weight and highest.circuit.state == State.CLOSED:
            await self.command_executor.set_active_database(
                highest, GeoFailoverReason.MANUAL
            )
        elif self.command_executor.active_database is database:
            # The next by weight is unhealthy: the healthy one of highest
            # weight, rather than commands going on to the removed database.
            for candidate, _ in self._databases:
                if candidate.circuit.state == State.CLOSED:
                    await self.command_executor.set_active_database(
                        candidate, GeoFailoverReason.MANUAL
                    )
                    break

    async def update_database_weight(
        self, database: AsyncDatabase, weight: float
    ) -> None:
        """Change a database's weight (it becomes active if healthy and now
        heavier than the previous heaviest).

        :raises ValueError: it is not one of the client's databases.
        """
        self._require_member(database)
        highest, _ = self._databases.get_top_n(1)[0]
        self._databases.update_weight(database, weight)
        database.weight = weight
        await self._change_active_database(database, highest)

    def add_failure_detector(self, failure_detector: AsyncFailureDetector) -> None:
        """Add a failure detector (it watches the active database from now on)."""
        self.command_executor.add_failure_detector(failure_detector)

    async def add_health_check(self, healthcheck: HealthCheck) -> None:
        """Add a health check, run with the others from the next round on."""
        async with self._hc_lock:
            self._health_checks.append(healthcheck)

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Run a command on the active database (with failover and retries)."""
        await self._ensure_initialized()
        return await self.command_executor.execute_command(*args, **options)

    async def himport_prepare(self, *args: Any, **kwargs: Any) -> Any:
        """Refused: HIMPORT state is per connection and does not survive a
        failover.

        :raises DataError: always.
        """
        raise DataError(HIMPORT_UNSUPPORTED)

    async def himport_set(self, *args: Any, **kwargs: Any) -> Any:
        """Refused (see :meth:`himport_prepare`)."""
        raise DataError(HIMPORT_UNSUPPORTED)

    async def himport_discard(self, *args: Any, **kwargs: Any) -> Any:
        """Refused (see :meth:`himport_prepare`)."""
        raise DataError(HIMPORT_UNSUPPORTED)

    async def himport_discard_all(self, *args: Any, **kwargs: Any) -> Any:
        """Refused (see :meth:`himport_prepare`)."""
        raise DataError(HIMPORT_UNSUPPORTED)

    def pipeline(self) -> Pipeline:
        """A pipeline: commands queued, sent by ``await pipe.execute()``."""
        return Pipeline(self)

    def ft(self, index_name: str = "idx") -> ActiveDatabaseSearch:
        """The search commands of the index ``index_name``, each run on the
        active database (``await client.ft("idx").search("hello")``), as
        redis-py's; its ``pipeline()`` and ``batch_indexer()`` raise
        :class:`~aio.redis.exceptions.DataError`. See
        :mod:`aio.redis.commands.search`."""
        from aio.redis.multidb._search import ActiveDatabaseSearch

        return ActiveDatabaseSearch(self, index_name)

    async def transaction(
        self,
        func: Callable[[Any], Any | Awaitable[Any]],
        *watches: Any,
        shard_hint: str | None = None,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
    ) -> Any:
        """Run ``func(pipe)`` in a MULTI/EXEC transaction on the active database,
        again while WATCHed keys change (and on the next database after a
        failure)."""
        await self._ensure_initialized()
        return await self.command_executor.execute_transaction(
            func,
            *watches,
            shard_hint=shard_hint,
            value_from_callable=value_from_callable,
            watch_delay=watch_delay,
        )

    async def pubsub(self, **kwargs: Any) -> PubSub:
        """The client's pub/sub (one per client, moved on failover).

        :raises ValueError: the databases are clusters.
        """
        await self._ensure_initialized()
        return PubSub(self, **kwargs)

    async def _check_databases_health(self) -> dict[AsyncDatabase, bool]:
        """Health-check every database concurrently; opens the circuit of each
        that fails; returns each database's health."""
        databases = [database for database, _ in self._databases]
        results: dict[AsyncDatabase, bool] = {}

        async def check(database: AsyncDatabase) -> None:
            try:
                results[database] = await self._check_db_health(database)
            except Exception as exc:
                original = getattr(exc, "original_exception", exc)
                logger.debug("Health check failed, due to exception", exc_info=original)
                database.circuit.state = State.OPEN
                results[database] = False
            if not self._is_member(database):
                # Removed during its check, which may have made it a new
                # health-check client after remove_database released the last.
                await self._health_check_policy.release(database)

        async with anyio.create_task_group() as tg:
            for database in databases:
                tg.start_soon(check, database)
        return {database: results[database] for database in databases}

    async def _perform_initial_health_check(self) -> None:
        results = await self._check_databases_health()
        policy = self._config.initial_health_check_policy
        healthy = list(results.values())
        if policy == InitialHealthCheck.ALL_AVAILABLE:
            is_healthy = all(healthy)
        elif policy == InitialHealthCheck.MAJORITY_AVAILABLE:
            is_healthy = sum(healthy) > len(healthy) / 2
        else:
            is_healthy = any(healthy)
        if not is_healthy:
            raise InitialHealthCheckFailedError(
                f"Initial health check failed. Initial health check policy: {policy}"
            )

    async def _check_db_health(self, database: AsyncDatabase) -> bool:
        """Run the health checks on ``database`` and set its circuit."""
        async with self._hc_lock:
            checks = list(self._health_checks)
        is_healthy = await self._health_check_policy.execute(checks, database)
        wanted = State.CLOSED if is_healthy else State.OPEN
        if database.circuit.state != wanted:
            database.circuit.state = wanted
        return is_healthy

    def _on_circuit_state_change(
        self,
        database: AsyncDatabase,
        circuit: CircuitBreaker,
        old_state: State,
        new_state: State,
    ) -> None:
        if not self._is_member(database):
            # Removed: its circuit is not the client's business any more (a
            # half-open check would make it a health-check client, and timers
            # would hold it for ever).
            return
        if new_state == State.HALF_OPEN:

            async def half_open_check() -> None:
                try:
                    await self._check_db_health(database)
                finally:
                    if not self._is_member(database):
                        # Removed while (or before) its check ran, which may
                        # have made it a new health-check client after
                        # remove_database released the last.
                        with anyio.CancelScope(shield=True):
                            await self._health_check_policy.release(database)

            self._background.spawn(half_open_check, "multidb half-open check")
            return
        if old_state == State.CLOSED and new_state == State.OPEN:
            logger.warning(
                "Database %s is unreachable. Failover has been initiated.", database
            )
            self._half_open_later(circuit)
        if old_state != State.CLOSED and new_state == State.CLOSED:
            logger.info("Database %s is reachable again.", database)

    def _half_open_later(self, circuit: CircuitBreaker) -> None:
        async def half_open() -> None:
            if circuit.state == State.OPEN:
                circuit.state = State.HALF_OPEN

        self._background.call_later(
            circuit.grace_period, half_open, "multidb grace period"
        )
