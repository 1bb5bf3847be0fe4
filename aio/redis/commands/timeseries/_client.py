"""``r.ts()``: the RedisTimeSeries command object, and its pipeline.

A :class:`TimeSeries` holds a client (a :class:`~aio.redis.Redis` or one of its
pipelines) and runs the ``TS.*`` commands through the client's
``execute_command``. Making one registers the reply converters on the client's
``response_callbacks`` (``"TS.RANGE" in r.response_callbacks`` afterwards), as
redis-py does; the converters are the same for RESP2 and RESP3 (see
:mod:`._replies`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aio.redis._pipeline import PipelineCore
from aio.redis.client import Pipeline
from aio.redis.commands.timeseries._commands import TimeSeriesCommands
from aio.redis.commands.timeseries._replies import timeseries_callbacks

if TYPE_CHECKING:
    from aio.redis._core import RedisCore

__all__ = ("TimeSeries", "TimeSeriesPipeline")


def _owner(client: RedisCore) -> RedisCore:
    # The client a pipeline belongs to (the one a new pipeline is made on); a
    # client is its own.
    seen: object = client
    return seen.client if isinstance(seen, PipelineCore) else client


class TimeSeries(TimeSeriesCommands):
    """The RedisTimeSeries commands of ``client`` (redis-py's ``r.ts()``, its
    ``AsyncTimeSeries`` on ``redis.asyncio``).

    Every command method returns what the client's ``execute_command`` does: an
    awaitable of the converted reply on a client (``await r.ts().get("t")``),
    the pipeline itself on a pipeline (``pipe.ts().add(...)`` queues).

    :param client: a :class:`~aio.redis.Redis` or a pipeline of one.

    .. versionadded:: 0.1
    """

    def __init__(self, client: RedisCore, **_kwargs: Any) -> None:
        self.client = client
        self.execute_command = client.execute_command
        #: The converters registered on the client (redis-py's attribute name).
        self._MODULE_CALLBACKS = timeseries_callbacks()
        for command, callback in self._MODULE_CALLBACKS.items():
            client.set_response_callback(command, callback)

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> TimeSeriesPipeline:
        """A pipeline of the client whose ``get``, ``delete``, ``info``... are
        the TS commands (the other core commands stay), as redis-py's
        ``r.ts().pipeline()``.

        Unlike redis-py's ``redis.asyncio`` (whose TS pipeline is a blocking
        one), this is an async pipeline: ``await pipe.execute()``.
        """
        pipe = object.__new__(TimeSeriesPipeline)
        PipelineCore.__init__(pipe, _owner(self.client), transaction, shard_hint)
        return pipe


class TimeSeriesPipeline(TimeSeriesCommands, Pipeline):  # type: ignore[misc]
    """A :class:`~aio.redis.Pipeline` whose commands of the same names are the
    TS ones (``pipe.get("t")`` queues TS.GET); made by
    :meth:`TimeSeries.pipeline`.

    .. versionadded:: 0.1
    """
