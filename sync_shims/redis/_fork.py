"""Forget, in a forked child, the connections its parent's loop made.

A connection belongs to the loop it was made on: after ``os.fork()`` the child
has a new engine loop (see ``aio.engine``), and the parent's sockets are still
in use by the parent. redis-py checks the pid on every pool access; here an
``os.register_at_fork`` hook resets every pool a facade created (zero cost per
command). The forgotten connections are kept referenced, never closed: closing
their transports would touch the parent's loop state (its selector), and letting
them be collected would warn about unclosed transports. Pub/sub objects and
pipelines are not carried over: make new ones in the child, as with redis-py.
A connection made by hand (``Connection(...)``) gets a fresh async connection in
the child, which connects on first use: the parent's socket is never shared.
"""

from __future__ import annotations

import os
import weakref
from typing import Any, Protocol

from aio.redis import BlockingConnectionPool as AsyncBlockingConnectionPool
from aio.redis import ConnectionPool as AsyncConnectionPool
from aio.redis import Redis as AsyncRedis

__all__ = ("track_client", "track_connection", "track_pool")


class _Renewable(Protocol):
    def _renew(self, abandoned: list[Any]) -> None: ...


_pools: weakref.WeakSet[AsyncConnectionPool] = weakref.WeakSet()
_clients: weakref.WeakSet[AsyncRedis] = weakref.WeakSet()
_connections: weakref.WeakSet[_Renewable] = weakref.WeakSet()
# The parent's connections, as seen by a child: referenced for ever (see above).
_abandoned: list[Any] = []


def track_pool(pool: AsyncConnectionPool) -> None:
    """Reset ``pool`` in a forked child."""
    _pools.add(pool)


def track_client(client: AsyncRedis) -> None:
    """Drop ``client``'s dedicated connection in a forked child."""
    _clients.add(client)


def track_connection(connection: _Renewable) -> None:
    """Give a hand-made blocking connection a fresh async one in a forked child."""
    _connections.add(connection)


def _after_fork_in_child() -> None:
    for pool in list(_pools):
        # The pool's private lists: the public reset() forgets without telling
        # us what it forgot, and those objects must stay referenced.
        _abandoned.extend(pool._available)
        _abandoned.extend(pool._in_use)
        pool.reset()
        if isinstance(pool, AsyncBlockingConnectionPool):
            _abandoned.extend(pool._waiters)
            pool._waiters.clear()
    for client in list(_clients):
        if client.connection is not None:
            _abandoned.append(client.connection)
            client.connection = None
    for connection in list(_connections):
        connection._renew(_abandoned)


os.register_at_fork(after_in_child=_after_fork_in_child)
