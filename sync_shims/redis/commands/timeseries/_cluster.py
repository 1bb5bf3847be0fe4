"""The blocking ``rc.ts()`` of :class:`~sync_shims.redis.RedisCluster` (and of
its pipelines), as redis-py's blocking cluster: the TS commands, each keyed one
sent to its keys' node, and :meth:`ClusterTimeSeries.pipeline`, a blocking
cluster pipeline whose ``get``, ``delete``, ``info``... are the TS commands.
Behaviour and routing are the core's :mod:`aio.redis.commands.timeseries`.
"""

from __future__ import annotations

from typing import Any

from aio.redis.commands.timeseries import ClusterTimeSeries as _CoreClusterTimeSeries
from aio.redis.commands.timeseries import (
    TimeSeriesClusterPipeline as _CoreClusterPipeline,
)
from aio.redis.commands.timeseries import TimeSeriesCommands
from sync_shims.redis.cluster import ClusterPipeline as _ClusterPipeline
from sync_shims.redis.commands.timeseries._client import TimeSeries

__all__ = ("ClusterTimeSeries", "TimeSeriesClusterPipeline")


class ClusterTimeSeries(TimeSeries):
    """The RedisTimeSeries commands of a blocking cluster client or cluster
    pipeline (``rc.ts()``, ``pipe.ts()``).

    :param client: a :class:`~sync_shims.redis.RedisCluster` or one of its
        pipelines.
    """

    _core: _CoreClusterTimeSeries
    _core_class = _CoreClusterTimeSeries

    def pipeline(  # type: ignore[override]
        self, transaction: bool = True, shard_hint: Any = None
    ) -> TimeSeriesClusterPipeline:
        """A blocking cluster pipeline whose ``get``, ``delete``, ``info``...
        are the TS commands; not a transaction, as redis-py's."""
        return TimeSeriesClusterPipeline._wrap(
            self._core.pipeline(transaction, shard_hint)
        )


class TimeSeriesClusterPipeline(TimeSeriesCommands, _ClusterPipeline):  # type: ignore[misc]
    """A blocking cluster pipeline with the TS commands in place of the core
    commands of the same names (``rc.ts().pipeline()``)."""

    _async: _CoreClusterPipeline
