"""HIMPORT (Redis 8.9) on a cluster: one fieldset registry for every node.

As redis-py 8.1's cluster clients: the client owns one
:class:`~aio.redis.himport.HImportRegistry`, given to every node's pool (through
the nodes' connection arguments, ``connection_kwargs["himport_registry"]``), so a
fieldset declared once is prepared lazily by whichever connection of whichever
node runs an ``HIMPORT SET`` that uses it. Declaring and discarding only change
the registry; connections catch up on their next ``HIMPORT SET``.

An ``HIMPORT SET`` redirected by ASK needs ``ASKING`` immediately before it on
the same connection, so the fieldset is prepared first and ``ASKING`` and the SET
go together.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from aio.redis.exceptions import RedisError
from aio.redis.himport import HImportRegistry, set_command

if TYPE_CHECKING:
    from aio.redis._connection import Connection
    from aio.redis.cluster import RedisCluster

__all__ = ("ClusterHImport", "himport_set_on")


async def himport_set_on(
    conn: Connection,
    args: tuple[Any, ...],
    operands: tuple[Any, Any, list[Any]],
    options: dict[str, Any],
    asking: bool = False,
) -> Any:
    """Run the ``HIMPORT SET`` ``args`` on ``conn`` with its fieldset prepared
    there (after ``ASKING`` when ``asking``); the raw reply.

    :raises ResponseError: the PREPARE's or the SET's error.
    """
    if not asking:
        return await conn.execute_himport_set(operands, options)
    # ASKING holds for the next command only: it cannot precede the PREPARE.
    await conn.himport_preflight([args], options)
    replies = await conn._exchange([("ASKING",), set_command(*operands)], options)
    for reply in replies:
        if isinstance(reply, RedisError):
            raise reply
    return replies[1]


class ClusterHImport:
    """The cluster-wide fieldset registry and the methods that change it, as
    redis-py's ``RedisCluster`` (``himport_set`` comes from the command mixins)."""

    _himport_registry: HImportRegistry

    if TYPE_CHECKING:

        async def initialize(self) -> Any: ...

    @property
    def himport_registry(self) -> HImportRegistry:
        """The fieldsets declared on this cluster client, shared by every node's
        connections (read it; change it with :meth:`himport_prepare` and
        :meth:`himport_discard`)."""
        return self._himport_registry

    async def himport_prepare(self, fieldset_name: str, fields: Iterable[Any]) -> bool:
        """Declare the fieldset ``fieldset_name`` (its field names, in order)
        for ``himport_set`` on every node; a declared name is replaced. Each
        connection prepares it on first use. Returns True.

        :raises DataError: ``fields`` is one string or bytes, or empty.
        """
        _ = await self.initialize()
        _ = self._himport_registry.prepare(fieldset_name, fields)
        return True

    async def himport_discard(self, fieldset_name: str) -> int:
        """Forget the fieldset ``fieldset_name``: 1 if it was declared, else 0.
        Connections that prepared it DISCARD it on their next HIMPORT SET."""
        _ = await self.initialize()
        return 1 if self._himport_registry.discard(fieldset_name) else 0

    async def himport_discard_all(self) -> int:
        """Forget every declared fieldset; returns how many there were."""
        _ = await self.initialize()
        return self._himport_registry.discard_all()


class ClusterPipelineHImport:
    """A cluster pipeline's HIMPORT declarations: its client's (as redis-py's
    asyncio ``ClusterPipeline``), so its batched ``himport_set`` sees them."""

    cluster_client: RedisCluster

    @property
    def himport_registry(self) -> HImportRegistry:
        """The client's cluster-wide fieldset registry."""
        return self.cluster_client.himport_registry

    async def himport_prepare(self, fieldset_name: str, fields: Iterable[Any]) -> bool:
        """Declare a fieldset on the pipeline's client (at once, not queued),
        as its ``himport_prepare``. Returns True."""
        return await self.cluster_client.himport_prepare(fieldset_name, fields)

    async def himport_discard(self, fieldset_name: str) -> int:
        """Forget a fieldset of the pipeline's client (at once, not queued),
        as its ``himport_discard``: 1 if it was declared, else 0."""
        return await self.cluster_client.himport_discard(fieldset_name)

    async def himport_discard_all(self) -> int:
        """Forget every fieldset of the pipeline's client (at once, not
        queued); returns how many there were."""
        return await self.cluster_client.himport_discard_all()
