"""redis-py's blocking ``Redis`` client, on aio's engine.

Every command method comes from the generated twin (``RedisTwin``): it runs the
async client's method on the engine's loop and blocks for the reply. What is
hand-written here is what differs between the two worlds: construction (pools),
pipelines (commands are queued in the calling thread, no loop round trip),
``transaction()`` (the callable runs in the calling thread), scripts and locks.
Pub/sub (handlers run in the calling or worker thread, never on the loop) is in
``_pubsub.py``; its ``PubSub`` and ``PubSubWorkerThread`` are imported from
here, redis-py's module for them.
"""

from __future__ import annotations

import copy
import functools
import inspect
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from aio.redis import Pipeline as AsyncPipeline
from aio.redis import Redis as AsyncRedis
from aio.redis import Script as AsyncScript
from aio.redis.backoff import ExponentialWithJitterBackoff
from aio.redis.cache import CacheInterface
from aio.redis.commands import BitFieldOperation
from aio.redis.exceptions import WatchError
from aio.redis.himport import HImportRegistry
from aio.redis.retry import Retry as AsyncRetry
from sync_shims._generated_redis import MonitorTwin, RedisTwin
from sync_shims._portal import call
from sync_shims.redis._client_mixin import (
    BlockingClientMixin,
    BlockingPipelineMixin,
)
from sync_shims.redis._fork import track_client
from sync_shims.redis._pubsub import Handler as Handler
from sync_shims.redis._pubsub import PubSub, PubSubWorkerThread
from sync_shims.redis._pubsub import off_the_loop as off_the_loop
from sync_shims.redis._pubsub import user_handler as user_handler
from sync_shims.redis.commands.modules import ModuleCommands
from sync_shims.redis.connection import (
    DEFAULT,
    DEFAULT_SOCKET_CONNECT_TIMEOUT,
    DEFAULT_SOCKET_READ_SIZE,
    DEFAULT_SOCKET_TIMEOUT,
    Connection,
    ConnectionPool,
    Encoder,
    get_default_socket_keepalive_options,
    refuse_maintenance_notifications,
)
from sync_shims.redis.lock import Lock
from sync_shims.redis.retry import Retry

if TYPE_CHECKING:
    from sync_shims.redis.keyspace_notifications import KeyspaceNotifications

__all__ = (
    "Monitor",
    "Pipeline",
    "PubSub",
    "PubSubWorkerThread",
    "Redis",
    "Script",
    "StrictRedis",
    "from_url",
)


#: ``retry=``'s default, redis-py 8's: 10 retries, full-jitter exponential
#: backoff from 10 ms capped at 1 s (each client gets a copy).
DEFAULT_RETRY = Retry(ExponentialWithJitterBackoff(cap=1, base=0.01), 10)

_InitT = TypeVar("_InitT", bound=Callable[..., None])


def _retry_on_timeout_when_given(init: _InitT) -> _InitT:
    """``init`` called with ``retry_on_timeout=DEFAULT`` when the caller did not
    give it (its signature keeps redis-py's ``False``), so that the client
    passes it on, and the core warns about it (as redis-py), only when given."""
    position = list(inspect.signature(init).parameters).index("retry_on_timeout")

    @functools.wraps(init)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        if len(args) <= position and "retry_on_timeout" not in kwargs:
            kwargs["retry_on_timeout"] = DEFAULT
        init(*args, **kwargs)

    return cast("_InitT", wrapper)


class Redis(BlockingClientMixin, ModuleCommands, RedisTwin):
    """A blocking Redis client with redis-py's API (``redis.Redis``).

    The arguments are redis-py 8's, with its defaults: ``socket_timeout=5``,
    ``socket_connect_timeout=5``, TCP keepalive on, ``retry`` 10 times with
    exponential backoff and jitter (widened by ``retry_on_error``), at most 100
    connections, RESP3; the others are those of :class:`aio.redis.Redis`.
    Every command method blocks for its reply. Safe to share between threads
    (each call borrows a pooled connection), usable from a thread running its
    own event loop (the call blocks that thread), and in a forked child (the
    parent's connections are dropped there, new ones made). Calling it on the
    engine's own loop thread raises :class:`aio.engine.EngineThreadError`:
    async code awaits ``aio.redis``. With ``single_connection_client=True`` the
    connection is taken (and connected) at once, as redis-py does.
    """

    @_retry_on_timeout_when_given
    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        db: int = 0,
        password: str | None = None,
        socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
        socket_connect_timeout: float | None = DEFAULT_SOCKET_CONNECT_TIMEOUT,
        socket_read_size: int = DEFAULT_SOCKET_READ_SIZE,
        socket_keepalive: bool | None = True,
        socket_keepalive_options: Any = DEFAULT,
        connection_pool: ConnectionPool | None = None,
        unix_socket_path: str | None = None,
        encoding: str = "utf-8",
        encoding_errors: str = "strict",
        decode_responses: bool = False,
        retry_on_timeout: bool = False,
        retry: AsyncRetry | None = DEFAULT_RETRY,
        retry_on_error: list[type[Exception]] | None = None,
        max_connections: int | None = None,
        single_connection_client: bool = False,
        health_check_interval: float = 0,
        client_name: str | None = None,
        username: str | None = None,
        protocol: int | None = None,
        **kwargs: Any,
    ) -> None:
        if retry_on_timeout is not DEFAULT:
            # Only when the user gave it: the core warns (as redis-py), once.
            kwargs["retry_on_timeout"] = retry_on_timeout
        if connection_pool is not None:
            # As redis-py: the pool's own settings (and retry policy) apply.
            client = AsyncRedis(
                connection_pool=connection_pool._async,
                single_connection_client=single_connection_client,
                **kwargs,
            )
        else:
            if unix_socket_path is not None:
                # TCP and TLS connections take them (the core's pool checks).
                refuse_maintenance_notifications(
                    kwargs, "Unix domain socket connections"
                )
            if socket_keepalive_options is DEFAULT:
                socket_keepalive_options = get_default_socket_keepalive_options()
            client = AsyncRedis(
                host=host,
                port=port,
                db=db,
                password=password,
                socket_timeout=socket_timeout,
                socket_connect_timeout=socket_connect_timeout,
                socket_read_size=socket_read_size,
                socket_keepalive=socket_keepalive,
                socket_keepalive_options=socket_keepalive_options,
                unix_socket_path=unix_socket_path,
                encoding=encoding,
                encoding_errors=encoding_errors,
                decode_responses=decode_responses,
                # A copy, as redis-py's: the core widens the connections' own
                # copies by retry_on_error, and get_retry() shows this one.
                retry=None if retry is None else copy.deepcopy(retry),
                retry_on_error=list(retry_on_error or ()),
                max_connections=max_connections or ConnectionPool._DEFAULT_MAX,
                single_connection_client=single_connection_client,
                health_check_interval=health_check_interval,
                client_name=client_name,
                username=username,
                protocol=protocol,
                **kwargs,
            )
        super().__init__(client)
        self._setup(connection_pool)
        if single_connection_client:
            _ = call(client.initialize)

    def _setup(self, pool: ConnectionPool | None) -> None:
        self.connection_pool = pool or ConnectionPool._wrap(self._async.connection_pool)
        track_client(self._async)
        re_auth = getattr(self._async, "_re_auth", None)
        if re_auth is not None:
            # A streaming provider calls a blocking client's callbacks from its
            # own thread, as redis-py's: they run the re-authentication on the
            # engine's loop and return when it is done (or raise its error).
            re_auth.use_blocking(call)

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Self:
        """A client for ``redis://[[user]:password@]host[:port][/db][?opts]``,
        ``rediss://`` or ``unix://path``; what the URL says wins over keyword
        arguments, as in redis-py."""
        single = kwargs.pop("single_connection_client", False)
        pool = ConnectionPool.from_url(url, **kwargs)
        client = cls(connection_pool=pool, single_connection_client=single)
        client._async.auto_close_connection_pool = True
        return client

    @classmethod
    def from_pool(cls, connection_pool: ConnectionPool) -> Self:
        """A client that owns ``connection_pool`` (closing it closes the pool)."""
        client = cls(connection_pool=connection_pool)
        client._async.auto_close_connection_pool = True
        return client

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self._async!r})>"

    @property
    def connection(self) -> Connection | None:
        """The dedicated connection of a ``single_connection_client`` (None
        for a client that borrows one from its pool per command)."""
        conn = self._async.connection
        return None if conn is None else self.connection_pool._classes()[1]._wrap(conn)

    @property
    def himport_registry(self) -> HImportRegistry:
        """The HIMPORT fieldsets declared on this client's pool (change it
        through ``himport_prepare``/``himport_discard``)."""
        return self._async.himport_registry

    @property
    def auto_close_connection_pool(self) -> bool:
        """Whether :meth:`close` closes the pool too: True for a client that made
        its pool (arguments, ``from_url``, ``from_pool``), False for one handed a
        ``connection_pool``, as redis-py's."""
        return bool(self._async.auto_close_connection_pool)

    def close(self, close_connection_pool: bool | None = None) -> None:
        """Give back the dedicated connection and, if this client owns its pool
        (:attr:`auto_close_connection_pool`, or ``close_connection_pool``), close
        the pool's connections through its :meth:`ConnectionPool.disconnect`, as
        redis-py's (a pool subclass's own ``disconnect`` runs)."""
        call(self._async.aclose, False)
        if close_connection_pool or (
            close_connection_pool is None and self.auto_close_connection_pool
        ):
            self.connection_pool.disconnect()

    def get_cache(self) -> CacheInterface | None:
        """The client-side cache (``cache=``/``cache_config=``:
        :mod:`sync_shims.redis.cache`), or None."""
        cache: CacheInterface | None = self._async.get_cache()
        return cache

    def get_encoder(self) -> Encoder:
        """The :class:`~sync_shims.redis.connection.Encoder` of the client's pool."""
        return Encoder(*self._async.get_encoder())

    def client(self) -> Redis:
        """A client on the same pool that keeps one dedicated connection."""
        return Redis(
            connection_pool=self.connection_pool, single_connection_client=True
        )

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Pipeline:
        """A pipeline: commands are queued and sent together by ``execute()``.

        :param transaction: wrap the commands in MULTI/EXEC.
        """
        pipe = self._async.pipeline(transaction, shard_hint)
        return Pipeline._wrap_pipeline(cast(AsyncPipeline, pipe))

    def transaction(
        self,
        func: Callable[[Pipeline], Any],
        *watches: Any,
        shard_hint: Any = None,
        value_from_callable: bool = False,
        watch_delay: float | None = None,
    ) -> Any:
        """Run ``func(pipe)`` in a transaction, again while WATCHed keys change.

        :returns: the EXEC results, or ``func``'s value with ``value_from_callable``.
        """
        with self.pipeline(True, shard_hint) as pipe:
            while True:
                try:
                    if watches:
                        pipe.watch(*watches)
                    func_value = func(pipe)
                    exec_value = pipe.execute()
                    return func_value if value_from_callable else exec_value
                except WatchError:
                    if watch_delay is not None and watch_delay > 0:
                        time.sleep(watch_delay)

    @property
    def response_callbacks(self) -> dict[str, Callable[..., Any]]:
        """Reply converters by upper-case command name (edit to change one)."""
        return self._async.response_callbacks

    def bitfield(
        self, key: Any, default_overflow: str | None = None
    ) -> BitFieldOperation:
        """A BITFIELD builder; its ``execute()`` blocks for the reply (on a
        pipeline: queues the command)."""
        # The builder only calls execute_command on what it is given: this
        # client's blocking one, not the async client's.
        return BitFieldOperation(cast(Any, self), key, default_overflow)

    def monitor(self) -> MonitorTwin:
        """A monitor on its own connection: ``with r.monitor() as m:
        m.next_command()`` or ``for command in m.listen():``."""
        return MonitorTwin(self._async.monitor())

    def pubsub(self, **kwargs: Any) -> PubSub:
        """A :class:`PubSub` on its own connection (``ignore_subscribe_messages``)."""
        return PubSub(self._async.pubsub(**kwargs), self.connection_pool)

    def keyspace_notifications(
        self,
        key_prefix: str | bytes | None = None,
        ignore_subscribe_messages: bool = True,
    ) -> KeyspaceNotifications:
        """A :class:`~sync_shims.redis.keyspace_notifications.KeyspaceNotifications`
        on its own pub/sub connection; handlers run in the thread that reads.

        :param key_prefix: keep only the keys with this prefix, stripped.
        :param ignore_subscribe_messages: the default of its ``get_message``.
        """
        from sync_shims.redis.keyspace_notifications import KeyspaceNotifications

        return KeyspaceNotifications(
            self,
            key_prefix=key_prefix,
            ignore_subscribe_messages=ignore_subscribe_messages,
        )

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
        """A :class:`~sync_shims.redis.lock.Lock` named ``name``."""
        return (lock_class or Lock)(
            self,
            name,
            timeout=timeout,
            sleep=sleep,
            blocking=blocking,
            blocking_timeout=blocking_timeout,
            thread_local=thread_local,
            raise_on_release_error=raise_on_release_error,
        )

    def register_script(self, script: str | bytes) -> Script:
        """A callable :class:`Script` (EVALSHA, loaded again on NOSCRIPT)."""
        return Script(self, script)


StrictRedis = Redis
#: ``r.monitor()``'s class: ``next_command()``, ``listen()``, context manager.
Monitor = MonitorTwin


class Pipeline(BlockingPipelineMixin, Redis):
    """Commands queued in the calling thread, sent together by :meth:`execute`.

    Command methods return the pipeline (they chain); after :meth:`watch` they run
    at once and return their reply, until :meth:`multi`. Use it as a context
    manager (``with r.pipeline() as pipe:``), which resets it on exit.
    """

    _async: AsyncPipeline

    @classmethod
    def _wrap_pipeline(cls, pipe: AsyncPipeline) -> Pipeline:
        twin = cls._wrap(pipe)
        twin.connection_pool = ConnectionPool._wrap(pipe.connection_pool)
        return twin

    @property
    def command_stack(self) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
        """The queued ``(args, options)``."""
        return self._async.command_stack

    @command_stack.setter
    def command_stack(
        self, stack: list[tuple[tuple[Any, ...], dict[str, Any]]]
    ) -> None:
        self._async.command_stack = stack

    @property
    def watching(self) -> bool:
        """Whether the pipeline is in immediate mode after WATCH."""
        return self._async.watching

    #: Commands after which the server holds no WATCHed key any more.
    UNWATCH_COMMANDS = AsyncPipeline.UNWATCH_COMMANDS

    @property
    def explicit_transaction(self) -> bool:
        """Whether :meth:`multi` started the transaction block (after WATCH)."""
        return self._async.explicit_transaction

    @property
    def shard_hint(self) -> Any:
        """The ``shard_hint`` the pipeline was made with (unused, as in redis-py)."""
        return self._async.shard_hint

    @property
    def scripts(self) -> set[AsyncScript]:
        """The scripts queued on the pipeline (loaded by :meth:`load_scripts`
        before it executes): the async core's :class:`aio.redis.Script`
        objects behind the blocking :class:`Script` ones (``sha``, ``script``)."""
        return self._async.scripts

    def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command now on the pipeline's connection, as in WATCH mode
        (the connection is kept for the transaction), and return its reply."""
        return call(self._async.immediate_execute_command, *args, **options)

    def pipeline_execute_command(self, *args: Any, **options: Any) -> Pipeline:
        """Queue a command whatever the mode; returns the pipeline."""
        _ = self._async.pipeline_execute_command(*args, **options)
        return self

    def load_scripts(self) -> None:
        """Load the queued scripts the server does not know (SCRIPT EXISTS,
        then SCRIPT LOAD for the missing ones); :meth:`execute` does it first."""
        call(self._async.load_scripts)

    def annotate_exception(
        self, exception: Exception, number: int, command: Any
    ) -> None:
        """Prefix ``exception``'s message with the position and the text of the
        pipeline ``command`` that caused it, as :meth:`execute` reports errors."""
        self._async.annotate_exception(exception, number, command)

    def raise_first_error(self, commands: Any, response: Any) -> None:
        """Raise the first ``ResponseError`` of ``response`` (the replies to
        ``commands``, ``(args, options)`` pairs), annotated; nothing when none."""
        self._async.raise_first_error(commands, response)

    def discard(self) -> None:
        """Send DISCARD: drop the commands queued on the server after MULTI."""
        self.execute_command("DISCARD")

    def multi(self) -> None:
        """Start queueing the transaction after immediate-mode commands."""
        self._async.multi()

    def watch(self, *names: Any) -> Any:
        """WATCH keys (enters immediate mode)."""
        return call(self._async.watch, *names)

    def unwatch(self) -> Any:
        """UNWATCH every key."""
        return call(self._async.unwatch)

    def execute(self, raise_on_error: bool = True) -> list[Any]:
        """Send the queued commands; return their replies in order.

        :raises WatchError: a watched key changed (the transaction did not run).
        """
        return call(self._async.execute, raise_on_error)

    def reset(self) -> None:
        """Drop queued commands, UNWATCH, and give the connection back."""
        call(self._async.reset)

    def close(self, close_connection_pool: bool | None = None) -> None:
        """Same as :meth:`reset` (the pool belongs to the client)."""
        self.reset()


class Script:
    """A Lua script bound to a client: ``script(keys=[...], args=[...])``.

    Runs EVALSHA; when the server does not know the script (NOSCRIPT) it is
    loaded and run again. With a pipeline as ``client`` the call is queued.
    """

    def __init__(self, registered_client: Redis, script: str | bytes) -> None:
        self.registered_client = registered_client
        self._async = AsyncScript(registered_client._async, script)

    def __repr__(self) -> str:
        return f"<Script sha={self.sha}>"

    @property
    def script(self) -> str | bytes:
        """The Lua source."""
        return self._async.script

    @property
    def sha(self) -> str:
        """The script's SHA1, as EVALSHA wants it."""
        return self._async.sha

    def __call__(
        self,
        keys: list[Any] | tuple[Any, ...] | None = None,
        args: list[Any] | tuple[Any, ...] | None = None,
        client: Redis | None = None,
    ) -> Any:
        """Run the script (or queue it on a pipeline ``client``)."""
        target = None if client is None else client._async
        result = call(self._async, keys, args, target)
        if isinstance(client, Pipeline) and result is client._async:
            return client
        return result


#: The blocking view of a core connection (the name cluster.py imports).
BlockingConnection = Connection


def from_url(url: str, **kwargs: Any) -> Redis:
    """A :class:`Redis` client for a ``redis://``, ``rediss://`` or ``unix://`` URL."""
    return Redis.from_url(url, **kwargs)
