"""The blocking ``rc.json()`` of :class:`~sync_shims.redis.RedisCluster` (and
of its pipelines), as redis-py's blocking cluster: the JSON commands, each sent
to its key's node, and :meth:`ClusterJSON.pipeline`, a blocking cluster
pipeline whose ``set``, ``get``, ``delete``... are the JSON commands. Behaviour
and routing are the core's :mod:`aio.redis.commands.json._cluster`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.json import Decoder, Encoder
from aio.redis.commands.json._cluster import ClusterJSON as AsyncClusterJSON
from aio.redis.commands.json._cluster import (
    JSONClusterPipeline as AsyncJSONClusterPipeline,
)
from sync_shims._generated_redis_json import JSONCommandsTwin
from sync_shims.redis.cluster import ClusterPipeline
from sync_shims.redis.commands.json import JSON, _FileCommands

if TYPE_CHECKING:
    from sync_shims.redis.cluster import RedisCluster

__all__ = ("ClusterJSON", "JSONClusterPipeline")


class ClusterJSON(JSON):
    """The RedisJSON commands of a blocking cluster client or cluster pipeline
    (``rc.json()``, ``pipe.json()``).

    :param client: a :class:`~sync_shims.redis.RedisCluster` or one of its
        pipelines.
    """

    _async: AsyncClusterJSON

    def __init__(
        self,
        client: RedisCluster | ClusterPipeline,
        version: str | None = None,
        decoder: Decoder | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        JSONCommandsTwin.__init__(
            self, AsyncClusterJSON(client._async, version, decoder, encoder)
        )
        #: The client (or pipeline) the commands run on.
        self.client = cast(Any, client)
        self.MODULE_VERSION = version

    def pipeline(  # type: ignore[override]
        self, transaction: bool = True, shard_hint: Any = None
    ) -> JSONClusterPipeline:
        """A blocking cluster pipeline whose ``set``, ``get``, ``delete``,
        ``type``, ``mget``, ``mset``... are the JSON commands; not a transaction,
        as redis-py's."""
        return JSONClusterPipeline._wrap(self._async.pipeline(transaction, shard_hint))


class JSONClusterPipeline(_FileCommands, JSONCommandsTwin, ClusterPipeline):  # type: ignore[misc]
    """A blocking cluster pipeline with the JSON commands in place of the core
    commands of the same names (``rc.json().pipeline()``)."""

    _async: AsyncJSONClusterPipeline

    def _pipeline_or(self, result: Any) -> Any:
        return self if result is self._async else result
