"""``rc.json()`` on a :class:`~aio.redis.RedisCluster` (or a cluster pipeline).

The commands are :class:`~aio.redis.commands.json.JSON`'s: each goes through the
cluster's ``execute_command``, which routes it by its key as the nodes'
``COMMAND`` table places it (RedisJSON registers its commands' key positions,
``JSON.MSET``'s every third argument included), or by the ``keys=`` the read
commands name. What differs is :meth:`ClusterJSON.pipeline`: a cluster pipeline
whose ``set``, ``get``, ``delete``... are the JSON commands, as redis-py's
blocking cluster gives (its asyncio cluster has none that works).
"""

from __future__ import annotations

from typing import Any, cast

from aio.redis._cluster_pipeline import ClusterPipeline
from aio.redis.cluster import RedisCluster
from aio.redis.commands.json._client import JSON
from aio.redis.commands.json._commands import Encoder, JSONCommands
from aio.redis.commands.json._replies import Decoder, decode_reply

__all__ = ("ClusterJSON", "JSONClusterPipeline")


class ClusterJSON(JSON):
    """The RedisJSON commands of a cluster client or cluster pipeline
    (``rc.json()``, ``pipe.json()``).

    :param client: a :class:`~aio.redis.RedisCluster` or a pipeline of one.

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        client: RedisCluster | ClusterPipeline,
        version: str | None = None,
        decoder: Decoder | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        # JSON needs only execute_command, get_connection_kwargs and
        # set_response_callback of its client, which cluster clients have.
        super().__init__(cast(Any, client), version, decoder, encoder)

    # A cluster pipeline where JSON's gives a standalone one.
    def pipeline(  # type: ignore[override]
        self, transaction: bool = True, shard_hint: Any = None
    ) -> JSONClusterPipeline:
        """A cluster pipeline of the client whose ``set``, ``get``, ``delete``,
        ``type``, ``mget``, ``mset``... are the JSON commands.

        As redis-py's: not a transaction whatever ``transaction`` says (the
        commands go to their keys' nodes), and ``shard_hint`` is unused.
        """
        client: Any = self.client
        owner: RedisCluster = (
            client if isinstance(client, RedisCluster) else client.cluster_client
        )
        pipe = JSONClusterPipeline(owner, transaction=False)
        pipe._encoder = self._encoder
        pipe._decoder = self._decoder
        return pipe


class JSONClusterPipeline(JSONCommands, ClusterPipeline):  # type: ignore[misc]
    """A :class:`~aio.redis.cluster.ClusterPipeline` whose commands of the same
    names are the JSON ones (``pipe.set("doc", "$", {...})`` queues JSON.SET);
    made by :meth:`ClusterJSON.pipeline`.

    .. versionadded:: 0.1
    """

    _decoder: Decoder

    def _decode(self, obj: Any) -> Any:
        """A JSON reply as the registered converters decode it."""
        return decode_reply(self._decoder, "JSON", obj)
