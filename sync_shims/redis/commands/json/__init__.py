"""redis-py's blocking ``redis.commands.json``: ``r.json()`` on aio's engine.

``r.json()`` (and ``pipe.json()``) gives a :class:`JSON` object whose methods
block for the reply of their ``JSON.*`` command (on a pipeline: queue it and
return the pipeline), with redis-py's names, arguments and results; behaviour
and reply conversion are :mod:`aio.redis.commands.json`'s. The command is built
in the calling thread, so an object the encoder refuses raises ``TypeError``
there, as in redis-py. ``r.json().pipeline()`` is a :class:`JSONPipeline`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.json import JSON as AsyncJSON
from aio.redis.commands.json import (
    Decoder,
    Encoder,
    FPHAType,
    JSONCommands,
    JSONReplyError,
)
from aio.redis.commands.json import JSONPipeline as AsyncJSONPipeline
from aio.redis.commands.json._commands import PathT
from sync_shims._generated_redis_json import JSONCommandsTwin
from sync_shims._portal import call
from sync_shims.redis._client_mixin import _await
from sync_shims.redis.client import Pipeline
from sync_shims.redis.commands.json.path import Path

if TYPE_CHECKING:
    from aio.redis._types import KeyT
    from sync_shims.redis.client import Redis

__all__ = ("JSON", "FPHAType", "JSONPipeline", "JSONReplyError", "Path")


class _FileCommands:
    """``set_file`` and ``set_path``: the core's (files read in a worker
    thread, then each is one ``set``), blocking; on a pipeline ``set_file``
    queues and returns this pipeline."""

    _async: JSONCommands

    def _pipeline_or(self, result: Any) -> Any:
        """``result``, or the facade object for the core pipeline it is."""
        raise NotImplementedError

    def _execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        # Built here, in the calling thread (errors and warnings raise here);
        # run on the loop, or queued by a pipeline, which then comes back.
        result = self._pipeline_or(fn(*args, **kwargs))
        if inspect.isawaitable(result):
            return call(_await, result)
        return result

    def set_file(
        self,
        name: KeyT,
        path: PathT,
        file_name: str,
        nx: bool | None = False,
        xx: bool | None = False,
        decode_keys: bool | None = False,
        fpha: FPHAType | str | None = None,
    ) -> Any:
        """:meth:`set` the value at ``path`` to the JSON document in the file
        ``file_name``.

        :raises json.JSONDecodeError: the file is not JSON (nothing is sent).
        """
        return self._pipeline_or(
            call(
                self._async.set_file,
                name,
                path,
                file_name,
                nx=nx,
                xx=xx,
                decode_keys=decode_keys,
                fpha=fpha,
            )
        )

    def set_path(
        self,
        json_path: PathT,
        root_folder: str,
        nx: bool | None = False,
        xx: bool | None = False,
        decode_keys: bool | None = False,
        fpha: FPHAType | str | None = None,
    ) -> dict[str, bool]:
        """:meth:`set_file` every file under ``root_folder``, each to the key
        named by its path without the extension (redis-py cuts at the path's
        first dot).

        :returns: file path -> True, or False for a file that is not JSON.
        """
        return call(
            self._async.set_path,
            json_path,
            root_folder,
            nx=nx,
            xx=xx,
            decode_keys=decode_keys,
            fpha=fpha,
        )


class JSON(_FileCommands, JSONCommandsTwin):
    """The RedisJSON commands of a blocking client or pipeline (``r.json()``).

    :param client: a :class:`~sync_shims.redis.Redis` or one of its pipelines.
    :param version: redis-py's ``MODULE_VERSION`` (kept, unused).
    :param decoder: parses JSON replies (``json.JSONDecoder()`` by default).
    :param encoder: makes JSON arguments (``json.JSONEncoder()`` by default).

    Making one registers its reply converters on the client, as redis-py does
    (``"JSON.GET" in r.response_callbacks``).
    """

    _async: AsyncJSON

    def __init__(
        self,
        client: Redis,
        version: str | None = None,
        decoder: Decoder | None = None,
        encoder: Encoder | None = None,
    ) -> None:
        super().__init__(AsyncJSON(client._async, version, decoder, encoder))
        #: The client (or pipeline) the commands run on.
        self.client = client
        self.MODULE_VERSION = version

    @property
    def execute_command(self) -> Callable[..., Any]:
        """The client's ``execute_command`` (the commands' way out)."""
        return self.client.execute_command

    def _pipeline_or(self, result: Any) -> Any:
        return self.client if result is self.client._async else result

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> JSONPipeline:
        """A pipeline whose ``set``, ``get``, ``delete``, ``type``, ``mget``,
        ``mset``... are the JSON commands (the other core commands stay)."""
        pipe = JSONPipeline._wrap_pipeline(
            self._async.pipeline(transaction, shard_hint)
        )
        return cast(JSONPipeline, pipe)


class JSONPipeline(_FileCommands, JSONCommandsTwin, Pipeline):  # type: ignore[misc]
    """A blocking pipeline with the JSON commands in place of the core
    commands of the same names (``r.json().pipeline()``)."""

    _async: AsyncJSONPipeline

    def _pipeline_or(self, result: Any) -> Any:
        return self if result is self._async else result
