"""Reply converters for data commands (keys, strings, hashes, sets, zsets, geo).

Every converter takes the parsed reply plus the command's options and returns
redis-py's RESP2 ("legacy") Python shape, whichever protocol carried the
reply: a RESP3 map becomes what the RESP2 flat array became, a RESP3 double is
re-encoded to the bytes RESP2 would have carried before ``score_cast_func``
sees it (so a custom cast gets the same input on both protocols), a RESP3 set
becomes a Python set or list as RESP2's array did.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any


def text(value: Any) -> Any:
    """Bytes as str (utf-8); anything else unchanged."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).decode("utf-8", "replace")
    return value


def flat_pairs(value: Any) -> list[tuple[Any, Any]]:
    """(key, value) pairs of a RESP3 map or a RESP2 flat ``[k, v, k, v]`` array."""
    if value is None:
        return []
    if isinstance(value, dict):
        return list(value.items())
    items = list(value)
    return list(zip(items[::2], items[1::2], strict=False))


def pairs_to_dict(value: Any, decode_keys: bool = False) -> dict[Any, Any]:
    """A dict from a RESP3 map or a RESP2 flat array of pairs."""
    if decode_keys:
        return {text(k): v for k, v in flat_pairs(value)}
    return dict(flat_pairs(value))


def flatten_map(value: Any) -> Any:
    """A RESP3 map back to RESP2's flat array; other values unchanged."""
    if isinstance(value, dict):
        out: list[Any] = []
        for k, v in value.items():
            out += [k, v]
        return out
    return value


def as_set(response: Any, **options: Any) -> set[Any]:
    """SMEMBERS, SINTER, SUNION, SDIFF: a Python set."""
    return set(response) if response else set()


def as_list(response: Any, **options: Any) -> Any:
    """A RESP3 set reply (SPOP with count) as the list RESP2 gave."""
    if isinstance(response, (set, frozenset)):
        return list(response)
    return response


def bool_ok(response: Any, **options: Any) -> bool:
    """True when the server answered +OK."""
    # Compared without decoding: this runs for every SET/MSET/LSET... reply.
    return bool(response == b"OK" or response == "OK")


def to_bool(response: Any, **options: Any) -> bool:
    """An integer (or OK) reply as a bool."""
    return bool(response)


def to_float(response: Any, **options: Any) -> float:
    """A numeric reply as a float."""
    return float(response)


def float_or_none(response: Any, **options: Any) -> float | None:
    """A numeric reply as a float, None when the server sent nil."""
    if response is None:
        return None
    return float(response)


def always_true(response: Any, **options: Any) -> bool:
    """BGSAVE and BGREWRITEAOF: redis-py reports True whatever the status text."""
    return True


def str_reply(response: Any, **options: Any) -> Any:
    """A reply that redis-py always gives as str (SCRIPT LOAD, CLIENT GETNAME)."""
    return text(response)


def str_list(response: Any, **options: Any) -> list[Any]:
    """A list reply whose items redis-py gives as str (GEOHASH)."""
    return [text(item) for item in response]


def str_keyed_dict(response: Any, **options: Any) -> dict[str, Any]:
    """ARINFO: a map (RESP3) or flat pairs (RESP2) as a dict with str keys;
    RESP3 doubles (the FULL averages) as the text RESP2 carries."""
    return {
        text(k): resp2_score(v, k) if isinstance(v, float) else v
        for k, v in flat_pairs(response)
    }


def human_double(value: float, as_str: bool = False) -> Any:
    """A double in the form RESP2 carries INCRBYFLOAT-style results: fixed
    point, at most 17 decimals, no trailing zeros (Redis' "human" long double
    format); bytes, or str when the client decodes.

    The shortest text that reads back as ``value`` is the starting point: it
    is what the server's own long-double text was for values a double holds.
    """
    if math.isfinite(value):
        formatted = f"{Decimal(repr(value)):.17f}".rstrip("0").rstrip(".")
    else:
        formatted = repr(value)
    return formatted if as_str else formatted.encode()


def increx(response: Any, **options: Any) -> Any:
    """INCREX: ``[value, increment]``; RESP3's doubles (BYFLOAT) as RESP2's text."""
    if not isinstance(response, list):
        return response
    as_str = bool(options.get("decoded"))
    return [human_double(v, as_str) if isinstance(v, float) else v for v in response]


def stralgo(response: Any, **options: Any) -> Any:
    """STRALGO LCS: the match as str, its length with ``len``, or with ``idx``
    ``{"matches": [[(a, b), (c, d)], ...], "len": n}`` (each match led by its
    length with ``withmatchlen``)."""
    if options.get("len"):
        return int(response)
    if not options.get("idx"):
        return text(response)
    data = pairs_to_dict(response, decode_keys=True)
    matches: list[Any] = []
    for match in data.get("matches") or []:
        if options.get("withmatchlen"):
            matches.append([int(match[-1]), *(tuple(r) for r in match[:-1])])
        else:
            matches.append([tuple(r) for r in match])
    return {"matches": matches, "len": int(data["len"])}


def set_result(response: Any, **options: Any) -> Any:
    """SET: True/None, or the old value with ``get=True``."""
    if options and options.get("get"):
        return response
    if not response:
        return response  # None: NX/XX prevented the write
    return response == b"OK" or response == "OK"


def scan(response: Any, **options: Any) -> tuple[int, list[Any]]:
    """SCAN/SSCAN: ``(cursor, items)``."""
    cursor, items = response
    return int(cursor), as_list(items) or []


def hscan(response: Any, **options: Any) -> tuple[int, Any]:
    """HSCAN: ``(cursor, {field: value})``, or ``(cursor, [field...])`` with no_values."""
    cursor, items = response
    if options.get("no_values"):
        return int(cursor), list(items or [])
    return int(cursor), pairs_to_dict(items)


def hgetall(response: Any, **options: Any) -> dict[Any, Any]:
    """HGETALL: a dict (RESP2 array of pairs or RESP3 map)."""
    return pairs_to_dict(response)


def blocking_pop(response: Any, **options: Any) -> tuple[Any, ...] | None:
    """BLPOP/BRPOP: ``(key, value)`` or None on timeout."""
    return tuple(response) if response else None


def sort(response: Any, **options: Any) -> Any:
    """SORT with ``groups``: n-tuples, n being the number of GET patterns."""
    groups = options.get("groups")
    if not response or not groups:
        return response
    return list(zip(*[response[i::groups] for i in range(groups)], strict=False))


# -- scores -------------------------------------------------------------------


def resp2_score(score: Any, like: Any = None) -> Any:
    """A score in the form RESP2 carries it (bytes, or str under decoding).

    RESP3 sends scores as doubles; RESP2 as ``%.17g`` text. ``like`` is a member
    of the same reply: when it is a str the client decodes, so the score is a str.
    """
    if isinstance(score, (bytes, str)):
        return score
    if isinstance(score, bool):
        formatted = "1" if score else "0"
    else:
        formatted = format(float(score), ".17g")
    return formatted if isinstance(like, str) else formatted.encode()


def score_caster(options: dict[str, Any]) -> Callable[[Any], Any]:
    """The ``score_cast_func`` option, falling back through float for e.g. int."""
    cast: Callable[[Any], Any] = options.get("score_cast_func", float)
    if cast is float:
        return cast

    def safe(value: Any) -> Any:
        try:
            return cast(value)
        except (TypeError, ValueError):
            return cast(float(value))

    return safe


def _member_score_pairs(response: Any) -> Iterable[tuple[Any, Any]]:
    """(member, raw score) from RESP3 nested pairs or a RESP2 flat array."""
    items = list(response)
    if items and isinstance(items[0], (list, tuple)):
        return [(m, s) for m, s in items]
    return zip(items[::2], items[1::2], strict=False)


def zset_pairs(response: Any, **options: Any) -> Any:
    """ZRANGE & co with ``withscores``: ``[(member, score), ...]``."""
    if not response or not options.get("withscores"):
        return response
    cast = score_caster(options)
    return [(m, cast(resp2_score(s, m))) for m, s in _member_score_pairs(response)]


def zpop(response: Any, **options: Any) -> Any:
    """ZPOPMIN/ZPOPMAX: ``[(member, score), ...]`` (scores always included)."""
    if not response:
        return response
    cast = score_caster(options)
    return [(m, cast(resp2_score(s, m))) for m, s in _member_score_pairs(response)]


def zset_flat(response: Any, **options: Any) -> Any:
    """ZRANDMEMBER/ZDIFF ``withscores``: redis-py gives RESP2's flat array as is."""
    if not response or not options.get("withscores"):
        return response
    out: list[Any] = []
    for m, s in _member_score_pairs(response):
        out += [m, resp2_score(s, m)]
    return out


def zrank(response: Any, **options: Any) -> Any:
    """ZRANK/ZREVRANK with ``withscore``: ``[rank, score]``."""
    if not response or not options.get("withscore"):
        return response
    rank, score = response
    return [rank, score_caster(options)(resp2_score(score))]


def bzpop(response: Any, **options: Any) -> tuple[Any, Any, float] | None:
    """BZPOPMIN/BZPOPMAX: ``(key, member, score)`` or None on timeout."""
    if not response:
        return None
    key, member, score = response
    return key, member, float(score)


def zmpop(response: Any, **options: Any) -> Any:
    """ZMPOP/BZMPOP: ``[key, [[member, score_bytes], ...]]`` as RESP2 sends it."""
    if not response:
        return response
    key, pairs = response
    return [key, [[m, resp2_score(s, m)] for m, s in pairs]]


def zadd(response: Any, **options: Any) -> Any:
    """ZADD: the count, or the new score (float) with INCR, None if not added."""
    if response is None:
        return None
    if options.get("as_score"):
        return float(response)
    return int(response)


def zmscore(response: Any, **options: Any) -> list[float | None]:
    """ZMSCORE: a float or None per member."""
    return [None if s is None else float(s) for s in response]


def zscan(response: Any, **options: Any) -> tuple[int, list[tuple[Any, Any]]]:
    """ZSCAN: ``(cursor, [(member, score), ...])``."""
    cursor, items = response
    cast = score_caster(options)
    pairs = _member_score_pairs(items or [])
    return int(cursor), [(m, cast(resp2_score(s, m))) for m, s in pairs]


def hrandfield(response: Any, **options: Any) -> Any:
    """HRANDFIELD ``withvalues``: RESP2's flat ``[field, value, ...]``."""
    if not response or not options.get("withvalues"):
        return response
    if isinstance(response[0], (list, tuple)):
        out: list[Any] = []
        for field, value in response:
            out += [field, value]
        return out
    return response


# -- geo ------------------------------------------------------------------------


def geopos(response: Any, **options: Any) -> list[tuple[float, float] | None]:
    """GEOPOS: ``(longitude, latitude)`` or None per member."""
    return [None if p is None else (float(p[0]), float(p[1])) for p in response]


def geosearch(response: Any, **options: Any) -> Any:
    """GEOSEARCH/GEORADIUS*: members, or ``[member, dist?, hash?, (lon, lat)?]``."""
    if "withdist" not in options:
        # Sent through execute_command by hand: nothing to interpret.
        return response
    if options.get("store") or options.get("store_dist"):
        return response
    items = response if isinstance(response, list) else [response]
    flags = [f for f in ("withdist", "withhash", "withcoord") if options.get(f)]
    if not flags:
        return items
    casts: dict[str, Callable[[Any], Any]] = {
        "withdist": float,
        "withhash": int,
        "withcoord": lambda c: (float(c[0]), float(c[1])),
    }
    out = []
    for item in items:
        row = [item[0]]
        row += [
            casts[flag](value) for flag, value in zip(flags, item[1:], strict=False)
        ]
        out.append(row)
    return out


# Spellings redis-py's parse_to_list leaves as text rather than turning into
# floats ("inf" is not among them: it becomes float("inf")).
_KEPT_AS_TEXT = frozenset({"infinity", "-infinity", "nan"})


def number_or_text(item: Any) -> Any:
    """One element of a list reply as redis-py's ``parse_to_list`` gives it
    (the RedisBloom and RedisTimeSeries lists): an ``int`` if ``int()`` takes
    it, else a ``float`` if ``float()`` does, else its text (bytes decoded as
    UTF-8, bad bytes replaced); ``"null"`` is None and ``"nan"``,
    ``"infinity"``, ``"-infinity"`` stay text. None and RESP3 doubles pass."""
    if item is None or isinstance(item, float):
        return item
    found = item.decode("utf-8", "replace") if isinstance(item, bytes) else item
    if found == "null":
        return None
    if isinstance(found, str) and found.lower() in _KEPT_AS_TEXT:
        return found
    try:
        return int(item)
    except (ValueError, OverflowError, TypeError):
        pass
    try:
        return float(item)
    except (ValueError, TypeError):
        return found
