"""redis-py's blocking ``redis.commands.vectorset``: ``r.vset()`` on aio's engine.

``r.vset()`` (and ``pipe.vset()``) gives a :class:`VectorSet` whose methods
block for the reply of their vector-set command (on a pipeline: queue it and
return the pipeline), with redis-py's names, arguments and results. It is the
core's :class:`aio.redis.commands.vectorset.VectorSet` over the blocking client:
the commands are built in the calling thread (bad input raises there, as in
redis-py) and run through the blocking client's ``execute_command``; the reply
converters are the core's, registered on the async client it wraps.
"""

from __future__ import annotations

from aio.redis.commands.vectorset import CallbacksOptions as CallbacksOptions
from aio.redis.commands.vectorset import QuantizationOptions as QuantizationOptions
from aio.redis.commands.vectorset import VectorSet as _CoreVectorSet
from aio.redis.commands.vectorset import (
    VectorSetAttributesError as VectorSetAttributesError,
)
from aio.redis.commands.vectorset import VectorSetCommands as VectorSetCommands
from aio.redis.commands.vectorset import VectorSetReplyError as VectorSetReplyError

__all__ = (
    "CallbacksOptions",
    "QuantizationOptions",
    "VectorSet",
    "VectorSetAttributesError",
    "VectorSetCommands",
    "VectorSetReplyError",
)


class VectorSet(_CoreVectorSet):
    """The vector-set commands of a blocking client or pipeline (``r.vset()``):
    each method returns the converted reply (on a pipeline: the pipeline).

    :param client: a :class:`~sync_shims.redis.Redis`,
        :class:`~sync_shims.redis.RedisCluster`, or a pipeline of one.
    """
