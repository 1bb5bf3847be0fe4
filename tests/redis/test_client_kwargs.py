"""Unknown keyword arguments to a client raise TypeError, as redis-py's do.

redis-py's ``Redis.__init__`` names its parameters; aio's passes the rest on to
its pool and connections, so it checks them itself: a misspelt
``socket_timout=`` must fail, not be silently ignored.
"""

from __future__ import annotations

import inspect
import warnings
from typing import Any

import pytest
import redis
import redis.asyncio as redispy

import sync_shims.redis
from aio.redis import Redis, RedisError


def test_unknown_keyword_is_a_type_error_as_redis_py() -> None:
    with pytest.raises(TypeError) as theirs:
        redispy.Redis(socket_timout=1)  # type: ignore[call-arg]
    with pytest.raises(TypeError) as ours:
        Redis(socket_timout=1)
    assert str(ours.value) == str(theirs.value)


def _defaults(signature: inspect.Signature) -> dict[str, Any]:
    return {
        name: param.default
        for name, param in signature.parameters.items()
        if name not in ("self", "host", "port", "db", "retry_on_timeout")
        and param.default is not inspect.Parameter.empty
        # redis-py's private "not given" marker (driver_info) means nothing.
        and type(param.default) is not object
        and param.kind is not param.VAR_KEYWORD
    }


@pytest.mark.parametrize(
    "name", sorted(_defaults(inspect.signature(redispy.Redis.__init__)))
)
def test_every_redis_asyncio_keyword_is_accepted(name: str) -> None:
    # Its default value, as redis-py would be given it: no error at all.
    value = _defaults(inspect.signature(redispy.Redis.__init__))[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        Redis(**{name: value})


@pytest.mark.parametrize(
    "name", sorted(n for n in _defaults(inspect.signature(redis.Redis.__init__)))
)
def test_every_redis_py_keyword_is_accepted_by_the_facade(name: str) -> None:
    value = _defaults(inspect.signature(redis.Redis.__init__))[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sync_shims.redis.Redis(**{name: value}).close()


@pytest.mark.parametrize("name", ["ssl_validate_ocsp", "ssl_ocsp_context"])
def test_ocsp_asked_for_is_refused_not_ignored(name: str) -> None:
    with pytest.raises(RedisError, match="OCSP validation is not supported"):
        sync_shims.redis.Redis(ssl=True, **{name: True})
    with pytest.raises(RedisError, match="OCSP validation is not supported"):
        Redis(ssl=True, **{name: True})
