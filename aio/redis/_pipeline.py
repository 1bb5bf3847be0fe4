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
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, TypeVar

from aio.redis._connection import Connection
from aio.redis._core import _CLIENT_OPTIONS, EMPTY_RESPONSE, empty_response_option
from aio.redis.exceptions import (
    ConnectionError,
    ExecAbortError,
    RedisError,
    ResponseError,
    TimeoutError,
    WatchError,
)

if TYPE_CHECKING:
    from aio.redis._core import RedisCore
    from aio.redis._script import Script

__all__ = ("PipelineCore", "make_pipeline", "register_pipeline_class")

_P = TypeVar("_P", bound="PipelineCore")

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


class PipelineCore:
    """The pipeline behaviour; mixed in front of a client class (see ``Pipeline``).

    Use it as ``async with r.pipeline() as pipe:``; queue commands (they return the
    pipeline, so they chain) and ``await pipe.execute()``.
    """

    # Set by __init__; declared for the type checker.
    connection_pool: Any
    response_callbacks: dict[str, Any]

    def __init__(
        self, client: RedisCore, transaction: bool = True, shard_hint: Any = None
    ) -> None:
        self.client = client
        self.connection_pool = client.connection_pool
        self.response_callbacks = client.response_callbacks
        self._retry = None
        self._lock_scripts = client._lock_scripts
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
        if conn is None:
            return
        try:
            if watching and conn.is_connected:
                try:
                    await conn.execute(("UNWATCH",), {})
                except (ConnectionError, TimeoutError):
                    await conn.disconnect(nowait=True)
        finally:
            # Synchronous, so it runs even when the UNWATCH wait is cancelled (an
            # anyio scope cancels every await of its cleanup too). A cancelled
            # UNWATCH leaves its reply owed, and the pool closes such a
            # connection instead of reusing it: WATCH state never leaks.
            self.connection_pool._release(conn)

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
        empty_response_option(args, options)
        self.command_stack.append((args, options))
        return self

    pipeline_execute_command = execute_command

    async def _connection(self) -> Connection:
        conn = self.connection
        if conn is None:
            conn = await self.connection_pool.get_connection()
            self.connection = conn
        elif not conn.is_connected:
            await conn.connect()
        return conn

    async def immediate_execute_command(self, *args: Any, **options: Any) -> Any:
        """Run one command now on the pipeline's connection (WATCH mode)."""
        empty_response_option(args, options)
        empty = options.pop(EMPTY_RESPONSE, None)
        if empty is not None and len(args) == 1:
            return empty  # a bare MGET: the server could only refuse it
        conn = await self._connection()
        try:
            reply = await conn.execute(args, options)
        except ResponseError:
            if empty is None:
                raise
            return empty
        except (ConnectionError, TimeoutError) as exc:
            await conn.disconnect(nowait=True)
            if self.watching:
                await self.reset()
                raise WatchError(
                    "A ConnectionError occurred on while watching one or more keys"
                ) from exc
            raise
        name = args[0]
        if name == "WATCH":
            self.watching = True
        elif name == "UNWATCH":
            self.watching = False
        callback = self.response_callbacks.get(name)
        if callback is not None:
            options.pop("NEVER_DECODE", None)
            options.pop("keys", None)
            return callback(reply, **options)
        return reply

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

    async def load_scripts(self) -> None:
        """Make sure every script used in the pipeline is loaded on the server."""
        scripts = list(self.scripts)
        conn = await self._connection()
        exists = await conn.execute(("SCRIPT EXISTS", *(s.sha for s in scripts)), {})
        for script, present in zip(scripts, exists, strict=True):
            if not present:
                script.sha = await conn.execute(("SCRIPT LOAD", script.script), {})
                if isinstance(script.sha, bytes):
                    script.sha = script.sha.decode()

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

        :param raise_on_error: raise the first error reply (annotated with the
            command's position) instead of returning it in the list.
        :raises WatchError: a watched key changed (the transaction did not run).
        """
        stack = self.command_stack
        if not stack and not self.watching:
            return []
        try:
            if self.scripts:
                await self.load_scripts()
            conn = await self._connection()
            if self.is_transaction or self.explicit_transaction:
                return await self._execute_transaction(conn, stack, raise_on_error)
            return await self._execute_pipeline(conn, stack, raise_on_error)
        except (ConnectionError, TimeoutError) as exc:
            if self.connection is not None:
                await self.connection.disconnect(nowait=True)
            if self.watching:
                raise WatchError(
                    "A ConnectionError occurred on while watching one or more keys"
                ) from exc
            raise
        finally:
            await self.reset()

    async def _execute_pipeline(
        self,
        conn: Connection,
        stack: list[tuple[tuple[Any, ...], dict[str, Any]]],
        raise_on_error: bool,
    ) -> list[Any]:
        timeout = conn.socket_timeout
        future = conn.send_requests([args for args, _ in stack], timeout=timeout)
        await conn.drain()
        replies = await future
        out: list[Any] = []
        for i, (reply, (args, options)) in enumerate(zip(replies, stack, strict=True)):
            if isinstance(reply, ResponseError):
                if EMPTY_RESPONSE in options:
                    out.append(options[EMPTY_RESPONSE])
                    continue
                _annotate(reply, i + 1, args)
                if raise_on_error:
                    raise reply
                out.append(reply)
            else:
                out.append(self._convert(reply, args, options))
        return out

    async def _execute_transaction(
        self,
        conn: Connection,
        stack: list[tuple[tuple[Any, ...], dict[str, Any]]],
        raise_on_error: bool,
    ) -> list[Any]:
        # As redis-py: a command with EMPTY_RESPONSE is not sent in a transaction
        # (a bare MGET would abort it); its value is put back in place.
        empties = [
            (i, options[EMPTY_RESPONSE])
            for i, (_, options) in enumerate(stack)
            if EMPTY_RESPONSE in options
        ]
        if not empties:
            return await self._execute_sent(conn, stack, raise_on_error)
        sent = [command for command in stack if EMPTY_RESPONSE not in command[1]]
        out = await self._execute_sent(conn, sent, raise_on_error) if sent else []
        for i, value in empties:
            out.insert(i, value)
        return out

    async def _execute_sent(
        self,
        conn: Connection,
        stack: list[tuple[tuple[Any, ...], dict[str, Any]]],
        raise_on_error: bool,
    ) -> list[Any]:
        commands: list[tuple[Any, ...]] = [("MULTI",)]
        commands.extend(args for args, _ in stack)
        commands.append(("EXEC",))
        future = conn.send_requests(commands, timeout=conn.socket_timeout)
        await conn.drain()
        replies = await future
        if isinstance(replies[0], RedisError):
            raise replies[0]
        # EXEC (run, aborted or refused on a changed key) already unwatched
        # every key: no UNWATCH on reset, as redis-py.
        self.watching = False
        queue_errors: list[tuple[int, ResponseError]] = []
        for i, reply in enumerate(replies[1:-1]):
            if isinstance(reply, ResponseError):
                _annotate(reply, i + 1, stack[i][0])
                queue_errors.append((i, reply))
        result = replies[-1]
        if isinstance(result, ExecAbortError):
            if queue_errors:
                raise queue_errors[0][1]
            raise result
        if isinstance(result, RedisError):
            raise result
        if result is None:
            raise WatchError("Watched variable changed.")
        if len(result) != len(stack):
            await conn.disconnect(nowait=True)
            raise ResponseError(
                "Wrong number of response items from pipeline execution"
            )
        out: list[Any] = []
        for i, (reply, (args, options)) in enumerate(zip(result, stack, strict=True)):
            if isinstance(reply, ResponseError):
                _annotate(reply, i + 1, args)
                if raise_on_error:
                    raise reply
                out.append(reply)
            else:
                out.append(self._convert(reply, args, options))
        return out
