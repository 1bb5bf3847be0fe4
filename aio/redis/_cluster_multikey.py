"""The commands of :class:`~aio.redis.RedisCluster` that span slots or nodes:
DEL, UNLINK, EXISTS and TOUCH split per slot and summed, MGET/MSET split per
slot (``mget_nonatomic``/``mset_nonatomic``), and SCAN on every primary with one
cursor per node, as redis-py's ``ClusterMultiKeyCommands`` and
``ClusterDataAccessCommands`` do."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from aio.redis._types import ResponseT
from aio.redis.commands import CoreCommands
from aio.redis.exceptions import RedisClusterException

if TYPE_CHECKING:
    from aio.redis._cluster_slots import ClusterNode

__all__ = ("ClusterMultiKeyCommands", "gather_all")


async def gather_all(*aws: Awaitable[Any]) -> list[Any]:
    """Await all (none left running on an error), then raise the first error."""
    results = await asyncio.gather(*aws, return_exceptions=True)
    for result in results:
        if isinstance(result, BaseException):
            raise result
    return results


class ClusterMultiKeyCommands(CoreCommands):
    """Commands split across slots, or run on several nodes, and combined."""

    # Provided by the client class; declared for the type checker.
    keyslot: Callable[[Any], int]
    get_node: Callable[..., ClusterNode | None]

    def _group_by_slot(self, keys: Iterable[Any]) -> dict[int, list[Any]]:
        groups: dict[int, list[Any]] = {}
        for key in keys:
            groups.setdefault(self.keyslot(key), []).append(key)
        return groups

    async def _split_sum(self, command: str, keys: tuple[Any, ...]) -> int:
        groups = self._group_by_slot(keys)
        counts = await gather_all(
            *(self.execute_command(command, *group) for group in groups.values())
        )
        return sum(int(c) for c in counts)

    async def delete(self, *keys: Any) -> int:
        """DEL ``keys`` (one DEL per slot); returns how many existed."""
        return await self._split_sum("DEL", keys)

    async def unlink(self, *keys: Any) -> int:
        """UNLINK ``keys`` (one UNLINK per slot); returns how many existed."""
        return await self._split_sum("UNLINK", keys)

    async def exists(self, *keys: Any) -> int:
        """How many of ``keys`` exist (one EXISTS per slot)."""
        return await self._split_sum("EXISTS", keys)

    async def touch(self, *keys: Any) -> int:
        """TOUCH ``keys`` (one TOUCH per slot); returns how many existed."""
        return await self._split_sum("TOUCH", keys)

    async def mget_nonatomic(self, keys: Any, *args: Any) -> list[Any]:
        """MGET across slots: one MGET per slot, values in the order asked."""
        names = [keys] if isinstance(keys, str | bytes) else list(keys)
        names += args
        groups = self._group_by_slot(names)
        replies = await gather_all(
            *(self.execute_command("MGET", *g, keys=g) for g in groups.values())
        )
        found: dict[Any, Any] = {}
        for group, values in zip(groups.values(), replies, strict=True):
            found.update(zip(group, values, strict=True))
        return [found[name] for name in names]

    async def mset_nonatomic(self, mapping: Mapping[Any, Any]) -> list[bool]:
        """MSET across slots: one MSET per slot; returns each MSET's result."""
        groups: dict[int, list[Any]] = {}
        for key, value in mapping.items():
            groups.setdefault(self.keyslot(key), []).extend((key, value))
        return list(
            await gather_all(
                *(self.execute_command("MSET", *pairs) for pairs in groups.values())
            )
        )

    def scan(
        self,
        cursor: int = 0,
        match: Any = None,
        count: int | None = None,
        _type: str | None = None,
        **kwargs: Any,
    ) -> ResponseT:
        """One SCAN step on every primary (or on ``target_nodes=``), as redis-py:
        returns ``({node name: next cursor}, [keys])``; a node is done when its
        cursor is 0. Continue a node's scan with ``target_nodes=`` that node and
        its cursor; :meth:`scan_iter` does all that."""
        return super().scan(cursor, match, count, _type, **kwargs)

    async def scan_iter(
        self,
        match: Any = None,
        count: int | None = None,
        _type: str | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[Any]:
        """Every key matching ``match``, as redis-py: one SCAN on every primary
        (or on ``target_nodes=``) at once, then each node's cursor followed
        until it is done, a round of SCANs at a time."""
        cursors, keys = await self.scan(match=match, count=count, _type=_type, **kwargs)
        for key in keys:
            yield key
        kwargs.pop("target_nodes", None)
        pending = {name: cursor for name, cursor in cursors.items() if cursor}
        while pending:
            for name, cursor in list(pending.items()):
                node = self.get_node(node_name=name)
                if node is None:
                    raise RedisClusterException(
                        f"Node {name} left the cluster during a SCAN"
                    )
                more, keys = await self.scan(
                    cursor,
                    match=match,
                    count=count,
                    _type=_type,
                    target_nodes=node,
                    **kwargs,
                )
                for key in keys:
                    yield key
                pending[name] = more[name]
            pending = {name: cursor for name, cursor in pending.items() if cursor}
