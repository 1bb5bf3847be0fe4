"""Reply converters for stream commands (XRANGE, XREAD, XINFO, XPENDING...).

Entries come back as ``(id, {field: value})`` tuples, XREAD as
``[[stream, entries], ...]`` and XINFO as dicts with str keys: redis-py's
RESP2 shapes, also when RESP3 carried maps instead of flat arrays.
"""

from __future__ import annotations

from typing import Any

from aio.redis.commands._convert import flat_pairs, pairs_to_dict, text


def stream_entries(response: Any, **options: Any) -> Any:
    """XRANGE/XREVRANGE/XCLAIM: ``[(id, {field: value}), ...]``.

    A deleted entry that is still pending comes back as ``(None, None)``. With
    XREADGROUP's CLAIM (option ``claim_min_idle_time``) an entry carries its
    delivery details after the fields: ``(id, fields, idle_ms, deliveries)``.
    """
    if response is None:
        return None
    claimed = "claim_min_idle_time" in options
    out: list[Any] = []
    for entry in response:
        if entry is None:
            out.append((None, None))
        elif claimed:
            out.append((entry[0], pairs_to_dict(entry[1]), *entry[2:]))
        else:
            out.append((entry[0], pairs_to_dict(entry[1])))
    return out


def xread(response: Any, **options: Any) -> list[Any]:
    """XREAD/XREADGROUP: ``[[stream, entries], ...]``; ``[]`` when nothing came."""
    if not response:
        return []
    return [
        [name, stream_entries(entries, **options)]
        for name, entries in _streams(response)
    ]


def _streams(response: Any) -> list[tuple[Any, Any]]:
    # RESP3: a map stream -> entries; RESP2: an array of [stream, entries].
    if isinstance(response, dict):
        return list(response.items())
    return [(item[0], item[1]) for item in response]


def xclaim(response: Any, **options: Any) -> Any:
    """XCLAIM: entries, or the bare IDs with JUSTID."""
    if options.get("parse_justid"):
        return response
    return stream_entries(response)


def xautoclaim(response: Any, **options: Any) -> Any:
    """XAUTOCLAIM: ``[next_id, entries, deleted_ids]``, or only the IDs with JUSTID."""
    if options.get("parse_justid"):
        return response[1]
    result = list(response)
    result[1] = stream_entries(result[1])
    return result


def _entry(value: Any) -> Any:
    if value is None or value[0] is None:
        return value
    return (value[0], pairs_to_dict(value[1]))


def xinfo_stream(response: Any, **options: Any) -> dict[str, Any]:
    """XINFO STREAM: a dict with str keys; entries as ``(id, fields)``."""
    data = pairs_to_dict(response, decode_keys=True)
    if not options.get("full"):
        if "first-entry" in data:
            data["first-entry"] = _entry(data["first-entry"])
        if "last-entry" in data:
            data["last-entry"] = _entry(data["last-entry"])
        return data
    data["entries"] = {eid: pairs_to_dict(fields) for eid, fields in data["entries"]}
    groups = []
    for group in data.get("groups") or []:
        info = pairs_to_dict(group, decode_keys=True)
        consumers = info.get("consumers")
        if consumers and consumers[0] is not None:
            info["consumers"] = [pairs_to_dict(c, decode_keys=True) for c in consumers]
        groups.append(info)
    data["groups"] = groups
    return data


def list_of_dicts(response: Any, **options: Any) -> list[dict[str, Any]]:
    """XINFO GROUPS/CONSUMERS: one dict with str keys per item."""
    return [pairs_to_dict(item, decode_keys=True) for item in response]


def xpending(response: Any, **options: Any) -> Any:
    """XPENDING summary dict, or the detailed list for ``xpending_range``."""
    if options.get("parse_detail"):
        names = ("message_id", "consumer", "time_since_delivered", "times_delivered")
        return [dict(zip(names, row, strict=False)) for row in response]
    consumers = [
        {"name": name, "pending": int(count)}
        for name, count in _consumer_counts(response[3])
    ]
    return {
        "pending": response[0],
        "min": response[1],
        "max": response[2],
        "consumers": consumers,
    }


def _consumer_counts(value: Any) -> list[tuple[Any, Any]]:
    if not value:
        return []
    if isinstance(value, dict):
        return list(value.items())
    return [(row[0], row[1]) for row in value]


def function_list(response: Any, **options: Any) -> Any:
    """FUNCTION LIST: RESP2's nested flat arrays, also from RESP3 maps."""
    if response is None:
        return None
    out: list[Any] = []
    for lib in response:
        if not isinstance(lib, dict):
            out.append(lib)
            continue
        flat: list[Any] = []
        for key, value in lib.items():
            flat.append(key)
            if text(key) == "functions":
                value = [_flat(func) for func in value]
            flat.append(value)
        out.append(flat)
    return out


def _flat(value: Any) -> Any:
    if isinstance(value, dict):
        out: list[Any] = []
        for k, v in flat_pairs(value):
            # RESP3 sends "flags" as a set; RESP2 (and redis-py) as a list.
            out += [k, list(v) if isinstance(v, (set, frozenset)) else v]
        return out
    return value
