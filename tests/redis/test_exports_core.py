"""The Redis error tree and the error-reply lookup table (``__all__`` of every
public module is checked by ``tests/test_exports.py``)."""

from __future__ import annotations

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
