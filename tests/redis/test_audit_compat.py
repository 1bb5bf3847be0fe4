"""Audit of issue 3, item 2 ("redis-py's method names and return types"): a gap
found by the audit, fixed in the client core.

redis-py's ``mget([])`` returns ``[]`` (its ``EMPTY_RESPONSE`` option: the
server's arity error is swallowed, and a pipeline does not even send the
command). ``aio.redis`` honours the option in ``execute_command``
(``aio/redis/_core.py``) and in the pipeline (``aio/redis/_pipeline.py``), where
the value is put back in place so the reply alignment holds.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import redis.asyncio as redispy

from aio.redis import Redis, ResponseError
from tests.plugins.fix_services import require_service

DB = 12


@pytest.fixture
async def pair() -> AsyncIterator[tuple[Redis, Any]]:
    host, port = require_service("redis")
    ours = Redis(host=host, port=port, db=DB)
    theirs = redispy.Redis(host=host, port=port, db=DB)
    try:
        yield ours, theirs
    finally:
        await ours.aclose()
        await theirs.aclose()


async def test_empty_argument_lists_that_both_refuse(pair: tuple[Redis, Any]) -> None:
    ours, theirs = pair
    # Only mget has redis-py's EMPTY_RESPONSE; these raise the same error in both.
    for name, args in (("hmget", ("h", [])), ("delete", ())):
        with pytest.raises(redispy.ResponseError) as expected:
            await getattr(theirs, name)(*args)
        with pytest.raises(ResponseError) as got:
            await getattr(ours, name)(*args)
        assert str(got.value) == str(expected.value)


async def test_mget_of_no_keys_is_empty_list(pair: tuple[Redis, Any]) -> None:
    ours, theirs = pair
    assert await theirs.mget([]) == []
    async with theirs.pipeline() as pipe:
        assert await pipe.mget([]).ping().execute() == [[], True]
    assert await ours.mget([]) == []
    pipe_: Any
    async with ours.pipeline() as pipe_:
        assert await pipe_.mget([]).ping().execute() == [[], True]
