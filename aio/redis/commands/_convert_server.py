"""Reply converters for server, connection and scripting commands.

INFO, CLIENT LIST/INFO and DEBUG OBJECT are text the server formats for people;
the parsers below give the dicts redis-py users index into (``info()["role"]``,
``client_list()[0]["name"]``), with numbers converted where redis-py does.
"""

from __future__ import annotations

import datetime
from typing import Any

from aio.redis.commands._convert import flat_pairs, flatten_map, text
from aio.redis.exceptions import InvalidResponse


def _info_value(value: str) -> Any:
    # "1" -> 1, "1.5" -> 1.5, "a,b" -> ["a", "b"], "k=v,k2=v2" -> {"k": "v", ...}
    if "," not in value and "=" not in value:
        try:
            return float(value) if "." in value else int(value)
        except ValueError:
            return value
    if "=" not in value:
        return [_info_value(part) for part in value.split(",") if part]
    sub: dict[str, Any] = {}
    for item in value.split(","):
        if not item:
            continue
        if "=" in item:
            key, val = item.rsplit("=", 1)
            sub[key] = _info_value(val)
        else:
            sub[item] = True
    return sub


def info(response: Any, **options: Any) -> dict[str, Any]:
    """INFO: ``{"redis_version": "7.0.15", "connected_clients": 1, ...}``.

    ``module:...`` lines are collected under ``"modules"``; lines without a colon
    under ``"__raw__"``, as redis-py does.
    """
    result: dict[str, Any] = {}
    for line in str(text(response)).splitlines():
        if not line or line.startswith("#"):
            continue
        if ":" not in line:
            result.setdefault("__raw__", []).append(line)
            continue
        key, value = line.split(":", 1)
        if key == "cmdstat_host":
            # "cmdstat_host:calls=..." would otherwise split at the wrong colon.
            key, value = line.rsplit(":", 1)
        if key == "module":
            result.setdefault("modules", []).append(_info_value(value))
        else:
            result[key] = _info_value(value)
    return result


def client_list(response: Any, **options: Any) -> list[dict[str, str]]:
    """CLIENT LIST: one dict of str per client line."""
    clients = []
    for line in str(text(response)).splitlines():
        client: dict[str, str] = {}
        last = ""
        for token in line.split(" "):
            if "=" in token:
                key, value = token.split("=", 1)
                client[key] = value
                last = key
            elif last:
                # A value with spaces (a client name set by RESP3 HELLO ...).
                client[last] += " " + token
        if client:
            clients.append(client)
    return clients


_CLIENT_INT_FIELDS = frozenset(
    {
        "id",
        "age",
        "idle",
        "db",
        "sub",
        "psub",
        "multi",
        "qbuf",
        "qbuf-free",
        "obl",
        "argv-mem",
        "oll",
        "omem",
        "tot-mem",
    }
)


def client_info(response: Any, **options: Any) -> dict[str, Any]:
    """CLIENT INFO: a dict, the counters redis-py converts as ints."""
    result: dict[str, Any] = {}
    for token in str(text(response)).strip().split():
        key, sep, value = token.partition("=")
        if not sep:
            raise InvalidResponse(
                f"CLIENT INFO: expected key=value, got {token[:40]!r}"
            )
        result[key] = _int(value, "CLIENT INFO") if key in _CLIENT_INT_FIELDS else value
    return result


def _int(value: str, command: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise InvalidResponse(
            f"{command}: expected an integer, got {value[:40]!r}"
        ) from None


def client_kill(response: Any, **options: Any) -> Any:
    """CLIENT KILL: True for the old form (+OK), the count for the filter form."""
    if isinstance(response, int):
        return response
    return text(response) == "OK"


def tracking_info(response: Any, **options: Any) -> list[Any]:
    """CLIENT TRACKINGINFO: RESP2's flat list with str labels."""
    out: list[Any] = []
    if isinstance(response, dict):
        for key, value in response.items():
            out += [text(key), list(value) if isinstance(value, set) else value]
        return out
    return [text(item) for item in response]


def config_get(response: Any, **options: Any) -> dict[Any, Any]:
    """CONFIG GET: ``{name: value}`` with str keys and values."""
    return {text(k): None if v is None else text(v) for k, v in flat_pairs(response)}


def debug_object(response: Any, **options: Any) -> dict[str, Any]:
    """DEBUG OBJECT: ``{"type": "Value", "refcount": 1, "encoding": ...}``."""
    result: dict[str, Any] = {}
    for token in ("type:" + str(text(response))).split():
        key, sep, value = token.partition(":")
        if not sep:
            raise InvalidResponse(
                f"DEBUG OBJECT: expected key:value, got {token[:40]!r}"
            )
        result[key] = value
    for key in ("refcount", "serializedlength", "lru", "lru_seconds_idle"):
        if key in result:
            result[key] = _int(result[key], "DEBUG OBJECT")
    return result


def slowlog_get(response: Any, **options: Any) -> list[dict[str, Any]]:
    """SLOWLOG GET: one dict per entry, the command joined with spaces."""
    entries = []
    for item in response:
        entry: dict[str, Any] = {
            "id": item[0],
            "start_time": int(item[1]),
            "duration": int(item[2]),
        }
        if isinstance(item[3], list):
            args, rest = item[3], item[4:]
        else:
            # Very old servers put a complexity note before the arguments.
            entry["complexity"] = item[3]
            args, rest = item[4], item[5:]
        joiner: Any = " " if args and isinstance(args[0], str) else b" "
        entry["command"] = joiner.join(args)
        if len(rest) >= 2:
            entry["client_address"] = rest[0]
            entry["client_name"] = rest[1]
        entries.append(entry)
    return entries


def server_time(response: Any, **options: Any) -> tuple[int, int]:
    """TIME: ``(seconds, microseconds)``."""
    return int(response[0]), int(response[1])


def lastsave(response: Any, **options: Any) -> datetime.datetime | None:
    """LASTSAVE: a naive local datetime, as redis-py gives."""
    if not response:
        return None
    try:
        stamp = int(response)
    except ValueError:
        return None
    return datetime.datetime.fromtimestamp(stamp)


def numsub(response: Any, **options: Any) -> list[tuple[Any, Any]]:
    """PUBSUB NUMSUB/SHARDNUMSUB: ``[(channel, count), ...]``."""
    return flat_pairs(response)


def script_exists(response: Any, **options: Any) -> list[bool]:
    """SCRIPT EXISTS: one bool per SHA."""
    return [bool(item) for item in response]


def ping(response: Any, **options: Any) -> bool:
    """PING: True for PONG (redis-py hides the reply text)."""
    return bool(text(response) == "PONG")


def _words(value: Any) -> list[str]:
    # Redis 7 sends key/channel patterns as one space-separated string.
    if isinstance(value, (bytes, str)):
        words = str(text(value)).split(" ")
        return [] if words == [""] else words
    return list(value)


# The order in which the server lists user flags (RESP2 keeps it; a RESP3 set
# loses it, so it is restored from here).
_ACL_FLAG_ORDER = ("on", "off", "nopass", "skip-sanitize-payload", "sanitize-payload")


def _acl_flags(value: Any) -> list[str]:
    flags = [str(text(f)) for f in value]
    if isinstance(value, (set, frozenset)):
        known = {name: i for i, name in enumerate(_ACL_FLAG_ORDER)}
        flags.sort(key=lambda f: (known.get(f, len(known)), f))
    return flags


def acl_getuser(response: Any, **options: Any) -> dict[str, Any] | None:
    """ACL GETUSER: rules as a dict; ``commands`` split from ``categories``."""
    if response is None:
        return None
    data = {text(k): v for k, v in flat_pairs(response)}
    data["flags"] = _acl_flags(data["flags"])
    data["passwords"] = [text(p) for p in data["passwords"]]
    commands: list[str] = []
    categories: list[str] = []
    for rule in str(text(data["commands"])).split(" "):
        (categories if "@" in rule else commands).append(rule)
    data["commands"] = commands
    data["categories"] = categories
    data["keys"] = _words(data["keys"])
    if "channels" in data:
        data["channels"] = _words(data["channels"])
    if "selectors" in data:
        data["selectors"] = [
            [text(item) for pair in flat_pairs(sel) for item in pair]
            for sel in data["selectors"]
        ]
    data["enabled"] = "on" in data["flags"]
    return data


def acl_log(response: Any, **options: Any) -> Any:
    """ACL LOG: one dict per entry (client-info parsed); True for ACL LOG RESET."""
    if response is None:
        return None
    if not isinstance(response, list):
        return text(response) == "OK"
    entries = []
    for entry in response:
        data = {text(k): text(v) for k, v in flat_pairs(entry)}
        data["client-info"] = client_info(data.get("client-info", ""))
        data["age-seconds"] = float(data["age-seconds"])
        entries.append(data)
    return entries


def module_list(response: Any, **options: Any) -> list[dict[Any, Any]]:
    """MODULE LIST: one dict per module (keys as the server sent them)."""
    return [dict(flat_pairs(module)) for module in response]


def memory_stats(response: Any, **options: Any) -> dict[str, Any]:
    """MEMORY STATS: str keys, str-decoded text values, ``db.N`` sub-dicts."""
    stats: dict[str, Any] = {}
    for key, value in flat_pairs(response):
        name = text(key)
        if name.startswith("db.") and isinstance(value, (list, dict)):
            value = {text(k): text(v) for k, v in flat_pairs(value)}
        else:
            value = text(value)
        stats[name] = value
    return stats


__all__ = (
    "acl_getuser",
    "acl_log",
    "client_info",
    "client_kill",
    "client_list",
    "config_get",
    "debug_object",
    "info",
    "lastsave",
    "memory_stats",
    "module_list",
    "numsub",
    "ping",
    "script_exists",
    "server_time",
    "slowlog_get",
    "tracking_info",
)


def command_table(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """COMMAND: ``{name: {"name", "arity", "flags", "first_key_pos", ...}}``.

    Flags and ACL categories are lists of str on both protocols (RESP3 sends
    sets); the newer fields (tips, key specifications, subcommands) stay raw.
    """
    table: dict[str, dict[str, Any]] = {}
    for entry in response:
        if not isinstance(entry, list) or len(entry) < 6:
            raise InvalidResponse(f"COMMAND: unexpected entry {entry!r}")
        name = str(text(entry[0]))
        details: dict[str, Any] = {
            "name": name,
            "arity": int(entry[1]),
            "flags": [str(text(flag)) for flag in entry[2]],
            "first_key_pos": entry[3],
            "last_key_pos": entry[4],
            "step_count": entry[5],
        }
        if len(entry) > 6:
            details["acl_categories"] = [str(text(cat)) for cat in entry[6]]
        for key, index in (("tips", 7), ("key_specifications", 8), ("subcommands", 9)):
            if len(entry) > index:
                details[key] = entry[index]
        table[name] = details
    return table


def hotkeys_get(response: Any, **options: Any) -> list[dict[Any, Any]] | None:
    """HOTKEYS GET: one dict per node's session (RESP3 maps inside flattened to
    RESP2's arrays); None when there is no session."""
    if response is None:
        return None
    return [{k: flatten_map(v) for k, v in flat_pairs(item)} for item in response]


# -- SENTINEL ---------------------------------------------------------------------

# The numeric fields of a SENTINEL MASTER/SLAVES/SENTINELS entry (redis-py's list).
_SENTINEL_INTS = frozenset(
    (
        "can-failover-its-master config-epoch down-after-milliseconds "
        "failover-timeout info-refresh last-hello-message last-ok-ping-reply "
        "last-ping-reply last-ping-sent master-link-down-time master-port "
        "num-other-sentinels num-slaves o-down-time pending-commands "
        "parallel-syncs port quorum role-reported-time s-down-time "
        "slave-priority slave-repl-offset voted-leader-epoch"
    ).split()
)
# Booleans derived from the "flags" field, as redis-py adds them.
_SENTINEL_FLAGS = (
    ("is_master", "master"),
    ("is_slave", "slave"),
    ("is_sdown", "s_down"),
    ("is_odown", "o_down"),
    ("is_sentinel", "sentinel"),
    ("is_disconnected", "disconnected"),
    ("is_master_down", "master_down"),
)


def _sentinel_state(item: Any) -> dict[str, Any]:
    state: dict[str, Any] = {}
    for key, raw in flat_pairs(item):
        name, value = text(key), text(raw)
        if name in _SENTINEL_INTS:
            try:
                value = int(value)
            except (TypeError, ValueError):
                pass  # kept as the server's text, as redis-py does
        state[name] = value
    flags = set(str(state.get("flags", "")).split(","))
    for attribute, flag in _SENTINEL_FLAGS:
        state[attribute] = flag in flags
    return state


def sentinel_master(response: Any, **options: Any) -> dict[str, Any]:
    """SENTINEL MASTER: one state dict (str keys and values, ints, is_* bools)."""
    return _sentinel_state(response)


def sentinel_masters(response: Any, **options: Any) -> dict[str, dict[str, Any]]:
    """SENTINEL MASTERS: ``{name: state}``."""
    states = [_sentinel_state(item) for item in response]
    return {state["name"]: state for state in states}


def sentinel_states(response: Any, **options: Any) -> list[dict[str, Any]]:
    """SENTINEL SLAVES/SENTINELS: a list of state dicts."""
    return [_sentinel_state(item) for item in response]


def sentinel_master_address(response: Any, **options: Any) -> tuple[Any, int] | None:
    """SENTINEL GET-MASTER-ADDR-BY-NAME: ``(host, port)`` or None."""
    if not response:
        return None
    return response[0], int(response[1])


# The order in which the server lists a key's flags (RESP2 keeps it; RESP3 sends
# a set, which does not): access mode first, then the operations, then the rest.
_KEY_FLAG_ORDER = {
    name: rank
    for rank, name in enumerate(
        "RO RW OW RM access update insert delete not_key incomplete "
        "variable_flags".split()
    )
}


def _key_flag_rank(flag: Any) -> tuple[int, str]:
    name = text(flag)
    return _KEY_FLAG_ORDER.get(name, len(_KEY_FLAG_ORDER)), name


def getkeysandflags(response: Any, **options: Any) -> Any:
    """COMMAND GETKEYSANDFLAGS: ``[[key, [flag, ...]], ...]``; RESP3's flag sets
    as the lists RESP2 sends, in the server's order."""
    if not response:
        return response
    return [
        [key, sorted(flags, key=_key_flag_rank)]
        if isinstance(flags, (set, frozenset))
        else [key, flags]
        for key, flags in response
    ]
