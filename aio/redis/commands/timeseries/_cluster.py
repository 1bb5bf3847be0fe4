"""``rc.ts()`` on a :class:`~aio.redis.RedisCluster` (or a cluster pipeline).

The commands are :class:`~aio.redis.commands.timeseries.TimeSeries`'s: each goes
through the cluster's ``execute_command``, which sends a keyed command to the
node of its keys (they name them, so no node is asked) and a keyless one
(``TS.MGET``, ``TS.MRANGE``, ``TS.QUERYINDEX``...: they select series by label)
to the cluster's default node, as every keyless command. What differs is
:meth:`ClusterTimeSeries.pipeline`: a cluster pipeline whose ``get``,
``delete``, ``info``... are the TS commands, as redis-py's blocking cluster
gives.
"""

from __future__ import annotations

from typing import Any, cast

from aio.redis._cluster_pipeline import ClusterPipeline
from aio.redis.cluster import RedisCluster
from aio.redis.commands.timeseries._client import TimeSeries
from aio.redis.commands.timeseries._commands import TimeSeriesCommands

__all__ = ("ClusterTimeSeries", "TimeSeriesClusterPipeline")


class ClusterTimeSeries(TimeSeries):
    """The RedisTimeSeries commands of a cluster client or cluster pipeline
    (``rc.ts()``, ``pipe.ts()``).

    :param client: a :class:`~aio.redis.RedisCluster` or a pipeline of one.

    .. versionadded:: 0.1
    """

    def __init__(self, client: RedisCluster | ClusterPipeline, **kwargs: Any) -> None:
        # TimeSeries needs only execute_command and set_response_callback of its
        # client, which cluster clients and their pipelines have.
        super().__init__(cast(Any, client), **kwargs)

    # A cluster pipeline where TimeSeries gives a standalone one.
    def pipeline(  # type: ignore[override]
        self, transaction: bool = True, shard_hint: Any = None
    ) -> TimeSeriesClusterPipeline:
        """A cluster pipeline of the client whose ``get``, ``delete``,
        ``info``... are the TS commands.

        As redis-py's: not a transaction whatever ``transaction`` says (the
        commands go to their keys' nodes), and ``shard_hint`` is unused.
        """
        client: Any = self.client
        owner: RedisCluster = (
            client if isinstance(client, RedisCluster) else client.cluster_client
        )
        return TimeSeriesClusterPipeline(owner, transaction=False)


class TimeSeriesClusterPipeline(TimeSeriesCommands, ClusterPipeline):  # type: ignore[misc]
    """A :class:`~aio.redis.cluster.ClusterPipeline` whose commands of the same
    names are the TS ones (``pipe.get("t")`` queues TS.GET); made by
    :meth:`ClusterTimeSeries.pipeline`.

    .. versionadded:: 0.1
    """
