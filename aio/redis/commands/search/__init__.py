"""Search and query (RediSearch): ``r.ft(index_name)``, redis-py's
``redis.commands.search`` on aio.

``r.ft("idx")`` (and ``pipe.ft("idx")``) gives a :class:`Search` whose methods
send the ``FT.*`` commands with the words redis-py sends, and return what
redis-py's asyncio search client returns, on RESP2 and RESP3::

    from aio.redis.commands.search.field import TextField, NumericField
    from aio.redis.commands.search.index_definition import IndexDefinition
    from aio.redis.commands.search.query import Query

    idx = r.ft("books")
    await idx.create_index(
        [TextField("title"), NumericField("year", sortable=True)],
        definition=IndexDefinition(prefix=["book:"]),
    )
    result = await idx.search(Query("dune").sort_by("year").paging(0, 5))
    for doc in result.docs:
        print(doc.id, doc.title)

The builders live in the modules redis-py has: :mod:`.field`,
:mod:`.index_definition`, :mod:`.query`, :mod:`.aggregation`, :mod:`.reducers`,
:mod:`.querystring`, :mod:`.suggestion`; the results in :mod:`.result`,
:mod:`.document` and :mod:`.profile_information`. A reply that does not have
the shape its command gives raises :class:`SearchReplyError`.
"""

from __future__ import annotations

from aio.redis.commands.search._client import BatchIndexer as BatchIndexer
from aio.redis.commands.search._client import Search as Search
from aio.redis.commands.search._client import SearchPipeline as SearchPipeline
from aio.redis.commands.search._replies import SearchReplyError as SearchReplyError
from aio.redis.commands.search.commands import SearchCommands as SearchCommands

#: redis-py's name of the asyncio search client: aio's is async already.
AsyncSearch = Search
#: redis-py's names of the search pipelines.
Pipeline = SearchPipeline
AsyncPipeline = SearchPipeline

__all__ = (
    "AsyncPipeline",
    "AsyncSearch",
    "BatchIndexer",
    "Pipeline",
    "Search",
    "SearchCommands",
    "SearchPipeline",
    "SearchReplyError",
)
