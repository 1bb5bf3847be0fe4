"""redis-py's blocking ``redis.commands.timeseries``: ``r.ts()`` on aio's engine.

``r.ts()`` (and ``pipe.ts()``) gives a :class:`TimeSeries` whose methods block
for the reply of their ``TS.*`` command (on a pipeline: queue it and return the
pipeline), with redis-py's names, arguments and results. The methods are the
core's :class:`aio.redis.commands.timeseries.TimeSeriesCommands` over the
blocking client: each command is built in the calling thread (bad input raises
there, as in redis-py) and runs through the blocking client's
``execute_command``; the reply converters are the core's, registered on the
async client the blocking one wraps. ``r.ts().pipeline()`` is a
:class:`TimeSeriesPipeline`; on a :class:`~sync_shims.redis.RedisCluster`,
``rc.ts()`` is a :class:`ClusterTimeSeries` and its pipeline a
:class:`TimeSeriesClusterPipeline`.
"""

from __future__ import annotations

from aio.redis.commands.timeseries import TimeSeriesCommands as TimeSeriesCommands
from aio.redis.commands.timeseries import TSInfo as TSInfo
from sync_shims.redis.commands.timeseries._client import TimeSeries as TimeSeries
from sync_shims.redis.commands.timeseries._client import (
    TimeSeriesPipeline as TimeSeriesPipeline,
)
from sync_shims.redis.commands.timeseries._cluster import (
    ClusterTimeSeries as ClusterTimeSeries,
)
from sync_shims.redis.commands.timeseries._cluster import (
    TimeSeriesClusterPipeline as TimeSeriesClusterPipeline,
)

#: redis-py's name of ``r.ts().pipeline()``'s class.
Pipeline = TimeSeriesPipeline
#: redis-py's name of ``rc.ts().pipeline()``'s class (on a cluster).
ClusterPipeline = TimeSeriesClusterPipeline

__all__ = (
    "ClusterPipeline",
    "ClusterTimeSeries",
    "Pipeline",
    "TSInfo",
    "TimeSeries",
    "TimeSeriesClusterPipeline",
    "TimeSeriesCommands",
    "TimeSeriesPipeline",
)
