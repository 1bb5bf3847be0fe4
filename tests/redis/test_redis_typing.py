"""``aio.redis.typing`` (and ``sync_shims.redis.typing``) against redis-py's
``redis.typing``: every public name redis-py's module defines is there, each alias
stands for the same type (unions compared as sets), and ``Subscription`` is taken
by ``subscribe`` as redis-py's is."""

from __future__ import annotations

import ast
import dataclasses
import inspect
import types
import typing
from typing import Any

import pytest
import redis.typing

import aio.redis
import aio.redis.typing
import sync_shims.redis
import sync_shims.redis.typing


def _defined_names(module: types.ModuleType) -> list[str]:
    """The public names a module defines itself (assignments and classes at the
    top level), not those it imports."""
    names: list[str] = []
    for node in ast.parse(inspect.getsource(module)).body:
        if isinstance(node, ast.Assign):
            names += [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
        elif isinstance(node, ast.ClassDef):
            names.append(node.name)
    return [name for name in names if not name.startswith("_")]


REDISPY_NAMES = _defined_names(redis.typing)


def _norm(tp: Any) -> Any:
    """A comparable form of a type expression: unions as frozensets (so that
    ``Union[a, b]`` equals ``b | a``), generics as origin and arguments."""
    if isinstance(tp, typing.TypeVar):
        return ("TypeVar", tp.__name__, frozenset(map(_norm, tp.__constraints__)))
    if isinstance(tp, list):  # a Callable's parameter list
        return ("params", tuple(map(_norm, tp)))
    origin = typing.get_origin(tp)
    if origin is typing.Union or origin is types.UnionType:
        return ("union", frozenset(map(_norm, typing.get_args(tp))))
    if origin is not None:
        return (origin, tuple(map(_norm, typing.get_args(tp))))
    return tp


def test_redispy_names_found() -> None:
    # the AST walk sees redis-py's module (guards against an empty comparison)
    assert {"KeyT", "EncodableT", "ChannelT", "ResponseT", "Subscription"} <= set(
        REDISPY_NAMES
    )
    assert len(REDISPY_NAMES) > 50


def test_every_redispy_name_exists() -> None:
    missing = [n for n in REDISPY_NAMES if not hasattr(aio.redis.typing, n)]
    assert not missing
    assert set(REDISPY_NAMES) <= set(aio.redis.typing.__all__)


def test_blocking_module_has_the_same_objects() -> None:
    assert sync_shims.redis.typing.__all__ == aio.redis.typing.__all__
    for name in aio.redis.typing.__all__:
        assert getattr(sync_shims.redis.typing, name) is getattr(aio.redis.typing, name)


@pytest.mark.parametrize(
    "name",
    [n for n in REDISPY_NAMES if not isinstance(getattr(redis.typing, n), type)],
)
def test_alias_means_the_same(name: str) -> None:
    assert _norm(getattr(aio.redis.typing, name)) == _norm(getattr(redis.typing, name))


def test_key_aliases_are_the_clients() -> None:
    # the aliases the client's own signatures use are the very same objects
    from aio.redis import _types

    for name in ("KeyT", "EncodableT", "ChannelT", "ResponseT", "FieldT", "ExpiryT"):
        assert getattr(aio.redis.typing, name) is getattr(_types, name)
    # one Subscription class: the top-level name is this module's
    assert aio.redis.typing.Subscription is aio.redis.Subscription
    assert aio.redis.typing.Subscription is sync_shims.redis.Subscription
    assert aio.redis.typing.PubSubHandler is _types.PubSubHandler


def test_subscription_as_redispy() -> None:
    ours = aio.redis.typing.Subscription
    theirs = redis.typing.Subscription
    assert dataclasses.is_dataclass(ours)
    assert [f.name for f in dataclasses.fields(ours)] == [
        f.name for f in dataclasses.fields(theirs)
    ]
    sub = ours("news")
    assert sub.handler is None
    assert sub == ours("news", None)
    assert repr(sub) == repr(theirs("news"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        sub.name = "other"  # type: ignore[misc]
    assert hash(ours(b"a", print)) == hash(ours(b"a", print))


async def test_subscription_subscribes_with_its_handler(r: Any) -> None:
    received: list[Any] = []
    async with r.pubsub() as p:
        await p.subscribe(
            aio.redis.typing.Subscription(b"typing:news", received.append)
        )
        assert await p.get_message(timeout=5)  # the subscribe confirmation
        await r.publish("typing:news", "hello")
        for _ in range(5):
            if received:
                break
            # with a handler the message goes to it, not to the reader
            assert await p.get_message(timeout=1) is None
        assert received[0]["data"] == b"hello"


def test_protocols_are_protocols() -> None:
    for name in (
        "AsyncClientProtocol",
        "SyncClientProtocol",
        "CommandsProtocol",
        "ClusterCommandsProtocol",
    ):
        cls = getattr(aio.redis.typing, name)
        assert getattr(cls, "_is_protocol", False), name
    assert typing.get_type_hints(aio.redis.typing.AsyncClientProtocol) == {
        "_is_async_client": typing.Literal[True]
    }
    assert typing.get_type_hints(aio.redis.typing.SyncClientProtocol) == {
        "_is_async_client": typing.Literal[False]
    }
