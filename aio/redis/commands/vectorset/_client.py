"""``r.vset()``: the vector-set command object.

A :class:`VectorSet` holds a client and runs the vector-set commands through
the client's ``execute_command``. Making one registers the reply converters on
the client's ``response_callbacks`` for the protocol the client speaks (``"VSIM"
in r.response_callbacks`` afterwards), as redis-py does.

The client may be async or blocking, a cluster client or a pipeline: the
commands only call ``execute_command``, ``get_connection_kwargs`` and
``set_response_callback``. So the blocking facade's ``r.vset()`` is this class
over the blocking client, and the converters are registered on the async core
the blocking client wraps.
"""

from __future__ import annotations

from aio.redis._connection import resp_version
from aio.redis.commands.vectorset._replies import Callback, vectorset_callbacks
from aio.redis.commands.vectorset.commands import VectorSetClient, VectorSetCommands

__all__ = ("AsyncVectorSet", "VectorSet")


class VectorSet(VectorSetCommands):
    """The vector-set commands of ``client`` (redis-py's ``r.vset()``).

    Every command method returns what the client's ``execute_command`` does: an
    awaitable of the converted reply on an async client (``await
    r.vset().vcard("points")``), the pipeline itself on a pipeline
    (``pipe.vset().vadd(...)`` queues).

    :param client: a :class:`~aio.redis.Redis`, :class:`~aio.redis.RedisCluster`
        or a pipeline of one (or their blocking facades').

    .. versionadded:: 0.1
    """

    def __init__(self, client: VectorSetClient, **_kwargs: object) -> None:
        self.client = client
        self.execute_command = client.execute_command
        protocol = resp_version(client.get_connection_kwargs().get("protocol"))
        #: The converters registered on the client (redis-py's attribute name).
        self._MODULE_CALLBACKS: dict[str, Callback] = vectorset_callbacks(protocol)
        for command, callback in self._MODULE_CALLBACKS.items():
            client.set_response_callback(command, callback)


#: redis-py's name for the ``redis.asyncio`` clients' one: aio's clients are
#: async, so it is :class:`VectorSet` itself.
AsyncVectorSet = VectorSet
