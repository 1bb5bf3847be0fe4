"""``client.ft(index_name)`` of a multi-database client: the search commands
of one index, each run on the active database (with the client's failover and
retries), as redis-py's ``MultiDBClient.ft()``.

A :class:`~aio.redis.commands.search.Search` reads the protocol its replies are
converted from in the client's connection keyword arguments; a multi-database
client has none of its own, so here it is the protocol of the database that
answers: the active one, or before the first command the heaviest one (which
initialization makes active when healthy).

Like the other module accessors (:func:`~aio.redis.commands.modules.refuse_unified_modules`),
``ft()`` is refused when a database's client asks for redis-py 8's unified
reply shapes (``legacy_responses=False``): the search replies are converted to
the legacy shapes only. Every database is checked, not only the active one,
since a failover may make any of them answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from aio.redis._connection import resp_version
from aio.redis.commands.modules import refuse_unified_modules
from aio.redis.commands.search import Search
from aio.redis.exceptions import DataError

if TYPE_CHECKING:
    from aio.redis.multidb.client import MultiDBClient

__all__ = ("NO_PIPELINE", "ActiveDatabaseSearch")

#: Why a search pipeline or batch indexer is refused.
NO_PIPELINE = (
    "search pipelines and batch indexers are not available on a multi-database"
    " client: queue the commands on client.pipeline()"
)


class ActiveDatabaseSearch(Search):
    """The search commands of ``index_name`` on a
    :class:`~aio.redis.multidb.client.MultiDBClient`; replies are converted as
    on a :class:`~aio.redis.Redis`.

    .. versionadded:: 0.1
    """

    def __init__(self, client: MultiDBClient, index_name: str = "idx") -> None:
        # Not Search.__init__: it would read connection kwargs the client lacks.
        for database, _weight in client.get_databases():
            refuse_unified_modules(database.client)
        self.client = client
        self.index_name = index_name
        self.execute_command = client.execute_command

    # Read-only where Search has an attribute: nothing here sets it.
    @property
    def _protocol(self) -> int:  # type: ignore[override]
        client: MultiDBClient = self.client
        database = client.command_executor.active_database
        if database is None:
            database = client.get_databases().get_top_n(1)[0][0]
        kwargs = database.client.get_connection_kwargs()
        return resp_version(kwargs.get("protocol"))

    def _run_all(self, commands: list[list[Any]]) -> Any:
        # One command after the other (each with failover), the last reply
        # returned: the multi-database pipeline would wrap them in MULTI.
        async def run() -> Any:
            reply: Any = None
            for args in commands:
                reply = await self.client.execute_command(*args)
            return reply

        return run()

    def pipeline(self, transaction: bool = True, shard_hint: Any = None) -> NoReturn:
        """Refused: a search pipeline needs one client's connection pool.

        :raises DataError: always.
        """
        raise DataError(NO_PIPELINE)

    def batch_indexer(self, chunk_size: int = 100) -> NoReturn:
        """Refused (see :meth:`pipeline`).

        :raises DataError: always.
        """
        raise DataError(NO_PIPELINE)
