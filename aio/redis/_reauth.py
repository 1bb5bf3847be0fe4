"""Re-authentication of open connections when a streaming provider pushes a token.

A client whose credential provider is a
:class:`~aio.redis.credentials.StreamingCredentialProvider` subscribes to its
``on_next``/``on_error`` (:func:`subscribe`). With each new token
(``AUTH <token.try_get("oid")> <token.get_value()>``, as redis-py):

- idle pooled connections, a single-connection client's connection and RESP3
  pub/sub connections send AUTH at once (pipelined on the connection, so a
  command another task sends meanwhile is answered after it);
- the other connections in use are marked (``_re_auth_token``), and send AUTH
  when they come back to the pool: a flag read on release, nothing per
  command. Where release is awaited (a client's command, ``pool.release``)
  the AUTH is awaited and a refusal raised there, as in redis-py; the pool's
  synchronous release (pipelines, locks) writes the AUTH ahead of the
  connection's next command instead, and a refusal is logged.

A refused AUTH closes that connection (its next use reconnects with the
provider's current credentials) and raises the ``AuthenticationError``, as
redis-py does; then the connections still in use are unmarked (redis-py stops at
the first refusal before marking any; here the idle ones of every pool are asked
together, so each refused one is closed, but for one another task took or
wrote a command to behind the AUTH: it is left on the old credentials, as the
connections in use). An idle connection closed while its AUTH's reply is
awaited (its pool disconnected) is no refusal: its reconnect asks the provider.
``on_error`` raises :class:`~aio.redis.event.EventException` to the provider,
as redis-py.

One subscription per provider covers every pool of the clients given it, where
redis-py's providers keep only the last client's callback. A cluster client,
whose nodes come and go with the slot map, subscribes a :class:`PoolSource` of
its nodes (:func:`subscribe_source`): their pools are asked for at each token,
so nodes learnt after it was made are re-authenticated too.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from aio.redis.event import ClientType, EventException
from aio.redis.exceptions import (
    AuthenticationError,
    AuthorizationError,
    ResponseError,
)

if TYPE_CHECKING:
    from aio.redis._connection import Connection
    from aio.redis._pool import ConnectionPool
    from aio.redis.auth.token import TokenInterface

__all__ = (
    "PoolSource",
    "ReAuthSubscription",
    "forget_dedicated",
    "mark_dedicated",
    "re_auth_on_release",
    "release_after_re_auth",
    "subscribe",
    "subscribe_source",
)

logger = logging.getLogger("aio.redis")

# Connections held by single-connection clients: never released while the
# client lives, so they re-authenticate at once.
_T = TypeVar("_T")
_DEDICATED: weakref.WeakSet[Connection] = weakref.WeakSet()
_SUBSCRIPTIONS: weakref.WeakKeyDictionary[Any, ReAuthSubscription] = (
    weakref.WeakKeyDictionary()
)


def _auth_command(token: TokenInterface) -> tuple[Any, ...]:
    return ("AUTH", token.try_get("oid"), token.get_value())


def _at_once(conn: Connection) -> bool:
    """Whether an in-use connection re-authenticates now rather than on release."""
    if conn in _DEDICATED:
        return True
    # A pub/sub connection (both sinks set): AUTH is allowed while subscribed
    # with RESP3 only, where redis-py re-authenticates them too.
    return (
        conn.protocol == 3
        and conn.message_sink is not None
        and conn.push_handler is not None
    )


async def _auth(conn: Connection, token: TokenInterface) -> None:
    try:
        await conn.execute(_auth_command(token), {})
    except Exception as exc:
        # Closed, as redis-py's connection is after the refusal: the next use
        # reconnects with the provider's credentials.
        conn._abort(exc)
        raise


async def re_auth_pools(pools: Iterable[ConnectionPool], token: TokenInterface) -> None:
    """AUTH the pools' idle connections (and dedicated, pub/sub ones) now,
    and mark the others in use for their release.

    :raises AuthenticationError: the server refused the token (the refused
        connections are closed; the marks are taken back from those still in
        use).
    """
    # Every AUTH is written, and every connection in use marked, here, before
    # another task runs: an idle connection taken meanwhile (for a RESP2
    # pub/sub, where AUTH is refused and the confirmations are plain replies)
    # has it ahead of its new user's commands, and one given back while the
    # replies are awaited re-authenticates on release; so for every pool (a
    # cluster's nodes) at once. One not connected is left alone: its connect
    # asks the provider.
    command = _auth_command(token)
    # (pool, connection, idle when the AUTH was written, its reply)
    sent: list[tuple[ConnectionPool, Connection, bool, asyncio.Future[Any]]] = []
    marked: list[Connection] = []
    for pool in pools:
        now = [(conn, True) for conn in pool._available if conn.is_connected]
        for conn in pool._in_use:
            if not _at_once(conn):
                conn._re_auth_token = token
                marked.append(conn)
            elif conn.is_connected:
                now.append((conn, False))
        sent += [
            (pool, c, idle, c.send_request(command, timeout=c.socket_timeout))
            for c, idle in now
        ]
    if not sent:
        return
    results = await asyncio.gather(*(s[3] for s in sent), return_exceptions=True)
    error: Exception | None = None
    for (pool, conn, idle, _), result in zip(sent, results, strict=True):
        if isinstance(result, Exception) and _lost(conn, result):
            # Closed meanwhile (its pool disconnected, a cluster node dropped
            # at a refresh): no refusal of the token, and nothing to AUTH,
            # its reconnect asks the provider.
            continue
        if isinstance(result, Exception):
            error = error or result
            # Closed, as in _auth: the next use reconnects. Unless another
            # task has written to it behind the AUTH, or taken it since (an
            # idle one): closing would fail that task's command (its reply
            # lost, though the server ran it); still on the old credentials,
            # it is left as those in use, unmarked below.
            if not conn.pending_replies and (not idle or conn in pool._available):
                conn._abort(result)
    if error is not None:
        # As redis-py, which stops at the first refusal before marking any:
        # those still in use keep their credentials.
        for conn in marked:
            if conn._re_auth_token is token:
                conn._re_auth_token = None
        raise error


def _lost(conn: Connection, error: Exception) -> bool:
    """Whether ``error``, an AUTH's, is the connection's loss, not the server's
    answer (a refusal: an error reply)."""
    return not conn.is_connected and not isinstance(
        error, ResponseError | AuthenticationError | AuthorizationError
    )


def _clean(conn: Connection) -> bool:
    return conn.is_connected and not conn.pending_replies and conn.message_sink is None


async def release_after_re_auth(pool: ConnectionPool, conn: Connection) -> None:
    """Release a connection marked with a token: AUTH first, awaited.

    :raises AuthenticationError: the token was refused (the connection is
        closed, and released all the same).
    """
    token = conn._re_auth_token
    conn._re_auth_token = None
    try:
        if token is not None and _clean(conn):
            await _auth(conn, token)
    finally:
        pool._release(conn)


def re_auth_on_release(conn: Connection) -> None:
    """The synchronous release's part: write the AUTH ahead of the
    connection's next command; a refusal is logged and closes the connection
    if nothing else is in flight on it."""
    token = conn._re_auth_token
    conn._re_auth_token = None
    if token is None or not _clean(conn):
        return
    future = conn.send_request(_auth_command(token), timeout=conn.socket_timeout)

    def done(future: asyncio.Future[Any]) -> None:
        if future.cancelled():
            return
        error = future.exception()
        if not isinstance(error, Exception):
            return
        logger.warning("re-authentication refused on release: %s", error)
        if not conn.pending_replies:
            conn._abort(error)

    future.add_done_callback(done)


def mark_dedicated(conn: Connection) -> None:
    """Note a single-connection client's connection (re-authenticated at once)."""
    _DEDICATED.add(conn)


def forget_dedicated(conn: Connection) -> None:
    """A single-connection client gave its connection back to the pool."""
    _DEDICATED.discard(conn)


class PoolSource(Protocol):
    """Pools that change over time (a cluster client's nodes), held weakly
    by the subscription and asked for at each token."""

    def re_auth_pools(self) -> Iterable[ConnectionPool]:
        """The pools to re-authenticate now."""
        ...


class ReAuthSubscription:
    """What a client subscribes to its streaming provider: :meth:`on_next`
    re-authenticates the connections of every pool given to :func:`subscribe`
    with this provider; :meth:`on_error` raises the error back.

    Its ``connection_pools``, ``client_type`` and ``credential_provider`` are
    those of redis-py's ``AfterPooledConnectionsInstantiationEvent`` (the
    ``event`` of an :class:`~aio.redis.event.EventException`).
    """

    def __init__(self, provider: Any) -> None:
        self._provider_ref: Callable[[], Any] = _reference(provider)
        self._pools: weakref.WeakSet[ConnectionPool] = weakref.WeakSet()
        self._sources: weakref.WeakSet[PoolSource] = weakref.WeakSet()
        self._runner: Callable[..., Any] | None = None

    @property
    def credential_provider(self) -> Any:
        """The provider subscribed to."""
        return self._provider_ref()

    @property
    def connection_pools(self) -> list[ConnectionPool]:
        """The pools re-authenticated (each once, also when a source
        shares it with a client)."""
        pools = dict.fromkeys(_members(self._pools))
        for source in _members(self._sources):
            pools.update(dict.fromkeys(source.re_auth_pools()))
        return list(pools)

    @property
    def client_type(self) -> ClientType:
        """``SYNC`` once a blocking client subscribed (the callbacks block)."""
        return ClientType.ASYNC if self._runner is None else ClientType.SYNC

    async def on_next(self, token: TokenInterface) -> None:
        """Re-authenticate every pool's connections with ``token``.

        :raises AuthenticationError: the server refused it.
        """
        await re_auth_pools(self.connection_pools, token)

    async def on_error(self, error: Exception) -> None:
        """Raise the provider's error back to it, as redis-py's client does.

        :raises EventException: always, with ``error`` and this subscription.
        """
        raise EventException(error, self)

    def use_blocking(self, runner: Callable[..., Any]) -> None:
        """Subscribe blocking callbacks instead (the provider calls them from
        its own thread): ``runner(coroutine_function, arg)`` runs one on the
        loop and returns its result (the facade's portal)."""
        self._runner = runner
        self._register()

    def _register(self) -> None:
        provider = self.credential_provider
        if provider is None:
            return
        runner = self._runner
        if runner is None:
            provider.on_next(self.on_next)
            provider.on_error(self.on_error)
            return

        def on_next(token: TokenInterface) -> None:
            runner(self.on_next, token)

        def on_error(error: Exception) -> None:
            runner(self.on_error, error)

        provider.on_next(on_next)
        provider.on_error(on_error)


def _reference(obj: Any) -> Callable[[], Any]:
    try:
        return weakref.ref(obj)
    except TypeError:  # not weakly referable: held strongly
        return lambda: obj


def subscribe(provider: Any, pool: ConnectionPool) -> ReAuthSubscription:
    """Subscribe ``pool``'s re-authentication to ``provider`` (once per
    provider: a second pool joins the first one's subscription)."""
    subscription = _subscription_of(provider)
    subscription._pools.add(pool)
    subscription._register()
    return subscription


def subscribe_source(provider: Any, source: PoolSource) -> ReAuthSubscription:
    """Subscribe the re-authentication of ``source``'s pools, as they are at
    each token, to ``provider`` (joining its subscription, if any)."""
    subscription = _subscription_of(provider)
    subscription._sources.add(source)
    subscription._register()
    return subscription


def _subscription_of(provider: Any) -> ReAuthSubscription:
    try:
        subscription = _SUBSCRIPTIONS.get(provider)
    except TypeError:  # not hashable or not weakly referable
        subscription = None
    if subscription is None:
        subscription = ReAuthSubscription(provider)
        try:
            _SUBSCRIPTIONS[provider] = subscription
        except TypeError:
            pass
    return subscription


def _members(members: weakref.WeakSet[_T]) -> list[_T]:
    """The live members of ``members``. A blocking facade adds members from its
    caller's thread while the loop thread reads them here: iterating the set
    then fails with "Set changed size during iteration", and reading again
    sees the addition (it cannot repeat for ever: additions are rare)."""
    while True:
        try:
            return list(members)
        except RuntimeError:
            continue
