"""The unified reply shapes: redis-py 8's opt-in ``legacy_responses=False``.

With the flag off, redis-py gives one Python shape per command whichever
protocol carried the reply, mostly RESP3's native one: scores as ``float`` in
``[member, score]`` lists, XREAD as ``{stream: entries}``, maps as dicts, sets
as sets. The client picks its table once, when it is made
(:func:`unified_callbacks`): the legacy table (``RESPONSE_CALLBACKS``) with the
commands whose unified shape differs replaced, and on RESP3 the commands whose
native reply already is the unified shape left unconverted. A unified
client's connections read RESP3 sets as lists in the server's order, as
redis-py's parser does (``RESPParser(sets_as_lists=True)``).

Where redis-py's two unified tables disagree (a RESP3 double where RESP2 sends
text, MEMORY STATS' values), the shape follows redis-py on each protocol.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from aio.redis.commands import _convert as c
from aio.redis.commands import _convert_server as srv
from aio.redis.commands import _convert_streams as st

Callback = Callable[..., Any]


def _each(names: str, callback: Callback) -> dict[str, Callback]:
    return dict.fromkeys((name.strip() for name in names.split(",")), callback)


# -- sorted sets ------------------------------------------------------------------


def _scored(response: Any, options: dict[str, Any]) -> list[list[Any]]:
    # Every score goes through float first (RESP2's text, RESP3's double), so a
    # score_cast_func sees the same input on both protocols.
    cast = c.score_caster(options)
    return [[m, cast(float(s))] for m, s in c._member_score_pairs(response)]


def zset_pairs(response: Any, **options: Any) -> Any:
    """ZRANGE & co, ZRANDMEMBER, ZDIFF with ``withscores``: ``[[member, score]]``."""
    if not response or not options.get("withscores"):
        return response
    return _scored(response, options)


def zpop(response: Any, **options: Any) -> Any:
    """ZPOPMIN/ZPOPMAX: ``[[member, score], ...]`` (RESP3's lone pair nested)."""
    if not response:
        return response
    return _scored(response, options)


def zrank(response: Any, **options: Any) -> Any:
    """ZRANK/ZREVRANK with ``withscore``: ``[rank, score]``."""
    if not response or not options.get("withscore"):
        return response
    return [response[0], c.score_caster(options)(float(response[1]))]


def bzpop(response: Any, **options: Any) -> list[Any] | None:
    """BZPOPMIN/BZPOPMAX: ``[key, member, score]`` or None on timeout."""
    if not response:
        return None
    return [response[0], response[1], float(response[2])]


def zmpop(response: Any, **options: Any) -> Any:
    """ZMPOP/BZMPOP: ``[key, [[member, score], ...]]`` with float scores."""
    if not response:
        return response
    key, pairs = response
    return [key, [[m, float(s)] for m, s in pairs]]


def zscan(response: Any, **options: Any) -> tuple[int, list[list[Any]]]:
    """ZSCAN: ``(cursor, [[member, score], ...])``."""
    cursor, items = response
    return int(cursor), _scored(items or [], options)


# -- hashes, strings, geo -------------------------------------------------------------


def hrandfield(response: Any, **options: Any) -> Any:
    """HRANDFIELD ``withvalues``: ``[[field, value], ...]`` (RESP3's nesting)."""
    if not response or not options.get("withvalues"):
        return response
    if isinstance(response[0], list):
        return response
    return [[f, v] for f, v in c.flat_pairs(response)]


def lcs(response: Any, **options: Any) -> Any:
    """LCS with IDX: a dict with str keys; the match or its length unchanged."""
    if isinstance(response, (list, dict)):
        return c.pairs_to_dict(response, decode_keys=True)
    return response


def stralgo(response: Any, **options: Any) -> Any:
    """STRALGO LCS: as the legacy shape, with each range a list, not a tuple."""
    if options.get("idx") and isinstance(response, (list, dict)):
        legacy = c.stralgo(response, **options)
        legacy["matches"] = [
            [r if isinstance(r, int) else list(r) for r in match]
            for match in legacy["matches"]
        ]
        return legacy
    return c.stralgo(response, **options)


def geopos(response: Any, **options: Any) -> list[list[float] | None]:
    """GEOPOS: ``[longitude, latitude]`` or None per member."""
    return [None if p is None else [float(p[0]), float(p[1])] for p in response]


# -- streams -----------------------------------------------------------------------


def xread(response: Any, **options: Any) -> dict[Any, Any]:
    """XREAD/XREADGROUP: ``{stream: [(id, fields), ...]}``; ``{}`` when none came."""
    if not response:
        return {}
    return {
        name: st.stream_entries(entries, **options)
        for name, entries in st._streams(response)
    }


def xinfo_stream(response: Any, **options: Any) -> dict[str, Any]:
    """XINFO STREAM on RESP3: as the legacy shape, except that with ``full``
    each group's consumers stay the server's maps (keys as sent)."""
    if not options.get("full") or not isinstance(response, dict):
        return st.xinfo_stream(response, **options)
    data = _text_keys(response)
    data["entries"] = {
        eid: dict(c.flat_pairs(fields)) for eid, fields in data["entries"]
    }
    data["groups"] = [_text_keys(group) for group in data.get("groups") or []]
    return data


def list_of_dicts(response: Any, **options: Any) -> list[dict[str, Any]]:
    """XINFO GROUPS/CONSUMERS: str keys, values as sent."""
    return st.list_of_dicts(response)


def function_list(response: Any, **options: Any) -> Any:
    """FUNCTION LIST: a dict per library, its ``functions`` a dict per function
    (keys as the server sent them)."""
    if response is None:
        return None
    out: list[Any] = []
    for lib in response:
        if isinstance(lib, dict):
            out.append(lib)  # RESP3: flag sets are lists already (the parser's option)
            continue
        data = c.pairs_to_dict(lib)
        for key in (b"functions", "functions"):
            if key in data:
                data[key] = [
                    f if isinstance(f, dict) else c.pairs_to_dict(f) for f in data[key]
                ]
                break
        out.append(data)
    return out


# -- server -----------------------------------------------------------------------


def _text_keys(value: Any) -> dict[str, Any]:
    return {c.text(k): v for k, v in c.flat_pairs(value)}


def str_keys(response: Any, **options: Any) -> dict[str, Any]:
    """A map (or RESP2's flat pairs) as a dict with str keys, values as sent."""
    return _text_keys(response)


def acl_getuser(response: Any, **options: Any) -> dict[str, Any] | None:
    """ACL GETUSER: the legacy dict with each selector a dict (RESP3's shape)."""
    data = srv.acl_getuser(response)
    if data is not None and "selectors" in data:
        data["selectors"] = [dict(c.flat_pairs(sel)) for sel in data["selectors"]]
    return data


def acl_log(response: Any, **options: Any) -> Any:
    """ACL LOG on RESP3: str values except the numbers RESP3 carries natively."""
    if response is None:
        return None
    if not isinstance(response, list):
        return c.bool_ok(response)
    entries = []
    for entry in response:
        data = {k: c.text(v) for k, v in _text_keys(entry).items()}
        if "age-seconds" in data:
            data["age-seconds"] = float(data["age-seconds"])
        if "client-info" in data:
            data["client-info"] = srv.client_info(data["client-info"])
        entries.append(data)
    return entries


def tracking_info(response: Any, **options: Any) -> dict[str, Any]:
    """CLIENT TRACKINGINFO: a dict with str keys; flags and prefixes as str."""
    data = _text_keys(response)
    for key in ("flags", "prefixes"):
        if key in data:
            data[key] = [c.text(item) for item in data[key]]
    return data


def command_table(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """COMMAND: as the legacy table, with flags and ACL categories as sets (the
    tips, key specifications and subcommands as sent: RESP3's sets as lists in
    the server's order, the connection's parser reading them so)."""
    table = srv.command_table(response)
    for details in table.values():
        details["flags"] = set(details["flags"])
        if "acl_categories" in details:
            details["acl_categories"] = set(details["acl_categories"])
    return table


def memory_stats(response: Any, **options: Any) -> dict[str, Any]:
    """MEMORY STATS: str keys (in the ``db.N`` sub-dicts too), values as sent."""
    stats = _text_keys(response)
    for key, value in stats.items():
        if key.startswith("db.") and isinstance(value, (list, dict)):
            stats[key] = _text_keys(value)
    return stats


def _sentinel(state: dict[str, Any]) -> dict[str, Any]:
    state["flags"] = set(str(state.get("flags", "")).split(","))
    return state


def sentinel_master(response: Any, **options: Any) -> dict[str, Any]:
    """SENTINEL MASTER: the legacy state with ``flags`` a set."""
    return _sentinel(srv.sentinel_master(response))


def sentinel_masters(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """SENTINEL MASTERS: ``{name: state}``, ``flags`` a set."""
    return {
        name: _sentinel(state) for name, state in srv.sentinel_masters(response).items()
    }


def sentinel_states(response: Any, **options: Any) -> list[dict[str, Any]]:
    """SENTINEL SLAVES/SENTINELS: states with ``flags`` a set."""
    return [_sentinel(state) for state in srv.sentinel_states(response)]


# -- cluster -----------------------------------------------------------------------


def cluster_links(response: Any, **options: Any) -> list[dict[str, Any]] | None:
    """CLUSTER LINKS: a dict with str keys per link."""
    if response is None:
        return None
    return [_text_keys(link) for link in response]


def cluster_shards(response: Any, **options: Any) -> Any:
    """CLUSTER SHARDS: ``{"slots": ..., "nodes": [{str: value}]}`` per shard;
    slot ranges as (start, end) pairs from RESP2, as sent from RESP3."""
    if not response:
        return response
    shards = []
    for shard in response:
        data = _text_keys(shard)
        slots = data.get("slots", [])
        if not isinstance(shard, dict):
            slots = list(c.flat_pairs(slots))
        nodes = data.get("nodes", [])
        shards.append(
            {
                "slots": slots,
                "nodes": [
                    _text_keys(node) if isinstance(node, (dict, list)) else node
                    for node in nodes
                ],
            }
        )
    return shards


# -- the tables -------------------------------------------------------------------

# Both protocols: the commands whose unified shape is not the legacy one.
_BOTH: dict[str, Callback] = {
    **_each(
        "ZDIFF, ZINTER, ZRANGE, ZRANGEBYSCORE, ZREVRANGE, ZREVRANGEBYSCORE, ZUNION, "
        "ZRANDMEMBER",
        zset_pairs,
    ),
    **_each("ZPOPMAX, ZPOPMIN", zpop),
    **_each("ZRANK, ZREVRANK", zrank),
    **_each("BZPOPMAX, BZPOPMIN", bzpop),
    **_each("ZMPOP, BZMPOP", zmpop),
    "ZSCAN": zscan,
    **_each("XREAD, XREADGROUP", xread),
    "HRANDFIELD": hrandfield,
    "LCS": lcs,
    "STRALGO": stralgo,
    "ASKING": c.bool_ok,
    "CLIENT TRACKINGINFO": tracking_info,
    "COMMAND": command_table,
    "FUNCTION LIST": function_list,
    "CLUSTER LINKS": cluster_links,
    "CLUSTER SHARDS": cluster_shards,
    "SENTINEL MASTER": sentinel_master,
    "SENTINEL MASTERS": sentinel_masters,
    **_each("SENTINEL SENTINELS, SENTINEL SLAVES", sentinel_states),
}

#: RESP2: replaced converters over the legacy table.
UNIFIED_RESP2: dict[str, Callback] = {
    **_BOTH,
    "ACL GETUSER": acl_getuser,
    "GEOPOS": geopos,
    "MEMORY STATS": memory_stats,
}

#: RESP3: replaced converters over the legacy table...
UNIFIED_RESP3: dict[str, Callback] = {
    **_BOTH,
    "ACL GETUSER": acl_getuser,
    "ACL LOG": acl_log,
    "ARINFO": str_keys,
    # RESP3 sets: lists already on a unified client's connection (its parser
    # reads sets as lists, as redis-py's does); kept for a set given directly.
    "SPOP": c.as_list,
    "COMMAND GETKEYSANDFLAGS": srv.getkeysandflags,
    "MEMORY STATS": memory_stats,
    **_each("XINFO CONSUMERS, XINFO GROUPS", list_of_dicts),
    "XINFO STREAM": xinfo_stream,
}

#: ... and the legacy converters dropped, RESP3's reply being the unified shape.
RESP3_RAW = frozenset(
    {
        "BGREWRITEAOF",
        "BGSAVE",
        "DEBUG OBJECT",
        "GEOPOS",
        "HOTKEYS GET",
        "MODULE LIST",
        "ZADD",
        "ZMSCORE",
        "INCREX",
    }
)
#: Left unconverted on both protocols.
_RAW = frozenset({"BLPOP", "BRPOP", "COMMAND GETKEYS", "CLUSTER GETKEYSINSLOT"})


def unified_callbacks(
    legacy: Mapping[str, Callback], protocol: int
) -> dict[str, Callback]:
    """The unified table for a client whose legacy (RESP2) table is ``legacy``."""
    overlay, raw = (
        (UNIFIED_RESP3, RESP3_RAW | _RAW) if protocol == 3 else (UNIFIED_RESP2, _RAW)
    )
    table = {name: cb for name, cb in legacy.items() if name not in raw}
    # CLUSTER SHARDS only where the legacy table converts it (a cluster client).
    table.update(
        (name, cb)
        for name, cb in overlay.items()
        if name != "CLUSTER SHARDS" or name in legacy
    )
    return table


__all__ = ("RESP3_RAW", "UNIFIED_RESP2", "UNIFIED_RESP3", "unified_callbacks")
