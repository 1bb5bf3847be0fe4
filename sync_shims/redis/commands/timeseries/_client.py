"""The blocking ``r.ts()`` object and ``r.ts().pipeline()``'s class."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.timeseries import TimeSeries as _CoreTimeSeries
from aio.redis.commands.timeseries import TimeSeriesCommands
from sync_shims.redis.client import Pipeline as _Pipeline

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis

__all__ = ("TimeSeries", "TimeSeriesPipeline")


class TimeSeries(TimeSeriesCommands):
    """The RedisTimeSeries commands of a blocking client or pipeline
    (``r.ts()``): each method returns the converted reply (on a pipeline: the
    pipeline).

    :param client: a :class:`~sync_shims.redis.Redis` or one of its pipelines.

    Making one registers the reply converters on the client, as redis-py does
    (``"TS.RANGE" in r.response_callbacks``).
    """

    _core: _CoreTimeSeries
    #: The core object the converters and pipelines come from.
    _core_class: type[_CoreTimeSeries] = _CoreTimeSeries

    def __init__(self, client: Redis | Any, **_kwargs: Any) -> None:
        # The core object registers the converters on the async client (the
        # blocking client's response_callbacks are that client's).
        self._core = self._core_class(client._async)
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
