"""The search commands: redis-py's ``SearchCommands``, with its names,
arguments and words.

Each method builds its command and hands it to ``execute_command``. What comes
back depends on the object the commands are mixed into (see :meth:`_then`): on
``r.ft()`` an awaitable of the converted reply (a :class:`Result` for
``search``, an :class:`AggregateResult` for ``aggregate``...), on a search
pipeline the pipeline, the command queued. Validation (a query of the wrong
type, ``profile`` of something else) raises when the method is called, before
anything is sent.
"""

from __future__ import annotations

import itertools
import time
import warnings
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from aio.redis._connection import NEVER_DECODE
from aio.redis._types import KeyT, ResponseT
from aio.redis.commands._base import CommandsBase
from aio.redis.commands._convert import as_list
from aio.redis.commands.search._replies import convert
from aio.redis.commands.search._text import field_value, str_if_bytes
from aio.redis.commands.search.aggregation import AggregateRequest, Cursor
from aio.redis.commands.search.document import Document
from aio.redis.commands.search.field import Field
from aio.redis.commands.search.hybrid_query import (
    CombineResultsMethod,
    HybridCursorQuery,
    HybridPostProcessingConfig,
    HybridQuery,
)
from aio.redis.commands.search.index_definition import IndexDefinition
from aio.redis.commands.search.query import Query
from aio.redis.commands.search.suggestion import Suggestion, SuggestionParser

__all__ = (
    "AGGREGATE_CMD",
    "ALIAS_ADD_CMD",
    "ALIAS_DEL_CMD",
    "ALIAS_LIST_CMD",
    "ALIAS_UPDATE_CMD",
    "ALTER_CMD",
    "CONFIG_CMD",
    "CREATE_CMD",
    "CURSOR_CMD",
    "DICT_ADD_CMD",
    "DICT_DEL_CMD",
    "DICT_DUMP_CMD",
    "DROPINDEX_CMD",
    "EXPLAINCLI_CMD",
    "EXPLAIN_CMD",
    "HYBRID_CMD",
    "INFO_CMD",
    "PROFILE_CMD",
    "SEARCH_CMD",
    "SPELLCHECK_CMD",
    "SUGADD_COMMAND",
    "SUGDEL_COMMAND",
    "SUGGET_COMMAND",
    "SUGLEN_COMMAND",
    "SYNDUMP_CMD",
    "SYNUPDATE_CMD",
    "TAGVALS_CMD",
    "QueryParams",
    "SearchCommands",
)

CREATE_CMD = "FT.CREATE"
ALTER_CMD = "FT.ALTER"
SEARCH_CMD = "FT.SEARCH"
ADD_CMD = "FT.ADD"
ADDHASH_CMD = "FT.ADDHASH"
DROPINDEX_CMD = "FT.DROPINDEX"
EXPLAIN_CMD = "FT.EXPLAIN"
EXPLAINCLI_CMD = "FT.EXPLAINCLI"
DEL_CMD = "FT.DEL"
AGGREGATE_CMD = "FT.AGGREGATE"
PROFILE_CMD = "FT.PROFILE"
CURSOR_CMD = "FT.CURSOR"
SPELLCHECK_CMD = "FT.SPELLCHECK"
DICT_ADD_CMD = "FT.DICTADD"
DICT_DEL_CMD = "FT.DICTDEL"
DICT_DUMP_CMD = "FT.DICTDUMP"
MGET_CMD = "FT.MGET"
CONFIG_CMD = "FT.CONFIG"
TAGVALS_CMD = "FT.TAGVALS"
ALIAS_ADD_CMD = "FT.ALIASADD"
ALIAS_UPDATE_CMD = "FT.ALIASUPDATE"
ALIAS_DEL_CMD = "FT.ALIASDEL"
ALIAS_LIST_CMD = "FT.ALIASLIST"
INFO_CMD = "FT.INFO"
SUGADD_COMMAND = "FT.SUGADD"
SUGDEL_COMMAND = "FT.SUGDEL"
SUGLEN_COMMAND = "FT.SUGLEN"
SUGGET_COMMAND = "FT.SUGGET"
SYNUPDATE_CMD = "FT.SYNUPDATE"
SYNDUMP_CMD = "FT.SYNDUMP"
HYBRID_CMD = "FT.HYBRID"

#: ``PARAMS`` of a query: name -> value.
QueryParams = Mapping[str, str | int | float | bytes]


def _deprecated(name: str, reason: str, version: str) -> None:
    # redis-py's words for its deprecated search methods.
    warnings.warn(
        f"Call to deprecated {name}. ({reason}) -- Deprecated since version {version}.",
        DeprecationWarning,
        stacklevel=3,
    )


def _schema_words(fields: Field | Iterable[Field]) -> list[Any]:
    if isinstance(fields, Field):
        return fields.redis_args()
    return list(itertools.chain.from_iterable(f.redis_args() for f in fields))


def _elapsed_ms(started: float) -> float:
    return (time.monotonic() - started) * 1000.0


class SearchCommands(CommandsBase):
    """The ``FT.*`` commands of one index (mixed into
    :class:`~aio.redis.commands.search.Search` and its pipeline)."""

    # Set by the classes that mix this in.
    index_name: str
    client: Any
    _protocol: int

    # What a method returns for ``sent`` (what ``execute_command`` gave): on a
    # client an awaitable of ``finish(reply)``, on a pipeline ``sent``.
    _then: Callable[[Any, Callable[[Any], Any]], Any]
    # Run these commands (sugadd's): on a client in a pipeline of its own,
    # giving an awaitable of the last reply; on a pipeline queued.
    _run_all: Callable[[list[list[Any]]], Any]

    def _pipeline_options(self, **options: Any) -> dict[str, Any]:
        """Options queued with a command for a search pipeline's converter
        (none on a client, whose methods convert the reply themselves)."""
        return {}

    def _converting(
        self, command: str, started: float | None = None, **options: Any
    ) -> Callable[[Any], Any]:
        protocol = self._protocol

        def finish(reply: Any) -> Any:
            if started is not None:
                options["duration"] = _elapsed_ms(started)
            return convert(protocol, command, reply, **options)

        return finish

    # -- the index ----------------------------------------------------------------

    def create_index(
        self,
        fields: Field | Iterable[Field],
        no_term_offsets: bool = False,
        no_field_flags: bool = False,
        stopwords: Iterable[str] | None = None,
        definition: IndexDefinition | None = None,
        max_text_fields: bool = False,
        temporary: int | None = None,
        no_highlight: bool = False,
        no_term_frequencies: bool = False,
        skip_initial_scan: bool = False,
    ) -> ResponseT:
        """Create the index with the schema ``fields`` (FT.CREATE).

        :param no_term_offsets: ``NOOFFSETS``.
        :param no_field_flags: ``NOFIELDS``.
        :param stopwords: the index's stopwords (``STOPWORDS n ...``; may be empty).
        :param definition: which keys the index follows.
        :param max_text_fields: ``MAXTEXTFIELDS``.
        :param temporary: seconds of idleness after which the index expires.
        :param no_highlight: ``NOHL``.
        :param no_term_frequencies: ``NOFREQS``.
        :param skip_initial_scan: ``SKIPINITIALSCAN``.
        """
        args: list[Any] = [CREATE_CMD, self.index_name]
        if definition is not None:
            args += definition.args
        if max_text_fields:
            args.append("MAXTEXTFIELDS")
        if isinstance(temporary, int):
            args += ["TEMPORARY", temporary]
        flags = (
            (no_term_offsets, "NOOFFSETS"),
            (no_highlight, "NOHL"),
            (no_field_flags, "NOFIELDS"),
            (no_term_frequencies, "NOFREQS"),
            (skip_initial_scan, "SKIPINITIALSCAN"),
        )
        args += [word for wanted, word in flags if wanted]
        if isinstance(stopwords, list | tuple | set):
            args += ["STOPWORDS", len(stopwords), *stopwords]
        args += ["SCHEMA", *_schema_words(fields)]
        return self.execute_command(*args)

    def alter_schema_add(self, fields: Field | Iterable[Field]) -> ResponseT:
        """Add ``fields`` to the index's schema (FT.ALTER ... SCHEMA ADD)."""
        return self.execute_command(
            ALTER_CMD, self.index_name, "SCHEMA", "ADD", *_schema_words(fields)
        )

    def dropindex(self, delete_documents: bool = False) -> ResponseT:
        """Drop the index (FT.DROPINDEX); ``delete_documents=True`` deletes the
        documents too (``DD``)."""
        args: list[Any] = [DROPINDEX_CMD, self.index_name]
        if delete_documents is True:
            args.append("DD")
        return self.execute_command(*args)

    def info(self) -> ResponseT:
        """The index's definition and statistics, as a dict (FT.INFO)."""
        sent = self.execute_command(INFO_CMD, self.index_name)
        return self._then(sent, self._converting(INFO_CMD))

    # -- documents (deprecated since RediSearch 2.0, kept as redis-py keeps them) --

    def _add_document(
        self,
        doc_id: Any,
        conn: Any = None,
        nosave: bool = False,
        score: float = 1.0,
        payload: Any = None,
        replace: bool = False,
        partial: bool = False,
        language: str | None = None,
        no_create: bool = False,
        **fields: Any,
    ) -> Any:
        if partial or no_create:
            replace = True
        args: list[Any] = [ADD_CMD, self.index_name, doc_id, score]
        if nosave:
            args.append("NOSAVE")
        if payload is not None:
            args += ["PAYLOAD", payload]
        if replace:
            args.append("REPLACE")
            if partial:
                args.append("PARTIAL")
            if no_create:
                args.append("NOCREATE")
        if language:
            args += ["LANGUAGE", language]
        args += ["FIELDS", *itertools.chain.from_iterable(fields.items())]
        target = self if conn is None else conn
        return target.execute_command(*args)

    def _add_document_hash(
        self,
        doc_id: Any,
        conn: Any = None,
        score: float = 1.0,
        language: str | None = None,
        replace: bool = False,
    ) -> Any:
        args: list[Any] = [ADDHASH_CMD, self.index_name, doc_id, score]
        if replace:
            args.append("REPLACE")
        if language:
            args += ["LANGUAGE", language]
        target = self if conn is None else conn
        return target.execute_command(*args)

    def add_document(
        self,
        doc_id: str,
        nosave: bool = False,
        score: float = 1.0,
        payload: Any = None,
        replace: bool = False,
        partial: bool = False,
        language: str | None = None,
        no_create: bool = False,
        **fields: Any,
    ) -> ResponseT:
        """Add a document (FT.ADD; deprecated: RediSearch 2 indexes hashes,
        use ``hset``)."""
        _deprecated(
            "add_document",
            "deprecated since redisearch 2.0, call hset instead",
            "2.0.0",
        )
        return self._add_document(
            doc_id,
            nosave=nosave,
            score=score,
            payload=payload,
            replace=replace,
            partial=partial,
            language=language,
            no_create=no_create,
            **fields,
        )

    def add_document_hash(
        self,
        doc_id: Any,
        score: float = 1.0,
        language: str | None = None,
        replace: bool = False,
    ) -> ResponseT:
        """Index an existing hash (FT.ADDHASH; deprecated)."""
        _deprecated(
            "add_document_hash",
            "deprecated since redisearch 2.0, call hset instead",
            "2.0.0",
        )
        return self._add_document_hash(
            doc_id, score=score, language=language, replace=replace
        )

    def delete_document(
        self, doc_id: Any, conn: Any = None, delete_actual_document: bool = False
    ) -> ResponseT:
        """Remove a document from the index (FT.DEL; deprecated); with
        ``delete_actual_document`` the key too (``DD``)."""
        _deprecated("delete_document", "deprecated since redisearch 2.0", "2.0.0")
        args: list[Any] = [DEL_CMD, self.index_name, doc_id]
        if delete_actual_document:
            args.append("DD")
        target = self if conn is None else conn
        return target.execute_command(*args)

    def get(self, *ids: Any) -> ResponseT:
        """The contents of the documents ``ids`` (FT.MGET; deprecated)."""
        _deprecated("get", "deprecated since redisearch 2.0", "2.0.0")
        return self.execute_command(MGET_CMD, self.index_name, *ids)

    def load_document(
        self, id: Any, field_encodings: dict[str, str | None] | None = None
    ) -> ResponseT:
        """The hash ``id`` as a :class:`Document` (HGETALL), values decoded
        with ``field_encodings`` (field -> encoding; None keeps bytes)."""
        sent = self.client.hgetall(id)

        def document(fields: Any) -> Document:
            decoded = {}
            for key, value in fields.items():
                name = str_if_bytes(key)
                decoded[name] = field_value(value, name, field_encodings)
            decoded.pop("id", None)
            return Document(id=id, **decoded)

        return self._then(sent, document)

    # -- queries ---------------------------------------------------------------------

    def get_params_args(self, query_params: QueryParams | None) -> list[Any]:
        """``PARAMS 2n name value ...`` for ``query_params`` (nothing if empty)."""
        if not query_params:
            return []
        pairs = itertools.chain.from_iterable(query_params.items())
        return ["PARAMS", len(query_params) * 2, *pairs]

    def _mk_query_args(
        self, query: str | Query, query_params: QueryParams | None
    ) -> tuple[list[Any], Query]:
        if isinstance(query, str):
            query = Query(query)
        if not isinstance(query, Query):
            raise ValueError(f"Bad query type {type(query)}")
        args = [self.index_name, *query.get_args(), *self.get_params_args(query_params)]
        return args, query

    def search(
        self, query: str | Query, query_params: QueryParams | None = None
    ) -> ResponseT:
        """Search the index (FT.SEARCH): a :class:`Result` of :class:`Document`.

        :param query: query text, or a :class:`Query` for its options.
        :param query_params: values of the query's ``$name`` parameters.
        :raises ValueError: ``query`` is neither text nor a :class:`Query`.
        """
        args, parsed = self._mk_query_args(query, query_params)
        # Field values may be binary (vectors): read as bytes, decoded per field.
        options = {
            NEVER_DECODE: True,
            **self._pipeline_options(query=parsed, duration=0),
        }
        started = time.monotonic()
        sent = self.execute_command(SEARCH_CMD, *args, **options)
        return self._then(sent, self._converting(SEARCH_CMD, started, query=parsed))

    def hybrid_search(
        self,
        query: HybridQuery,
        combine_method: CombineResultsMethod | None = None,
        post_processing: HybridPostProcessingConfig | None = None,
        params_substitution: QueryParams | None = None,
        timeout: int | None = None,
        cursor: HybridCursorQuery | None = None,
    ) -> ResponseT:
        """A text search and a vector search in one (FT.HYBRID, Redis 8.4;
        experimental, so it warns as redis-py does): a :class:`HybridResult`, or
        with ``cursor`` a :class:`HybridCursorResult`.

        :param combine_method: how the two scores are combined (``COMBINE``).
        :param post_processing: ``LOAD``/``GROUPBY``/``APPLY``/``SORTBY``/...
        :param params_substitution: values of the query's ``$name`` parameters.
        :param timeout: in milliseconds (``TIMEOUT``).
        :param cursor: read the rows through cursors (``WITHCURSOR``).
        """
        warnings.warn(
            "Call to experimental method hybrid_search. Be aware that the "
            "function arguments can change or be removed in future versions.",
            UserWarning,
            stacklevel=2,
        )
        args: list[Any] = [HYBRID_CMD, self.index_name, *query.get_args()]
        if combine_method:
            args += combine_method.get_args()
        if post_processing:
            args += post_processing.build_args()
        if params_substitution:
            args += self.get_params_args(params_substitution)
        if timeout:
            args += ["TIMEOUT", timeout]
        marks: dict[str, Any] = {"cursor": True} if cursor else {}
        if cursor:
            args += cursor.build_args()
        # Row values may be binary: read as bytes (as redis-py keeps them).
        options = {NEVER_DECODE: True, **self._pipeline_options(**marks)}
        sent = self.execute_command(*args, **options)
        return self._then(sent, self._converting(HYBRID_CMD, **marks))

    def explain(
        self, query: str | Query, query_params: QueryParams | None = None
    ) -> ResponseT:
        """The execution plan of ``query``, as text (FT.EXPLAIN)."""
        args, _ = self._mk_query_args(query, query_params)
        return self.execute_command(EXPLAIN_CMD, *args)

    def explain_cli(
        self, query: str | Query, query_params: QueryParams | None = None
    ) -> ResponseT:
        """The execution plan of ``query``, one line per item (FT.EXPLAINCLI).

        redis-py raises ``NotImplementedError`` here; aio sends the command.
        """
        args, _ = self._mk_query_args(query, query_params)
        return self.execute_command(EXPLAINCLI_CMD, *args)

    def aggregate(
        self,
        query: AggregateRequest | Cursor,
        query_params: QueryParams | None = None,
    ) -> ResponseT:
        """Run an aggregation (FT.AGGREGATE), or read on from a :class:`Cursor`
        (FT.CURSOR READ): an :class:`AggregateResult`.

        :raises ValueError: ``query`` is neither.
        """
        if isinstance(query, AggregateRequest):
            has_cursor = bool(query._cursor)
            args = [AGGREGATE_CMD, self.index_name, *query.build_args()]
        elif isinstance(query, Cursor):
            has_cursor = True
            args = [CURSOR_CMD, "READ", self.index_name, *query.build_args()]
        else:
            raise ValueError("Bad query", query)
        args += self.get_params_args(query_params)
        sent = self.execute_command(*args)
        return self._then(
            sent, self._converting(AGGREGATE_CMD, query=query, has_cursor=has_cursor)
        )

    def profile(
        self,
        query: Query | AggregateRequest,
        limited: bool = False,
        query_params: QueryParams | None = None,
    ) -> ResponseT:
        """Run ``query`` with profiling (FT.PROFILE): ``(result, ProfileInformation)``.

        :param limited: ``LIMITED`` (no reader iterator details).
        :param query_params: a :class:`Query`'s parameters (redis-py sends none
            for an aggregation).
        :raises ValueError: ``query`` is neither a :class:`Query` nor an
            :class:`AggregateRequest`.
        """
        args: list[Any] = [PROFILE_CMD, self.index_name]
        if isinstance(query, AggregateRequest):
            kind, words = "AGGREGATE", query.build_args()
        elif isinstance(query, Query):
            kind = "SEARCH"
            words = query.get_args() + self.get_params_args(query_params)
        else:
            raise ValueError("Must provide AggregateRequest object or Query object.")
        args += [kind, *(["LIMITED"] if limited else []), "QUERY", *words]
        started = time.monotonic()
        sent = self.execute_command(*args)
        return self._then(sent, self._converting(PROFILE_CMD, started, query=query))

    def spellcheck(
        self,
        query: str,
        distance: int | None = None,
        include: str | None = None,
        exclude: str | None = None,
    ) -> ResponseT:
        """Spelling suggestions for the terms of ``query`` (FT.SPELLCHECK):
        ``{term: [{"score": ..., "suggestion": ...}, ...]}``.

        :param distance: the largest Levenshtein distance (1 to 4).
        :param include: a dictionary of terms to suggest.
        :param exclude: a dictionary of terms never to suggest.
        """
        args: list[Any] = [SPELLCHECK_CMD, self.index_name, query]
        if distance:
            args += ["DISTANCE", distance]
        if include:
            args += ["TERMS", "INCLUDE", include]
        if exclude:
            args += ["TERMS", "EXCLUDE", exclude]
        sent = self.execute_command(*args)
        return self._then(sent, self._converting(SPELLCHECK_CMD))

    # -- dictionaries, configuration, tags, aliases -----------------------------------

    def dict_add(self, name: str, *terms: str) -> ResponseT:
        """Add ``terms`` to the dictionary ``name`` (FT.DICTADD): how many were new."""
        return self.execute_command(DICT_ADD_CMD, name, *terms)

    def dict_del(self, name: str, *terms: str) -> ResponseT:
        """Remove ``terms`` from the dictionary ``name`` (FT.DICTDEL)."""
        return self.execute_command(DICT_DEL_CMD, name, *terms)

    def dict_dump(self, name: str) -> ResponseT:
        """The terms of the dictionary ``name`` (FT.DICTDUMP), as a list (a
        RESP3 set reply's order is not kept)."""
        return self._then(self.execute_command(DICT_DUMP_CMD, name), as_list)

    def config_set(self, option: str, value: Any) -> ResponseT:
        """Set a RediSearch option (FT.CONFIG SET; deprecated since Redis 8,
        whose CONFIG SET has them): whether the reply was ``"OK"`` (so False
        without ``decode_responses``, as in redis-py)."""
        _deprecated(
            "config_set",
            "deprecated since Redis 8.0, call config_set from core module instead",
            "8.0.0",
        )
        sent = self.execute_command(CONFIG_CMD, "SET", option, value)
        return self._then(sent, lambda reply: reply == "OK")

    def config_get(self, option: str) -> ResponseT:
        """RediSearch options matching ``option`` (``"*"``: all) as a dict
        (FT.CONFIG GET; deprecated since Redis 8)."""
        _deprecated(
            "config_get",
            "deprecated since Redis 8.0, call config_get from core module instead",
            "8.0.0",
        )
        sent = self.execute_command(CONFIG_CMD, "GET", option)
        return self._then(sent, self._converting(CONFIG_CMD))

    def tagvals(self, tagfield: str) -> ResponseT:
        """The distinct values of the tag field ``tagfield`` (FT.TAGVALS), as a
        list (a RESP3 set reply's order is not kept)."""
        sent = self.execute_command(TAGVALS_CMD, self.index_name, tagfield)
        return self._then(sent, as_list)

    def aliasadd(self, alias: KeyT) -> ResponseT:
        """Make ``alias`` name this index (FT.ALIASADD)."""
        return self.execute_command(ALIAS_ADD_CMD, alias, self.index_name)

    def aliasupdate(self, alias: KeyT) -> ResponseT:
        """Point ``alias`` at this index (FT.ALIASUPDATE)."""
        return self.execute_command(ALIAS_UPDATE_CMD, alias, self.index_name)

    def aliasdel(self, alias: KeyT) -> ResponseT:
        """Remove ``alias`` (FT.ALIASDEL)."""
        return self.execute_command(ALIAS_DEL_CMD, alias)

    def aliaslist(self) -> ResponseT:
        """The aliases of this index, as a set (FT.ALIASLIST)."""
        sent = self.execute_command(ALIAS_LIST_CMD, self.index_name)
        return self._then(sent, self._converting(ALIAS_LIST_CMD))

    # -- autocomplete ------------------------------------------------------------------

    def _sugadd_args(
        self, key: KeyT, suggestions: Iterable[Suggestion], increment: Any
    ) -> list[list[Any]]:
        commands = []
        for sug in suggestions:
            args: list[Any] = [SUGADD_COMMAND, key, sug.string, sug.score]
            if increment:
                args.append("INCR")
            if sug.payload:
                args += ["PAYLOAD", sug.payload]
            commands.append(args)
        return commands

    def sugadd(self, key: KeyT, *suggestions: Suggestion, **kwargs: Any) -> ResponseT:
        """Add :class:`Suggestion` entries to the autocomplete dictionary
        ``key`` (one FT.SUGADD each, in a pipeline without MULTI):
        ``increment=True`` adds to the scores of entries already there
        (``INCR``). Returns the last reply: the dictionary's size (on a
        pipeline: queued)."""
        return self._run_all(
            self._sugadd_args(key, suggestions, kwargs.get("increment"))
        )

    def suglen(self, key: KeyT) -> ResponseT:
        """The size of the autocomplete dictionary ``key`` (FT.SUGLEN)."""
        return self.execute_command(SUGLEN_COMMAND, key)

    def sugdel(self, key: KeyT, string: str) -> ResponseT:
        """Remove ``string`` from the dictionary ``key`` (FT.SUGDEL): 1 or 0."""
        return self.execute_command(SUGDEL_COMMAND, key, string)

    def sugget(
        self,
        key: KeyT,
        prefix: str,
        fuzzy: bool = False,
        num: int = 10,
        with_scores: bool = False,
        with_payloads: bool = False,
    ) -> ResponseT:
        """Up to ``num`` completions of ``prefix`` (FT.SUGGET), as
        :class:`Suggestion` objects (score 1.0 unless ``with_scores``).

        :param fuzzy: allow one edit of ``prefix`` (``FUZZY``).
        :param with_payloads: fill in each suggestion's payload.
        """
        args: list[Any] = [SUGGET_COMMAND, key, prefix, "MAX", num]
        if fuzzy:
            args.append("FUZZY")
        if with_scores:
            args.append("WITHSCORES")
        if with_payloads:
            args.append("WITHPAYLOADS")
        sent = self.execute_command(*args)

        def suggestions(reply: Any) -> list[Suggestion]:
            if not reply:
                return []
            try:
                return list(SuggestionParser(with_scores, with_payloads, reply))
            except (IndexError, TypeError, ValueError) as exc:
                from aio.redis.commands.search._replies import SearchReplyError

                raise SearchReplyError(SUGGET_COMMAND, reply, str(exc)) from exc

        return self._then(sent, suggestions)

    # -- synonyms ---------------------------------------------------------------------

    def synupdate(
        self, groupid: str, skipinitial: bool = False, *terms: str
    ) -> ResponseT:
        """Add ``terms`` to the synonym group ``groupid`` (FT.SYNUPDATE);
        ``skipinitial``: do not rescan the documents (``SKIPINITIALSCAN``)."""
        args: list[Any] = [SYNUPDATE_CMD, self.index_name, groupid]
        if skipinitial:
            args.append("SKIPINITIALSCAN")
        return self.execute_command(*args, *terms)

    def syndump(self) -> ResponseT:
        """The synonyms: term -> the ids of its groups (FT.SYNDUMP)."""
        sent = self.execute_command(SYNDUMP_CMD, self.index_name)
        return self._then(sent, self._converting(SYNDUMP_CMD))
