"""The RediSearch cases the search tests share, for :mod:`tests.redis.scripted_server`.

:data:`CASES` lists one call per search method (and the shapes that differ per
option) with the replies RediSearch gives it on RESP2 and on RESP3. A case's
call takes the search object and a namespace of the library's search modules
(``m.query.Query``...), since each library checks the types of its own builders.
:func:`shape` turns what a call returned into plain data both libraries' results
compare by (class name and attributes, without the measured ``duration``).
"""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.redis.docs_example import example_in
from tests.redis.scripted_case import SAME
from tests.redis.scripted_server import OK

__all__ = ("CASES", "Case", "doc_example", "modules", "shape")


@dataclass(frozen=True)
class Case:
    """One search method call and RediSearch's replies to it on each protocol.

    :param replies2: the replies on RESP2 (one per command sent).
    :param replies3: on RESP3, when not the RESP2 ones.
    :param sync_oracle: redis-py's asyncio client cannot run it (its
        ``profile`` and ``syndump`` parse the coroutine instead of the reply):
        the oracle is redis-py's blocking client.
    """

    id: str
    call: Callable[[Any, Any], Any]
    replies2: tuple[object, ...]
    replies3: tuple[object, ...] = SAME
    sync_oracle: bool = False

    def replies(self, protocol: int) -> tuple[object, ...]:
        """The scripted replies for ``protocol``."""
        return (
            self.replies2 if protocol == 2 or self.replies3 is SAME else self.replies3
        )


def modules(lib: str) -> Any:
    """The search builder modules of ``lib`` (``"aio"``, ``"sync_shims"`` or
    ``"redis-py"``)."""
    import importlib

    root = {"aio": "aio.redis", "sync_shims": "sync_shims.redis"}.get(lib, "redis")
    names = (
        "aggregation field index_definition query querystring reducers result "
        "suggestion document hybrid_query hybrid_result"
    ).split()
    return types.SimpleNamespace(
        **{n: importlib.import_module(f"{root}.commands.search.{n}") for n in names}
    )


def shape(value: Any) -> Any:
    """``value`` as plain data: objects as (class name, attributes) without
    ``duration``, tuples and lists element by element."""
    if isinstance(value, list | tuple):
        return type(value).__name__, [shape(v) for v in value]
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if hasattr(value, "__dict__") and not isinstance(value, type):
        attrs = {k: shape(v) for k, v in vars(value).items() if k not in ("duration",)}
        return type(value).__name__, attrs
    return value


def _schema(m: Any) -> list[Any]:
    f = m.field
    return [
        f.TextField("title", weight=5.0, no_stem=True, phonetic_matcher="dm:en"),
        f.TextField("body", withsuffixtrie=True, sortable=True, as_name="b"),
        f.NumericField("year", sortable=True, no_index=True),
        f.TagField("tags", separator=";", case_sensitive=True, index_missing=True),
        f.GeoField("loc", index_empty=True),
        f.GeoShapeField("shape", coord_system=f.GeoShapeField.FLAT),
        f.VectorField(
            "vec", "HNSW", {"TYPE": "FLOAT32", "DIM": 2, "DISTANCE_METRIC": "L2"}
        ),
    ]


def _definition(m: Any) -> Any:
    d = m.index_definition
    return d.IndexDefinition(
        prefix=["doc:", "item:"],
        filter="@year > 1",
        language_field="lang",
        language="english",
        score_field="sc",
        score=0.5,
        payload_field="pl",
        index_type=d.IndexType.HASH,
    )


def _full_query(m: Any) -> Any:
    q = m.query
    return (
        q.Query("@title:hello")
        .limit_ids("doc:1", "doc:2")
        .return_fields("title", "year")
        .return_field("body", as_field="b")
        .summarize(fields=["body"], context_len=3, num_frags=2, sep="...")
        .highlight(fields="title", tags=["<b>", "</b>"])
        .language("english")
        .slop(1)
        .timeout(500)
        .in_order()
        .scorer("BM25")
        .verbatim()
        .no_stopwords()
        .limit_fields("title", "body")
        .add_filter(q.NumericFilter("year", 1, q.NumericFilter.INF, minExclusive=True))
        .add_filter(q.GeoFilter("loc", 2.3, 48.8, 10, q.GeoFilter.MILES))
        .sort_by("year", asc=False)
        .expander("SYNONYM")
        .dialect(3)
        .paging(5, 20)
    )


def _aggregate(m: Any) -> Any:
    a, r = m.aggregation, m.reducers
    return (
        a.AggregateRequest("@year:[2000 +inf]")
        .verbatim()
        .load("@title", "@year")
        .apply(decade="floor(@year / 10) * 10")
        .group_by(
            ["@decade"],
            r.count().alias("n"),
            r.sum("@year").alias(a.FIELDNAME),
            r.min("@year"),
            r.max("@year"),
            r.avg("@year"),
            r.tolist("@title"),
            r.count_distinct("@title"),
            r.count_distinctish("@title"),
            r.quantile("@year", 0.5),
            r.stddev("@year"),
            r.first_value("@title", a.Desc("@year")),
            r.first_value("@title", a.Asc),
            r.random_sample("@title", 2),
        )
        .sort_by(a.Desc("@n"), a.Asc("@decade"), "@x", max=10)
        .filter(["@n > 1", "@decade > 0"])
        .limit(0, 5)
        .add_scores()
        .scorer("BM25")
        .dialect(4)
    )


SEARCH2 = [
    2,
    b"doc:1",
    [b"title", b"hello world", b"year", b"2001", b"id", b"x"],
    b"doc:2",
    [b"title", "h\u00e9llo".encode(), b"$", b'{"a":1}'],
]
SEARCH3 = {
    "attributes": [],
    "format": "STRING",
    "results": [
        {
            "id": b"doc:1",
            "extra_attributes": {"title": b"hello world", "year": b"2001", "id": b"x"},
            "values": [],
        },
        {
            "id": b"doc:2",
            "extra_attributes": {"title": "h\u00e9llo".encode(), "$": b'{"a":1}'},
            "values": [],
        },
    ],
    "total_results": 2,
    "warning": [],
}
SCORED2 = [1, b"doc:1", b"1.5", b"pay", [b"title", b"hi"]]
SCORED3 = {
    "attributes": [],
    "format": "STRING",
    "results": [
        {
            "id": b"doc:1",
            "score": 1.5,
            "payload": b"pay",
            "extra_attributes": {"title": b"hi"},
            "values": [],
        }
    ],
    "total_results": 1,
    "warning": [b"Timeout limit was reached"],
}
BINARY2 = [1, b"doc:1", [b"vec", b"\x00\xff\x80", b"title", b"t"]]
BINARY3 = {
    "results": [
        {"id": b"doc:1", "extra_attributes": {"vec": b"\x00\xff\x80", "title": b"t"}}
    ],
    "total_results": 1,
}
AGG2 = [3, [b"decade", b"2000", b"n", b"2"], [b"decade", b"2010", b"n", b"1"]]
AGG3 = {
    "attributes": [],
    "format": "STRING",
    "results": [
        {"extra_attributes": {"decade": b"2000", "n": b"2"}, "values": []},
        {"extra_attributes": {"decade": b"2010", "n": b"1"}, "values": []},
    ],
    "total_results": 3,
    "warning": [],
}
INFO2 = [
    b"index_name",
    b"idx",
    b"index_options",
    [],
    b"index_definition",
    [b"key_type", b"HASH", b"prefixes", [b"doc:"], b"default_score", b"1"],
    b"attributes",
    [
        [
            b"identifier",
            b"title",
            b"attribute",
            b"title",
            b"type",
            b"TEXT",
            b"WEIGHT",
            b"1",
            b"SORTABLE",
        ],
        [
            b"identifier",
            b"tags",
            b"attribute",
            b"tags",
            b"type",
            b"TAG",
            b"SEPARATOR",
            b",",
        ],
    ],
    b"num_docs",
    2,
    b"hash_indexing_failures",
    0,
]
INFO3 = {
    "index_name": b"idx",
    "index_options": [],
    "index_definition": {
        "key_type": b"HASH",
        "prefixes": [b"doc:"],
        "default_score": 1.0,
    },
    "attributes": [
        {
            "identifier": b"title",
            "attribute": b"title",
            "type": b"TEXT",
            "WEIGHT": 1.0,
            "flags": [b"SORTABLE"],
        },
        {
            "identifier": b"tags",
            "attribute": b"tags",
            "type": b"TAG",
            "SEPARATOR": b",",
            "flags": [],
        },
    ],
    "num_docs": 2,
    "hash_indexing_failures": 0,
}
PROFILE2 = [
    [1, b"doc:1", [b"title", b"hi"]],
    [
        b"Shards",
        [
            [
                b"Total profile time",
                b"0.1",
                b"Iterators profile",
                [b"Type", b"TEXT", b"Term", b"hi"],
            ]
        ],
        b"Coordinator",
        [],
    ],
]
PROFILE3 = {
    "Results": {
        "total_results": 1,
        "results": [
            {"id": b"doc:1", "extra_attributes": {"title": b"hi"}, "values": []}
        ],
        "warning": [],
    },
    "Profile": {
        "Shards": [
            {
                "Total profile time": 0.1,
                "Iterators profile": {"Type": b"TEXT", "Term": b"hi"},
            }
        ],
        "Coordinator": [],
    },
}
OLD_PROFILE3 = {
    "results": [{"extra_attributes": {"n": b"1"}}],
    "profile": {
        "Total profile time": b"0.2",
        "Result processors profile": [
            {"Type": b"Index", "Counter": 1},
            {"Type": b"Sorter", "Counter": 1},
        ],
    },
}
OLD_PROFILE2 = [
    [1, [b"n", b"1"]],
    [
        [b"Total profile time", b"0.2"],
        [
            b"Result processors profile",
            [b"Type", b"Index", b"Counter", 1],
            [b"Type", b"Sorter", b"Counter", 1],
        ],
    ],
]


HYBRID2 = [
    b"total_results", 2,
    b"results", [
        [b"__key", b"doc:1", b"__score", b"0.03", b"title", b"hi"],
        [b"__key", b"doc:2", b"__score", b"0.02"],
    ],
    b"warnings", [],
    b"execution_time", b"1.5",
]  # fmt: skip
HYBRID3 = {
    "total_results": 2,
    "results": [
        {"__key": b"doc:1", "__score": b"0.03", "title": b"hi"},
        {"__key": b"doc:2", "__score": b"0.02"},
    ],
    "warnings": [],
    "execution_time": 1.5,
}


def _hybrid(m: Any) -> Any:
    h = m.hybrid_query
    return h.HybridQuery(
        h.HybridSearchQuery("@title:hi", scorer="BM25STD", yield_score_as="ts"),
        h.HybridVsimQuery(
            "@vec",
            "$v",
            vsim_search_method=h.VectorSearchMethods.KNN,
            vsim_search_method_params={"K": 5, "EF_RUNTIME": 50},
            filter=h.HybridFilter("@year > 2000"),
            yield_score_as="vs",
        ),
    )


def _post(m: Any) -> Any:
    h, r, q = m.hybrid_query, m.reducers, m.query
    return (
        h.HybridPostProcessingConfig()
        .load("@title AS t", "@year", decode_field=True)
        .load("@vec")
        .group_by("@year", r.count().alias("n"))
        .apply(double="@year * 2")
        .sort_by(q.SortbyField("@n", asc=False), q.SortbyField("@year"))
        .filter(h.HybridFilter("@n > 0"))
        .limit(0, 10)
    )


def _sugs(m: Any) -> list[Any]:
    s = m.suggestion.Suggestion
    return [s("hello", 2.0, "p1"), s("help"), s(b"hel\xc3\xa9", 0.5)]


CASES: tuple[Case, ...] = (
    Case(
        "create-index-full",
        lambda s, m: s.create_index(
            _schema(m),
            no_term_offsets=True,
            no_field_flags=True,
            stopwords=["a", "the"],
            definition=_definition(m),
            max_text_fields=True,
            temporary=60,
            no_highlight=True,
            no_term_frequencies=True,
            skip_initial_scan=True,
        ),
        (OK,),
    ),
    Case(
        "create-index-plain",
        lambda s, m: s.create_index(
            [m.field.TextField("t")],
            stopwords=[],
            definition=m.index_definition.IndexDefinition(
                prefix="one:", index_type=m.index_definition.IndexType.JSON, score=None
            ),
        ),
        (OK,),
    ),
    Case(
        "create-index-one-field",
        lambda s, m: s.create_index(m.field.NumericField("n")),
        (OK,),
    ),
    Case(
        "alter-schema-add",
        lambda s, m: s.alter_schema_add([m.field.TagField("t", withsuffixtrie=True)]),
        (OK,),
    ),
    Case(
        "alter-schema-add-one",
        lambda s, m: s.alter_schema_add(m.field.GeoField("g")),
        (OK,),
    ),
    Case("dropindex", lambda s, m: s.dropindex(), (OK,)),
    Case("dropindex-dd", lambda s, m: s.dropindex(delete_documents=True), (OK,)),
    Case("dropindex-dd-truthy", lambda s, m: s.dropindex(delete_documents=1), (OK,)),
    Case("info", lambda s, m: s.info(), (INFO2,), (INFO3,)),
    Case("search-text", lambda s, m: s.search("hello"), (SEARCH2,), (SEARCH3,)),
    Case(
        "search-query-full",
        lambda s, m: s.search(_full_query(m)),
        (SEARCH2,),
        (SEARCH3,),
    ),
    Case(
        "search-params",
        lambda s, m: s.search(
            m.query.Query("*=>[KNN 2 @vec $v]").dialect(2),
            query_params={"v": b"\x00\x01", "n": 2, "f": 1.5},
        ),
        (SEARCH2,),
        (SEARCH3,),
    ),
    Case(
        "search-scores-payloads",
        lambda s, m: s.search(m.query.Query("hi").with_scores().with_payloads()),
        (SCORED2,),
        (SCORED3,),
    ),
    Case(
        "search-nocontent",
        lambda s, m: s.search(m.query.Query("hi").no_content().dialect(0)),
        ([2, b"doc:1", b"doc:2"],),
        ({"total_results": 2, "results": [{"id": b"doc:1"}, {"id": b"doc:2"}]},),
    ),
    Case(
        "search-binary-field",
        lambda s, m: s.search(
            m.query.Query("*")
            .return_field("vec", decode_field=False)
            .return_field("title", encoding="latin-1")
        ),
        (BINARY2,),
        (BINARY3,),
    ),
    Case(
        "search-empty",
        lambda s, m: s.search("none"),
        ([0],),
        ({"total_results": 0, "results": []},),
    ),
    Case(
        "hybrid-search",
        lambda s, m: s.hybrid_search(
            _hybrid(m),
            combine_method=m.hybrid_query.CombineResultsMethod(
                m.hybrid_query.CombinationMethods.RRF, WINDOW=3, CONSTANT=60
            ),
            post_processing=_post(m),
            params_substitution={"v": b"\x00\x00\x80?"},
            timeout=500,
        ),
        (HYBRID2,),
        (HYBRID3,),
    ),
    Case(
        "hybrid-search-plain",
        lambda s, m: s.hybrid_search(
            m.hybrid_query.HybridQuery(
                m.hybrid_query.HybridSearchQuery("hi"),
                m.hybrid_query.HybridVsimQuery("@v", b"\x01").vsim_method_params(
                    m.hybrid_query.VectorSearchMethods.RANGE
                ),
            ),
            combine_method=m.hybrid_query.CombineResultsMethod(
                m.hybrid_query.CombinationMethods.LINEAR
            ),
        ),
        (HYBRID2,),
        (HYBRID3,),
    ),
    Case(
        "hybrid-search-cursor",
        lambda s, m: s.hybrid_search(
            _hybrid(m), cursor=m.hybrid_query.HybridCursorQuery(count=5, max_idle=100)
        ),
        ([b"SEARCH", 11, b"VSIM", 12],),
        ({"SEARCH": 11, "VSIM": 12},),
    ),
    Case(
        "explain",
        lambda s, m: s.explain(m.query.Query("@t:hi"), {"x": 1}),
        (b"INTERSECT {\n  hi\n}\n",),
    ),
    Case("explain-text", lambda s, m: s.explain("hi"), (b"hi\n",)),
    Case("aggregate", lambda s, m: s.aggregate(_aggregate(m)), (AGG2,), (AGG3,)),
    Case(
        "aggregate-load-all-params",
        lambda s, m: s.aggregate(
            m.aggregation.AggregateRequest().load().limit(0, 0), query_params={"a": "b"}
        ),
        (AGG2,),
        (AGG3,),
    ),
    Case(
        "aggregate-cursor",
        lambda s, m: s.aggregate(
            m.aggregation.AggregateRequest("*").cursor(count=2, max_idle=1.5)
        ),
        ([AGG2, 42],),
        ([AGG3, 42],),
    ),
    Case(
        "aggregate-cursor-read",
        lambda s, m: s.aggregate(m.aggregation.Cursor(42)),
        ([AGG2, 0],),
        ([AGG3, 0],),
    ),
    Case(
        "aggregate-with-schema",
        lambda s, m: s.aggregate(m.aggregation.AggregateRequest("*").with_schema()),
        ([[b"n", b"number"], 1, [b"n", b"1"]],),
        (AGG3,),
    ),
    Case(
        "profile-search",
        lambda s, m: s.profile(
            m.query.Query("hi"), limited=True, query_params={"p": 1}
        ),
        (PROFILE2,),
        (PROFILE3,),
        sync_oracle=True,
    ),
    Case(
        "profile-aggregate-old-server",
        lambda s, m: s.profile(m.aggregation.AggregateRequest("*")),
        (OLD_PROFILE2,),
        (OLD_PROFILE3,),
        sync_oracle=True,
    ),
    Case(
        "spellcheck",
        lambda s, m: s.spellcheck(
            "helo wrld", distance=2, include="dict", exclude="bad"
        ),
        (
            [
                [b"TERM", b"helo", [[b"0.5", b"hello"], [b"0", b"help"]]],
                [b"TERM", b"wrld", []],
            ],
        ),
        ({"results": {"helo": [{"hello": 0.5}, {"help": 0.0}], "wrld": []}},),
    ),
    Case("spellcheck-none", lambda s, m: s.spellcheck("ok"), ([],), ({"results": {}},)),
    Case("dict-add", lambda s, m: s.dict_add("d", "a", "b"), (2,)),
    Case("dict-del", lambda s, m: s.dict_del("d", "a"), (1,)),
    Case("dict-dump", lambda s, m: s.dict_dump("d"), ([b"b"],), ({b"b"},)),
    Case("config-set", lambda s, m: s.config_set("TIMEOUT", 100), (OK,)),
    Case(
        "config-get",
        lambda s, m: s.config_get("TIMEOUT"),
        ([[b"TIMEOUT", b"500"]],),
        ({"TIMEOUT": b"500"},),
    ),
    Case("config-get-none", lambda s, m: s.config_get("X"), ([],), ({},)),
    Case("tagvals", lambda s, m: s.tagvals("tags"), ([b"a"],), ({b"a"},)),
    Case("aliasadd", lambda s, m: s.aliasadd("al"), (OK,)),
    Case("aliasupdate", lambda s, m: s.aliasupdate("al"), (OK,)),
    Case("aliasdel", lambda s, m: s.aliasdel("al"), (OK,)),
    Case("aliaslist", lambda s, m: s.aliaslist(), ([b"al"],), ({b"al"},)),
    Case("aliaslist-empty", lambda s, m: s.aliaslist(), ([],), (set(),)),
    Case("sugadd", lambda s, m: s.sugadd("ac", *_sugs(m)), (1, 2, 3)),
    Case(
        "sugadd-incr", lambda s, m: s.sugadd("ac", *_sugs(m)[:1], increment=True), (1,)
    ),
    Case("suglen", lambda s, m: s.suglen("ac"), (3,)),
    Case("sugdel", lambda s, m: s.sugdel("ac", "hello"), (1,)),
    Case("sugget", lambda s, m: s.sugget("ac", "he"), ([b"hello", b"help"],)),
    Case(
        "sugget-all",
        lambda s, m: s.sugget(
            "ac", "he", fuzzy=True, num=2, with_scores=True, with_payloads=True
        ),
        ([b"hello", b"0.4", b"p1", b"help", b"0.2", None],),
    ),
    Case(
        "sugget-scores",
        lambda s, m: s.sugget("ac", "he", with_scores=True),
        ([b"hello", b"0.4"],),
    ),
    Case(
        "sugget-payloads",
        lambda s, m: s.sugget("ac", "he", with_payloads=True),
        ([b"hello", b"p"],),
    ),
    Case("sugget-none", lambda s, m: s.sugget("ac", "zz"), (None,), (None,)),
    Case("synupdate", lambda s, m: s.synupdate("g1", True, "boy", "child"), (OK,)),
    Case("synupdate-plain", lambda s, m: s.synupdate("g1", False, "kid"), (OK,)),
    Case(
        "syndump",
        lambda s, m: s.syndump(),
        ([b"boy", [b"g1"], b"child", [b"g1", b"g2"]],),
        ({"boy": [b"g1"], "child": [b"g1", b"g2"]},),
        sync_oracle=True,
    ),
    Case(
        "add-document",
        lambda s, m: s.add_document(
            "doc:1",
            nosave=True,
            score=0.5,
            payload="p",
            partial=True,
            language="french",
            title="t",
        ),
        (OK,),
    ),
    Case(
        "add-document-nocreate",
        lambda s, m: s.add_document("d", no_create=True, a=1),
        (OK,),
    ),
    Case(
        "add-document-hash",
        lambda s, m: s.add_document_hash("h", 0.3, "german", True),
        (OK,),
    ),
    Case(
        "delete-document",
        lambda s, m: s.delete_document("d", delete_actual_document=True),
        (1,),
    ),
    Case("get-deprecated", lambda s, m: s.get("d1", "d2"), ([[b"t", b"x"], None],)),
    Case(
        "load-document",
        lambda s, m: s.load_document("doc:1"),
        ([b"title", b"hi", b"id", b"zz"],),
        ({b"title": b"hi", b"id": b"zz"},),
    ),
    Case(
        "load-document-raw-field",
        lambda s, m: s.load_document("doc:1", field_encodings={"vec": None}),
        ([b"vec", b"\x01\x02", b"title", b"hi"],),
        ({b"vec": b"\x01\x02", b"title": b"hi"},),
    ),
)


def doc_example(name: str) -> str:
    """The ``# example: <name>`` block of docs/redis_search.md."""
    return example_in("redis_search.md", name)
