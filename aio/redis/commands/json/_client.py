"""``r.json()``: the RedisJSON command object, and its pipeline.

A :class:`JSON` object holds a client (a :class:`~aio.redis.Redis` or one of its
pipelines) and runs the ``JSON.*`` commands through the client's
``execute_command``. Making one registers the reply converters of its decoder
on the client's ``response_callbacks`` (``"JSON.GET" in r.response_callbacks``
afterwards), for the protocol the client speaks, as redis-py does; the last
``json()`` made on a client decides how that client decodes JSON replies.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aio.redis._connection import resp_version
from aio.redis._core import ResponseCallbacks
from aio.redis._pipeline import PipelineCore
from aio.redis.client import Pipeline
from aio.redis.commands.json._commands import Encoder, JSONCommands
from aio.redis.commands.json._replies import Decoder, decode_reply, json_callbacks

if TYPE_CHECKING:
    from aio.redis._core import RedisCore

__all__ = ("JSON", "JSONPipeline")

_ENCODER = json.JSONEncoder()
_DECODER = json.JSONDecoder()


def _owner(client: RedisCore) -> RedisCore:
    # The client a pipeline belongs to (whose retry policy a new pipeline
    # uses); a client is its own.
    seen: object = client
    return seen.client if isinstance(seen, PipelineCore) else client


class JSON(JSONCommands):
    """The RedisJSON commands of ``client`` (redis-py's ``r.json()``).

    Every command method returns what the client's ``execute_command`` does: an
    awaitable of the converted reply on a client (``await r.json().get("doc")``),
    the pipeline itself on a pipeline (``pipe.json().set(...)`` queues).

    :param client: a :class:`~aio.redis.Redis` or a pipeline of one.
    :param version: redis-py's ``MODULE_VERSION`` (kept, unused).
    :param decoder: parses JSON replies (``json.JSONDecoder()`` by default).
    :param encoder: makes JSON arguments (``json.JSONEncoder()`` by default).

    .. versionadded:: 0.1
    """

    def __init__(
        self,
        client: RedisCore,
        version: str | None = None,
        decoder: Decoder | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        self.client = client
        self.execute_command = client.execute_command
        self.MODULE_VERSION = version
        self._encoder = _ENCODER if encoder is None else encoder
        self._decoder: Decoder = _DECODER if decoder is None else decoder
        protocol = resp_version(client.get_connection_kwargs().get("protocol"))
        #: The converters registered on the client (redis-py's attribute name).
        self._MODULE_CALLBACKS = json_callbacks(self._decoder, protocol)
        for command, callback in self._MODULE_CALLBACKS.items():
            client.set_response_callback(command, callback)

    def _decode(self, obj: Any) -> Any:
        """A JSON reply as the registered converters decode it."""
        return decode_reply(self._decoder, "JSON", obj)

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> JSONPipeline:
        """A pipeline of the client whose ``set``, ``get``, ``delete``, ``type``,
        ``mget``, ``mset``... are the JSON commands (the other core commands
        stay), as redis-py's ``r.json().pipeline()``.

        Unlike redis-py's ``redis.asyncio`` (whose JSON pipeline is a blocking
        one), this is an async pipeline: ``await pipe.execute()``.
        """
        client = self.client
        pipe = object.__new__(JSONPipeline)
        PipelineCore.__init__(pipe, _owner(client), transaction, shard_hint)
        # A snapshot, as redis-py's: a later json(decoder=...) on the client does
        # not change how this pipeline decodes.
        pipe.response_callbacks = ResponseCallbacks(client.response_callbacks)
        pipe._encoder = self._encoder
        pipe._decoder = self._decoder
        return pipe


class JSONPipeline(JSONCommands, Pipeline):  # type: ignore[misc]
    """A :class:`~aio.redis.Pipeline` whose commands of the same names are the
    JSON ones (``pipe.set("doc", "$", {...})`` queues JSON.SET); made by
    :meth:`JSON.pipeline`.

    .. versionadded:: 0.1
    """

    _decoder: Decoder

    def _decode(self, obj: Any) -> Any:
        """A JSON reply as the registered converters decode it."""
        return decode_reply(self._decoder, "JSON", obj)
