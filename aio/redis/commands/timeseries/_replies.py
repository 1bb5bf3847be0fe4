"""Reply converters of the RedisTimeSeries commands, on RESP2 and RESP3.

They give the Python values redis-py 8 gives with its default
``legacy_responses=True`` (RESP2's shapes; on RESP3, what redis-py makes of
RESP3 replies when no protocol is pinned, which is the same but where noted):

* ``TS.CREATE``/``ALTER``/``CREATERULE``/``DELETERULE``: True for OK;
* ``TS.DEL``: the count as an int;
* ``TS.GET``: ``(timestamp, value)`` as ``(int, float)``, None for an empty
  series;
* ``TS.RANGE``/``REVRANGE``: ``[(timestamp, value), ...]``, values as floats
  (with several aggregators, ``(timestamp, value1, value2, ...)``);
* ``TS.MGET``: ``[{key: [labels, timestamp, value]}, ...]`` sorted by key,
  keys and labels as ``str``, ``None, None`` for an empty series;
* ``TS.MRANGE``/``MREVRANGE``: ``[{key: [labels, samples]}, ...]`` sorted by key;
  RESP3's metadata map (GROUPBY's reducers and sources) is not kept, as in
  redis-py;
* ``TS.QUERYINDEX``: the keys as a list, each as text, or as an int or float
  where it reads as one (redis-py's ``parse_to_list``); on RESP3 the server
  sends a set, so the order is not the server's;
* ``TS.INFO``: a :class:`~aio.redis.commands.timeseries.info.TSInfo`;
* ``TS.READ``: ``[[timestamp, value], ...]`` (lists, not tuples, as redis-py);
  ``TS.NRANGE``/``NREVRANGE``: ``[[timestamp, [value, ...]], ...]``;
  ``TS.QUERYLABELS``: a set.

Each converter takes the RESP2 and the RESP3 shape alike (a map is RESP3's), so
one table serves both protocols. A reply of neither shape raises
:class:`~aio.redis.exceptions.InvalidResponse` naming the command (redis-py
fails there with whatever ``TypeError``/``IndexError``/``ValueError`` its code
meets).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import wraps
from typing import Any

from aio.redis.commands._convert import number_or_text
from aio.redis.commands.timeseries._text import native_str, pairs_to_dict
from aio.redis.commands.timeseries.info import TSInfo
from aio.redis.exceptions import InvalidResponse

__all__ = ("CALLBACKS", "timeseries_callbacks")

Converter = Callable[..., Any]

# What a reply of the wrong shape makes the conversion code raise.
_SHAPE_ERRORS = (
    TypeError,
    ValueError,
    IndexError,
    KeyError,
    AttributeError,
    OverflowError,
)


def _guarded(command: str, convert: Converter) -> Converter:
    """``convert``, raising InvalidResponse for a reply of the wrong shape."""

    @wraps(convert)
    def guarded(reply: Any, **options: Any) -> Any:
        try:
            return convert(reply, **options)
        except _SHAPE_ERRORS as exc:
            shown = repr(reply)
            if len(shown) > 200:
                shown = shown[:200] + "..."
            raise InvalidResponse(f"{command}: unexpected reply {shown}") from exc

    return guarded


def is_ok(reply: Any, **_options: Any) -> bool:
    """True for ``OK``."""
    return (reply.decode() if isinstance(reply, bytes) else reply) == "OK"


def to_int(reply: Any, **_options: Any) -> int:
    """An integer reply as an int."""
    return int(reply)


def sample(reply: Any, **_options: Any) -> tuple[int, float] | None:
    """``TS.GET``: ``(timestamp, value)``, None for an empty series."""
    if not reply:
        return None
    return int(reply[0]), float(reply[1])


def samples(reply: Any, **_options: Any) -> list[tuple[Any, ...]]:
    """``TS.RANGE``: each sample as a tuple, its values as floats (the
    timestamp as sent); one value per aggregator when there are several."""
    if not reply:
        return []
    if len(reply[0]) > 2:
        return [(row[0], *(float(value) for value in row[1:])) for row in reply]
    return [(row[0], float(row[1])) for row in reply]


def sample_lists(reply: Any, **_options: Any) -> list[list[Any]]:
    """``TS.READ``: as :func:`samples`, each sample a list."""
    return [list(row) for row in samples(reply)]


def rows(reply: Any, **_options: Any) -> list[list[Any]]:
    """``TS.NRANGE``: ``[timestamp, [value per key, ...]]`` rows, as sent
    (NaN where a key has no sample)."""
    if not reply:
        return []
    return [[int(row[0]), [float(value) for value in row[1]]] for row in reply]


def label_set(reply: Any, **_options: Any) -> set[Any]:
    """``TS.QUERYLABELS``: a set of the names or values (none for None)."""
    return set() if reply is None else set(reply)


def _labels(labels: Any) -> dict[Any, Any]:
    # RESP2 sends labels as [[name, value], ...], RESP3 as a map (an empty
    # one may come as null).
    if isinstance(labels, Mapping):
        return {
            native_str(name): native_str(value)
            if isinstance(value, bytes | str)
            else value
            for name, value in labels.items()
        }
    if not labels:
        return {}
    return pairs_to_dict(labels)


def _by_key(series: list[dict[Any, Any]]) -> list[dict[Any, Any]]:
    return sorted(series, key=lambda one: list(one))


def last_samples(reply: Any, **_options: Any) -> list[dict[Any, Any]]:
    """``TS.MGET``: ``[{key: [labels, timestamp, value]}, ...]`` by key."""
    if isinstance(reply, Mapping):  # RESP3: key -> [labels, sample]
        entries = [
            (key, item[0], item[1] if len(item) > 1 else [])
            for key, item in reply.items()
        ]
    else:  # RESP2: [key, labels, sample] triples
        entries = [(item[0], item[1], item[2]) for item in reply]
    out = []
    for key, labels, last in entries:
        if last:
            out.append(
                {native_str(key): [_labels(labels), int(last[0]), float(last[1])]}
            )
        else:
            out.append({native_str(key): [_labels(labels), None, None]})
    return _by_key(out)


def series_samples(reply: Any, **_options: Any) -> list[dict[Any, Any]]:
    """``TS.MRANGE``: ``[{key: [labels, samples]}, ...]`` by key."""
    if isinstance(reply, Mapping):
        # RESP3: key -> [labels, (metadata,) samples]; the samples come last.
        entries = [(key, item[0], item[-1]) for key, item in reply.items()]
    else:
        entries = [(item[0], item[1], item[2]) for item in reply]
    return _by_key(
        [
            {native_str(key): [_labels(labels), samples(found)]}
            for key, labels, found in entries
        ]
    )


def key_list(reply: Any, **_options: Any) -> list[Any]:
    """``TS.QUERYINDEX``: the keys, as redis-py's ``parse_to_list`` gives them
    (text, or a number where the key reads as one)."""
    if reply is None:
        return []
    return [number_or_text(item) for item in reply]


def info(reply: Any, **_options: Any) -> TSInfo:
    """``TS.INFO``: a :class:`TSInfo`."""
    return TSInfo(reply)


_TABLE: dict[str, Converter] = {
    "TS.ALTER": is_ok,
    "TS.CREATE": is_ok,
    "TS.CREATERULE": is_ok,
    "TS.DELETERULE": is_ok,
    "TS.DEL": to_int,
    "TS.GET": sample,
    "TS.INFO": info,
    "TS.MGET": last_samples,
    "TS.MRANGE": series_samples,
    "TS.MREVRANGE": series_samples,
    "TS.NRANGE": rows,
    "TS.NREVRANGE": rows,
    "TS.QUERYINDEX": key_list,
    "TS.QUERYLABELS": label_set,
    "TS.RANGE": samples,
    "TS.READ": sample_lists,
    "TS.REVRANGE": samples,
}

#: The converters registered on a client by ``r.ts()``, by command name.
CALLBACKS: dict[str, Converter] = {
    command: _guarded(command, convert) for command, convert in _TABLE.items()
}


def timeseries_callbacks() -> dict[str, Converter]:
    """A copy of :data:`CALLBACKS` (the same table for RESP2 and RESP3)."""
    return dict(CALLBACKS)
