"""``client.ft(index_name)`` of the blocking multi-database client: the search
commands of one index, each run on the active database, blocking (the core is
:class:`aio.redis.multidb._search.ActiveDatabaseSearch`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn, cast

from aio.redis.exceptions import DataError
from aio.redis.multidb._search import NO_PIPELINE
from sync_shims._generated_redis_search import SearchCommandsTwin
from sync_shims.redis.commands.search import Search

if TYPE_CHECKING:
    from sync_shims.redis.multidb.client import MultiDBClient

__all__ = ("ActiveDatabaseSearch",)


class ActiveDatabaseSearch(Search):
    """The search commands of ``index_name`` on a blocking
    :class:`~sync_shims.redis.multidb.client.MultiDBClient`.

    .. versionadded:: 0.1
    """

    def __init__(self, client: MultiDBClient, index_name: str = "idx") -> None:
        # Not Search.__init__, which makes the core for one Redis client: the
        # core here is the multi-database client's own ft().
        SearchCommandsTwin.__init__(self, client._core.ft(index_name))
        #: The client the commands run on.
        self.client = cast(Any, client)

    def batch_indexer(self, chunk_size: int = 100) -> NoReturn:
        """Refused, as the core's: a batch indexer needs one client's pipeline.

        :raises DataError: always.
        """
        raise DataError(NO_PIPELINE)
