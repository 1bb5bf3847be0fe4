"""The machinery of the :class:`~aio.redis.Redis` client, without the commands.

``Redis`` is this class plus the command mixins of :mod:`aio.redis.commands`: a mixin
method builds an argument list and calls :meth:`RedisCore.execute_command`, which
takes a connection from the pool, sends the command, gives the connection back and
converts the reply with the command's response callback.

The hot path avoids every avoidable await: a free, connected connection is taken
from the pool synchronously, the command is written synchronously, and the only
suspension is the caller's wait for its reply future.

A client's constructor arguments (redis-py's default retry policy, the deprecation
warnings, the keywords accepted) are checked by ``_client_options.py``.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import ssl as _ssl
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from aio.redis._client_options import (
    _RETRY_ON_TIMEOUT_DEPRECATED,
    DEFAULT_RETRY,
    _warn_auto_close,
    default_retry,
    refuse_unknown_kwargs,
)
from aio.redis._client_options import _caller_stacklevel as _caller_stacklevel
from aio.redis._connection import (
    NEVER_DECODE,
    Connection,
    SSLConnection,
    UnixDomainSocketConnection,
    resp_version,
)
from aio.redis._defaults import DEFAULT_SOCKET_CONNECT_TIMEOUT, DEFAULT_SOCKET_TIMEOUT
from aio.redis._pool import ConnectionPool
from aio.redis._reauth import (
    ReAuthSubscription,
    forget_dedicated,
    mark_dedicated,
    release_after_re_auth,
    subscribe,
)
from aio.redis.credentials import StreamingCredentialProvider
from aio.redis.driver_info import UNSET, DriverInfo, driver_info_from_args
from aio.redis.exceptions import (
    ConnectionError,
    ResponseError,
    WatchError,
)
from aio.redis.himport import (
    HIMPORT_SET,
    HImportRegistry,
    may_be_himport,
    parse_himport_set_args,
)
from aio.redis.retry import Retry

if TYPE_CHECKING:
    from aio.redis._lock import Lock
    from aio.redis._pipeline import PipelineCore
    from aio.redis._pubsub import Monitor, PubSub
    from aio.redis._script import Script
    from aio.redis.commands.himport import HImportCommands

__all__ = ("RedisCore",)

logger = logging.getLogger("aio.redis")

_R = TypeVar("_R", bound="RedisCore")

#: redis-py's option: the value to return when the server refuses the command
#: (``mget([])`` passes ``[]``), instead of raising its ResponseError.
EMPTY_RESPONSE = "EMPTY_RESPONSE"

# Options that steer the client, never passed to a response callback.
_CLIENT_OPTIONS = (NEVER_DECODE, "keys", EMPTY_RESPONSE)

# Commands that redis-py answers with an empty value when called without
# arguments (its command methods add EMPTY_RESPONSE): the server would only
# refuse them with an arity error, so no round trip is made.
_EMPTY_WHEN_BARE: dict[Any, Callable[[], Any]] = {"MGET": list}


async def _reconnect_for_maintenance(conn: Connection) -> None:
    """Reconnect a single-connection client's connection that a maintenance
    (MOVING) marked, as redis-py's client does after the command: to the host
    now configured. A failure only leaves it closed (the next command connects,
    with its retry policy), where redis-py would raise it over the reply."""
    conn._close_for_reconnect()
    try:
        await conn.connect()
    except Exception as exc:
        logger.debug("reconnect after a maintenance failed: %s", exc)


def empty_response_option(args: tuple[Any, ...], options: dict[str, Any]) -> None:
    """Add redis-py's ``EMPTY_RESPONSE`` option to a bare command that has one."""
    if len(args) == 1:
        make = _EMPTY_WHEN_BARE.get(args[0])
        if make is not None and EMPTY_RESPONSE not in options:
            options[EMPTY_RESPONSE] = make()


class ResponseCallbacks(dict[str, Callable[..., Any]]):
    """``response_callbacks``: command names in any case, as redis-py's
    (``callbacks["get"] is callbacks["GET"]``); kept upper-case inside, so the
    client's hot path reads it with the plain ``dict.get``."""

    def __init__(
        self, callbacks: Mapping[str, Callable[..., Any]] | None = None
    ) -> None:
        super().__init__()
        self.update(callbacks or {})

    def __getitem__(self, name: str) -> Callable[..., Any]:
        return super().__getitem__(name.upper())

    def __setitem__(self, name: str, callback: Callable[..., Any]) -> None:
        super().__setitem__(name.upper(), callback)

    def __delitem__(self, name: str) -> None:
        super().__delitem__(name.upper())

    def __contains__(self, name: object) -> bool:
        return super().__contains__(name.upper() if isinstance(name, str) else name)

    def get(self, name: Any, default: Any = None) -> Any:
        return super().get(name.upper() if isinstance(name, str) else name, default)

    def pop(self, name: Any, *default: Any) -> Any:
        return super().pop(name.upper() if isinstance(name, str) else name, *default)

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, callback in dict(*args, **kwargs).items():
            self[name] = callback


# The unbound lookup for the hot path: skips ResponseCallbacks.get's upper().
_lookup = dict.get


class ScriptsAndLocks:
    """``register_script()`` and ``lock()``, shared by :class:`RedisCore` and
    :class:`~aio.redis.RedisCluster`: both only hand the client to the object they
    make, which then runs its commands through ``execute_command``."""

    def register_script(self, script: str | bytes) -> Script:
        """A callable :class:`~aio.redis.Script` for a Lua script (EVALSHA, loaded
        on demand)."""
        from aio.redis._script import Script

        return Script(cast("RedisCore", self), script)

    def lock(
        self,
        name: str | bytes,
        timeout: float | None = None,
        sleep: float = 0.1,
        blocking: bool = True,
        blocking_timeout: float | None = None,
        lock_class: type[Lock] | None = None,
        thread_local: bool = True,
        raise_on_release_error: bool = True,
    ) -> Lock:
        """A :class:`~aio.redis.Lock` named ``name`` (see its arguments)."""
        from aio.redis._lock import Lock

        cls = lock_class or Lock
        return cls(
            cast("RedisCore", self),
            name,
            timeout=timeout,
            sleep=sleep,
            blocking=blocking,
            blocking_timeout=blocking_timeout,
            thread_local=thread_local,
            raise_on_release_error=raise_on_release_error,
        )


async def run_transaction(
    pipeline: Any,
    func: Callable[[Any], Any],
    watches: tuple[Any, ...],
    *,
    value_from_callable: bool,
    watch_delay: float | None,
) -> Any:
    """The body of ``transaction()``, for a single server and a cluster alike:
    WATCH ``watches``, run ``func(pipeline)`` (sync or async), EXEC; all again
    (after ``watch_delay`` seconds) while a watched key changes (WatchError).
    The pipeline is closed when done.

    :returns: the EXEC results, or ``func``'s value with ``value_from_callable``.
    """
    async with pipeline as pipe:
        while True:
            try:
                if watches:
                    await pipe.watch(*watches)
                func_value = func(pipe)
                if inspect.isawaitable(func_value):
                    func_value = await func_value
                exec_value = await pipe.execute()
                return func_value if value_from_callable else exec_value
            except WatchError:
                if watch_delay is not None and watch_delay > 0:
                    await asyncio.sleep(watch_delay)


class RedisCore(ScriptsAndLocks):
    """Connection handling, ``execute_command``, pipelines, pub/sub, scripts, locks.

    The arguments are redis-py's (see :class:`~aio.redis.Redis`).
    """

    #: The response callbacks, by upper-case command name (set by ``Redis``).
    RESPONSE_CALLBACKS: Mapping[str, Callable[..., Any]] = {}
    #: Overrides used when the connection speaks RESP3.
    RESP3_RESPONSE_CALLBACKS: Mapping[str, Callable[..., Any]] = {}
    # The subscription to a streaming credential provider (set by __init__;
    # None for pipelines, which share their client's).
    _re_auth: ReAuthSubscription | None = None

    def __init__(
        self,
        *,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
        socket_connect_timeout: float | None = DEFAULT_SOCKET_CONNECT_TIMEOUT,
        socket_keepalive: bool | None = True,
        connection_pool: ConnectionPool | None = None,
        unix_socket_path: str | None = None,
        encoding: str = "utf-8",
        encoding_errors: str = "strict",
        decode_responses: bool = False,
        retry_on_timeout: bool = UNSET,
        retry: Retry | None = DEFAULT_RETRY,
        ssl: bool = False,
        ssl_keyfile: str | None = None,
        ssl_certfile: str | None = None,
        ssl_cert_reqs: str | _ssl.VerifyMode = "required",
        ssl_ca_certs: str | None = None,
        ssl_ca_data: str | None = None,
        ssl_check_hostname: bool = True,
        ssl_min_version: _ssl.TLSVersion | None = None,
        ssl_context: _ssl.SSLContext | None = None,
        max_connections: int | None = None,
        single_connection_client: bool = False,
        health_check_interval: float = 0,
        client_name: str | None = None,
        username: str | None = None,
        protocol: int | None = None,
        auto_close_connection_pool: bool | None = None,
        driver_info: DriverInfo | None = UNSET,
        lib_name: str | None = UNSET,
        lib_version: str | None = UNSET,
        **kwargs: Any,
    ) -> None:
        refuse_unknown_kwargs(type(self).__name__, kwargs)
        if retry_on_timeout is not UNSET:
            # As redis-py's client: whenever given (True or False), before the
            # lib_* warnings.
            warnings.warn(
                _RETRY_ON_TIMEOUT_DEPRECATED,
                DeprecationWarning,
                stacklevel=_caller_stacklevel(),
            )
        # Resolved (and lib_* warned about) here, once, as redis-py's client:
        # its pool carries the result in connection_kwargs["driver_info"].
        resolved_info = driver_info_from_args(
            driver_info, lib_name, lib_version, stacklevel=_caller_stacklevel() + 1
        )
        if retry is DEFAULT_RETRY:
            # As redis-py 8: a client that makes its own pool retries by default;
            # one given a pool uses the pool's policy (none unless it has one).
            retry = default_retry() if connection_pool is None else None
        # retry_on_timeout is accepted and ignored, as redis-py 8 deprecates and
        # ignores it on the client (its default policy retries TimeoutError):
        # not given to the pool, so Redis(retry=None, retry_on_timeout=True)
        # retries nothing and get_retry() is None. A pool or URL that sets it
        # still widens its connections' policies, as redis-py's connections do.
        if connection_pool is None:
            pool_kwargs: dict[str, Any] = {
                "db": db,
                "username": username,
                "password": password,
                "socket_timeout": socket_timeout,
                "encoding": encoding,
                "encoding_errors": encoding_errors,
                "decode_responses": decode_responses,
                "retry": retry,
                "max_connections": max_connections,
                "health_check_interval": health_check_interval,
                "client_name": client_name,
                "driver_info": resolved_info,
                "protocol": protocol,
            }
            connection_class: type[Connection]
            if unix_socket_path is not None:
                pool_kwargs["path"] = unix_socket_path
                connection_class = UnixDomainSocketConnection
            else:
                pool_kwargs.update(
                    host=host,
                    port=port,
                    socket_connect_timeout=socket_connect_timeout,
                    socket_keepalive=bool(socket_keepalive),
                )
                connection_class = Connection
                if ssl:
                    connection_class = SSLConnection
                    pool_kwargs.update(
                        ssl_keyfile=ssl_keyfile,
                        ssl_certfile=ssl_certfile,
                        ssl_cert_reqs=ssl_cert_reqs,
                        ssl_ca_certs=ssl_ca_certs,
                        ssl_ca_data=ssl_ca_data,
                        ssl_check_hostname=ssl_check_hostname,
                        ssl_min_version=ssl_min_version,
                        ssl_context=ssl_context,
                    )
            pool_kwargs.update(kwargs)
            connection_pool = ConnectionPool(
                connection_class=connection_class, **pool_kwargs
            )
            _warn_auto_close(auto_close_connection_pool)
            self.auto_close_connection_pool = (
                True
                if auto_close_connection_pool is None
                else auto_close_connection_pool
            )
        else:
            # A pool handed in is the caller's to close, whatever the flag says
            # (redis.asyncio ignores it too, after the same warning).
            _warn_auto_close(auto_close_connection_pool)
            self.auto_close_connection_pool = False
        self.connection_pool = connection_pool
        self.single_connection_client = single_connection_client
        self.connection: Connection | None = None
        pool_kwargs = connection_pool.connection_kwargs
        proto = resp_version(pool_kwargs.get("protocol"))
        # The table is chosen once here: the per-command path only looks up.
        if pool_kwargs.get("legacy_responses", True):
            self.response_callbacks: dict[str, Callable[..., Any]] = ResponseCallbacks(
                self.RESPONSE_CALLBACKS
            )
            if proto == 3:
                self.response_callbacks.update(self.RESP3_RESPONSE_CALLBACKS)
        else:
            # Imported here: the unified converters cost every import of
            # aio.redis about 18M instructions, for an opt-in few use.
            from aio.redis.commands._unified import unified_callbacks

            self.response_callbacks = ResponseCallbacks(
                unified_callbacks(self.RESPONSE_CALLBACKS, proto)
            )
        # A streaming provider (given here or to the pool) re-authenticates
        # the pool's open connections with each token it pushes (_reauth.py).
        provider = kwargs.get("credential_provider") or (
            connection_pool.connection_kwargs.get("credential_provider")
        )
        self._re_auth = None
        if isinstance(provider, StreamingCredentialProvider):
            self._re_auth = subscribe(provider, connection_pool)

    @classmethod
    def from_url(
        cls: type[_R],
        url: str,
        single_connection_client: bool = False,
        auto_close_connection_pool: bool | None = None,
        **kwargs: Any,
    ) -> _R:
        """Build a client from ``redis://``, ``rediss://`` or ``unix://`` URL.

        ``redis://[[username]:password@]host[:port][/db][?option=value]``; what
        the URL says wins over keyword arguments, as in redis-py.
        """
        pool = ConnectionPool.from_url(url, **kwargs)
        client = cls(
            connection_pool=pool, single_connection_client=single_connection_client
        )
        _warn_auto_close(auto_close_connection_pool)
        client.auto_close_connection_pool = (
            True if auto_close_connection_pool is None else auto_close_connection_pool
        )
        return client

    @classmethod
    def from_pool(cls: type[_R], connection_pool: ConnectionPool) -> _R:
        """A client that owns ``connection_pool`` (closing the client closes it)."""
        client = cls(connection_pool=connection_pool)
        client.auto_close_connection_pool = True
        return client

    def __repr__(self) -> str:
        return (
            f"<{type(self).__module__}.{type(self).__name__}({self.connection_pool!r})>"
        )

    def get_connection_kwargs(self) -> dict[str, Any]:
        """The arguments the pool's connections are made with."""
        return self.connection_pool.connection_kwargs

    def get_cache(self) -> Any:
        """The client-side cache (``cache=``/``cache_config=``): an
        :class:`aio.redis.cache.CacheInterface`, or None."""
        return self.connection_pool.cache

    def get_encoder(self) -> tuple[str, str, bool]:
        """``(encoding, errors, decode_responses)``."""
        return self.connection_pool.get_encoder()

    def get_retry(self) -> Retry | None:
        """The ``retry`` the pool's connections are made with, as redis-py's
        ``get_retry()`` (None when the pool has none).

        Each connection retries a failed command under its own copy of it,
        widened by ``retry_on_error`` (and ``TimeoutError`` for a pool made with
        ``retry_on_timeout``); that copy (``connection.retry``) is the policy
        commands run under, here as in redis-py.
        """
        return self.connection_pool.connection_kwargs.get("retry")

    def set_retry(self, retry: Retry) -> None:
        """Use ``retry`` for commands from now on (on every connection of the
        pool, as given: not widened by ``retry_on_error``, as in redis-py)."""
        self.connection_pool.set_retry(retry)

    def set_response_callback(self, command: str, callback: Callable[..., Any]) -> None:
        """Convert the replies of ``command`` with ``callback(reply, **options)``."""
        self.response_callbacks[command.upper()] = callback

    # -- lifecycle ---------------------------------------------------------------

    def client(self: _R) -> _R:
        """A client of the same class on the same pool that holds one connection
        (``single_connection_client=True``, taken on first use or ``initialize``);
        closing it gives the connection back and leaves the pool open."""
        return type(self)(
            connection_pool=self.connection_pool, single_connection_client=True
        )

    async def initialize(self: _R) -> _R:
        """Take the dedicated connection of a ``single_connection_client``."""
        if self.single_connection_client and self.connection is None:
            self.connection = conn = await self.connection_pool.get_connection()
            if self._re_auth is not None:
                mark_dedicated(conn)
        return self

    def __await__(self: _R) -> Any:
        return self.initialize().__await__()

    async def __aenter__(self: _R) -> _R:
        return await self.initialize()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self, close_connection_pool: bool | None = None) -> None:
        """Give back the dedicated connection and, if this client made its pool
        (or ``close_connection_pool``), close the pool's connections."""
        conn = self.connection
        if conn is not None:
            self.connection = None
            forget_dedicated(conn)
            await self.connection_pool.release(conn)
        if close_connection_pool or (
            close_connection_pool is None and self.auto_close_connection_pool
        ):
            await self.connection_pool.disconnect()

    async def close(self, close_connection_pool: bool | None = None) -> None:
        """Deprecated alias of :meth:`aclose` (``DeprecationWarning``, as
        ``redis.asyncio`` since 5.0.1)."""
        warnings.warn(
            "Call to deprecated close. (Use aclose() instead)",
            DeprecationWarning,
            stacklevel=2,
        )
        await self.aclose(close_connection_pool)

    # -- commands ----------------------------------------------------------------

    async def execute_command(self, *args: Any, **options: Any) -> Any:
        """Send a command and return its reply, converted by its response callback.

        :raises ResponseError: the server answered with an error (a subclass named
            by the error's prefix, such as ``WrongTypeError``).
        :raises ConnectionError: the connection failed (after any retries).
        :raises TimeoutError: no reply within ``socket_timeout``.
        """
        if EMPTY_RESPONSE in options or (
            len(args) == 1 and args[0] in _EMPTY_WHEN_BARE
        ):
            return await self._execute_or_empty(args, options)
        if may_be_himport(args[0]):
            operands = parse_himport_set_args(args)
            if operands is not None:
                return await self._execute_himport_set(args, operands, options)
        conn = self.connection
        if conn is None and self.single_connection_client:
            _ = await self.initialize()
            conn = self.connection
        if conn is not None:
            try:
                try:
                    reply = await conn.execute(args, options)
                except Exception as exc:
                    reply = await self._retry_after(exc, conn, args, options)
            except BaseException:
                # The dedicated connection outlives this call, and concurrent
                # commands share it: the reply of a cancelled GET soon comes
                # and is dropped, but a cancelled blocking command (its
                # ``timeout`` option: BRPOP, XREAD BLOCK...) may answer late or
                # never, stalling every command queued behind it. Drop the
                # connection then; the next command reconnects. (A pooled
                # connection is dropped on release.)
                if "timeout" in options and conn.pending_replies:
                    conn._abort(ConnectionError("Blocking command cancelled."))
                raise
            finally:
                if conn._should_reconnect and not conn.pending_replies:
                    await _reconnect_for_maintenance(conn)
        else:
            pool = self.connection_pool
            conn = pool._take_now()
            if conn is None:
                conn = await pool.get_connection()
            elif conn._transport is None and conn.retry is None:
                # With a retry policy, ``conn.execute`` connects inside it.
                conn = await pool._ready(conn)
            try:
                # No retry wrapper on the way in: a try block costs nothing until
                # an error, and most commands never see one.
                try:
                    reply = await conn.execute(args, options)
                except Exception as exc:
                    reply = await self._retry_after(exc, conn, args, options)
            finally:
                # A token streamed while the command ran: AUTH before release.
                if conn._re_auth_token is None:
                    pool._release(conn)
                else:
                    await release_after_re_auth(pool, conn)
        callback = _lookup(self.response_callbacks, args[0])
        if callback is None:
            name = args[0]
            if not isinstance(name, str) or name.isupper():
                return reply
            callback = self.response_callbacks.get(name.upper())
            if callback is None:
                return reply
        for key in _CLIENT_OPTIONS:
            options.pop(key, None)
        return callback(reply, **options)

    async def _execute_himport_set(
        self,
        args: tuple[Any, ...],
        operands: tuple[Any, Any, list[Any]],
        options: dict[str, Any],
    ) -> Any:
        # Off the hot path: an HIMPORT SET needs its fieldset prepared on the
        # connection that runs it, so the connection runs it (with its retry
        # policy, as any command).
        conn = self.connection
        if conn is None and self.single_connection_client:
            _ = await self.initialize()
            conn = self.connection
        pool = None
        if conn is None:
            pool = self.connection_pool
            conn = await pool.get_connection()
        try:
            try:
                reply = await conn.execute_himport_set(operands, options)
            except Exception as exc:
                retry: Retry | None = conn.retry
                if retry is None:
                    raise
                used = conn

                async def fail(error: Exception) -> None:
                    await used.disconnect(nowait=True)

                reply = await retry.retry_after(
                    exc, lambda: used.execute_himport_set(operands, options), fail
                )
        finally:
            if pool is not None:
                await pool.release(conn)
            elif conn._should_reconnect and not conn.pending_replies:
                # As any command on the dedicated connection (execute_command).
                await _reconnect_for_maintenance(conn)
        callback = self.response_callbacks.get(HIMPORT_SET)
        if callback is None:
            return reply
        for key in _CLIENT_OPTIONS:
            options.pop(key, None)
        return callback(reply, **options)

    @property
    def himport_registry(self) -> HImportRegistry:
        """The HIMPORT fieldsets declared on this client's pool (read it;
        change it through :meth:`himport_prepare` and :meth:`himport_discard`).
        """
        return self.connection_pool.himport_registry

    def _pinned(self) -> Connection | None:
        # The connection of a single-connection client, when it has a session
        # whose prepared fieldsets can be changed at once.
        conn = self.connection
        if self.single_connection_client and conn is not None and conn.is_connected:
            return conn
        return None

    async def himport_prepare(self, fieldset_name: str, fields: Iterable[Any]) -> bool:
        """Declare the fieldset ``fieldset_name`` (its field names, in order)
        for :meth:`himport_set`; a declared name is replaced. Connections
        prepare it on first use; a single-connection client's at once.
        Returns True.

        :raises DataError: ``fields`` is one string or bytes, or empty.
        """
        _ = await self.initialize()
        fieldset = self.himport_registry.prepare(fieldset_name, fields)
        conn = self._pinned()
        if conn is not None:
            await cast("HImportCommands", self).himport_prepare_internal(
                fieldset_name, fieldset.fields
            )
            conn._himport_prepared[fieldset_name] = fieldset.version
        return True

    async def himport_discard(self, fieldset_name: str) -> int:
        """Forget the fieldset ``fieldset_name``: 1 if it was declared, else 0.
        Connections that prepared it DISCARD it on their next HIMPORT SET; a
        single-connection client's at once."""
        _ = await self.initialize()
        registry = self.himport_registry
        removed = registry.discard(fieldset_name)
        conn = self._pinned()
        if conn is not None:
            if removed:
                await cast("HImportCommands", self).himport_discard_internal(
                    fieldset_name
                )
            conn._himport_prepared.pop(fieldset_name, None)
            conn._himport_reconciled_revision = registry.revision
        return 1 if removed else 0

    async def himport_discard_all(self) -> int:
        """Forget every declared fieldset; returns how many there were."""
        _ = await self.initialize()
        registry = self.himport_registry
        count = registry.discard_all()
        conn = self._pinned()
        if conn is not None:
            if count:
                await cast("HImportCommands", self).himport_discard_all_internal()
            conn._himport_prepared.clear()
            conn._himport_reconciled_revision = registry.revision
        return count

    async def _execute_or_empty(
        self, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        # Off the hot path: a bare MGET, or redis-py's EMPTY_RESPONSE option.
        empty = options.pop(EMPTY_RESPONSE, None)
        make = _EMPTY_WHEN_BARE.get(args[0]) if len(args) == 1 else None
        if make is not None:
            return make() if empty is None else empty
        try:
            return await self.execute_command(*args, **options)
        except ResponseError:
            return empty

    async def _retry_after(
        self,
        error: Exception,
        conn: Connection,
        args: tuple[Any, ...],
        options: dict[str, Any],
    ) -> Any:
        """Go on after the first attempt failed: retry per the connection's
        policy (widened by ``retry_on_error``, as redis-py's ``conn.retry``), or
        re-raise."""
        retry: Retry | None = conn.retry  # None after pool.set_retry(None)
        if retry is None:
            raise error

        async def fail(exc: Exception) -> None:
            await conn.disconnect(nowait=True)

        return await retry.retry_after(error, lambda: conn.execute(args, options), fail)

    # -- machinery built on execute_command ----------------------------------------

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> PipelineCore:
        """A pipeline: commands are buffered and sent together by ``execute()``.

        :param transaction: wrap the commands in MULTI/EXEC.
        """
        from aio.redis._pipeline import make_pipeline

        return make_pipeline(self, transaction, shard_hint)

    async def transaction(
        self,
        func: Callable[[Any], Any],
        *watches: Any,
        shard_hint: Any = None,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
    ) -> Any:
        """Run ``func(pipe)`` in a transaction, again while WATCHed keys change.

        ``func`` may be sync or async. It runs in immediate mode (after WATCH), may
        call ``pipe.multi()`` and queue commands; the pipeline is executed after it.

        :returns: the EXEC results, or ``func``'s value with ``value_from_callable``.
        """
        return await run_transaction(
            self.pipeline(True, shard_hint),
            func,
            watches,
            value_from_callable=value_from_callable,
            watch_delay=watch_delay,
        )

    def pubsub(self, **kwargs: Any) -> PubSub:
        """A :class:`~aio.redis.PubSub` object on its own connection."""
        from aio.redis._pubsub import PubSub

        return PubSub(self.connection_pool, **kwargs)

    def monitor(self) -> Monitor:
        """A :class:`~aio.redis.Monitor` that streams the commands the server runs."""
        from aio.redis._pubsub import Monitor

        return Monitor(self.connection_pool)
