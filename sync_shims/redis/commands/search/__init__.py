"""redis-py's blocking ``redis.commands.search``: ``r.ft()`` on aio's engine.

``r.ft("idx")`` (and ``pipe.ft("idx")``) gives a :class:`Search` whose methods
block for the reply of their ``FT.*`` command (on a pipeline: queue it and
return the pipeline), with redis-py's names, arguments and results; behaviour
and reply conversion are :mod:`aio.redis.commands.search`'s. Commands are built
in the calling thread, so bad arguments raise there, as in redis-py.
``r.ft().pipeline()`` is a :class:`Pipeline`. The builders are imported from
the modules of the same names here (``sync_shims.redis.commands.search.query``)
as from redis-py's.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

from aio.redis.commands.search import Search as AsyncSearchCore
from aio.redis.commands.search import SearchPipeline as AsyncSearchPipeline
from aio.redis.commands.search import SearchReplyError
from sync_shims._generated_redis_search import SearchCommandsTwin
from sync_shims._portal import call
from sync_shims.redis._client_mixin import _await
from sync_shims.redis.client import Pipeline as BlockingPipeline

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis
    from sync_shims.redis.cluster import ClusterPipeline, RedisCluster

__all__ = ("BatchIndexer", "Pipeline", "Search", "SearchReplyError")


def _core(client: Any, index_name: str) -> AsyncSearchCore:
    # A cluster client routes the search commands its own way (see
    # aio.redis.commands.search._cluster); any other client, or a pipeline,
    # takes the plain search object.
    from aio.redis.cluster import RedisCluster as AsyncRedisCluster

    if isinstance(client, AsyncRedisCluster):
        from aio.redis.commands.search._cluster import ClusterSearch

        return ClusterSearch(client, index_name)
    return AsyncSearchCore(client, index_name)


class _Dispatch:
    """Runs a command method of the core object: built here, in the calling
    thread (errors and warnings raise here), awaited on the loop, or queued
    by a pipeline, which then comes back as the blocking one."""

    # ``result``, or the blocking object for the core pipeline it is.
    _pipeline_or: Callable[[Any], Any]

    def _execute(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Any:
        result = self._pipeline_or(fn(*args, **kwargs))
        if inspect.isawaitable(result):
            return call(_await, result)
        return result


class BatchIndexer:
    """Adds documents through a pipeline, sending every ``chunk_size``
    (redis-py's ``Search.BatchIndexer``; FT.ADD is deprecated).

    :param client: the :class:`Search` whose index the documents go to.
    :param chunk_size: documents per round trip.
    """

    def __init__(self, client: Search, chunk_size: int = 1000) -> None:
        self.client = client
        owner: Any = client.client
        self._pipeline = owner.pipeline(transaction=False)
        self.total = 0
        self.chunk_size = chunk_size
        self.current_chunk = 0

    def _counted(self) -> None:
        self.current_chunk += 1
        self.total += 1
        if self.current_chunk >= self.chunk_size:
            self.commit()

    def add_document(self, doc_id: Any, **options: Any) -> None:
        """Queue an FT.ADD of the document (``add_document``'s options and
        fields); send the batch when it is full."""
        self.client._async._add_document(doc_id, conn=self._pipeline, **options)
        self._counted()

    def add_document_hash(
        self, doc_id: Any, score: float = 1.0, replace: bool = False
    ) -> None:
        """Queue an FT.ADDHASH of the hash; send the batch when it is full."""
        self.client._async._add_document_hash(
            doc_id, conn=self._pipeline, score=score, replace=replace
        )
        self._counted()

    def commit(self) -> None:
        """Send what is queued."""
        self._pipeline.execute()
        self.current_chunk = 0


# The class attribute Search.BatchIndexer hides the module's name in its body.
_Indexer = BatchIndexer


class Search(_Dispatch, SearchCommandsTwin):
    """The search commands of one index on a blocking client or pipeline
    (``r.ft(index_name)``).

    :param client: a :class:`~sync_shims.redis.Redis`, a
        :class:`~sync_shims.redis.RedisCluster`, or a pipeline of either.
    :param index_name: the index (``"idx"`` by default).
    """

    _async: AsyncSearchCore
    BatchIndexer = BatchIndexer

    def __init__(
        self, client: Redis | RedisCluster | ClusterPipeline, index_name: str = "idx"
    ) -> None:
        super().__init__(_core(client._async, index_name))
        #: The client (or pipeline) the commands run on.
        self.client = client

    @property
    def index_name(self) -> str:
        """The index the commands are for."""
        return self._async.index_name

    @property
    def execute_command(self) -> Callable[..., Any]:
        """The client's ``execute_command`` (the commands' way out)."""
        return self.client.execute_command

    def _pipeline_or(self, result: Any) -> Any:
        return self.client if result is self.client._async else result

    def batch_indexer(self, chunk_size: int = 100) -> _Indexer:
        """A :class:`BatchIndexer` of this index."""
        return _Indexer(self, chunk_size=chunk_size)

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> Pipeline:
        """A pipeline with the search commands of this index (the core commands
        stay); its replies are redis-py's search pipeline ones."""
        pipe = Pipeline._wrap_pipeline(self._async.pipeline(transaction, shard_hint))
        return cast(Pipeline, pipe)


class Pipeline(_Dispatch, SearchCommandsTwin, BlockingPipeline):  # type: ignore[misc]
    """A blocking pipeline with the search commands of one index
    (``r.ft().pipeline()``)."""

    _async: AsyncSearchPipeline

    @property
    def index_name(self) -> str:
        """The index the commands are for."""
        return self._async.index_name

    def _pipeline_or(self, result: Any) -> Any:
        return self if result is self._async else result
