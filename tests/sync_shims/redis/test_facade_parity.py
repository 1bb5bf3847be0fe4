"""The blocking facade against sync redis-py 8.1, both ways (``redis_mod``):
``get_message()`` before any subscription, ``retry_on_error`` and
``get_retry()``, ``load_external_module``."""

from __future__ import annotations

import threading
import time
import types
from collections.abc import Callable
from types import ModuleType
from typing import Any

import pytest

# -- pub/sub before any subscription ----------------------------------------------


def test_get_message_before_any_subscription_returns_none(r: Any) -> None:
    p = r.pubsub()
    try:
        assert p.subscribed is False
        assert p.get_message() is None  # no error, unlike redis.asyncio
        assert p.get_message(timeout=0.05) is None  # waited for a subscription
        p.subscribe("parity:ch")
        message = p.get_message(timeout=5)
        assert message is not None and message["type"] == "subscribe"
        # Closed: nothing is subscribed any more, None again.
        p.close()
        assert p.get_message(timeout=0.01) is None
    finally:
        p.close()


def test_get_message_wakes_up_on_a_subscription_from_another_thread(r: Any) -> None:
    p = r.pubsub()
    got: list[Any] = []
    # Waiting for a subscription (None would mean it gave up at the timeout).
    poller = threading.Thread(target=lambda: got.append(p.get_message(timeout=10)))
    poller.start()
    time.sleep(0.05)  # ordering only: let the poller start waiting
    p.subscribe("parity:ch")
    poller.join(20)
    try:
        assert not poller.is_alive()
        assert got == [
            {"type": "subscribe", "pattern": None, "channel": b"parity:ch", "data": 1}
        ]
    finally:
        p.close()


def test_get_message_after_the_last_unsubscribe_returns_none(r: Any) -> None:
    p = r.pubsub()
    try:
        p.subscribe("parity:ch")
        assert p.get_message(timeout=5)["type"] == "subscribe"
        p.unsubscribe("parity:ch")
        assert p.get_message(timeout=5)["type"] == "unsubscribe"
        assert p.subscribed is False
        assert p.get_message(timeout=0.01) is None
        # Subscribed again, it reads again.
        p.subscribe("parity:other")
        assert p.get_message(timeout=5)["channel"] == b"parity:other"
    finally:
        p.close()


# -- retry_on_error ----------------------------------------------------------------

FLAKY = """
local n = redis.call('INCR', KEYS[1])
if n < tonumber(ARGV[1]) then return redis.error_reply('READONLY not yet') end
return n
"""


def test_get_retry_is_the_policy_as_given(
    make: Callable[..., Any], redis_mod: ModuleType
) -> None:
    retry = redis_mod.retry.Retry(redis_mod.backoff.NoBackoff(), 2)
    r = make(retry=retry, retry_on_error=[redis_mod.ReadOnlyError])
    policy = r.get_retry()
    assert policy is not retry and policy.get_retries() == 2
    # Not widened (the connections' copies are): as sync redis-py.
    names = {e.__name__ for e in policy._supported_errors}
    assert "ReadOnlyError" not in names
    conn = r.connection_pool.get_connection()
    try:
        names = {e.__name__ for e in conn.retry._supported_errors}
        assert "ReadOnlyError" in names
    finally:
        r.connection_pool.release(conn)
    r.delete("parity:flaky")
    assert r.eval(FLAKY, 1, "parity:flaky", 3) == 3  # retried twice
    r.delete("parity:flaky")


@pytest.mark.parametrize("with_retry", [False, True], ids=["no-retry", "retry"])
def test_pool_retry_on_error(
    redis_mod: ModuleType, server: tuple[str, int], db_lock: None, with_retry: bool
) -> None:
    host, port = server
    kwargs: dict[str, Any] = {"retry_on_error": [redis_mod.ReadOnlyError]}
    if with_retry:
        kwargs["retry"] = redis_mod.retry.Retry(redis_mod.backoff.NoBackoff(), 3)
    pool = redis_mod.ConnectionPool(host=host, port=port, db=11, **kwargs)
    r = redis_mod.Redis(connection_pool=pool)
    try:
        # The pool's retry as given (None when none was).
        if with_retry:
            assert r.get_retry().get_retries() == 3
        else:
            assert r.get_retry() is None
        r.delete("parity:flaky")
        # One immediate retry when only errors are named, else the policy's 3.
        with pytest.raises(redis_mod.ReadOnlyError):
            r.eval(FLAKY, 1, "parity:flaky", 99)
        assert int(r.get("parity:flaky")) == (4 if with_retry else 2)
    finally:
        r.delete("parity:flaky")
        r.close()
        pool.disconnect()


# -- load_external_module --------------------------------------------------------


def test_load_external_module_attaches_to_the_blocking_client(r: Any) -> None:
    def inner() -> str:
        return "called"

    r.load_external_module("myfuncname", inner)
    assert r.myfuncname is inner
    assert isinstance(r.myfuncname, types.FunctionType)
    assert r.myfuncname() == "called"

    class Namespace:
        """A module's command namespace: ``r.ns().ping()`` on the client."""

        def __init__(self, client: Any) -> None:
            self.client = client

        def ping(self) -> Any:
            return self.client.execute_command("PING")

    r.load_external_module("ns", lambda: Namespace(r))
    assert r.ns().ping() is True  # a blocking call, through the facade
