"""Pipelines on a cluster: commands grouped per node, sent in parallel.

``execute()`` routes every queued command to its node, writes each node's
commands in one batch on one connection of that node, all nodes at once, and puts
the replies back in the order the commands were queued. A command whose reply is a
redirection (MOVED, ASK), TRYAGAIN, CLUSTERDOWN, or whose node failed, is then
retried on its own through the client's normal path, in queue order, which follows
the redirection (and refreshes the map) as a single command would.

A transaction (``transaction=True``) is one MULTI/EXEC on one node, so all its keys
must live in one slot (:class:`~aio.redis.exceptions.CrossSlotTransactionError`
otherwise). When the slot moved, the transaction is re-sent to the new owner.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from aio.redis._cluster_slots import ClusterNode
from aio.redis._core import _EMPTY_WHEN_BARE, EMPTY_RESPONSE, empty_response_option
from aio.redis._pipeline import _annotate
from aio.redis.commands import CoreCommands
from aio.redis.exceptions import (
    AskError,
    ClusterDownError,
    ConnectionError,
    CrossSlotTransactionError,
    ExecAbortError,
    MovedError,
    RedisClusterException,
    RedisError,
    ResponseError,
    TimeoutError,
    TryAgainError,
    WatchError,
)

if TYPE_CHECKING:
    from aio.redis.cluster import RedisCluster

__all__ = ("ClusterPipeline",)

_Command = tuple[tuple[Any, ...], dict[str, Any]]


def _bare(args: tuple[Any, ...]) -> bool:
    """A command answered without a round trip (MGET with no key)."""
    return len(args) == 1 and args[0] in _EMPTY_WHEN_BARE


# Replies that mean "not done here; send it again through the routing".
_RETRY = (MovedError, AskError, TryAgainError, ClusterDownError, ConnectionError)


class ClusterPipeline(CoreCommands):
    """Commands of a :class:`~aio.redis.cluster.RedisCluster`, queued until
    ``await pipe.execute()``.

    Queue commands (they return the pipeline, so they chain), then ``execute()``
    returns the replies in order. Use ``async with rc.pipeline() as pipe:``.
    """

    def __init__(self, client: RedisCluster, transaction: bool = False) -> None:
        self.cluster_client = client
        self.is_transaction = transaction
        self.command_stack: list[_Command] = []

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.cluster_client!r})>"

    async def __aenter__(self) -> ClusterPipeline:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.reset()

    def __len__(self) -> int:
        return len(self.command_stack)

    def __bool__(self) -> bool:
        return True

    def execute_command(self, *args: Any, **options: Any) -> ClusterPipeline:
        """Queue a command; returns the pipeline."""
        empty_response_option(args, options)
        self.command_stack.append((args, options))
        return self

    pipeline_execute_command = execute_command

    async def reset(self) -> None:
        """Drop the queued commands."""
        self.command_stack = []

    async def aclose(self) -> None:
        """Same as :meth:`reset`."""
        await self.reset()

    def multi(self) -> None:
        """Turn the pipeline into a transaction (redis-py's explicit MULTI)."""
        if self.command_stack:
            raise RedisClusterException("MULTI after commands were queued")
        self.is_transaction = True

    async def watch(self, *names: Any) -> None:
        """Not supported on cluster pipelines (as in older redis-py)."""
        raise RedisClusterException("WATCH is not supported in cluster pipelines")

    async def execute(self, raise_on_error: bool = True) -> list[Any]:
        """Send every queued command; return the replies in queue order.

        :param raise_on_error: raise the first error reply (annotated with its
            command's position) instead of returning it in the list.
        :raises RedisClusterException: a command has keys in several slots, or
            would go to several nodes.
        :raises CrossSlotTransactionError: a transaction spans slots.
        """
        stack = self.command_stack
        if not stack:
            return []
        client = self.cluster_client
        try:
            _ = await client.initialize()
            if client._refresh_needed:
                await client._refresh()
            # A bare MGET (``mget([])``) is not sent (it has no key to route by,
            # and would abort a transaction): its empty value is put in place.
            sent = [i for i, (args, _) in enumerate(stack) if not _bare(args)]
            sent_stack = [stack[i] for i in sent]
            raw: list[Any] = [None] * len(stack)
            if sent_stack:
                if self.is_transaction:
                    replies = await self._transaction(sent_stack)
                else:
                    replies = await self._pipeline(sent_stack)
                for i, reply in zip(sent, replies, strict=True):
                    raw[i] = reply
            return self._finish(stack, raw, raise_on_error)
        finally:
            await self.reset()

    def _finish(
        self, stack: list[_Command], raw: list[Any], raise_on_error: bool
    ) -> list[Any]:
        client = self.cluster_client
        out: list[Any] = []
        for i, (reply, (args, options)) in enumerate(zip(raw, stack, strict=True)):
            if EMPTY_RESPONSE in options and (
                _bare(args) or isinstance(reply, ResponseError)
            ):
                out.append(options[EMPTY_RESPONSE])
            elif isinstance(reply, RedisError):
                _annotate(reply, i + 1, args)
                if raise_on_error:
                    raise reply
                out.append(reply)
            else:
                out.append(client._convert(args, reply, options))
        return out

    async def _node_of(
        self, args: tuple[Any, ...], options: dict[str, Any]
    ) -> ClusterNode:
        nodes = await self.cluster_client._targets(args, options)
        if len(nodes) != 1:
            raise RedisClusterException(
                f"Too many targets for command {args!r}: a pipeline sends each "
                "command to one node"
            )
        return nodes[0]

    async def _pipeline(self, stack: list[_Command]) -> list[Any]:
        replies: list[Any] = [None] * len(stack)
        groups: dict[str, tuple[ClusterNode, list[int]]] = {}
        for i, (args, options) in enumerate(stack):
            node = await self._node_of(args, options)
            groups.setdefault(node.name, (node, []))[1].append(i)

        async def send(node: ClusterNode, indexes: list[int]) -> None:
            pool = node.connection_pool
            try:
                conn = await pool.get_connection()
            except (ConnectionError, TimeoutError) as exc:
                for i in indexes:
                    replies[i] = exc
                return
            try:
                future = conn.send_requests(
                    [stack[i][0] for i in indexes], timeout=conn.socket_timeout
                )
                await conn.drain()
                for i, reply in zip(indexes, await future, strict=True):
                    replies[i] = reply
            except (ConnectionError, TimeoutError) as exc:
                for i in indexes:
                    replies[i] = exc
            finally:
                pool._release(conn)

        await asyncio.gather(*(send(node, idx) for node, idx in groups.values()))
        client = self.cluster_client
        retry = [
            i for i, r in enumerate(replies) if isinstance(r, _RETRY + (TimeoutError,))
        ]
        if retry:
            client._refresh_needed = True
        for i in retry:
            args, options = stack[i]
            try:
                replies[i] = await client._execute_routed(args, options)
            except ResponseError as exc:
                replies[i] = exc
        return replies

    async def _transaction(self, stack: list[_Command]) -> list[Any]:
        client = self.cluster_client
        slots: set[int] = set()
        for args, options in stack:
            keys = options.get("keys") or await client._command_keys(args)
            for key in keys:
                slots.add(client.keyslot(key))
        if len(slots) > 1:
            raise CrossSlotTransactionError(
                "All keys involved in a cluster transaction must map to the same slot"
            )
        if slots:
            node = client.nodes_manager.get_node_from_slot(slots.pop())
        else:
            node = client.get_default_node()
        commands: list[tuple[Any, ...]] = [
            ("MULTI",),
            *(a for a, _ in stack),
            ("EXEC",),
        ]
        for _ in range(client.RedisClusterRequestTTL):
            pool = node.connection_pool
            conn = await pool.get_connection()
            try:
                future = conn.send_requests(commands, timeout=conn.socket_timeout)
                await conn.drain()
                replies = await future
            finally:
                pool._release(conn)
            moved = next((r for r in replies if isinstance(r, MovedError)), None)
            if moved is not None:
                node = client.nodes_manager.update_moved(
                    moved.slot_id, moved.host or node.host, moved.port
                )
                client._refresh_needed = True
                continue
            return self._exec_result(stack, replies)
        raise RedisClusterException("Transaction kept being redirected")

    def _exec_result(self, stack: list[_Command], replies: list[Any]) -> list[Any]:
        if isinstance(replies[0], RedisError):
            raise replies[0]
        queued = replies[1:-1]
        result = replies[-1]
        if isinstance(result, ExecAbortError):
            first = next((r for r in queued if isinstance(r, RedisError)), None)
            raise first if first is not None else result
        if isinstance(result, RedisError):
            raise result
        if result is None:
            raise WatchError("Watched variable changed.")
        if len(result) != len(stack):
            raise ResponseError(
                "Wrong number of response items from pipeline execution"
            )
        return list(result)
