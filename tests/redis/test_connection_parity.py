"""Connection attributes redis-py's asyncio suite reads, checked against
``redis.asyncio.connection`` itself: the retry policy a connection resolves,
``next_health_check``, ``cert_reqs``/``check_hostname``, and command words sent
as UTF-8 whatever the value encoding."""

from __future__ import annotations

import ssl
from typing import Any

import pytest

from aio.redis import ConnectionPool, Redis, SSLConnection
from aio.redis._connection import Connection
from aio.redis.backoff import ExponentialBackoff
from aio.redis.exceptions import ResponseError
from aio.redis.retry import Retry


def _their_connection(**kwargs: Any) -> Any:
    from redis.asyncio.connection import Connection as TheirConnection

    return TheirConnection(**kwargs)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"retry_on_timeout": True},
        {"retry_on_error": [ResponseError]},
        {"retry_on_error": [ResponseError], "retry_on_timeout": True},
        {"retry": "three"},
        {"retry": "three", "retry_on_error": [ResponseError]},
    ],
)
def test_resolved_retry_as_redis_py(kwargs: dict[str, Any]) -> None:
    from redis.asyncio.retry import Retry as TheirRetry
    from redis.backoff import ExponentialBackoff as TheirBackoff
    from redis.exceptions import ResponseError as TheirResponseError

    ours_kwargs = dict(kwargs)
    theirs_kwargs = dict(kwargs)
    if kwargs.get("retry") == "three":
        ours_kwargs["retry"] = Retry(ExponentialBackoff(), 3)
        theirs_kwargs["retry"] = TheirRetry(TheirBackoff(), 3)
    if "retry_on_error" in kwargs:
        theirs_kwargs["retry_on_error"] = [TheirResponseError]
    ours = Connection(**ours_kwargs)
    theirs = _their_connection(**theirs_kwargs)
    assert ours.retry.get_retries() == theirs.retry.get_retries()
    assert len(ours.retry_on_error) == len(theirs.retry_on_error) - (
        # redis-py lists socket.timeout and asyncio.TimeoutError beside its own
        # TimeoutError; aio raises only its TimeoutError.
        2 if kwargs.get("retry_on_timeout") else 0
    )
    # a private copy: the caller's policy is not widened behind its back
    if isinstance(ours_kwargs.get("retry"), Retry):
        assert ours.retry is not ours_kwargs["retry"]


def test_next_health_check_is_readable_and_settable() -> None:
    conn = Connection(health_check_interval=1)
    assert isinstance(conn.next_health_check, float)
    conn.next_health_check = 0
    assert conn.next_health_check == 0


@pytest.mark.parametrize(
    ("query", "attribute", "expected"),
    [
        ("ssl_cert_reqs=none", "cert_reqs", ssl.CERT_NONE),
        ("ssl_cert_reqs=optional", "cert_reqs", ssl.CERT_OPTIONAL),
        ("ssl_cert_reqs=required", "cert_reqs", ssl.CERT_REQUIRED),
        ("ssl_check_hostname=False", "check_hostname", False),
        ("ssl_check_hostname=True", "check_hostname", True),
    ],
)
def test_ssl_attributes_from_url(query: str, attribute: str, expected: Any) -> None:
    conn = ConnectionPool.from_url(f"rediss://localhost?{query}").make_connection()
    assert isinstance(conn, SSLConnection)
    assert getattr(conn, attribute) == expected


async def test_command_words_are_utf8_with_a_utf16_value_encoding(
    redis_url: str,
) -> None:
    # redis-py's test_encoding TestCommandsAreNotEncoded: the encoding applies to
    # keys and values, never to command words (SET in UTF-16 is no command).
    import redis.asyncio as redis_py

    utf16 = "world".encode("utf-16")
    async with Redis.from_url(redis_url, encoding="utf-16") as r:
        assert await r.set("enc:hello", "world") is True
        assert await r.get("enc:hello") == utf16
        pipe: Any
        async with r.pipeline() as pipe:
            pipe.set("enc:other", "wörld").get("enc:other")
            assert await pipe.execute() == [True, "wörld".encode("utf-16")]
        theirs = redis_py.Redis.from_url(redis_url, encoding="utf-16")
        try:
            assert await theirs.get("enc:hello") == utf16
            assert await theirs.get("enc:other") == "wörld".encode("utf-16")
        finally:
            await theirs.aclose()
        assert await r.delete("enc:hello", "enc:other") == 2
