"""redis-py's blocking ``redis.commands.timeseries``: ``r.ts()`` on aio's engine.

``r.ts()`` (and ``pipe.ts()``) gives a :class:`TimeSeries` whose methods block
for the reply of their ``TS.*`` command (on a pipeline: queue it and return the
pipeline), with redis-py's names, arguments and results. The methods are the
core's :class:`aio.redis.commands.timeseries.TimeSeriesCommands` over the
blocking client: each command is built in the calling thread (bad input raises
there, as in redis-py) and runs through the blocking client's
``execute_command``; the reply converters are the core's, registered on the
async client the blocking one wraps. ``r.ts().pipeline()`` is a
:class:`TimeSeriesPipeline`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.timeseries import TimeSeries as _CoreTimeSeries
from aio.redis.commands.timeseries import TimeSeriesCommands as TimeSeriesCommands
from aio.redis.commands.timeseries import TSInfo as TSInfo
from sync_shims.redis.client import Pipeline as _Pipeline

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis

__all__ = (
    "Pipeline",
    "TSInfo",
    "TimeSeries",
    "TimeSeriesCommands",
    "TimeSeriesPipeline",
)


class TimeSeries(TimeSeriesCommands):
    """The RedisTimeSeries commands of a blocking client or pipeline
    (``r.ts()``): each method returns the converted reply (on a pipeline: the
    pipeline).

    :param client: a :class:`~sync_shims.redis.Redis` or one of its pipelines.

    Making one registers the reply converters on the client, as redis-py does
    (``"TS.RANGE" in r.response_callbacks``).
    """

    def __init__(self, client: Redis, **_kwargs: Any) -> None:
        # The core object registers the converters on the async client (the
        # blocking client's response_callbacks are that client's).
        self._core = _CoreTimeSeries(client._async)
        #: The client (or pipeline) the commands run on.
        self.client = client
        self.execute_command = client.execute_command
        #: The converters registered on the client (redis-py's attribute name).
        self._MODULE_CALLBACKS = self._core._MODULE_CALLBACKS

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> TimeSeriesPipeline:
        """A pipeline whose ``get``, ``delete``, ``info``... are the TS
        commands (the other core commands stay), as redis-py's
        ``r.ts().pipeline()``."""
        pipe = TimeSeriesPipeline._wrap_pipeline(
            self._core.pipeline(transaction, shard_hint)
        )
        return cast(TimeSeriesPipeline, pipe)


class TimeSeriesPipeline(TimeSeriesCommands, _Pipeline):  # type: ignore[misc]
    """A blocking pipeline with the TS commands in place of the core commands
    of the same names (``r.ts().pipeline()``)."""


#: redis-py's name of ``r.ts().pipeline()``'s class.
Pipeline = TimeSeriesPipeline
