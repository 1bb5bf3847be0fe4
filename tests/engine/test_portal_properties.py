"""Property: the portal hands back exactly what the coroutine produced."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from aio.engine import portal

P = portal()

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.binary(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=10,
)
errors = st.sampled_from([ValueError, KeyError, OSError, LookupError, RuntimeError])


async def produce(outcome: object, yields: int) -> object:
    for _ in range(yields):
        await asyncio.sleep(0)
    if isinstance(outcome, BaseException):
        raise outcome
    return outcome


@settings(max_examples=200, deadline=None)
@given(
    outcome=values | st.builds(lambda cls, msg: cls(msg), errors, st.text()),
    yields=st.integers(0, 3),
)
def test_value_or_exception_round_trips(outcome: object, yields: int) -> None:
    if isinstance(outcome, BaseException):
        try:
            P.call(produce, outcome, yields)
        except BaseException as exc:  # checking it is the very same object
            assert exc is outcome
        else:
            raise AssertionError("the exception was not re-raised")
    else:
        assert P.call(produce, outcome, yields) is outcome


@settings(max_examples=50, deadline=None)
@given(items=st.lists(st.integers()), batch=st.integers(1, 10))
def test_iterate_yields_everything_in_order(items: list[int], batch: int) -> None:
    async def generate() -> object:
        for item in items:
            yield item

    assert list(P.iterate(generate(), batch=batch)) == items  # type: ignore[arg-type]
