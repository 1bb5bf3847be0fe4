"""``r.ft(index_name)``: the search commands of one index, and its pipeline.

A :class:`Search` holds a client (a :class:`~aio.redis.Redis`, or a pipeline of
one for ``pipe.ft()``) and the index name. On a client every method returns an
awaitable of the converted reply, converted here rather than by a response
callback (the conversion needs the query: its ``WITHSCORES``, ``NOCONTENT``...),
so nothing is registered on the client, as in redis-py. On ``pipe.ft()`` the
commands are queued and their replies come back unconverted.

:meth:`Search.pipeline` gives a :class:`SearchPipeline`: a pipeline with the
search commands, whose replies are redis-py's search pipeline ones (the raw
RESP2 replies; on RESP3 ``FT.SEARCH``'s map is turned into RESP2's array).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from aio.redis._connection import resp_version
from aio.redis._core import ResponseCallbacks
from aio.redis._pipeline import PipelineCore
from aio.redis.client import Pipeline
from aio.redis.commands.search._replies import pipeline_callbacks
from aio.redis.commands.search.commands import SearchCommands

if TYPE_CHECKING:
    from aio.redis._cluster_pipeline import ClusterPipeline
    from aio.redis._core import RedisCore

__all__ = ("BatchIndexer", "Search", "SearchPipeline")


def _protocol_of(client: Any) -> int:
    return resp_version(client.get_connection_kwargs().get("protocol"))


def _owner(client: RedisCore) -> RedisCore:
    # The client a pipeline belongs to; a client is its own.
    seen: object = client
    return seen.client if isinstance(seen, PipelineCore) else client


async def _finished(sent: Any, finish: Callable[[Any], Any]) -> Any:
    return finish(await sent)


async def _last_reply(pipe: Any) -> Any:
    replies = await pipe.execute()
    return replies[-1]


class BatchIndexer:
    """Adds documents through a pipeline, sending every ``chunk_size``
    (redis-py's ``Search.BatchIndexer``; FT.ADD is deprecated since RediSearch
    2, which indexes hashes as they are written).

    :param client: the :class:`Search` whose index the documents go to.
    :param chunk_size: documents per round trip.
    """

    def __init__(self, client: Search, chunk_size: int = 1000) -> None:
        self.client = client
        self.execute_command = client.execute_command
        self._pipeline = client.client.pipeline(transaction=False, shard_hint=None)
        self.total = 0
        self.chunk_size = chunk_size
        self.current_chunk = 0

    async def _counted(self) -> None:
        self.current_chunk += 1
        self.total += 1
        if self.current_chunk >= self.chunk_size:
            await self.commit()

    async def add_document(
        self,
        doc_id: Any,
        nosave: bool = False,
        score: float = 1.0,
        payload: Any = None,
        replace: bool = False,
        partial: bool = False,
        no_create: bool = False,
        **fields: Any,
    ) -> None:
        """Queue an FT.ADD of the document; send the batch when it is full."""
        self.client._add_document(
            doc_id,
            conn=self._pipeline,
            nosave=nosave,
            score=score,
            payload=payload,
            replace=replace,
            partial=partial,
            no_create=no_create,
            **fields,
        )
        await self._counted()

    async def add_document_hash(
        self, doc_id: Any, score: float = 1.0, replace: bool = False
    ) -> None:
        """Queue an FT.ADDHASH of the hash; send the batch when it is full."""
        self.client._add_document_hash(
            doc_id, conn=self._pipeline, score=score, replace=replace
        )
        await self._counted()

    async def commit(self) -> None:
        """Send what is queued."""
        await self._pipeline.execute()
        self.current_chunk = 0


# The class attribute Search.BatchIndexer hides the module's name in its body.
_Indexer = BatchIndexer


class Search(SearchCommands):
    """The search commands of the index ``index_name`` (redis-py's ``r.ft()``).

    :param client: a :class:`~aio.redis.Redis`, or a pipeline of one.
    :param index_name: the index (``"idx"`` by default).

    .. versionadded:: 0.1
    """

    BatchIndexer = BatchIndexer

    def __init__(
        self,
        client: RedisCore | PipelineCore | ClusterPipeline,
        index_name: str = "idx",
    ) -> None:
        self.client = client
        self.index_name = index_name
        self.execute_command = client.execute_command
        self._protocol = _protocol_of(client)

    def _then(self, sent: Any, finish: Callable[[Any], Any]) -> Any:
        if sent is self.client:
            return sent  # pipe.ft(): queued, the reply comes back as it is
        return _finished(sent, finish)

    def _run_all(self, commands: list[list[Any]]) -> Any:
        # Without MULTI: the module's commands may not run in a transaction.
        pipe = self.client.pipeline(transaction=False)
        for args in commands:
            pipe.execute_command(*args)
        return _last_reply(pipe)

    def batch_indexer(self, chunk_size: int = 100) -> _Indexer:
        """A :class:`BatchIndexer` of this index."""
        return _Indexer(self, chunk_size=chunk_size)

    def pipeline(
        self, transaction: bool = True, shard_hint: Any = None
    ) -> SearchPipeline:
        """A pipeline of the client with the search commands of this index
        (the core commands stay): ``pipe.search(q)`` queues, and
        ``await pipe.execute()`` gives redis-py's search pipeline replies."""
        client = self.client
        pipe = object.__new__(SearchPipeline)
        PipelineCore.__init__(pipe, _owner(client), transaction, shard_hint)
        # A copy: the search converters must not reach the client's own table.
        pipe.response_callbacks = ResponseCallbacks(client.response_callbacks)
        protocol = _protocol_of(client)
        for command, callback in pipeline_callbacks(protocol).items():
            pipe.response_callbacks[command] = callback
        pipe.index_name = self.index_name
        pipe._protocol = protocol
        return pipe


class SearchPipeline(SearchCommands, Pipeline):  # type: ignore[misc]
    """A :class:`~aio.redis.Pipeline` with the search commands of one index
    (made by :meth:`Search.pipeline`): every search method queues and returns
    the pipeline.

    .. versionadded:: 0.1
    """

    def _then(self, sent: Any, finish: Callable[[Any], Any]) -> Any:
        return sent

    def _pipeline_options(self, **options: Any) -> dict[str, Any]:
        # For the pipeline's converters, which read the query's options.
        return options

    def _run_all(self, commands: list[list[Any]]) -> Any:
        for args in commands:
            self.execute_command(*args)
        return self

    def load_document(
        self, id: Any, field_encodings: dict[str, str | None] | None = None
    ) -> Any:
        """Queue HGETALL of ``id`` (its reply: the hash as a dict; a
        :class:`~aio.redis.commands.search.document.Document` is made only by
        ``r.ft().load_document``)."""
        return self.hgetall(id)
