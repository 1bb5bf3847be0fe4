"""The Redis error tree and the error-reply lookup table, and the import surface
against redis-py's: every name of ``redis.__all__`` in ``sync_shims.redis``, of
``redis.asyncio.__all__`` in ``aio.redis``, and of ``redis.credentials`` in both
(that every ``__all__`` names what exists is checked by ``tests/test_exports.py``)."""

from __future__ import annotations

import dataclasses
import importlib
from types import ModuleType
from typing import Any

import pytest

import aio.errors


def test_error_tree() -> None:
    from aio.proto.resp import RESPProtocolError
    from aio.redis import exceptions as e

    assert issubclass(e.RedisError, aio.errors.AioError)
    assert issubclass(e.ConnectionError, aio.errors.TransportError)
    assert issubclass(e.TimeoutError, aio.errors.AioTimeoutError)
    assert issubclass(e.TimeoutError, TimeoutError)
    assert issubclass(e.InvalidResponse, aio.errors.RemoteProtocolError)
    assert issubclass(e.WrongTypeError, e.ResponseError)
    assert issubclass(e.LockNotOwnedError, e.LockError)
    assert issubclass(RESPProtocolError, aio.errors.RemoteProtocolError)


@pytest.mark.parametrize(
    ("reply", "cls", "message"),
    [
        ("ERR unknown command 'X'", "ResponseError", "unknown command 'X'"),
        (
            "WRONGTYPE Operation against a key",
            "WrongTypeError",
            "WRONGTYPE Operation against a key",
        ),
        ("NOSCRIPT No matching script.", "NoScriptError", "No matching script."),
        ("EXECABORT Transaction discarded", "ExecAbortError", "Transaction discarded"),
        ("READONLY You can't write", "ReadOnlyError", "You can't write"),
        (
            "NOAUTH Authentication required.",
            "AuthenticationError",
            "Authentication required.",
        ),
        (
            "WRONGPASS invalid username-password pair",
            "AuthenticationError",
            "invalid username-password pair",
        ),
        ("LOADING Redis is loading", "BusyLoadingError", "Redis is loading"),
        ("OOM command not allowed", "OutOfMemoryError", "command not allowed"),
        (
            "NOPERM this user has no permissions",
            "NoPermissionError",
            "this user has no permissions",
        ),
        ("MOVED 3999 127.0.0.1:6381", "MovedError", "3999 127.0.0.1:6381"),
        ("ASK 3999 127.0.0.1:6381", "AskError", "3999 127.0.0.1:6381"),
        ("TRYAGAIN Multiple keys", "TryAgainError", "Multiple keys"),
        ("CLUSTERDOWN The cluster is down", "ClusterDownError", "The cluster is down"),
        ("SOMETHINGNEW went wrong", "ResponseError", "SOMETHINGNEW went wrong"),
        ("", "ResponseError", ""),
    ],
)
def test_error_reply_lookup(reply: str, cls: str, message: str) -> None:
    from aio.redis import exceptions as e

    error = e.error_from_reply(reply)
    assert type(error).__name__ == cls
    assert str(error) == message
    assert e.lookup(reply.partition(" ")[0]) is type(error)


def test_redirect_attributes() -> None:
    from aio.redis.exceptions import MovedError, error_from_reply

    error = error_from_reply("MOVED 3999 127.0.0.1:6381")
    assert isinstance(error, MovedError)
    assert (error.slot_id, error.host, error.port) == (3999, "127.0.0.1", 6381)


def _public_names(module: ModuleType) -> set[str]:
    """The classes and functions a redis-py module defines (not what it imports)."""
    return {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and getattr(value, "__module__", None) == module.__name__
    }


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        ("redis", "sync_shims.redis"),
        ("redis.asyncio", "aio.redis"),
        ("redis.credentials", "aio.redis.credentials"),
        ("redis.credentials", "sync_shims.redis.credentials"),
    ],
)
def test_import_surface_covers_redis_py(theirs: str, ours: str) -> None:
    their_module = importlib.import_module(theirs)
    our_module = importlib.import_module(ours)
    names = set(getattr(their_module, "__all__", ())) or _public_names(their_module)
    assert names, theirs
    assert sorted(names - set(our_module.__all__)) == []
    for name in names:
        assert hasattr(our_module, name), (ours, name)


def test_top_level_names_are_the_submodules_objects() -> None:
    import aio.redis
    import sync_shims.redis
    from aio.redis import backoff, credentials, exceptions
    from sync_shims.redis import credentials as sync_credentials
    from sync_shims.redis import driver_info, sentinel

    assert sync_credentials.CredentialProvider is credentials.CredentialProvider
    assert sync_credentials.__all__ == credentials.__all__
    for name in credentials.__all__:
        assert getattr(sync_credentials, name) is getattr(credentials, name)
    for module in (aio.redis, sync_shims.redis):
        assert module.credentials.__name__.endswith(".redis.credentials")
        assert module.default_backoff is backoff.default_backoff
        assert module.Subscription is aio.redis.Subscription
        for name in ("AuthenticationWrongNumberOfArgsError", "ChildDeadlockedError"):
            assert getattr(module, name) is getattr(exceptions, name)
    assert sync_shims.redis.CredentialProvider is credentials.CredentialProvider
    assert sync_shims.redis.DriverInfo is driver_info.DriverInfo
    assert (
        sync_shims.redis.SentinelManagedSSLConnection
        is sentinel.SentinelManagedSSLConnection
    )


def test_exception_classes_as_redis_py() -> None:
    import redis.exceptions as theirs

    from aio.redis import exceptions as ours

    for name in ("AuthenticationWrongNumberOfArgsError", "ChildDeadlockedError"):
        their_cls, our_cls = getattr(theirs, name), getattr(ours, name)
        their_bases = [
            c.__name__ for c in their_cls.__mro__ if c.__module__ == theirs.__name__
        ]
        our_bases = [
            c.__name__ for c in our_cls.__mro__ if c.__module__ == ours.__name__
        ]
        # ours also derive from RedisError where redis-py's ChildDeadlockedError
        # is a bare Exception (one root per component)
        assert set(their_bases) <= set(our_bases), name
        assert issubclass(our_cls, ours.RedisError)


def test_subscription_as_redis_py() -> None:
    import redis

    from aio.redis import Subscription

    def handler(message: dict[str, Any]) -> None:
        del message

    for cls in (redis.Subscription, Subscription):
        sub = cls(b"\xff")
        assert (sub.name, sub.handler) == (b"\xff", None)
        assert cls("a", handler) == cls("a", handler)
        assert hash(cls("a", handler)) == hash(cls("a", handler))
        with pytest.raises(dataclasses.FrozenInstanceError):
            sub.name = "b"  # type: ignore[misc]
    assert [f.name for f in dataclasses.fields(Subscription)] == [
        f.name for f in dataclasses.fields(redis.Subscription)
    ]


async def test_subscription_attaches_a_handler_to_a_binary_channel(r: Any) -> None:
    from aio.redis import Subscription

    seen: list[dict[str, Any]] = []
    channel = b"\x80exports-core"
    async with r.pubsub(ignore_subscribe_messages=True) as p:
        await p.subscribe(Subscription(channel, seen.append))
        assert await p.get_message(timeout=1) is None  # the confirmation
        assert await r.publish(channel, b"hi") == 1
        assert await p.get_message(timeout=1) is None  # went to the handler
    assert seen == [
        {"type": "message", "pattern": None, "channel": channel, "data": b"hi"}
    ]


def _redispy_error_table() -> list[tuple[str, str]]:
    """Every error reply redis-py's parsers classify, with its class's name."""
    from redis._parsers.base import BaseParser

    table: list[tuple[str, str]] = []
    for word, entry in BaseParser.EXCEPTION_CLASSES.items():
        if isinstance(entry, dict):
            table += [(f"{word} {text}", cls.__name__) for text, cls in entry.items()]
        else:
            # a redirection carries a slot and an address; the others any text
            rest = "3999 127.0.0.1:6381" if word in ("MOVED", "ASK") else "it failed"
            table.append((f"{word} {rest}", entry.__name__))
    return table


@pytest.mark.parametrize(("reply", "cls"), _redispy_error_table())
def test_error_replies_classified_as_redispy(reply: str, cls: str) -> None:
    # The oracle is redis-py's own table, so a message it learns to classify
    # fails here until ours does too.
    from redis._parsers.base import BaseParser

    from aio.redis import exceptions as e

    ours = e.error_from_reply(reply)
    theirs = BaseParser.parse_error(reply)
    assert type(ours).__name__ == cls == type(theirs).__name__
    assert str(ours) == str(theirs)
