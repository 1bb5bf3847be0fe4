"""Reply converters of the search commands, on RESP2 and RESP3.

aio gives redis-py 8's default ("legacy") shapes on both protocols, so every
converter below turns a RESP3 reply back into what the RESP2 one gives:

* ``FT.SEARCH``: a :class:`Result` (RESP3's map read by ``Result.from_resp3``);
* ``FT.AGGREGATE``/``FT.CURSOR``: an :class:`AggregateResult` whose rows are
  flat ``[field, value, ...]`` lists (RESP3's ``extra_attributes`` maps
  flattened), with the :class:`Cursor` when one was asked for;
* ``FT.HYBRID``: a :class:`HybridResult` (rows as dicts), or with a cursor a
  :class:`HybridCursorResult`;
* ``FT.PROFILE``: ``(result, ProfileInformation)``, RESP3's profile map turned
  into RESP2's nested lists;
* ``FT.INFO``: a dict, field attributes as flat lists;
* ``FT.SPELLCHECK``: ``{term: [{"score": text, "suggestion": s}, ...]}``;
* ``FT.CONFIG GET``, ``FT.SYNDUMP``: dicts; ``FT.ALIASLIST``: a set.

A reply of a shape none of this fits raises :class:`SearchReplyError`, naming
the command, instead of an ``IndexError`` from deep inside.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from aio.redis.commands._convert import as_list
from aio.redis.commands.search._text import str_if_bytes
from aio.redis.commands.search.aggregation import (
    AggregateRequest,
    AggregateResult,
    Cursor,
)
from aio.redis.commands.search.hybrid_result import HybridCursorResult, HybridResult
from aio.redis.commands.search.profile_information import ProfileInformation
from aio.redis.commands.search.query import Query
from aio.redis.commands.search.result import Result
from aio.redis.exceptions import RedisError

__all__ = ("SearchReplyError", "convert", "pipeline_callbacks")

Converter = Callable[..., Any]


class SearchReplyError(RedisError, ValueError):
    """A search command's reply has a shape its converter cannot read.

    Also a ``ValueError``. ``command`` names the command, ``reply`` is the reply.
    """

    def __init__(self, command: str, reply: Any, why: str) -> None:
        super().__init__(f"{command} reply could not be read ({why}): {reply!r:.200}")
        self.command = command
        self.reply = reply


@contextmanager
def _reading(command: str, reply: Any) -> Iterator[None]:
    try:
        yield
    except (IndexError, KeyError, TypeError, ValueError, AttributeError) as exc:
        if isinstance(exc, SearchReplyError):
            raise
        raise SearchReplyError(command, reply, f"{type(exc).__name__}: {exc}") from exc


def _str_keys(mapping: Any) -> dict[Any, Any]:
    if not isinstance(mapping, dict):
        raise TypeError(f"expected a map, got {type(mapping).__name__}")
    return {str_if_bytes(k): v for k, v in mapping.items()}


def _as_text(obj: Any) -> Any:
    # Every bytes in a nested reply decoded (keys and values).
    if isinstance(obj, bytes):
        return str_if_bytes(obj)
    if isinstance(obj, dict):
        return {_as_text(k): _as_text(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_as_text(item) for item in obj]
    return obj


# -- FT.INFO -------------------------------------------------------------------


def info_resp2(res: Any, **_: Any) -> dict[Any, Any]:
    """Flat ``[name, value, ...]``: a dict, bytes names and values decoded."""
    items = [str_if_bytes(item) for item in res]
    return dict(zip(items[::2], items[1::2], strict=False))


def _flat_attribute(attribute: dict[Any, Any]) -> list[Any]:
    # RESP3 gives each attribute as a map with its flags under "flags"; RESP2
    # as name/value pairs followed by the bare flags.
    flat: list[Any] = []
    for key, value in attribute.items():
        if key != "flags":
            flat += [key, value]
    return flat + list(attribute.get("flags") or [])


def info_resp3(res: Any, **_: Any) -> Any:
    """The RESP3 map as RESP2's dict, attributes as flat lists."""
    info = _as_text(res)
    attributes = info.get("attributes")
    if isinstance(attributes, list):
        info["attributes"] = [
            _flat_attribute(a) if isinstance(a, dict) else a for a in attributes
        ]
    return info


# -- FT.SEARCH -----------------------------------------------------------------


def search_resp2(res: Any, *, query: Query, duration: float = 0, **_: Any) -> Result:
    """The flat RESP2 array as a :class:`Result`."""
    return Result(
        res,
        not query._no_content,
        duration=duration,
        has_payload=query._with_payloads,
        with_scores=query._with_scores,
        field_encodings=query._return_fields_decode_as,
    )


def search_resp3(res: Any, *, query: Query, duration: float = 0, **_: Any) -> Result:
    """The RESP3 map as a :class:`Result`."""
    if res is not None and not isinstance(res, dict):
        raise TypeError(f"expected a map, got {type(res).__name__}")
    return Result.from_resp3(
        res,
        duration=duration,
        with_scores=query._with_scores,
        field_encodings=query._return_fields_decode_as,
    )


def _search_item(item: Any, query: Query) -> list[Any]:
    entry = _str_keys(item)
    words = [entry.get("id")]
    if query._with_scores:
        words.append(entry.get("score"))
    if query._with_payloads:
        words.append(entry.get("payload"))
    if not query._no_content:
        fields = entry.get("extra_attributes", {})
        if isinstance(fields, dict):
            fields = [w for k, v in fields.items() for w in (str_if_bytes(k), v)]
        words.append(fields)
    return words


def search_resp3_as_raw(res: Any, query: Query | None = None, **_: Any) -> Any:
    """In a search pipeline on RESP3: the map as RESP2's flat array (redis-py's
    search pipelines return the raw RESP2 reply)."""
    if query is None or not isinstance(res, dict):
        return res
    with _reading("FT.SEARCH", res):
        reply = _str_keys(res)
        flat = [reply.get("total_results", 0)]
        for item in reply.get("results", []):
            flat += _search_item(item, query)
        return flat


# -- FT.AGGREGATE, FT.CURSOR -----------------------------------------------------


def _cursor_for(query: Any, cid: Any) -> Cursor:
    if isinstance(query, Cursor):
        query.cid = cid
        return query
    return Cursor(cid)


def aggregate_resp2(res: Any, *, query: Any, has_cursor: bool, **_: Any) -> Any:
    """``[total, row, ...]`` (``[[...], cursor id]`` with a cursor)."""
    cursor = None
    if has_cursor:
        cursor = _cursor_for(query, res[1])
        res = res[0]
    if not isinstance(res, list):
        raise TypeError(f"expected an array, got {type(res).__name__}")
    if isinstance(query, AggregateRequest) and query._with_schema:
        return AggregateResult(res[2:], cursor, res[0])
    return AggregateResult(res[1:], cursor, None)


def aggregate_resp3(res: Any, *, query: Any, has_cursor: bool, **_: Any) -> Any:
    """The RESP3 map (``[map, cursor id]`` with a cursor); rows flattened."""
    data, cid = res, 0
    if has_cursor and isinstance(res, list):
        data = res[0]
        cid = res[1] if len(res) > 1 else 0
    reply = _str_keys({} if data is None else data)
    rows = []
    for item in reply.get("results", []):
        fields = _str_keys(item).get("extra_attributes", {})
        rows.append([w for k, v in fields.items() for w in (k, v)])
    return AggregateResult(
        rows,
        _cursor_for(query, cid) if has_cursor else None,
        None,
        total=reply.get("total_results", 0),
        warnings=[str_if_bytes(w) for w in reply.get("warning", [])],
    )


# -- FT.HYBRID ------------------------------------------------------------------


def _pairs_dict(flat: Any) -> dict[Any, Any]:
    if flat is None:
        return {}
    if not isinstance(flat, list):
        raise TypeError(f"expected an array, got {type(flat).__name__}")
    keys = [str_if_bytes(k) for k in flat[::2]]
    return dict(zip(keys, flat[1::2], strict=False))


def _hybrid_cursors(reply: dict[Any, Any]) -> HybridCursorResult:
    return HybridCursorResult(
        search_cursor_id=int(reply["SEARCH"]), vsim_cursor_id=int(reply["VSIM"])
    )


def hybrid_resp2(res: Any, cursor: Any = None, **_: Any) -> Any:
    """``[name, value, ...]`` with each row a flat list: a :class:`HybridResult`
    (a :class:`HybridCursorResult` for a cursor)."""
    reply = _pairs_dict(res)
    if cursor is not None:
        return _hybrid_cursors(reply)
    return HybridResult(
        total_results=int(reply["total_results"]),
        results=[_pairs_dict(row) for row in reply["results"]],
        warnings=reply["warnings"],
        execution_time=float(reply["execution_time"]),
    )


def hybrid_resp3(res: Any, cursor: Any = None, **_: Any) -> Any:
    """The RESP3 map as :func:`hybrid_resp2` gives it."""
    reply = _str_keys(res)
    if cursor is not None:
        return _hybrid_cursors(reply)
    rows = [
        _str_keys(row) if isinstance(row, dict) else _pairs_dict(row)
        for row in reply.get("results", [])
    ]
    return HybridResult(
        total_results=int(reply.get("total_results", 0)),
        results=rows,
        warnings=reply.get("warnings", []),
        execution_time=float(reply.get("execution_time", 0)),
    )


def hybrid_resp3_as_raw(res: Any, cursor: Any = None, **_: Any) -> Any:
    """In a search pipeline on RESP3: the map as RESP2's flat array."""
    if not isinstance(res, dict):
        return res
    reply = _str_keys(res)
    if cursor is not None:
        return ["SEARCH", reply.get("SEARCH"), "VSIM", reply.get("VSIM")]
    rows = [
        [w for k, v in row.items() for w in (str_if_bytes(k), v)]
        if isinstance(row, dict)
        else row
        for row in reply.get("results", [])
    ]
    return [
        "total_results", reply.get("total_results", 0),
        "results", rows,
        "warnings", reply.get("warnings", []),
        "execution_time", reply.get("execution_time", 0),
    ]  # fmt: skip


# -- FT.PROFILE ----------------------------------------------------------------


def _profiled_resp2(res: Any, query: Any, duration: float) -> Any:
    if isinstance(query, AggregateRequest):
        return aggregate_resp2(res, query=query, has_cursor=bool(query._cursor))
    return Result(
        res,
        not query._no_content,
        duration=duration,
        has_payload=query._with_payloads,
        with_scores=query._with_scores,
    )


def profile_resp2(res: Any, *, query: Any, duration: float = 0, **_: Any) -> Any:
    """``[result, profile]``: ``(Result or AggregateResult, ProfileInformation)``."""
    return _profiled_resp2(res[0], query, duration), ProfileInformation(res[1])


def _first_present(mapping: dict[Any, Any], *keys: Any) -> Any:
    for key in keys:
        value = mapping.get(key)
        if value is not None:
            return value
    return None


def _is_list_of_maps(obj: Any) -> bool:
    return isinstance(obj, list) and bool(obj) and isinstance(obj[0], dict)


def _profile_as_lists(data: dict[Any, Any], flat_top: bool) -> Any:
    # RESP2's profile: nested maps are flat [key, value, ...] lists, a list of
    # maps is spread as siblings in its parent, and (before RediSearch 7.9,
    # whose top level has "Shards"/"Coordinator") the top level is a list of
    # [key, value...] pairs.
    def values_of(value: Any) -> list[Any]:
        if _is_list_of_maps(value):
            return [convert_node(item) for item in value]
        return [convert_node(value)]

    def convert_node(obj: Any) -> Any:
        if isinstance(obj, dict):
            return [w for k, v in obj.items() for w in (k, *values_of(v))]
        if isinstance(obj, list):
            return [convert_node(item) for item in obj]
        return obj

    if flat_top:
        return convert_node(data)
    return [[key, *values_of(value)] for key, value in data.items()]


def profile_resp3(res: Any, *, query: Any, duration: float = 0, **_: Any) -> Any:
    """RESP3's ``{"Results": ..., "Profile": ...}`` as the RESP2 pair (an
    older server's RESP2-shaped array is read as RESP2)."""
    if isinstance(res, list):
        return profile_resp2(res, query=query, duration=duration)
    if not isinstance(res, dict):
        raise TypeError(f"expected a map, got {type(res).__name__}")
    results = _first_present(res, "Results", b"Results", "results", b"results", 0)
    profile = _first_present(res, "Profile", b"Profile", "profile", b"profile", 1)
    if isinstance(results, list):
        # Older servers: a bare list of result maps.
        results = {"total_results": len(results), "results": results}
    result: Any
    if isinstance(query, AggregateRequest):
        result = aggregate_resp3(results, query=query, has_cursor=bool(query._cursor))
    else:
        result = Result.from_resp3(
            results, duration=duration, with_scores=query._with_scores
        )
    profile = _as_text(profile)
    if isinstance(profile, dict):
        flat_top = "Shards" in profile or "Coordinator" in profile
        profile = _profile_as_lists(profile, flat_top)
    return result, ProfileInformation(profile)


# -- FT.SPELLCHECK ---------------------------------------------------------------


def spellcheck_resp2(res: Any, **_: Any) -> dict[Any, Any]:
    """``[["TERM", term, [[score, suggestion], ...]], ...]`` as a dict; terms
    without suggestions left out."""
    corrections: dict[Any, Any] = {}
    if res == 0:
        return corrections
    for entry in res:
        if isinstance(entry, int) and entry == 0:
            continue
        if len(entry) != 3 or not entry[2] or not entry[2][0]:
            continue
        corrections[entry[1]] = [
            {"score": pair[0], "suggestion": pair[1]} for pair in entry[2]
        ]
    return corrections


def _score_text(score: Any) -> str:
    # RESP2 sends the score as text ("0", "0.5"); RESP3 as a double.
    text = str(score)
    return text[:-2] if text.endswith(".0") else text


def spellcheck_resp3(res: Any, **_: Any) -> dict[Any, Any]:
    """RESP3's ``{"results": {term: [{suggestion: score}, ...]}}`` in RESP2's shape."""
    if not isinstance(res, dict):
        return spellcheck_resp2(res)
    corrections: dict[Any, Any] = {}
    for term, suggestions in _str_keys(res).get("results", {}).items():
        found = [
            {"score": _score_text(score), "suggestion": suggestion}
            for entry in suggestions or ()
            for suggestion, score in entry.items()
        ]
        if found:
            corrections[term] = found
    return corrections


# -- FT.CONFIG GET, FT.SYNDUMP, FT.ALIASLIST ---------------------------------------


def config_get_resp2(res: Any, **_: Any) -> dict[Any, Any]:
    """``[[name, value], ...]`` as a dict."""
    return {pair[0]: pair[1] for pair in res} if res else {}


def config_get_resp3(res: Any, **_: Any) -> dict[Any, Any]:
    """The RESP3 map as a dict."""
    return dict(res) if res else {}


def syndump_resp2(res: Any, **_: Any) -> dict[Any, Any]:
    """``[term, [group ids], ...]`` as a dict."""
    return {res[i]: res[i + 1] for i in range(0, len(res), 2)}


def syndump_resp3(res: Any, **_: Any) -> Any:
    """The RESP3 map, decoded."""
    if not res:
        return {}
    return _as_text(_str_keys(res))


def aliaslist(res: Any, **_: Any) -> set[Any]:
    """The aliases, as a set."""
    return set(res) if res else set()


def as_array(res: Any, **_: Any) -> Any:
    """A RESP3 set as RESP2's array (in the set's order, not the wire's)."""
    return as_list(res)


_CONVERTERS: dict[int, dict[str, Converter]] = {
    2: {
        "FT.INFO": info_resp2,
        "FT.SEARCH": search_resp2,
        "FT.HYBRID": hybrid_resp2,
        "FT.AGGREGATE": aggregate_resp2,
        "FT.PROFILE": profile_resp2,
        "FT.SPELLCHECK": spellcheck_resp2,
        "FT.CONFIG": config_get_resp2,
        "FT.SYNDUMP": syndump_resp2,
        "FT.ALIASLIST": aliaslist,
    },
    3: {
        "FT.INFO": info_resp3,
        "FT.SEARCH": search_resp3,
        "FT.HYBRID": hybrid_resp3,
        "FT.AGGREGATE": aggregate_resp3,
        "FT.PROFILE": profile_resp3,
        "FT.SPELLCHECK": spellcheck_resp3,
        "FT.CONFIG": config_get_resp3,
        "FT.SYNDUMP": syndump_resp3,
        "FT.ALIASLIST": aliaslist,
    },
}


def convert(protocol: int, command: str, reply: Any, **options: Any) -> Any:
    """``reply`` to ``command`` (``"FT.SEARCH"``...) on ``protocol`` as
    redis-py's search client returns it.

    :raises SearchReplyError: the reply is not of the shape the command gives.
    """
    converter = _CONVERTERS[3 if protocol == 3 else 2][command]
    with _reading(command, reply):
        return converter(reply, **options)


def pipeline_callbacks(protocol: int) -> dict[str, Converter]:
    """The converters a search pipeline registers: redis-py's search pipelines
    return raw RESP2 replies, so only RESP3's ``FT.SEARCH`` map is turned into
    RESP2's array (``FT.TAGVALS``' and ``FT.DICTDUMP``'s sets into lists), and
    ``FT.ALIASLIST`` into a set."""
    table: dict[str, Converter] = {"FT.ALIASLIST": aliaslist}
    if protocol == 3:
        table["FT.SEARCH"] = search_resp3_as_raw
        table["FT.HYBRID"] = hybrid_resp3_as_raw
        table["FT.TAGVALS"] = as_array
        table["FT.DICTDUMP"] = as_array
    return table
