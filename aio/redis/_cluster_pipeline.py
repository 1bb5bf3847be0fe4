"""Pipelines on a cluster: commands grouped per node, sent in parallel.

``execute()`` routes every queued command to its node, writes each node's
commands in one batch on one connection of that node, all nodes at once, and puts
the replies back in the order the commands were queued. A command whose reply is a
redirection (MOVED, ASK), TRYAGAIN, CLUSTERDOWN, or whose node failed (connection
error, timeout), is then retried on its own through the client's normal path, in
queue order, which follows the redirection, re-reads the map and retries as a
single command would (redis-py's cluster pipeline does the same for redirections
and re-sends the whole pipeline after a connection error).
``execute(allow_redirections=False)`` keeps redirections as errors.

With ``transaction=True`` the pipeline is a MULTI/EXEC transaction on one node,
with WATCH: see :mod:`aio.redis._cluster_transaction`.
"""

from __future__ import annotations

import asyncio
import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from aio.redis._cluster_commands import ClusterCommands
from aio.redis._cluster_himport import ClusterPipelineHImport
from aio.redis._cluster_route import (
    ALL_NODES,
    DEFAULT_NODE,
    NODE_FLAGS,
    PRIMARIES,
    RANDOM,
    REPLICAS,
)
from aio.redis._cluster_slots import ClusterNode
from aio.redis._cluster_transaction import ClusterTransaction, load_scripts
from aio.redis._connection import NEVER_DECODE
from aio.redis._core import _EMPTY_WHEN_BARE, empty_response_option
from aio.redis._pipeline import NOT_SENT, Command, _arg_text, pipeline_results
from aio.redis._types import ResponseT
from aio.redis.commands import CoreCommands
from aio.redis.commands.modules import ClusterModuleCommands
from aio.redis.exceptions import (
    AskError,
    ClusterDownError,
    ConnectionError,
    MovedError,
    RedisClusterException,
    RedisError,
    TimeoutError,
    TryAgainError,
)

if TYPE_CHECKING:
    from aio.redis._script import Script
    from aio.redis.cluster import RedisCluster

__all__ = ("ClusterPipeline",)


def _raise_first_error(stack: list[Command], results: list[Any]) -> None:
    """Raise the first error reply, annotated as redis-py's cluster pipeline
    annotates it: the command's position and text, then the error's ``args``
    tuple (``... caused error: ('WRONGTYPE ...',)``, not the bare message the
    standalone and transaction pipelines give)."""
    for number, (result, (args, _)) in enumerate(zip(results, stack, strict=True), 1):
        if isinstance(result, RedisError):
            command = textwrap.shorten(
                " ".join(_arg_text(a) for a in args),
                width=100,
                placeholder="...",
                break_long_words=True,
            )
            message = (
                f"Command # {number} ({command}) of pipeline caused error: "
                f"{result.args}"
            )
            result.args = (message, *result.args[1:])
            raise result


def _bare(args: tuple[Any, ...]) -> bool:
    """A command answered without a round trip (MGET with no key)."""
    return len(args) == 1 and args[0] in _EMPTY_WHEN_BARE


# Replies that mean "not done here; send it again through the routing".
_REDIRECTS = (MovedError, AskError, TryAgainError)
_NODE_FAILURES = (ClusterDownError, ConnectionError, TimeoutError)


# ClusterCommands' readonly()/readwrite() take redis-py's cluster arguments
# (target_nodes=), which mypy sees as incompatible with the standalone ones.
class ClusterPipeline(  # type: ignore[misc, unused-ignore]
    ClusterPipelineHImport, ClusterCommands, ClusterModuleCommands, CoreCommands
):
    """Commands of a :class:`~aio.redis.cluster.RedisCluster`, queued until
    ``await pipe.execute()``.

    Queue commands (they return the pipeline, so they chain), then ``execute()``
    returns the replies in order. Use ``async with rc.pipeline() as pipe:``.
    ``rc.pipeline(transaction=True)`` makes a MULTI/EXEC transaction (one slot),
    with ``watch()``, ``multi()``, ``unwatch()`` and ``discard()``. The CLUSTER
    commands (``cluster_info()``, ``cluster_keyslot()``...) queue too, as in
    redis-py.
    """

    PRIMARIES = PRIMARIES
    REPLICAS = REPLICAS
    ALL_NODES = ALL_NODES
    RANDOM = RANDOM
    DEFAULT_NODE = DEFAULT_NODE
    NODE_FLAGS = NODE_FLAGS
    #: Redirections followed for one command before giving up.
    RedisClusterRequestTTL = 16

    def __init__(self, client: RedisCluster, transaction: bool | None = None) -> None:
        self.cluster_client = client
        self.is_transaction = bool(transaction)
        self.command_stack: list[Command] = []
        #: Scripts queued with ``script(..., client=pipe)``: loaded on their
        #: nodes (SCRIPT EXISTS, then SCRIPT LOAD if missing) before they run.
        self.scripts: set[Script] = set()
        self._transaction = ClusterTransaction(client, self.scripts)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}({self.cluster_client!r})>"

    async def initialize(self) -> ClusterPipeline:
        """Initialize the cluster client (read the slot map) if needed."""
        _ = await self.cluster_client.initialize()
        return self

    def __await__(self) -> Any:
        return self.initialize().__await__()

    async def __aenter__(self) -> ClusterPipeline:
        return await self.initialize()

    async def __aexit__(self, *exc_info: object) -> None:
        await self.reset()

    def __len__(self) -> int:
        return len(self.command_stack)

    def __bool__(self) -> bool:
        return True

    @property
    def nodes_manager(self) -> Any:
        """The cluster client's slot map and nodes."""
        return self.cluster_client.nodes_manager

    @property
    def watching(self) -> bool:
        """True between ``watch()`` and ``execute()``/``reset()``."""
        return self._transaction.watching

    @property
    def explicit_transaction(self) -> bool:
        """True after ``multi()``."""
        return self._transaction.explicit_transaction

    def set_response_callback(self, command: str, callback: Any) -> None:
        """Set a response callback on the cluster client (as redis-py)."""
        self.cluster_client.set_response_callback(command, callback)

    def get_connection_kwargs(self) -> dict[str, Any]:
        """The arguments the cluster client's node connections are made with."""
        return self.cluster_client.get_connection_kwargs()

    def execute_command(self, *args: Any, **options: Any) -> Any:
        """Queue a command (returns the pipeline); in a transaction after
        ``watch()`` and before ``multi()``, run it at once (returns an awaitable)."""
        tx = self._transaction
        if (
            self.is_transaction
            and (tx.watching or args[0] in ("WATCH", "UNWATCH"))
            and not tx.explicit_transaction
        ):
            return tx.immediate(args, options)
        empty_response_option(args, options)
        self.command_stack.append((args, options))
        return self

    pipeline_execute_command = execute_command

    async def reset(self) -> None:
        """Drop the queued commands; UNWATCH and give back a transaction's
        connection."""
        self.command_stack = []
        self.scripts.clear()
        await self._transaction.reset()

    async def aclose(self) -> None:
        """Same as :meth:`reset`."""
        await self.reset()

    def _require_transaction(self, method: str) -> None:
        if not self.is_transaction:
            raise RedisClusterException(
                f"method {method}() is not supported outside of transactional context"
            )

    def multi(self) -> None:
        """Start the MULTI block after immediate-mode commands (after WATCH)."""
        self._require_transaction("multi")
        tx = self._transaction
        if tx.explicit_transaction:
            raise RedisError("Cannot issue nested calls to MULTI")
        if self.command_stack:
            raise RedisError(
                "Commands without an initial WATCH have already been issued"
            )
        tx.explicit_transaction = True

    async def watch(self, *names: Any) -> Any:
        """WATCH keys (all in one slot) on their node; the pipeline switches to
        immediate mode until :meth:`multi`."""
        self._require_transaction("watch")
        if self._transaction.explicit_transaction:
            raise RedisError("Cannot issue a WATCH after a MULTI")
        return await self._transaction.immediate(("WATCH", *names), {})

    async def unwatch(self) -> Any:
        """UNWATCH every key."""
        self._require_transaction("unwatch")
        if not self._transaction.watching:
            return True
        return await self._transaction.immediate(("UNWATCH",), {})

    async def discard(self) -> None:
        """Drop the transaction (and the queued commands)."""
        self._require_transaction("discard")
        await self.reset()

    @property
    def _immediate(self) -> bool:
        """Whether commands run at once (a transaction between WATCH and MULTI)."""
        tx = self._transaction
        return self.is_transaction and tx.watching and not tx.explicit_transaction

    def _split_per_slot(self, command: str, keys: tuple[Any, ...]) -> ResponseT:
        if self._immediate:
            # Run at once on the watched slot's node; the keys must all be in
            # that slot, so there is one command (and one count) to return.
            return self.execute_command(command, *keys)
        groups: dict[int, list[Any]] = {}
        for key in keys:
            groups.setdefault(self.cluster_client.keyslot(key), []).append(key)
        for group in groups.values():
            self.execute_command(command, *group)
        return self

    def delete(self, *names: Any) -> ResponseT:
        """DEL, one command (and result) per slot of ``names``; between
        ``watch()`` and ``multi()``, an awaitable of the count (one slot)."""
        return self._split_per_slot("DEL", names)

    def unlink(self, *names: Any) -> ResponseT:
        """UNLINK, one command (and result) per slot of ``names``; between
        ``watch()`` and ``multi()``, an awaitable of the count (one slot)."""
        return self._split_per_slot("UNLINK", names)

    def exists(self, *names: Any) -> ResponseT:
        """EXISTS, one command (and result) per slot of ``names``; between
        ``watch()`` and ``multi()``, an awaitable of the count (one slot)."""
        return self._split_per_slot("EXISTS", names)

    def touch(self, *args: Any) -> ResponseT:
        """TOUCH, one command (and result) per slot of the keys; between
        ``watch()`` and ``multi()``, an awaitable of the count (one slot)."""
        return self._split_per_slot("TOUCH", args)

    def cluster_delslots(self, *slots: Any) -> ClusterPipeline:  # type: ignore[override]
        """CLUSTER DELSLOTS, one command (and result) per slot, each on the
        slot's owner (the client method awaits them together)."""
        for slot in slots:
            self.execute_command("CLUSTER DELSLOTS", slot)
        return self

    def mset_nonatomic(self, mapping: Mapping[Any, Any]) -> ClusterPipeline:
        """MSET, one command (and result) per slot; not in a transaction."""
        if self.is_transaction:
            raise NotImplementedError(
                "Method is not supported in transactional context."
            )
        groups: dict[int, list[Any]] = {}
        for key, value in mapping.items():
            groups.setdefault(self.cluster_client.keyslot(key), []).extend((key, value))
        for pairs in groups.values():
            self.execute_command("MSET", *pairs)
        return self

    async def execute(
        self, raise_on_error: bool = True, allow_redirections: bool = True
    ) -> list[Any]:
        """Send every queued command; return the replies in queue order.

        :param raise_on_error: raise the first error reply (annotated with its
            command's position, as redis-py) instead of returning it, unannotated,
            in the list.
        :param allow_redirections: retry commands answered with MOVED, ASK or
            TRYAGAIN on their own through the client (else they are errors).
        :raises RedisClusterException: a command has keys in several slots, or
            would go to several nodes.
        :raises CrossSlotTransactionError: a transaction spans slots.
        :raises WatchError: a watched key changed, or the watch was lost.
        """
        stack = self.command_stack
        try:
            if self.is_transaction:
                if not stack and not self._transaction.watching:
                    return []
                return await self._transaction.execute(stack, raise_on_error)
            if not stack:
                return []
            client = self.cluster_client
            _ = await client.initialize()
            if client._refresh_needed:
                await client._refresh()
            # A bare MGET (``mget([])``) is not sent: it has no key to route by.
            sent = [i for i, (args, _) in enumerate(stack) if not _bare(args)]
            raw: list[Any] = [NOT_SENT] * len(stack)
            if sent:
                replies = await self._pipeline(
                    [stack[i] for i in sent], allow_redirections
                )
                for i, reply in zip(sent, replies, strict=True):
                    raw[i] = reply
            results = pipeline_results(stack, raw, False, self._convert)
            if raise_on_error:
                _raise_first_error(stack, results)
            return results
        finally:
            await self.reset()

    def _convert(
        self, reply: Any, args: tuple[Any, ...], options: dict[str, Any]
    ) -> Any:
        return self.cluster_client._convert(args, reply, options)

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

    async def _pipeline(
        self, stack: list[Command], allow_redirections: bool
    ) -> list[Any]:
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
                if self.scripts:
                    await load_scripts(
                        conn, self.scripts, [stack[i][0] for i in indexes]
                    )
                if conn.himport_registry:  # fieldsets declared: HIMPORT SETs need them
                    await conn.himport_preflight([stack[i][0] for i in indexes], {})
                future = conn.send_requests(
                    [stack[i][0] for i in indexes],
                    timeout=conn.socket_timeout,
                    raw=[NEVER_DECODE in stack[i][1] for i in indexes],
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
        retried = _NODE_FAILURES + (_REDIRECTS if allow_redirections else ())
        retry = [i for i, r in enumerate(replies) if isinstance(r, retried)]
        client = self.cluster_client
        if retry:
            client._refresh_needed = True
        for i in retry:
            args, options = stack[i]
            try:
                replies[i] = await client._execute_routed(args, options)
            except RedisError as exc:
                replies[i] = exc
        return replies
