"""The circuit breaker of a database: closed (takes commands), open (does not),
half-open (one health check decides), as redis-py's ``redis.multidb.circuit``.

redis-py adapts ``pybreaker``; aio has its own small state holder, since the
multi-database client only ever sets the state and listens to its changes (it
never routes calls through the breaker). As pybreaker does, every assignment of
:attr:`CircuitBreaker.state` notifies the listeners, even when the state does not
change: the client's listener acts on the transitions it cares about.

.. versionadded:: 0.1
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from enum import Enum
from typing import Any

__all__ = (
    "DEFAULT_GRACE_PERIOD",
    "BaseCircuitBreaker",
    "CircuitBreaker",
    "DefaultCircuitBreaker",
    "State",
    "StateListener",
)

#: Seconds an open circuit stays open before a half-open health check.
DEFAULT_GRACE_PERIOD = 60


class State(Enum):
    """The state of a circuit (values as redis-py's)."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


StateListener = Callable[["CircuitBreaker", State, State], None]


class CircuitBreaker(ABC):
    """What the multi-database client needs of a circuit breaker."""

    @property
    @abstractmethod
    def grace_period(self) -> float:
        """Seconds the circuit stays open before it is half-opened."""

    @grace_period.setter
    @abstractmethod
    def grace_period(self, grace_period: float) -> None:
        """Change the grace period."""

    @property
    @abstractmethod
    def state(self) -> State:
        """The current state."""

    @state.setter
    @abstractmethod
    def state(self, state: State) -> None:
        """Move to ``state`` (listeners are told)."""

    @property
    @abstractmethod
    def database(self) -> Any:
        """The database this circuit guards."""

    @database.setter
    @abstractmethod
    def database(self, database: Any) -> None:
        """Attach the circuit to a database."""

    @abstractmethod
    def on_state_changed(self, cb: StateListener) -> None:
        """Call ``cb(circuit, old_state, new_state)`` on every state assignment."""


class BaseCircuitBreaker(CircuitBreaker):
    """A thread-safe circuit: state, grace period, database and listeners.

    Listeners run in the thread that assigns the state, after the lock is
    released (a listener may read or set the state again).
    """

    def __init__(self, grace_period: float = DEFAULT_GRACE_PERIOD) -> None:
        self._grace_period = grace_period
        self._state = State.CLOSED
        self._database: Any = None
        self._listeners: list[StateListener] = []
        self._lock = threading.Lock()

    @property
    def grace_period(self) -> float:
        return self._grace_period

    @grace_period.setter
    def grace_period(self, grace_period: float) -> None:
        self._grace_period = grace_period

    @property
    def state(self) -> State:
        return self._state

    @state.setter
    def state(self, state: State) -> None:
        if not isinstance(state, State):
            raise ValueError(f"Unknown circuit state {state!r}")
        with self._lock:
            old, self._state = self._state, state
            listeners = list(self._listeners)
        for listener in listeners:
            listener(self, old, state)

    @property
    def database(self) -> Any:
        return self._database

    @database.setter
    def database(self, database: Any) -> None:
        self._database = database

    def on_state_changed(self, cb: StateListener) -> None:
        with self._lock:
            self._listeners.append(cb)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} state={self._state.value}>"


class DefaultCircuitBreaker(BaseCircuitBreaker):
    """The circuit :class:`~aio.redis.multidb.config.DatabaseConfig` makes when
    none is given (redis-py's ``PBCircuitBreakerAdapter`` over pybreaker)."""
