"""The HIMPORT session state of a redis :class:`~aio.redis._connection.Connection`:
fieldsets are prepared per server session, so the connection remembers which (in
which registry version) it has prepared, and prepares or discards as needed before
an ``HIMPORT SET``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from aio.redis._connection_protocol import NEVER_DECODE
from aio.redis.exceptions import NoSuchFieldsetError, RedisError
from aio.redis.himport import (
    HImportFieldset,
    discard_command,
    parse_himport_set_args,
    prepare_command,
    set_command,
)

if TYPE_CHECKING:
    import asyncio

    from aio.redis.himport import HImportRegistry


class ConnectionHImport:
    """HIMPORT fieldsets are session state (a mixin of ``Connection``)."""

    #: Name -> the registry version prepared on this session.
    _himport_prepared: dict[str, int]
    #: The registry revision whose discards this session has caught up with.
    _himport_reconciled_revision: int

    if TYPE_CHECKING:  # provided by Connection
        himport_registry: HImportRegistry | None
        socket_timeout: float | None
        _transport: asyncio.Transport | None

        async def connect(self) -> None: ...
        async def drain(self) -> None: ...
        def command_timeout(self, options: dict[str, Any]) -> float | None: ...
        def send_requests(
            self,
            commands: Sequence[tuple[Any, ...] | list[Any]],
            *,
            timeout: float | None = None,
            decode: bool = True,
            raw: Sequence[bool] | None = None,
        ) -> asyncio.Future[list[Any]]: ...

    def _reset_himport_state(self) -> None:
        # A new server session has no fieldsets prepared: the next himport_set
        # prepares again. Name -> the registry version prepared here, and the
        # registry revision whose discards this session has caught up with.
        self._himport_prepared = {}
        self._himport_reconciled_revision = 0

    async def _exchange(
        self, commands: list[tuple[Any, ...]], options: dict[str, Any]
    ) -> list[Any]:
        # Several commands in one write; error replies come back as values, so
        # every reply is read before any is raised (the session stays in step).
        future = self.send_requests(
            commands,
            timeout=self.command_timeout(options) if self.socket_timeout else None,
            decode=NEVER_DECODE not in options,
        )
        await self.drain()
        return await future

    async def _himport_reconcile(self, options: dict[str, Any]) -> None:
        """DISCARD the fieldsets prepared here that the registry no longer has
        (once per registry change), as redis-py before an HIMPORT SET."""
        registry = self.himport_registry
        if registry is None or self._himport_reconciled_revision == registry.revision:
            return
        # The revision is read before the names: a change racing this exchange
        # leaves this session behind, so the next use catches up with it.
        revision = registry.revision
        stale = registry.names_to_discard(list(self._himport_prepared))
        if stale:
            replies = await self._exchange([discard_command(n) for n in stale], options)
            for name in stale:
                self._himport_prepared.pop(name, None)
            for reply in replies:
                if isinstance(reply, RedisError):
                    raise reply
        self._himport_reconciled_revision = revision

    async def execute_himport_set(
        self, operands: tuple[Any, Any, list[Any]], options: dict[str, Any]
    ) -> Any:
        """Run ``HIMPORT SET key name values...`` with this session prepared:
        owed DISCARDs first, then ``HIMPORT PREPARE`` in the same write as the
        SET when the registry's fieldset is not prepared here (in this
        version), and once more after ``no such fieldset`` (the server lost it).
        Returns the SET's raw reply.

        :raises ResponseError: the PREPARE's error (the cause) before the SET's.
        """
        if self._transport is None:
            await self.connect()
        await self._himport_reconcile(options)
        key, name, values = operands
        registry = self.himport_registry
        fieldset = registry.get(name) if registry is not None else None
        retried = False
        while True:
            commands = []
            if fieldset is not None and (
                self._himport_prepared.get(name) != fieldset.version
            ):
                commands.append(prepare_command(name, fieldset.fields))
            commands.append(set_command(key, name, values))
            replies = await self._exchange(commands, options)
            if len(commands) == 2:
                assert fieldset is not None
                if isinstance(replies[0], RedisError):
                    raise replies[0]
                self._himport_prepared[name] = fieldset.version
            reply = replies[-1]
            if not isinstance(reply, RedisError):
                return reply
            if (
                isinstance(reply, NoSuchFieldsetError)
                and fieldset is not None
                and len(commands) == 1
                and not retried
            ):
                self._himport_prepared.pop(name, None)
                retried = True
                continue
            raise reply

    async def himport_preflight(
        self, commands: Iterable[Sequence[Any]], options: dict[str, Any]
    ) -> None:
        """Prepare, in one write, the registry's fieldsets that the ``HIMPORT
        SET``s among ``commands`` (a pipeline's) use and this session lacks.

        :raises ResponseError: the first PREPARE refused (after all are read).
        """
        registry = self.himport_registry
        if registry is None:
            return
        if self._transport is None:
            await self.connect()
        await self._himport_reconcile(options)
        wanted: dict[str, HImportFieldset] = {}
        for args in commands:
            operands = parse_himport_set_args(args)
            if operands is None or operands[1] in wanted:
                continue
            fieldset = registry.get(operands[1])
            if fieldset is not None and (
                self._himport_prepared.get(fieldset.name) != fieldset.version
            ):
                wanted[fieldset.name] = fieldset
        if not wanted:
            return
        replies = await self._exchange(
            [prepare_command(n, fs.fields) for n, fs in wanted.items()], options
        )
        error: RedisError | None = None
        for fieldset, reply in zip(wanted.values(), replies, strict=True):
            if isinstance(reply, RedisError):
                error = error or reply
            else:
                self._himport_prepared[fieldset.name] = fieldset.version
        if error is not None:
            raise error
