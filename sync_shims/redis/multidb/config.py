"""redis-py's ``redis.multidb.config``: the configuration of the blocking
multi-database client, with blocking clients, failure detectors and failover
strategies; health checks are the async core's (``check_health`` is a coroutine,
given the async client of the database), as in redis-py."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from aio.redis.multidb.circuit import (
    DEFAULT_GRACE_PERIOD,
    CircuitBreaker,
    DefaultCircuitBreaker,
)
from aio.redis.multidb.command_executor import DEFAULT_AUTO_FALLBACK_INTERVAL
from aio.redis.multidb.config import InitialHealthCheck as InitialHealthCheck
from aio.redis.multidb.config import make_client
from aio.redis.multidb.dispatcher import EventDispatcher, EventDispatcherInterface
from aio.redis.multidb.failure_detector import (
    DEFAULT_FAILURE_RATE_THRESHOLD,
    DEFAULT_FAILURES_DETECTION_WINDOW,
    DEFAULT_MIN_NUM_FAILURES,
    CommandFailureDetector,
    FailureDetector,
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
from sync_shims.redis.backoff import ExponentialWithJitterBackoff
from sync_shims.redis.client import Redis
from sync_shims.redis.cluster import RedisCluster
from sync_shims.redis.connection import ConnectionPool
from sync_shims.redis.maint_notifications import MaintNotificationsConfig
from sync_shims.redis.multidb.database import Database, Databases, WeightedList
from sync_shims.redis.multidb.failover import (
    DEFAULT_FAILOVER_ATTEMPTS,
    DEFAULT_FAILOVER_DELAY,
    FailoverStrategy,
    WeightBasedFailoverStrategy,
)
from sync_shims.redis.retry import Retry

__all__ = (
    "DEFAULT_AUTO_FALLBACK_INTERVAL",
    "DEFAULT_GRACE_PERIOD",
    "DatabaseConfig",
    "InitialHealthCheck",
    "MultiDbConfig",
    "default_event_dispatcher",
)


def default_event_dispatcher() -> EventDispatcherInterface:
    """A new :class:`EventDispatcher`."""
    return EventDispatcher()


def _default_command_retry() -> Retry:
    # redis-py's: 10 retries, full-jitter backoff from 10 ms to 1 s.
    return Retry(ExponentialWithJitterBackoff(base=0.01, cap=1), 10)


@dataclass
class DatabaseConfig:
    """One database (see :class:`aio.redis.multidb.config.DatabaseConfig`);
    ``from_pool`` is a blocking :class:`~sync_shims.redis.ConnectionPool`."""

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


def make_database(client_class: Any, config: DatabaseConfig) -> Database:
    """The :class:`Database` of ``config``: its client's retries off and, unless
    ``client_kwargs`` ask for them, maintenance notifications off (as redis-py's
    blocking multi-database client)."""
    config.client_kwargs.setdefault(
        "maint_notifications_config", MaintNotificationsConfig(enabled=False)
    )
    circuit = config.circuit or config.default_circuit_breaker()
    return Database(
        client=make_client(client_class, config),  # type: ignore[arg-type]
        circuit=circuit,
        weight=config.weight,
        health_check_url=config.health_check_url,
    )


@dataclass
class MultiDbConfig:
    """The configuration of :class:`~sync_shims.redis.multidb.client.MultiDBClient`;
    the fields are those of :class:`aio.redis.multidb.config.MultiDbConfig`, with
    blocking classes."""

    databases_config: list[DatabaseConfig]
    client_class: type[Redis] | type[RedisCluster] = Redis
    command_retry: Retry = field(default_factory=_default_command_retry)
    failure_detectors: list[FailureDetector] | None = None
    min_num_failures: int = DEFAULT_MIN_NUM_FAILURES
    failure_rate_threshold: float = DEFAULT_FAILURE_RATE_THRESHOLD
    failures_detection_window: float = DEFAULT_FAILURES_DETECTION_WINDOW
    health_checks: list[HealthCheck] | None = None
    health_check_interval: float = DEFAULT_HEALTH_CHECK_INTERVAL
    health_check_probes: int = DEFAULT_HEALTH_CHECK_PROBES
    health_check_delay: float = DEFAULT_HEALTH_CHECK_DELAY
    health_check_timeout: float = DEFAULT_HEALTH_CHECK_TIMEOUT
    health_check_policy: HealthCheckPolicies = DEFAULT_HEALTH_CHECK_POLICY
    failover_strategy: FailoverStrategy | None = None
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

    def default_failure_detectors(self) -> list[FailureDetector]:
        """A :class:`CommandFailureDetector` with this config's thresholds."""
        return [
            CommandFailureDetector(
                min_num_failures=self.min_num_failures,
                failure_rate_threshold=self.failure_rate_threshold,
                failure_detection_window=self.failures_detection_window,
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

    def default_failover_strategy(self) -> FailoverStrategy:
        """A :class:`WeightBasedFailoverStrategy`."""
        return WeightBasedFailoverStrategy()
