"""``sync_shims.redis.utils``, both ways: each body runs against redis-py's
``redis.utils`` and against ours (``from_url`` and the blocking ``pipeline``
context manager on the real server); the helpers are the very objects of
``aio.redis.utils`` (tested against redis-py in tests/redis/test_utils.py)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import pytest
import redis.utils

import aio.redis.utils
import sync_shims.redis.utils
from tests.sync_shims.redis.conftest import DB


@pytest.fixture
def utils(redis_mod: ModuleType) -> ModuleType:
    return importlib.import_module(f"{redis_mod.__name__}.utils")


def test_shared_helpers_are_aios() -> None:
    for name in sync_shims.redis.utils.__all__:
        if name not in ("from_url", "pipeline"):
            assert getattr(sync_shims.redis.utils, name) is getattr(
                aio.redis.utils, name
            )
        # every name is also one of redis-py's redis.utils
        assert hasattr(redis.utils, name), name


def test_from_url(
    utils: ModuleType, redis_mod: ModuleType, server: tuple[str, int], r: Any
) -> None:
    host, port = server
    client = utils.from_url(f"redis://{host}:{port}/{DB}", decode_responses=True)
    try:
        assert isinstance(client, redis_mod.Redis)
        r.set("utils:url", "é")
        assert client.get("utils:url") == "é"
        assert client.client_info()["db"] == DB
    finally:
        client.close()


def test_pipeline_executes_at_the_end(utils: ModuleType, r: Any) -> None:
    with utils.pipeline(r) as p:
        p.set("utils:p", "1")
        p.incr("utils:p")
        assert r.get("utils:p") is None  # queued only
    assert r.get("utils:p") == b"2"


def test_pipeline_sends_nothing_after_an_error(utils: ModuleType, r: Any) -> None:
    with pytest.raises(ValueError, match="in the block"):
        with utils.pipeline(r) as p:
            p.set("utils:p", "1")
            raise ValueError("in the block")
    assert r.exists("utils:p") == 0
    # the client is still usable
    assert r.ping() is True


def test_pipeline_sees_server_errors(
    utils: ModuleType, redis_mod: ModuleType, r: Any
) -> None:
    r.set("utils:s", "text")
    with pytest.raises(redis_mod.ResponseError):
        with utils.pipeline(r) as p:
            p.incr("utils:s")
    assert r.get("utils:s") == b"text"
