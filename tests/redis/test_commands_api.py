"""Our command methods have redis-py's names, parameters, order and defaults.

Compared with ``redis.asyncio.Redis`` by introspection. The allow-lists below are
the documented differences: redis-py methods we do not provide (client machinery
that lives elsewhere, commands not provided yet).
"""

from __future__ import annotations

import inspect
from typing import Any

import pytest
import redis.asyncio
import redis.commands.core as redis_core

from aio.redis import commands
from aio.redis.commands import CoreCommands

# Provided by the client (aio.redis.Redis / Pipeline), not by the command mixins.
CLIENT_MACHINERY = {"register_script", "watch", "unwatch"}
# Redis 8.x hash import commands: all provided now (aio.redis.commands.himport).
REDIS_8: set[str] = set()
# Not provided (yet): the CLUSTER family (a later component). (SYNC is refused with
# NotImplementedError: aio.redis.commands.refused.)
NOT_PROVIDED = {"cluster"}

FAMILIES = [
    redis_core.BasicKeyCommands,
    redis_core.ListCommands,
    redis_core.ScanCommands,
    redis_core.SetCommands,
    redis_core.StreamCommands,
    redis_core.SortedSetCommands,
    redis_core.HyperlogCommands,
    redis_core.HashCommands,
    redis_core.PubSubCommands,
    redis_core.ScriptCommands,
    redis_core.GeoCommands,
    redis_core.ManagementCommands,
    redis_core.FunctionCommands,
    redis_core.ACLCommands,
    redis_core.ModuleCommands,
]


def _redis_py_commands() -> set[str]:
    names: set[str] = set()
    for family in FAMILIES:
        names |= {n for n, v in vars(family).items() if callable(v) and n[0] != "_"}
    return names


def _ours() -> set[str]:
    return {n for n in dir(CoreCommands) if n[0] != "_"}


def test_every_redis_py_command_method_exists() -> None:
    missing = _redis_py_commands() - _ours() - CLIENT_MACHINERY - REDIS_8 - NOT_PROVIDED
    assert not missing, sorted(missing)


def test_allow_lists_are_not_stale() -> None:
    # A method listed as missing that we now provide must leave the list.
    assert not (_ours() & (REDIS_8 | NOT_PROVIDED)), sorted(_ours() & NOT_PROVIDED)


def _parameters(func: Any) -> list[tuple[str, str, Any]]:
    out = []
    for p in inspect.signature(func).parameters.values():
        if p.name == "self":
            continue
        default = p.default
        if isinstance(default, (list, tuple)) and not default:
            default = ()  # [] and () are the same "no items" default
        out.append((p.name, p.kind.name, default))
    return out


@pytest.mark.parametrize(
    "name", sorted(_ours() & {n for n in dir(redis.asyncio.Redis) if n[0] != "_"})
)
def test_same_parameters_as_redis_py(name: str) -> None:
    ours = getattr(CoreCommands, name)
    theirs = getattr(redis.asyncio.Redis, name)
    if not callable(ours):
        return
    assert _parameters(ours) == _parameters(theirs)


def test_exports() -> None:
    assert isinstance(commands.__all__, tuple)
    for name in commands.__all__:
        assert hasattr(commands, name), name
    # No family silently shadows another's method through the MRO.
    seen: dict[str, str] = {}
    for family in CoreCommands.__mro__[1:]:
        if family.__module__.startswith("aio.redis.commands.") and family.__name__ != (
            "CommandsBase"
        ):
            for name, value in vars(family).items():
                if callable(value) and not name.startswith("_"):
                    assert name not in seen, f"{name}: {seen.get(name)} and {family}"
                    seen[name] = family.__name__
