"""The configuration of a multi-database client, as redis-py's
``redis.asyncio.multidb.config``: one :class:`DatabaseConfig` per database, and
:class:`MultiDbConfig` for the client (health checks, failure detection,
failover, fallback, events).

.. versionadded:: 0.1
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from aio.redis._pool import ConnectionPool
from aio.redis.backoff import ExponentialWithJitterBackoff, NoBackoff
from aio.redis.client import Redis
from aio.redis.cluster import RedisCluster
from aio.redis.multidb.circuit import (
    DEFAULT_GRACE_PERIOD,
    CircuitBreaker,
    DefaultCircuitBreaker,
)
from aio.redis.multidb.command_executor import DEFAULT_AUTO_FALLBACK_INTERVAL
from aio.redis.multidb.database import Database, Databases, WeightedList
from aio.redis.multidb.dispatcher import EventDispatcher, EventDispatcherInterface
from aio.redis.multidb.failover import (
    DEFAULT_FAILOVER_ATTEMPTS,
    DEFAULT_FAILOVER_DELAY,
    AsyncFailoverStrategy,
    WeightBasedFailoverStrategy,
)
from aio.redis.multidb.failure_detector import (
    DEFAULT_FAILURE_RATE_THRESHOLD,
    DEFAULT_FAILURES_DETECTION_WINDOW,
    DEFAULT_MIN_NUM_FAILURES,
    AsyncFailureDetector,
    CommandFailureDetector,
    FailureDetectorAsyncWrapper,
)
from aio.redis.multidb.healthcheck import (
    DEFAULT_HEALTH_CHECK_DELAY,
    DEFAULT_HEALTH_CHECK_INTERVAL,
    DEFAULT_HEALTH_CHECK_POLICY,
    DEFAULT_HEALTH_CHECK_PROBES,
    DEFAULT_HEALTH_CHECK_TIMEOUT,
    HealthCheck,
    HealthCheckPolicies,
    PingHealthCheck,
)
from aio.redis.retry import Retry

__all__ = (
    "DEFAULT_AUTO_FALLBACK_INTERVAL",
    "DEFAULT_GRACE_PERIOD",
    "DatabaseConfig",
    "InitialHealthCheck",
    "MultiDbConfig",
    "default_command_retry",
    "default_event_dispatcher",
    "make_client",
)

#: redis-py's command retry: 10 retries, full-jitter backoff from 10 ms to 1 s.
DEFAULT_RETRY_COUNT = 10
DEFAULT_RETRY_BASE = 0.01
DEFAULT_RETRY_CAP = 1


class InitialHealthCheck(Enum):
    """How many databases must be healthy when the client initializes."""

    ALL_AVAILABLE = "all_available"
    MAJORITY_AVAILABLE = "majority_available"
    ONE_AVAILABLE = "one_available"


def default_event_dispatcher() -> EventDispatcherInterface:
    """A new :class:`EventDispatcher`."""
    return EventDispatcher()


def default_command_retry() -> Retry:
    """A new retry as redis-py's default ``command_retry``."""
    return Retry(
        backoff=ExponentialWithJitterBackoff(
            base=DEFAULT_RETRY_BASE, cap=DEFAULT_RETRY_CAP
        ),
        retries=DEFAULT_RETRY_COUNT,
    )


@dataclass
class DatabaseConfig:
    """One database.

    :param weight: the active database is the healthy one of highest weight.
    :param client_kwargs: arguments of its client (``host``, ``port``, ...).
    :param from_url: make the client from this URL (with ``client_kwargs``).
    :param from_pool: make the client on this connection pool.
    :param circuit: its circuit breaker (default: :meth:`default_circuit_breaker`).
    :param grace_period: seconds its circuit stays open before a half-open check.
    :param health_check_url: for health checks that need one.
    """

    weight: float = 1.0
    client_kwargs: dict[str, Any] = field(default_factory=dict)
    from_url: str | None = None
    from_pool: ConnectionPool | None = None
    circuit: CircuitBreaker | None = None
    grace_period: float = DEFAULT_GRACE_PERIOD
    health_check_url: str | None = None

    def default_circuit_breaker(self) -> CircuitBreaker:
        """A closed circuit with this config's grace period."""
        return DefaultCircuitBreaker(grace_period=self.grace_period)


def make_client(client_class: Any, config: DatabaseConfig) -> Any:
    """The client of ``config``, with retries off: the multi-database client's
    ``command_retry`` retries, on whichever database is active then."""
    no_retry = Retry(retries=0, backoff=NoBackoff())
    config.client_kwargs["retry"] = no_retry
    if config.from_url:
        return client_class.from_url(config.from_url, **config.client_kwargs)
    if config.from_pool:
        config.from_pool.set_retry(Retry(retries=0, backoff=NoBackoff()))
        return client_class.from_pool(connection_pool=config.from_pool)
    return client_class(**config.client_kwargs)


def make_database(client_class: Any, config: DatabaseConfig) -> Database:
    """The :class:`Database` of ``config``."""
    circuit = (
        config.default_circuit_breaker() if config.circuit is None else config.circuit
    )
    return Database(
        client=make_client(client_class, config),
        circuit=circuit,
        weight=config.weight,
        health_check_url=config.health_check_url,
    )


@dataclass
class MultiDbConfig:
    """The configuration of a :class:`~aio.redis.multidb.client.MultiDBClient`.

    :param databases_config: the databases.
    :param client_class: :class:`aio.redis.Redis` or :class:`aio.redis.RedisCluster`.
    :param command_retry: the retry around every command (each retry on the
        database active then); ``ConnectionRefusedError`` is added to its errors.
    :param failure_detectors: replace the default detector.
    :param min_num_failures: the default detector's minimum of failures.
    :param failure_rate_threshold: the default detector's failure rate.
    :param failures_detection_window: the default detector's window (seconds).
    :param health_checks: replace the default PING check.
    :param health_check_interval: seconds between background health checks.
    :param health_check_probes: probes of the default check.
    :param health_check_delay: seconds between its probes.
    :param health_check_timeout: seconds all its probes may take.
    :param health_check_policy: how probes decide (:class:`HealthCheckPolicies`).
    :param failover_strategy: replace the weight-based strategy.
    :param failover_attempts: periods of "temporarily unavailable" before
        :class:`NoValidDatabaseException`.
    :param failover_delay: the length of one such period (seconds).
    :param auto_fallback_interval: seconds between attempts to fall back to a
        healthy database of higher weight.
    :param event_dispatcher: fires the client's events.
    :param initial_health_check_policy: what initialization requires.

    Unlike redis-py's, each config gets its own default ``command_retry`` (the
    retry is changed by the client, and redis-py's default is shared).
    """

    databases_config: list[DatabaseConfig]
    client_class: type[Redis] | type[RedisCluster] = Redis
    command_retry: Retry = field(default_factory=default_command_retry)
    failure_detectors: list[AsyncFailureDetector] | None = None
    min_num_failures: int = DEFAULT_MIN_NUM_FAILURES
    failure_rate_threshold: float = DEFAULT_FAILURE_RATE_THRESHOLD
    failures_detection_window: float = DEFAULT_FAILURES_DETECTION_WINDOW
    health_checks: list[HealthCheck] | None = None
    health_check_interval: float = DEFAULT_HEALTH_CHECK_INTERVAL
    health_check_probes: int = DEFAULT_HEALTH_CHECK_PROBES
    health_check_delay: float = DEFAULT_HEALTH_CHECK_DELAY
    health_check_timeout: float = DEFAULT_HEALTH_CHECK_TIMEOUT
    health_check_policy: HealthCheckPolicies = DEFAULT_HEALTH_CHECK_POLICY
    failover_strategy: AsyncFailoverStrategy | None = None
    failover_attempts: int = DEFAULT_FAILOVER_ATTEMPTS
    failover_delay: float = DEFAULT_FAILOVER_DELAY
    auto_fallback_interval: float = DEFAULT_AUTO_FALLBACK_INTERVAL
    event_dispatcher: EventDispatcherInterface = field(
        default_factory=default_event_dispatcher
    )
    initial_health_check_policy: InitialHealthCheck = InitialHealthCheck.ALL_AVAILABLE

    def databases(self) -> Databases:
        """A database per config (clients made now, not connected yet)."""
        databases: Databases = WeightedList()
        for config in self.databases_config:
            databases.add(make_database(self.client_class, config), config.weight)
        return databases

    def default_failure_detectors(self) -> list[AsyncFailureDetector]:
        """A :class:`CommandFailureDetector` with this config's thresholds."""
        return [
            FailureDetectorAsyncWrapper(
                CommandFailureDetector(
                    min_num_failures=self.min_num_failures,
                    failure_rate_threshold=self.failure_rate_threshold,
                    failure_detection_window=self.failures_detection_window,
                )
            )
        ]

    def default_health_checks(self) -> list[HealthCheck]:
        """A :class:`PingHealthCheck` with this config's probes, delay, timeout."""
        return [
            PingHealthCheck(
                health_check_probes=self.health_check_probes,
                health_check_delay=self.health_check_delay,
                health_check_timeout=self.health_check_timeout,
            )
        ]

    def default_failover_strategy(self) -> AsyncFailoverStrategy:
        """A :class:`WeightBasedFailoverStrategy`."""
        return WeightBasedFailoverStrategy()
