"""MULTI/EXEC and WATCH on a cluster pipeline (``rc.pipeline(transaction=True)``).

A transaction runs on one node, the owner of the one slot that all its keys hash
to (keyless commands ride along; a transaction without any key goes to the
default node). Keys in two slots raise
:class:`~aio.redis.exceptions.CrossSlotTransactionError`.

Immediate mode, as on a standalone pipeline: ``watch()`` takes a connection to
the owner of the watched keys' slot and keeps it; commands issued before
``multi()`` run at once on that connection and must stay in that slot. At
``execute()`` MULTI, the queued commands and EXEC go down the same connection, so
the server checks the WATCH. The replies are read by the standalone pipeline's
:func:`~aio.redis._pipeline.exec_results` and
:func:`~aio.redis._pipeline.pipeline_results`.

When the cluster moves the slot:

* without WATCH, a ``MOVED`` (the server refuses the queued commands and aborts
  EXEC) patches the slot map and the transaction is sent again to the new owner;
  an ``ASK`` (slot being migrated, keys already on the target) sends it again to
  the target preceded by ``ASKING``, whose effect lasts for the whole MULTI block;
* with WATCH, the watched keys were watched on the old owner, which no longer
  holds them: the map is patched and :class:`~aio.redis.exceptions.WatchError`
  is raised, so that :meth:`RedisCluster.transaction` starts over and watches on
  the new owner. redis-py 8.1 does this for a redirection at EXEC; it also does
  it here for commands run between WATCH and MULTI (redis-py follows those to the
  new owner, where nothing is watched any more).

Connection errors: without WATCH the transaction is sent again (the map is re-read
first, ``cluster_error_retry_attempts`` times), as redis-py does; with WATCH the
watch died with the connection, so ``WatchError`` is raised, as a standalone
pipeline does (redis-py's cluster pipeline sends EXEC on a new connection, where
nothing is watched any more).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aio.redis._cluster_route import command_name
from aio.redis._core import EMPTY_RESPONSE, empty_response_option
from aio.redis._pipeline import (
    NOT_SENT,
    Command,
    WrongReplyCount,
    exec_results,
    pipeline_results,
    release_unwatched,
)
from aio.redis.exceptions import (
    AskError,
    ClusterError,
    ConnectionError,
    CrossSlotTransactionError,
    MovedError,
    RedisClusterException,
    RedisError,
    ResponseError,
    TimeoutError,
    WatchError,
)
from aio.redis.himport import may_be_himport, parse_himport_set_args

if TYPE_CHECKING:
    from aio.redis._cluster_slots import ClusterNode
    from aio.redis._connection import Connection
    from aio.redis._script import Script
    from aio.redis.cluster import RedisCluster

__all__ = ("ClusterTransaction", "load_scripts")

_REDIRECTS = (MovedError, AskError)


async def load_scripts(
    conn: Connection, scripts: set[Script], commands: list[tuple[Any, ...]]
) -> None:
    """Load on ``conn``'s node the scripts that ``commands`` run with EVALSHA and
    the node does not know yet (one SCRIPT EXISTS, a SCRIPT LOAD per missing
    one), as a standalone pipeline does before it sends its commands."""
    shas = {
        _text(args[1]) for args in commands if len(args) > 1 and args[0] == "EVALSHA"
    }
    used = [script for script in scripts if script.sha in shas]
    if not used:
        return
    exists = await conn.execute(("SCRIPT EXISTS", *(s.sha for s in used)), {})
    for script, present in zip(used, exists, strict=True):
        if not present:
            sha = await conn.execute(("SCRIPT LOAD", script.script), {})
            script.sha = sha.decode() if isinstance(sha, bytes) else str(sha)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _pause(failures: int) -> float:
    """The wait before retry number ``failures`` (the cluster client's schedule)."""
    return min(0.05 * 2.0 ** (failures - 1), 1.0)


class ClusterTransaction:
    """The transaction state of one cluster pipeline: the slot, the node and the
    connection it holds while WATCHing, and whether ``multi()`` was called."""

    def __init__(
        self, client: RedisCluster, scripts: set[Script] | None = None
    ) -> None:
        self.client = client
        #: The pipeline's queued scripts (the same set), loaded before they run.
        self.scripts: set[Script] = scripts if scripts is not None else set()
        #: The slot of the keys WATCHed or run in immediate mode.
        self.slot: int | None = None
        self.node: ClusterNode | None = None
        self.connection: Connection | None = None
        self.watching = False
        self.explicit_transaction = False

    # -- the connection --------------------------------------------------------------

    async def _connection(self, target: ClusterNode | None = None) -> Connection:
        """The transaction's connection: to ``target``, else to the owner of the
        slot (the default node without one). Kept until :meth:`reset`."""
        client = self.client
        if target is None:
            if self.connection is not None and self.node is not None:
                if not self.connection.is_connected:
                    if self.watching:
                        # A new connection would EXEC without the WATCH.
                        raise ConnectionError("The watching connection was lost.")
                    await self.connection.connect()
                return self.connection
            if self.slot is None:
                target = client.get_default_node()
            else:
                target = client.nodes_manager.get_node_from_slot(self.slot)
        if self.connection is not None and self.node is not None:
            if self.node.name == target.name:
                return self.connection
            self._release(disconnect=False)
        self.connection = await target.connection_pool.get_connection()
        self.node = target
        return self.connection

    def _release(self, disconnect: bool) -> None:
        conn, node = self.connection, self.node
        self.connection = self.node = None
        if conn is None or node is None:
            return
        if disconnect:
            # Synchronous, so that it also runs when the caller is cancelled.
            conn._abort(ConnectionError("Transaction connection dropped."))
        node.connection_pool._release(conn)

    async def reset(self) -> None:
        """UNWATCH if needed, give the connection back and forget the slot."""
        conn, node, watching = self.connection, self.node, self.watching
        self.connection = self.node = None
        self.slot = None
        self.watching = False
        self.explicit_transaction = False
        if conn is not None and node is not None:
            await release_unwatched(conn, watching, node.connection_pool)

    # -- slots -----------------------------------------------------------------------

    async def _slot_of(
        self, args: tuple[Any, ...], options: dict[str, Any]
    ) -> int | None:
        keys = options.get("keys") or await self.client._command_keys(args)
        if not keys:
            return None
        return self.client.slot_of_keys(command_name(args), keys)

    def _lose_watch(self, cause: Exception) -> WatchError:
        """The WatchError to raise once the watching connection is of no use."""
        self._release(disconnect=isinstance(cause, ConnectionError | TimeoutError))
        self.watching = False
        self.slot = None
        if isinstance(cause, _REDIRECTS):
            return WatchError("Slot rebalancing occurred while watching keys")
        return WatchError(
            f"A {type(cause).__name__} occurred while watching one or more keys"
        )

    def _follow(self, redirect: MovedError | AskError) -> ClusterNode:
        """Record a redirection in the map; the node it points to."""
        manager = self.client.nodes_manager
        if self.node is not None:
            host = manager.redirection_host(redirect.host, self.node)
        else:
            host = redirect.host or "127.0.0.1"
        if isinstance(redirect, MovedError):
            self.client._refresh_needed = True
            return manager.update_moved(redirect.slot_id, host, redirect.port)
        return manager.get_or_create(host, redirect.port)

    async def _after_connection_error(self, failures: int, error: Exception) -> None:
        """Between attempts: give up after the retries, else wait and re-read
        the map."""
        client = self.client
        client._refresh_needed = True
        if failures > client.cluster_error_retry_attempts:
            raise error
        await asyncio.sleep(_pause(failures))
        await client._refresh()

    # -- immediate mode ----------------------------------------------------------------

    async def immediate(self, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
        """Run a command now on the transaction's connection (WATCH, and what is
        issued after it until ``multi()``)."""
        client = self.client
        if not client._initialized:
            _ = await client.initialize()
        empty_response_option(args, options)
        empty = options.pop(EMPTY_RESPONSE, None)
        if empty is not None and len(args) == 1:
            return empty  # a bare MGET: the server could only refuse it
        name = args[0]
        if name == "UNWATCH":
            if self.connection is None:
                self.watching = False
                return True
        else:
            slot = await self._slot_of(args, options)
            if slot is None:
                raise RedisClusterException(
                    f"Cannot identify slot number for command: {name}, "
                    "it cannot be triggered in a transaction"
                )
            if self.slot is not None and slot != self.slot:
                raise CrossSlotTransactionError(
                    "Cannot watch or send commands on different slots"
                )
            self.slot = slot
        reply = await self._run_now(args, options, empty)
        if name == "WATCH":
            self.watching = True
        elif name == "UNWATCH":
            self.watching = False
        return client._convert(args, reply, options)

    async def _run_now(
        self, args: tuple[Any, ...], options: dict[str, Any], empty: Any
    ) -> Any:
        failures = 0
        for _ in range(self.client.RedisClusterRequestTTL):
            try:
                conn = await self._connection()
                if self.scripts:
                    await load_scripts(conn, self.scripts, [args])
                if may_be_himport(args[0]):
                    operands = parse_himport_set_args(args)
                    if operands is not None:
                        # Between WATCH and MULTI: prepared on this connection.
                        return await conn.execute_himport_set(operands, options)
                return await conn.execute(args, options)
            except _REDIRECTS as exc:
                if self.watching or isinstance(exc, AskError):
                    # The watch (or the one being made, during a migration) is
                    # on a node that no longer serves the keys: start over.
                    self._follow(exc)
                    raise self._lose_watch(exc) from exc
                # The WATCH itself was sent to a stale owner: follow it.
                self._follow(exc)
                self._release(disconnect=False)
            except (ConnectionError, TimeoutError) as exc:
                if self.watching:
                    self.client._refresh_needed = True
                    raise self._lose_watch(exc) from exc
                self._release(disconnect=True)
                failures += 1
                await self._after_connection_error(failures, exc)
            except ResponseError:
                if empty is None:
                    raise
                return empty
        raise ClusterError("TTL exhausted.")

    # -- EXEC --------------------------------------------------------------------------

    async def execute(self, stack: list[Command], raise_on_error: bool) -> list[Any]:
        """Send MULTI, the queued commands and EXEC; the converted results.

        :raises CrossSlotTransactionError: the keys span several slots.
        :raises WatchError: a watched key changed, or the slot moved or the
            connection failed while keys were watched.
        """
        client = self.client
        if not client._initialized:
            _ = await client.initialize()
        if client._refresh_needed and self.connection is None:
            await client._refresh()
        # As redis-py: a command with EMPTY_RESPONSE is not sent in a transaction
        # (a bare MGET would abort it); its value is put in place.
        sent = [
            i for i, (_, options) in enumerate(stack) if EMPTY_RESPONSE not in options
        ]
        slots = set() if self.slot is None else {self.slot}
        for i in sent:
            slot = await self._slot_of(*stack[i])
            if slot is not None:
                slots.add(slot)
        if len(slots) > 1:
            raise CrossSlotTransactionError(
                "All keys involved in a cluster transaction must map to the same slot"
            )
        if not sent and not self.watching:
            return pipeline_results(
                stack, [NOT_SENT] * len(stack), raise_on_error, self._convert
            )
        if slots:
            self.slot = slots.pop()
        commands: list[tuple[Any, ...]] = [
            ("MULTI",),
            *(stack[i][0] for i in sent),
            ("EXEC",),
        ]
        replies = await self._send(commands)
        try:
            results = exec_results(stack, sent, replies)
        except WrongReplyCount:
            self._release(disconnect=True)
            raise
        return pipeline_results(stack, results, raise_on_error, self._convert)

    def _convert(
        self, reply: Any, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        return self.client._convert(args, reply, options)

    async def _send(self, commands: list[tuple[Any, ...]]) -> list[Any]:
        """The replies to ``commands`` (MULTI ... EXEC), after following MOVED/ASK
        and retrying connection errors (without WATCH)."""
        target: ClusterNode | None = None
        failures = 0
        for _ in range(self.client.RedisClusterRequestTTL):
            asking = target is not None
            batch = [("ASKING",), *commands] if asking else commands
            try:
                conn = await self._connection(target)
                if self.scripts:
                    await load_scripts(conn, self.scripts, commands)
                if conn.himport_registry:  # prepared before MULTI, as redis-py
                    await conn.himport_preflight(commands, {})
                future = conn.send_requests(batch, timeout=conn.socket_timeout)
                await conn.drain()
                replies = await future
            except (ConnectionError, TimeoutError) as exc:
                if self.watching:
                    self.client._refresh_needed = True
                    raise self._lose_watch(exc) from exc
                self._release(disconnect=True)
                failures += 1
                target = None
                await self._after_connection_error(failures, exc)
                continue
            if asking:
                if isinstance(replies[0], RedisError):
                    raise replies[0]
                replies = replies[1:]
            # EXEC ran, was aborted or refused: either way no key is watched now.
            watched, self.watching = self.watching, False
            redirect = next(
                (r for r in replies[1:-1] if isinstance(r, _REDIRECTS)), None
            )
            if redirect is None:
                return list(replies)
            node = self._follow(redirect)
            if watched:
                raise self._lose_watch(redirect) from redirect
            # Not watching: the connection is clean (EXEC answered); re-send.
            self._release(disconnect=False)
            if isinstance(redirect, AskError):
                target = node
            else:
                target = None
                self.slot = redirect.slot_id
        raise ClusterError("TTL exhausted.")
