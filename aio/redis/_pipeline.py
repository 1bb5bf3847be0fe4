"""Pipelines and MULTI/EXEC transactions.

A pipeline is the client class with ``execute_command`` replaced: a command is
appended to ``command_stack`` and the pipeline returned (so calls chain), and
``execute()`` writes the whole stack in one ``writelines`` and reads every reply
in one future. With ``transaction=True`` the stack is wrapped in MULTI/EXEC.

Immediate mode (redis-py's ``watch()`` flow): after ``WATCH`` the pipeline holds one
connection and runs commands at once until ``multi()``; ``execute()`` then sends
the queued commands with EXEC on that connection, and a change to a watched key
raises :class:`~aio.redis.exceptions.WatchError`. ``reset()`` (run by ``execute()``
and on leaving ``async with``) UNWATCHes and gives the connection back.

Retries, as redis-py: a pipeline (or an immediate-mode command) that fails with
``ConnectionError``/``TimeoutError`` runs again under the client's retry policy,
on a fresh connection, unless keys are WATCHed: that WATCH died with the
connection, so :class:`~aio.redis.exceptions.WatchError` is raised instead and
the caller starts the transaction over.

The replies of a batch are turned into results by two functions that the cluster
pipeline shares: :func:`exec_results` reads a MULTI/EXEC round trip and
:func:`pipeline_results` converts replies, raising or keeping error replies.
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, TypeVar

from aio.redis._connection import NEVER_DECODE, Connection
from aio.redis._core import _CLIENT_OPTIONS, EMPTY_RESPONSE, empty_response_option
from aio.redis.exceptions import (
    ConnectionError,
    ExecAbortError,
    RedisError,
    ResponseError,
    TimeoutError,
    WatchError,
)
from aio.redis.retry import resolve_retry

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Iterable, Sequence

    from aio.redis._core import RedisCore
    from aio.redis._script import Script
    from aio.redis.retry import Retry

__all__ = (
    "NOT_SENT",
    "PipelineCore",
    "exec_results",
    "make_pipeline",
    "pipeline_results",
    "register_pipeline_class",
    "release_unwatched",
)

_T = TypeVar("_T")

#: A queued command and its options.
Command = tuple[tuple[Any, ...], dict[str, Any]]


class _NotSent:
    def __repr__(self) -> str:
        return "NOT_SENT"


#: Stands for the reply of a queued command that was not sent: its
#: ``EMPTY_RESPONSE`` value is its result (a bare MGET, or any command with that
#: option inside a transaction, where the server's refusal would abort it).
NOT_SENT: Any = _NotSent()

_P = TypeVar("_P", bound="PipelineCore")


async def release_unwatched(conn: Connection, watching: bool, pool: Any) -> None:
    """Give a pipeline's ``conn`` back to ``pool``, after UNWATCH if it was
    WATCHing (a standalone pipeline and a cluster transaction alike).

    The release is synchronous, so it runs even when the UNWATCH wait is
    cancelled (an anyio scope cancels every await of its cleanup too). A
    cancelled UNWATCH leaves its reply owed, and the pool closes such a
    connection instead of reusing it: WATCH state never leaks.
    """
    try:
        if watching and conn.is_connected:
            try:
                await conn.execute(("UNWATCH",), {})
            except (ConnectionError, TimeoutError):
                await conn.disconnect(nowait=True)
    finally:
        pool._release(conn)


_pipeline_classes: dict[type[Any], type[PipelineCore]] = {}


def register_pipeline_class(
    client_class: type[Any], pipeline_class: type[PipelineCore]
) -> None:
    """Use ``pipeline_class`` for the pipelines of ``client_class``."""
    _pipeline_classes[client_class] = pipeline_class


def make_pipeline(
    client: RedisCore, transaction: bool, shard_hint: Any
) -> PipelineCore:
    """A pipeline with the commands of ``client``'s class."""
    client_class = type(client)
    cls = _pipeline_classes.get(client_class)
    if cls is None:
        if isinstance(client, PipelineCore):
            cls = client_class
        else:
            cls = type("Pipeline", (PipelineCore, client_class), {})
        _pipeline_classes[client_class] = cls
    pipe = object.__new__(cls)
    PipelineCore.__init__(pipe, client, transaction, shard_hint)
    return pipe


def _arg_text(arg: Any) -> str:
    if isinstance(arg, bytes | bytearray | memoryview):
        return bytes(arg).decode("utf-8", "replace")
    return str(arg)


def _annotate(exc: Exception, number: int, args: tuple[Any, ...]) -> None:
    # Shortened at word boundaries to 100 characters with a "..." placeholder,
    # the format redis-py's messages have (callers match on it).
    command = textwrap.shorten(
        " ".join(_arg_text(a) for a in args),
        width=100,
        placeholder="...",
        break_long_words=True,
    )
    message = f"Command # {number} ({command}) of pipeline caused error: "
    first = exc.args[0] if exc.args else ""
    exc.args = (message + str(first), *exc.args[1:])


class WrongReplyCount(ResponseError):
    """EXEC returned more or fewer results than commands were queued: the
    connection's stream can no longer be trusted."""


def exec_results(
    stack: list[Command], sent: list[int], replies: list[Any]
) -> list[Any]:
    """The raw results of a transaction, one per command of ``stack``.

    :param sent: the positions in ``stack`` of the commands sent between MULTI and
        EXEC; the others get :data:`NOT_SENT`.
    :param replies: the replies to MULTI, to each sent command (``QUEUED`` or an
        error) and to EXEC.
    :raises WatchError: a WATCHed key changed; nothing ran.
    :raises ResponseError: a command was refused while queueing (annotated with
        its position; EXEC was aborted), or MULTI or EXEC failed.
    :raises WrongReplyCount: EXEC's array does not match the queued commands.
    """
    if isinstance(replies[0], RedisError):
        raise replies[0]
    first_error: RedisError | None = None
    for i, reply in zip(sent, replies[1:-1], strict=True):
        if isinstance(reply, RedisError):
            _annotate(reply, i + 1, stack[i][0])
            first_error = first_error or reply
    result = replies[-1]
    if isinstance(result, ExecAbortError):
        raise first_error or result
    if isinstance(result, RedisError):
        raise result
    if result is None:
        raise WatchError("Watched variable changed.")
    if len(result) != len(sent):
        raise WrongReplyCount("Wrong number of response items from pipeline execution")
    results: list[Any] = [NOT_SENT] * len(stack)
    for i, reply in zip(sent, result, strict=True):
        results[i] = reply
    return results


def pipeline_results(
    stack: list[Command],
    replies: list[Any],
    raise_on_error: bool,
    convert: Callable[[Any, tuple[Any, ...], dict[str, Any]], Any],
) -> list[Any]:
    """The results of a pipeline's commands, from their raw replies.

    The first reply that is an error is raised, annotated with its command's
    position, or with ``raise_on_error=False`` every error is kept in the list; a command
    with ``EMPTY_RESPONSE`` gets that value instead of a refusal, or when it was
    :data:`NOT_SENT`. Other replies go through ``convert(reply, args, options)``.
    """
    out: list[Any] = []
    for i, (reply, (args, options)) in enumerate(zip(replies, stack, strict=True)):
        if reply is NOT_SENT or (
            isinstance(reply, ResponseError) and EMPTY_RESPONSE in options
        ):
            out.append(options[EMPTY_RESPONSE])
        elif isinstance(reply, RedisError):
            if raise_on_error:
                _annotate(reply, i + 1, args)
                raise reply
            out.append(reply)  # as it came, like redis-py (not annotated)
        else:
            out.append(convert(reply, args, options))
    return out


class PipelineCore:
    """The pipeline behaviour; mixed in front of a client class (see ``Pipeline``).

    Use it as ``async with r.pipeline() as pipe:``; queue commands (they return the
    pipeline, so they chain) and ``await pipe.execute()``.
    """

    #: Commands after which the server holds no WATCHed key any more (run at
    #: once, they take the pipeline out of immediate mode), as redis-py's.
    UNWATCH_COMMANDS = frozenset({"DISCARD", "EXEC", "UNWATCH"})

    # Set by __init__; declared for the type checker.
    connection_pool: Any
    response_callbacks: dict[str, Any]

    def __init__(
        self, client: RedisCore, transaction: bool = True, shard_hint: Any = None
    ) -> None:
        self.client = client
        self.connection_pool = client.connection_pool
        self.response_callbacks = client.response_callbacks
        self.single_connection_client = False
        self.auto_close_connection_pool = False
        self.is_transaction = transaction
        self.shard_hint = shard_hint
        self.connection: Connection | None = None
        self.watching = False
        self.explicit_transaction = False
        self.command_stack: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
        self.scripts: set[Script] = set()

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.connection_pool!r})>"

    async def __aenter__(self: _P) -> _P:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.reset()

    def __await__(self: _P) -> Any:
        return self._self().__await__()

    async def _self(self: _P) -> _P:
        return self

    def __len__(self) -> int:
        return len(self.command_stack)

    def __bool__(self) -> bool:
        # A pipeline is truthy even when empty (``if pipe:`` must not surprise).
        return True

    async def reset(self) -> None:
        """Drop queued commands, UNWATCH, and give the connection back."""
        self.command_stack = []
        self.scripts = set()
        conn = self.connection
        watching = self.watching
        self.connection = None
        self.watching = False
        self.explicit_transaction = False
        if conn is not None:
            await release_unwatched(conn, watching, self.connection_pool)

    async def aclose(self) -> None:
        """Same as :meth:`reset`."""
        await self.reset()

    def multi(self) -> None:
        """Start the transaction block after immediate-mode commands (after WATCH)."""
        if self.explicit_transaction:
            raise RedisError("Cannot issue nested calls to MULTI")
        if self.command_stack:
            raise RedisError(
                "Commands without an initial WATCH have already been issued"
            )
        self.explicit_transaction = True

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Queue a command (returns the pipeline), or run it at once while WATCHing."""
        if (self.watching or args[0] == "WATCH") and not self.explicit_transaction:
            return self.immediate_execute_command(*args, **options)
        return self.pipeline_execute_command(*args, **options)

    def pipeline_execute_command(self: _P, *args: Any, **options: Any) -> _P:
        """Queue a command whatever the mode (after WATCH too); returns the
        pipeline."""
        empty_response_option(args, options)
        self.command_stack.append((args, options))
        return self

    async def _acquire(self) -> None:
        """Take the pipeline's connection from the pool, unless it holds one.

        Called before the retry loop, as redis-py takes its connection: a full
        pool (``MaxConnectionsError``, a ``BlockingConnectionPool`` that waited
        ``timeout`` in vain) fails the call at once instead of being retried.
        An idle connection is taken unconnected (as the client's commands take
        theirs), so connecting happens inside the retry loop.
        """
        if self.connection is None:
            pool = self.connection_pool
            conn = pool._take_now()
            self.connection = conn if conn is not None else await pool.get_connection()

    async def _connection(self) -> Connection:
        conn = self.connection
        if conn is None:
            conn = await self.connection_pool.get_connection()
            self.connection = conn
        elif not conn.is_connected:
            if self.watching:
                # Reconnecting would run EXEC without the WATCH: the caller
                # turns this into WatchError.
                raise ConnectionError("The watching connection was lost.")
            await conn.connect()
        return conn

    async def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command now on the pipeline's connection (WATCH mode).

        A connection error is retried under the client's policy until keys are
        WATCHed; after that it resets the pipeline and raises ``WatchError``.
        """
        empty_response_option(args, options)
        empty = options.pop(EMPTY_RESPONSE, None)
        if empty is not None and len(args) == 1:
            return empty  # a bare MGET: the server could only refuse it

        async def attempt() -> Any:
            conn = await self._connection()
            return await conn.execute(args, options)

        await self._acquire()
        try:
            try:
                reply = await attempt()
            except Exception as exc:
                reply = await self._retry_unless_watching(exc, attempt, reset=True)
        except ResponseError:
            if empty is None:
                raise
            return empty
        name = args[0]
        if name == "WATCH":
            self.watching = True
        elif name in self.UNWATCH_COMMANDS:
            self.watching = False
        callback = self.response_callbacks.get(name)
        if callback is not None:
            options.pop(NEVER_DECODE, None)
            options.pop("keys", None)
            return callback(reply, **options)
        return reply

    async def _retry_unless_watching(
        self, error: Exception, attempt: Callable[[], Awaitable[_T]], reset: bool
    ) -> _T:
        """Go on after ``attempt`` failed: run it again under the connection's
        retry policy (redis-py's ``conn.retry.call_with_retry``: connection
        errors, timeouts and the ``retry_on_error`` ones), or raise ``error``.

        :raises WatchError: keys were WATCHed on the connection that failed with
            an error the policy retries (the pipeline is reset first when
            ``reset``), as redis-py raises.
        """

        async def drop(exc: Exception) -> None:
            conn = self.connection
            if conn is not None:
                await conn.disconnect(nowait=True)
            if self.watching:
                # The server forgot the WATCH with the connection: only the
                # caller can start over (redis-py raises the same).
                if reset:
                    await self.reset()
                raise WatchError(
                    f"A {type(exc).__name__} occurred while watching one or more keys"
                ) from exc

        retry = self._command_retry()
        if retry is None:
            if isinstance(error, ConnectionError | TimeoutError):
                await drop(error)
            raise error
        return await retry.retry_after(error, attempt, drop)

    def _command_retry(self) -> Retry | None:
        """The policy a failed attempt is retried under: the connection's (a
        copy of the pool's ``retry`` widened by ``retry_on_error``), as
        redis-py's pipelines use ``conn.retry``; before any connection was
        made (its connect failed), the one a new connection would get."""
        conn = self.connection
        if conn is not None:
            return conn.retry
        kwargs = self.connection_pool.connection_kwargs
        policy, _ = resolve_retry(
            kwargs.get("retry"),
            kwargs.get("retry_on_error"),
            bool(kwargs.get("retry_on_timeout", False)),
        )
        return policy

    async def watch(self, *names: Any) -> Any:
        """WATCH keys (enters immediate mode)."""
        if self.explicit_transaction:
            raise RedisError("Cannot issue a WATCH after a MULTI")
        return await self.immediate_execute_command("WATCH", *names)

    async def unwatch(self) -> Any:
        """UNWATCH every key."""
        if not self.watching:
            return True
        return await self.immediate_execute_command("UNWATCH")

    def annotate_exception(
        self, exception: Exception, number: int, command: Iterable[Any]
    ) -> None:
        """Prefix ``exception``'s message with the position (from 1) and the
        text (shortened to 100 characters) of the pipeline ``command`` that
        caused it, as :meth:`execute` reports the first error: ``Command # 2
        (LPUSH k 1) of pipeline caused error: WRONGTYPE ...``. (The message
        is that of sync redis-py; ``redis.asyncio`` shows the arguments'
        tuple instead: ``... caused error: ('WRONGTYPE ...',)``.)"""
        _annotate(exception, number, tuple(command))

    def raise_first_error(
        self,
        commands: Sequence[tuple[tuple[Any, ...], dict[str, Any]]],
        response: Iterable[Any],
    ) -> None:
        """Raise the first :class:`~aio.redis.exceptions.ResponseError` of
        ``response`` (the replies to ``commands``, ``(args, options)`` pairs),
        annotated by :meth:`annotate_exception`; nothing when there is none."""
        for i, reply in enumerate(response):
            if isinstance(reply, ResponseError):
                self.annotate_exception(reply, i + 1, commands[i][0])
                raise reply

    async def load_scripts(self) -> None:
        """Make sure every script used in the pipeline is loaded on the server:
        SCRIPT EXISTS, then SCRIPT LOAD for the missing ones, sent at once on the
        pipeline's connection (the WATCHing one, before MULTI), as redis-py
        does; a connection error there while WATCHing raises ``WatchError``."""
        scripts = list(self.scripts)
        exists = await self.immediate_execute_command(
            "SCRIPT EXISTS", *(s.sha for s in scripts)
        )
        for script, present in zip(scripts, exists, strict=True):
            if not present:
                sha = await self.immediate_execute_command("SCRIPT LOAD", script.script)
                script.sha = sha.decode() if isinstance(sha, bytes) else sha

    def _convert(
        self, reply: Any, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        callback = self.response_callbacks.get(args[0])
        if callback is None and isinstance(args[0], str) and not args[0].isupper():
            callback = self.response_callbacks.get(args[0].upper())
        if callback is None:
            return reply
        options = {k: v for k, v in options.items() if k not in _CLIENT_OPTIONS}
        return callback(reply, **options)

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        """Send every queued command in one write; return their replies in order.

        A connection error is retried under the client's retry policy (the whole
        batch is sent again on a new connection), except while WATCHing.

        :param raise_on_error: raise the first error reply (annotated with the
            command's position) instead of returning it in the list.
        :raises WatchError: a watched key changed (the transaction did not run),
            or the connection failed while keys were WATCHed.
        """
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        run = (
            self._execute_transaction
            if self.is_transaction or self.explicit_transaction
            else self._execute_pipeline
        )

        async def attempt() -> list[Any]:
            return await run(await self._connection(), stack, raise_on_error)

        try:
            if self.scripts:
                await self.load_scripts()
            await self._acquire()
            try:
                return await attempt()
            except Exception as exc:
                return await self._retry_unless_watching(exc, attempt, reset=False)
        finally:
            await self.reset()

    async def _execute_pipeline(
        self, conn: Connection, stack: list[Command], raise_on_error: bool
    ) -> list[Any]:
        if conn.himport_registry:  # fieldsets declared: HIMPORT SETs need them
            await conn.himport_preflight([args for args, _ in stack], {})
        future = conn.send_requests(
            [args for args, _ in stack],
            timeout=conn.socket_timeout,
            raw=[NEVER_DECODE in options for _, options in stack],
        )
        await conn.drain()
        replies = await future
        return pipeline_results(stack, replies, raise_on_error, self._convert)

    async def _execute_transaction(
        self, conn: Connection, stack: list[Command], raise_on_error: bool
    ) -> list[Any]:
        # As redis-py: a command with EMPTY_RESPONSE is not sent in a transaction
        # (a bare MGET would abort it); its value is put in place.
        sent = [
            i for i, (_, options) in enumerate(stack) if EMPTY_RESPONSE not in options
        ]
        if not sent and not self.watching:
            results = [NOT_SENT] * len(stack)
        else:
            if conn.himport_registry:  # prepared before MULTI, as redis-py
                await conn.himport_preflight([args for args, _ in stack], {})
            commands: list[tuple[Any, ...]] = [("MULTI",)]
            commands.extend(stack[i][0] for i in sent)
            commands.append(("EXEC",))
            future = conn.send_requests(commands, timeout=conn.socket_timeout)
            await conn.drain()
            replies = await future
            if not isinstance(replies[0], RedisError):
                # EXEC (run, aborted or refused on a changed key) already
                # unwatched every key: no UNWATCH on reset, as redis-py.
                self.watching = False
            try:
                results = exec_results(stack, sent, replies)
            except WrongReplyCount:
                await conn.disconnect(nowait=True)
                raise
        return pipeline_results(stack, results, raise_on_error, self._convert)
