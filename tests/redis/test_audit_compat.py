"""Audit of issue 3, item 2 ("redis-py's method names and return types"): a gap
found by the audit, kept as a strict xfail until the client core handles it.

redis-py's ``mget([])`` returns ``[]`` (its ``EMPTY_RESPONSE`` option: the
server's arity error is swallowed, and a pipeline does not even send the
command). ``aio.redis`` sends ``MGET`` with no key and raises the server's
ResponseError. The fix needs the option honoured by ``execute_command`` in
``aio/redis/_core.py`` and by the pipeline in ``aio/redis/_pipeline.py`` (the
command mixin alone cannot return ``[]`` inside a pipeline without breaking the
reply alignment).
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


@pytest.mark.xfail(
    strict=True,
    reason="mget([]) raises ResponseError; redis-py returns [] (EMPTY_RESPONSE "
    "not supported by aio/redis/_core.py and _pipeline.py)",
)
async def test_mget_of_no_keys_is_empty_list(pair: tuple[Redis, Any]) -> None:
    ours, theirs = pair
    assert await theirs.mget([]) == []
    async with theirs.pipeline() as pipe:
        assert await pipe.mget([]).ping().execute() == [[], True]
    assert await ours.mget([]) == []
    pipe_: Any
    async with ours.pipeline() as pipe_:
        assert await pipe_.mget([]).ping().execute() == [[], True]
