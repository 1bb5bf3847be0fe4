"""The search builders (fields, definitions, queries, aggregations, reducers,
query strings, suggestions) against redis-py's: the same calls give the same
words, with no server involved."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from aio.redis.commands import search as aio_search
from aio.redis.commands.search import querystring as qs
from aio.redis.commands.search.suggestion import Suggestion, SuggestionParser
from tests.redis.scripted_search import modules

AIO, THEIRS = modules("aio"), modules("redis-py")

BUILDERS: dict[str, Callable[[Any], Any]] = {
    "text-field": lambda m: m.field.TextField(
        "t", weight=2, no_stem=True, phonetic_matcher="dm:fr", withsuffixtrie=True,
        sortable=True, no_index=True, index_missing=True, index_empty=True, as_name="x",
    ).redis_args(),
    "text-unknown-phonetic": lambda m: m.field.TextField(
        "t", phonetic_matcher="dm:xx"
    ).redis_args(),
    "numeric-field": lambda m: m.field.NumericField("n", sortable=True).redis_args(),
    "geo-field": lambda m: m.field.GeoField("g", as_name="where").redis_args(),
    "geoshape-field": lambda m: m.field.GeoShapeField("s").redis_args(),
    "geoshape-spherical": lambda m: m.field.GeoShapeField(
        "s", m.field.GeoShapeField.SPHERICAL
    ).redis_args(),
    "tag-field": lambda m: m.field.TagField(
        "t", separator="|", case_sensitive=True, withsuffixtrie=True
    ).redis_args(),
    "vector-field": lambda m: m.field.VectorField(
        "v", "svs-vamana", {"TYPE": "FLOAT16", "DIM": 8, "DISTANCE_METRIC": "IP"},
        as_name="vv", index_missing=True,
    ).redis_args(),
    "field-append": lambda m: _appended(m.field.Field("f", ["X"])),
    "definition-empty": lambda m: m.index_definition.IndexDefinition().args,
    "definition-bytes-prefix": lambda m: m.index_definition.IndexDefinition(
        prefix=b"p:", score=None, index_type=m.index_definition.IndexType.JSON
    ).args,
    "query-default": lambda m: m.query.Query("hi").get_args(),
    "query-all": lambda m: _query(m).get_args(),
    "query-string": lambda m: m.query.Query("hi").query_string(),
    "query-decode-as": lambda m: _query(m)._return_fields_decode_as,
    "query-highlight-bare": lambda m: m.query.Query("x").highlight().summarize().get_args(),
    "numeric-filter": lambda m: m.query.NumericFilter(
        "n", m.query.NumericFilter.NEG_INF, 5, maxExclusive=True
    ).args,
    "geo-filter": lambda m: m.query.GeoFilter("g", 1, 2, 3).args,
    "aggregate-default": lambda m: m.aggregation.AggregateRequest().build_args(),
    "aggregate-all": lambda m: _aggregate(m).build_args(),
    "cursor": lambda m: _cursor(m).build_args(),
    "limit-zero": lambda m: m.aggregation.Limit().build_args(),
    "reducers": lambda m: _reducers(m),
    "collect-all": lambda m: m.reducers.collect().args,
    "collect-full": lambda m: m.reducers.collect(
        fields=["a", "@b"], distinct=True,
        sort_by=[m.aggregation.Asc("x"), m.aggregation.Desc("@y")], limit=(0, 3),
    ).args,
    "collect-one": lambda m: m.reducers.collect(
        fields="a", sort_by=m.aggregation.Desc("a")
    ).args,
    "querystring": lambda m: _querystrings(m.querystring),
}  # fmt: skip


def _appended(field: Any) -> Any:
    field.append_arg("Y")
    return field.redis_args()


def _query(m: Any) -> Any:
    q = m.query
    return (
        q.Query("@t:x")
        .no_content()
        .with_payloads()
        .with_scores()
        .limit_ids("a")
        .return_fields("t")
        .return_field("v", decode_field=False, encoding="latin-1")
        .return_field("w", encoding="latin-1")
        .summarize("t", num_frags=1)
        .highlight(["t", "u"])
        .slop(0)
        .timeout(1.5)
        .add_filter(q.NumericFilter("n", 1, 2))
    )


def _aggregate(m: Any) -> Any:
    a, r = m.aggregation, m.reducers
    return (
        a.AggregateRequest("@t:x")
        .with_schema()
        .verbatim()
        .add_scores()
        .cursor(count=10, max_idle=0.25)
        .load()
        .group_by("@g", r.count(), r.quantile("@n", 0.9).alias("q"))
        .apply(a="@n*2", b="@n*3")
        .filter("@a > 2")
        .sort_by("@a")
        .limit(10, 20)
        .dialect(1)
    )


def _cursor(m: Any) -> Any:
    cursor = m.aggregation.Cursor(7)
    cursor.max_idle, cursor.count = 100, 5
    return cursor


def _reducers(m: Any) -> list[Any]:
    r, a = m.reducers, m.aggregation
    made = [
        r.count(), r.sum("@a"), r.min("@a"), r.max("@a"), r.avg("@a"),
        r.tolist("@a"), r.count_distinct("@a"), r.count_distinctish("@a"),
        r.quantile("@a", 0.25), r.stddev("@a"),
        r.first_value("@a"), r.first_value("@a", a.Asc),
        r.first_value("@a", a.Desc("@b"), a.Asc("@c")),
        r.random_sample("@a", 3),
    ]  # fmt: skip
    return [
        (x.NAME, x.args, x.alias(a.FIELDNAME)._alias if x._field else None)
        for x in made
    ]


def _querystrings(q: Any) -> list[str]:
    return [
        q.querystring("hello", "world"),
        q.querystring(name="ada"),
        q.querystring(age=q.between(1, 5), tag=q.tags("a", "b")),
        q.querystring(n=q.between(1, 5, inclusive_min=False, inclusive_max=False)),
        q.querystring(n=[q.lt(3), q.gt(9)], m=q.le(4), k=q.ge(2), e=q.equal(7)),
        q.querystring(city=("paris", "rome"), x=[1, 2.5]),
        q.querystring(loc=q.geo(48.8, 2.3, 10, "mi")),
        str(q.union(q.intersect("a", "b"), q.disjunct("c"), q.OptionalNode("d"))),
        str(q.disjunct_union(city=("x", "y"))),
        str(q.disjunct("a", "b")),
        str(q.OptionalNode("a", "b")),
        q.union(n=q.between(None, None)).to_string(with_parens=True),
        q.intersect("a", "b").to_string(with_parens=False),
        str(q.Value.make_value(q.tags("z"))),
        str(q.Node.to_node("raw")),
    ]  # fmt: skip


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_builder_words_as_redispy(name: str) -> None:
    assert BUILDERS[name](AIO) == BUILDERS[name](THEIRS)


def test_querystring_spelled_out() -> None:
    assert qs.querystring(qs.union(name=("bob", "john")), age=qs.gt(3)) == (
        "(@name:(bob|john) @age:[(3 inf])"
    )
    assert qs.querystring(t=qs.tags("a", "b c")) == "@t:{a | b c}"


def test_suggestion_and_parser() -> None:
    sug = Suggestion(b"caf\xc3\xa9", 0.5, b"p")
    assert (sug.string, sug.score, sug.payload, repr(sug)) == ("café", 0.5, "p", "café")
    parsed = list(SuggestionParser(True, True, [b"a", b"0.5", None, b"b", b"1", b"x"]))
    assert [(s.string, s.score, s.payload) for s in parsed] == [
        ("a", 0.5, None),
        ("b", 1.0, "x"),
    ]
    plain = list(SuggestionParser(False, False, [b"a", b"b"]))
    assert [(s.string, s.score) for s in plain] == [("a", 1.0), ("b", 1.0)]


def test_document_and_profile_information() -> None:
    from aio.redis.commands.search.document import Document
    from aio.redis.commands.search.profile_information import ProfileInformation

    doc = Document("d:1", payload=None, title="t")
    assert doc["title"] == "t" and doc.id == "d:1"
    assert repr(doc) == "Document {'id': 'd:1', 'payload': None, 'title': 't'}"
    assert ProfileInformation([1]).info == [1]


MODULES = (
    "aggregation", "commands", "dialect", "document", "field", "index_definition",
    "hybrid_query", "hybrid_result",
    "profile_information", "query", "querystring", "reducers", "result", "suggestion",
)  # fmt: skip


@pytest.mark.parametrize("name", MODULES)
def test_public_names_as_redispy(name: str) -> None:
    """Each module has the public names redis-py's has (that users import)."""
    import importlib

    ours = importlib.import_module(f"aio.redis.commands.search.{name}")
    theirs = importlib.import_module(f"redis.commands.search.{name}")
    for attr in ours.__all__:
        assert getattr(ours, attr) is not None
    wanted = {
        n for n, v in vars(theirs).items()
        if not n.startswith("_") and getattr(v, "__module__", "") == theirs.__name__
    }  # fmt: skip
    if name == "commands":
        wanted -= {"AsyncSearchCommands"}  # aio's SearchCommands is the async one
    assert wanted <= set(dir(ours)), sorted(wanted - set(dir(ours)))


def test_package_exports() -> None:
    for attr in aio_search.__all__:
        assert getattr(aio_search, attr) is not None
    assert aio_search.AsyncSearch is aio_search.Search
    assert aio_search.Pipeline is aio_search.AsyncPipeline is aio_search.SearchPipeline
