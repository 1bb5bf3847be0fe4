"""RedisTimeSeries commands: ``r.ts()``, redis-py's ``redis.commands.timeseries``
on aio.

``r.ts()`` (and ``pipe.ts()``) gives a :class:`TimeSeries` object whose methods
send the ``TS.*`` commands of RedisTimeSeries (built into Redis 8, a module
before) with the words redis-py sends, and convert the replies to the Python
values redis-py returns, on RESP2 and RESP3::

    ts = r.ts()
    await ts.create("temp:1", retention_msecs=86_400_000, labels={"room": "a"})
    await ts.add("temp:1", 1_700_000_000_000, 21.5)
    await ts.range("temp:1", "-", "+")  # [(1700000000000, 21.5)]
    await ts.mget(["room=a"])  # [{'temp:1': [{}, 1700000000000, 21.5]}]

On a :class:`~aio.redis.RedisCluster`, ``rc.ts()`` is a :class:`ClusterTimeSeries`
(keyed commands go to their keys' node). ``TS.INFO``'s reply is a :class:`~aio.redis.commands.timeseries.info.TSInfo`.
"""

from __future__ import annotations

from aio.redis.commands.timeseries._client import TimeSeries as TimeSeries
from aio.redis.commands.timeseries._client import (
    TimeSeriesPipeline as TimeSeriesPipeline,
)
from aio.redis.commands.timeseries._cluster import (
    ClusterTimeSeries as ClusterTimeSeries,
)
from aio.redis.commands.timeseries._cluster import (
    TimeSeriesClusterPipeline as TimeSeriesClusterPipeline,
)
from aio.redis.commands.timeseries._commands import (
    TimeSeriesCommands as TimeSeriesCommands,
)
from aio.redis.commands.timeseries.info import TSInfo as TSInfo

#: redis-py's name of the ``redis.asyncio`` object (aio's is async anyway).
AsyncTimeSeries = TimeSeries
#: redis-py's name of ``r.ts().pipeline()``'s class.
Pipeline = TimeSeriesPipeline
#: redis-py's name of ``rc.ts().pipeline()``'s class (on a cluster).
ClusterPipeline = TimeSeriesClusterPipeline

__all__ = (
    "AsyncTimeSeries",
    "ClusterPipeline",
    "ClusterTimeSeries",
    "Pipeline",
    "TSInfo",
    "TimeSeries",
    "TimeSeriesClusterPipeline",
    "TimeSeriesCommands",
    "TimeSeriesPipeline",
)
