"""A multi-database client in a forked child (the blocking facade's clients
are used there, as redis-py's are).

The child has a new engine loop; the parent's background tasks (health checks,
half-open timers) and the sockets of its health-check clients belong to the
parent's loop. An ``os.register_at_fork`` hook tells every client, which
forgets them and starts its background jobs again on its next use. The
forgotten objects stay referenced, never closed: closing their transports
would touch the parent's loop state (its selector, shared with the parent).
"""

from __future__ import annotations

import os
import weakref
from typing import Any, Protocol

__all__ = ("abandon", "track_client")


class _Forking(Protocol):
    def _after_fork_in_child(self) -> None: ...


_clients: weakref.WeakSet[_Forking] = weakref.WeakSet()
# What the children's clients forgot: referenced for ever (see above).
_abandoned: list[Any] = []


def track_client(client: _Forking) -> None:
    """Tell ``client`` when the process forks (in the child)."""
    _clients.add(client)


def abandon(*objects: Any) -> None:
    """Keep the parent's ``objects`` referenced, unused, in the child."""
    _abandoned.extend(objects)


def _after_fork_in_child() -> None:
    for client in list(_clients):
        client._after_fork_in_child()


os.register_at_fork(after_in_child=_after_fork_in_child)
