"""Tokens and the token manager (``aio.redis.auth``, re-exported as
``sync_shims.redis.auth``), with redis-py's ``redis.auth`` doing the same as
the oracle: no server involved, an identity provider of the test's own."""

from __future__ import annotations

import importlib
import threading
import time
from types import SimpleNamespace
from typing import Any

import pytest

AIO = "aio.redis.auth"
REDISPY = "redis.auth"
LIBS = pytest.mark.parametrize("base", [AIO, REDISPY], ids=["aio", "redis-py"])


def _auth(base: str) -> SimpleNamespace:
    return SimpleNamespace(
        **{
            name: importlib.import_module(f"{base}.{name}")
            for name in ("token", "token_manager", "err", "idp")
        }
    )


def test_facade_modules_are_the_same_classes() -> None:
    for name in ("token", "token_manager", "err", "idp"):
        ours = importlib.import_module(f"aio.redis.auth.{name}")
        facade = importlib.import_module(f"sync_shims.redis.auth.{name}")
        upstream = importlib.import_module(f"redis.auth.{name}")
        assert facade.__all__ == ours.__all__
        for attr in ours.__all__:
            assert getattr(facade, attr) is getattr(ours, attr)
            assert hasattr(upstream, attr), attr


@LIBS
def test_simple_token(base: str) -> None:
    auth = _auth(base)
    forever = auth.token.SimpleToken("secret", -1, 1000, {"oid": "app"})
    assert forever.get_value() == "secret"
    assert forever.try_get("oid") == "app"
    assert forever.try_get("missing") is None
    assert forever.ttl() == -1
    assert forever.is_expired() is False
    assert forever.get_received_at_ms() == 1000
    now = time.time() * 1000
    past = auth.token.SimpleToken("v", now - 1000, now - 5000, {})
    assert past.is_expired() is True
    assert past.ttl() < 0
    future = auth.token.SimpleToken("v", now + 3_600_000, now, {})
    assert future.is_expired() is False
    assert 0 < future.ttl() <= 3_600_000
    assert auth.token.TokenResponse(future).get_ttl_ms() == 3_600_000
    assert isinstance(future, auth.token.TokenInterface)


@LIBS
def test_errors(base: str) -> None:
    auth = _auth(base)
    err = auth.err.InvalidTokenSchemaErr(["exp", "oid"])
    assert str(err) == "Unexpected token schema. Following fields are missing: exp, oid"
    assert str(auth.err.RequestTokenErr("down")) == "down"
    assert str(auth.err.TokenRenewalErr("late")) == "late"


@LIBS
def test_jwtoken_needs_pyjwt(base: str) -> None:
    try:
        import jwt  # noqa: F401
    except ImportError:
        pass
    else:
        pytest.skip("PyJWT is installed: the ImportError cannot happen")
    auth = _auth(base)
    with pytest.raises(
        ImportError, match=r"^The PyJWT library is required for JWToken\.$"
    ):
        auth.token.JWToken("a.b.c")


def _idp(auth: SimpleNamespace, tokens: list[Any]) -> Any:
    """An identity provider answering with ``tokens`` in turn (an exception
    in the list is raised)."""

    class Provider(auth.idp.IdentityProviderInterface):  # type: ignore[misc,name-defined]
        def __init__(self) -> None:
            self.requests: list[bool] = []

        def request_token(self, force_refresh: bool = False) -> Any:
            self.requests.append(force_refresh)
            item = tokens.pop(0) if len(tokens) > 1 else tokens[0]
            if isinstance(item, Exception):
                raise item
            return item

    return Provider()


def _config(auth: SimpleNamespace, attempts: int = 2, ratio: float = 0.5) -> Any:
    tm = auth.token_manager
    return tm.TokenManagerConfig(ratio, 0, 1000, tm.RetryPolicy(attempts, 0))


def _listener(auth: SimpleNamespace, *, is_async: bool = False) -> Any:
    listener = auth.token_manager.CredentialsListener()
    listener.tokens = []
    listener.errors = []
    listener.got = threading.Event()
    if is_async:

        async def on_next(token: Any) -> None:
            listener.tokens.append(token)
            listener.got.set()

        async def on_error(error: Exception) -> None:
            listener.errors.append(error)
            listener.got.set()
    else:

        def on_next(token: Any) -> None:
            listener.tokens.append(token)
            listener.got.set()

        def on_error(error: Exception) -> None:
            listener.errors.append(error)
            listener.got.set()

    listener.on_next = on_next
    listener.on_error = on_error
    return listener


def _hour(auth: SimpleNamespace, value: str) -> Any:
    now = time.time() * 1000
    return auth.token.SimpleToken(value, now + 3_600_000, now, {"oid": "app"})


@LIBS
def test_manager_hands_the_first_token_to_the_listener(base: str) -> None:
    auth = _auth(base)
    token = _hour(auth, "first")
    idp = _idp(auth, [token])
    manager = auth.token_manager.TokenManager(idp, _config(auth))
    listener = _listener(auth)
    stop = manager.start(listener)
    try:
        assert listener.got.wait(5)
        assert listener.tokens == [token]
        assert listener.errors == []
        assert idp.requests == [True]
    finally:
        stop()


@LIBS
def test_manager_skip_initial(base: str) -> None:
    auth = _auth(base)
    idp = _idp(auth, [_hour(auth, "first")])
    manager = auth.token_manager.TokenManager(idp, _config(auth))
    listener = _listener(auth)
    stop = manager.start(listener, skip_initial=True)
    stop()
    assert idp.requests == [True]
    assert listener.tokens == []


@LIBS
def test_manager_retries_then_reports(base: str) -> None:
    auth = _auth(base)
    down = auth.err.RequestTokenErr("down")
    token = _hour(auth, "after two failures")
    manager = auth.token_manager.TokenManager(
        _idp(auth, [down, down, token]), _config(auth, attempts=2)
    )
    assert manager.acquire_token().get_token() is token
    failing = auth.token_manager.TokenManager(
        _idp(auth, [down]), _config(auth, attempts=2)
    )
    with pytest.raises(auth.err.RequestTokenErr):
        failing.acquire_token()
    listener = _listener(auth)
    stop = failing.start(listener)
    try:
        assert listener.got.wait(5)
        assert listener.tokens == []
        assert [type(e) for e in listener.errors] == [auth.err.RequestTokenErr]
    finally:
        stop()


@LIBS
def test_manager_refuses_an_expired_token(base: str) -> None:
    auth = _auth(base)
    now = time.time() * 1000
    expired = auth.token.SimpleToken("old", now - 1000, now - 2000, {})
    manager = auth.token_manager.TokenManager(_idp(auth, [expired]), _config(auth))
    listener = _listener(auth)
    stop = manager.start(listener)
    try:
        assert listener.got.wait(5)
        assert listener.tokens == []
        [error] = listener.errors
        assert type(error) is auth.err.TokenRenewalErr
        assert str(error) == "Requested token is expired"
    finally:
        stop()


@LIBS
def test_manager_reports_a_listener_that_raises(base: str) -> None:
    auth = _auth(base)
    manager = auth.token_manager.TokenManager(
        _idp(auth, [_hour(auth, "t")]), _config(auth)
    )
    listener = _listener(auth)
    errors = listener.errors
    failure = ValueError("listener broke")

    def on_next(token: Any) -> None:
        raise failure

    listener.on_next = on_next
    stop = manager.start(listener)
    try:
        assert listener.got.wait(5)
        [error] = errors
        assert type(error) is auth.err.TokenRenewalErr
        assert error.args == (failure,)
    finally:
        stop()


@LIBS
def test_manager_renews_before_expiry(base: str) -> None:
    auth = _auth(base)

    def short(value: str) -> Any:
        now = time.time() * 1000
        return auth.token.SimpleToken(value, now + 400, now, {})

    class Renewing(auth.idp.IdentityProviderInterface):  # type: ignore[misc,name-defined]
        count = 0

        def request_token(self, force_refresh: bool = False) -> Any:
            Renewing.count += 1
            return short(f"token-{Renewing.count}")

    manager = auth.token_manager.TokenManager(Renewing(), _config(auth, ratio=0.25))
    listener = _listener(auth)
    second = threading.Event()

    def on_next(token: Any) -> None:
        listener.tokens.append(token.get_value())
        if len(listener.tokens) >= 2:
            second.set()

    listener.on_next = on_next
    stop = manager.start(listener)
    try:
        assert second.wait(10)
    finally:
        stop()
    assert listener.tokens[:2] == ["token-1", "token-2"]


@LIBS
async def test_manager_async_awaits_the_listener(base: str) -> None:
    auth = _auth(base)
    token = _hour(auth, "first")
    manager = auth.token_manager.TokenManager(_idp(auth, [token]), _config(auth))
    listener = _listener(auth, is_async=True)
    stop = await manager.start_async(listener, block_for_initial=True)
    try:
        assert listener.tokens == [token]
    finally:
        stop()


@LIBS
async def test_manager_async_reports_errors(base: str) -> None:
    auth = _auth(base)
    down = auth.err.RequestTokenErr("down")
    manager = auth.token_manager.TokenManager(
        _idp(auth, [down]), _config(auth, attempts=1)
    )
    listener = _listener(auth, is_async=True)
    stop = await manager.start_async(listener, block_for_initial=True)
    try:
        assert [type(e) for e in listener.errors] == [auth.err.RequestTokenErr]
        assert listener.tokens == []
    finally:
        stop()
